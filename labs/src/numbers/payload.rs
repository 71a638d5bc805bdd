//! What correct bytes and files look like in the numbers lab: a list of 250000 integers, in
//! the given client's reading and in the handout's exact format, and a client's unsorted and
//! sorted folders.

use std::path::Path;

use sandbox::workdir::file_name;

use crate::download_lab::numbered_files;

/// Integers per list (the handout's).
pub const LIST_LEN: usize = 250_000;
/// Largest absolute value of a listed integer (the handout's range, both ends included).
pub const LIST_BOUND: i64 = 999_999_999;

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
