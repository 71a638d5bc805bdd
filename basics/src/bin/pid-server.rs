//! `pid-server`: answers each greeting from another process, which names its own pid.
//!
//! ```text
//! pid-server [--host 127.0.0.1] [--port 10002] [--max-processes 16]   # a process per request
//! pid-server [--host 127.0.0.1] [--port 10002] --pool [4]             # a pool of 4 processes
//! ```
//!
//! The server starts its processes by running this same binary again in one of two hidden
//! modes, `reply` and `pool-worker`, with the server's socket at descriptor 3 (see
//! `basics::pid`).

use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use basics::pid::child::{QUEUE_FD, SOCKET_FD, take_inherited};
use basics::pid::per_request::{self, DEFAULT_MAX_PROCESSES, PerRequest};
use basics::pid::pool::{self, Pool, TaskReceiver};
use basics::pid::{self, DEFAULT_PORT};
use clap::{Parser, Subcommand};
use common::net::resolve;
use common::shutdown::Shutdown;
use nix::sys::socket::SockType;

/// Multiprocessing UDP server: each greeting ("Hi from <pid> at <ip>:<port>") is answered
/// by another process, "Hi <ip>:<port>. This is server <its pid>": a new process per
/// request, or one of a fixed pool with --pool (4 processes unless given a number).
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    mode: Option<ChildMode>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// UDP port to listen on. The slides use 10001, as for the UDP hello server; the default
    /// is 10002 so that both can run at once (--port 10001 is the slides' setup).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Answer from a pool of this many worker processes, started once, instead of a new
    /// process per request; --pool alone is the slides' pool of 4.
    #[arg(long, value_name = "PROCESSES", num_args = 0..=1,
          default_missing_value = DEFAULT_POOL,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pool: Option<u16>,
    /// Most answering processes alive at once, one per request (without --pool).
    #[arg(long, default_value_t = DEFAULT_MAX_PROCESSES as u16, conflicts_with = "pool",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    max_processes: u16,
    /// Seconds the server's processes may take to finish after Ctrl-C before being killed.
    #[arg(long, default_value_t = 10)]
    grace: u64,
}

/// The pool's size when --pool has no number: the slides' `number_processes = 4`.
const DEFAULT_POOL: &str = "4";

/// How the server runs this binary as one of its own processes.
#[derive(Debug, Subcommand)]
enum ChildMode {
    /// Internal: send one answer and exit.
    #[command(hide = true)]
    Reply {
        /// Process name for the logs, e.g. Process-3.
        #[arg(long)]
        name: String,
        /// The client to answer.
        #[arg(long)]
        to: SocketAddr,
    },
    /// Internal: answer tasks from the pool's queue until it closes.
    #[command(hide = true)]
    PoolWorker {
        /// Process name for the logs, e.g. ForkPoolWorker-1.
        #[arg(long)]
        name: String,
    },
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    let result = match &cli.mode {
        None => serve(&cli),
        Some(ChildMode::Reply { name, to }) => reply(name, *to),
        Some(ChildMode::PoolWorker { name }) => pool_worker(name),
    };
    common::cli::exit_code(result)
}

fn serve(cli: &Cli) -> anyhow::Result<()> {
    let addr = resolve(&cli.host, cli.port)
        .with_context(|| format!("cannot resolve {}:{}", cli.host, cli.port))?;
    let socket = UdpSocket::bind(addr).with_context(|| format!("cannot bind {addr}"))?;
    let shutdown = Shutdown::on_signals()?;
    let exe = this_executable()?;
    let grace = Duration::from_secs(cli.grace);
    match cli.pool {
        Some(processes) => {
            let config = Pool {
                exe,
                processes: processes.into(),
                grace,
            };
            pool::serve(&socket, &shutdown, &config)?;
        }
        None => {
            let config = PerRequest {
                exe,
                max_processes: cli.max_processes.into(),
                grace,
            };
            per_request::serve(&socket, &shutdown, &config)?;
        }
    }
    Ok(())
}

fn reply(name: &str, client: SocketAddr) -> anyhow::Result<()> {
    common::logging::set_process_name(name);
    // SAFETY: taken once, at start; the server put its socket at SOCKET_FD for us.
    let socket: UdpSocket = unsafe { take_inherited(SOCKET_FD, SockType::Datagram) }?;
    pid::send_answer(&socket, client).with_context(|| format!("cannot answer {client}"))?;
    Ok(())
}

fn pool_worker(name: &str) -> anyhow::Result<()> {
    common::logging::set_process_name(name);
    // SAFETY: taken once each, at start; the server put them at these numbers for us.
    let socket: UdpSocket = unsafe { take_inherited(SOCKET_FD, SockType::Datagram) }?;
    let queue: TaskReceiver = unsafe { take_inherited(QUEUE_FD, SockType::SeqPacket) }?;
    pool::work(&socket, &queue)?;
    Ok(())
}

fn this_executable() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("cannot find this executable to start its processes")
}
