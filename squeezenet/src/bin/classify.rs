//! `classify`: the most likely ImageNet classes of each photo given.
//!
//! ```text
//! $ classify --top 3 red_panda.jpg
//! red_panda.jpg
//!   0.9998  387  lesser panda
//!   0.0001  388  giant panda
//!   0.0000  356  weasel
//! ```
//!
//! A photo that cannot be read or decoded is reported on stderr and the others still run;
//! the exit status is 1 if any failed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use squeezenet::cli::ModelArgs;

/// Name what is in photos with SqueezeNet 1.1 (ImageNet-1k, embedded; works offline).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Photos to classify (JPEG, PNG, GIF or WebP).
    #[arg(required = true)]
    photos: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// How many classes to print per photo, most likely first.
    #[arg(long, default_value_t = 5)]
    top: usize,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Warn);
    let args = Args::parse();
    match classify(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("classify: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn classify(args: &Args) -> anyhow::Result<()> {
    let classifier = args.model.load().context("cannot load the classifier")?;
    let mut failures = 0;
    for path in &args.photos {
        let result = std::fs::read(path)
            .with_context(|| "cannot read".to_owned())
            .and_then(|bytes| Ok(classifier.classify(&bytes, args.top)?));
        match result {
            Ok(predictions) => {
                println!("{}", path.display());
                for p in predictions {
                    println!("  {:.4}  {:>3}  {}", p.probability, p.class_index, p.label);
                }
            }
            Err(e) => {
                failures += 1;
                // `{:#}` prints the whole cause chain: "cannot decode ...: unexpected EOF".
                eprintln!("{}: {e:#}", path.display());
            }
        }
    }
    anyhow::ensure!(
        failures == 0,
        "{failures} of {} photos failed",
        args.photos.len()
    );
    Ok(())
}
