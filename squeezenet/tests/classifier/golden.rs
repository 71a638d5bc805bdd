//! The ONNX model zoo's reference tensors: same input, same logits, on every engine.

use crate::npy;
use crate::support::engines;

#[test]
fn golden_logits_match_the_zoo_reference_outputs() {
    for (kind, classifier) in engines() {
        for set in 0..3 {
            let dir = testkit::data::golden_set(set);
            let (input_shape, input) = npy::read_f32(&dir.join("input_0.npy"));
            let (output_shape, expected) = npy::read_f32(&dir.join("output_0.npy"));
            assert_eq!(input_shape, [1, 3, 224, 224]);
            assert_eq!(output_shape, [1, 1000]);

            let logits = classifier.logits(&input).unwrap();
            let worst = logits
                .iter()
                .zip(&expected)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(
                worst < 1e-3,
                "{kind}, set {set}: max |logit - reference| = {worst}"
            );

            let top = classifier.classify_tensor(&input, 1).unwrap();
            assert_eq!(top[0].class_index, 490, "{kind}, set {set}: argmax");
        }
    }
}

#[test]
fn a_batch_of_the_golden_inputs_gives_each_its_own_logits() {
    let sets: Vec<(Vec<f32>, Vec<f32>)> = (0..3)
        .map(|set| {
            let dir = testkit::data::golden_set(set);
            (
                npy::read_f32(&dir.join("input_0.npy")).1,
                npy::read_f32(&dir.join("output_0.npy")).1,
            )
        })
        .collect();
    // Set 2, 0, 1, 2: out of order, and one input twice.
    let order = [2, 0, 1, 2];
    let batch: Vec<f32> = order
        .iter()
        .flat_map(|&i| sets[i].0.iter().copied())
        .collect();
    for (kind, classifier) in engines() {
        let predictions = classifier.classify_batch(&batch, 1000).unwrap();
        assert_eq!(predictions.len(), order.len(), "{kind}");
        for (&set, predicted) in order.iter().zip(&predictions) {
            let single = classifier.classify_tensor(&sets[set].0, 1000).unwrap();
            assert_eq!(predicted[0].class_index, 490, "{kind}, set {set}");
            // Row by row, the same answer as one input at a time (batched matrix products
            // may sum in another order: allow rounding).
            for (b, s) in predicted.iter().zip(&single).take(5) {
                assert_eq!(b.class_index, s.class_index, "{kind}, set {set}");
                assert!(
                    (b.probability - s.probability).abs() < 1e-4,
                    "{kind}, set {set}"
                );
            }
        }
        let error = classifier
            .classify_batch(&batch[..batch.len() - 1], 5)
            .unwrap_err();
        assert!(
            error.to_string().contains("wrong tensor size"),
            "{kind}: {error}"
        );
    }
}
