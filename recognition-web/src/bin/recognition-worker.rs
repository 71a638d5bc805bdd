//! `recognition-worker`: serves SqueezeNet's top 5 over the recognition protocol.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use common::shutdown::Shutdown;
use recognition_web::worker::{self, WorkerConfig};

/// A recognition worker: receives photos from the gateway over TCP (checksummed `D`/`A`/`N`
/// packets) and answers SqueezeNet 1.1's five most likely ImageNet classes.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, default_value_t = 8888)]
    port: u16,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = WorkerConfig::default().max_connections)]
    max_connections: usize,
    #[command(flatten)]
    model: squeezenet::cli::ModelArgs,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    common::cli::exit_code(run(Args::parse()))
}

fn run(args: Args) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_signals()?;
    let addr: SocketAddr = common::net::resolve(&args.host, args.port)?;
    let listener = common::net::bind_listener(addr, common::net::DEFAULT_BACKLOG)
        .with_context(|| format!("cannot listen on {addr}"))?;
    let classifier = Arc::new(args.model.load().context("cannot load the classifier")?);
    log::info!(
        "Recognition worker listening on {} ({} engine)",
        listener.local_addr()?,
        classifier.engine()
    );
    let config = WorkerConfig {
        max_connections: args.max_connections.max(1),
        ..WorkerConfig::default()
    };
    worker::run(listener, &shutdown, classifier, config)?;
    log::info!("Recognition worker stopped");
    Ok(())
}
