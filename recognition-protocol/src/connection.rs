//! One side of an exchange on one TCP connection ([`Connection`]): reading packets whole
//! however TCP splits them, within [`Limits`], and the ACK and NACK rounds.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::packet::{ACK, NACK, PACKET_OVERHEAD, PacketError, parse_data};

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

    /// Sends one packet: raw bytes, e.g. `[ACK]` or an
    /// [`encode_data`](crate::encode_data) result.
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
    pub(crate) fn receive_acked(
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
