//! `frame-server`: the frames lab server. See the library docs for the model and format.

use std::process::ExitCode;

use clap::Parser;
use common::cli::{ServerArgs, serve_main};

/// Thread-per-connection TCP server: every client receives one random 10x10 PNG frame.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// TCP port to listen on (the handout's).
    #[arg(long, default_value_t = 1234)]
    port: u16,
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    serve_main(&args.server, args.port, frame_server::run)
}
