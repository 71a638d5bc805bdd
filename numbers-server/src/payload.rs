//! One list of the numbers lab as it goes on the wire.
//!
//! The format is the 2024 handout's: ASCII decimal integers joined by `,`, with no spaces,
//! no trailing comma, no newline and no length prefix. The course's client reads to end of
//! stream and calls `int()` on every `split(',')` token, so anything else would crash it.

use rand::Rng;
use rand::distr::{Distribution, Uniform};

/// Integers in one list: 250000, the 2024 handout's list size.
pub const LIST_LEN: usize = 250_000;

/// Smallest value drawn: -999999999, from the handout's range.
pub const MIN: i32 = -999_999_999;

/// Largest value drawn: 999999999, from the handout's range.
pub const MAX: i32 = 999_999_999;

/// Longest possible encoding of one value: a sign and nine digits.
const MAX_TOKEN_LEN: usize = 10;

/// Bytes a list of `len` values can take at most: each token at its longest, plus the
/// commas between them. For [`LIST_LEN`] that is 2749999 bytes (about 2.6 MiB).
pub const fn max_len(len: usize) -> usize {
    len * (MAX_TOKEN_LEN + 1) - if len > 0 { 1 } else { 0 }
}

/// Replaces the contents of `buf` with `len` integers drawn uniformly from [`MIN`]..=[`MAX`]
/// and joined by `,` (nothing at all when `len` is 0).
///
/// `buf` is meant to be reused: it is cleared, grown to [`max_len`]`(len)` once if needed,
/// and then written without any further allocation (numbers are formatted with `itoa`
/// straight into it, never through a `String`).
pub fn fill<R: Rng + ?Sized>(buf: &mut Vec<u8>, len: usize, rng: &mut R) {
    buf.clear();
    buf.reserve(max_len(len));
    // Every value fits in an i32, so one 32-bit draw per value suffices; `Uniform` sets up
    // its rejection zone once instead of once per call as `random_range` would.
    let values = Uniform::new_inclusive(MIN, MAX).expect("MIN <= MAX");
    let mut digits = itoa::Buffer::new();
    for i in 0..len {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(digits.format(values.sample(rng)).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_are_comma_joined() {
        let mut buf = b"stale".to_vec();
        fill(&mut buf, 0, &mut rand::rng());
        assert!(buf.is_empty());
        fill(&mut buf, 1, &mut rand::rng());
        assert!(!buf.contains(&b','));
        fill(&mut buf, 3, &mut rand::rng());
        let text = std::str::from_utf8(&buf).unwrap();
        let values: Vec<i32> = text.split(',').map(|t| t.parse().unwrap()).collect();
        assert_eq!(values.len(), 3);
        assert!(values.iter().all(|v| (MIN..=MAX).contains(v)));
    }

    #[test]
    fn the_bound_is_tight() {
        assert_eq!(max_len(0), 0);
        assert_eq!(max_len(1), "-999999999".len());
        assert_eq!(max_len(2), "-999999999,-999999999".len());
    }

    #[test]
    fn a_full_list_never_outgrows_its_reservation() {
        let mut buf = Vec::new();
        fill(&mut buf, LIST_LEN, &mut rand::rng());
        let capacity = buf.capacity();
        fill(&mut buf, LIST_LEN, &mut rand::rng());
        assert_eq!(buf.capacity(), capacity);
        assert!(buf.len() <= max_len(LIST_LEN));
    }
}
