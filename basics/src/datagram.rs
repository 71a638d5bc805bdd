//! UDP as both sides of the slides' programs use it.
//!
//! UDP has no connection and no delivery guarantee. A server binds a port and answers each
//! datagram to the address it came from (`recv_from` / `send_to`). A client that hears
//! nothing cannot tell a lost request from a lost answer or a missing server, so it waits a
//! bounded time and sends again, a bounded number of times ([`request`]), then reports
//! [`NoAnswer`].

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::net::{NoAnswer, is_timeout};
use common::shutdown::{Shutdown, Wait};

/// Largest datagram the servers read, in bytes: the slides' buffer size. The kernel cuts a
/// longer datagram to this length (UDP reads never return part of one and keep the rest).
pub const MAX_DATAGRAM: usize = 1024;

/// Waits for the next datagram on `socket` and reads it into `buffer`: its length and
/// sender, or `Ok(None)` once `shutdown` is triggered.
///
/// `socket` must be non-blocking (`set_nonblocking(true)`), so that a wake-up that finds
/// nothing to read returns to the wait, where shutdown can reach it. Errors: the socket's
/// own failures.
pub fn recv_next(
    socket: &UdpSocket,
    shutdown: &Shutdown,
    buffer: &mut [u8],
) -> io::Result<Option<(usize, SocketAddr)>> {
    loop {
        if shutdown.is_triggered() {
            return Ok(None);
        }
        match socket.recv_from(buffer) {
            Ok(received) => return Ok(Some(received)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if shutdown.wait_readable(socket.as_fd(), None)? != Wait::Ready {
                    return Ok(None);
                }
            }
            // An earlier answer bounced off a client that had gone (ICMP "port
            // unreachable"): that client's business, not the server's.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::ConnectionRefused
                ) => {}
            Err(e) => return Err(e),
        }
    }
}

/// How long a client waits for an answer, and how often it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Requests sent in all, at least 1.
    pub attempts: u32,
    /// How long each request waits for its answer.
    pub timeout: Duration,
}

impl Default for Retry {
    /// 3 attempts of 1 s: on loopback an answer takes well under a millisecond, so a second
    /// of silence means a lost datagram or no server, and 3 s in all is short enough to wait.
    fn default() -> Self {
        Self {
            attempts: 3,
            timeout: Duration::from_secs(1),
        }
    }
}

/// The command-line options of a [`Retry`], shared by the UDP clients.
#[derive(Debug, Clone, clap::Args)]
pub struct RetryArgs {
    /// Requests sent before giving up (UDP may lose any of them).
    #[arg(long, default_value_t = Retry::default().attempts,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub attempts: u32,
    /// Seconds to wait for the answer to each request.
    #[arg(long, default_value_t = Retry::default().timeout.as_secs_f64(),
          value_parser = parse_seconds)]
    pub timeout: f64,
}

impl RetryArgs {
    /// The policy these options describe.
    pub fn retry(&self) -> Retry {
        Retry {
            attempts: self.attempts,
            timeout: Duration::from_secs_f64(self.timeout),
        }
    }

    /// The same options as arguments, for a client process started by another.
    pub fn to_args(&self) -> Vec<String> {
        vec![
            "--attempts".into(),
            self.attempts.to_string(),
            "--timeout".into(),
            self.timeout.to_string(),
        ]
    }
}

/// A positive number of seconds, at most an hour.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        _ => Err(format!("{text:?} is not a number of seconds in (0, 3600]")),
    }
}

/// Sends `message` to `server` and returns the first datagram that comes back (at most
/// [`MAX_DATAGRAM`] bytes), sending again after each `retry.timeout` of silence, up to
/// `retry.attempts` times: [`UdpClient::connect`], [`send`](UdpClient::send),
/// [`answer`](UdpClient::answer).
///
/// Errors: [`NoAnswer`] after the last attempt, or the socket failed.
pub fn request(server: SocketAddr, message: &[u8], retry: Retry) -> anyhow::Result<Vec<u8>> {
    let mut client = UdpClient::connect(server)?;
    client.send(message)?;
    client.answer(message, retry)
}

/// A client's socket, `connect`ed to one server: the slides' client steps one by one
/// (send, wait for the answer, close), so a program can print between them.
///
/// For UDP, `connect` only fixes the peer: the kernel then drops datagrams from anyone
/// else, and reports an ICMP "port unreachable" (nothing listening) as an error, which an
/// unconnected socket never sees.
#[derive(Debug)]
pub struct UdpClient {
    socket: UdpSocket,
    server: SocketAddr,
    /// The host's latest "port unreachable" (nothing listens on the server's port), if any.
    refused: Option<io::Error>,
}

impl UdpClient {
    /// A socket on an ephemeral port of the server's address family, connected to `server`.
    /// Errors: the OS refused the socket, e.g. no route to the server.
    pub fn connect(server: SocketAddr) -> anyhow::Result<Self> {
        let local: SocketAddr = match server {
            SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
            SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
        };
        let socket = UdpSocket::bind(local)
            .and_then(|socket| socket.connect(server).map(|()| socket))
            .with_context(|| format!("cannot talk to {server}"))?;
        Ok(Self {
            socket,
            server,
            refused: None,
        })
    }

    /// Sends `message` once. A "port unreachable" from an earlier send is noted, not an
    /// error: the server may be starting. Errors: the socket failed otherwise.
    pub fn send(&mut self, message: &[u8]) -> anyhow::Result<()> {
        match self.socket.send(message) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                self.refused = Some(e);
                Ok(())
            }
            Err(e) => Err(e).with_context(|| format!("cannot talk to {}", self.server)),
        }
    }

    /// Waits for the answer to `message`, already [sent](Self::send) once: after each
    /// `retry.timeout` of silence sends it again, up to `retry.attempts` sends in all.
    /// A refused attempt still waits out its timeout, so a server that is starting has the
    /// same time to come up.
    ///
    /// Errors: [`NoAnswer`] after the last attempt (with the host's "port unreachable" as
    /// its cause, if one came), or the socket failed.
    pub fn answer(&mut self, message: &[u8], retry: Retry) -> anyhow::Result<Vec<u8>> {
        let server = self.server;
        let talk = || format!("cannot talk to {server}");
        let mut buffer = [0u8; MAX_DATAGRAM];
        for attempt in 1..=retry.attempts.max(1) {
            if attempt > 1 {
                log::warn!(
                    "No answer from {server} within {:.1} s; sending again (attempt {attempt} of {})",
                    retry.timeout.as_secs_f64(),
                    retry.attempts
                );
                self.send(message)?;
            }
            let deadline = Instant::now() + retry.timeout;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                self.socket
                    .set_read_timeout(Some(left))
                    .with_context(talk)?;
                match self.socket.recv(&mut buffer) {
                    Ok(len) => return Ok(buffer[..len].to_vec()),
                    Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                        self.refused = Some(e);
                        std::thread::sleep(left);
                    }
                    Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e).with_context(talk),
                }
            }
        }
        Err(NoAnswer {
            server,
            attempts: retry.attempts.max(1),
            timeout: retry.timeout,
            refused: self.refused.take(),
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_comes_back_and_silence_becomes_a_clear_error() {
        let server = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = server.local_addr().unwrap();
        let echo = std::thread::spawn(move || {
            let mut buffer = [0u8; 64];
            // Ignore the first request, as if it were lost, and answer the second.
            let _ = server.recv_from(&mut buffer).unwrap();
            let (len, from) = server.recv_from(&mut buffer).unwrap();
            server.send_to(&buffer[..len], from).unwrap();
        });
        let retry = Retry {
            attempts: 3,
            timeout: Duration::from_millis(200),
        };
        assert_eq!(request(addr, b"ping", retry).unwrap(), b"ping");
        echo.join().unwrap();

        let closed = UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let retry = Retry {
            attempts: 2,
            timeout: Duration::from_millis(50),
        };
        let err = request(closed, b"ping", retry).unwrap_err();
        let no_answer = err.downcast_ref::<NoAnswer>().expect("no answer");
        assert_eq!(no_answer.attempts, 2);
        let refused = no_answer
            .refused
            .as_ref()
            .expect("loopback says port unreachable");
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(
            format!("{err:#}"),
            format!("no answer from {closed} after 2 attempts over 0.1 s: {refused}")
        );
    }

    #[test]
    fn a_waiting_server_stops_on_shutdown() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let shutdown = Shutdown::new().unwrap();
        let waiter = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || recv_next(&socket, &shutdown, &mut [0u8; 8]).unwrap())
        };
        std::thread::sleep(Duration::from_millis(30));
        shutdown.trigger();
        assert!(waiter.join().unwrap().is_none());
    }
}
