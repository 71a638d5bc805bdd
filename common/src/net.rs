//! Sockets: binding listeners, connecting with a bounded retry, and reading one whole
//! message with a size limit and a deadline.

use std::fmt;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

/// Backlog used when a server is not told otherwise: the kernel queue of connections that
/// completed the TCP handshake but were not yet `accept()`ed. Linux silently caps it at
/// `net.core.somaxconn` (4096 on current kernels). Python's `listen()` default is only 128;
/// a larger queue lets 5000 back-to-back clients wait instead of being dropped.
pub const DEFAULT_BACKLOG: i32 = 1024;

/// Binds a TCP listener on `addr` with `SO_REUSEADDR` and the given `backlog`.
///
/// `SO_REUSEADDR` lets a restarted server bind the same port at once although connections
/// of the previous run are still in `TIME_WAIT` (the course's Python servers set it too).
/// Errors: the OS's, e.g. `AddrInUse` when a live server holds the port.
pub fn bind_listener(addr: SocketAddr, backlog: i32) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(socket.into())
}

/// Resolves `host:port` (a name such as `localhost` or an IP literal) to its first address.
pub fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{host}: no address found")))
}

/// Resolves a `host:port` string (`127.0.0.1:1234`, `localhost:1234`, `[::1]:1234`) to its
/// first address, as the clients' `--server` options take it.
///
/// Errors: `InvalidInput` naming the string when it is not `host:port` or the host has no
/// address.
pub fn resolve_addr(spec: &str) -> io::Result<SocketAddr> {
    let invalid = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("server address {spec:?}: {why}"),
        )
    };
    spec.to_socket_addrs()
        .map_err(|e| invalid(format!("{e} (expected host:port)")))?
        .next()
        .ok_or_else(|| invalid("no address found".to_owned()))
}

/// How often and how patiently to retry a connection that fails.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Connection attempts in all, at least 1.
    pub attempts: u32,
    /// Wait after the first failure; doubled after each further one.
    pub first_delay: Duration,
    /// Bound on one attempt's TCP handshake.
    pub connect_timeout: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts waiting 50, 100, 200 and 400 ms in between: a server that is still
    /// starting gets under a second, a server that is not there fails fast.
    fn default() -> Self {
        Self {
            attempts: 5,
            first_delay: Duration::from_millis(50),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// A connection that failed on every attempt of a [`RetryPolicy`]: `cannot connect to
/// 127.0.0.1:1234 (5 attempts over 0.8 s)`, caused by the last attempt's error.
///
/// The message leaves the cause to [`source`](std::error::Error::source), so that a cause
/// chain printed whole (anyhow's `{:#}`) names it once: `...: Connection refused (os error
/// 111)`. What to do about it is the program's to say (it knows which server it wanted):
/// see [`crate::report::StartServer`].
#[derive(Debug, thiserror::Error)]
#[error("cannot connect to {addr} ({} over {:.1} s)", attempts_phrase(*attempts), elapsed.as_secs_f64())]
pub struct ConnectError {
    /// The address tried.
    pub addr: SocketAddr,
    /// Attempts made.
    pub attempts: u32,
    /// Time from the first attempt to giving up.
    pub elapsed: Duration,
    /// The last attempt's error, e.g. `ConnectionRefused`.
    #[source]
    pub source: io::Error,
}

/// A request sent as a datagram (UDP) that got no answer on any attempt: `no answer from
/// 127.0.0.1:10001 after 3 attempts over 3.0 s`.
///
/// Unlike a TCP connection, which a host without the server refuses at once, a datagram to
/// a port nobody listens on is dropped; the client hears nothing and cannot tell a missing
/// server from a lost datagram. Sometimes the host says so (an ICMP "port unreachable",
/// which a connected socket reports as `ConnectionRefused`): then that is the
/// [`source`](std::error::Error::source), printed once after the message like
/// [`ConnectError`]'s.
#[derive(Debug, thiserror::Error)]
#[error("no answer from {server} after {} over {:.1} s", attempts_phrase(*attempts), (*timeout * *attempts).as_secs_f64())]
pub struct NoAnswer {
    /// The server asked.
    pub server: SocketAddr,
    /// Requests sent.
    pub attempts: u32,
    /// How long each request waited for its answer.
    pub timeout: Duration,
    /// The host's "port unreachable", if it said so for any attempt.
    #[source]
    pub refused: Option<io::Error>,
}

/// `1 attempt`, `3 attempts`.
fn attempts_phrase(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    }
}

/// Connects to `addr`, giving up after `timeout` (reported as `ErrorKind::TimedOut`).
///
/// On Linux this is one blocking `connect(2)` bounded by the socket's send timeout
/// (`SO_SNDTIMEO`, which Linux applies to connect too), left in place afterwards so writes
/// are bounded alike. std's `TcpStream::connect_timeout` instead connects non-blocking and
/// waits in `poll(2)`, then switches the socket back: three more system calls per
/// connection, which on loopback (where the handshake completes inside `connect`) buy
/// nothing. Elsewhere it is `connect_timeout`.
pub fn connect(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    #[cfg(target_os = "linux")]
    {
        // socket2 opens the socket with SOCK_CLOEXEC in the same call.
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        socket.set_write_timeout(Some(timeout))?;
        match socket.connect(&addr.into()) {
            Ok(()) => Ok(socket.into()),
            // A blocking connect that times out reports "in progress" (or EAGAIN).
            Err(e)
                if e.raw_os_error() == Some(nix::libc::EINPROGRESS)
                    || e.kind() == io::ErrorKind::WouldBlock =>
            {
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("connection timed out after {:.1} s", timeout.as_secs_f64()),
                ))
            }
            Err(e) => Err(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    TcpStream::connect_timeout(&addr, timeout)
}

/// Connects to `addr` with [`connect`], retrying per `policy` on any error (refused, timed
/// out, reset).
pub fn connect_with_retry(
    addr: SocketAddr,
    policy: RetryPolicy,
) -> Result<TcpStream, ConnectError> {
    let started = Instant::now();
    let mut delay = policy.first_delay;
    let mut attempt = 1;
    loop {
        match connect(addr, policy.connect_timeout) {
            Ok(stream) => return Ok(stream),
            Err(source) if attempt >= policy.attempts.max(1) => {
                return Err(ConnectError {
                    addr,
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    source,
                });
            }
            Err(_) => {
                std::thread::sleep(delay);
                delay *= 2;
                attempt += 1;
            }
        }
    }
}

/// Where a message ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until<'a> {
    /// At end of stream: the peer closed (or shut down) its sending side. The frames and
    /// numbers labs frame a message this way: no length prefix, no delimiter.
    Eof,
    /// At the first occurrence of this delimiter, which is not part of the returned message
    /// (the inference lab's `[END]`). Bytes after it are discarded.
    Delimiter(&'a [u8]),
}

/// Bounds on one message, so a huge or slow peer cannot exhaust memory or hold a thread.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Most bytes accepted, delimiter included.
    pub max_bytes: usize,
    /// Deadline for the whole message, counted from the call, not per `read`.
    pub timeout: Duration,
}

/// Why [`read_message_into`] gave up; each cause is its own variant so callers can answer it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The peer sent more than `limit` bytes.
    #[error("message larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The message was not complete within `timeout`.
    #[error("no complete message within {:.1} s ({received} bytes received)", timeout.as_secs_f64())]
    TimedOut {
        /// The deadline that passed.
        timeout: Duration,
        /// Bytes received before it.
        received: usize,
    },
    /// The peer closed before sending the delimiter.
    #[error("connection closed after {received} bytes, before the end marker {marker:?}")]
    ClosedEarly {
        /// Bytes received.
        received: usize,
        /// The delimiter that never came, lossily decoded.
        marker: String,
    },
    /// Any other socket error, e.g. a reset.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads one message from `stream` until `until`, within `limits`: [`read_message_into`]
/// into a buffer of its own, for a caller that keeps the message.
pub fn read_message(
    stream: &TcpStream,
    until: Until<'_>,
    limits: ReadLimits,
) -> Result<Vec<u8>, ReadError> {
    let mut buffer = RecvBuffer::default();
    read_message_into(stream, until, limits, &mut buffer)?;
    Ok(buffer.into_message())
}

/// Storage for messages read one after another by one thread: it keeps its memory from
/// message to message, so once it has grown to the largest message, reading one costs no
/// allocation, page fault or zero-filling. (A 2.6 MB list read into a fresh `Vec` costs
/// about 640 page faults and as many bytes zeroed as received.)
#[derive(Debug, Default)]
pub struct RecvBuffer {
    /// Initialised storage; its first `len` bytes are the message.
    storage: Vec<u8>,
    len: usize,
}

impl RecvBuffer {
    /// The message last read, or what was received of it before an error.
    pub fn message(&self) -> &[u8] {
        &self.storage[..self.len]
    }

    /// The message as a `Vec` of its own length.
    pub fn into_message(mut self) -> Vec<u8> {
        self.storage.truncate(self.len);
        self.storage
    }
}

/// Reads one message from `stream` until `until`, within `limits`, into `buffer` (replacing
/// what it held) and returns it.
///
/// Changes the socket's read timeout: it is how the deadline is enforced. The timeout is
/// set before the first read and set again only once more than 1/16 of `limits.timeout`
/// has passed since, so a short message costs one `setsockopt` rather than one per read;
/// a message is therefore given up at most `limits.timeout / 16` after its deadline.
pub fn read_message_into<'b>(
    stream: &TcpStream,
    until: Until<'_>,
    limits: ReadLimits,
    buffer: &'b mut RecvBuffer,
) -> Result<&'b [u8], ReadError> {
    let deadline = Instant::now() + limits.timeout;
    let rearm_after = limits.timeout / 16;
    let mut armed_at: Option<Instant> = None;
    buffer.len = 0;
    let timed_out = |received| ReadError::TimedOut {
        timeout: limits.timeout,
        received,
    };
    loop {
        let now = Instant::now();
        let left = deadline.saturating_duration_since(now);
        if left.is_zero() {
            return Err(timed_out(buffer.len));
        }
        if armed_at.is_none_or(|at| now - at > rearm_after) {
            stream.set_read_timeout(Some(left))?;
            armed_at = Some(now);
        }
        // Read straight into the storage, grown in steps that grow with the message: a
        // 400-byte frame takes one small step, a 2.6 MB list of numbers a few dozen reads.
        let received = buffer.len;
        if received == buffer.storage.len() {
            let step = received.clamp(8 * 1024, 1024 * 1024);
            buffer.storage.resize(received + step, 0);
        }
        let n = match (&*stream).read(&mut buffer.storage[received..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => return Err(timed_out(received)),
            Err(e) => return Err(e.into()),
        };
        buffer.len += n;
        if n == 0 {
            return match until {
                Until::Eof => Ok(buffer.message()),
                Until::Delimiter(marker) => Err(ReadError::ClosedEarly {
                    received,
                    marker: String::from_utf8_lossy(marker).into_owned(),
                }),
            };
        }
        if let Until::Delimiter(marker) = until {
            // Only the new bytes, plus a marker's length of overlap, can hold a new match.
            let from = received.saturating_sub(marker.len() - 1);
            if let Some(at) = find(&buffer.storage[from..buffer.len], marker) {
                buffer.len = from + at;
                return Ok(buffer.message());
            }
        }
        if buffer.len > limits.max_bytes {
            return Err(ReadError::TooLarge {
                limit: limits.max_bytes,
            });
        }
    }
}

/// Whether `e` is a socket read or write that ran out its `SO_RCVTIMEO`/`SO_SNDTIMEO`:
/// Linux reports that as `EAGAIN` ([`io::ErrorKind::WouldBlock`]) on a blocking socket,
/// other systems as [`io::ErrorKind::TimedOut`].
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Shows a peer address as a Python `(host, port)` tuple, as the course's servers print it.
///
/// `quoted: false` gives `(127.0.0.1, 50125)` (the frames handout); `quoted: true` gives
/// `('127.0.0.1', 48168)`, Python's own `repr` of `addr` (the numbers handout).
pub struct PyAddr<'a> {
    /// The host part: an IP address or a name.
    pub host: &'a dyn fmt::Display,
    /// The port.
    pub port: u16,
    /// Whether to quote the host like Python's `repr` of a string.
    pub quoted: bool,
}

impl fmt::Display for PyAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "('{}', {})", self.host, self.port)
        } else {
            write!(f, "({}, {})", self.host, self.port)
        }
    }
}

/// [`PyAddr`] of a socket address.
pub fn py_addr(addr: &SocketAddr, quoted: bool) -> String {
    PyAddr {
        host: &addr.ip(),
        port: addr.port(),
        quoted,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::Shutdown as Half;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = bind_listener("127.0.0.1:0".parse().unwrap(), 8).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    const LIMITS: ReadLimits = ReadLimits {
        max_bytes: 1024,
        timeout: Duration::from_secs(5),
    };

    #[test]
    fn reads_until_eof() {
        let (mut client, server) = pair();
        client.write_all(b"hello, ").unwrap();
        client.write_all(b"world").unwrap();
        client.shutdown(Half::Write).unwrap();
        assert_eq!(
            read_message(&server, Until::Eof, LIMITS).unwrap(),
            b"hello, world"
        );
    }

    #[test]
    fn reads_until_a_delimiter_split_across_writes() {
        let (mut client, server) = pair();
        client.write_all(b"http://x/a.jpg[EN").unwrap();
        client.flush().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        client.write_all(b"D]ignored").unwrap();
        let got = read_message(&server, Until::Delimiter(b"[END]"), LIMITS).unwrap();
        assert_eq!(got, b"http://x/a.jpg");
    }

    #[test]
    fn each_failure_has_its_own_error() {
        let (mut client, server) = pair();
        client.write_all(&[b'x'; 2000]).unwrap();
        let err = read_message(&server, Until::Eof, LIMITS).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit: 1024 }), "{err}");

        let (_idle, server) = pair();
        let quick = ReadLimits {
            timeout: Duration::from_millis(50),
            ..LIMITS
        };
        let err = read_message(&server, Until::Eof, quick).unwrap_err();
        assert!(
            matches!(err, ReadError::TimedOut { received: 0, .. }),
            "{err}"
        );

        let (mut client, server) = pair();
        client.write_all(b"no marker").unwrap();
        drop(client);
        let err = read_message(&server, Until::Delimiter(b"[END]"), LIMITS).unwrap_err();
        assert!(
            matches!(err, ReadError::ClosedEarly { received: 9, .. }),
            "{err}"
        );
    }

    #[test]
    fn retry_gives_up_with_a_clear_error() {
        let closed = testkit::closed_port();
        let addr = closed.addr();
        let policy = RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(1),
            connect_timeout: Duration::from_secs(1),
        };
        let err = connect_with_retry(addr, policy).unwrap_err();
        assert_eq!(err.attempts, 3);
        assert_eq!(err.source.kind(), io::ErrorKind::ConnectionRefused);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("cannot connect to {addr} (3 attempts over ")),
            "{message}"
        );
        // The cause is the source's to print, so a whole chain names it once.
        let chain = format!("{:#}", anyhow::Error::new(err));
        let cause = closed.refusal().to_string();
        assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
        assert!(chain.ends_with(&format!("): {cause}")), "{chain}");
    }

    #[test]
    fn no_answer_names_the_wait_and_a_refusal_once() {
        let silent = NoAnswer {
            server: "127.0.0.1:10001".parse().unwrap(),
            attempts: 1,
            timeout: Duration::from_millis(1500),
            refused: None,
        };
        assert_eq!(
            format!("{:#}", anyhow::Error::new(silent)),
            "no answer from 127.0.0.1:10001 after 1 attempt over 1.5 s"
        );
        let refused = NoAnswer {
            server: "127.0.0.1:10001".parse().unwrap(),
            attempts: 3,
            timeout: Duration::from_secs(1),
            refused: Some(io::ErrorKind::ConnectionRefused.into()),
        };
        assert_eq!(
            format!("{:#}", anyhow::Error::new(refused)),
            "no answer from 127.0.0.1:10001 after 3 attempts over 3.0 s: connection refused"
        );
    }

    #[test]
    fn rebinding_a_port_with_time_wait_connections_works() {
        let listener = bind_listener("127.0.0.1:0".parse().unwrap(), 8).unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).unwrap();
        let (server_side, _) = listener.accept().unwrap();
        drop(server_side); // the server closes first, so its side enters TIME_WAIT
        drop(client);
        drop(listener);
        bind_listener(addr, 8).expect("SO_REUSEADDR rebinds at once");
    }

    #[test]
    fn host_port_strings() {
        assert_eq!(
            resolve_addr("127.0.0.1:1234").unwrap(),
            "127.0.0.1:1234".parse().unwrap()
        );
        assert_eq!(
            resolve_addr("[::1]:80").unwrap(),
            "[::1]:80".parse().unwrap()
        );
        assert!(resolve_addr("localhost:1234").unwrap().ip().is_loopback());
        let err = resolve_addr("no-port").unwrap_err();
        assert!(err.to_string().contains("\"no-port\""), "{err}");
    }

    #[test]
    fn python_tuples() {
        let addr: SocketAddr = "127.0.0.1:50125".parse().unwrap();
        assert_eq!(py_addr(&addr, false), "(127.0.0.1, 50125)");
        assert_eq!(py_addr(&addr, true), "('127.0.0.1', 50125)");
    }
}
