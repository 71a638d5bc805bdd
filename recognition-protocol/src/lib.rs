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
//!
//! # Where each part lives
//!
//! One file per concern, every item re-exported here at the crate's root:
//!
//! - `packet.rs`: the three packets, the [`checksum`], building and parsing a data packet;
//! - `connection.rs`: [`Connection`] within its [`Limits`], reading each packet whole however
//!   TCP splits it, and the ACK and NACK rounds;
//! - `exchange.rs`: both sides of one exchange, the gateway's [`request`], the worker's
//!   [`receive_image`] and [`respond`];
//! - `result.rs`: the result data ([`encode_result`], [`parse_result`], [`Answer`]).
//!
//! Imports run from `exchange` to `connection` to `packet`; `result` stands alone.
//!
//! The protocol in prose and the bounds on every read: `README.md` in this crate's folder.

#![warn(missing_docs)]

mod connection;
mod exchange;
mod packet;
mod result;

pub use connection::{Connection, Limits, ProtocolError};
pub use exchange::{receive_image, request, respond};
pub use packet::{
    ACK, CHECKSUM_WIDTH, DATA, NACK, PACKET_OVERHEAD, PacketError, checksum, corrupt, encode_data,
    format_checksum, parse_data,
};
pub use result::{
    Answer, BadResult, ERROR_PREFIX, Label, encode_error, encode_result, parse_result,
};
