//! One exchange with a recognition worker, the gateway's side: connect, send an image's
//! base64 text, read the answer. The classify path's attempts and the probe of ejected
//! workers both talk to workers through it. The protocol runs on plain blocking sockets, so
//! both call it on tokio's blocking threads.

use std::net::SocketAddr;
use std::time::Duration;

use crate::protocol::{self, Answer, Connection};

/// Connects to `worker` within `connect_timeout`, sends `text` (an image's base64) and
/// returns the worker's answer, the whole exchange within `timeout`.
///
/// Errors: why the exchange failed (refused, timed out, closed early, too many NACKs, a
/// result that does not parse), as text for the log and the workers page.
pub fn exchange(
    worker: SocketAddr,
    text: &[u8],
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<Answer, String> {
    let limits = protocol::Limits {
        timeout,
        max_image_text: text.len(),
        ..protocol::Limits::default()
    };
    let mut conn =
        Connection::connect(worker, connect_timeout, limits).map_err(|e| e.to_string())?;
    let data = protocol::request(&mut conn, text).map_err(|e| e.to_string())?;
    protocol::parse_result(&data).map_err(|e| e.to_string())
}
