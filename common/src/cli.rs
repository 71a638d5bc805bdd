//! What every lab server's and lab client's `main` does besides its lab: the common
//! command-line options, binding, Ctrl-C, logging, exit status.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::Duration;

use crate::report::{StartServer, finish};

use anyhow::Context as _;

use crate::client::{DEFAULT_DOWNLOAD_THREADS, Mode, Server};
use crate::net::{DEFAULT_BACKLOG, bind_listener, resolve, resolve_addr};
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
    /// Milliseconds each connection's thread waits before it answers, standing in for a
    /// slower server's work per connection (a course-shaped Python server: 0.45-0.8 per frame,
    /// 100 per list). Lets a client that overlaps its connections show its gain on any
    /// machine; `labs grade` times clients this way.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
}

impl ServerArgs {
    /// The server bounds these options describe.
    pub fn config(&self) -> ServerConfig {
        let timeout = Duration::from_secs(self.socket_timeout);
        ServerConfig {
            max_connections: self.max_connections,
            write_timeout: timeout,
            read_timeout: timeout,
            latency: Duration::from_millis(self.latency_ms),
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
    exit_code(serve())
}

/// How a program that logs in the course format ends: success, or the error's whole cause
/// chain logged on one line (`cannot listen on 0.0.0.0:1234: Address already in use`) and
/// status 1.
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// [`exit_code`] for a client that logs in the course format: when the server could not be
/// reached, the logged line ends with the way out, `start` (see [`StartServer::describe`]):
/// `no answer from 127.0.0.1:10001 after 3 attempts over 3.0 s: Connection refused (os
/// error 111); start the server first: ...`.
pub fn client_exit_code(result: anyhow::Result<()>, start: &StartServer) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{}", start.describe(&e));
            ExitCode::FAILURE
        }
    }
}

/// Options shared by the lab clients; `#[command(flatten)]` them into a client's arguments
/// next to its own `--server` (whose default port differs per lab, and which
/// `--local-server` conflicts with, so the client must name that argument `server`).
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// Start the lab's server in this process on a free loopback port and download from
    /// it: the whole lab in one command.
    #[arg(long, conflicts_with = "server")]
    pub local_server: bool,
    /// Download on --threads threads, then take the second phase's fastest measured path
    /// (sorting lists in parallel, one worker per CPU core; the GIF on one thread).
    #[arg(long)]
    pub optimized: bool,
    /// Download threads with --optimized.
    #[arg(long, default_value_t = DEFAULT_DOWNLOAD_THREADS)]
    pub threads: NonZeroUsize,
}

impl ClientArgs {
    /// [`Server::Local`] with `--local-server`, else [`Server::Remote`]`(remote)`, the
    /// client's `--server`.
    pub fn server(&self, remote: SocketAddr) -> Server {
        match self.local_server {
            true => Server::Local,
            false => Server::Remote(remote),
        }
    }

    /// The [`Mode`] these options ask for.
    pub fn mode(&self) -> Mode {
        match self.optimized {
            true => Mode::Optimized {
                download_threads: self.threads,
            },
            false => Mode::Sequential,
        }
    }
}

/// A clap `value_parser` for a client's `--server host:port`: resolves it to its first
/// address when the command line is parsed, so a bad address is a usage error.
pub fn parse_server(spec: &str) -> Result<SocketAddr, String> {
    resolve_addr(spec).map_err(|e| e.to_string())
}

/// The body of a lab client's `main`: logs warnings and errors only (in the course format;
/// with `--local-server` the server's per-connection lines would bury the progress bars),
/// installs the Ctrl-C / SIGTERM shutdown, runs `run(shutdown)` and ends as
/// [`finish`] says: the timing lines and 0, `program: interrupted` and 130, or
/// `program: error: ...` and 1, naming `start` as the way out when the server could not be
/// reached.
pub fn client_main<R>(program: &str, start: &StartServer, run: R) -> ExitCode
where
    R: FnOnce(&Shutdown) -> anyhow::Result<Vec<(&'static str, Duration)>>,
{
    crate::logging::init(log::LevelFilter::Warn);
    let result = Shutdown::on_signals()
        .context("cannot install the Ctrl-C handler")
        .and_then(|shutdown| run(&shutdown));
    finish(program, start, result)
}
