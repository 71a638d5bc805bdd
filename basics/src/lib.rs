//! The small programs of the course's slides "Client-server architecture model: with sockets
//! and multiprocessing", each a binary under `src/bin/` over this library:
//!
//! - [`udp`]: a UDP hello server and client (`udp-hello-server`, `udp-hello-client`);
//! - [`salute`]: a child process that names its parent and itself (`salute`);
//! - [`pid`]: a UDP server whose answers come from other processes, a new one per request
//!   or a fixed pool, and a client that runs as several processes (`pid-server`,
//!   `pid-client`);
//! - [`square`]: an asynchronous TCP server on one tokio thread that squares numbers, and a
//!   client that sends many at once (`square-server`, `square-client`);
//! - [`datagram`]: what both UDP servers and clients share: receiving with a shutdown, and
//!   asking with a timeout and retries;
//! - [`console`]: the slides' lines on stdout, one whole line per write.
//!
//! Every program prints on stdout the lines the slides' Python prints, and logs anything
//! more (addresses, processes started, retries, errors) on stderr in the course's format.
//!
//! How to run each program, the lines it prints and its wire format, the tests and the
//! figures: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod console;
pub mod datagram;
pub mod pid;
pub mod salute;
pub mod square;
pub mod udp;
