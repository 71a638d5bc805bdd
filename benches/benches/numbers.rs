//! Numbers lab: download and sort phases, sequential against optimized.
//!
//! Run with `cargo bench -p benches --bench numbers`. Each iteration is a whole run of the
//! handout's 100 lists against an in-process numbers-server; `iter_custom` reports only the
//! phase a benchmark is about, from the client's own [`numbers_client::Report`].

use std::num::NonZeroUsize;
use std::time::Duration;

use common::shutdown::Shutdown;
use criterion::{Criterion, criterion_group, criterion_main};
use numbers_client::{Mode, Options, Report, Server};

const LISTS: usize = 100;

/// Picks one phase's duration out of a run's report.
type Phase = fn(&Report) -> Duration;

fn modes() -> [(&'static str, Mode); 2] {
    let download_threads = NonZeroUsize::new(8).unwrap();
    [
        ("sequential", Mode::Sequential),
        ("optimized", Mode::Optimized { download_threads }),
    ]
}

/// Times `phase` of `iters` whole runs in `mode`.
fn phase_time(mode: Mode, iters: u64, phase: Phase) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        server: Server::Local,
        lists: LISTS,
        mode,
        unsorted_dir: dir.path().join("unsorted_files"),
        sorted_dir: dir.path().join("sorted_files"),
        progress: false,
    };
    let shutdown = Shutdown::new().unwrap();
    (0..iters)
        .map(|_| phase(&numbers_client::run(&options, &shutdown).unwrap()))
        .sum()
}

fn phases(c: &mut Criterion) {
    let phases: [(&str, Phase); 2] = [
        ("numbers_download_100", |r| r.download),
        ("numbers_sort_100", |r| r.sorting),
    ];
    for (group_name, phase) in phases {
        let mut group = c.benchmark_group(group_name);
        group.sample_size(10);
        for (name, mode) in modes() {
            group.bench_function(name, |b| {
                b.iter_custom(|iters| phase_time(mode, iters, phase))
            });
        }
        group.finish();
    }
}

criterion_group!(numbers, phases);
criterion_main!(numbers);
