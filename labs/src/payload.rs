//! What correct bytes and files look like in the Week 2 labs: a 10x10 PNG frame, a list of
//! 250000 integers, a client's output folders, a GIF whose frames are the PNGs.

use std::path::{Path, PathBuf};

/// Side of a frame, pixels (the handout's 10x10).
pub const FRAME_SIDE: u32 = 10;
/// Integers per list (the handout's).
pub const LIST_LEN: usize = 250_000;
/// Largest absolute value of a listed integer (the handout's range, both ends included).
pub const LIST_BOUND: i64 = 999_999_999;

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

/// One list: ASCII integers joined by single commas, no whitespace, 250000 of them, each
/// within [-999999999, 999999999]. Returns the numbers.
pub fn parse_list(bytes: &[u8]) -> Result<Vec<i64>, String> {
    if let Some(at) = bytes.iter().position(u8::is_ascii_whitespace) {
        return Err(format!("whitespace at byte {at} (the list must have none)"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not ASCII text: {e}"))?;
    let mut numbers = Vec::with_capacity(LIST_LEN);
    for (i, token) in text.split(',').enumerate() {
        let valid = !token.is_empty()
            && token
                .strip_prefix('-')
                .unwrap_or(token)
                .bytes()
                .all(|b| b.is_ascii_digit());
        let value: i64 = if valid { token.parse().ok() } else { None }
            .ok_or_else(|| format!("number {i} is {:?}, not an integer", truncate(token)))?;
        if value.abs() > LIST_BOUND {
            return Err(format!(
                "number {i} is {value}, outside [-{LIST_BOUND}, {LIST_BOUND}]"
            ));
        }
        numbers.push(value);
    }
    Ok(numbers)
}

fn truncate(token: &str) -> String {
    token.chars().take(20).collect()
}

/// One payload of the numbers server: [`parse_list`] and exactly 250000 numbers.
pub fn check_numbers(bytes: &[u8]) -> Result<String, String> {
    let numbers = parse_list(bytes)?;
    if numbers.len() != LIST_LEN {
        return Err(format!("{} numbers, not {LIST_LEN}", numbers.len()));
    }
    Ok(format!(
        "{LIST_LEN} integers in range, comma-separated ({} bytes)",
        bytes.len()
    ))
}

/// Files of `dir` with extension `ext`, ordered by the number in their name (`10.png`
/// after `9.png`).
pub fn numbered_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|p| {
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let digits: String = stem.chars().filter(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), stem)
    });
    files
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

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// A numbers client's run folder: `count` lists in `unsorted_files/`, each valid, and for
/// each a file of the same name in `sorted_files/` holding its numbers in ascending order.
pub fn check_numbers_dirs(dir: &Path, count: usize) -> Result<String, String> {
    let unsorted = numbered_files(&dir.join("unsorted_files"), "txt");
    if unsorted.len() != count {
        return Err(format!(
            "unsorted_files/ holds {} .txt files, expected {count}",
            unsorted.len()
        ));
    }
    let sorted_dir = dir.join("sorted_files");
    for path in &unsorted {
        let name = file_name(path);
        let bytes = std::fs::read(path).map_err(|e| format!("unsorted_files/{name}: {e}"))?;
        let mut numbers = parse_list(&bytes).map_err(|e| format!("unsorted_files/{name}: {e}"))?;
        if numbers.len() != LIST_LEN {
            return Err(format!(
                "unsorted_files/{name}: {} numbers, not {LIST_LEN}",
                numbers.len()
            ));
        }
        let sorted_bytes = std::fs::read(sorted_dir.join(&name))
            .map_err(|e| format!("sorted_files/{name}: {e}"))?;
        let text = String::from_utf8_lossy(&sorted_bytes);
        let got: Result<Vec<i64>, _> = text
            .trim()
            .split(',')
            .map(|t| t.trim().parse::<i64>())
            .collect();
        let got =
            got.map_err(|e| format!("sorted_files/{name}: not a comma-separated list ({e})"))?;
        numbers.sort_unstable();
        if got != numbers {
            let at = got
                .iter()
                .zip(&numbers)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(numbers.len()));
            return Err(format!(
                "sorted_files/{name} is not the ascending order of unsorted_files/{name} (first difference at position {at}; {} numbers vs {})",
                got.len(),
                numbers.len()
            ));
        }
    }
    Ok(format!(
        "{count} lists of {LIST_LEN} in unsorted_files/, each sorted ascending in sorted_files/"
    ))
}

/// The one GIF in `dir` has `count` frames decoding to exactly the pixels of `frames/`'s
/// PNGs, in order.
pub fn check_gif(dir: &Path, count: usize) -> Result<String, String> {
    use image::AnimationDecoder as _;
    let gifs = numbered_files(dir, "gif");
    let gif = match gifs.as_slice() {
        [one] => one.clone(),
        [] => return Err("no .gif file in the client's folder".into()),
        many => {
            return Err(format!(
                "{} .gif files in the client's folder, expected one",
                many.len()
            ));
        }
    };
    let file = std::fs::File::open(&gif).map_err(|e| e.to_string())?;
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(file))
        .map_err(|e| format!("{}: not a GIF: {e}", file_name(&gif)))?;
    let frames = decoder
        .into_frames()
        .collect_frames()
        .map_err(|e| format!("{}: broken frame: {e}", file_name(&gif)))?;
    if frames.len() != count {
        return Err(format!(
            "{} has {} frames, expected {count}",
            file_name(&gif),
            frames.len()
        ));
    }
    let pngs = numbered_files(&dir.join("frames"), "png");
    for (i, (frame, png)) in frames.iter().zip(&pngs).enumerate() {
        let expected = image::open(png).map_err(|e| e.to_string())?.to_rgba8();
        let got = frame.buffer();
        if got.dimensions() != expected.dimensions() {
            return Err(format!(
                "GIF frame {i} is {:?}, frames/{} is {:?}",
                got.dimensions(),
                file_name(png),
                expected.dimensions()
            ));
        }
        let differing = got
            .pixels()
            .zip(expected.pixels())
            .filter(|(a, b)| a.0[..3] != b.0[..3])
            .count();
        if differing > 0 {
            return Err(format!(
                "GIF frame {i} differs from frames/{} in {differing} of {} pixels",
                file_name(png),
                got.width() * got.height()
            ));
        }
    }
    Ok(format!(
        "{} has {count} frames, each pixel-equal to frames/<i>.png in order",
        file_name(&gif)
    ))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_reject_whitespace_and_out_of_range() {
        assert_eq!(parse_list(b"1,-2,3").unwrap(), vec![1, -2, 3]);
        assert!(parse_list(b"1, 2").unwrap_err().contains("whitespace"));
        assert!(parse_list(b"1,,2").unwrap_err().contains("number 1"));
        assert!(parse_list(b"1000000000").unwrap_err().contains("outside"));
        assert!(parse_list(b"1,").is_err());
    }
}
