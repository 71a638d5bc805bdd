//! The ONNX Runtime engine (cargo feature `onnxruntime`): Microsoft's C++ runtime through the
//! `ort` crate.
//!
//! The runtime is not compiled in: `ort`'s `load-dynamic` feature opens the shared library at
//! run time, from the path in `ORT_DYLIB_PATH`. PyPI's `onnxruntime` wheel ships one
//! (`site-packages/onnxruntime/capi/libonnxruntime.so.1.xx.y`), so `pip install onnxruntime`
//! is all a student needs; nothing is downloaded at build time. `ort` 2.0.0-rc.15 needs
//! ONNX Runtime 1.17 or newer with the API features we enable (none beyond the base); it was
//! written for 1.31, the version CI installs.
//!
//! **Sharing.** In `ort` 2.0.0-rc.15, `Session::run` takes `&mut self` (a session keeps
//! per-run scratch state on the Rust side), so one session cannot be run from two threads at
//! once. We keep one session behind a `Mutex`: concurrent callers queue, and ONNX Runtime
//! still uses several cores *inside* each run (its intra-op thread pool). One session per
//! thread would avoid the queue at the price of one copy of the weights (5 MB) and one thread
//! pool each; the pre-fork server runs one classifier per process anyway.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::TensorRef;

use super::{Engine, EngineError, EngineKind, check_batch};
use crate::model::ModelBytes;

/// Names the ONNX Runtime shared library to load.
pub const DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// The process-wide ONNX Runtime environment: the library allows one, created on first use.
static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

/// SqueezeNet loaded into an ONNX Runtime session.
pub struct OrtEngine {
    session: Mutex<Session>,
}

impl std::fmt::Debug for OrtEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrtEngine").finish_non_exhaustive()
    }
}

/// Loads the runtime from `ORT_DYLIB_PATH` (once per process) and returns its environment.
fn environment() -> Result<&'static ort::environment::Environment, EngineError> {
    let result = ENVIRONMENT.get_or_init(|| {
        // Checked here rather than left to `ort`, which would panic on the first API call.
        let path = std::env::var_os(DYLIB_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| format!("{DYLIB_ENV} is not set"))?;
        if !path.is_file() {
            return Err(format!("{DYLIB_ENV}={} does not exist", path.display()));
        }
        ort::init_from(&path)
            .map_err(|e| e.to_string())?
            .with_name("netlabs")
            .build()
            .map_err(|e| e.to_string())
    });
    result
        .as_ref()
        .map_err(|reason| EngineError::RuntimeMissing {
            reason: reason.clone(),
        })
}

impl OrtEngine {
    /// Loads the ONNX `model` into a session with all graph optimisations, using
    /// `threads` intra-op threads (`None`: ONNX Runtime's default, one per core).
    ///
    /// Errors: [`EngineError::RuntimeMissing`] if the library cannot be loaded,
    /// [`EngineError::Load`] if the model cannot.
    pub fn load(model: &ModelBytes, threads: Option<usize>) -> Result<OrtEngine, EngineError> {
        let environment = environment()?;
        let build = || -> ort::Result<Session> {
            let mut builder = Session::builder(environment)?
                .with_optimization_level(GraphOptimizationLevel::Level3)?;
            if let Some(threads) = threads {
                builder = builder.with_intra_threads(threads)?;
            }
            // Declared batch size made symbolic, so one run can take several photos.
            match crate::onnx_batch::with_symbolic_batch(&model.bytes) {
                Some(bytes) => builder.commit_from_memory(&bytes),
                None => builder.commit_from_memory(&model.bytes),
            }
        };
        let session = build().map_err(|e| EngineError::Load {
            engine: EngineKind::OnnxRuntime,
            model: model.source.clone(),
            source: e.into(),
        })?;
        Ok(OrtEngine {
            session: Mutex::new(session),
        })
    }
}

impl Engine for OrtEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::OnnxRuntime
    }

    fn logits_batch(&self, inputs: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        let batch = check_batch(EngineKind::OnnxRuntime, inputs)?;
        let run_error = |e: ort::Error| EngineError::Run {
            engine: EngineKind::OnnxRuntime,
            source: e.into(),
        };
        let shape = super::batch_shape(batch);
        // A view of the caller's buffer: no copy of the input.
        let tensor = TensorRef::from_array_view((shape, inputs)).map_err(run_error)?;
        // A panic while the lock was held cannot leave the session half-updated in a way that
        // matters (each run is independent), so a poisoned lock is simply taken over.
        let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let outputs = session.run(ort::inputs![tensor]).map_err(run_error)?;
        let (_shape, logits) = outputs[0].try_extract_tensor::<f32>().map_err(run_error)?;
        super::split_logits(EngineKind::OnnxRuntime, batch, logits)
    }
}
