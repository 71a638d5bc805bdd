//! `inference-server`: the inference lab's pre-fork server.
//!
//! ```text
//! inference-server PORT PROCESSES [--host H] [--threads-per-worker 4] [--images-dir images]
//!                  [--allow-private-urls] [--model M] [--labels L] [--engine tract|onnxruntime]
//! ```
//!
//! See `inference_server::prefork`. A hidden subcommand, `worker`, is how the server starts
//! its worker processes.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use common::net::{DEFAULT_BACKLOG, bind_listener, resolve};
use common::shutdown::Shutdown;
use inference_server::prefork::handoff::QueueReceiver;
use inference_server::prefork::supervisor::QUEUE_FD;
use inference_server::prefork::{self, Prefork, WorkerArgs};

/// Inference lab: a pre-fork TCP server that names what is in a photo (SqueezeNet 1.1).
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Internal: run as a worker process of the pre-fork server.
    #[command(hide = true)]
    Worker(WorkerCommand),
}

/// The server: clients send an image URL followed by `[END]`, the server replies
/// `("label", probability)`.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// TCP port to listen on.
    #[arg(required = true)]
    port: Option<u16>,
    /// Worker processes to start (the main process only accepts).
    #[arg(required = true, value_parser = clap::value_parser!(u16).range(1..=256))]
    processes: Option<u16>,
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// Seconds workers may take to finish their clients after Ctrl-C before being killed.
    #[arg(long, default_value_t = 30)]
    grace: u64,
    #[command(flatten)]
    worker: WorkerArgs,
}

#[derive(Debug, clap::Args)]
struct WorkerCommand {
    /// Process name for the logs, e.g. Process-1.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    worker: WorkerArgs,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Worker(args)) => worker(&args),
        None => serve(cli.serve),
    };
    common::cli::exit_code(result)
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (Some(port), Some(processes)) = (args.port, args.processes) else {
        unreachable!("clap requires PORT and PROCESSES without a subcommand");
    };
    let worker = args.worker;
    // Load the classifier once here, so a bad --model or --labels fails at once with one
    // clear error instead of in every worker, again and again as they are replaced.
    worker.model.load().context("cannot load the classifier")?;

    let addr = resolve(&args.host, port)?;
    let listener =
        bind_listener(addr, DEFAULT_BACKLOG).with_context(|| format!("cannot listen on {addr}"))?;
    let shutdown = Shutdown::on_signals()?;
    let prefork = Prefork {
        processes: processes.into(),
        worker_exe: std::env::current_exe().context("cannot find this executable")?,
        worker,
        grace: Duration::from_secs(args.grace),
    };
    prefork::run(listener, shutdown, &prefork)
}

fn worker(args: &WorkerCommand) -> anyhow::Result<()> {
    // SAFETY: the main process started us with the queue at QUEUE_FD (see supervisor), and
    // nothing else in this process has touched that descriptor.
    let queue = unsafe { QueueReceiver::from_raw_fd(QUEUE_FD) };
    prefork::worker::run(&args.name, queue, &args.worker)
}
