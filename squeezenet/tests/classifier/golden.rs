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
