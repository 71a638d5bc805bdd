//! Sorting one list: read the unsorted file, parse it strictly, sort, format, and write the
//! sorted file atomically.
//!
//! Two methods give the same bytes. [`Method::Plain`] is the sequential baseline, the
//! obvious `sort_unstable`, `itoa` and a new file renamed into place; [`Method::Fast`] is
//! what `--optimized` runs, a radix sort ([`radix_sort`], twice as fast as `sort_unstable`
//! per list), the server's own encoder ([`numbers_server::payload::encode_into`], 40 %
//! faster than `itoa` and a `Vec` append per integer) and the file rewritten in place (see
//! [`sort_file`]); measured per list with `cargo bench -p benches --bench numbers_phases`.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use anyhow::Context as _;
use common::fs::{write_atomically, write_in_place};
use numbers_server::payload::encode_into;

use crate::parse::parse_into;

/// Buffers one worker reuses from list to list, so that after the first list a worker
/// allocates nothing: the file's bytes, its integers, and the sorted text.
#[derive(Debug, Default)]
pub struct Scratch {
    unsorted: Vec<u8>,
    values: Vec<i64>,
    sorted: Vec<u8>,
    offsets: Vec<u32>,
}

/// How a list is sorted and formatted; both give the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `sort_unstable`, a pattern-defeating quicksort, [`format_into`] and a new file
    /// renamed into place: the plain baseline.
    Plain,
    /// [`radix_sort`], [`numbers_server::payload::encode_into`], and the file rewritten in
    /// place.
    Fast,
}

/// Sorts the list in the file `unsorted` into the file `sorted`, in the same format
/// (integers joined by `,`, ascending, no trailing comma or newline); returns how many
/// integers it holds.
///
/// [`Method::Plain`] writes `sorted` with [`write_atomically`]: a new file renamed over the
/// old one. [`Method::Fast`] overwrites it with [`write_in_place`], as the downloads are
/// written: a rerun's sorted file has the same length as before (the same integers,
/// reordered), so its cached pages are reused instead of a fresh file's being allocated
/// and the old one's freed, which measured about a third of a list's time. Either way the
/// file has ordinary permissions and is whole, or removed, after an error or Ctrl-C; only
/// a reader watching during the write could see it half-written. When the list does not
/// parse, a `sorted` file left by an earlier run is removed too, so that it is never
/// mistaken for this list's.
///
/// Errors: the file cannot be read or written, or it is not a list; a parse error reads
/// `<unsorted>: byte <offset>: expected ..., found ...` (see [`crate::parse::ParseError`]).
pub fn sort_file(
    unsorted: &Path,
    sorted: &Path,
    scratch: &mut Scratch,
    method: Method,
) -> anyhow::Result<usize> {
    read_into(unsorted, &mut scratch.unsorted)
        .with_context(|| format!("cannot read {}", unsorted.display()))?;
    if let Err(e) = parse_into(&scratch.unsorted, &mut scratch.values) {
        remove_if_present(sorted)
            .with_context(|| format!("cannot remove the stale {}", sorted.display()))?;
        return Err(anyhow::Error::new(e).context(unsorted.display().to_string()));
    }
    match method {
        Method::Plain => {
            scratch.values.sort_unstable();
            format_into(&scratch.values, &mut scratch.sorted);
            write_atomically(sorted, &scratch.sorted)?;
        }
        Method::Fast => {
            radix_sort(&mut scratch.values, &mut scratch.offsets);
            encode_into(scratch.values.iter().copied(), &mut scratch.sorted);
            write_in_place(sorted, &scratch.sorted)?;
        }
    }
    Ok(scratch.values.len())
}

/// Sorts `values` ascending with a least-significant-digit radix sort (the `radsort`
/// crate): one pass per key byte, each a linear scatter, where a comparison sort makes
/// about log2(n) = 18 data-dependent, hard-to-predict comparisons per value.
///
/// A list whose values all lie within 2^32 of its smallest (a handout list spans 2e9) is
/// sorted as each value's offset from the smallest, a `u32` kept in `offsets`: four passes
/// over 4-byte keys instead of eight over 8-byte ones. Other lists are sorted as `i64`s.
pub fn radix_sort(values: &mut [i64], offsets: &mut Vec<u32>) {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return;
    };
    if max.abs_diff(min) > u64::from(u32::MAX) {
        radsort::sort(values);
        return;
    }
    offsets.clear();
    // Every value is at least `min`, so each offset is exact and order-preserving.
    offsets.extend(values.iter().map(|&value| value.abs_diff(min) as u32));
    radsort::sort(offsets.as_mut_slice());
    for (value, &offset) in values.iter_mut().zip(offsets.iter()) {
        *value = min.wrapping_add_unsigned(u64::from(offset));
    }
}

/// Replaces `out` with `values` as decimal ASCII joined by `,`. Reserves 20 bytes per value,
/// the longest an `i64` gets (`-9223372036854775808`), so `out` grows at most once.
pub fn format_into(values: &[i64], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(values.len() * 21);
    let mut digits = itoa::Buffer::new();
    for (i, &value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(digits.format(value).as_bytes());
    }
}

fn read_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    let mut file = File::open(path)?;
    // read_to_end grows from the current capacity; size it for the file in one step.
    let len = file.metadata()?.len();
    buf.reserve(usize::try_from(len).unwrap_or(0));
    file.read_to_end(buf)?;
    Ok(())
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_handout() {
        let mut out = b"stale".to_vec();
        format_into(&[i64::MIN, -5, 0, 42], &mut out);
        assert_eq!(out, b"-9223372036854775808,-5,0,42");
        format_into(&[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn radix_sort_agrees_with_sort_unstable() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            // xorshift64: enough spread for a test, no dependency.
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let narrow: Vec<i64> = (0..5000)
            .map(|_| (next() % 2_000_000_001) as i64 - 1_000_000_000)
            .collect();
        let wide: Vec<i64> = (0..5000).map(|_| next() as i64).collect();
        let edges = vec![i64::MAX, i64::MIN, 0, -1, i64::MIN, 1, i64::MAX];
        let offsets = vec![i64::MIN, i64::MIN + i64::from(u32::MAX), i64::MIN + 1];
        for mut values in [narrow, wide, edges, offsets, vec![], vec![3]] {
            let mut expected = values.clone();
            expected.sort_unstable();
            radix_sort(&mut values, &mut Vec::new());
            assert_eq!(values, expected);
        }
    }

    #[test]
    fn sorts_a_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (unsorted, sorted) = (dir.path().join("0.txt"), dir.path().join("s0.txt"));
        fs::write(&unsorted, "3,-1,007,2").unwrap();
        let mut scratch = Scratch::default();
        for method in [Method::Plain, Method::Fast] {
            assert_eq!(
                sort_file(&unsorted, &sorted, &mut scratch, method).unwrap(),
                4
            );
            assert_eq!(fs::read_to_string(&sorted).unwrap(), "-1,2,3,7");
        }
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temp file left"
        );
    }

    #[test]
    fn a_bad_list_removes_a_stale_sorted_file() {
        let dir = tempfile::tempdir().unwrap();
        let (unsorted, sorted) = (dir.path().join("0.txt"), dir.path().join("s0.txt"));
        fs::write(&unsorted, "3,x").unwrap();
        fs::write(&sorted, "1,2,3").unwrap();
        let err = sort_file(&unsorted, &sorted, &mut Scratch::default(), Method::Fast).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "{}: byte 2: expected a digit, found 'x'",
                unsorted.display()
            )
        );
        assert!(!sorted.exists());
    }
}
