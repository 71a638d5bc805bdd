//! `numbers-client`: the numbers lab client. See the library docs for the two phases.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::report::finish;
use numbers_client::{DEFAULT_LISTS, DEFAULT_THREADS, Mode, Options, Server};

/// Downloads lists of integers from a numbers server into --unsorted-dir, sorts each into
/// --sorted-dir, and prints how long each phase took (seconds) on stdout.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Server to download from, as host:port.
    #[arg(long, default_value = "127.0.0.1:12345", value_parser = parse_server, conflicts_with = "local_server")]
    server: SocketAddr,
    /// Start a numbers server in this process on a free loopback port and use it: the whole
    /// lab in one command.
    #[arg(long)]
    local_server: bool,
    /// Lists to download and sort.
    #[arg(long, default_value_t = DEFAULT_LISTS)]
    lists: usize,
    /// Download on --threads threads and sort files in parallel (one worker per CPU core).
    #[arg(long)]
    optimized: bool,
    /// Download threads with --optimized.
    #[arg(long, default_value_t = NonZeroUsize::new(DEFAULT_THREADS).unwrap())]
    threads: NonZeroUsize,
    /// Folder for the downloaded lists, saved raw as <i>.txt.
    #[arg(long, default_value = "unsorted_files")]
    unsorted_dir: PathBuf,
    /// Folder for the sorted lists, <i>.txt.
    #[arg(long, default_value = "sorted_files")]
    sorted_dir: PathBuf,
}

fn parse_server(spec: &str) -> Result<SocketAddr, String> {
    common::net::resolve_addr(spec).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Warnings only: with --local-server the server's per-list info lines would bury the
    // progress bars. RUST_LOG=info brings them back.
    common::logging::init(log::LevelFilter::Warn);
    let options = Options {
        server: if args.local_server {
            Server::Local
        } else {
            Server::Remote(args.server)
        },
        lists: args.lists,
        mode: if args.optimized {
            Mode::Optimized {
                download_threads: args.threads,
            }
        } else {
            Mode::Sequential
        },
        unsorted_dir: args.unsorted_dir,
        sorted_dir: args.sorted_dir,
        progress: true,
    };
    let phases = numbers_client::run(&options).map(|report| {
        vec![
            ("Files download time", report.download),
            ("Sorting time", report.sorting),
        ]
    });
    finish("numbers-client", phases)
}
