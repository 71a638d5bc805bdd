//! `udp-hello-client`: sends the server a greeting and prints its answer.
//!
//! ```text
//! udp-hello-client [--server 127.0.0.1:10001] [--attempts 3] [--timeout 1]
//! ```

use std::process::ExitCode;

use basics::datagram::RetryArgs;
use basics::udp;
use clap::Parser;
use common::net::resolve_addr;

/// UDP hello client: sends "Hi server!" and prints the server's answer, in the slides'
/// lines. UDP may lose either datagram, so it waits for the answer with a timeout and asks
/// again a few times.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// The server, as host:port.
    #[arg(long, default_value_t = format!("127.0.0.1:{}", udp::DEFAULT_PORT))]
    server: String,
    #[command(flatten)]
    retry: RetryArgs,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    common::cli::exit_code(run(&cli))
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    udp::run_client(resolve_addr(&cli.server)?, cli.retry.retry())?;
    Ok(())
}
