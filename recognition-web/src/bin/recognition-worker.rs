//! `recognition-worker`: serves SqueezeNet's top 5 over the recognition protocol.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use common::shutdown::Shutdown;
use recognition_web::worker::{self, WorkerArgs};

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    common::cli::exit_code(run(WorkerArgs::parse()))
}

fn run(args: WorkerArgs) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_signals()?;
    let (host, port) = args.listen_on();
    let addr: SocketAddr = common::net::resolve(host, port)?;
    let listener = common::net::bind_listener(addr, common::net::DEFAULT_BACKLOG)
        .with_context(|| format!("cannot listen on {addr}"))?;
    let classifier = Arc::new(args.model.load().context("cannot load the classifier")?);
    let config = args.config();
    let batching = match config.batch.max_batch {
        1 => "no batching".to_owned(),
        n => format!(
            "batches of up to {n}, waiting up to {} ms",
            config.batch.wait.as_millis()
        ),
    };
    log::info!(
        "Recognition worker listening on {} ({} engine, {batching})",
        listener.local_addr()?,
        classifier.engine()
    );
    worker::run(listener, &shutdown, classifier, config)?;
    log::info!("Recognition worker stopped");
    Ok(())
}
