//! The inference lab's wire protocol (handout "Assignment 2", 2018), kept byte-compatible
//! with the handout's Python client:
//!
//! - request: the image URL as UTF-8, followed by the marker `[END]` (no newline);
//! - reply: one line, `("airliner", 0.995)` — the top-1 synset's first name and its softmax
//!   probability to 3 decimals, like Python's `str()` of a `(label, round(p, 3))` tuple but
//!   always with double quotes — or `error: <reason>`; then the server closes.
//!
//! Neither reply ends with a newline: the handout's client logs exactly what it receives.

use std::net::TcpStream;
use std::time::Duration;

use common::net::{ReadError, ReadLimits, Until, read_message};

/// The end-of-request marker.
pub const END_MARKER: &[u8] = b"[END]";

/// Default bounds on a request: 8 KiB (URLs in the wild stay under 2 KiB) within 10 s.
pub const REQUEST_LIMITS: ReadLimits = ReadLimits {
    max_bytes: 8 * 1024,
    timeout: Duration::from_secs(10),
};

/// Reads one request and returns its URL, trimmed of surrounding whitespace.
///
/// Errors: the [`ReadError`] of a request that is too long, too slow or cut short, or
/// `InvalidData` if the URL is not UTF-8 or is empty.
pub fn read_request(stream: &TcpStream, limits: ReadLimits) -> Result<String, ReadError> {
    let bytes = read_message(stream, Until::Delimiter(END_MARKER), limits)?;
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let url = String::from_utf8(bytes).map_err(|_| invalid("the URL is not valid UTF-8"))?;
    let url = url.trim();
    if url.is_empty() {
        return Err(invalid("the request holds no URL").into());
    }
    Ok(url.to_owned())
}

/// The success reply, e.g. `("airliner", 0.995)`, for a softmax `probability` in [0, 1].
pub fn result_reply(label: &str, probability: f32) -> String {
    format!("(\"{label}\", {probability:.3})")
}

/// The failure reply: `error: <reason>` on one line (newlines in `reason` become spaces).
pub fn error_reply(reason: &str) -> String {
    format!("error: {}", reason.replace(['\r', '\n'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies() {
        assert_eq!(result_reply("airliner", 0.99512), "(\"airliner\", 0.995)");
        assert_eq!(result_reply("tabby", 1.0), "(\"tabby\", 1.000)");
        assert_eq!(error_reply("bad\nthing"), "error: bad thing");
    }
}
