//! The shape both lab clients share: where the data comes from ([`Server`]), how the two
//! phases run ([`Mode`]) and opening the source for the download phase ([`Source`]). An
//! interrupted run reports [`Interrupted`](crate::shutdown::Interrupted).
//!
//! The frames and numbers labs are the same program twice: download N whole messages from a
//! thread-per-connection server into a folder, then process the files, each phase timed,
//! sequential or optimized. Only the messages and the second phase differ.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::num::NonZeroUsize;

use anyhow::Context as _;

use crate::download::Strategy;
use crate::local::LocalServer;
use crate::server::ServerConfig;
use crate::shutdown::Shutdown;

/// Download threads of an optimized run unless told otherwise: 8. Downloads wait on the
/// network more than on the CPU, so a few more threads than this machine's 2 cores keep the
/// loopback busy; the benchmarks (`cargo bench -p benches`) compare 4, 8 and 16.
pub const DEFAULT_DOWNLOAD_THREADS: NonZeroUsize = NonZeroUsize::new(8).unwrap();

/// Where a client downloads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// A running server, e.g. `127.0.0.1:1234`.
    Remote(SocketAddr),
    /// The lab's server started in this process on an ephemeral loopback port and stopped
    /// after the download phase: the whole lab in one command.
    Local,
}

/// How a client runs its two phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The handouts' baseline: one download after another, then one file after another.
    Sequential,
    /// Downloads on `download_threads` std threads, then the second phase as fast as the
    /// lab's client measured it: the numbers client sorts its files in parallel on a rayon
    /// pool with one worker per core (that phase is CPU-bound); the frames client builds its
    /// GIF sequentially, which measured as fast.
    Optimized {
        /// Std threads for the download phase.
        download_threads: NonZeroUsize,
    },
}

impl Mode {
    /// The download phase's strategy in this mode.
    pub fn strategy(self) -> Strategy {
        match self {
            Mode::Sequential => Strategy::Sequential,
            Mode::Optimized { download_threads } => Strategy::Threads(download_threads),
        }
    }

    /// Whether this is [`Mode::Optimized`].
    pub fn is_optimized(self) -> bool {
        matches!(self, Mode::Optimized { .. })
    }
}

/// A server's testable entry point, the one its binary runs: `frame_server::run` and
/// `numbers_server::run` have this type.
pub type ServerMain = fn(TcpListener, Shutdown, ServerConfig) -> io::Result<()>;

/// The server of one run, ready for the download phase: a remote address, or an in-process
/// server that stops when this is closed or dropped.
pub struct Source {
    addr: SocketAddr,
    /// Held only to keep the local server alive.
    _local: Option<LocalServer>,
}

impl Source {
    /// Resolves `server`: a remote address is used as it is; [`Server::Local`] starts
    /// `local_main` (the lab's server) on an ephemeral loopback port.
    ///
    /// Errors: the local server cannot bind or start its thread.
    pub fn open(server: Server, local_main: ServerMain) -> anyhow::Result<Self> {
        match server {
            Server::Remote(addr) => Ok(Self { addr, _local: None }),
            Server::Local => {
                let local =
                    LocalServer::start(local_main).context("cannot start the local server")?;
                Ok(Self {
                    addr: local.addr(),
                    _local: Some(local),
                })
            }
        }
    }

    /// The address to download from.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Ends the download phase: stops a local server (after its in-flight connections), so
    /// the second phase has the CPU to itself. A remote server is left alone.
    pub fn close(self) {}
}
