//! `frame-client`: the frames lab client. See the library docs for the two phases.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::cli::{ClientArgs, client_main, parse_server};
use common::report::StartServer;
use frame_client::Options;

/// Downloads frames from a frame-server into a folder and builds an animated GIF from them.
///
/// Prints `Frames download time: X` and `GIF creation time: Y` (seconds) on stdout. Ctrl-C
/// stops at the next frame, leaving whole frames and no GIF, with exit status 130.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Frame server address, host:port.
    #[arg(long, default_value = "127.0.0.1:1234", value_parser = parse_server)]
    server: SocketAddr,
    #[command(flatten)]
    client: ClientArgs,
    /// Number of frames to download.
    #[arg(long, default_value_t = 5000)]
    frames: usize,
    /// Folder for the frames, saved as {i}.png.
    #[arg(long, default_value = "frames")]
    out_dir: PathBuf,
    /// Path of the GIF to create.
    #[arg(long, default_value = "frames.gif")]
    gif: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = Options {
        server: args.client.server(args.server),
        mode: args.client.mode(),
        frames: args.frames,
        out_dir: args.out_dir,
        gif: args.gif,
        progress: true,
    };
    // The way out that an error names when no server answers at --server (a first run
    // often has none yet).
    let start = StartServer {
        command: format!("cargo run -p frame-server -- --port {}", args.server.port()),
        local_server: true,
    };
    client_main("frame-client", &start, |shutdown| {
        let report = frame_client::run(&options, shutdown)?;
        Ok(vec![
            ("Frames download time", report.download),
            ("GIF creation time", report.gif),
        ])
    })
}
