//! `frame-client`: the frames lab client. See the library docs for the two phases.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::report::finish;
use common::shutdown::Shutdown;
use frame_client::Options;

/// Downloads frames from a frame-server into a folder and builds an animated GIF from them.
///
/// Prints `Frames download time: X` and `GIF creation time: Y` (seconds) on stdout.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Frame server address, host:port.
    #[arg(long, default_value = "127.0.0.1:1234")]
    server: String,
    /// Start an in-process frame-server on a free loopback port and download from it:
    /// the whole lab in one command.
    #[arg(long, conflicts_with = "server")]
    local_server: bool,
    /// Number of frames to download.
    #[arg(long, default_value_t = 5000)]
    frames: usize,
    /// Folder for the frames, saved as {i}.png.
    #[arg(long, default_value = "frames")]
    out_dir: PathBuf,
    /// Path of the GIF to create.
    #[arg(long, default_value = "frames.gif")]
    gif: PathBuf,
    /// Download on several threads and build the GIF in parallel.
    #[arg(long)]
    optimized: bool,
    /// Download threads with --optimized.
    #[arg(long, default_value = "8")]
    threads: NonZeroUsize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    common::logging::init(log::LevelFilter::Warn);
    let options = Options {
        server: args.server,
        local_server: args.local_server,
        frames: args.frames,
        out_dir: args.out_dir,
        gif: args.gif,
        optimized: args.optimized,
        threads: args.threads,
    };
    let run = || {
        let shutdown = Shutdown::on_signals()?;
        frame_client::run(&options, &shutdown)
    };
    let phases = run().map(|report| {
        vec![
            ("Frames download time", report.download),
            ("GIF creation time", report.gif),
        ]
    });
    finish("frame-client", phases)
}
