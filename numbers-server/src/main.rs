//! `numbers-server`: the numbers lab server. See the library docs for the model and format.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use common::net::{DEFAULT_BACKLOG, bind_listener, resolve};
use common::server::ServerConfig;
use common::shutdown::Shutdown;

/// Thread-per-connection TCP server: every client receives 250000 random integers in
/// [-999999999, 999999999] as one comma-separated ASCII list, then the server closes.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// TCP port to listen on (the handout's is 12345).
    #[arg(long, default_value_t = 12345)]
    port: u16,
    /// Most clients served at once (live handler threads); others wait in the backlog.
    #[arg(long, default_value_t = ServerConfig::default().max_connections)]
    max_connections: usize,
    /// Kernel queue of connections waiting to be accepted.
    #[arg(long, default_value_t = DEFAULT_BACKLOG)]
    backlog: i32,
    /// Seconds a blocked write to a client may take before the connection is dropped.
    #[arg(long, default_value_t = 10)]
    write_timeout: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    common::logging::init(log::LevelFilter::Info);
    match listen_and_serve(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn listen_and_serve(args: &Args) -> anyhow::Result<()> {
    let addr = resolve(&args.host, args.port)
        .with_context(|| format!("cannot resolve {}:{}", args.host, args.port))?;
    let listener =
        bind_listener(addr, args.backlog).with_context(|| format!("cannot listen on {addr}"))?;
    let shutdown = Shutdown::on_signals()?;
    let config = ServerConfig {
        max_connections: args.max_connections,
        write_timeout: Duration::from_secs(args.write_timeout),
        ..ServerConfig::default()
    };
    numbers_server::run(listener, shutdown, config)?;
    Ok(())
}
