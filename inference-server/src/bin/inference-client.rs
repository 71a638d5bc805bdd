//! `inference-client HOST PORT URL`: asks an inference-server what is in the image at URL.

use std::process::ExitCode;

use clap::Parser;

/// Sends an image URL to the inference lab's server and logs its answer, e.g.
/// `("airliner", 0.995)`.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Server host name or address.
    host: String,
    /// Server port.
    port: u16,
    /// http:// or https:// URL of the image to classify.
    url: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    common::logging::init(log::LevelFilter::Info);
    let result = inference_server::client::classify_url(&args.host, args.port, &args.url);
    common::cli::exit_code(result.map(drop))
}
