//! A photo the grader serves or uploads where any picture will do.

/// A 64x64 PNG of smooth colour gradients, made in memory: the photo the grader serves or
/// uploads where any picture will do (a classifier takes it; its label is not judged).
pub fn test_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, 128])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encoding a PNG in memory");
    bytes.into_inner()
}
