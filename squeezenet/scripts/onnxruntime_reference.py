#!/usr/bin/env python3
"""The reference pipeline in Python: Pillow + numpy + onnxruntime's own API.

Does what the `classify` command does (decode, RGB, resize the shorter side to 256 with
Pillow's bilinear filter, centre-crop 224, scale to [0, 1], ImageNet mean/std, NCHW f32,
SqueezeNet, softmax, top 5) so that answers and per-photo times can be compared:

    python3 squeezenet/scripts/onnxruntime_reference.py --repeat 50 --threads 1 PHOTO...

Needs `python3 -m pip install onnxruntime numpy Pillow`. The model and labels default to the
ones the `squeezenet` crate embeds (squeezenet/model/).
"""

import argparse
import os
import statistics
import time

import numpy as np
import onnxruntime
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def preprocess(path):
    image = Image.open(path).convert("RGB")
    width, height = image.size
    # torchvision's Resize(256): shorter side 256, longer side truncated.
    if width <= height:
        size = (256, int(256 * height / width))
    else:
        size = (int(256 * width / height), 256)
    image = image.resize(size, Image.BILINEAR)
    # torchvision's CenterCrop(224): offsets rounded half to even, as Python's round().
    left = int(round((size[0] - 224) / 2.0))
    top = int(round((size[1] - 224) / 2.0))
    pixels = np.asarray(image.crop((left, top, left + 224, top + 224)), dtype=np.float32) / 255.0
    return ((pixels - MEAN) / STD).transpose(2, 0, 1)[np.newaxis].astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photos", nargs="+")
    model_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model")
    parser.add_argument("--model", default=os.path.join(model_dir, "squeezenet1.1.onnx"))
    parser.add_argument("--labels", default=os.path.join(model_dir, "synset.txt"))
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads, 0 = one per core")
    args = parser.parse_args()

    with open(args.labels) as f:
        labels = [line.split(" ", 1)[1].split(",")[0].strip() for line in f if line.strip()]
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = onnxruntime.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name

    def classify(path):
        logits = session.run(None, {input_name: preprocess(path)})[0][0]
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    medians = []
    for path in args.photos:
        probabilities = classify(path)  # also the warm-up run
        times = []
        for _ in range(args.repeat if args.repeat > 1 else 0):
            start = time.perf_counter()
            classify(path)
            times.append(time.perf_counter() - start)
        print(path)
        for index in np.argsort(-probabilities, kind="stable")[: args.top]:
            print(f"  {probabilities[index]:.4f}  {index:>3}  {labels[index]}")
        if times:
            median = statistics.median_high(times)
            medians.append(median)
            print(f"  median {median * 1e3:.2f} ms over {args.repeat} runs")
    if medians:
        print(f"median per photo over {len(medians)} photos (python onnxruntime): "
              f"{statistics.median_high(medians) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
