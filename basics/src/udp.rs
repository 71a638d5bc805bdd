//! UDP hello, the slides' first pair of programs: one server, one client, one datagram each
//! way.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use common::net::py_addr;
use common::shutdown::Shutdown;

use crate::datagram::{MAX_DATAGRAM, RequestError, Retry, recv_next, request};

/// The server's default port, the slides' `10001`.
pub const DEFAULT_PORT: u16 = 10001;

/// What the client sends (the slides' text).
pub const GREETING: &str = "Hi server!";

/// What the server answers to every non-empty datagram (the slides' text).
pub const ANSWER: &str = "Hi client! Nice to connect with you!";

/// Answers every non-empty datagram on `socket` with [`ANSWER`], until `shutdown`.
///
/// Logs each sender, message and answer. An empty datagram gets no answer, as in the
/// slides' server. Makes `socket` non-blocking. Errors: the socket's own failures; a failed
/// answer to one client is logged and the server goes on.
pub fn serve(socket: &UdpSocket, shutdown: &Shutdown) -> io::Result<()> {
    socket.set_nonblocking(true)?;
    log::info!("Waiting for messages on {}", socket.local_addr()?);
    let mut buffer = [0u8; MAX_DATAGRAM];
    while let Some((len, client)) = recv_next(socket, shutdown, &mut buffer)? {
        let client_text = py_addr(&client, true);
        let message = String::from_utf8_lossy(&buffer[..len]);
        log::info!("Received message from {client_text}: {message:?}");
        if len == 0 {
            continue;
        }
        match socket.send_to(ANSWER.as_bytes(), client) {
            Ok(_) => log::info!("Replied to {client_text}: {ANSWER:?}"),
            Err(e) => log::warn!("cannot reply to {client_text}: {e}"),
        }
    }
    log::info!("Server stopped");
    Ok(())
}

/// Sends [`GREETING`] to `server` and returns the answer, lossily decoded as UTF-8.
/// Errors: no answer after `retry` (see [`request`]).
pub fn hello(server: SocketAddr, retry: Retry) -> Result<String, RequestError> {
    log::info!("Sending {GREETING:?} to {server}");
    let answer = request(server, GREETING.as_bytes(), retry)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
