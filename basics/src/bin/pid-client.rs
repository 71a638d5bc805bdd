//! `pid-client`: several client processes, each greeting the server with its own pid.
//!
//! ```text
//! pid-client [--server 127.0.0.1:10002] [--clients 3] [--attempts 3] [--timeout 1]
//! ```
//!
//! Each client is a process of its own: this binary starts copies of itself in a hidden
//! `one` mode and waits for them all.

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::Context as _;
use basics::datagram::RetryArgs;
use basics::pid::{self, client};
use clap::{Parser, Subcommand};
use common::net::resolve_addr;
use common::report::StartServer;

/// Multiprocessing UDP client: starts N client processes at once; each sends
/// "Hi from <its pid> at <server ip>:<port>" and prints the slides' lines, ending with
/// "Received message:  <answer>" and "Socket closed".
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    /// The server, as host:port. The slides use port 10001; our pid-server listens on 10002
    /// by default, so that it can run beside udp-hello-server.
    #[arg(long, default_value_t = default_server())]
    server: String,
    /// Client processes to start.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=256))]
    clients: u16,
    #[command(flatten)]
    retry: RetryArgs,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Internal: be one client process.
    #[command(hide = true)]
    One {
        /// Process name for the logs, e.g. Process-2.
        #[arg(long)]
        name: String,
        /// The server, as host:port.
        #[arg(long, default_value_t = default_server())]
        server: String,
        #[command(flatten)]
        retry: RetryArgs,
    },
}

fn default_server() -> String {
    format!("127.0.0.1:{}", pid::DEFAULT_PORT)
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    let result = match &cli.mode {
        None => start_clients(&cli),
        Some(Mode::One {
            name,
            server,
            retry,
        }) => one_client(name, server, retry),
    };
    common::cli::exit_code(result)
}

fn start_clients(cli: &Cli) -> anyhow::Result<()> {
    let server = resolve_addr(&cli.server)?; // a typo fails here, once, not in every client
    let exe = std::env::current_exe().context("cannot find this executable")?;
    let mut args: Vec<OsString> = vec!["--server".into(), cli.server.clone().into()];
    args.extend(cli.retry.to_args().into_iter().map(OsString::from));
    let clients = cli.clients.into();
    let failed = client::run_processes(&exe, &args, clients).context("cannot start a client")?;
    // Each client logged why it failed. When none got an answer the server is most likely
    // not running: say what starts it, once here rather than in every client's line.
    if failed == clients {
        let start = StartServer {
            command: format!(
                "cargo run -p basics --bin pid-server -- --port {}",
                server.port()
            ),
            local_server: false,
        };
        anyhow::bail!(
            "{failed} of {clients} clients got no answer; {}",
            start.advice()
        );
    }
    anyhow::ensure!(failed == 0, "{failed} of {clients} clients got no answer");
    Ok(())
}

fn one_client(name: &str, server: &str, retry: &RetryArgs) -> anyhow::Result<()> {
    common::logging::set_process_name(name);
    client::ask(resolve_addr(server)?, retry.retry())?;
    Ok(())
}
