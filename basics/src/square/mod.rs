//! The slides' last exercise: many clients at once send a number and get its square back,
//! served with asynchronous concurrency.
//!
//! **Protocol** (TCP, text): a request is one line, a decimal integer with an optional
//! sign (surrounding spaces and a `\r` are ignored); the answer is one line, the square in
//! decimal, or `error: <reason>` when the line is not an integer or its square does not fit
//! in 128 bits (so any integer from `-(2^64 - 1)` to `2^64 - 1` works). A connection may
//! carry any number of requests; each answer follows its request in order.
//!
//! **Model** ([`server`]): one thread runs tokio's event loop, and each client is a task,
//! a state machine that the loop resumes whenever its socket is ready. A waiting client
//! costs a few hundred bytes, not a thread, so one thread serves thousands at once.

pub mod client;
pub mod server;

use std::num::IntErrorKind;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The server's default port: the pid server's `10002` plus one.
pub const DEFAULT_PORT: u16 = 10003;

/// Longest request line accepted, in bytes, newline excluded: far more than the 21
/// characters of `-18446744073709551615`, far less than memory.
pub const MAX_LINE: usize = 256;

/// The answer to one request line (without its newline): the square, or `error: <reason>`.
pub fn answer(line: &[u8]) -> String {
    match square(line) {
        Ok(square) => square.to_string(),
        Err(reason) => format!("error: {reason}"),
    }
}

/// The square of the integer on `line`, or why there is none.
pub fn square(line: &[u8]) -> Result<u128, String> {
    let text = std::str::from_utf8(line)
        .map_err(|_| "not an integer (not even UTF-8 text)".to_owned())?
        .trim();
    if text.is_empty() {
        return Err("empty line; expected an integer".to_owned());
    }
    match text.parse::<i128>() {
        Ok(n) => {
            let magnitude = n.unsigned_abs();
            magnitude
                .checked_mul(magnitude)
                .ok_or_else(|| format!("the square of {n} does not fit in 128 bits"))
        }
        Err(e)
            if matches!(
                e.kind(),
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
            ) =>
        {
            Err("the square does not fit in 128 bits".to_owned())
        }
        Err(_) => Err(format!("not an integer: {:?}", shorten(text))),
    }
}

/// At most 32 characters of `text`, so an answer never echoes a whole hostile line.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(32) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// What [`read_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A line is in the buffer (without its newline). The last line of a stream counts even
    /// without a newline.
    Complete,
    /// The line was longer than the limit; it was read to its end and dropped.
    TooLong,
    /// The stream ended; no line.
    Eof,
}

/// Reads one line from `reader` into `line` (cleared first), keeping at most `max` bytes
/// of it: a longer line is consumed to its newline and reported as [`Line::TooLong`], so
/// the next read starts at the next line. Errors: the reader's.
pub async fn read_line<R>(reader: &mut R, line: &mut Vec<u8>, max: usize) -> std::io::Result<Line>
where
    R: AsyncBufRead + Unpin,
{
    line.clear();
    let mut too_long = false;
    let mut got_any = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (too_long, got_any) {
                (true, _) => Line::TooLong,
                (false, true) => Line::Complete,
                (false, false) => Line::Eof,
            });
        }
        got_any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let part = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if line.len() + part.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(part);
            }
        }
        let used = newline.map_or(available.len(), |at| at + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Complete
            });
        }
    }
}

/// Raises this process's soft limit on open files to its hard limit and returns the new
/// soft limit. Every client connection is a descriptor: the usual soft limit of 1024 would
/// cap one process at about a thousand clients. Errors: the OS's.
pub fn raise_open_files_limit() -> std::io::Result<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    }
    Ok(hard.max(soft))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_and_reasons() {
        assert_eq!(answer(b"7"), "49");
        assert_eq!(answer(b" -12\r"), "144");
        assert_eq!(answer(b"+3"), "9");
        assert_eq!(answer(b"0"), "0");
        assert_eq!(
            answer(b"-9223372036854775808"),
            "85070591730234615865843651857942052864"
        );
        assert_eq!(
            answer(b"18446744073709551615"),
            "340282366920938463426481119284349108225"
        );
        assert_eq!(
            answer(b"-18446744073709551616"),
            "error: the square of -18446744073709551616 does not fit in 128 bits"
        );
        assert_eq!(
            answer(b"1000000000000000000000000000000000000000000"),
            "error: the square does not fit in 128 bits"
        );
        assert_eq!(answer(b"abc"), "error: not an integer: \"abc\"");
        assert_eq!(answer(b"1.5"), "error: not an integer: \"1.5\"");
        assert_eq!(answer(b""), "error: empty line; expected an integer");
        assert_eq!(
            answer(&[0xff, 0xfe]),
            "error: not an integer (not even UTF-8 text)"
        );
        assert!(answer(&[b'x'; 200]).ends_with("...\""));
    }

    #[tokio::test]
    async fn lines_are_bounded_and_resynchronised() {
        let input: &[u8] = b"12\nxxxxxxxxxx\n7\nlast";
        let mut reader = tokio::io::BufReader::with_capacity(4, input);
        let mut line = Vec::new();
        let mut got = Vec::new();
        loop {
            match read_line(&mut reader, &mut line, 5).await.unwrap() {
                Line::Eof => break,
                Line::TooLong => got.push("too long".to_owned()),
                Line::Complete => got.push(String::from_utf8(line.clone()).unwrap()),
            }
        }
        assert_eq!(got, ["12", "too long", "7", "last"]);
    }
}
