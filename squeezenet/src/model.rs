//! Where the network and its label list come from: embedded in this crate, or read from files.
//!
//! The SqueezeNet 1.1 weights (4 953 853 bytes of ONNX) and the 1000 ImageNet labels are
//! compiled into every binary that uses this crate (`include_bytes!` of `model/`, whose README
//! gives their source, licence and sha256). A fresh machine with no network and no cache can
//! therefore classify at once; `--model FILE` / `--labels FILE` still load other files.
//!
//! Nothing here reads the environment or the network: a library constructor that did would
//! make a program's behaviour depend on state its user cannot see. Binaries decide which files
//! to use at their edge (their command line) and pass them in.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// The embedded ONNX model: SqueezeNet 1.1, opset 12, input `[1, 3, 224, 224]` f32 NCHW,
/// output `[1, 1000]` raw logits in ImageNet-1k synset order.
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/squeezenet1.1.onnx");
/// The embedded label list: 1000 lines `n02690373 airliner` in the model's output order.
pub static EMBEDDED_LABELS: &str = include_str!("../model/synset.txt");
/// sha256 of [`EMBEDDED_MODEL`], as listed in `model/README.md`.
pub const EMBEDDED_MODEL_SHA256: &str =
    "9cd48a27a4d0f4619b86b8577588e2890669da4c70a7671aabf381dc172bd774";
/// sha256 of [`EMBEDDED_LABELS`], as listed in `model/README.md`.
pub const EMBEDDED_LABELS_SHA256: &str =
    "acf75ef0abe89694b19056e0796401068b459c457baa30335f240c7692857355";

/// Where a model or label list came from, for log lines and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into this program.
    Embedded,
    /// Read from this file.
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Embedded => f.write_str("the embedded SqueezeNet 1.1"),
            Source::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A model or label file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the {what} file {}", path.display())]
pub struct ReadError {
    /// `"model"` or `"labels"`.
    pub what: &'static str,
    /// The file named.
    pub path: PathBuf,
    /// The OS error (not found, permission denied, ...).
    #[source]
    pub source: std::io::Error,
}

/// The bytes of an ONNX model and where they came from.
#[derive(Debug, Clone)]
pub struct ModelBytes {
    /// The serialised ONNX graph and weights.
    pub bytes: Cow<'static, [u8]>,
    /// Where they came from.
    pub source: Source,
}

impl ModelBytes {
    /// The embedded SqueezeNet 1.1; costs nothing (the bytes are in the binary).
    pub fn embedded() -> ModelBytes {
        ModelBytes {
            bytes: Cow::Borrowed(EMBEDDED_MODEL),
            source: Source::Embedded,
        }
    }

    /// Reads the file at `path` (its contents are checked when an engine loads it).
    ///
    /// Errors: [`ReadError`] when the file cannot be read.
    pub fn read(path: &Path) -> Result<ModelBytes, ReadError> {
        let bytes = std::fs::read(path).map_err(|source| ReadError {
            what: "model",
            path: path.to_owned(),
            source,
        })?;
        Ok(ModelBytes {
            bytes: Cow::Owned(bytes),
            source: Source::File(path.to_owned()),
        })
    }

    /// `path`'s model if given, else the embedded one.
    ///
    /// Errors: [`ReadError`].
    pub fn from_option(path: Option<&Path>) -> Result<ModelBytes, ReadError> {
        path.map_or_else(|| Ok(ModelBytes::embedded()), ModelBytes::read)
    }
}

/// Lower-case hex sha256 of `bytes`; 64 characters.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_the_ones_the_readme_lists() {
        assert_eq!(sha256_hex(EMBEDDED_MODEL), EMBEDDED_MODEL_SHA256);
        assert_eq!(
            sha256_hex(EMBEDDED_LABELS.as_bytes()),
            EMBEDDED_LABELS_SHA256
        );
    }

    #[test]
    fn a_missing_file_names_itself() {
        let err = ModelBytes::read(Path::new("/nonexistent/model.onnx")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the model file /nonexistent/model.onnx"
        );
    }
}
