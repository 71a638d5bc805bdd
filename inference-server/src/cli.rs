//! Command-line options shared by the `inference-server` subcommands, kept in the library
//! so the pre-fork server can hand the same options to the worker processes it re-executes.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::{ClassifierOptions, EngineKind, EngineOptions, Limits};

/// Which model, labels and engine to use.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct ModelArgs {
    /// Model file [default: $NETLABS_MODEL, else ~/.cache/netlabs/squeezenet1.1-7.onnx,
    /// downloaded if missing].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// ImageNet label file, synset.txt [default: $NETLABS_LABELS, else
    /// ~/.cache/netlabs/synset.txt].
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Inference engine: tract, or onnxruntime (built with `--features onnxruntime`).
    #[arg(long, default_value_t = EngineKind::default())]
    pub engine: EngineKind,
    /// Threads per inference (onnxruntime only) [default: one per core].
    #[arg(long)]
    pub engine_threads: Option<usize>,
}

impl ModelArgs {
    /// The classifier these options describe, with the default photo limits.
    pub fn classifier_options(&self) -> ClassifierOptions {
        ClassifierOptions {
            model: self.model.clone(),
            labels: self.labels.clone(),
            engine: EngineOptions {
                kind: self.engine,
                threads: self.engine_threads,
            },
            limits: Limits::default(),
        }
    }

    /// The same options as command-line arguments, for a re-executed worker.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        if let Some(model) = &self.model {
            args.extend(["--model".into(), model.clone().into_os_string()]);
        }
        if let Some(labels) = &self.labels {
            args.extend(["--labels".into(), labels.clone().into_os_string()]);
        }
        args.extend(["--engine".into(), self.engine.name().into()]);
        if let Some(threads) = self.engine_threads {
            args.extend(["--engine-threads".into(), threads.to_string().into()]);
        }
        args
    }
}
