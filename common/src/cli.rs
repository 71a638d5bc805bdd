//! What every lab server's `main` does besides its lab: the common command-line options,
//! binding, Ctrl-C, logging, exit status.

use std::io;
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use crate::net::{DEFAULT_BACKLOG, bind_listener, resolve};
use crate::server::ServerConfig;
use crate::shutdown::Shutdown;

/// Options shared by the thread-per-connection servers; `#[command(flatten)]` them into a
/// server's own arguments, next to its `--port` (whose default differs per lab).
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
    /// Most clients served at once (live handler threads); others wait in the backlog.
    #[arg(long, default_value_t = ServerConfig::default().max_connections)]
    pub max_connections: usize,
    /// Kernel queue of connections waiting to be accepted.
    #[arg(long, default_value_t = DEFAULT_BACKLOG)]
    pub backlog: i32,
    /// Seconds a blocked write to, or read from, a client may take before it is dropped.
    #[arg(long, default_value_t = 10)]
    pub socket_timeout: u64,
}

impl ServerArgs {
    /// The server bounds these options describe.
    pub fn config(&self) -> ServerConfig {
        let timeout = Duration::from_secs(self.socket_timeout);
        ServerConfig {
            max_connections: self.max_connections,
            write_timeout: timeout,
            read_timeout: timeout,
        }
    }
}

/// The body of a server's `main`: logs in the course format at INFO, binds `host:port`,
/// installs the Ctrl-C / SIGTERM shutdown and calls `run(listener, shutdown, config)`.
///
/// Returns success when `run` returns after a shutdown; otherwise logs the error (e.g.
/// "cannot listen on 0.0.0.0:1234: Address already in use") and returns failure.
pub fn serve_main<R>(args: &ServerArgs, port: u16, run: R) -> ExitCode
where
    R: FnOnce(TcpListener, Shutdown, ServerConfig) -> io::Result<()>,
{
    crate::logging::init(log::LevelFilter::Info);
    let serve = || -> anyhow::Result<()> {
        let addr = resolve(&args.host, port)
            .with_context(|| format!("cannot resolve {}:{port}", args.host))?;
        let listener = bind_listener(addr, args.backlog)
            .with_context(|| format!("cannot listen on {addr}"))?;
        let shutdown = Shutdown::on_signals()?;
        run(listener, shutdown, args.config())?;
        Ok(())
    };
    match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}
