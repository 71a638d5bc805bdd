//! `square-client`: asks the square server for many squares at once.
//!
//! ```text
//! square-client [--server 127.0.0.1:10003] [--concurrency 100] [--timeout 10] NUMBER...
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use basics::square::{self, client};
use clap::Parser;
use common::net::resolve_addr;
use common::report::StartServer;

/// Asynchronous square client: sends every NUMBER on its own connection, up to
/// --concurrency at once, and prints "square(<n>) = <n*n>" in the order given.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// The server, as host:port.
    #[arg(long, default_value_t = format!("127.0.0.1:{}", square::DEFAULT_PORT))]
    server: String,
    /// Most connections open at once.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    concurrency: u32,
    /// Seconds each request may take.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Integers to square, e.g. 7 -12 18446744073709551615.
    #[arg(required = true, allow_negative_numbers = true)]
    numbers: Vec<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Warn);
    let cli = Cli::parse();
    let server = match resolve_addr(&cli.server) {
        Ok(server) => server,
        Err(e) => return common::cli::exit_code(Err(e.into())),
    };
    // The way out that an error names when no server is at --server (a first run often
    // has none yet).
    let start = StartServer {
        command: format!(
            "cargo run -p basics --bin square-server -- --port {}",
            server.port()
        ),
        local_server: false,
    };
    common::cli::client_exit_code(run(&cli, server).await, &start)
}

async fn run(cli: &Cli, server: SocketAddr) -> anyhow::Result<()> {
    square::raise_open_files_limit()?;
    let timeout = Duration::from_secs(cli.timeout);
    let answers =
        client::square_all(server, &cli.numbers, cli.concurrency as usize, timeout).await?;
    let mut refused = 0;
    for (number, answer) in cli.numbers.iter().zip(answers) {
        match answer {
            client::Answer::Square(square) => println!("square({number}) = {square}"),
            client::Answer::Error(reason) => {
                refused += 1;
                eprintln!("square({number}): error: {reason}");
            }
        }
    }
    anyhow::ensure!(
        refused == 0,
        "the server refused {refused} of {} numbers",
        cli.numbers.len()
    );
    Ok(())
}
