//! The engines against each other on the test photos: same preprocessing, so the same
//! input tensors, and the same top 5 as ONNX Runtime's (the reference runtime, run from
//! Rust here). Built only with `--features onnxruntime` (CI runs it so, with tract too):
//! without a second engine there is nothing to compare.

#![cfg(feature = "onnxruntime")]

use squeezenet::EngineKind;

use crate::support::{classifier, engines, photo, photo_names};

/// Two classes whose probabilities differ by less than this may come in either order.
const TIE: f32 = 1e-4;

#[test]
fn every_engine_gives_onnxruntimes_top_5_on_every_photo() {
    let reference = classifier(EngineKind::OnnxRuntime);
    let mut compared = 0;
    for name in photo_names() {
        let bytes = photo(&name);
        let input = reference.prepare(&bytes).unwrap();
        let expected = reference.classify_tensor(&input, 5).unwrap();
        for (kind, classifier) in engines().filter(|(k, _)| *k != EngineKind::OnnxRuntime) {
            let got = classifier.classify_tensor(&input, 5).unwrap();
            for (rank, (g, e)) in got.iter().zip(&expected).enumerate() {
                let tied = expected.iter().any(|o| {
                    o.class_index == g.class_index && (o.probability - e.probability).abs() < TIE
                });
                assert!(
                    g.class_index == e.class_index || tied,
                    "{kind}, {name}, rank {}: {} {:.5}, onnxruntime says {} {:.5}",
                    rank + 1,
                    g.label,
                    g.probability,
                    e.label,
                    e.probability
                );
                assert!(
                    (g.probability - e.probability).abs() < 1e-3,
                    "{kind}, {name}: {} {} against {}",
                    g.label,
                    g.probability,
                    e.probability
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 11, "at least rten on the 11 photos");
}
