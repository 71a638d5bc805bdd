//! The tract engine: `tract-onnx`, a pure-Rust ONNX inference library.
//!
//! tract loads the ONNX graph, then *optimises* it for one fixed input shape: with
//! `[1, 3, 224, 224]` known up front it can fold constants, fuse operators and pick matrix
//! kernels once, instead of on every call. The result is an immutable plan behind an `Arc`;
//! each [`Engine::logits_batch`] call creates its own small run state, so any number of
//! threads can run the same plan at once without locking.
//!
//! **Batches.** A plan is optimised for one batch size, so a batch of N inputs runs on a plan
//! for `[N, 3, 224, 224]`, optimised the first time N is seen (a fraction of a second in a
//! release build) and kept: a worker batching up to 8 photos ends up with at most 8 plans.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tract_onnx::prelude::*;

use super::{Engine, EngineError, EngineKind, check_batch};
use crate::model::ModelBytes;

type Plan = Arc<TypedRunnableModel>;

/// SqueezeNet optimised and ready to run with tract.
#[derive(Debug)]
pub struct TractEngine {
    model: ModelBytes,
    /// Plans by batch size; 1 is built at load time.
    plans: Mutex<HashMap<usize, Plan>>,
}

impl TractEngine {
    /// Loads the ONNX `model` and optimises it for one `[1, 3, 224, 224]` f32 input.
    ///
    /// Errors: [`EngineError::Load`] if the bytes are not a model tract can load with that input.
    pub fn load(model: &ModelBytes) -> Result<TractEngine, EngineError> {
        let single = optimise(model, 1)?;
        Ok(TractEngine {
            model: model.clone(),
            plans: Mutex::new(HashMap::from([(1, single)])),
        })
    }

    /// The plan for batches of `batch`, optimised now if it is the first such batch.
    fn plan(&self, batch: usize) -> Result<Plan, EngineError> {
        let plans = || self.plans.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(plan) = plans().get(&batch) {
            return Ok(plan.clone());
        }
        // Optimised without the lock, so runs of other sizes go on meanwhile; two threads
        // meeting a new size at once both optimise it, and one plan is kept.
        let plan = optimise(&self.model, batch)?;
        Ok(plans().entry(batch).or_insert(plan).clone())
    }
}

/// Loads `model` and optimises it for a `[batch, 3, 224, 224]` f32 input.
fn optimise(model: &ModelBytes, batch: usize) -> Result<Plan, EngineError> {
    let shape = super::batch_shape(batch);
    tract_onnx::onnx()
        .model_for_read(&mut &model.bytes[..])
        .and_then(|m| m.with_input_fact(0, f32::fact(shape).into()))
        // The file declares a `[1, 1000]` output; tract infers the real one from the input.
        .and_then(|m| m.with_output_fact(0, InferenceFact::default()))
        .and_then(|m| m.into_optimized())
        .and_then(|m| m.into_runnable())
        .map_err(|e| EngineError::Load {
            engine: EngineKind::Tract,
            model: model.source.clone(),
            source: e.into(),
        })
}

impl Engine for TractEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Tract
    }

    fn logits_batch(&self, inputs: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        let batch = check_batch(EngineKind::Tract, inputs)?;
        let run_error = |e: TractError| EngineError::Run {
            engine: EngineKind::Tract,
            source: e.into(),
        };
        let plan = self.plan(batch)?;
        let shape = super::batch_shape(batch);
        // tract owns its input tensors; copying 600 kB a photo costs microseconds next to
        // the network.
        let tensor = Tensor::from_shape(&shape, inputs).map_err(run_error)?;
        let outputs = plan.run(tvec!(tensor.into())).map_err(run_error)?;
        let logits = outputs[0].to_plain_array_view::<f32>().map_err(run_error)?;
        // A view in whatever layout tract left it: collected in logical order.
        let logits: Vec<f32> = logits.iter().copied().collect();
        super::split_logits(EngineKind::Tract, batch, &logits)
    }
}
