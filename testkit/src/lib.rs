//! Test-only helpers shared by the labs' test suites. Every crate takes this as a
//! dev-dependency, so nothing here is part of a lab's production API.
//!
//! - [`data`]: the committed test photos and golden tensors under `testdata/`;
//! - [`python`]: running course-style Python programs, to prove wire compatibility;
//! - [`serving`]: a scripted thread-per-connection test server in a line;
//! - [`closed_port`]: an address nobody listens on, held so that nobody can;
//! - [`assert_timing_lines`]: a lab client's stdout is exactly its handout's timing lines;
//! - [`assert_names_the_way_out`]: a client without its server says why once, and what to do;
//! - [`process`]: running a lab's real binary and interrupting it like a user;
//! - [`mounts`]: a program with its own view of some paths, in a mount namespace;
//! - `browser` (feature `browser`): pages in headless Chromium through chromedriver.
//!
//! What each helper is for and where the tests' Python environment comes from: `README.md` in
//! this crate's folder.

#![warn(missing_docs)]

#[cfg(feature = "browser")]
pub mod browser;
pub mod data;
pub mod mounts;
pub mod process;
pub mod python;

use std::io;
use std::net::{SocketAddr, TcpStream};

use common::local::LocalServer;
use common::report::StartServer;
use common::server::serve;

/// A thread-per-connection server ([`serve`] with default bounds) on an ephemeral loopback
/// port, calling `handler(stream, peer)` per client: a test server, e.g. one that
/// misbehaves, in a line. Dropping the returned [`LocalServer`] stops it.
pub fn serving<H>(handler: H) -> io::Result<LocalServer>
where
    H: Fn(TcpStream, SocketAddr) -> anyhow::Result<()> + Send + Sync + 'static,
{
    LocalServer::start(move |listener, shutdown, config| {
        serve(listener, &shutdown, config, handler)
    })
}

/// A loopback port on which nothing listens while this value lives (see [`closed_port`]).
#[derive(Debug)]
pub struct ClosedPort {
    /// Bound, never listening: it holds the port so no other socket can take it.
    socket: socket2::Socket,
}

impl ClosedPort {
    /// The address: connecting to it is refused at once (`ConnectionRefused`).
    pub fn addr(&self) -> SocketAddr {
        self.socket
            .local_addr()
            .ok()
            .and_then(|addr| addr.as_socket())
            .expect("the bound socket's address")
    }

    /// The error a connection to [`addr`](Self::addr) gets, as this OS words it (`Connection
    /// refused (os error 111)` on Linux): the cause a client that tried it should name.
    pub fn refusal(&self) -> io::Error {
        TcpStream::connect(self.addr()).expect_err("nothing listens on a closed port")
    }
}

/// A loopback port that refuses connections for as long as the returned value lives.
///
/// A TCP socket bound to an ephemeral port but never listening: a connection to the port
/// finds no listener and is refused, and while the socket is open no other socket (another
/// test's listener, or a client's own ephemeral port) can have it. Releasing the port
/// instead, as this once did, let a test running beside it bind the same port in between
/// and accept the connection meant to be refused.
pub fn closed_port() -> ClosedPort {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
        .and_then(|socket| {
            socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
            Ok(socket)
        })
        .expect("bind an ephemeral loopback port");
    ClosedPort { socket }
}

/// Asserts that a client's `stderr` says why it could not reach its server once and names
/// the way out: `cause` (e.g. `Connection refused (os error 111)`) appears exactly once, and
/// `start`'s [`advice`](StartServer::advice) after it, once.
pub fn assert_names_the_way_out(stderr: &str, cause: &str, start: &StartServer) {
    assert_eq!(
        stderr.matches(cause).count(),
        1,
        "{cause:?} once in:\n{stderr}"
    );
    let advice = start.advice();
    assert_eq!(
        stderr.matches(&advice).count(),
        1,
        "{advice:?} once in:\n{stderr}"
    );
    assert!(
        stderr.find(cause) < stderr.find(&advice),
        "the cause, then the way out:\n{stderr}"
    );
}

/// Asserts that `stdout` is exactly one line per label, in order, each `label: seconds`
/// with seconds written as digits, a point and three decimals (e.g. `Sorting time:
/// 0.123`), as [`common::report::timing_line`] prints them.
pub fn assert_timing_lines(stdout: &str, labels: &[&str]) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), labels.len(), "{stdout:?}");
    for (line, label) in lines.iter().zip(labels) {
        let seconds = line
            .strip_prefix(label)
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or_else(|| panic!("{line:?} is not \"{label}: <seconds>\""));
        let (whole, millis) = seconds
            .split_once('.')
            .unwrap_or_else(|| panic!("{line:?}"));
        assert!(whole.parse::<u64>().is_ok() && millis.len() == 3, "{line}");
        assert!(millis.bytes().all(|b| b.is_ascii_digit()), "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_lines_match_labels_in_order() {
        assert_timing_lines("A: 0.123\nB c: 12.000\n", &["A", "B c"]);
    }

    #[test]
    #[should_panic(expected = "is not \"B: <seconds>\"")]
    fn a_wrong_label_is_named() {
        assert_timing_lines("A: 0.123\nC: 1.000\n", &["A", "B"]);
    }

    fn frame_server() -> StartServer {
        StartServer {
            command: "cargo run -p frame-server".to_owned(),
            local_server: true,
        }
    }

    #[test]
    fn the_way_out_after_the_cause() {
        let stderr = format!(
            "frame-client: error: cannot connect to 127.0.0.1:1 (1 attempt over 0.0 s): \
             refused; {}\n",
            frame_server().advice()
        );
        assert_names_the_way_out(&stderr, "refused", &frame_server());
    }

    #[test]
    #[should_panic(expected = "\"refused\" once in")]
    fn a_cause_said_twice_is_named() {
        let stderr = format!(
            "refused; is it running?: refused; {}",
            frame_server().advice()
        );
        assert_names_the_way_out(&stderr, "refused", &frame_server());
    }

    #[test]
    fn a_closed_port_refuses() {
        let closed = closed_port();
        for _ in 0..3 {
            let err = TcpStream::connect(closed.addr()).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        }
        // Nothing else can listen on the port while it is held.
        let taken = std::net::TcpListener::bind(closed.addr()).unwrap_err();
        assert_eq!(taken.kind(), io::ErrorKind::AddrInUse);
        assert_eq!(closed.refusal().kind(), io::ErrorKind::ConnectionRefused);
    }
}
