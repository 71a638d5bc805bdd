//! Shared building blocks of the netlabs labs.
//!
//! Each lab teaches one concurrency model; what they all need besides lives here once:
//!
//! - [`cli`]: the options and `main` body every lab server shares, and the clients' options;
//! - [`client`]: the shape both lab clients share (server, mode, interruption);
//! - [`fs`]: writing a file whole or not at all, with ordinary permissions;
//! - [`html`]: escaping text for the HTML pages the labs serve or write;
//! - [`logging`]: the course's log format through the `log` facade;
//! - [`net`]: listeners with `SO_REUSEADDR` and a backlog, connecting with retry, reading one
//!   bounded message;
//! - [`queue`]: a work queue between processes (a `SOCK_SEQPACKET` socket pair), which can
//!   carry a file descriptor with each message;
//! - [`shutdown`]: Ctrl-C / SIGTERM as a signal blocking servers can wait on;
//! - [`server`]: the thread-per-connection accept loop with a thread cap;
//! - [`download`]: the client loop, sequential or on N threads, into files;
//! - [`local`]: a lab server on an ephemeral loopback port, for one-command runs and tests;
//! - [`report`]: progress bars, the handouts' timing lines, and how a client ends (with the
//!   way out when its server is not there).
//!
//! The course's log format and how to change its level: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod cli;
pub mod client;
pub mod download;
pub mod fs;
pub mod html;
pub mod local;
pub mod logging;
pub mod net;
pub mod queue;
pub mod report;
pub mod server;
pub mod shutdown;
