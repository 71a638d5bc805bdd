//! What correct bytes and files look like in the Week 2 labs: a 10x10 PNG frame, a list of
//! 250000 integers, a client's output folders, a GIF whose frames are the PNGs.

use std::path::{Path, PathBuf};

use sandbox::workdir::file_name;

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

/// One list as the course's given client reads it: tokens between commas, each an integer
/// once surrounding whitespace is dropped (Python's `int()` forgives it), each within
/// [-999999999, 999999999]. Returns the numbers. The handout's stricter format (no
/// whitespace at all) is [`check_list_format`]'s.
pub fn parse_list(bytes: &[u8]) -> Result<Vec<i64>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not ASCII text: {e}"))?;
    let mut numbers = Vec::with_capacity(LIST_LEN);
    for (i, token) in text.split(',').enumerate() {
        let token = token.trim_ascii();
        let digits = token.strip_prefix(['-', '+']).unwrap_or(token);
        let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
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

/// The handout's exact list format: integers joined by single commas, and "the string
/// shouldn't contain any whitespaces". Ok: a short description.
pub fn check_list_format(bytes: &[u8]) -> Result<String, String> {
    match bytes.iter().position(u8::is_ascii_whitespace) {
        Some(at) => Err(format!(
            "whitespace at byte {at}: {:?} (the handout: the string shouldn't contain any whitespaces)",
            String::from_utf8_lossy(&bytes[at.saturating_sub(12)..(at + 12).min(bytes.len())])
        )),
        None => Ok(format!(
            "{} bytes of integers joined by single commas, no whitespace",
            bytes.len()
        )),
    }
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
        let got = parse_list(sorted_bytes.trim_ascii())
            .map_err(|e| format!("sorted_files/{name}: not a comma-separated list ({e})"))?;
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

/// The one GIF in `dir` has `count` frames, each the PNG of the same index in `frames/`
/// to within `tolerance` levels in every channel of every pixel (a GIF writer may quantise
/// colours: the course's own RGBA path through Pillow moves some pixels by up to 19 levels).
/// A missing, extra, blank or shuffled frame is far outside any such tolerance: two random
/// frames differ by about 85 levels per channel on average.
pub fn check_gif(dir: &Path, count: usize, tolerance: u8) -> Result<String, String> {
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
    let (mut moved, mut worst) = (0usize, 0u8);
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
        let differences: Vec<u8> = got
            .pixels()
            .zip(expected.pixels())
            .map(|(a, b)| (0..3).map(|c| a.0[c].abs_diff(b.0[c])).max().unwrap_or(0))
            .collect();
        let far = differences.iter().filter(|d| **d > tolerance).count();
        if far > 0 {
            return Err(format!(
                "GIF frame {i} is not frames/{}: {far} of {} pixels differ by more than {tolerance} levels (up to {})",
                file_name(png),
                differences.len(),
                differences.iter().max().unwrap_or(&0)
            ));
        }
        moved += differences.iter().filter(|d| **d > 0).count();
        worst = worst.max(differences.iter().copied().max().unwrap_or(0));
    }
    let pixels: usize = frames
        .iter()
        .map(|f| f.buffer().width() as usize * f.buffer().height() as usize)
        .sum();
    Ok(format!(
        "{} has {count} frames, each frames/<i>.png in order: {moved} of {pixels} pixels moved, by at most {worst} levels (tolerance {tolerance})",
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
        assert_eq!(parse_list(b"1, 2").unwrap(), vec![1, 2]);
        assert!(
            check_list_format(b"1, 2")
                .unwrap_err()
                .contains("whitespace at byte 2")
        );
        assert!(check_list_format(b"1,2").is_ok());
        assert!(parse_list(b"1,,2").unwrap_err().contains("number 1"));
        assert!(parse_list(b"1000000000").unwrap_err().contains("outside"));
        assert!(parse_list(b"1,").is_err());
    }
}
