//! The classifier: photo bytes in, the k most likely ImageNet classes out.
//!
//! It ties the other modules together: [`crate::model`] provides the network's bytes, [`crate::labels`]
//! names the classes, [`crate::preprocess`] prepares the tensor, an [`crate::engine`] computes
//! the logits, and softmax turns them into probabilities. Build one [`Classifier`] per process
//! (loading and optimising the model takes a while) and share it: it is `Send + Sync`, and
//! [`Classifier::classify`] takes `&self`.

use std::path::Path;

use crate::engine::{self, Engine, EngineError, EngineKind, EngineOptions};
use crate::labels::{Labels, LabelsError, NUM_CLASSES};
use crate::model::{ModelBytes, ReadError, Source};
use crate::preprocess::{self, ImageError, Limits};

/// One answer: a class and how likely the network thinks it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The class's first synset name, e.g. `airliner` or `lesser panda`.
    pub label: String,
    /// Index of the class, 0..1000, in ImageNet-1k synset order (the model's output order),
    /// e.g. 387 for `lesser panda`.
    pub class_index: usize,
    /// Softmax probability in [0, 1]; over all 1000 classes they sum to 1.
    pub probability: f32,
}

/// Any failure of the classifier.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model file could not be read.
    #[error(transparent)]
    Model(#[from] ReadError),
    /// The label file is unreadable or malformed.
    #[error(transparent)]
    Labels(#[from] LabelsError),
    /// The photo could not be decoded or is outside the limits.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The engine could not load or run the model.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// How to build a [`Classifier`]: which engine, and the limits every photo is checked against.
#[derive(Debug, Clone, Default)]
pub struct ClassifierOptions {
    /// Engine and its threads.
    pub engine: EngineOptions,
    /// Limits applied to every photo before decoding.
    pub limits: Limits,
}

/// SqueezeNet 1.1 with its labels, loaded once and shared by all threads.
pub struct Classifier {
    engine: Box<dyn Engine>,
    labels: Labels,
    limits: Limits,
    model: Source,
    large_decodes: crate::preprocess::LargeDecodes,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("engine", &self.engine.kind())
            .field("model", &self.model)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Classifier {
    /// The embedded SqueezeNet 1.1 and label list in the engine `options` name: works on any
    /// machine, offline, with nothing installed. Loading takes about 0.1-0.5 s (the engine
    /// optimises the graph), so build one per process and share it.
    ///
    /// Errors: [`Error::Engine`] (e.g. ONNX Runtime missing).
    pub fn embedded(options: &ClassifierOptions) -> Result<Classifier, Error> {
        Classifier::load(None, None, options)
    }

    /// The model and label files given, each `None` meaning the embedded one.
    ///
    /// Errors: [`Error::Model`] and [`Error::Labels`] for unreadable or malformed files,
    /// [`Error::Engine`] for a file the engine cannot load.
    pub fn load(
        model: Option<&Path>,
        labels: Option<&Path>,
        options: &ClassifierOptions,
    ) -> Result<Classifier, Error> {
        // Labels first: a bad label file is found in microseconds, before the model loads.
        let labels = Labels::from_option(labels)?;
        let model = ModelBytes::from_option(model)?;
        log::info!(
            "loading {} with the {} engine",
            model.source,
            options.engine.kind
        );
        let engine = engine::load(&model, &options.engine)?;
        Ok(Classifier {
            engine,
            labels,
            limits: options.limits,
            model: model.source,
            large_decodes: crate::preprocess::LargeDecodes::new(options.limits.large_decodes),
        })
    }

    /// The engine running the network.
    pub fn engine(&self) -> EngineKind {
        self.engine.kind()
    }

    /// Where the model in use came from.
    pub fn model(&self) -> &Source {
        &self.model
    }

    /// The `k` most likely classes for a photo (JPEG, PNG, GIF or WebP bytes), most likely
    /// first; fewer if `k` > 1000.
    ///
    /// Errors: [`Error::Image`] for bad photos, [`Error::Engine`].
    pub fn classify(&self, image_bytes: &[u8], k: usize) -> Result<Vec<Prediction>, Error> {
        self.classify_tensor(&self.prepare(image_bytes)?, k)
    }

    /// The network input for a photo (JPEG, PNG, GIF or WebP bytes): 150 528 `f32` values,
    /// `[1, 3, 224, 224]` NCHW, decoded under this classifier's limits (see
    /// [`crate::preprocess`]). With [`Classifier::classify_batch`], the two halves of
    /// [`Classifier::classify`], for callers that batch photos.
    ///
    /// Errors: [`Error::Image`].
    pub fn prepare(&self, image_bytes: &[u8]) -> Result<Vec<f32>, Error> {
        Ok(preprocess::preprocess_gated(
            image_bytes,
            &self.limits,
            &self.large_decodes,
        )?)
    }

    /// The `k` most likely classes of each of N prepared inputs laid one after the other
    /// (N x 150 528 values, `[N, 3, 224, 224]`), from one run of the network; answers in
    /// input order.
    ///
    /// Errors: [`Error::Engine`], also for a length that is not a positive multiple of
    /// 150 528.
    pub fn classify_batch(&self, inputs: &[f32], k: usize) -> Result<Vec<Vec<Prediction>>, Error> {
        let logits = self.engine.logits_batch(inputs)?;
        Ok(logits.iter().map(|l| self.top_k_labels(l, k)).collect())
    }

    /// Like [`Classifier::classify`] for an already prepared input: 150 528 `f32` values,
    /// `[1, 3, 224, 224]` NCHW (see [`crate::preprocess`]).
    ///
    /// Errors: [`Error::Engine`], also for a wrong input length.
    pub fn classify_tensor(&self, input: &[f32], k: usize) -> Result<Vec<Prediction>, Error> {
        Ok(self.top_k_labels(&self.logits(input)?, k))
    }

    /// Softmax over `logits`, then the `k` most likely classes with their names.
    fn top_k_labels(&self, logits: &[f32], k: usize) -> Vec<Prediction> {
        top_k(&softmax(logits), k)
            .into_iter()
            .map(|(class_index, probability)| Prediction {
                label: self.labels.name(class_index).unwrap_or("?").to_owned(),
                class_index,
                probability,
            })
            .collect()
    }

    /// The network's 1000 raw logits (before softmax), ImageNet-1k synset order, for an input
    /// of 150 528 `f32` values, `[1, 3, 224, 224]` NCHW. For golden tests and tools.
    ///
    /// Errors: [`Error::Engine`].
    pub fn logits(&self, input: &[f32]) -> Result<Vec<f32>, Error> {
        let logits = self.engine.logits(input)?;
        debug_assert_eq!(logits.len(), NUM_CLASSES);
        Ok(logits)
    }
}

/// Softmax: `exp(x_i) / sum_j exp(x_j)`, each in [0, 1], summing to 1.
///
/// The maximum is subtracted first so that `exp` cannot overflow (logits of 100 would give
/// `inf`); the result is mathematically the same.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&x| (x - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// Indices and values of the `k` largest values, largest first; ties keep the lower index
/// first, so the answer is deterministic.
pub fn top_k(values: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut indexed: Vec<(usize, f32)> = values.iter().copied().enumerate().collect();
    // `total_cmp` orders every f32, NaN included, so sorting never panics.
    indexed.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    indexed.truncate(k);
    indexed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_is_a_stable_probability_distribution() {
        let p = softmax(&[1000.0, 1000.0, 0.0]);
        assert!((p[0] - 0.5).abs() < 1e-6 && (p[1] - 0.5).abs() < 1e-6 && p[2] < 1e-6);
        let p = softmax(&[1.0, 2.0, 3.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((p[2] - 0.665_241_1).abs() < 1e-6);
    }

    #[test]
    fn top_k_orders_by_value_then_index() {
        assert_eq!(
            top_k(&[0.1, 0.5, 0.2, 0.5], 3),
            vec![(1, 0.5), (3, 0.5), (2, 0.2)]
        );
        assert_eq!(top_k(&[0.1], 5).len(), 1);
    }

    #[test]
    fn classifier_is_send_and_sync() {
        fn assert_shareable<T: Send + Sync>() {}
        assert_shareable::<Classifier>();
    }
}
