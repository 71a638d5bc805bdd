//! The command-line options of every program that classifies (`classify`,
//! `inference-server`, `recognition-worker`), kept in the library so they read the same
//! everywhere and a server can hand them on to the worker processes it re-executes.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::{Classifier, ClassifierOptions, EngineKind, EngineOptions, Error, Limits};

/// Which model, labels and engine to use. The default is what the flags default to: the
/// embedded model and labels, the default engine, one thread per core.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct ModelArgs {
    /// ONNX model file with SqueezeNet's input and output [default: the embedded SqueezeNet
    /// 1.1].
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// ImageNet label file: 1000 lines such as "n02690373 airliner" [default: the embedded
    /// synset.txt].
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Inference engine: rten; tract or onnxruntime when built with `--features tract` or
    /// `--features onnxruntime`.
    #[arg(long, default_value_t = EngineKind::default())]
    pub engine: EngineKind,
    /// Threads per inference (rten and onnxruntime) [default: one per core].
    #[arg(long)]
    pub engine_threads: Option<usize>,
}

impl ModelArgs {
    /// Loads the classifier these options describe, with the default photo limits.
    ///
    /// Errors: see [`Classifier::load`].
    pub fn load(&self) -> Result<Classifier, Error> {
        Classifier::load(
            self.model.as_deref(),
            self.labels.as_deref(),
            &self.classifier_options(),
        )
    }

    /// The engine and limits these options describe (the default photo limits).
    pub fn classifier_options(&self) -> ClassifierOptions {
        ClassifierOptions {
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
