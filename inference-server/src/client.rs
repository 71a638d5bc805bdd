//! The inference lab's client: send one URL, wait for the answer.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use common::net::{
    PyAddr, ReadLimits, RetryPolicy, Until, connect_with_retry, read_message, resolve,
};

use crate::protocol::END_MARKER;

/// Bounds on the server's reply: one short line, but classification of a large photo on a
/// busy server may take a while.
pub const REPLY_LIMITS: ReadLimits = ReadLimits {
    max_bytes: 64 * 1024,
    timeout: Duration::from_secs(120),
};

/// Bound on connecting to the server (a listening server completes the handshake in the
/// kernel, however busy it is, while its backlog has room).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// One connection attempt, as the handout's client makes, bounded by [`CONNECT_TIMEOUT`].
/// Through [`connect_with_retry`] all the same, for its error: a
/// [`ConnectError`](common::net::ConnectError) tells the program that no server is there.
const CONNECT_ONCE: RetryPolicy = RetryPolicy {
    attempts: 1,
    first_delay: Duration::ZERO,
    connect_timeout: CONNECT_TIMEOUT,
};

/// Asks the server at `host:port` what is in the image at `url`; returns the reply line,
/// e.g. `("airliner", 0.995)`. Logs the handout's three client events.
///
/// Errors: the host has no address, the server cannot be reached (a
/// [`ConnectError`](common::net::ConnectError)), the reply is too long or too slow, or the
/// server replied `error: <reason>` (the error is that reason).
pub fn classify_url(host: &str, port: u16, url: &str) -> anyhow::Result<String> {
    let addr = resolve(host, port).with_context(|| format!("cannot resolve {host}"))?;
    exchange(host, addr, url, log::Level::Info)
}

/// One request to the server at `addr` (called `host` in the logs): connect, send `url` and
/// `[END]`, read the reply until the server closes. Logs the handout's three client events
/// (`Connected to server at (localhost, 50001)`, `URL sent to the server`,
/// `Server response: ...`) at `level`.
///
/// Errors: as [`classify_url`]'s.
pub fn exchange(
    host: &str,
    addr: SocketAddr,
    url: &str,
    level: log::Level,
) -> anyhow::Result<String> {
    let mut stream = connect_with_retry(addr, CONNECT_ONCE)?;
    let server = PyAddr {
        host: &host,
        port: addr.port(),
        quoted: false,
    };
    log::log!(level, "Connected to server at {server}");
    stream.write_all(url.as_bytes())?;
    stream.write_all(END_MARKER)?;
    log::log!(level, "URL sent to the server");
    let reply = read_message(&stream, Until::Eof, REPLY_LIMITS).context("no reply")?;
    let reply = String::from_utf8_lossy(&reply).trim().to_owned();
    log::log!(level, "Server response: {reply}");
    match reply.strip_prefix("error:") {
        Some(reason) => anyhow::bail!("the server could not classify the image: {}", reason.trim()),
        None if reply.is_empty() => anyhow::bail!("the server closed without a reply"),
        None => Ok(reply),
    }
}
