//! `inference-client HOST PORT URL`: asks an inference-server what is in the image at URL.
//!
//! ```text
//! inference-client HOST PORT URL                                      # the handout's client
//! inference-client HOST PORT (URL | --urls FILE) --requests 32 --concurrency 8   # a load
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use common::report::{StartServer, finish, timing_line};
use common::shutdown::Shutdown;
use inference_server::load::{self, Load};

/// Sends an image URL to the inference lab's server and logs its answer, e.g.
/// `("airliner", 0.995)`. With --requests, --concurrency or --urls it is a load generator:
/// it prints "Requests time: <seconds>" on stdout, and requests per second and the p50 and
/// p99 latency on stderr.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Server host name or address.
    host: String,
    /// Server port.
    port: u16,
    /// http:// or https:// URL of the image to classify.
    #[arg(required_unless_present = "urls", conflicts_with = "urls")]
    url: Option<String>,
    /// A file of URLs, one per line (blank lines and # comments skipped), asked in turn.
    #[arg(long, value_name = "FILE")]
    urls: Option<PathBuf>,
    /// Requests to send in all [default: 1].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    requests: Option<u32>,
    /// Most requests in flight at once, each on its own connection [default: 1].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    concurrency: Option<u32>,
}

const PROGRAM: &str = "inference-client";

fn main() -> ExitCode {
    let args = Args::parse();
    common::logging::init(log::LevelFilter::Info);
    // The way out that an error names when no server is at HOST PORT (a first run often
    // has none yet): the pre-fork server with 2 workers.
    let start = StartServer {
        command: format!(
            "cargo run -p inference-server --bin inference-server -- {} 2",
            args.port
        ),
        local_server: false,
    };
    let is_load = args.requests.is_some() || args.concurrency.is_some() || args.urls.is_some();
    match (&args.url, is_load) {
        // The handout's client: its three log lines, nothing on stdout.
        (Some(url), false) => {
            let result = inference_server::client::classify_url(&args.host, args.port, url);
            common::cli::client_exit_code(result.map(drop), &start)
        }
        _ => run_load(&args, &start),
    }
}

fn run_load(args: &Args, start: &StartServer) -> ExitCode {
    let load = Load {
        requests: args.requests.unwrap_or(1) as usize,
        concurrency: args.concurrency.unwrap_or(1) as usize,
    };
    let result = (|| -> anyhow::Result<load::Report> {
        let urls = match (&args.urls, &args.url) {
            (Some(file), _) => load::read_urls(file)?,
            (None, Some(url)) => vec![url.clone()],
            (None, None) => unreachable!("clap requires URL or --urls"),
        };
        let addr = common::net::resolve(&args.host, args.port)
            .with_context(|| format!("cannot resolve {}", args.host))?;
        let shutdown = Shutdown::on_signals().context("cannot install the Ctrl-C handler")?;
        Ok(load::run(&args.host, addr, &urls, load, &shutdown)?)
    })();
    let report = match result {
        Ok(report) => report,
        Err(e) => return finish(PROGRAM, start, Err(e)),
    };
    log::info!("{}", report.summary());
    // The run's time stands whether or not every request succeeded.
    println!("{}", timing_line("Requests time", report.elapsed));
    let failed = report.failures.len();
    match report.failures.into_iter().next() {
        None => ExitCode::SUCCESS,
        Some(first) => finish(
            PROGRAM,
            start,
            Err(first.context(format!(
                "{failed} of {} requests failed; the first",
                load.requests
            ))),
        ),
    }
}
