//! Numbers lab: download and sort phases, sequential against optimized.
//!
//! Run with `cargo bench -p benches --bench numbers`. Each iteration is a whole run of the
//! handout's 100 lists against an in-process numbers-server; `iter_custom` reports only the
//! phase a benchmark is about, from the client's own [`numbers_client::Report`]. The
//! download phase is timed sequential and on 4, 8 and 16 threads, as the frames lab's is;
//! the sort phase sequential and on rayon (with 8 download threads, which do not matter to it).

use std::num::NonZeroUsize;
use std::time::Duration;

use common::shutdown::Shutdown;
use criterion::{Criterion, criterion_group, criterion_main};
use numbers_client::{Mode, Options, Report, Server};

const LISTS: usize = 100;

/// Picks one phase's duration out of a run's report.
type Phase = fn(&Report) -> Duration;

/// A benchmark group: its name, what it compares, the phase it times, and the modes.
type Group = (&'static str, &'static str, Phase, Vec<(&'static str, Mode)>);

fn threads(n: usize) -> Mode {
    Mode::Optimized {
        download_threads: NonZeroUsize::new(n).unwrap(),
    }
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
    let groups: [Group; 2] = [
        (
            "numbers_download_100",
            "download of 100 lists of 250000 integers from a local numbers-server, \
             sequential against 4, 8 and 16 threads",
            |r| r.download,
            vec![
                ("sequential", Mode::Sequential),
                ("threads_4", threads(4)),
                ("threads_8", threads(8)),
                ("threads_16", threads(16)),
            ],
        ),
        (
            "numbers_sort_100",
            "parse, sort and write of the 100 lists, one file after another against rayon",
            |r| r.sorting,
            vec![("sequential", Mode::Sequential), ("optimized", threads(8))],
        ),
    ];
    for (group_name, what, phase, modes) in groups {
        benches::compare(group_name, what);
        let mut group = c.benchmark_group(group_name);
        group.sample_size(10);
        for (name, mode) in modes {
            group.bench_function(name, |b| {
                b.iter_custom(|iters| phase_time(mode, iters, phase))
            });
        }
        group.finish();
    }
}

criterion_group!(numbers, phases);
criterion_main!(numbers);
