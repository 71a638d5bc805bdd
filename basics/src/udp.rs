//! UDP hello, the slides' first pair of programs: one server, one client, one datagram each
//! way, each printing what the slides' programs print.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use common::net::py_addr;
use common::shutdown::Shutdown;

use crate::console::print_line;
use crate::datagram::{MAX_DATAGRAM, Retry, UdpClient, recv_next, request};

/// The server's default port, the slides' `10001`.
pub const DEFAULT_PORT: u16 = 10001;

/// What the client sends (the slides' text).
pub const GREETING: &str = "Hi server!";

/// What the server answers to every non-empty datagram (the slides' text).
pub const ANSWER: &str = "Hi client! Nice to connect with you!";

/// Answers every non-empty datagram on `socket` with [`ANSWER`], until `shutdown`.
///
/// Prints the slides' lines on stdout: `Waiting to receive message...` between blank lines
/// before each datagram, then `Received message from client:  ('127.0.0.1', 50000)`,
/// `Message:  Hi server!` and `Replied to client:  Hi client! Nice to connect with you!`.
/// An empty datagram gets no answer, as in the slides' server. Makes `socket` non-blocking.
/// Errors: the socket's own failures; a failed answer to one client is logged and the
/// server goes on.
pub fn serve(socket: &UdpSocket, shutdown: &Shutdown) -> io::Result<()> {
    socket.set_nonblocking(true)?;
    log::info!("Waiting for messages on {}", socket.local_addr()?);
    let mut buffer = [0u8; MAX_DATAGRAM];
    loop {
        // The slides' `print('\nWaiting to receive message...\n')`: a blank line each side.
        print_line("\nWaiting to receive message...\n");
        let Some((len, client)) = recv_next(socket, shutdown, &mut buffer)? else {
            break;
        };
        let message = String::from_utf8_lossy(&buffer[..len]);
        print_line(&format!(
            "Received message from client:  {}",
            py_addr(&client, true)
        ));
        print_line(&format!("Message:  {message}"));
        if len == 0 {
            continue;
        }
        match socket.send_to(ANSWER.as_bytes(), client) {
            Ok(_) => print_line(&format!("Replied to client:  {ANSWER}")),
            Err(e) => log::warn!("cannot reply to {}: {e}", py_addr(&client, true)),
        }
    }
    log::info!("Server stopped");
    Ok(())
}

/// Sends [`GREETING`] to `server` and returns the answer, lossily decoded as UTF-8.
/// Errors: [`NoAnswer`](common::net::NoAnswer) after `retry` (see [`request`]).
pub fn hello(server: SocketAddr, retry: Retry) -> anyhow::Result<String> {
    let answer = request(server, GREETING.as_bytes(), retry)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// The client program: sends [`GREETING`] to `server`, waits for the answer and closes,
/// printing the slides' lines (see [`converse`]) with `Received message from server:  `.
///
/// Errors: [`NoAnswer`](common::net::NoAnswer) after `retry`, or the socket failed.
pub fn run_client(server: SocketAddr, retry: Retry) -> anyhow::Result<()> {
    converse(server, GREETING, retry, "Received message from server:").map(drop)
}

/// The slides' UDP client, step by step: sends `message` to `server`, waits for the answer
/// (asking again per `retry`, since UDP may lose either datagram) and closes its socket,
/// printing `Sent to server:  <message>`, `Waiting for response...`,
/// `<received> <answer>` and `Socket closed` (also when no answer came, as the slides'
/// `finally` does). Returns the answer, lossily decoded as UTF-8.
///
/// Errors: [`NoAnswer`](common::net::NoAnswer) after `retry`, or the socket failed.
pub fn converse(
    server: SocketAddr,
    message: &str,
    retry: Retry,
    received: &str,
) -> anyhow::Result<String> {
    let mut client = UdpClient::connect(server)?;
    let answered = (|| {
        client.send(message.as_bytes())?;
        print_line(&format!("Sent to server:  {message}"));
        print_line("Waiting for response...");
        let answer = client.answer(message.as_bytes(), retry)?;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        print_line(&format!("{received}  {answer}"));
        Ok(answer)
    })();
    drop(client);
    print_line("Socket closed");
    answered
}
