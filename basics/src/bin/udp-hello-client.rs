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
use common::report::StartServer;

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
    let server = match resolve_addr(&cli.server) {
        Ok(server) => server,
        Err(e) => return common::cli::exit_code(Err(e.into())),
    };
    // The way out that an error names when nothing answers at --server (a first run
    // often has no server yet).
    let start = StartServer {
        command: format!(
            "cargo run -p basics --bin udp-hello-server -- --port {}",
            server.port()
        ),
        local_server: false,
    };
    common::cli::client_exit_code(udp::run_client(server, cli.retry.retry()), &start)
}
