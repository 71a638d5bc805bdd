//! Running a lab's server in-process on an ephemeral loopback port: for `--local-server`
//! (the whole lab in one command) and for tests.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;

use crate::net::{DEFAULT_BACKLOG, bind_listener};
use crate::server::ServerConfig;
use crate::shutdown::Shutdown;

/// A server running on its own thread on `127.0.0.1:<ephemeral port>`; dropping it
/// triggers its shutdown and waits for `run` to return.
pub struct LocalServer {
    addr: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl LocalServer {
    /// Binds `127.0.0.1:0` and calls `run(listener, shutdown, ServerConfig::default())` on a
    /// new thread named `local-server`. `run` is the entry point the server's binary uses,
    /// e.g. `frame_server::run`, so the in-process server is the real one.
    ///
    /// Errors: binding the listener or starting the thread failed.
    pub fn start<F>(run: F) -> io::Result<Self>
    where
        F: FnOnce(TcpListener, Shutdown, ServerConfig) -> io::Result<()> + Send + 'static,
    {
        Self::start_with(run, ServerConfig::default())
    }

    /// [`start`](Self::start) with the bounds `config` instead of the defaults.
    pub fn start_with<F>(run: F, config: ServerConfig) -> io::Result<Self>
    where
        F: FnOnce(TcpListener, Shutdown, ServerConfig) -> io::Result<()> + Send + 'static,
    {
        let listener = bind_listener(SocketAddr::from(([127, 0, 0, 1], 0)), DEFAULT_BACKLOG)?;
        let addr = listener.local_addr()?;
        let shutdown = Shutdown::new()?;
        let thread = {
            let shutdown = shutdown.clone();
            std::thread::Builder::new()
                .name("local-server".into())
                .spawn(move || run(listener, shutdown, config))?
        };
        Ok(Self {
            addr,
            shutdown,
            thread: Some(thread),
        })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Triggers shutdown and returns what `run` returned.
    pub fn stop(mut self) -> io::Result<()> {
        self.shutdown.trigger();
        let thread = self.thread.take().expect("joined only once");
        thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the local server panicked")))
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
