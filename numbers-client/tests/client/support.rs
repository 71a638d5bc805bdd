//! Helpers shared by the client's integration tests.

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::local::LocalServer;
use common::shutdown::Shutdown;
use numbers_client::{Mode, Options, Report, Server, list_path};

/// Runs the lab with `options` and a shutdown that is never triggered.
pub fn run(options: &Options) -> anyhow::Result<Report> {
    numbers_client::run(options, &Shutdown::new()?)
}

/// Both modes, the optimized one with 4 download threads.
pub fn modes() -> [Mode; 2] {
    [
        Mode::Sequential,
        Mode::Optimized {
            download_threads: NonZeroUsize::new(4).unwrap(),
        },
    ]
}

/// Options writing into `dir/unsorted_files` and `dir/sorted_files`, without progress bars.
pub fn options(server: Server, lists: usize, mode: Mode, dir: &Path) -> Options {
    Options {
        server,
        lists,
        mode,
        unsorted_dir: dir.join("unsorted_files"),
        sorted_dir: dir.join("sorted_files"),
        progress: false,
    }
}

/// A server that sends `payloads[k % len]` to its k-th connection, then closes.
pub fn fixed_server(payloads: Vec<Vec<u8>>) -> LocalServer {
    let served = Arc::new(AtomicUsize::new(0));
    testkit::serving(move |mut stream, _| {
        let k = served.fetch_add(1, Ordering::SeqCst);
        stream.write_all(&payloads[k % payloads.len()])?;
        Ok(())
    })
    .unwrap()
}

/// Parses a list the simple way (Python's `split(',')` and `int()`), independently of the
/// client's parser.
pub fn values(payload: &[u8]) -> Vec<i64> {
    std::str::from_utf8(payload)
        .unwrap()
        .split(',')
        .map(|token| token.parse().unwrap_or_else(|e| panic!("{token:?}: {e}")))
        .collect()
}

/// Asserts that sorted file `i` holds exactly the values of unsorted file `i`, ascending,
/// in the handout's format (comma-joined, no spaces, no trailing comma or newline), and
/// returns how many values it holds.
pub fn assert_sorted_pair(unsorted_dir: &Path, sorted_dir: &Path, i: usize) -> usize {
    let mut expected = values(&std::fs::read(list_path(unsorted_dir, i)).unwrap());
    expected.sort_unstable();
    let text: Vec<String> = expected.iter().map(i64::to_string).collect();
    let sorted = std::fs::read_to_string(list_path(sorted_dir, i)).unwrap();
    assert!(
        sorted == text.join(","),
        "sorted file {i} is not its list sorted"
    );
    expected.len()
}

/// File names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `0.txt`, `1.txt`, ... for `lists` lists, in the order [`names`] gives.
pub fn list_names(lists: usize) -> Vec<String> {
    let mut names: Vec<String> = (0..lists).map(|i| format!("{i}.txt")).collect();
    names.sort();
    names
}

/// `dir/unsorted_files` and `dir/sorted_files`.
pub fn dirs(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("unsorted_files"), dir.join("sorted_files"))
}
