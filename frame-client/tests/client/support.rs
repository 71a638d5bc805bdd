//! Options and checks shared by the frame-client tests.

use std::num::NonZeroUsize;
use std::path::Path;
use std::process::Command;

use common::client::{Mode, Server};
use frame_client::Options;

/// Options for `frames` frames from an in-process frame-server into `dir/frames` and
/// `dir/frames.gif`, without progress bars; optimized means 4 download threads.
pub fn options(dir: &Path, frames: usize, optimized: bool) -> Options {
    Options {
        server: Server::Local,
        mode: match optimized {
            true => Mode::Optimized {
                download_threads: NonZeroUsize::new(4).unwrap(),
            },
            false => Mode::Sequential,
        },
        frames,
        out_dir: dir.join("frames"),
        gif: dir.join("frames.gif"),
        progress: false,
    }
}

/// The real `frame-client` binary.
pub fn frame_client() -> Command {
    Command::new(env!("CARGO_BIN_EXE_frame-client"))
}

/// Decodes `gif_path` and asserts it has exactly `count` frames, each shown 500 ms, looping
/// forever, and that frame `i` has exactly the pixels of `frames_dir/{i}.png`.
pub fn assert_gif_is_the_frames(frames_dir: &Path, count: usize, gif_path: &Path) {
    let frames = decode_gif(gif_path);
    assert_eq!(frames.len(), count, "GIF frame count");
    for (index, rgb) in frames.iter().enumerate() {
        let png = image::open(frames_dir.join(format!("{index}.png")))
            .unwrap_or_else(|e| panic!("frame {index} does not decode: {e}"))
            .to_rgb8();
        assert_eq!((png.width(), png.height()), (10, 10));
        assert_eq!(
            rgb,
            png.as_raw(),
            "GIF frame {index} differs from {index}.png"
        );
    }
}

/// Every frame of a GIF as 8-bit RGB, after checking delay and looping.
pub fn decode_gif(gif_path: &Path) -> Vec<Vec<u8>> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let file = std::fs::File::open(gif_path).expect("GIF exists");
    let mut decoder = options.read_info(std::io::BufReader::new(file)).unwrap();
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.delay, 50, "500 ms per frame");
        let rgb = frame
            .buffer
            .chunks_exact(4)
            .flat_map(|rgba| [rgba[0], rgba[1], rgba[2]])
            .collect();
        frames.push(rgb);
    }
    assert_eq!(decoder.repeat(), gif::Repeat::Infinite, "loops forever");
    frames
}
