//! The tract engine: `tract-onnx`, a pure-Rust ONNX inference library.
//!
//! tract loads the ONNX graph, then *optimises* it for one fixed input shape: with
//! `[1, 3, 224, 224]` known up front it can fold constants, fuse operators and pick matrix
//! kernels once, instead of on every call. The result is an immutable plan behind an `Arc`;
//! each [`Engine::logits`] call creates its own small run state, so any number of threads can
//! run the same plan at once without locking.

use std::sync::Arc;

use tract_onnx::prelude::*;

use super::{Engine, EngineError, EngineKind, check_input, check_len};
use crate::labels::NUM_CLASSES;
use crate::model::ModelBytes;
use crate::preprocess::INPUT_SHAPE;

/// SqueezeNet optimised and ready to run with tract.
#[derive(Debug, Clone)]
pub struct TractEngine {
    plan: Arc<TypedRunnableModel>,
}

impl TractEngine {
    /// Loads the ONNX `model` and optimises it for one `[1, 3, 224, 224]` f32 input.
    ///
    /// Errors: [`EngineError::Load`] if the bytes are not a model tract can load with that input.
    pub fn load(model: &ModelBytes) -> Result<TractEngine, EngineError> {
        let plan = tract_onnx::onnx()
            .model_for_read(&mut &model.bytes[..])
            .and_then(|model| model.with_input_fact(0, f32::fact(INPUT_SHAPE).into()))
            .and_then(|model| model.into_optimized())
            .and_then(|model| model.into_runnable())
            .map_err(|e| EngineError::Load {
                engine: EngineKind::Tract,
                model: model.source.clone(),
                source: e.into(),
            })?;
        Ok(TractEngine { plan })
    }
}

impl Engine for TractEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Tract
    }

    fn logits(&self, input: &[f32]) -> Result<Vec<f32>, EngineError> {
        check_input(EngineKind::Tract, input)?;
        let run_error = |e: TractError| EngineError::Run {
            engine: EngineKind::Tract,
            source: e.into(),
        };
        // tract owns its input tensors; copying 600 kB costs microseconds next to the network.
        let tensor = Tensor::from_shape(&INPUT_SHAPE, input).map_err(run_error)?;
        let outputs = self.plan.run(tvec!(tensor.into())).map_err(run_error)?;
        let logits = outputs[0].to_plain_array_view::<f32>().map_err(run_error)?;
        check_len(EngineKind::Tract, "the output", logits.len(), NUM_CLASSES)?;
        Ok(logits.iter().copied().collect())
    }
}
