//! `inference-server`: the inference lab's server, pre-fork or sequential.
//!
//! ```text
//! inference-server PORT PROCESSES [--host H] [--threads-per-worker 4] [--images-dir images]
//!                  [--allow-private-urls] [--model M] [--labels L] [--engine rten|tract|onnxruntime]
//! inference-server --sequential PORT [the same options]
//! ```
//!
//! See `inference_server::prefork` and `inference_server::sequential`. A hidden subcommand,
//! `worker`, is how the pre-fork server starts its worker processes.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use common::net::{DEFAULT_BACKLOG, bind_listener, resolve};
use common::shutdown::Shutdown;
use inference_server::prefork::handoff::QueueReceiver;
use inference_server::prefork::supervisor::QUEUE_FD;
use inference_server::prefork::{self, Prefork};
use inference_server::sequential;
use inference_server::service::WorkerArgs;

/// Inference lab: a TCP server that names what is in a photo (SqueezeNet 1.1). Pre-fork
/// (PORT PROCESSES: worker processes with 4 threads each) or, with --sequential PORT, one
/// process and one thread serving one client at a time.
#[derive(Debug, Parser)]
#[command(
    version,
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
    #[arg(required_unless_present = "sequential",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    processes: Option<u16>,
    /// Serve one client at a time in this one process and thread: the baseline that
    /// pre-forking improves on. Takes no PROCESSES.
    #[arg(long, conflicts_with = "processes")]
    sequential: bool,
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
    let Some(port) = args.port else {
        unreachable!("clap requires PORT without a subcommand");
    };
    let worker = args.worker;
    let listen = || -> anyhow::Result<_> {
        let addr = resolve(&args.host, port)?;
        bind_listener(addr, DEFAULT_BACKLOG).with_context(|| format!("cannot listen on {addr}"))
    };
    let Some(processes) = args.processes else {
        let listener = listen()?;
        return sequential::run(listener, &Shutdown::on_signals()?, &worker);
    };
    // Load the classifier once here, so a bad --model or --labels fails at once with one
    // clear error instead of in every worker, again and again as they are replaced.
    worker.model.load().context("cannot load the classifier")?;

    let listener = listen()?;
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
