//! `udp-hello-server`: waits for datagrams and answers each with a greeting.
//!
//! ```text
//! udp-hello-server [--host 127.0.0.1] [--port 10001]
//! ```

use std::net::UdpSocket;
use std::process::ExitCode;

use anyhow::Context as _;
use basics::udp;
use clap::Parser;
use common::net::resolve;
use common::shutdown::Shutdown;

/// UDP hello server: answers every message with "Hi client! Nice to connect with you!".
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// UDP port to listen on.
    #[arg(long, default_value_t = udp::DEFAULT_PORT)]
    port: u16,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    common::cli::exit_code(serve(&cli))
}

fn serve(cli: &Cli) -> anyhow::Result<()> {
    let addr = resolve(&cli.host, cli.port)
        .with_context(|| format!("cannot resolve {}:{}", cli.host, cli.port))?;
    let socket = UdpSocket::bind(addr).with_context(|| format!("cannot bind {addr}"))?;
    let shutdown = Shutdown::on_signals()?;
    udp::serve(&socket, &shutdown)?;
    Ok(())
}
