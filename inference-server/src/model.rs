//! Where the model and label files come from: locating, downloading and verifying them.
//!
//! Lookup order, first match wins, for both files:
//!
//! 1. an explicit path (`--model`, `--labels`);
//! 2. the environment: `NETLABS_MODEL`, `NETLABS_LABELS` (the workspace's `.cargo/config.toml`
//!    points them at `../shared/models/squeezenet1.1/` for `cargo test` and `cargo run`);
//! 3. the per-user cache, `$XDG_CACHE_HOME/netlabs/` or else `~/.cache/netlabs/`
//!    (`squeezenet1.1-7.onnx`, `synset.txt`);
//! 4. for the model only: download the ONNX model zoo's `squeezenet1.1-7.onnx` into the cache,
//!    check its sha256 *before* it is written or used, and use it.
//!
//! A path given explicitly (1, 2) that does not exist is an error, not a reason to fall through:
//! silently using another file than the one asked for would be a nasty surprise. Files in the
//! cache are verified against the known sha256 sums on every start (5 MB, a few milliseconds),
//! so a truncated or tampered cache is caught; files the user names are trusted as given.
//! The label list has no verified download location, so when it is missing the error says
//! where to put it.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// Environment variable naming the model file.
pub const MODEL_ENV: &str = "NETLABS_MODEL";
/// Environment variable naming the label (synset) file.
pub const LABELS_ENV: &str = "NETLABS_LABELS";
/// File name of the model in the cache: the ONNX model zoo's name.
pub const MODEL_FILE_NAME: &str = "squeezenet1.1-7.onnx";
/// File name of the label list in the cache.
pub const LABELS_FILE_NAME: &str = "synset.txt";
/// Where the ONNX model zoo serves SqueezeNet 1.1 (opset 7).
pub const MODEL_URL: &str = "https://github.com/onnx/models/raw/main/validated/vision/classification/squeezenet/model/squeezenet1.1-7.onnx";
/// sha256 of the zoo's `squeezenet1.1-7.onnx` (4 956 208 bytes), the file [`MODEL_URL`] serves.
pub const ZOO_MODEL_SHA256: &str =
    "1eeff551a67ae8d565ca33b572fc4b66e3ef357b0eb2863bb9ff47a918cc4088";
/// sha256 of `../shared/models/squeezenet1.1/squeezenet1.1.onnx` (4 953 853 bytes): the same
/// weights re-serialised at opset 12; accepted in the cache too.
pub const SHARED_MODEL_SHA256: &str =
    "9cd48a27a4d0f4619b86b8577588e2890669da4c70a7671aabf381dc172bd774";
/// sha256 of the known-good `synset.txt` (1000 lines, model output order).
pub const LABELS_SHA256: &str = "acf75ef0abe89694b19056e0796401068b459c457baa30335f240c7692857355";
/// Largest download accepted, bytes: the model is 5 MB, so a bigger answer is not the model.
const MAX_DOWNLOAD_BYTES: u64 = 64 * 1024 * 1024;
/// Give up on a download after this long, so that a firewalled machine fails in bounded time.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// Where a file was found, for log lines and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line option (`--model`, `--labels`) or an explicit library argument.
    Explicit,
    /// An environment variable ([`MODEL_ENV`], [`LABELS_ENV`]).
    Environment(&'static str),
    /// The per-user cache directory, already present.
    Cache,
    /// Downloaded just now into the cache.
    Downloaded,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Explicit => f.write_str("given explicitly"),
            Origin::Environment(var) => write!(f, "from ${var}"),
            Origin::Cache => f.write_str("from the cache"),
            Origin::Downloaded => f.write_str("downloaded"),
        }
    }
}

/// A located file and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Path of the file; it existed when located.
    pub path: PathBuf,
    /// How it was found.
    pub origin: Origin,
}

/// Why the model or label file could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A path given explicitly or through the environment does not exist.
    #[error("{what} file {} ({origin}) does not exist", path.display())]
    Missing {
        /// `"model"` or `"labels"`.
        what: &'static str,
        /// The path that was given.
        path: PathBuf,
        /// How it was given.
        origin: Origin,
    },
    /// Reading or writing a file failed.
    #[error("cannot access {}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A cached or downloaded file does not have a known sha256 sum.
    #[error(
        "{} has sha256 {actual}, expected {expected}: the file is corrupt, truncated or not the \
         right one; delete it (it will be downloaded again if possible) or replace it",
        path.display()
    )]
    Checksum {
        /// The file checked, or the cache path a download was meant for.
        path: PathBuf,
        /// Its sha256, lower-case hex.
        actual: String,
        /// The accepted sum(s).
        expected: String,
    },
    /// The model is nowhere locally and downloading it failed (offline, firewalled, ...).
    #[error(
        "the SqueezeNet 1.1 model was not found and downloading it from {url} failed; \
         download squeezenet1.1-7.onnx (sha256 {ZOO_MODEL_SHA256}) by other means and put it \
         at {}, or pass --model FILE, or set {MODEL_ENV}=FILE",
        cache_path.display()
    )]
    Download {
        /// The URL tried.
        url: String,
        /// Where the file should go.
        cache_path: PathBuf,
        /// The network or HTTP error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The label list is nowhere: it is not downloaded automatically.
    #[error(
        "the ImageNet label list was not found: put synset.txt (1000 lines such as \
         \"n02690373 airliner\"; it sits next to the model in the ONNX model zoo) at {}, \
         or pass --labels FILE, or set {LABELS_ENV}=FILE",
        cache_path.display()
    )]
    LabelsNotFound {
        /// Where the file should go.
        cache_path: PathBuf,
    },
    /// No explicit path, no environment variable, and no home directory for a cache.
    #[error(
        "no {what} file given and no cache directory (neither XDG_CACHE_HOME nor HOME is set); \
         pass --{what} FILE or set {var}=FILE"
    )]
    NoCacheDir {
        /// `"model"` or `"labels"`.
        what: &'static str,
        /// The environment variable that would name it.
        var: &'static str,
    },
}

/// Finds (and if need be downloads) the model and label files.
///
/// All inputs are plain fields so that tests can exercise the lookup order without touching
/// the process environment; [`Locator::from_env`] fills them from the real one.
#[derive(Debug, Clone)]
pub struct Locator {
    /// Model path given explicitly (`--model`).
    pub model: Option<PathBuf>,
    /// Labels path given explicitly (`--labels`).
    pub labels: Option<PathBuf>,
    /// Value of [`MODEL_ENV`], if set and not empty.
    pub model_env: Option<PathBuf>,
    /// Value of [`LABELS_ENV`], if set and not empty.
    pub labels_env: Option<PathBuf>,
    /// The per-user cache directory (`.../netlabs`), if there is a home to put it in.
    pub cache_dir: Option<PathBuf>,
    /// Where to download the model from; [`MODEL_URL`] except in tests.
    pub model_url: String,
}

impl Locator {
    /// A locator with the explicit paths given and everything else from the environment.
    pub fn from_env(model: Option<PathBuf>, labels: Option<PathBuf>) -> Locator {
        let var = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Locator {
            model,
            labels,
            model_env: var(MODEL_ENV),
            labels_env: var(LABELS_ENV),
            cache_dir: default_cache_dir(),
            model_url: MODEL_URL.to_owned(),
        }
    }

    /// The model file, looked up in the order described in the [module docs](self);
    /// downloads and verifies it if it is nowhere.
    ///
    /// Errors: [`ModelError::Missing`] for a named file that does not exist,
    /// [`ModelError::Checksum`] for a bad cached or downloaded file, [`ModelError::Download`]
    /// when offline, [`ModelError::NoCacheDir`], [`ModelError::Io`].
    pub fn model(&self) -> Result<Located, ModelError> {
        if let Some(found) = explicit("model", &self.model, &self.model_env, MODEL_ENV)? {
            return Ok(found);
        }
        let dir = self.cache_dir.as_ref().ok_or(ModelError::NoCacheDir {
            what: "model",
            var: MODEL_ENV,
        })?;
        let path = dir.join(MODEL_FILE_NAME);
        if path.exists() {
            verify_file(&path, &[ZOO_MODEL_SHA256, SHARED_MODEL_SHA256])?;
            return Ok(Located {
                path,
                origin: Origin::Cache,
            });
        }
        log::info!("model not found locally; downloading {}", self.model_url);
        download_verified(&self.model_url, &path, ZOO_MODEL_SHA256)?;
        log::info!("saved the model to {}", path.display());
        Ok(Located {
            path,
            origin: Origin::Downloaded,
        })
    }

    /// The label file, looked up like the model but never downloaded.
    ///
    /// Errors: [`ModelError::Missing`], [`ModelError::LabelsNotFound`],
    /// [`ModelError::Checksum`] for a bad cached file, [`ModelError::NoCacheDir`].
    pub fn labels(&self) -> Result<Located, ModelError> {
        if let Some(found) = explicit("labels", &self.labels, &self.labels_env, LABELS_ENV)? {
            return Ok(found);
        }
        let dir = self.cache_dir.as_ref().ok_or(ModelError::NoCacheDir {
            what: "labels",
            var: LABELS_ENV,
        })?;
        let path = dir.join(LABELS_FILE_NAME);
        if !path.exists() {
            return Err(ModelError::LabelsNotFound { cache_path: path });
        }
        verify_file(&path, &[LABELS_SHA256])?;
        Ok(Located {
            path,
            origin: Origin::Cache,
        })
    }
}

/// The explicit path if given, else the environment's; `None` if neither is set.
fn explicit(
    what: &'static str,
    given: &Option<PathBuf>,
    from_env: &Option<PathBuf>,
    var: &'static str,
) -> Result<Option<Located>, ModelError> {
    let found = match (given, from_env) {
        (Some(path), _) => (path, Origin::Explicit),
        (None, Some(path)) => (path, Origin::Environment(var)),
        (None, None) => return Ok(None),
    };
    let (path, origin) = found;
    if !path.is_file() {
        return Err(ModelError::Missing {
            what,
            path: path.clone(),
            origin,
        });
    }
    Ok(Some(Located {
        path: path.clone(),
        origin,
    }))
}

/// `$XDG_CACHE_HOME/netlabs` if `XDG_CACHE_HOME` is set (and absolute, as the XDG spec
/// requires), else `$HOME/.cache/netlabs`; `None` without either.
pub fn default_cache_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|home| PathBuf::from(home).join(".cache"))
    })?;
    Some(base.join("netlabs"))
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks that the file at `path` has one of the `accepted` sha256 sums.
///
/// Errors: [`ModelError::Io`], [`ModelError::Checksum`].
pub fn verify_file(path: &Path, accepted: &[&str]) -> Result<(), ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.to_owned(),
        source,
    })?;
    verify_bytes(&bytes, path, accepted)
}

fn verify_bytes(bytes: &[u8], path: &Path, accepted: &[&str]) -> Result<(), ModelError> {
    let actual = sha256_hex(bytes);
    if accepted.contains(&actual.as_str()) {
        Ok(())
    } else {
        Err(ModelError::Checksum {
            path: path.to_owned(),
            actual,
            expected: accepted.join(" or "),
        })
    }
}

/// Downloads `url`, checks the body's sha256 against `sha256`, and only then writes it to
/// `dest` (through a temporary file and a rename, so that an interrupted run or a concurrent
/// one never leaves a half-written model behind).
///
/// Errors: [`ModelError::Download`] for network and HTTP failures (including a body larger
/// than 64 MiB), [`ModelError::Checksum`], [`ModelError::Io`].
pub fn download_verified(url: &str, dest: &Path, sha256: &str) -> Result<(), ModelError> {
    let download_error = |source: Box<dyn std::error::Error + Send + Sync>| ModelError::Download {
        url: url.to_owned(),
        cache_path: dest.to_owned(),
        source,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(DOWNLOAD_TIMEOUT))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| download_error(e.into()))?;
    let mut bytes = Vec::new();
    // Read one byte more than allowed to tell "exactly at the limit" from "over it".
    response
        .body_mut()
        .as_reader()
        .take(MAX_DOWNLOAD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| download_error(e.into()))?;
    if bytes.len() as u64 > MAX_DOWNLOAD_BYTES {
        return Err(download_error(
            format!("the answer is larger than {MAX_DOWNLOAD_BYTES} bytes").into(),
        ));
    }
    verify_bytes(&bytes, dest, &[sha256])?;
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| ModelError::Io { path, source }
    };
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let partial = dest.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, &bytes).map_err(io_error(&partial))?;
    std::fs::rename(&partial, dest).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        ModelError::Io {
            path: dest.to_owned(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A locator that can only see what the test puts in `dir`, with an unreachable URL.
    fn isolated(dir: &Path) -> Locator {
        Locator {
            model: None,
            labels: None,
            model_env: None,
            labels_env: None,
            cache_dir: Some(dir.join("cache")),
            // Port 1 on loopback: connection refused at once, like an offline machine.
            model_url: "http://127.0.0.1:1/squeezenet1.1-7.onnx".to_owned(),
        }
    }

    fn touch(path: &Path, content: &[u8]) -> PathBuf {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        path.to_owned()
    }

    #[test]
    fn explicit_beats_environment_beats_cache() {
        let dir = tempfile::tempdir().unwrap();
        let given = touch(&dir.path().join("given.onnx"), b"a");
        let from_env = touch(&dir.path().join("env.onnx"), b"b");
        let mut locator = isolated(dir.path());
        locator.model = Some(given.clone());
        locator.model_env = Some(from_env.clone());
        let found = locator.model().unwrap();
        assert_eq!((found.path, found.origin), (given, Origin::Explicit));

        locator.model = None;
        let found = locator.model().unwrap();
        assert_eq!(
            (found.path, found.origin),
            (from_env, Origin::Environment(MODEL_ENV))
        );
    }

    #[test]
    fn missing_named_file_is_an_error_not_a_fallthrough() {
        let dir = tempfile::tempdir().unwrap();
        let mut locator = isolated(dir.path());
        locator.labels_env = Some(dir.path().join("nope.txt"));
        let err = locator.labels().unwrap_err();
        assert!(
            matches!(err, ModelError::Missing { what: "labels", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("nope.txt"), "{err}");
        assert!(err.to_string().contains("$NETLABS_LABELS"), "{err}");
    }

    #[test]
    fn cached_model_is_used_when_its_checksum_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let locator = isolated(dir.path());
        let cached = dir.path().join("cache").join(MODEL_FILE_NAME);
        // Any content with a known sum will do for the lookup; the real file would too.
        std::fs::create_dir_all(cached.parent().unwrap()).unwrap();
        let shared = std::env::var_os(MODEL_ENV)
            .map(PathBuf::from)
            .expect("NETLABS_MODEL must name the shared model (see .cargo/config.toml)");
        std::fs::copy(&shared, &cached).unwrap_or_else(|e| panic!("{}: {e}", shared.display()));
        let found = locator.model().unwrap();
        assert_eq!((found.path, found.origin), (cached, Origin::Cache));
    }

    #[test]
    fn corrupt_cached_model_is_rejected_with_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let locator = isolated(dir.path());
        let cached = touch(
            &dir.path().join("cache").join(MODEL_FILE_NAME),
            b"not a model",
        );
        let err = locator.model().unwrap_err();
        let ModelError::Checksum { path, actual, .. } = &err else {
            panic!("expected a checksum error, got {err}");
        };
        assert_eq!(path, &cached);
        assert_eq!(actual, &sha256_hex(b"not a model"));
        let message = err.to_string();
        assert!(
            message.contains(ZOO_MODEL_SHA256) && message.contains("delete it"),
            "{message}"
        );
    }

    #[test]
    fn offline_download_says_where_to_put_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let locator = isolated(dir.path());
        let err = locator.model().unwrap_err();
        let ModelError::Download { cache_path, .. } = &err else {
            panic!("expected a download error, got {err}");
        };
        assert_eq!(cache_path, &dir.path().join("cache").join(MODEL_FILE_NAME));
        let message = err.to_string();
        for needle in ["127.0.0.1:1", "squeezenet1.1-7.onnx", "--model", MODEL_ENV] {
            assert!(
                message.contains(needle),
                "{needle:?} missing from: {message}"
            );
        }
        assert!(!cache_path.exists(), "nothing may be written on failure");
    }

    #[test]
    fn downloaded_bytes_with_a_wrong_checksum_are_not_saved() {
        // A one-shot HTTP server on loopback that serves the wrong bytes.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/model.onnx", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 1024];
            let _ = std::io::Read::read(&mut stream, &mut request).unwrap();
            let body = b"definitely not squeezenet";
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
            std::io::Write::write_all(&mut stream, body).unwrap();
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("cache").join(MODEL_FILE_NAME);
        let err = download_verified(&url, &dest, ZOO_MODEL_SHA256).unwrap_err();
        server.join().unwrap();
        assert!(matches!(err, ModelError::Checksum { .. }), "{err}");
        assert!(
            !dest.exists(),
            "a file with a wrong checksum must not be saved"
        );
    }

    #[test]
    fn labels_are_never_downloaded_and_the_error_says_where_to_put_them() {
        let dir = tempfile::tempdir().unwrap();
        let err = isolated(dir.path()).labels().unwrap_err();
        assert!(matches!(err, ModelError::LabelsNotFound { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("synset.txt") && message.contains("--labels"),
            "{message}"
        );
    }

    #[test]
    fn no_home_no_cache() {
        let mut locator = isolated(Path::new("/nonexistent"));
        locator.cache_dir = None;
        let err = locator.model().unwrap_err();
        assert!(
            matches!(err, ModelError::NoCacheDir { what: "model", .. }),
            "{err}"
        );
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
