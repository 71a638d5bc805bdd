//! `numbers-server`: the numbers lab server. See the library docs for the model and format.

use std::process::ExitCode;

use clap::Parser;
use common::cli::{ServerArgs, serve_main};

/// Thread-per-connection TCP server: every client receives 250000 random integers in
/// [-999999999, 999999999] as one comma-separated ASCII list, then the server closes.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// TCP port to listen on (the handout's).
    #[arg(long, default_value_t = 12345)]
    port: u16,
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    serve_main(&args.server, args.port, numbers_server::run)
}
