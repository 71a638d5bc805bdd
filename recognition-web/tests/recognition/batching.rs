//! Dynamic batching in the worker: photos sent at once are classified in shared runs of the
//! network, and every answer still belongs to its own photo.

use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use base64::Engine as _;
use common::local::LocalServer;
use recognition_web::protocol::{self, Answer, Connection, Label, Limits};
use recognition_web::worker::{BatchConfig, Worker, WorkerConfig};

use crate::support::classifier;

/// One exchange with the worker at `addr`: the photo in, its answer out.
fn exchange(addr: SocketAddr, photo: &[u8]) -> Answer {
    let text = base64::engine::general_purpose::STANDARD.encode(photo);
    let mut conn = Connection::connect(addr, Duration::from_secs(5), Limits::default()).unwrap();
    let data = protocol::request(&mut conn, text.as_bytes()).unwrap();
    protocol::parse_result(&data).unwrap()
}

/// The test photos, and five of them mirrored (as PNG): 16 different pictures.
fn sixteen_photos() -> Vec<(String, Vec<u8>)> {
    let mut photos: Vec<(String, Vec<u8>)> = testkit::data::photo_names()
        .into_iter()
        .map(|name| {
            let bytes = testkit::data::photo(&name);
            (name, bytes)
        })
        .collect();
    let mirrored: Vec<(String, Vec<u8>)> = photos[..5]
        .iter()
        .map(|(name, bytes)| {
            let image = image::load_from_memory(bytes).unwrap().fliph();
            let mut png = std::io::Cursor::new(Vec::new());
            image.write_to(&mut png, image::ImageFormat::Png).unwrap();
            (format!("{name}, mirrored"), png.into_inner())
        })
        .collect();
    photos.extend(mirrored);
    assert_eq!(photos.len(), 16);
    photos
}

/// The classifier's own answer for `photo`, one photo at a time.
fn expected(photo: &[u8]) -> Vec<Label> {
    classifier()
        .classify(photo, 5)
        .unwrap()
        .into_iter()
        .map(|p| Label {
            label: p.label,
            probability: f64::from(p.probability),
        })
        .collect()
}

#[test]
fn sixteen_photos_at_once_each_get_their_own_answer_and_a_bad_one_fails_alone() {
    let worker = Arc::new(Worker::new(
        classifier(),
        WorkerConfig {
            batch: BatchConfig {
                max_batch: 16,
                // Long enough for every connection of the burst to join, however slow the
                // machine: the batch only waits while photos are still on their way.
                wait: Duration::from_secs(2),
            },
            ..WorkerConfig::default()
        },
    ));
    let server = {
        let worker = worker.clone();
        LocalServer::start(move |listener, shutdown, _| worker.serve(listener, &shutdown)).unwrap()
    };
    let mut photos = sixteen_photos();
    let good = photos.len();
    let redpanda = testkit::data::photo(crate::support::RED_PANDA.0);
    photos.push((
        "a JPEG cut in half".into(),
        redpanda[..redpanda.len() / 2].to_vec(),
    ));
    photos.push(("text".into(), b"certainly not a photo".to_vec()));
    let expected: Vec<Option<Vec<Label>>> = photos
        .iter()
        .take(good)
        .map(|(_, bytes)| Some(expected(bytes)))
        .chain([None, None])
        .collect();

    let barrier = Arc::new(Barrier::new(photos.len()));
    let clients: Vec<_> = photos
        .iter()
        .cloned()
        .map(|(name, bytes)| {
            let (barrier, addr) = (barrier.clone(), server.addr());
            std::thread::spawn(move || {
                barrier.wait();
                (name, exchange(addr, &bytes))
            })
        })
        .collect();
    for (client, expected) in clients.into_iter().zip(expected) {
        let (name, answer) = client.join().unwrap();
        match (answer, expected) {
            (Answer::Labels(got), Some(expected)) => {
                let names = |labels: &[Label]| -> Vec<String> {
                    labels.iter().map(|l| l.label.clone()).collect()
                };
                assert_eq!(names(&got), names(&expected), "{name}");
                for (g, e) in got.iter().zip(&expected) {
                    // The answer is rounded to 6 decimals on the wire; a batched run may
                    // sum in another order than a single one.
                    assert!(
                        (g.probability - e.probability).abs() < 1e-3,
                        "{name}: {} {} against {}",
                        g.label,
                        g.probability,
                        e.probability
                    );
                }
            }
            (Answer::BadImage(reason), None) => {
                assert!(!reason.is_empty(), "{name}");
            }
            (answer, expected) => {
                panic!("{name}: got {answer:?}, expected {expected:?}")
            }
        }
    }
    let stats = worker.batch_stats().expect("batching is on");
    assert_eq!(
        stats.photos, good as u64,
        "the bad images never reach a batch"
    );
    assert!(
        stats.largest > 1 && stats.batches < good as u64,
        "photos sent at once were batched: {stats:?}"
    );
    drop(server);
}
