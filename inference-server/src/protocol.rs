//! The inference lab's wire protocol (handout "Assignment 2", 2018), kept byte-compatible
//! with the handout's Python client:
//!
//! - request: the image URL as UTF-8, followed by the marker `[END]` (no newline);
//! - reply: one line, `("airliner", 0.995)` — the top-1 synset's first name and its softmax
//!   probability to 3 decimals, like Python's `str()` of a `(label, round(p, 3))` tuple but
//!   always with double quotes — or `error: <reason>`; then the server closes.
//!
//! Neither reply ends with a newline: the handout's client logs exactly what it receives.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::Duration;

use common::net::{ReadError, ReadLimits};

/// The end-of-request marker.
pub const END_MARKER: &[u8] = b"[END]";

/// Default bounds on a request: 8 KiB (URLs in the wild stay under 2 KiB) within 10 s.
pub const REQUEST_LIMITS: ReadLimits = ReadLimits {
    max_bytes: 8 * 1024,
    timeout: Duration::from_secs(10),
};

/// How reading one request ended, as the main process saw it before any worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// The bytes before `[END]` (anything after the marker is ignored).
    Complete(Vec<u8>),
    /// No usable request: too long, too slow, or the client closed first. The text is the
    /// [`ReadError`]'s, e.g. `no complete message within 10.0 s (0 bytes received)`.
    Failed(String),
}

/// Reads one client's request a piece at a time from a non-blocking socket, so one thread
/// can collect the requests of many clients at once (see [`crate::prefork::reception`]).
#[derive(Debug, Default)]
pub struct RequestReader {
    bytes: Vec<u8>,
}

impl RequestReader {
    /// Reads whatever `stream` (non-blocking) has now. `Some` once the request is complete
    /// or has failed; `None` while more is to come.
    pub fn read_from(&mut self, mut stream: &TcpStream, limits: ReadLimits) -> Option<Received> {
        let mut chunk = [0u8; 4096];
        loop {
            let n = match stream.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return None,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Received::Failed(ReadError::Io(e).to_string())),
            };
            if n == 0 {
                let closed = ReadError::ClosedEarly {
                    received: self.bytes.len(),
                    marker: String::from_utf8_lossy(END_MARKER).into_owned(),
                };
                return Some(Received::Failed(closed.to_string()));
            }
            // Only the new bytes, plus a marker's length of overlap, can hold the marker.
            let from = self.bytes.len().saturating_sub(END_MARKER.len() - 1);
            self.bytes.extend_from_slice(&chunk[..n]);
            if let Some(at) = self.bytes[from..]
                .windows(END_MARKER.len())
                .position(|w| w == END_MARKER)
            {
                self.bytes.truncate(from + at);
                return Some(Received::Complete(std::mem::take(&mut self.bytes)));
            }
            if self.bytes.len() > limits.max_bytes {
                let too_large = ReadError::TooLarge {
                    limit: limits.max_bytes,
                };
                return Some(Received::Failed(too_large.to_string()));
            }
        }
    }

    /// The outcome when the deadline passes first.
    pub fn timed_out(&self, limits: ReadLimits) -> Received {
        let timed_out = ReadError::TimedOut {
            timeout: limits.timeout,
            received: self.bytes.len(),
        };
        Received::Failed(timed_out.to_string())
    }
}

/// The URL of a complete request, trimmed of surrounding whitespace.
///
/// Errors: the URL is not UTF-8, or is empty.
pub fn parse_url(request: Vec<u8>) -> Result<String, &'static str> {
    let url = String::from_utf8(request).map_err(|_| "the URL is not valid UTF-8")?;
    let url = url.trim();
    if url.is_empty() {
        return Err("the request holds no URL");
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
    fn a_request_is_read_in_pieces_up_to_the_marker() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_nonblocking(true).unwrap();
        let mut reader = RequestReader::default();
        assert_eq!(reader.read_from(&server, REQUEST_LIMITS), None);
        client.write_all(b"http://a/b.jpg[EN").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(reader.read_from(&server, REQUEST_LIMITS), None);
        client.write_all(b"D]tail").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(
            reader.read_from(&server, REQUEST_LIMITS),
            Some(Received::Complete(b"http://a/b.jpg".to_vec()))
        );
        assert_eq!(
            parse_url(b" http://a/b.jpg ".to_vec()).unwrap(),
            "http://a/b.jpg"
        );
        assert!(parse_url(b"  ".to_vec()).is_err());
    }

    #[test]
    fn replies() {
        assert_eq!(result_reply("airliner", 0.99512), "(\"airliner\", 0.995)");
        assert_eq!(result_reply("tabby", 1.0), "(\"tabby\", 1.000)");
        assert_eq!(error_reply("bad\nthing"), "error: bad thing");
    }
}
