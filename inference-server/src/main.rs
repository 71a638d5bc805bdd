//! `inference-server`: the inference lab's program.
//!
//! For now one subcommand, `classify`, to try the classifier on photos:
//!
//! ```text
//! inference-server classify [--model M] [--labels L] [--engine tract|onnxruntime] [--top 5] PHOTO...
//! ```
//!
//! The pre-fork server will become the default mode (no subcommand) in the next issue.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use inference_server::{Classifier, ClassifierOptions, EngineKind, EngineOptions, Limits};

#[derive(Debug, Parser)]
#[command(version, about = "Inference lab: SqueezeNet 1.1 ImageNet classifier")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify photos and print the most likely ImageNet classes for each.
    Classify(ClassifyArgs),
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

/// Options shared with the future server mode: which model, which engine.
#[derive(Debug, clap::Args)]
struct ModelArgs {
    /// Model file [default: $NETLABS_MODEL, else ~/.cache/netlabs/squeezenet1.1-7.onnx,
    /// downloaded if missing].
    #[arg(long)]
    model: Option<PathBuf>,
    /// ImageNet label file, synset.txt [default: $NETLABS_LABELS, else
    /// ~/.cache/netlabs/synset.txt].
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Inference engine: tract, or onnxruntime (built with `--features onnxruntime`).
    #[arg(long, default_value_t = EngineKind::default())]
    engine: EngineKind,
    /// Threads per inference (onnxruntime only) [default: one per core].
    #[arg(long)]
    threads: Option<usize>,
}

impl ModelArgs {
    fn load(&self) -> anyhow::Result<Classifier> {
        let options = ClassifierOptions {
            model: self.model.clone(),
            labels: self.labels.clone(),
            engine: EngineOptions {
                kind: self.engine,
                threads: self.threads,
            },
            limits: Limits::default(),
        };
        Classifier::new(&options).context("cannot load the classifier")
    }
}

fn main() -> anyhow::Result<()> {
    common::logging::init(log::LevelFilter::Info);
    match Cli::parse().command {
        Command::Classify(args) => classify(&args),
    }
}

fn classify(args: &ClassifyArgs) -> anyhow::Result<()> {
    let classifier = args.model.load()?;
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
