//! The strict parser for one downloaded list.
//!
//! The handout's format is `-?[0-9]+` tokens separated by single commas, nothing else. The
//! course's client feeds each `split(',')` token to Python's `int()`, which also accepts
//! spaces, `+`, and `_` between digits, and crashes with a bare `ValueError` on anything
//! else, long after the download. We accept exactly the format and no more, and report the
//! first byte that breaks it, so a student can open the file and look at that byte.

use std::fmt;

/// Why a payload is not a list of integers. Offsets count bytes from the start of the
/// payload (the unsorted file), starting at 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The payload has no bytes at all (e.g. the server closed without sending anything).
    #[error("empty payload: expected at least one integer")]
    Empty,
    /// A byte (or the end of the payload) that the format does not allow at `offset`.
    #[error("byte {offset}: expected {expected}, found {}", Found(*found))]
    Unexpected {
        /// Where the offending byte is, or the payload's length if it ended too soon.
        offset: usize,
        /// What the format allows there.
        expected: Expected,
        /// The offending byte; `None` when the payload ended (e.g. after `,` or `-`).
        found: Option<u8>,
    },
    /// A well-formed integer outside `i64` (-9223372036854775808..=9223372036854775807).
    #[error("byte {offset}: integer out of the 64-bit range: {token}")]
    OutOfRange {
        /// Where the integer starts (its sign, if any).
        offset: usize,
        /// The integer's text, shortened to its first 40 bytes plus `...` when longer.
        token: String,
    },
}

/// What the format allows at the position of a [`ParseError::Unexpected`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// At the start of a token or after its `-`: a digit (a token start also allows `-`,
    /// but a digit is what is missing in every real case: `, `, `,,`, a trailing `,`).
    Digit,
    /// After a token's digits: more digits, the `,` before the next token, or the end.
    DigitCommaOrEnd,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Digit => "a digit",
            Expected::DigitCommaOrEnd => "a digit, ',' or the end of the payload",
        })
    }
}

/// Shows a byte as a quoted Rust/Python-style escape (`' '`, `'a'`, `'\n'`, `'\xff'`).
struct Found(Option<u8>);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(byte) => write!(f, "'{}'", byte.escape_ascii()),
            None => f.write_str("the end of the payload"),
        }
    }
}

/// Digits that always fit: 10^18 - 1 < i64::MAX, so no overflow check is needed up to here.
const SAFE_DIGITS: usize = 18;

/// Parses `payload` into `values` (cleared first; its capacity is reused).
///
/// Accepts exactly `-?[0-9]+(,-?[0-9]+)*` with every value in `i64`; leading zeros and
/// `-0` are allowed, as Python's `int()` allows them. Errors: the first violation, with its
/// byte offset (see [`ParseError`]); `values` then holds the integers before it.
pub fn parse_into(payload: &[u8], values: &mut Vec<i64>) -> Result<(), ParseError> {
    values.clear();
    if payload.is_empty() {
        return Err(ParseError::Empty);
    }
    // A handout list takes about 11 bytes per integer: this covers it in one allocation
    // (reused from list to list) without a counting pass; denser lists grow as usual.
    values.reserve(payload.len() / 8);

    let mut pos = 0;
    loop {
        let start = pos;
        let negative = payload.get(pos) == Some(&b'-');
        pos += usize::from(negative);
        let digits_start = pos;
        // The second 8 bytes are read before knowing whether the first 8 were all digits:
        // the two reads overlap instead of waiting on each other, and a handout number (up
        // to 9 digits) needs no more than these two.
        let (first_count, first) = up_to_eight_digits(payload, pos);
        let (second_count, second) = up_to_eight_digits(payload, pos + 8);
        // Exact modulo 2^64; exact outright for up to 19 significant digits.
        let mut magnitude = first;
        pos += first_count;
        if first_count == 8 {
            magnitude = magnitude * POW10[second_count] + second;
            pos += second_count;
            let mut count = second_count;
            while count == 8 {
                let value;
                (count, value) = up_to_eight_digits(payload, pos);
                magnitude = magnitude.wrapping_mul(POW10[count]).wrapping_add(value);
                pos += count;
            }
        }
        let digits = &payload[digits_start..pos];
        if digits.is_empty() {
            return Err(unexpected(payload, pos, Expected::Digit));
        }
        let value = if digits.len() <= SAFE_DIGITS {
            let value = magnitude as i64;
            if negative { -value } else { value }
        } else {
            checked_value(negative, magnitude, digits).ok_or_else(|| ParseError::OutOfRange {
                offset: start,
                token: shorten(&payload[start..pos]),
            })?
        };
        values.push(value);

        match payload.get(pos) {
            None => return Ok(()),
            Some(b',') => pos += 1,
            Some(_) => return Err(unexpected(payload, pos, Expected::DigitCommaOrEnd)),
        }
    }
}

/// 10^n for the digit counts [`up_to_eight_digits`] returns.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// Each byte of a `u64` set to 1, to spread a byte value over all eight lanes.
const LANES: u64 = 0x0101_0101_0101_0101;

/// The digits starting at `pos`, eight bytes at a time: how many of the next 8 bytes are
/// ASCII digits before the first non-digit (0..=8), and their decimal value. Beyond the end
/// of `payload` there are no digits: `(0, 0)`.
///
/// This is the parser's hot loop, and a byte-at-a-time loop spends most of its time
/// mispredicting where each number ends. Treating 8 bytes as one `u64` ("SWAR": SIMD
/// within a register) finds the end with a few bit operations and converts the digits with
/// three multiplications; a handout number (up to 9 digits) takes two steps.
fn up_to_eight_digits(payload: &[u8], pos: usize) -> (usize, u64) {
    // Little-endian, so byte k of the payload is lane k, the first character lane 0.
    let chunk = match payload.get(pos..pos + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("8 bytes")),
        None => {
            // Fewer than 8 bytes left: pad with zero bytes, which are not digits.
            let mut padded = [0u8; 8];
            let rest = payload.get(pos..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(padded)
        }
    };
    // A byte is a digit iff its high nibble is 3 both as is and after adding 6 ('9' + 6 is
    // 0x3f, ':' + 6 is 0x40). Carries out of a lane only reach later lanes, and only out of
    // non-digits, so every lane up to the first non-digit is judged correctly.
    let high = chunk & (0xf0 * LANES);
    let high_plus_6 = chunk.wrapping_add(0x06 * LANES) & (0xf0 * LANES);
    let non_digits = (high ^ (0x30 * LANES)) | (high_plus_6 ^ (0x30 * LANES));
    let count = (non_digits.trailing_zeros() / 8) as usize;

    // Digit values, moved to the top lanes so the number reads as 8 digits with leading
    // zeros. Borrows of the subtraction only start at a non-digit lane, shifted out here.
    let digits = chunk.wrapping_sub(u64::from(b'0') * LANES);
    let digits = digits.checked_shl(8 * (8 - count as u32)).unwrap_or(0);
    // Combine neighbours into 2-digit, then 4-digit, then the 8-digit value (the classic
    // sequence from Lemire's fast_float).
    let pairs = digits.wrapping_mul(10).wrapping_add(digits >> 8);
    let low = 0x0000_00ff_0000_00ff;
    let value = (pairs & low)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((pairs >> 16) & low).wrapping_mul(1 + (10_000 << 32)))
        >> 32;
    (count, value)
}

fn unexpected(payload: &[u8], offset: usize, expected: Expected) -> ParseError {
    ParseError::Unexpected {
        offset,
        expected,
        found: payload.get(offset).copied(),
    }
}

/// The value of a long token, or `None` if it does not fit in `i64`. `magnitude` is the
/// wrapping accumulation of `digits`, so it is exact when at most 19 digits are significant
/// (10^19 - 1 < 2^64).
fn checked_value(negative: bool, magnitude: u64, digits: &[u8]) -> Option<i64> {
    let leading_zeros = digits.iter().take_while(|&&d| d == b'0').count();
    if digits.len() - leading_zeros > 19 {
        return None;
    }
    if negative {
        // i64::MIN's magnitude, 2^63, is one more than i64::MAX.
        (magnitude <= i64::MIN.unsigned_abs()).then(|| 0i64.wrapping_sub_unsigned(magnitude))
    } else {
        i64::try_from(magnitude).ok()
    }
}

fn shorten(token: &[u8]) -> String {
    const SHOWN: usize = 40;
    let text = String::from_utf8_lossy(&token[..token.len().min(SHOWN)]);
    if token.len() > SHOWN {
        format!("{text}...")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<i64>, String> {
        let mut values = Vec::new();
        parse_into(text.as_bytes(), &mut values)
            .map(|()| values)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_the_format() {
        assert_eq!(parse("7"), Ok(vec![7]));
        assert_eq!(parse("-0"), Ok(vec![0]));
        assert_eq!(parse("12,-3,007,0"), Ok(vec![12, -3, 7, 0]));
        assert_eq!(
            parse("-999999999,999999999"),
            Ok(vec![-999_999_999, 999_999_999])
        );
    }

    #[test]
    fn accepts_the_whole_i64_range_and_no_more() {
        assert_eq!(parse("9223372036854775807"), Ok(vec![i64::MAX]));
        assert_eq!(parse("-9223372036854775808"), Ok(vec![i64::MIN]));
        assert_eq!(parse("-0009223372036854775808"), Ok(vec![i64::MIN]));
        assert_eq!(
            parse("999999999999999999"),
            Ok(vec![999_999_999_999_999_999])
        );
        assert_eq!(
            parse("1,9223372036854775808"),
            Err("byte 2: integer out of the 64-bit range: 9223372036854775808".into())
        );
        assert_eq!(
            parse("-9223372036854775809"),
            Err("byte 0: integer out of the 64-bit range: -9223372036854775809".into())
        );
        // 20 significant digits would wrap a u64 accumulator; it must not pass as a value.
        assert_eq!(
            parse("18446744073709551617"),
            Err("byte 0: integer out of the 64-bit range: 18446744073709551617".into())
        );
        let long = "1".repeat(50);
        let err = parse(&long).unwrap_err();
        assert!(err.ends_with(&format!("{}...", &long[..40])), "{err}");
    }

    /// The format parsed one byte at a time, the obvious way, to check the fast parser.
    fn reference(payload: &[u8]) -> Result<Vec<i64>, ParseError> {
        if payload.is_empty() {
            return Err(ParseError::Empty);
        }
        let mut values = Vec::new();
        let mut pos = 0;
        loop {
            let start = pos;
            if payload.get(pos) == Some(&b'-') {
                pos += 1;
            }
            let digits_start = pos;
            while payload.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == digits_start {
                return Err(unexpected(payload, pos, Expected::Digit));
            }
            let token = std::str::from_utf8(&payload[start..pos]).unwrap();
            let value = token.parse::<i128>().unwrap();
            values.push(i64::try_from(value).map_err(|_| ParseError::OutOfRange {
                offset: start,
                token: shorten(token.as_bytes()),
            })?);
            match payload.get(pos) {
                None => return Ok(values),
                Some(b',') => pos += 1,
                Some(_) => return Err(unexpected(payload, pos, Expected::DigitCommaOrEnd)),
            }
        }
    }

    #[test]
    fn agrees_with_a_byte_at_a_time_parser() {
        // A fixed-seed xorshift: reproducible payloads without a dependency.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let mut values = Vec::new();
        for _ in 0..20_000 {
            let mut payload = Vec::new();
            for token in 0..=next(6) {
                if token > 0 {
                    payload.push(b',');
                }
                if next(2) == 0 {
                    payload.push(b'-');
                }
                // Up to 22 digits, often with leading zeros, around every chunk boundary.
                for _ in 0..=next(22) {
                    let digit = if next(4) == 0 { 0 } else { next(10) as u8 };
                    payload.push(b'0' + digit);
                }
            }
            // Sometimes corrupt one byte (a digit next to '/' and ':', or other separators).
            if next(3) == 0 {
                let at = next(payload.len() as u64) as usize;
                payload[at] = b"/:- ,\0a\xff"[next(8) as usize];
            }
            let fast = parse_into(&payload, &mut values).map(|()| values.clone());
            assert_eq!(fast, reference(&payload), "{}", payload.escape_ascii());
        }
    }

    #[test]
    fn rejects_everything_else_at_the_right_byte() {
        let cases = [
            ("", "empty payload: expected at least one integer"),
            ("1, 2", "byte 2: expected a digit, found ' '"),
            ("1,2, ", "byte 4: expected a digit, found ' '"),
            (
                "1,2,",
                "byte 4: expected a digit, found the end of the payload",
            ),
            ("1,,2", "byte 2: expected a digit, found ','"),
            (",1", "byte 0: expected a digit, found ','"),
            (
                "12,-",
                "byte 4: expected a digit, found the end of the payload",
            ),
            ("--1", "byte 1: expected a digit, found '-'"),
            ("+1", "byte 0: expected a digit, found '+'"),
            ("1,a", "byte 2: expected a digit, found 'a'"),
            (
                "12a,3",
                "byte 2: expected a digit, ',' or the end of the payload, found 'a'",
            ),
            (
                "1\n",
                "byte 1: expected a digit, ',' or the end of the payload, found '\\n'",
            ),
            (
                "1_000",
                "byte 1: expected a digit, ',' or the end of the payload, found '_'",
            ),
        ];
        for (payload, message) in cases {
            assert_eq!(parse(payload), Err(message.into()), "payload {payload:?}");
        }
        let mut values = Vec::new();
        let err = parse_into(b"5,\xff", &mut values).unwrap_err();
        assert_eq!(err.to_string(), "byte 2: expected a digit, found '\\xff'");
        assert_eq!(values, [5], "the integers before the error are kept");
    }
}
