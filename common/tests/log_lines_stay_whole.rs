//! Processes that share one stderr never split each other's log lines.
//!
//! The pre-fork inference server's workers inherit the parent's stderr, so their log lines
//! go through one open file. Here the writers are this test binary itself, started again
//! as children with [`LINES`] set; each logs its lines as fast as it can into the same
//! file, and every line read back must be one whole line in the course format.

use std::process::{Command, Stdio};

/// Set in a child's environment: how many lines it logs before exiting.
const LINES: &str = "COMMON_TEST_LOG_LINES";
const TEST_NAME: &str = "lines_logged_by_processes_sharing_stderr_stay_whole";
const WRITERS: usize = 4;
const LINES_EACH: usize = 5000;

#[test]
fn lines_logged_by_processes_sharing_stderr_stay_whole() {
    if let Some(count) = std::env::var_os(LINES) {
        let count: usize = count.to_str().unwrap().parse().unwrap();
        common::logging::init(log::LevelFilter::Info);
        for i in 0..count {
            log::info!("line {i} of {count}, long enough to take a while to write");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stderr.log");
    let file = std::fs::File::create(&path).unwrap();
    // Each child gets a duplicate of one descriptor, as forked workers do: one open file.
    let children: Vec<_> = (0..WRITERS)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", TEST_NAME, "--test-threads=1", "--quiet"])
                .env(LINES, LINES_EACH.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(file.try_clone().unwrap())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }

    let log = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    for line in &lines {
        let (head, message) = line
            .split_once("] : ")
            .unwrap_or_else(|| panic!("not a whole line: {line:?}"));
        let fields = head.strip_prefix('[').map(|h| h.split("] [").count());
        assert_eq!(fields, Some(4), "time, level, process, thread: {line:?}");
        assert!(
            message.starts_with("line ") && message.ends_with("to write"),
            "{line:?}"
        );
        assert!(!message.contains('['), "two lines in one: {line:?}");
    }
    assert_eq!(lines.len(), WRITERS * LINES_EACH);
}
