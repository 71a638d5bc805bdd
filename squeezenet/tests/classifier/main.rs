//! Integration tests of the classifier on the embedded model, the golden tensors and the
//! test photos.
//!
//! One test binary (this directory) rather than one per file: the model is loaded once per
//! engine and shared by all tests, and tract is linked once. Every test runs on every engine
//! compiled in (`EngineKind::ALL`): rten always, tract with `--features tract`, ONNX Runtime
//! with `--features onnxruntime`.
//!
//! The data is committed under `testdata/` (see `testkit::data`). Missing data is a test
//! failure, never a skip: a green run must mean the classifier was really checked.

mod bad_input;
mod cli;
mod concurrency;
mod engines;
mod golden;
mod npy;
mod photos;
mod support;
