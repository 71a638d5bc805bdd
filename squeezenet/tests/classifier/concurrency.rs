//! One classifier shared by many threads gives the same answers as one thread.

use std::sync::Barrier;

use crate::support::{engines, photo, photo_names};

const THREADS: usize = 8;

#[test]
fn many_threads_share_one_classifier() {
    let photos: Vec<(String, Vec<u8>)> = photo_names()
        .into_iter()
        .map(|n| (n.clone(), photo(&n)))
        .collect();
    for (kind, classifier) in engines() {
        let expected: Vec<_> = photos
            .iter()
            .map(|(_, bytes)| classifier.classify(bytes, 5).unwrap())
            .collect();
        let barrier = Barrier::new(THREADS);
        std::thread::scope(|scope| {
            for thread in 0..THREADS {
                let (photos, expected, barrier) = (&photos, &expected, &barrier);
                scope.spawn(move || {
                    barrier.wait(); // start together, to overlap as much as possible
                    // Each thread starts at a different photo, so different photos run at once.
                    for i in 0..photos.len() {
                        let i = (i + thread) % photos.len();
                        let got = classifier.classify(&photos[i].1, 5).unwrap();
                        let classes = |p: &[squeezenet::Prediction]| {
                            p.iter().map(|p| p.class_index).collect::<Vec<_>>()
                        };
                        assert_eq!(
                            classes(&got),
                            classes(&expected[i]),
                            "{kind}, thread {thread}, {}",
                            photos[i].0
                        );
                        for (g, e) in got.iter().zip(&expected[i]) {
                            assert!(
                                (g.probability - e.probability).abs() < 1e-5,
                                "{kind}, {}",
                                photos[i].0
                            );
                        }
                    }
                });
            }
        });
    }
}
