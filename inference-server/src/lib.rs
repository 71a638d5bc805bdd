//! The inference lab: "what is in this picture?" answered by a real pretrained network.
//!
//! This crate holds the image classifier the lab's server uses (the pre-fork server itself
//! comes later): SqueezeNet 1.1 trained on ImageNet-1k, an ONNX model of 5 MB that names one
//! of 1000 classes with a probability.
//!
//! ```no_run
//! use inference_server::{Classifier, ClassifierOptions};
//!
//! let classifier = Classifier::new(&ClassifierOptions::default())?;
//! let photo = std::fs::read("red_panda.jpg")?;
//! for p in classifier.classify(&photo, 5)? {
//!     println!("{:.4} {} ({})", p.probability, p.label, p.class_index);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One module per concern:
//!
//! - [`model`]: where the model and labels come from (path, environment, cache, download),
//!   with sha256 verification;
//! - [`labels`]: the synset file, class index → name;
//! - [`preprocess`]: photo bytes → `[1, 3, 224, 224]` tensor, with limits against
//!   decompression bombs;
//! - [`engine`]: tract (default) or ONNX Runtime (feature `onnxruntime`) running the network;
//! - [`classifier`]: all of the above behind [`Classifier`], plus softmax and top-k.

#![warn(missing_docs)]

pub mod classifier;
pub mod cli;
pub mod client;
pub mod engine;
pub mod labels;
pub mod model;
pub mod prefork;
pub mod preprocess;

pub use classifier::{Classifier, ClassifierOptions, Error, Prediction};
pub use engine::{EngineKind, EngineOptions};
pub use preprocess::Limits;
