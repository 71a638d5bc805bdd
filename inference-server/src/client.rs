//! The inference lab's client: send one URL, wait for the answer.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use anyhow::Context as _;
use common::net::{PyAddr, ReadLimits, Until, read_message};

use crate::prefork::protocol::END_MARKER;

/// Bounds on the server's reply: one short line, but classification of a large photo on a
/// busy server may take a while.
pub const REPLY_LIMITS: ReadLimits = ReadLimits {
    max_bytes: 64 * 1024,
    timeout: Duration::from_secs(120),
};

/// Asks the server at `host:port` what is in the image at `url`; returns the reply line,
/// e.g. `("airliner", 0.995)`. Logs the handout's three client events.
///
/// Errors: the server cannot be reached, the reply is too long or too slow, or the server
/// replied `error: <reason>` (the error is that reason).
pub fn classify_url(host: &str, port: u16, url: &str) -> anyhow::Result<String> {
    let mut stream = TcpStream::connect((host, port))
        .with_context(|| format!("cannot connect to {host}:{port}"))?;
    let server = PyAddr {
        host: &host,
        port,
        quoted: false,
    };
    log::info!("Connected to server at {server}");
    stream.write_all(url.as_bytes())?;
    stream.write_all(END_MARKER)?;
    log::info!("URL sent to the server");
    let reply = read_message(&stream, Until::Eof, REPLY_LIMITS).context("no reply")?;
    let reply = String::from_utf8_lossy(&reply).trim().to_owned();
    log::info!("Server response: {reply}");
    match reply.strip_prefix("error:") {
        Some(reason) => anyhow::bail!("the server could not classify the image: {}", reason.trim()),
        None if reply.is_empty() => anyhow::bail!("the server closed without a reply"),
        None => Ok(reply),
    }
}
