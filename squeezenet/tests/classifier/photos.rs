//! Real photos with known classes (`testdata/photos/README.md`).

use crate::support::{engines, photo};

/// A photo, the classes that count as right, and for confident photos the top-1 probability
/// the README reports (measured with onnxruntime and Pillow's bilinear resize).
struct Expected {
    file: &'static str,
    classes: &'static [usize],
    top1_probability: Option<f32>,
}

const fn top1(file: &'static str, classes: &'static [usize], probability: f32) -> Expected {
    Expected {
        file,
        classes,
        top1_probability: Some(probability),
    }
}

const fn top5(file: &'static str, classes: &'static [usize]) -> Expected {
    Expected {
        file,
        classes,
        top1_probability: None,
    }
}

const PHOTOS: &[Expected] = &[
    top1("webnn-native_test_redpanda.jpg", &[387], 0.9998),
    top1("burn_flamingo_500px.jpg", &[130], 0.996),
    top1("wonnx_pelican.jpeg", &[144], 0.688),
    top1("burn_coyote.jpg", &[272], 0.618),
    top5("burn_cat.jpg", &[281, 285]),
    top5("deeplearn_cat.jpg", &[281]),
    top5("wonnx_bald_eagle.jpeg", &[22]),
    top5("burn_bridge_500px.jpg", &[839]),
    top5("burn_torch.jpg", &[862]),
    top5("caffe_cat.jpg", &[281]),
    top5("tract_grace_hopper.jpg", &[652]),
];

/// Within this much of the README's probability: decoders (zune-jpeg here, libjpeg-turbo in
/// Pillow) and resizers round differently, which moves probabilities by about 0.01.
const TOLERANCE: f32 = 0.02;

#[test]
fn every_shared_photo_is_listed() {
    let listed: Vec<&str> = PHOTOS.iter().map(|p| p.file).collect();
    for name in crate::support::photo_names() {
        assert!(listed.contains(&name.as_str()), "{name} has no expectation");
    }
}

#[test]
fn photos_get_their_expected_classes() {
    for (kind, classifier) in engines() {
        let mut failures = Vec::new();
        for expected in PHOTOS {
            let top = classifier.classify(&photo(expected.file), 5).unwrap();
            assert_eq!(top.len(), 5);
            let summary: Vec<String> = top
                .iter()
                .map(|p| format!("{} {} {:.4}", p.class_index, p.label, p.probability))
                .collect();
            let ok = match expected.top1_probability {
                Some(probability) => {
                    expected.classes.contains(&top[0].class_index)
                        && (top[0].probability - probability).abs() <= TOLERANCE
                }
                None => top
                    .iter()
                    .any(|p| expected.classes.contains(&p.class_index)),
            };
            if !ok {
                failures.push(format!(
                    "{} (want {:?}, p {:?}): {summary:?}",
                    expected.file, expected.classes, expected.top1_probability
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{kind} engine:\n{}",
            failures.join("\n")
        );
    }
}

#[test]
fn predictions_are_sorted_probabilities_with_first_synset_names() {
    for (_, classifier) in engines() {
        let top = classifier
            .classify(&photo("webnn-native_test_redpanda.jpg"), 1000)
            .unwrap();
        assert_eq!(top.len(), 1000);
        assert_eq!(top[0].label, "lesser panda");
        let sum: f32 = top.iter().map(|p| p.probability).sum();
        assert!((sum - 1.0).abs() < 1e-4, "probabilities sum to {sum}");
        assert!(top.windows(2).all(|w| w[0].probability >= w[1].probability));
        assert!(top.iter().all(|p| (0.0..=1.0).contains(&p.probability)));
    }
}
