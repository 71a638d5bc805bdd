//! SqueezeNet per-photo time: decode + preprocess + inference of each test photo, for every
//! engine compiled in, beside Python's onnxruntime doing the same work in the same run; then
//! the parts on their own (preprocessing alone, the model alone on one input) and batches
//! (the model on N inputs at once, per photo).
//!
//! ```text
//! cargo bench -p benches --bench classify                                # rten
//! cargo bench -p benches --bench classify --features tract,onnxruntime   # all three
//! ```
//!
//! The ONNX Runtime engine needs `ORT_DYLIB_PATH` (see squeezenet's `README.md`). The Python
//! reference, `squeezenet/scripts/onnxruntime_reference.py` (Pillow + numpy + onnxruntime, one
//! intra-op thread), runs first under testkit's Python (`$PYTHON`, or the environment it makes from
//! `requirements-dev.txt`) and prints its median per photo; if that Python cannot be had it
//! says so and the Rust benchmarks still run.

use std::process::Command;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use squeezenet::{Classifier, ClassifierOptions, EngineKind, EngineOptions, Limits};

/// Runs the Python reference over the same photos and prints its own summary line.
fn python_reference() {
    let python = match testkit::python::try_interpreter() {
        Ok(python) => python,
        Err(e) => return println!("python reference unavailable: {e:#}"),
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut command = Command::new(python);
    command
        .arg(root.join("squeezenet/scripts/onnxruntime_reference.py"))
        .args(["--repeat", "30", "--threads", "1", "--top", "1"]);
    let photos = testkit::data::photos_dir();
    for name in testkit::data::photo_names() {
        command.arg(photos.join(name));
    }
    match command.output() {
        Ok(output) if output.status.success() => {
            let stdout = String::from_utf8_lossy(&output.stdout);
            let summary = stdout.lines().last().unwrap_or("no output");
            println!("python reference: {summary}");
        }
        Ok(output) => println!(
            "python reference unavailable: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("python reference unavailable: {e}"),
    }
}

/// The classifier for `kind` with one intra-op thread, like the Python reference: per-photo
/// work, not parallelism.
fn one_thread(kind: EngineKind) -> Classifier {
    let options = ClassifierOptions {
        engine: EngineOptions {
            kind,
            threads: Some(1),
        },
        ..ClassifierOptions::default()
    };
    Classifier::embedded(&options).unwrap()
}

fn per_photo(c: &mut Criterion) {
    benches::compare(
        "classify_per_photo",
        "decode, preprocess and classify one test photo, each engine compiled in, one \
         intra-op thread, beside Python's onnxruntime",
    );
    python_reference();
    let photos = testkit::data::photos();
    let mut group = c.benchmark_group("classify_per_photo");
    group.sample_size(20);
    for &kind in EngineKind::ALL {
        let classifier = one_thread(kind);
        let mut next = photos.iter().cycle();
        group.bench_function(kind.name(), |b| {
            b.iter(|| classifier.classify(next.next().unwrap(), 5).unwrap())
        });
    }
    group.finish();
}

/// Decoding and preprocessing alone (no engine), and the model alone on one prepared input.
fn parts(c: &mut Criterion) {
    let photos = testkit::data::photos();
    let mut group = c.benchmark_group("classify_parts");
    group.sample_size(20);
    let limits = Limits::default();
    let mut next = photos.iter().cycle();
    group.bench_function("preprocess", |b| {
        b.iter(|| squeezenet::preprocess::preprocess(next.next().unwrap(), &limits).unwrap())
    });
    let input = squeezenet::preprocess::preprocess(&photos[0], &limits).unwrap();
    for &kind in EngineKind::ALL {
        let classifier = one_thread(kind);
        group.bench_function(format!("model/{}", kind.name()), |b| {
            b.iter(|| classifier.logits(&input).unwrap())
        });
    }
    group.finish();
}

/// The model on a batch of N prepared inputs (one intra-op thread), N = 1, 4, 8: the time
/// per photo shows whether larger matrix products pay on this CPU.
fn batches(c: &mut Criterion) {
    let photos = testkit::data::photos();
    let limits = Limits::default();
    let inputs: Vec<f32> = photos
        .iter()
        .cycle()
        .take(8)
        .flat_map(|photo| squeezenet::preprocess::preprocess(photo, &limits).unwrap())
        .collect();
    let per_input = squeezenet::preprocess::INPUT_LEN;
    let mut group = c.benchmark_group("classify_batch");
    group.sample_size(10);
    for &kind in EngineKind::ALL {
        let classifier = one_thread(kind);
        for n in [1usize, 4, 8] {
            let batch = &inputs[..n * per_input];
            classifier.classify_batch(batch, 5).unwrap(); // a tract plan per size is built once
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::new(kind.name(), n), &n, |b, _| {
                b.iter(|| classifier.classify_batch(batch, 5).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(classify, per_photo, parts, batches);
criterion_main!(classify);
