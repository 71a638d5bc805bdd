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
/// `buf` is meant to be reused: it is cleared, grown to [`max_len`]`(len) + 1` once if
/// needed, and then written without any further allocation (see [`encode_into`]).
pub fn fill<R: Rng + ?Sized>(buf: &mut Vec<u8>, len: usize, rng: &mut R) {
    buf.clear();
    // One byte more than the list can take: the encoder writes the last comma, then drops it.
    buf.reserve(max_len(len) + 1);
    // Every value fits in an i32, so one 32-bit draw per value suffices; `Uniform` sets up
    // its rejection zone once instead of once per call as `random_range` would.
    let values = Uniform::new_inclusive(MIN, MAX).expect("MIN <= MAX");
    encode_into((0..len).map(|_| i64::from(values.sample(rng))), buf);
}

/// Replaces the contents of `out` with `values` in the wire format: decimal ASCII (a `-`
/// for negatives, no leading zeros) joined by `,`, nothing at all for no values. The bytes
/// are exactly those of joining each value's `to_string()`; the server sends lists this way
/// and `numbers-client --optimized` writes its sorted lists this way.
///
/// Appending each value's digits to a `Vec` costs a `memcpy` call per integer, since their
/// length varies: in the client that call was 14 % of the whole run (`perf`). Here each
/// token goes into a block on the stack with fixed-size stores instead (see
/// [`write_token`]), and the block is appended to `out` once per few hundred integers.
pub fn encode_into<I: IntoIterator<Item = i64>>(values: I, out: &mut Vec<u8>) {
    out.clear();
    let mut block = [0u8; BLOCK];
    let mut used = 0;
    for value in values {
        if used > BLOCK - TOKEN_ROOM {
            out.extend_from_slice(&block[..used]);
            used = 0;
        }
        let room = (&mut block[used..used + TOKEN_ROOM]).try_into();
        used += write_token(value, room.expect("TOKEN_ROOM bytes"));
    }
    out.extend_from_slice(&block[..used]);
    // Every token was written with its comma; the last one has no next token.
    out.pop();
}

/// Bytes of the stack block [`encode_into`] builds tokens in: 4 KiB, small enough to stay
/// in the L1 cache, large enough that appending it to the output is rare (every ~370
/// handout integers).
const BLOCK: usize = 4096;

/// Bytes [`write_token`] may touch: the longest `i64` and its comma take 21.
const TOKEN_ROOM: usize = 24;

/// ASCII `'0'` in each byte of a `u64`: added to digit values 0..=9, gives their characters.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Writes `value` and a `,` at the start of `room`; returns how many bytes that is.
///
/// A handout value (at most 9 digits) takes one [`eight_digits`] conversion and one 8-byte
/// store, plus a leading digit when it has 9: fixed-size stores, no loop, no copy call.
/// Whatever is stored past the comma is garbage that the next token overwrites or
/// [`encode_into`] never copies out. Longer values (never in a handout list) go to `itoa`.
/// Measured per handout list (`cargo bench -p benches --bench numbers_phases`, `encode`
/// against `format`): 1.24 ms, against 2.19 ms for `itoa` with a `Vec` append; a 16-digit
/// variant of this that shifts a `u128` measured slower than `itoa`.
#[inline]
fn write_token(value: i64, room: &mut [u8; TOKEN_ROOM]) -> usize {
    let magnitude = value.unsigned_abs();
    // The `-` is always stored and kept only for negatives, so the sign costs no branch.
    room[0] = b'-';
    let sign = usize::from(value < 0);
    let end = if magnitude < 100_000_000 {
        // Leading zero digits are zero bytes at the low end; a zero still prints one digit.
        let digits = eight_digits(magnitude);
        let leading = (digits.trailing_zeros() / 8).min(7) as usize;
        let ascii = (digits >> (8 * leading)) + ZEROS;
        room[sign..sign + 8].copy_from_slice(&ascii.to_le_bytes());
        sign + 8 - leading
    } else if magnitude < 1_000_000_000 {
        room[sign] = b'0' + (magnitude / 100_000_000) as u8;
        let ascii = eight_digits(magnitude % 100_000_000) + ZEROS;
        room[sign + 1..sign + 9].copy_from_slice(&ascii.to_le_bytes());
        sign + 9
    } else {
        let mut digits = itoa::Buffer::new();
        let text = digits.format(value).as_bytes();
        room[..text.len()].copy_from_slice(text);
        text.len()
    };
    room[end] = b',';
    end + 1
}

/// The 8 decimal digits of `n` (below 10^8, leading zeros included) as byte values 0..=9,
/// the most significant in the lowest byte, so that the little-endian bytes read in order.
///
/// No division loop: one step splits `n` into two 4-digit halves in two 32-bit lanes, the
/// next splits each half into 2-digit quarters in 16-bit lanes, the last splits each
/// quarter into digits in bytes. Each step divides every lane at once by multiplying with a
/// fixed-point reciprocal (x / 100 = x * 10486 >> 20 for x < 10^4, x / 10 = x * 103 >> 10
/// for x < 100), and the lanes never carry into each other at these sizes. It is the
/// inverse of the client parser's eight-digit step.
fn eight_digits(n: u64) -> u64 {
    debug_assert!(n < 100_000_000);
    let halves = (n / 10_000) | (n % 10_000) << 32;
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let quarters = hundreds | (halves - hundreds * 100) << 16;
    let tens = ((quarters * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | (quarters - tens * 10) << 8
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
    fn encodes_like_to_string() {
        let mut edges = vec![0, 1, -1, 9, 10, 99, 100, i64::MAX, i64::MIN, i64::MIN + 1];
        for digits in 1..=19 {
            let power = 10i64.pow(digits - 1);
            edges.extend([power, power - 1, power + 1, power.saturating_mul(10) - 1]);
        }
        edges.extend(edges.clone().iter().map(|v| v.wrapping_neg()));
        // A fixed-seed xorshift over every digit count: reproducible, no dependency.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let random = (0..100_000).map(|i: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> (i % 64)) as i64 * if i.is_multiple_of(2) { 1 } else { -1 }
        });
        // More than one stack block, to cross block boundaries.
        let values: Vec<i64> = edges.into_iter().chain(random).collect();
        let expected: Vec<String> = values.iter().map(i64::to_string).collect();
        let mut out = b"stale".to_vec();
        encode_into(values.iter().copied(), &mut out);
        assert_eq!(String::from_utf8(out.clone()).unwrap(), expected.join(","));
        encode_into([], &mut out);
        assert!(out.is_empty());
        encode_into([-7], &mut out);
        assert_eq!(out, b"-7");
    }

    #[test]
    fn eight_digits_covers_its_whole_range() {
        // Values spread over the whole range (a prime step), and its top end.
        for n in (0..100_000_000)
            .step_by(9_973)
            .chain(99_999_990..100_000_000)
        {
            let digits = eight_digits(n).to_le_bytes().map(|d| b'0' + d);
            assert_eq!(digits, *format!("{n:08}").as_bytes(), "{n}");
        }
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
