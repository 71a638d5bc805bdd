//! SqueezeNet 1.1, the ImageNet-1k classifier the inference lab and the recognition web
//! service use: "what is in this picture?" answered by a real pretrained network, offline.
//!
//! The model (5 MB of ONNX) and its 1000 labels are embedded, so this works on a fresh machine
//! with no network and nothing installed:
//!
//! ```no_run
//! use squeezenet::{Classifier, ClassifierOptions};
//!
//! let classifier = Classifier::embedded(&ClassifierOptions::default())?;
//! let photo = std::fs::read("red_panda.jpg")?;
//! for p in classifier.classify(&photo, 5)? {
//!     println!("{:.4} {} ({})", p.probability, p.label, p.class_index);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One module per concern:
//!
//! - [`model`]: the embedded network and label list, or files named by the caller;
//! - [`labels`]: the synset file, class index → name;
//! - [`preprocess`]: photo bytes → `[1, 3, 224, 224]` tensor, with bounded memory against
//!   decompression bombs;
//! - [`engine`]: rten (default), tract (feature `tract`) or ONNX Runtime (feature
//!   `onnxruntime`) running the network;
//! - [`classifier`]: all of the above behind [`Classifier`], plus softmax and top-k;
//! - [`cli`]: the `--model/--labels/--engine` options every classifying program shares.
//!
//! How to classify from the command line, where the model comes from, and each engine's speed:
//! `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod classifier;
pub mod cli;
pub mod engine;
pub mod labels;
pub mod model;
pub mod onnx_batch;
pub mod preprocess;

pub use classifier::{Classifier, ClassifierOptions, Error, Prediction};
pub use engine::{EngineKind, EngineOptions};
pub use preprocess::Limits;
