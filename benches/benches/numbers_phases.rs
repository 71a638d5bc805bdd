//! Numbers lab, one list at a time: each step of both phases on one handout list (250000
//! integers, about 2.6 MB), so the numbers lab's per-phase floor (numbers-client's
//! `README.md`) has a measured figure per step.
//!
//! Run with `cargo bench -p benches --bench numbers_phases`. Groups:
//!
//! - `numbers_list_download`: the server generating a list (`generate`, the server's CPU
//!   per list) and one whole download over loopback (`receive`, into a fresh buffer each
//!   time, so the figure includes the page faults that the optimized client's reused
//!   per-thread buffer saves);
//! - `numbers_list_sort`: the sort phase's steps, reading the file back, parsing, sorting
//!   (`sort_unstable`, the sequential mode's, against `radix`, the optimized mode's),
//!   formatting (`format`, `itoa` as the sequential mode does it, against `encode`, the
//!   optimized mode's and the server's encoder), and one whole list file to file in each
//!   mode (`file_plain`, `file_fast`).

use benches::receive_one;
use common::local::LocalServer;
use common::net::ReadLimits;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use numbers_client::parse::parse_into;
use numbers_client::sort::{Method, Scratch, format_into, radix_sort, sort_file};
use numbers_server::payload::{LIST_LEN, encode_into, fill};

/// A handout list as bytes, and its values.
fn list() -> (Vec<u8>, Vec<i64>) {
    let mut payload = Vec::new();
    fill(&mut payload, LIST_LEN, &mut rand::rng());
    let mut values = Vec::new();
    parse_into(&payload, &mut values).expect("a generated list parses");
    (payload, values)
}

fn download(c: &mut Criterion) {
    let mut group = c.benchmark_group("numbers_list_download");
    group.sample_size(20);
    group.bench_function("generate", |b| {
        let (mut buf, mut rng) = (Vec::new(), rand::rng());
        b.iter(|| fill(&mut buf, LIST_LEN, &mut rng))
    });
    let server = LocalServer::start(numbers_server::run).expect("start a numbers-server");
    let limits = ReadLimits {
        max_bytes: numbers_client::MAX_LIST_BYTES,
        timeout: numbers_client::LIST_TIMEOUT,
    };
    group.bench_function("receive", |b| b.iter(|| receive_one(server.addr(), limits)));
    group.finish();
}

fn sort(c: &mut Criterion) {
    let (payload, values) = list();
    let mut sorted = values.clone();
    sorted.sort_unstable();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let unsorted_path = dir.path().join("unsorted.txt");
    let sorted_path = dir.path().join("sorted.txt");
    std::fs::write(&unsorted_path, &payload).expect("write the list");

    let mut group = c.benchmark_group("numbers_list_sort");
    group.sample_size(20);
    group.bench_function("read", |b| {
        b.iter(|| std::fs::read(&unsorted_path).expect("read the list"))
    });
    group.bench_function("parse", |b| {
        let mut out = Vec::new();
        b.iter(|| parse_into(&payload, &mut out).expect("parses"))
    });
    group.bench_function("sort_unstable", |b| {
        b.iter_batched_ref(
            || values.clone(),
            |v| v.sort_unstable(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("radix", |b| {
        let mut offsets = Vec::new();
        b.iter_batched_ref(
            || values.clone(),
            |v| radix_sort(v, &mut offsets),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("format", |b| {
        let mut out = Vec::new();
        b.iter(|| format_into(&sorted, &mut out))
    });
    group.bench_function("encode", |b| {
        let mut out = Vec::new();
        b.iter(|| encode_into(sorted.iter().copied(), &mut out))
    });
    for (name, method) in [("file_plain", Method::Plain), ("file_fast", Method::Fast)] {
        let mut scratch = Scratch::default();
        group.bench_function(name, |b| {
            b.iter(|| sort_file(&unsorted_path, &sorted_path, &mut scratch, method).unwrap())
        });
    }
    group.finish();
}

criterion_group!(numbers_phases, download, sort);
criterion_main!(numbers_phases);
