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
    // Counting commas is a vectorised pass far cheaper than regrowing `values`.
    values.reserve(payload.iter().filter(|&&b| b == b',').count() + 1);

    let mut pos = 0;
    loop {
        let start = pos;
        let negative = payload.get(pos) == Some(&b'-');
        pos += usize::from(negative);
        let digits_start = pos;
        // Exact modulo 2^64; exact outright for up to 19 significant digits.
        let mut magnitude: u64 = 0;
        while let Some(digit) = payload.get(pos).map(|b| b.wrapping_sub(b'0')) {
            if digit > 9 {
                break;
            }
            magnitude = magnitude.wrapping_mul(10).wrapping_add(u64::from(digit));
            pos += 1;
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
