//! SqueezeNet per-photo time: decode + preprocess + inference of each test photo, for every
//! engine compiled in, beside Python's onnxruntime doing the same work in the same run.
//!
//! ```text
//! cargo bench -p benches --bench classify                          # tract
//! cargo bench -p benches --bench classify --features onnxruntime   # tract and ONNX Runtime
//! ```
//!
//! The ONNX Runtime engine needs `ORT_DYLIB_PATH` (see the README). The Python reference,
//! `squeezenet/scripts/onnxruntime_reference.py` (Pillow + numpy + onnxruntime, one intra-op
//! thread), runs first and prints its median per photo; if Python or its packages are
//! missing it says so and the Rust benchmarks still run.

use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use squeezenet::{Classifier, ClassifierOptions, EngineKind, EngineOptions};

/// The test photos, read once: the benchmark times classification, not the disk.
fn photos() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/photos");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "jpg" || e == "jpeg"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect()
}

/// Runs the Python reference over the same photos and prints its own summary line.
fn python_reference() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let photos = root.join("testdata/photos");
    let mut command = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
    command
        .arg(root.join("squeezenet/scripts/onnxruntime_reference.py"))
        .args(["--repeat", "30", "--threads", "1", "--top", "1"]);
    for entry in std::fs::read_dir(&photos).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jpg" || e == "jpeg") {
            command.arg(path);
        }
    }
    match command.output() {
        Ok(output) if output.status.success() => {
            let stdout = String::from_utf8_lossy(&output.stdout);
            let summary = stdout.lines().last().unwrap_or("no output");
            println!("python reference: {summary}");
        }
        Ok(output) => println!(
            "python reference unavailable: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("python reference unavailable: {e}"),
    }
}

fn per_photo(c: &mut Criterion) {
    benches::compare(
        "classify_per_photo",
        "decode, preprocess and classify one test photo, each engine compiled in, one \
         intra-op thread, beside Python's onnxruntime",
    );
    python_reference();
    let photos = photos();
    let mut group = c.benchmark_group("classify_per_photo");
    group.sample_size(20);
    for &kind in EngineKind::ALL {
        let options = ClassifierOptions {
            // One intra-op thread, like the Python reference: per-photo work, not parallelism.
            engine: EngineOptions {
                kind,
                threads: Some(1),
            },
            ..ClassifierOptions::default()
        };
        let classifier = Classifier::embedded(&options).unwrap();
        let mut next = photos.iter().cycle();
        group.bench_function(kind.name(), |b| {
            b.iter(|| classifier.classify(next.next().unwrap(), 5).unwrap())
        });
    }
    group.finish();
}

criterion_group!(classify, per_photo);
criterion_main!(classify);
