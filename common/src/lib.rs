//! Shared building blocks of the netlabs labs.
//!
//! Each lab teaches one concurrency model; what they all need besides lives here once:
//!
//! - [`cli`]: the options and `main` body every lab server shares;
//! - [`logging`]: the course's log format through the `log` facade;
//! - [`net`]: listeners with `SO_REUSEADDR` and a backlog, connecting with retry, reading one
//!   bounded message;
//! - [`shutdown`]: Ctrl-C / SIGTERM as a signal blocking servers can wait on;
//! - [`server`]: the thread-per-connection accept loop with a thread cap;
//! - [`download`]: the client loop, sequential or on N threads;
//! - [`local`]: a lab server on an ephemeral loopback port, for one-command runs and tests;
//! - [`report`]: progress bars and the handouts' timing lines.

#![warn(missing_docs)]

pub mod cli;
pub mod download;
pub mod local;
pub mod logging;
pub mod net;
pub mod report;
pub mod server;
pub mod shutdown;
