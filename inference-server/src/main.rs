//! `inference-server`: the inference lab's program.
//!
//! ```text
//! inference-server PORT PROCESSES [--host H] [--threads-per-worker 4] [--images-dir images]
//!                  [--allow-private-urls] [--model M] [--labels L] [--engine tract|onnxruntime]
//! inference-server classify [--model M] [--labels L] [--engine E] [--top 5] PHOTO...
//! ```
//!
//! The first form is the pre-fork server (see `inference_server::prefork`); the second
//! tries the classifier on photos. A hidden third, `worker`, is how the server starts its
//! worker processes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use common::net::{DEFAULT_BACKLOG, bind_listener, resolve};
use common::shutdown::Shutdown;
use inference_server::cli::ModelArgs;
use inference_server::model::Locator;
use inference_server::prefork::handoff::QueueReceiver;
use inference_server::prefork::supervisor::QUEUE_FD;
use inference_server::prefork::{self, Prefork, WorkerArgs};
use inference_server::{Classifier, ClassifierOptions};

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
    /// Classify photos and print the most likely ImageNet classes for each.
    Classify(ClassifyArgs),
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

#[derive(Debug, clap::Args)]
struct ClassifyArgs {
    /// Photos to classify (JPEG, PNG, GIF or WebP).
    #[arg(required = true)]
    photos: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// How many classes to print per photo.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Classify every photo this many times (after one warm-up run) and print the median time
    /// per photo: decode + preprocess + inference.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Classify(args)) => classify(&args),
        Some(Command::Worker(args)) => worker(&args),
        None => serve(cli.serve),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (Some(port), Some(processes)) = (args.port, args.processes) else {
        unreachable!("clap requires PORT and PROCESSES without a subcommand");
    };
    let mut worker = args.worker;
    // Find (or download) the model once here, not in every worker at the same time.
    let locator = Locator::from_env(worker.model.model.clone(), worker.model.labels.clone());
    worker.model.model = Some(locator.model()?.path);
    worker.model.labels = Some(locator.labels()?.path);

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

fn classify(args: &ClassifyArgs) -> anyhow::Result<()> {
    let options: ClassifierOptions = args.model.classifier_options();
    let classifier = Classifier::new(&options).context("cannot load the classifier")?;
    let mut failures = 0;
    let mut medians = Vec::new();
    for path in &args.photos {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                failures += 1;
                eprintln!("{}: cannot read: {e}", path.display());
                continue;
            }
        };
        let mut times = Vec::new();
        let runs = if args.repeat > 1 { args.repeat + 1 } else { 1 };
        let mut result = None;
        for run in 0..runs {
            let start = Instant::now();
            let predictions = classifier.classify(&bytes, args.top);
            if run > 0 || runs == 1 {
                times.push(start.elapsed());
            }
            result = Some(predictions);
        }
        match result.expect("at least one run") {
            Ok(predictions) => {
                println!("{}", path.display());
                for p in predictions {
                    println!("  {:.4}  {:>3}  {}", p.probability, p.class_index, p.label);
                }
                if args.repeat > 1 {
                    let median = median(&mut times);
                    println!("  median {:.2} ms over {} runs", ms(median), args.repeat);
                    medians.push(median);
                }
            }
            Err(e) => {
                failures += 1;
                // `{:#}` prints the whole cause chain: "cannot decode ...: unexpected EOF".
                eprintln!("{}: {:#}", path.display(), anyhow::Error::from(e));
            }
        }
    }
    if !medians.is_empty() {
        println!(
            "median per photo over {} photos ({} engine): {:.2} ms",
            medians.len(),
            classifier.engine(),
            ms(median(&mut medians))
        );
    }
    anyhow::ensure!(
        failures == 0,
        "{failures} of {} photos failed",
        args.photos.len()
    );
    Ok(())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
