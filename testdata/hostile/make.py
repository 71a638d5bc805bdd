"""Writes the hostile test images of this folder (run from anywhere; needs Pillow).

- bomb-9000x9000.png: a decompression bomb, 236 KB on disk that would decode to 243 MB of
  RGB; servers must refuse it from its header.
- large-4000x3000.jpg: a plausible large camera photo (12 megapixels, 36 MB decoded at full
  size) that a server should decode with DCT scaling instead, in bounded memory.
"""
import pathlib

from PIL import Image, ImageDraw

here = pathlib.Path(__file__).resolve().parent

Image.new("RGB", (9000, 9000)).save(here / "bomb-9000x9000.png", optimize=True)

photo = Image.new("RGB", (4000, 3000), (90, 140, 200))
draw = ImageDraw.Draw(photo)
for i in range(0, 4000, 250):
    draw.rectangle([i, 1500 - i // 4, i + 120, 3000], fill=(30 + i % 200, 90, 60))
photo.save(here / "large-4000x3000.jpg", quality=80)
