//! Hostile and broken input: every case is a typed error with a clear message, never a panic,
//! and nothing is decoded beyond the limits.

use squeezenet::Error;
use squeezenet::preprocess::ImageError;

use crate::support::{engines, photo};

/// The error for `bytes` on every engine; also checks that engines agree.
fn error_for(bytes: &[u8]) -> ImageError {
    let mut found = None;
    for (kind, classifier) in engines() {
        match classifier.classify(bytes, 5) {
            Err(Error::Image(e)) => found = Some(e),
            other => panic!("{kind}: expected an image error, got {other:?}"),
        }
    }
    found.expect("at least one engine")
}

/// The error and its causes on one line, as the command prints them.
fn full_message(error: ImageError) -> String {
    format!("{:#}", anyhow::Error::from(error))
}

fn png_of(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::new(width, height);
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn empty_input() {
    let error = error_for(b"");
    assert!(matches!(error, ImageError::Empty));
    assert_eq!(full_message(error), "the image is empty (0 bytes)");
}

#[test]
fn text_file() {
    let error = error_for(b"GET / HTTP/1.0\r\n\r\nthis is not a picture\n");
    assert!(matches!(error, ImageError::UnknownFormat), "{error}");
    assert!(full_message(error).contains("not an image"));
}

#[test]
fn truncated_jpeg() {
    let whole = photo("webnn-native_test_redpanda.jpg");
    let error = error_for(&whole[..whole.len() / 2]);
    assert!(
        matches!(
            error,
            ImageError::Decode {
                format: image::ImageFormat::Jpeg,
                ..
            }
        ),
        "{error}"
    );
    let message = full_message(error);
    assert!(
        message.contains("cannot decode the Jpeg image"),
        "{message}"
    );
}

#[test]
fn truncated_png() {
    let whole = png_of(64, 64);
    let error = error_for(&whole[..whole.len() - 20]);
    assert!(matches!(error, ImageError::Decode { .. }), "{error}");
}

#[test]
fn one_pixel_image() {
    let error = error_for(&png_of(1, 1));
    assert!(
        matches!(
            error,
            ImageError::TooSmall {
                width: 1,
                height: 1,
                ..
            }
        ),
        "{error}"
    );
    assert!(full_message(error).contains("too small to classify: 1x1 pixels"));
}

/// A valid PNG signature and IHDR chunk claiming 20000x20000 RGB (1.2 GB decoded) followed by
/// a tiny IDAT and IEND: a decompression bomb in 57 bytes.
fn png_header_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit, RGB, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// CRC-32 (ISO-HDLC, as PNG uses), bit by bit: slow and obviously right.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_of_known_input() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}

#[test]
fn huge_png_header_is_refused_before_decoding() {
    let bomb = png_header_claiming(20_000, 20_000);
    let error = error_for(&bomb);
    assert!(
        matches!(
            error,
            ImageError::TooLarge {
                width: 20_000,
                height: 20_000,
                decoded_bytes: 1_200_000_000,
                ..
            }
        ),
        "{error}"
    );
    let message = full_message(error);
    assert!(message.contains("too large: 20000x20000"), "{message}");
}

#[test]
fn wrong_tensor_length_is_an_engine_error() {
    for (kind, classifier) in engines() {
        let error = classifier.logits(&[0.0; 10]).unwrap_err();
        assert!(
            error.to_string().contains("has 10 values, expected 150528"),
            "{kind}: {error}"
        );
    }
}
