//! Shared fixtures: data paths and one classifier per engine.

use std::path::PathBuf;
use std::sync::OnceLock;

use inference_server::{Classifier, ClassifierOptions, EngineKind, EngineOptions};

/// `../shared` (from `NETLABS_SHARED`); panics with a clear message if it is not there.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("NETLABS_SHARED")
        .map(PathBuf::from)
        .expect(
            "NETLABS_SHARED is not set: run the tests with cargo from the workspace \
         (.cargo/config.toml sets it) or point it at the shared data directory",
        );
    assert!(
        dir.join("images").is_dir(),
        "no images/ in NETLABS_SHARED={}",
        dir.display()
    );
    dir
}

/// A file of `../shared/images`, read into memory.
pub fn photo(name: &str) -> Vec<u8> {
    let path = shared().join("images").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Names of all shared photos (`*.jpg`, `*.jpeg`), sorted.
pub fn photo_names() -> Vec<String> {
    let dir = shared().join("images");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".jpg") || name.ends_with(".jpeg"))
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        11,
        "expected the 11 shared photos, found {names:?}"
    );
    names
}

/// The classifier for `kind`, loaded on first use and shared by all tests of this binary.
pub fn classifier(kind: EngineKind) -> &'static Classifier {
    static CLASSIFIERS: OnceLock<Vec<(EngineKind, Classifier)>> = OnceLock::new();
    let all = CLASSIFIERS.get_or_init(|| {
        EngineKind::ALL
            .iter()
            .map(|&kind| {
                let options = ClassifierOptions {
                    engine: EngineOptions {
                        kind,
                        threads: None,
                    },
                    ..ClassifierOptions::default()
                };
                let classifier = Classifier::new(&options).unwrap_or_else(|e| {
                    panic!(
                        "cannot load the {kind} classifier: {:#}",
                        anyhow::Error::from(e)
                    )
                });
                (kind, classifier)
            })
            .collect()
    });
    &all.iter()
        .find(|(k, _)| *k == kind)
        .expect("compiled-in engine")
        .1
}

/// Every compiled-in engine with its classifier.
pub fn engines() -> impl Iterator<Item = (EngineKind, &'static Classifier)> {
    EngineKind::ALL.iter().map(|&kind| (kind, classifier(kind)))
}
