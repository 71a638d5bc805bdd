//! `square-server`: squares numbers for thousands of clients at once, on one thread.
//!
//! ```text
//! square-server [--host 127.0.0.1] [--port 10003] [--max-connections 10000] [--idle-timeout 30]
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use basics::square::{self, server};
use clap::Parser;
use common::net::{DEFAULT_BACKLOG, bind_listener, resolve};

/// Asynchronous square server (TCP): each line a client sends holding an integer is
/// answered with its square, or with "error: <reason>". One thread (tokio's event loop)
/// serves every client.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// TCP port to listen on.
    #[arg(long, default_value_t = square::DEFAULT_PORT)]
    port: u16,
    /// Most clients served at once; further ones wait in the kernel's backlog.
    #[arg(long, default_value_t = server::Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client may stay silent before it is disconnected.
    #[arg(long, default_value_t = server::Limits::default().idle_timeout.as_secs())]
    idle_timeout: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    common::cli::exit_code(serve(&cli).await)
}

async fn serve(cli: &Cli) -> anyhow::Result<()> {
    let open_files =
        square::raise_open_files_limit().context("cannot raise the open files limit")?;
    log::info!("Up to {open_files} open files (one per client)");
    let addr = resolve(&cli.host, cli.port)
        .with_context(|| format!("cannot resolve {}:{}", cli.host, cli.port))?;
    let listener =
        bind_listener(addr, DEFAULT_BACKLOG).with_context(|| format!("cannot listen on {addr}"))?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let limits = server::Limits {
        max_connections: cli.max_connections,
        idle_timeout: Duration::from_secs(cli.idle_timeout),
        ..server::Limits::default()
    };
    server::run(listener, server::ctrl_c_or_term()?, limits).await?;
    Ok(())
}
