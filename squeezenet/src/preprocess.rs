//! Photo bytes → the network's input tensor, exactly as the model was trained to see it.
//!
//! SqueezeNet 1.1 (like every torchvision / ONNX-zoo ImageNet model) expects the photo
//! prepared in one precise way; any deviation costs accuracy silently rather than failing.
//! The steps, from `model/README.md`:
//!
//! 1. decode, convert to 8-bit RGB (not BGR; alpha dropped, as PIL's `convert("RGB")`);
//! 2. resize so the *shorter* side is 256, keeping the aspect ratio (bilinear, see below);
//! 3. crop the central 224x224;
//! 4. scale to [0, 1] and normalise each channel with the ImageNet mean and std;
//! 5. lay it out NCHW: all red values, then all green, then all blue.
//!
//! **Resize filter.** The reference probabilities in `testdata/photos/README.md` match
//! Pillow's `BILINEAR` resize (torchvision's `Resize(256)` on PIL images), which is a
//! *convolution* with a triangle filter widened by the scale factor, i.e. antialiased when
//! shrinking. `fast_image_resize`'s `Convolution(Bilinear)` implements the same filter the
//! same way (fixed-point, Pillow's coefficient layout). We checked the alternatives with the
//! Python reference: bicubic moves the pelican from 0.688 to 0.851 and nearest-neighbour turns
//! the coyote into a different class, so the filter is not a detail.
//!
//! **Untrusted input.** A server decodes whatever it is sent, so before any pixel is decoded we
//! read the header and refuse images whose dimensions or decoded size exceed [`Limits`]
//! (a 100-byte PNG can claim 20000x20000 pixels, 1.2 GB decoded: a "decompression bomb").
//! Every failure is an [`ImageError`]; nothing here panics on bad bytes.
//!
//! **Bounded memory.** The network only ever sees 224x224 pixels, so nothing needs a photo's
//! full resolution. Three bounds keep a server's memory flat whatever it is sent:
//!
//! 1. [`Limits::max_decoded_bytes`] (96 MiB by default, e.g. 32 megapixels of RGB) refuses
//!    anything larger from its header, before a pixel is decoded;
//! 2. a large baseline JPEG (most camera photos) is decoded at 1/2, 1/4 or 1/8 scale by the
//!    decoder itself, which skips the high-frequency DCT coefficients ("DCT scaling", as
//!    libjpeg's `scale_denom` and Pillow's `draft` do): a 48-megapixel photo decodes to 3
//!    megapixels, still at least twice the 256 pixels the resize needs on its shorter side;
//! 3. decodes larger than [`Limits::large_decode_bytes`] take a permit from a
//!    [`LargeDecodes`] gate, so only [`Limits::large_decodes`] of them run at once in a
//!    process, however many clients send one together.

use std::io::Cursor;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

/// Side of the square the network sees: 224 pixels.
pub const CROP_SIDE: u32 = 224;
/// The shorter side is resized to this many pixels before the centre crop.
pub const RESIZE_SHORTER_SIDE: u32 = 256;
/// Shape of the network input: `[1, 3, 224, 224]`, NCHW (batch, channel, row, column).
pub const INPUT_SHAPE: [usize; 4] = [1, 3, CROP_SIDE as usize, CROP_SIDE as usize];
/// Number of `f32` values in one input tensor: 3 x 224 x 224 = 150 528.
pub const INPUT_LEN: usize = 3 * (CROP_SIDE as usize) * (CROP_SIDE as usize);
/// Per-channel (R, G, B) mean of ImageNet's training photos, on the [0, 1] scale.
pub const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
/// Per-channel (R, G, B) standard deviation of ImageNet's training photos, on the [0, 1] scale.
pub const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// Limits applied to an image before it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Decodes whose output is larger than this many bytes count as large: they are DCT-scaled
    /// when they are baseline JPEGs, and take a [`LargeDecodes`] permit.
    pub large_decode_bytes: u64,
    /// How many large decodes may run at once in one [`crate::Classifier`].
    pub large_decodes: usize,
    /// Largest accepted width or height, in pixels.
    pub max_side: u32,
    /// Smallest accepted width or height, in pixels: a smaller picture has too little content to
    /// classify, and blowing a 1x1 pixel up to 256x256 yields a flat colour, not an answer.
    pub min_side: u32,
    /// Largest decoded size in bytes (width x height x bytes per pixel), and the cap the decoder
    /// is given for its own allocations. Peak memory per image is about twice this (decoded
    /// image plus its RGB copy when the photo is not already 8-bit RGB).
    pub max_decoded_bytes: u64,
}

impl Default for Limits {
    /// 10 000 px per side, 16 px minimum, 96 MiB decoded (32 megapixels of RGB; larger
    /// baseline JPEGs are DCT-scaled below it), large above 16 MiB (5.6 megapixels of RGB),
    /// one large decode at a time: every photo a phone takes, and a few hundred MB at most
    /// per process whatever arrives.
    fn default() -> Self {
        Limits {
            max_side: 10_000,
            min_side: 16,
            max_decoded_bytes: 96 * 1024 * 1024,
            large_decode_bytes: 16 * 1024 * 1024,
            large_decodes: 1,
        }
    }
}

/// Why a photo could not be turned into an input tensor.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Zero bytes were given.
    #[error("the image is empty (0 bytes)")]
    Empty,
    /// The bytes are not in a format we decode (JPEG, PNG, GIF, WebP), e.g. a text file.
    #[error("not an image in a supported format (JPEG, PNG, GIF or WebP)")]
    UnknownFormat,
    /// Width or height is larger than [`Limits::max_side`], or the decoded pixels would take more
    /// than [`Limits::max_decoded_bytes`].
    #[error(
        "the image is too large: {width}x{height} pixels ({decoded_bytes} bytes decoded); \
         the limit is {max_side} pixels per side and {max_decoded_bytes} bytes"
    )]
    TooLarge {
        /// Width claimed by the header, pixels.
        width: u32,
        /// Height claimed by the header, pixels.
        height: u32,
        /// Size the decoded pixels would take, bytes.
        decoded_bytes: u64,
        /// [`Limits::max_side`].
        max_side: u32,
        /// [`Limits::max_decoded_bytes`].
        max_decoded_bytes: u64,
    },
    /// Width or height is smaller than [`Limits::min_side`].
    #[error(
        "the image is too small to classify: {width}x{height} pixels, the minimum is {min_side} per side"
    )]
    TooSmall {
        /// Width, pixels.
        width: u32,
        /// Height, pixels.
        height: u32,
        /// [`Limits::min_side`].
        min_side: u32,
    },
    /// The header was understood but the image data is corrupt or cut short.
    #[error("cannot decode the {format:?} image (corrupt or truncated?)")]
    Decode {
        /// The format the header announced.
        format: ImageFormat,
        /// The decoder's own description.
        #[source]
        source: image::ImageError,
    },
    /// The resize step failed; not expected for images that passed the checks above.
    #[error("cannot resize the image")]
    Resize(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Decodes `bytes` (JPEG, PNG, GIF or WebP) and returns the network input: `INPUT_LEN`
/// (150 528) `f32` values, shape [`INPUT_SHAPE`] `[1, 3, 224, 224]` NCHW, RGB, normalised with
/// [`MEAN`] and [`STD`] (so roughly in [-2.1, 2.6]).
///
/// Errors: [`ImageError`] for empty, unknown, corrupt, truncated, too small or too large input.
pub fn preprocess(bytes: &[u8], limits: &Limits) -> Result<Vec<f32>, ImageError> {
    preprocess_gated(bytes, limits, &LargeDecodes::new(limits.large_decodes))
}

/// [`preprocess`], with large decodes taking a permit from `gate` (shared by all threads of a
/// [`crate::Classifier`]).
///
/// Errors: as [`preprocess`].
pub fn preprocess_gated(
    bytes: &[u8],
    limits: &Limits,
    gate: &LargeDecodes,
) -> Result<Vec<f32>, ImageError> {
    let rgb = decode_rgb_gated(bytes, limits, gate)?;
    let (width, height) = (rgb.width(), rgb.height());
    let resized = resize_shorter_side(rgb.as_raw(), width, height, RESIZE_SHORTER_SIDE)?;
    Ok(crop_and_normalise(&resized))
}

/// Decodes `bytes` into 8-bit RGB after checking the header against `limits`; a large
/// baseline JPEG comes back DCT-scaled (see the module docs), so possibly smaller than its
/// header says.
///
/// Errors: see [`ImageError`].
pub fn decode_rgb(bytes: &[u8], limits: &Limits) -> Result<image::RgbImage, ImageError> {
    decode_rgb_gated(bytes, limits, &LargeDecodes::new(limits.large_decodes))
}

fn decode_rgb_gated(
    bytes: &[u8],
    limits: &Limits,
    gate: &LargeDecodes,
) -> Result<image::RgbImage, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    // The format comes from the magic bytes, never from a file name: a server gets no name.
    let format = image::guess_format(bytes).map_err(|_| ImageError::UnknownFormat)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // The decoder also gets the cap for its own allocations (defence in depth, some decoders
    // allocate more than the output buffer). Width and height we check ourselves below, so
    // that the error can say what the header claimed.
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_alloc = Some(limits.max_decoded_bytes);
    reader.limits(decoder_limits);
    let decode_error = |source| ImageError::Decode { format, source };
    // `into_decoder` reads only the header; no pixel buffer exists yet.
    let decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Unsupported(_) => ImageError::UnknownFormat,
        other => decode_error(other),
    })?;
    let (width, height) = decoder.dimensions();
    if format == ImageFormat::Jpeg
        && decoder.total_bytes() > limits.large_decode_bytes
        && let Some(scaled) = jpeg_scaled::decode(bytes, width, height, limits, gate)?
    {
        return Ok(scaled);
    }
    let decoded_bytes = decoder.total_bytes();
    check_size(width, height, decoded_bytes, limits)?;
    let _permit = (decoded_bytes > limits.large_decode_bytes).then(|| gate.acquire());
    let image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(truncated_jpeg());
    }
    // A no-op move for 8-bit RGB (the common JPEG case); otherwise one conversion.
    Ok(image.into_rgb8())
}

/// A JPEG cut short: some decoders fill a cut-off scan with grey and report success, and a
/// half-grey photo would be classified confidently and wrongly, so it is refused.
fn truncated_jpeg() -> ImageError {
    ImageError::Decode {
        format: ImageFormat::Jpeg,
        source: image::ImageError::IoError(std::io::ErrorKind::UnexpectedEof.into()),
    }
}

/// Checks decoded dimensions and size against `limits`.
fn check_size(
    width: u32,
    height: u32,
    decoded_bytes: u64,
    limits: &Limits,
) -> Result<(), ImageError> {
    if width > limits.max_side
        || height > limits.max_side
        || decoded_bytes > limits.max_decoded_bytes
    {
        return Err(ImageError::TooLarge {
            width,
            height,
            decoded_bytes,
            max_side: limits.max_side,
            max_decoded_bytes: limits.max_decoded_bytes,
        });
    }
    if width < limits.min_side || height < limits.min_side {
        return Err(ImageError::TooSmall {
            width,
            height,
            min_side: limits.min_side,
        });
    }
    Ok(())
}

/// A counting semaphore bounding how many large decodes run at once.
#[derive(Debug)]
pub struct LargeDecodes {
    free: std::sync::Mutex<usize>,
    released: std::sync::Condvar,
}

/// A permit from [`LargeDecodes::acquire`]; given back when dropped.
#[derive(Debug)]
pub struct Permit<'a>(&'a LargeDecodes);

impl LargeDecodes {
    /// A gate letting `permits` large decodes (at least one) run at once.
    pub fn new(permits: usize) -> LargeDecodes {
        LargeDecodes {
            free: std::sync::Mutex::new(permits.max(1)),
            released: std::sync::Condvar::new(),
        }
    }

    /// Waits for a free permit.
    pub fn acquire(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.released.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.released.notify_one();
    }
}

/// DCT-scaled decoding of large baseline JPEGs with the `jpeg-decoder` crate, whose
/// `Decoder::scale` asks the IDCT for 1/2, 1/4 or 1/8 of the size (the `image` crate's JPEG
/// decoder always decodes at full size).
mod jpeg_scaled {
    use super::{ImageError, LargeDecodes, Limits, check_size, jpeg_is_complete, truncated_jpeg};
    use image::{ImageFormat, RgbImage};
    use jpeg_decoder::{CodingProcess, Decoder, PixelFormat};

    /// The shorter side a scaled decode keeps at least: twice the resize target, so that the
    /// bilinear filter still averages several source pixels into each output pixel.
    const MIN_SCALED_SHORTER_SIDE: u32 = 2 * super::RESIZE_SHORTER_SIDE;

    /// The photo decoded at the smallest DCT scale that keeps its shorter side at least
    /// [`MIN_SCALED_SHORTER_SIDE`]; `None` when this decoder cannot help (progressive or
    /// lossless JPEG, CMYK), and the caller decodes at full size under the usual limits.
    pub(super) fn decode(
        bytes: &[u8],
        width: u32,
        height: u32,
        limits: &Limits,
        gate: &LargeDecodes,
    ) -> Result<Option<RgbImage>, ImageError> {
        let error = |e: jpeg_decoder::Error| ImageError::Decode {
            format: ImageFormat::Jpeg,
            source: image::ImageError::Decoding(image::error::DecodingError::new(
                image::error::ImageFormatHint::Exact(ImageFormat::Jpeg),
                e,
            )),
        };
        let mut decoder = Decoder::new(bytes);
        decoder.read_info().map_err(error)?;
        let info = decoder.info().expect("read_info succeeded");
        // Progressive JPEGs keep every coefficient of the whole image in memory before the
        // first pixel comes out, so scaling would not bound their memory.
        if info.coding_process != CodingProcess::DctSequential
            || !matches!(info.pixel_format, PixelFormat::RGB24 | PixelFormat::L8)
        {
            return Ok(None);
        }
        let shorter = width.min(height).max(1);
        let wanted = |side: u32| {
            u16::try_from(u64::from(side) * u64::from(MIN_SCALED_SHORTER_SIDE) / u64::from(shorter))
                .unwrap_or(u16::MAX)
        };
        let (scaled_width, scaled_height) = decoder
            .scale(wanted(width), wanted(height))
            .map_err(error)?;
        let (scaled_width, scaled_height) = (u32::from(scaled_width), u32::from(scaled_height));
        let channels: u64 = if info.pixel_format == PixelFormat::L8 {
            1
        } else {
            3
        };
        let decoded_bytes = u64::from(scaled_width) * u64::from(scaled_height) * channels;
        check_size(scaled_width, scaled_height, decoded_bytes, limits)?;
        let _permit = (decoded_bytes > limits.large_decode_bytes).then(|| gate.acquire());
        let pixels = decoder.decode().map_err(error)?;
        if !jpeg_is_complete(bytes) {
            return Err(truncated_jpeg());
        }
        let rgb = match info.pixel_format {
            PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
            _ => pixels,
        };
        let image = RgbImage::from_raw(scaled_width, scaled_height, rgb).ok_or_else(|| {
            error(jpeg_decoder::Error::Format(
                "the decoder returned fewer pixels than its size".into(),
            ))
        })?;
        Ok(Some(image))
    }
}

/// Whether a JPEG stream ends with its End Of Image marker (`FF D9`), allowing trailing bytes.
///
/// Inside entropy-coded data a literal `FF` byte is always followed by `00` (byte stuffing), so
/// `FF D9` after the last Start Of Scan (`FF DA`) marker can only be the real end marker. We
/// search after the last scan because an EXIF thumbnail embedded earlier has its own end marker.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match last_scan {
        Some(start) => bytes[start..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

/// Size after resizing the shorter side to `shorter`, keeping the aspect ratio; the longer side
/// is truncated like torchvision's `Resize(256)` (`int(256 * long / short)`).
///
/// Returns `(width, height)` in pixels.
pub fn resized_size(width: u32, height: u32, shorter: u32) -> (u32, u32) {
    let scale_long =
        |long: u32, short: u32| (u64::from(shorter) * u64::from(long) / u64::from(short)) as u32;
    if width <= height {
        (shorter, scale_long(height, width))
    } else {
        (scale_long(width, height), shorter)
    }
}

/// Offset of a centred crop of `crop` pixels in `size`, as torchvision computes it:
/// `int(round((size - crop) / 2))` where Python's `round` rounds halves to even (58.5 → 58).
pub fn centre_offset(size: u32, crop: u32) -> u32 {
    (f64::from(size - crop) / 2.0).round_ties_even() as u32
}

/// An 8-bit RGB image, rows top to bottom, `width * height * 3` bytes.
#[derive(Debug, Clone)]
pub struct RgbBuffer {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// Interleaved R, G, B bytes, row-major.
    pub pixels: Vec<u8>,
}

/// Resizes interleaved RGB `pixels` (`width` x `height`) so the shorter side is `shorter`
/// pixels, with the bilinear convolution filter (Pillow's `BILINEAR`, see the module docs).
///
/// Errors: [`ImageError::Resize`] if `pixels` is not `width * height * 3` bytes.
pub fn resize_shorter_side(
    pixels: &[u8],
    width: u32,
    height: u32,
    shorter: u32,
) -> Result<RgbBuffer, ImageError> {
    let resize_error = |e: Box<dyn std::error::Error + Send + Sync>| ImageError::Resize(e);
    let src = ImageRef::new(width, height, pixels, PixelType::U8x3)
        .map_err(|e| resize_error(e.into()))?;
    let (new_width, new_height) = resized_size(width, height, shorter);
    let mut dst = Image::new(new_width, new_height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    // A `Resizer` keeps scratch buffers; one per call is simplest and costs microseconds.
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| resize_error(e.into()))?;
    Ok(RgbBuffer {
        width: new_width,
        height: new_height,
        pixels: dst.into_vec(),
    })
}

/// Crops the central 224x224 of `image` (at least 224 pixels each way) and converts it to the
/// normalised NCHW tensor described at [`preprocess`].
pub fn crop_and_normalise(image: &RgbBuffer) -> Vec<f32> {
    let side = CROP_SIDE as usize;
    let left = centre_offset(image.width, CROP_SIDE) as usize;
    let top = centre_offset(image.height, CROP_SIDE) as usize;
    let row_bytes = image.width as usize * 3;
    let plane = side * side;
    let mut tensor = vec![0.0f32; INPUT_LEN];
    for y in 0..side {
        let row_start = (top + y) * row_bytes + left * 3;
        let row = &image.pixels[row_start..row_start + side * 3];
        for (x, pixel) in row.chunks_exact(3).enumerate() {
            for channel in 0..3 {
                // Same arithmetic, in the same order, as the Python reference:
                // (value / 255 - mean) / std, in f32.
                let value = f32::from(pixel[channel]) / 255.0;
                tensor[channel * plane + y * side + x] = (value - MEAN[channel]) / STD[channel];
            }
        }
    }
    tensor
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 100, 50]));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn resized_size_keeps_aspect_and_truncates_like_torchvision() {
        assert_eq!(resized_size(500, 375, 256), (341, 256)); // 341.33 → 341
        assert_eq!(resized_size(375, 500, 256), (256, 341));
        assert_eq!(resized_size(300, 300, 256), (256, 256));
        assert_eq!(resized_size(16, 1000, 256), (256, 16000));
    }

    #[test]
    fn centre_offset_rounds_half_to_even_like_python() {
        assert_eq!(centre_offset(341, 224), 58); // 58.5 → 58
        assert_eq!(centre_offset(343, 224), 60); // 59.5 → 60
        assert_eq!(centre_offset(256, 224), 16);
        assert_eq!(centre_offset(224, 224), 0);
    }

    #[test]
    fn uniform_image_normalises_to_constant_planes() {
        let tensor = preprocess(&png(300, 200), &Limits::default()).unwrap();
        assert_eq!(tensor.len(), INPUT_LEN);
        let plane = 224 * 224;
        for (channel, value) in [200u8, 100, 50].into_iter().enumerate() {
            let expected = (f32::from(value) / 255.0 - MEAN[channel]) / STD[channel];
            let slice = &tensor[channel * plane..(channel + 1) * plane];
            assert!(
                slice.iter().all(|v| (v - expected).abs() < 1e-5),
                "channel {channel}"
            );
        }
    }

    #[test]
    fn limits_are_checked_before_decoding() {
        let limits = Limits {
            max_side: 100,
            ..Limits::default()
        };
        let err = preprocess(&png(101, 50), &limits).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::TooLarge {
                    width: 101,
                    height: 50,
                    ..
                }
            ),
            "{err}"
        );
        let limits = Limits {
            max_decoded_bytes: 1000,
            ..Limits::default()
        };
        let err = preprocess(&png(20, 20), &limits).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::TooLarge {
                    decoded_bytes: 1200,
                    ..
                }
            ),
            "{err}"
        );
        let err = preprocess(&png(15, 300), &Limits::default()).unwrap_err();
        assert!(
            matches!(err, ImageError::TooSmall { width: 15, .. }),
            "{err}"
        );
        assert!(preprocess(&png(16, 16), &Limits::default()).is_ok());
    }

    #[test]
    fn jpeg_completeness_looks_after_the_last_scan() {
        assert!(jpeg_is_complete(&[
            0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0x00, 0xFF, 0xD9
        ]));
        assert!(jpeg_is_complete(&[0xFF, 0xDA, 1, 0xFF, 0xD9, 0, 0])); // trailing bytes
        // An EOI before the last scan (an EXIF thumbnail's) does not count.
        assert!(!jpeg_is_complete(&[0xFF, 0xD9, 0xFF, 0xDA, 1, 2, 3]));
        assert!(!jpeg_is_complete(&[0xFF, 0xD8, 1, 2]));
    }
}
