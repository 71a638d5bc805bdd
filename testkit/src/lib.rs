//! Test-only helpers shared by the labs' test suites. Every crate takes this as a
//! dev-dependency, so nothing here is part of a lab's production API.
//!
//! - [`data`]: the committed test photos and golden tensors under `testdata/`;
//! - [`python`]: running course-style Python programs, to prove wire compatibility;
//! - [`serving`]: a scripted thread-per-connection test server in a line.

#![warn(missing_docs)]

pub mod data;
pub mod python;

use std::io;
use std::net::{SocketAddr, TcpStream};

use common::local::LocalServer;
use common::server::{ServerConfig, serve};

/// A thread-per-connection server ([`serve`] with default bounds) on an ephemeral loopback
/// port, calling `handler(stream, peer)` per client: a test server, e.g. one that
/// misbehaves, in a line. Dropping the returned [`LocalServer`] stops it.
pub fn serving<H>(handler: H) -> io::Result<LocalServer>
where
    H: Fn(TcpStream, SocketAddr) -> anyhow::Result<()> + Send + Sync + 'static,
{
    LocalServer::start(move |listener, shutdown| {
        serve(listener, &shutdown, ServerConfig::default(), handler)
    })
}
