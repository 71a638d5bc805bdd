//! What correct bytes and files look like in the frames lab: a 10x10 PNG frame, and a
//! client's `frames/` folder of them.

use std::path::Path;

use sandbox::workdir::file_name;

use crate::download_lab::numbered_files;

/// Side of a frame, pixels (the handout's 10x10).
pub const FRAME_SIDE: u32 = 10;

/// One frame: a PNG file of 10x10 pixels. Ok: a short description.
pub fn check_frame(bytes: &[u8]) -> Result<String, String> {
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map_err(|e| format!("not a PNG file ({} bytes): {e}", bytes.len()))?;
    if (image.width(), image.height()) != (FRAME_SIDE, FRAME_SIDE) {
        return Err(format!(
            "a {}x{} PNG, not {FRAME_SIDE}x{FRAME_SIDE}",
            image.width(),
            image.height()
        ));
    }
    Ok(format!(
        "a {FRAME_SIDE}x{FRAME_SIDE} PNG ({} bytes)",
        bytes.len()
    ))
}

/// A frames client's run folder: `frames/` holds `count` PNG files, each a 10x10 PNG.
pub fn check_frames_dir(dir: &Path, count: usize) -> Result<String, String> {
    let frames = numbered_files(&dir.join("frames"), "png");
    if frames.len() != count {
        return Err(format!(
            "frames/ holds {} PNG files, expected {count}",
            frames.len()
        ));
    }
    for path in &frames {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        check_frame(&bytes).map_err(|e| format!("frames/{}: {e}", file_name(path)))?;
    }
    Ok(format!(
        "{count} frames in frames/, each a {FRAME_SIDE}x{FRAME_SIDE} PNG"
    ))
}
