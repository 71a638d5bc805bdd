//! The rten engine: RTen, a pure-Rust ONNX runtime that loads the `.onnx` file directly.
//!
//! rten parses the graph, fuses operators (e.g. a convolution and its ReLU) and, with
//! prepacked weights, lays the convolution weights out once for its matrix kernels (AVX2 or
//! AVX-512 when the CPU has them, chosen at run time). The loaded model is immutable and
//! `Sync`: any number of threads run it at once, each with its own scratch space.
//!
//! **Threads.** One inference may use several cores (rten splits a convolution's matrix
//! product over a rayon pool). [`EngineOptions::threads`](super::EngineOptions::threads) sizes
//! that pool; by default rten's global pool has one thread per physical core. A server that
//! already runs one request per core gains nothing from intra-op threads, which is why the
//! benchmarks compare engines on one thread.
//!
//! **Batches.** The embedded SqueezeNet declares its input as `[1, 3, 224, 224]`, and rten
//! checks inputs against the declared shape, so [`RtenEngine::load`] loads the model with
//! its batch dimension made symbolic ([`crate::onnx_batch::with_symbolic_batch`]); the graph itself
//! (convolutions, pools, a `Flatten` at axis 1) works on any batch.

use std::sync::Arc;

use rten::ThreadPool;
use rten::{Model, ModelOptions, RunOptions, ValueView};

use super::{BoxError, Engine, EngineError, EngineKind};
use crate::model::ModelBytes;

/// SqueezeNet loaded into rten.
pub struct RtenEngine {
    model: Model,
    /// A pool of the requested size, or `None` for rten's global pool.
    pool: Option<Arc<ThreadPool>>,
}

impl std::fmt::Debug for RtenEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RtenEngine")
            .field("threads", &self.pool.as_ref().map(|_| "own pool"))
            .finish_non_exhaustive()
    }
}

impl RtenEngine {
    /// Loads the ONNX `model` with prepacked weights; `threads` sizes the pool one inference
    /// uses (`None`: rten's global pool, one thread per physical core).
    ///
    /// Errors: [`EngineError::Load`] if rten cannot load the bytes.
    pub fn load(model: &ModelBytes, threads: Option<usize>) -> Result<RtenEngine, EngineError> {
        let bytes = crate::onnx_batch::with_symbolic_batch(&model.bytes)
            .unwrap_or_else(|| model.bytes.to_vec());
        let loaded = ModelOptions::with_all_ops()
            .prepack_weights(true)
            .load(bytes)
            .map_err(|e| EngineError::Load {
                engine: EngineKind::Rten,
                model: model.source.clone(),
                source: e.into(),
            })?;
        Ok(RtenEngine {
            model: loaded,
            pool: threads.map(|n| Arc::new(ThreadPool::with_num_threads(n.max(1)))),
        })
    }

    fn run(&self, inputs: &[f32], batch: usize) -> Result<Vec<f32>, EngineError> {
        let run_error = |e: BoxError| EngineError::Run {
            engine: EngineKind::Rten,
            source: e,
        };
        let shape = super::batch_shape(batch);
        let view = ValueView::from_shape(shape, inputs).map_err(|e| run_error(e.into()))?;
        let options = RunOptions::default().with_thread_pool(self.pool.clone());
        let output = self
            .model
            .run_one(view.into(), Some(options))
            .map_err(|e| run_error(e.into()))?;
        let logits = output
            .into_tensor::<f32>()
            .ok_or_else(|| run_error("the output is not an f32 tensor".into()))?;
        Ok(logits.into_data())
    }
}

impl Engine for RtenEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Rten
    }

    fn logits_batch(&self, inputs: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        let batch = super::check_batch(EngineKind::Rten, inputs)?;
        let logits = self.run(inputs, batch)?;
        super::split_logits(EngineKind::Rten, batch, &logits)
    }
}
