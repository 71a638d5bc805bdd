//! The recognition project's gateway–worker wire protocol: checksummed packets on one TCP
//! connection per image, byte-compatible with the course's Python `clientsocket.py` /
//! `serversocket.py`.
//!
//! A crate of its own, with small dependencies only, so that whoever speaks the protocol (the gateway and
//! the worker in `recognition-web`, the `labs` grader checking a student's worker) does
//! not also build a classifier and a web framework.
//!
//! # Packets
//!
//! A packet is one of
//!
//! - `A` — ACK, the single byte `0x41`;
//! - `N` — NACK, the single byte `0x4E`: "your last packet was damaged, send it again";
//! - `D <data> <checksum>` — data: `D`, a space, the data, a space, and the [`checksum`] of
//!   the data printed like Python's `"%05d"`, e.g. `D 12 -0100`.
//!
//! Nothing ends a packet (no newline, no length prefix), so a reader has to know what it
//! expects; see [`Connection`].
//!
//! # One exchange
//!
//! ```text
//! client (gateway)                         server (worker)
//!   D <n> <ck>          ──────────────▶     n = length of the base64 text of the image
//!                       ◀──────────────     A   (or N: the client sends the packet again)
//!   D <base64> <ck>     ──────────────▶     exactly n + 8 bytes
//!                       ◀──────────────     A   (or N, and the same again)
//!                                           classify
//!                       ◀──────────────     D label:p,label:p,label:p,label:p,label:p <ck>
//!   A                   ──────────────▶     (or N: the worker sends the result again)
//!   close                                   close
//! ```
//!
//! The course's programs read every packet with one `recv(1024)`, which works on a quiet LAN
//! and breaks as soon as TCP splits a packet. Here every read loops until the packet is
//! complete, and every exchange is bounded: the declared length, the bytes of each packet,
//! the time of the whole exchange ([`Limits::timeout`]), and the NACK rounds
//! ([`Limits::max_nacks`]).
//!
//! # Results
//!
//! A result is the top 5 as `label:probability` pairs joined by commas, most probable first
//! ([`encode_result`], [`parse_result`]). When the image cannot be classified because of the
//! image itself (not a picture, corrupt, too large), our worker answers `error: <reason>`
//! instead: an extension the course lacks, so the gateway can tell a client's bad upload
//! from a broken worker. No ImageNet label starts with `error: `.

#![warn(missing_docs)]

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The ACK packet.
pub const ACK: u8 = b'A';
/// The NACK packet.
pub const NACK: u8 = b'N';
/// The type byte of a data packet.
pub const DATA: u8 = b'D';
/// Characters of the printed checksum: a minus sign and 4 digits (`"%05d"` of -4096..=-1).
pub const CHECKSUM_WIDTH: usize = 5;
/// Bytes a data packet adds to its data: `D`, two spaces and the checksum.
pub const PACKET_OVERHEAD: usize = 3 + CHECKSUM_WIDTH;
/// Prefix of a result that reports a bad image instead of predictions.
pub const ERROR_PREFIX: &str = "error: ";

/// The checksum of `data`, in `-4096..=-1`.
///
/// Start at 0; add every byte and keep the low 12 bits (`& 0xFFF`); the checksum is the
/// bitwise NOT of that sum, i.e. `-(sum + 1)` (the course's Python: `~(s & 0xFFF)` after
/// summing the UTF-8 bytes). So the empty string gives -1 and one `A` (65) gives -66.
pub fn checksum(data: &[u8]) -> i32 {
    let sum = data
        .iter()
        .fold(0u32, |sum, &byte| (sum + u32::from(byte)) & 0xFFF);
    !(sum as i32)
}

/// `checksum` printed as the wire has it: Python's `"%05d"`, zero-padded after the sign to
/// 5 characters (`-0001`, `-0124`, `-4096`).
pub fn format_checksum(checksum: i32) -> String {
    format!("{checksum:05}")
}

/// The data packet `D <data> <checksum>` for `data`.
pub fn encode_data(data: &[u8]) -> Vec<u8> {
    let mut packet = Vec::with_capacity(data.len() + PACKET_OVERHEAD);
    packet.extend_from_slice(b"D ");
    packet.extend_from_slice(data);
    packet.push(b' ');
    packet.extend_from_slice(format_checksum(checksum(data)).as_bytes());
    packet
}

/// Why a received packet is not a valid data packet; the receiver answers it with a NACK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// Not shaped like `D <data> <5-character checksum>`.
    #[error("malformed packet: {0}")]
    Malformed(&'static str),
    /// Well-formed, but the checksum does not match the data (damaged in transit).
    #[error("checksum mismatch: the packet says {sent}, the data sums to {computed}")]
    Checksum {
        /// The checksum the packet carried.
        sent: i32,
        /// The checksum of the data received.
        computed: i32,
    },
}

/// Parses one complete data packet and returns its data.
///
/// Errors: [`PacketError`] when `packet` is not `D <data> <checksum>` or the checksum does
/// not match.
pub fn parse_data(packet: &[u8]) -> Result<&[u8], PacketError> {
    if packet.len() < PACKET_OVERHEAD {
        return Err(PacketError::Malformed("shorter than the 8-byte minimum"));
    }
    if !packet.starts_with(b"D ") {
        return Err(PacketError::Malformed("does not start with \"D \""));
    }
    let (rest, field) = packet.split_at(packet.len() - CHECKSUM_WIDTH);
    let Some((&b' ', data)) = rest[2..].split_last() else {
        return Err(PacketError::Malformed("no space before the checksum"));
    };
    let sent = std::str::from_utf8(field)
        .ok()
        .filter(|f| f.bytes().all(|b| b == b'-' || b.is_ascii_digit()))
        .and_then(|f| f.parse::<i32>().ok())
        .ok_or(PacketError::Malformed("the checksum is not a number"))?;
    let computed = checksum(data);
    if sent != computed {
        return Err(PacketError::Checksum { sent, computed });
    }
    Ok(data)
}

/// A bad packet: its data packet with the checksum off by one, for tests and fault drills.
pub fn corrupt(packet: &[u8]) -> Vec<u8> {
    let mut bad = packet.to_vec();
    if let Some(last) = bad.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    bad
}

/// Bounds on one exchange.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest accepted base64 text of an image, in bytes (the declared `n`).
    pub max_image_text: usize,
    /// Longest accepted data of the other packets (the size and the result), in bytes.
    pub max_small_data: usize,
    /// NACKs accepted for one packet before the exchange is given up.
    pub max_nacks: u32,
    /// Deadline for the whole exchange, from connecting (or accepting) to the final ACK.
    pub timeout: Duration,
    /// How long a packet that is complete in shape but fails its checksum may wait for more
    /// bytes before it is NACKed: the reader cannot otherwise tell a damaged packet from the
    /// first part of a longer one whose tail is still in flight.
    pub settle: Duration,
}

impl Default for Limits {
    /// Images up to 16 MiB of base64 (12 MiB of photo), 4 KiB for the other packets (a
    /// top-5 result is under 200 bytes), 3 NACKs per packet, 30 s per exchange, 200 ms
    /// settle time.
    fn default() -> Self {
        Self {
            max_image_text: 16 << 20,
            max_small_data: 4 << 10,
            max_nacks: 3,
            timeout: Duration::from_secs(30),
            settle: Duration::from_millis(200),
        }
    }
}

/// Why an exchange failed. Every variant means the connection is unusable; the gateway
/// counts it against the worker and tries another one.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// The peer closed the connection before the exchange was complete.
    #[error("the peer closed the connection ({0})")]
    Closed(&'static str),
    /// The exchange did not finish within [`Limits::timeout`].
    #[error("no answer within {:.1} s ({what})", timeout.as_secs_f64())]
    TimedOut {
        /// The packet being sent or awaited.
        what: &'static str,
        /// The exchange's deadline.
        timeout: Duration,
    },
    /// A packet or a declared length exceeds [`Limits`].
    #[error("{what} of {size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size in bytes (a lower bound for a packet still arriving).
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// More than [`Limits::max_nacks`] NACKs for one packet.
    #[error("gave up after {0} NACKs for the {1}")]
    TooManyNacks(u32, &'static str),
    /// The peer answered something the protocol does not allow at this point.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
    /// A socket error, e.g. connection refused or reset.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// One side of an exchange: the socket, the bytes read but not yet used, and the deadline.
pub struct Connection {
    stream: TcpStream,
    pending: Vec<u8>,
    limits: Limits,
    deadline: Instant,
    /// Bytes read so far, over the whole exchange.
    received: u64,
}

impl Connection {
    /// Wraps an accepted or connected `stream`; the exchange deadline starts now.
    pub fn new(stream: TcpStream, limits: Limits) -> io::Result<Self> {
        // Packets are small and strictly alternate: without NODELAY, Nagle's algorithm
        // would hold each short ACK back until the peer's delayed ACK (up to 40 ms).
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            pending: Vec::new(),
            deadline: Instant::now() + limits.timeout,
            limits,
            received: 0,
        })
    }

    /// Connects to `addr` within `connect_timeout` (never beyond `limits.timeout`).
    pub fn connect(
        addr: SocketAddr,
        connect_timeout: Duration,
        limits: Limits,
    ) -> Result<Self, ProtocolError> {
        let stream = TcpStream::connect_timeout(&addr, connect_timeout.min(limits.timeout))?;
        Ok(Self::new(stream, limits)?)
    }

    /// Bytes received on this connection so far. A peer that closes having sent none is a
    /// TCP-level health check (the gateway's) or a port scan, not a broken exchange.
    pub fn bytes_received(&self) -> u64 {
        self.received
    }

    /// The limits of this exchange.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sends one packet: raw bytes, e.g. `[ACK]` or an [`encode_data`] result.
    pub fn send(&mut self, packet: &[u8]) -> Result<(), ProtocolError> {
        let left = self.time_left("sending")?;
        self.stream.set_write_timeout(Some(left))?;
        self.stream.write_all(packet).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => ProtocolError::TimedOut {
                what: "sending",
                timeout: self.limits.timeout,
            },
            _ => e.into(),
        })
    }

    /// Reads a one-byte answer: `Ok(true)` for ACK, `Ok(false)` for NACK.
    ///
    /// Errors: anything else, EOF, or the deadline.
    pub fn read_ack(&mut self, what: &'static str) -> Result<bool, ProtocolError> {
        if self.pending.is_empty() {
            self.fill(what, None)?;
        }
        let byte = self.pending.remove(0);
        match byte {
            ACK => Ok(true),
            NACK => Ok(false),
            other => Err(ProtocolError::Unexpected(format!(
                "{:?} instead of an ACK or NACK for the {what}",
                char::from(other)
            ))),
        }
    }

    /// Reads one data packet of unknown length, whose data is at most
    /// [`Limits::max_small_data`] bytes.
    ///
    /// Returns `Ok(Err(_))` for a packet that arrived damaged (to be NACKed): a checksum
    /// mismatch or garbage, once no further byte came for [`Limits::settle`]. The packet is
    /// taken to be complete at the first point where the bytes parse with a matching
    /// checksum; no shorter prefix of the course's packets does that, since their data never
    /// holds a space followed by a 5-character number.
    pub fn read_small(
        &mut self,
        what: &'static str,
    ) -> Result<Result<Vec<u8>, PacketError>, ProtocolError> {
        let limit = self.limits.max_small_data + PACKET_OVERHEAD;
        loop {
            let verdict = parse_data(&self.pending).map(<[u8]>::to_vec);
            if let Ok(data) = verdict {
                self.pending.clear();
                return Ok(Ok(data));
            }
            if self.pending.len() > limit {
                return Err(ProtocolError::TooLarge {
                    what,
                    size: self.pending.len(),
                    limit,
                });
            }
            // Could more bytes still turn this into a valid packet? A `D ` prefix can; a
            // packet whose shape is complete might be a prefix too, so it gets the settle
            // time; garbage gets it as well, so that its tail is drained before the NACK.
            let may_grow = b"D ".starts_with(&self.pending)
                || (self.pending.starts_with(b"D ")
                    && !matches!(verdict, Err(PacketError::Checksum { .. })));
            let settle = (!may_grow).then_some(self.limits.settle);
            if !self.fill(what, settle)? {
                let error = verdict.expect_err("a valid packet returned above");
                self.pending.clear();
                return Ok(Err(error));
            }
        }
    }

    /// Reads one data packet whose data is exactly `len` bytes (the image, whose length the
    /// size packet declared): `len + 8` bytes.
    ///
    /// Returns `Ok(Err(_))` for a damaged packet (to be NACKed).
    pub fn read_exact(
        &mut self,
        len: usize,
        what: &'static str,
    ) -> Result<Result<Vec<u8>, PacketError>, ProtocolError> {
        let total = len + PACKET_OVERHEAD;
        while self.pending.len() < total {
            self.fill(what, None)?;
        }
        let rest = self.pending.split_off(total);
        let packet = std::mem::replace(&mut self.pending, rest);
        Ok(parse_data(&packet).map(<[u8]>::to_vec))
    }

    /// Reads more bytes into `pending`. With `settle`, gives up after that long without a
    /// byte and returns `Ok(false)`; otherwise waits up to the deadline.
    fn fill(
        &mut self,
        what: &'static str,
        settle: Option<Duration>,
    ) -> Result<bool, ProtocolError> {
        let left = self.time_left(what)?;
        let wait = settle.map_or(left, |s| s.min(left));
        self.stream.set_read_timeout(Some(wait))?;
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(ProtocolError::Closed(what)),
                Ok(n) => {
                    self.received += n as u64;
                    self.pending.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return if settle.is_some() && wait < left {
                        Ok(false)
                    } else {
                        Err(ProtocolError::TimedOut {
                            what,
                            timeout: self.limits.timeout,
                        })
                    };
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn time_left(&self, what: &'static str) -> Result<Duration, ProtocolError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(ProtocolError::TimedOut {
                what,
                timeout: self.limits.timeout,
            })
        } else {
            Ok(left)
        }
    }

    /// Sends `packet` until it is ACKed, resending on NACK up to [`Limits::max_nacks`] times.
    pub fn send_until_acked(
        &mut self,
        packet: &[u8],
        what: &'static str,
    ) -> Result<(), ProtocolError> {
        for _ in 0..=self.limits.max_nacks {
            self.send(packet)?;
            if self.read_ack(what)? {
                return Ok(());
            }
        }
        Err(ProtocolError::TooManyNacks(self.limits.max_nacks, what))
    }

    /// Receives a data packet with `read` (NACKing damaged ones, up to [`Limits::max_nacks`]
    /// times) and ACKs the good one.
    fn receive_acked(
        &mut self,
        what: &'static str,
        mut read: impl FnMut(&mut Self) -> Result<Result<Vec<u8>, PacketError>, ProtocolError>,
    ) -> Result<Vec<u8>, ProtocolError> {
        for round in 0..=self.limits.max_nacks {
            match read(self)? {
                Ok(data) => {
                    self.send(&[ACK])?;
                    return Ok(data);
                }
                Err(e) => {
                    log::debug!("NACK for the {what}: {e}");
                    if round < self.limits.max_nacks {
                        self.send(&[NACK])?;
                    }
                }
            }
        }
        Err(ProtocolError::TooManyNacks(self.limits.max_nacks, what))
    }
}

/// The client side of one exchange: sends the base64 text of an image, returns the result's
/// data (see [`parse_result`]). Used by the gateway for requests and health probes.
pub fn request(conn: &mut Connection, image_text: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let size = image_text.len().to_string();
    conn.send_until_acked(&encode_data(size.as_bytes()), "size packet")?;
    conn.send_until_acked(&encode_data(image_text), "image packet")?;
    conn.receive_acked("result packet", |conn| conn.read_small("result packet"))
}

/// The server side of one exchange, first half: receives the size and image packets and
/// returns the image's base64 text. Send the answer with [`respond`].
pub fn receive_image(conn: &mut Connection) -> Result<Vec<u8>, ProtocolError> {
    let size = conn.receive_acked("size packet", |conn| conn.read_small("size packet"))?;
    let len: usize = std::str::from_utf8(&size)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            ProtocolError::Unexpected(format!(
                "size packet {:?} is not a length",
                String::from_utf8_lossy(&size)
            ))
        })?;
    let limit = conn.limits.max_image_text;
    if len > limit {
        return Err(ProtocolError::TooLarge {
            what: "declared image",
            size: len,
            limit,
        });
    }
    conn.receive_acked("image packet", |conn| conn.read_exact(len, "image packet"))
}

/// The server side, second half: sends the result data until the client ACKs it.
pub fn respond(conn: &mut Connection, result: &[u8]) -> Result<(), ProtocolError> {
    conn.send_until_acked(&encode_data(result), "result packet")
}

/// One line of a result: a class and its probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// The class name, e.g. `lesser panda`.
    pub label: String,
    /// Softmax probability in [0, 1].
    pub probability: f64,
}

/// What a worker answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The top classes, most probable first.
    Labels(Vec<Label>),
    /// The worker could not use the image (the client's fault), with its reason.
    BadImage(String),
}

/// Result data for `labels`: `label:p,label:p,...` with `p` printed with 6 decimals.
pub fn encode_result(labels: &[Label]) -> String {
    let items: Vec<String> = labels
        .iter()
        .map(|l| format!("{}:{:.6}", l.label.replace([',', ':'], " "), l.probability))
        .collect();
    items.join(",")
}

/// Result data reporting a bad image: `error: <reason>` on one line.
pub fn encode_error(reason: &str) -> String {
    format!("{ERROR_PREFIX}{}", reason.replace(['\r', '\n'], " "))
}

/// A result that does not parse; the gateway counts it against the worker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed result {0:?}")]
pub struct BadResult(pub String);

/// Parses result data: `label:p` pairs separated by commas, each `p` in [0, 1], or an
/// `error: ` report.
///
/// Errors: [`BadResult`] for anything else, including an empty result.
pub fn parse_result(data: &[u8]) -> Result<Answer, BadResult> {
    let bad = || BadResult(String::from_utf8_lossy(data).chars().take(200).collect());
    let text = std::str::from_utf8(data).map_err(|_| bad())?;
    if let Some(reason) = text.strip_prefix(ERROR_PREFIX) {
        return Ok(Answer::BadImage(reason.to_owned()));
    }
    let labels = text
        .split(',')
        .map(|item| {
            let (label, p) = item.rsplit_once(':')?;
            let probability: f64 = p.trim().parse().ok()?;
            let label = label.trim();
            ((0.0..=1.0).contains(&probability) && !label.is_empty()).then(|| Label {
                label: label.to_owned(),
                probability,
            })
        })
        .collect::<Option<Vec<Label>>>()
        .ok_or_else(bad)?;
    Ok(Answer::Labels(labels))
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:.1}%)", self.label, self.probability * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_the_python_formula() {
        // Python: ~(sum(data.encode()) & 0xFFF) after masking every step, then "%05d".
        assert_eq!(format_checksum(checksum(b"")), "-0001");
        assert_eq!(format_checksum(checksum(b"A")), "-0066");
        assert_eq!(format_checksum(checksum(b"123")), "-0151");
        // 0xFFF reached exactly gives the smallest value.
        assert_eq!(format_checksum(checksum(&[0xFF; 15][..])), "-3826");
        // Past 0xFFF the sum wraps: 17 * 255 = 4335, and 4335 & 0xFFF = 239.
        assert_eq!(format_checksum(checksum(&[0xFF; 17][..])), "-0240");
    }

    #[test]
    fn packets_round_trip() {
        let packet = encode_data(b"hello world");
        assert_eq!(parse_data(&packet).unwrap(), b"hello world");
        assert!(matches!(
            parse_data(&corrupt(&packet)),
            Err(PacketError::Checksum { .. })
        ));
        assert_eq!(parse_data(b"D  -0001").unwrap(), b"");
        assert!(parse_data(b"X 1 -0050").is_err());
        assert!(parse_data(b"D 1 -00a0").is_err());
    }

    #[test]
    fn results_round_trip() {
        let labels = vec![
            Label {
                label: "lesser panda".into(),
                probability: 0.99,
            },
            Label {
                label: "giant panda".into(),
                probability: 0.01,
            },
        ];
        let text = encode_result(&labels);
        assert_eq!(text, "lesser panda:0.990000,giant panda:0.010000");
        assert_eq!(parse_result(text.as_bytes()), Ok(Answer::Labels(labels)));
        assert_eq!(
            parse_result(encode_error("not an\nimage").as_bytes()),
            Ok(Answer::BadImage("not an image".into()))
        );
        assert!(parse_result(b"").is_err());
        assert!(parse_result(b"cat:1.5").is_err());
        assert!(parse_result(b"cat").is_err());
    }
}
