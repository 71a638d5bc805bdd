//! Shared fixtures: the test photos (from `testkit::data`) and one classifier per engine.

use std::sync::OnceLock;

use squeezenet::{Classifier, ClassifierOptions, EngineKind, EngineOptions};

pub use testkit::data::{photo, photo_names};

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
                let classifier = Classifier::embedded(&options).unwrap_or_else(|e| {
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
