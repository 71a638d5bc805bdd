//! The slides' multiprocessing exercise, over UDP: a client process sends `Hi from <its
//! pid>`, and the answer comes from another server process, which names its own pid.
//!
//! The main server process only receives. Two ways to get the answer sent:
//!
//! - [`per_request`]: a new process for every request, which sends one answer and exits
//!   (the slides' `multiprocessing.Process` server);
//! - [`pool`]: a fixed pool of worker processes started once; the main process queues each
//!   request and goes straight back to receiving, and a free worker answers it (the slides'
//!   `Pool.apply_async` server).
//!
//! Python's `multiprocessing` forks, and the child inherits the server's socket. A Rust
//! server cannot fork safely once it runs threads (a child gets a copy of every lock, held
//! or not, but only the forking thread), so it starts its processes by re-executing its own
//! binary in a hidden mode and hands them the socket at a known descriptor number
//! ([`child`]). The answer then leaves from the server's own port, as in the slides.
//!
//! Either way the main process bounds its processes, reaps every one that exits (no
//! zombies), and on shutdown waits for them, killing stragglers after a grace period.

pub mod child;
pub mod client;
pub mod per_request;
pub mod pool;

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::console::print_line;

/// The server's default port: the UDP hello server's `10001` plus one, so both can run at
/// once. (The slides use 10001 for both.)
pub const DEFAULT_PORT: u16 = 10002;

/// A client's request: `Hi from <pid> at <server ip>:<server port>` (the slides' text).
pub fn greeting(pid: u32, server: SocketAddr) -> String {
    format!("Hi from {pid} at {}:{}", server.ip(), server.port())
}

/// What the main server process prints when it starts:
/// `Server up and running at 127.0.0.1:10002`.
pub fn print_up(socket: &UdpSocket) -> io::Result<()> {
    let addr = socket.local_addr()?;
    print_line(&format!(
        "Server up and running at {}:{}",
        addr.ip(),
        addr.port()
    ));
    Ok(())
}

/// What the main server process prints for each greeting it receives:
/// `Received message 'Hi from 4242 at 127.0.0.1:10002' at 127.0.0.1:50000`.
pub fn print_received(message: &[u8], client: SocketAddr) {
    print_line(&format!(
        "Received message '{}' at {}:{}",
        String::from_utf8_lossy(message),
        client.ip(),
        client.port()
    ));
}

/// The answer a server process with id `pid` sends to `client`:
/// `Hi 127.0.0.1:50000. This is server 4242` (the slides' text, address as `ip:port`).
pub fn answer(client: SocketAddr, pid: u32) -> String {
    format!("Hi {}:{}. This is server {pid}", client.ip(), client.port())
}

/// What every answering process does: sends `client` the [`answer`] naming this process
/// from `socket` (the server's, inherited), prints `Sent to client:  <answer>` and returns
/// it. Errors: the send failed.
pub fn send_answer(socket: &UdpSocket, client: SocketAddr) -> io::Result<String> {
    let answer = answer(client, std::process::id());
    // The main process made the socket non-blocking, and that flag belongs to the socket,
    // not to one descriptor, so here too a full send buffer fails with WouldBlock instead
    // of waiting. Wait for room ourselves, a bounded time.
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        match socket.send_to(answer.as_bytes(), client) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
                let _ = poll(&mut fds, PollTimeout::from(100u8));
            }
            Err(e) => return Err(e),
        }
    }
    print_line(&format!("Sent to client:  {answer}"));
    Ok(answer)
}

/// The server pid named in an [`answer`], if `text` is one.
pub fn answer_pid(text: &str) -> Option<u32> {
    text.strip_prefix("Hi ")?
        .split_once(". This is server ")?
        .1
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_the_slides() {
        let client: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        assert_eq!(
            greeting(17, "127.0.0.1:10002".parse().unwrap()),
            "Hi from 17 at 127.0.0.1:10002"
        );
        let text = answer(client, 4242);
        assert_eq!(text, "Hi 127.0.0.1:50000. This is server 4242");
        assert_eq!(answer_pid(&text), Some(4242));
        assert_eq!(answer_pid("Hi client!"), None);
    }
}
