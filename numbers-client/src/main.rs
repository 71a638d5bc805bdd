//! `numbers-client`: the numbers lab client. See the library docs for the two phases.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::cli::{ClientArgs, client_main, parse_server};
use common::report::StartServer;
use numbers_client::{DEFAULT_LISTS, Options};

/// Downloads lists of integers from a numbers server into --unsorted-dir, sorts each into
/// --sorted-dir, and prints how long each phase took (seconds) on stdout. Ctrl-C stops at
/// the next list, leaving only whole files, with exit status 130.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Server to download from, as host:port.
    #[arg(long, default_value = "127.0.0.1:12345", value_parser = parse_server)]
    server: SocketAddr,
    #[command(flatten)]
    client: ClientArgs,
    /// Lists to download and sort.
    #[arg(long, default_value_t = DEFAULT_LISTS)]
    lists: usize,
    /// Folder for the downloaded lists, saved raw as <i>.txt.
    #[arg(long, default_value = "unsorted_files")]
    unsorted_dir: PathBuf,
    /// Folder for the sorted lists, <i>.txt.
    #[arg(long, default_value = "sorted_files")]
    sorted_dir: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = Options {
        server: args.client.server(args.server),
        lists: args.lists,
        mode: args.client.mode(),
        unsorted_dir: args.unsorted_dir,
        sorted_dir: args.sorted_dir,
        progress: true,
    };
    // The way out that an error names when no server answers at --server (a first run
    // often has none yet).
    let start = StartServer {
        command: format!(
            "cargo run -p numbers-server -- --port {}",
            args.server.port()
        ),
        local_server: true,
    };
    client_main("numbers-client", &start, |shutdown| {
        let report = numbers_client::run(&options, shutdown)?;
        Ok(vec![
            ("Files download time", report.download),
            ("Sorting time", report.sorting),
        ])
    })
}
