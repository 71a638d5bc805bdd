//! Building the GIF from the downloaded frames.
//!
//! A GIF frame holds at most 256 palette colours; a 10x10 frame has at most 100 distinct
//! colours, so each frame gets a palette of exactly its own colours and the GIF is lossless:
//! decoding GIF frame `i` gives exactly the pixels of `frames/{i}.png`. (A frame with more
//! than 256 colours, which needs more than 16x16 pixels, would be quantised by `gif`'s
//! NeuQuant and lose precision.)
//!
//! The expensive steps are decoding each PNG and LZW-compressing each GIF frame; both are
//! independent per frame, which [`Mode::Parallel`] runs on rayon's pool. Only writing the
//! compressed frames, in order, is sequential. The client's sequential mode runs
//! [`Mode::Sequential`] and `--optimized` runs [`Mode::Parallel`]: about 30 µs of work per
//! 10x10 frame is little to spread over cores, but on an idle 2-core machine 256 frames
//! took 1.76 ms in parallel against 2.67 ms (`cargo bench -p benches --bench
//! frames_phases`), and the whole phase 0.034-0.039 s against 0.054-0.060 s for 5000 frames.
//! When other work keeps the second core busy the two measure alike.

use std::path::{Path, PathBuf};

use common::fs::write_atomically_with;
use common::shutdown::Shutdown;
use image::RgbImage;
use indicatif::ProgressBar;
use rayon::prelude::*;

/// How long each GIF frame is shown: 500 ms, as the course client's Pillow `duration=500`.
/// GIF stores delays in hundredths of a second.
pub const FRAME_DELAY_CENTISECONDS: u16 = 50;

/// Largest frame side we decode, in pixels: far above the lab's 10, far below what could
/// exhaust memory if a misbehaving server sent a decompression bomb.
pub const MAX_FRAME_SIDE: u32 = 4096;

/// Where frame `index` (0-based) is stored: `{dir}/{index}.png`, like the course client.
pub fn frame_path(dir: &Path, index: usize) -> PathBuf {
    dir.join(format!("{index}.png"))
}

/// A frame file that could not be turned into a GIF frame.
#[derive(Debug, thiserror::Error)]
#[error("frame {index} ({}) {reason}", path.display())]
pub struct FrameError {
    /// The frame's number.
    pub index: usize,
    /// Its file.
    pub path: PathBuf,
    /// What is wrong, e.g. "is not a valid image: ...".
    pub reason: String,
}

/// Reads and decodes frame `index` from `dir` as 8-bit RGB.
///
/// Errors ([`FrameError`], naming the frame): unreadable file, not a decodable image, sides
/// above [`MAX_FRAME_SIDE`] or above the 65535 a GIF can hold.
pub fn load_frame(dir: &Path, index: usize) -> Result<RgbImage, FrameError> {
    let path = frame_path(dir, index);
    let fail = |reason: String| FrameError {
        index,
        path: path.clone(),
        reason,
    };
    let bytes = std::fs::read(&path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_FRAME_SIDE);
    limits.max_image_height = Some(MAX_FRAME_SIDE);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot be read: {e}")))?;
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| fail(format!("is not a valid image: {e}")))?;
    Ok(image.to_rgb8())
}

/// Turns one decoded frame into a GIF frame with its exact palette and the lab's delay.
fn gif_frame(image: &RgbImage) -> gif::Frame<'static> {
    // load_frame bounds both sides by MAX_FRAME_SIDE, well within u16.
    let (width, height) = (image.width() as u16, image.height() as u16);
    let mut frame = match exact_palette(image.as_raw()) {
        Some((palette, indices)) => {
            gif::Frame::from_palette_pixels(width, height, indices, palette, None)
        }
        // `speed` only matters past 256 colours (NeuQuant); 10 is gif's suggested compromise.
        None => gif::Frame::from_rgb_speed(width, height, image.as_raw(), 10),
    };
    frame.delay = FRAME_DELAY_CENTISECONDS;
    frame
}

/// The palette of exactly the colours of `rgb` (RGB triples), sorted by red, green, then
/// blue, and each pixel's index in it; `None` past 256 colours, which a GIF frame cannot
/// index.
///
/// `gif::Frame::from_rgb_speed` builds the same palette in the same order (so the GIF's
/// bytes are unchanged), but through a `BTreeSet` and a `BTreeMap` of the colours: an
/// allocation per colour, the largest CPU cost of a 10x10 frame after decoding. A sorted
/// `Vec` of 100 colours and a binary search per pixel do the same work in a few
/// microseconds.
fn exact_palette(rgb: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let colour = |pixel: &[u8]| u32::from_be_bytes([0, pixel[0], pixel[1], pixel[2]]);
    let mut colours: Vec<u32> = rgb.chunks_exact(3).map(colour).collect();
    colours.sort_unstable();
    colours.dedup();
    if colours.len() > 256 {
        return None;
    }
    let indices = rgb
        .chunks_exact(3)
        .map(|pixel| {
            let index = colours.binary_search(&colour(pixel));
            index.expect("every pixel's colour is in the palette") as u8
        })
        .collect();
    let palette = colours
        .iter()
        .flat_map(|colour| {
            let [_, red, green, blue] = colour.to_be_bytes();
            [red, green, blue]
        })
        .collect();
    Some((palette, indices))
}

/// Frames compressed in parallel before they are written: 256. Bounds what the parallel
/// mode holds to one chunk of compressed frames (about 100 KB for 10x10 frames) however
/// many frames there are, while giving each worker dozens of frames per chunk.
pub const PARALLEL_CHUNK: usize = 256;

/// Sequential or parallel GIF building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decode, compress and write one frame after another on the calling thread.
    Sequential,
    /// Decode and compress frames on rayon's pool, [`PARALLEL_CHUNK`] at a time, and write
    /// each chunk in order before the next starts.
    Parallel,
}

/// Builds an animated GIF of frames `0..count` from `frames_dir` at `gif_path`: every
/// frame in order, [`FRAME_DELAY_CENTISECONDS`] each, looping forever; the logical screen
/// is frame 0's size and every frame must have that size.
///
/// The GIF is written with [`write_atomically_with`], so a failed or interrupted run never
/// leaves a truncated GIF or a temporary file, and the GIF gets ordinary permissions.
/// Errors: a [`FrameError`] naming the first bad frame, an I/O error writing the GIF, or
/// [`Interrupted`](common::shutdown::Interrupted) once `shutdown` is triggered (checked
/// before each frame).
pub fn build_gif(
    frames_dir: &Path,
    count: usize,
    gif_path: &Path,
    mode: Mode,
    progress: &ProgressBar,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    anyhow::ensure!(count > 0, "no frames to put in a GIF");
    let first = load_frame(frames_dir, 0)?;
    let size = first.dimensions();
    let check_size = |index: usize, image: RgbImage| -> Result<RgbImage, FrameError> {
        if image.dimensions() == size {
            return Ok(image);
        }
        Err(FrameError {
            index,
            path: frame_path(frames_dir, index),
            reason: format!(
                "is {}x{}, but frame 0 is {}x{}",
                image.width(),
                image.height(),
                size.0,
                size.1
            ),
        })
    };

    // Frame 0 was read above for the GIF's size; every other frame must match it.
    let frame = |index: usize| -> anyhow::Result<RgbImage> {
        shutdown.check()?;
        Ok(match index {
            0 => first.clone(),
            _ => check_size(index, load_frame(frames_dir, index)?)?,
        })
    };

    write_atomically_with(gif_path, |file| -> anyhow::Result<()> {
        let mut encoder = gif::Encoder::new(file, size.0 as u16, size.1 as u16, &[])?;
        encoder.set_repeat(gif::Repeat::Infinite)?;
        match mode {
            Mode::Sequential => {
                for index in 0..count {
                    encoder.write_frame(&gif_frame(&frame(index)?))?;
                    progress.inc(1);
                }
            }
            Mode::Parallel => {
                for first in (0..count).step_by(PARALLEL_CHUNK) {
                    let chunk = first..count.min(first + PARALLEL_CHUNK);
                    // collect() on an indexed parallel iterator keeps the frames in order.
                    let frames = chunk
                        .into_par_iter()
                        .map(|index| {
                            let mut encoded = gif_frame(&frame(index)?);
                            encoded.make_lzw_pre_encoded();
                            progress.inc(1);
                            Ok(encoded)
                        })
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    for frame in &frames {
                        encoder.write_lzw_pre_encoded_frame(frame)?;
                    }
                }
            }
        }
        // Writes the GIF trailer; the caller flushes and renames.
        encoder.into_inner()?;
        Ok(())
    })
}
