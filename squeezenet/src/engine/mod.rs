//! The inference engines: run the network on a batch of input tensors and return their
//! logits.
//!
//! Three implementations of the same small [`Engine`] trait:
//!
//! - [`rten`] (always built, the default): RTen, pure Rust, builds from crates.io alone;
//! - [`tract`] (cargo feature `tract`): `tract-onnx`, pure Rust too, the default until RTen
//!   measured faster (this crate's `README.md`, "Speed");
//! - [`ort`] (cargo feature `onnxruntime`): Microsoft's ONNX Runtime through the `ort` crate,
//!   loaded at run time from the shared library named by `ORT_DYLIB_PATH`.
//!
//! The classifier does everything else (decoding, preprocessing, softmax, labels), so the
//! engines can be compared, and tested, on exactly the same input.

use std::fmt;
use std::str::FromStr;

use crate::labels::NUM_CLASSES;
use crate::model::{ModelBytes, Source};
use crate::preprocess::{INPUT_LEN, INPUT_SHAPE};

#[cfg(feature = "onnxruntime")]
pub mod ort;
pub mod rten;
#[cfg(feature = "tract")]
pub mod tract;

/// Boxed error of an engine library (tract's `anyhow::Error`, `ort::Error`, ...).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which engine runs the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EngineKind {
    /// RTen, pure Rust: the default.
    #[default]
    Rten,
    /// `tract-onnx`, pure Rust (cargo feature `tract`).
    #[cfg(feature = "tract")]
    Tract,
    /// ONNX Runtime via the `ort` crate (cargo feature `onnxruntime`).
    #[cfg(feature = "onnxruntime")]
    OnnxRuntime,
}

impl EngineKind {
    /// Every engine compiled into this build, the default first.
    pub const ALL: &'static [EngineKind] = &[
        EngineKind::Rten,
        #[cfg(feature = "tract")]
        EngineKind::Tract,
        #[cfg(feature = "onnxruntime")]
        EngineKind::OnnxRuntime,
    ];

    /// The name used on the command line: `rten`, `tract` or `onnxruntime`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Rten => "rten",
            #[cfg(feature = "tract")]
            EngineKind::Tract => "tract",
            #[cfg(feature = "onnxruntime")]
            EngineKind::OnnxRuntime => "onnxruntime",
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EngineKind {
    type Err = String;

    /// Parses `rten`, `tract` or `onnxruntime`; the last two only when built with their
    /// feature, otherwise the error says how to get them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        #[cfg(not(all(feature = "tract", feature = "onnxruntime")))]
        let missing = |engine: &str| {
            format!("the {engine} engine is not in this build; rebuild with `--features {engine}`")
        };
        match s {
            "rten" => Ok(EngineKind::Rten),
            #[cfg(feature = "tract")]
            "tract" => Ok(EngineKind::Tract),
            #[cfg(not(feature = "tract"))]
            "tract" => Err(missing("tract")),
            #[cfg(feature = "onnxruntime")]
            "onnxruntime" | "ort" => Ok(EngineKind::OnnxRuntime),
            #[cfg(not(feature = "onnxruntime"))]
            "onnxruntime" | "ort" => Err(missing("onnxruntime")),
            other => Err(format!(
                "unknown engine {other:?}; expected rten, tract or onnxruntime"
            )),
        }
    }
}

/// Engine settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EngineOptions {
    /// Which engine.
    pub kind: EngineKind,
    /// Threads one inference may use (rten's pool, ONNX Runtime's intra-op threads); `None`
    /// lets the engine decide (rten: one per physical core, ONNX Runtime: one per core).
    /// tract always runs one inference on one thread.
    pub threads: Option<usize>,
}

/// Why an engine could not load or run the model.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The model file could not be parsed or optimised by the engine.
    #[error("the {engine} engine cannot load the model ({model})")]
    Load {
        /// The engine.
        engine: EngineKind,
        /// Where the model came from.
        model: Source,
        /// The engine's own error.
        #[source]
        source: BoxError,
    },
    /// The ONNX Runtime shared library is not available.
    #[error(
        "ONNX Runtime is not available: {reason}. Install it with `python3 -m pip install \
         onnxruntime` and set ORT_DYLIB_PATH to the libonnxruntime.so.* inside the wheel \
         (site-packages/onnxruntime/capi/), or choose --engine tract"
    )]
    RuntimeMissing {
        /// What went wrong (variable unset, file missing, wrong version, ...).
        reason: String,
    },
    /// Running the network failed.
    #[error("the {engine} engine failed to run the model")]
    Run {
        /// The engine.
        engine: EngineKind,
        /// The engine's own error.
        #[source]
        source: BoxError,
    },
    /// The input is not one `[1, 3, 224, 224]` tensor, or the output not 1000 logits.
    #[error(
        "wrong tensor size for the {engine} engine: {what} has {found} values, expected {expected}"
    )]
    Shape {
        /// The engine.
        engine: EngineKind,
        /// `"the input"` or `"the output"`.
        what: &'static str,
        /// Number of values found.
        found: usize,
        /// Number expected.
        expected: usize,
    },
}

/// One loaded network, shared by all threads of a process.
///
/// `Send + Sync`: [`Engine::logits`] takes `&self` and may be called from many threads at once.
pub trait Engine: Send + Sync {
    /// Which engine this is.
    fn kind(&self) -> EngineKind;

    /// Runs the network on one input, `input` being 150 528 `f32` values laid out as
    /// `[1, 3, 224, 224]` NCHW (see [`crate::preprocess`]), and returns the 1000 raw logits
    /// (before softmax), in ImageNet-1k synset order.
    ///
    /// Errors: [`EngineError::Shape`] for a wrong input length, [`EngineError::Run`].
    fn logits(&self, input: &[f32]) -> Result<Vec<f32>, EngineError> {
        check_input(self.kind(), input)?;
        let mut logits = self.logits_batch(input)?;
        let first = logits.pop();
        first.ok_or_else(|| EngineError::Shape {
            engine: self.kind(),
            what: "the output",
            found: 0,
            expected: NUM_CLASSES,
        })
    }

    /// Runs the network once on a batch: `inputs` holds N inputs one after the other,
    /// `[N, 3, 224, 224]` NCHW (N x 150 528 values, N >= 1). Returns N vectors of 1000
    /// logits, in input order. One run over N inputs does the same arithmetic as N runs,
    /// in larger matrix products.
    ///
    /// Errors: [`EngineError::Shape`] when the length is not a positive multiple of
    /// 150 528, [`EngineError::Run`].
    fn logits_batch(&self, inputs: &[f32]) -> Result<Vec<Vec<f32>>, EngineError>;
}

/// Loads `model` into the engine chosen by `options`.
///
/// Errors: [`EngineError::Load`], and [`EngineError::RuntimeMissing`] for ONNX Runtime.
pub fn load(model: &ModelBytes, options: &EngineOptions) -> Result<Box<dyn Engine>, EngineError> {
    Ok(match options.kind {
        EngineKind::Rten => Box::new(rten::RtenEngine::load(model, options.threads)?),
        #[cfg(feature = "tract")]
        EngineKind::Tract => Box::new(tract::TractEngine::load(model)?),
        #[cfg(feature = "onnxruntime")]
        EngineKind::OnnxRuntime => Box::new(ort::OrtEngine::load(model, options.threads)?),
    })
}

/// Checks that `inputs` is a whole batch of inputs and returns its size N.
fn check_batch(engine: EngineKind, inputs: &[f32]) -> Result<usize, EngineError> {
    let batch = inputs.len() / INPUT_LEN;
    if batch == 0 || !inputs.len().is_multiple_of(INPUT_LEN) {
        return Err(EngineError::Shape {
            engine,
            what: "the input",
            found: inputs.len(),
            expected: INPUT_LEN * batch.max(1),
        });
    }
    Ok(batch)
}

/// The NCHW shape of a batch of `batch` inputs: `[batch, 3, 224, 224]`.
fn batch_shape(batch: usize) -> [usize; 4] {
    [batch, INPUT_SHAPE[1], INPUT_SHAPE[2], INPUT_SHAPE[3]]
}

/// Splits an engine's output for a batch of `batch` into one vector of [`NUM_CLASSES`]
/// logits per input, after checking its length.
fn split_logits(
    engine: EngineKind,
    batch: usize,
    logits: &[f32],
) -> Result<Vec<Vec<f32>>, EngineError> {
    check_len(engine, "the output", logits.len(), batch * NUM_CLASSES)?;
    Ok(logits
        .chunks_exact(NUM_CLASSES)
        .map(<[f32]>::to_vec)
        .collect())
}

/// Checks the input length every engine shares.
fn check_input(engine: EngineKind, input: &[f32]) -> Result<(), EngineError> {
    check_len(engine, "the input", input.len(), INPUT_LEN)
}

/// Checks a tensor length, for inputs and outputs.
fn check_len(
    engine: EngineKind,
    what: &'static str,
    found: usize,
    expected: usize,
) -> Result<(), EngineError> {
    if found == expected {
        Ok(())
    } else {
        Err(EngineError::Shape {
            engine,
            what,
            found,
            expected,
        })
    }
}
