//! Generating the frames the server sends.

use image::{ImageEncoder, RgbImage, codecs::png::PngEncoder};
use rand::Rng;

/// Frame width and height in pixels: the handout's 10x10 image.
pub const FRAME_SIDE: u32 = 10;

/// A fresh frame: `FRAME_SIDE` x `FRAME_SIDE` pixels, 8-bit RGB, each channel uniform in
/// 0..=255, encoded as a complete PNG file (about 360 bytes).
///
/// With 2400 random bits per frame, two equal frames would take far longer than the age of
/// the universe to appear, so every frame differs as the lab requires.
pub fn random_png(rng: &mut impl Rng) -> Result<Vec<u8>, image::ImageError> {
    let mut pixels = vec![0u8; (FRAME_SIDE * FRAME_SIDE * 3) as usize];
    rng.fill(&mut pixels[..]);
    let image = RgbImage::from_raw(FRAME_SIDE, FRAME_SIDE, pixels).expect("buffer matches size");
    let mut png = Vec::with_capacity(512);
    PngEncoder::new(&mut png).write_image(
        image.as_raw(),
        FRAME_SIDE,
        FRAME_SIDE,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_a_10x10_rgb_png() {
        let png = random_png(&mut rand::rng()).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoded = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (10, 10));
        assert_eq!(decoded.color(), image::ColorType::Rgb8);
    }
}
