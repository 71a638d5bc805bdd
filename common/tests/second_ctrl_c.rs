//! A second Ctrl-C exits at once and still leaves no temporary file behind.
//!
//! The program under test is this test binary itself, started again as a child with
//! [`WRITER_DIR`] set: it begins an atomic write that only stops when asked, and whose
//! clean-up, once asked, never ends. Only the second Ctrl-C can end it, mid-write.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fs::write_atomically_with;
use common::shutdown::Shutdown;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Set in the child's environment: the folder it writes `out.txt` into.
const WRITER_DIR: &str = "COMMON_TEST_SLOW_WRITER_DIR";
const TEST_NAME: &str = "a_second_ctrl_c_removes_the_temporary_file_of_a_write_in_progress";

#[test]
fn a_second_ctrl_c_removes_the_temporary_file_of_a_write_in_progress() {
    if let Some(dir) = std::env::var_os(WRITER_DIR) {
        slow_writer(Path::new(&dir));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(WRITER_DIR, dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = Pid::from_raw(child.id() as i32);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut wait_for = |wanted: &str| {
        // The test harness may print `test NAME ... ` just before, on the same line.
        for line in lines.by_ref() {
            if line.unwrap().ends_with(wanted) {
                return;
            }
        }
        panic!("the writer ended before printing {wanted:?}");
    };

    wait_for("writing");
    let temporary = names(dir.path());
    assert_eq!(temporary.len(), 1, "one temporary file: {temporary:?}");
    assert!(temporary[0].ends_with(".tmp"), "{temporary:?}");

    kill(pid, Signal::SIGINT).unwrap();
    wait_for("stopping");
    kill(pid, Signal::SIGINT).unwrap();

    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after two Ctrl-C");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(130), "{status}");
    assert_eq!(names(dir.path()), Vec::<String>::new(), "nothing left");
}

/// The child: writes `dir/out.txt` through a temporary file, and once Ctrl-C asks it to
/// stop, hangs in its clean-up as a slow program would.
fn slow_writer(dir: &Path) -> ! {
    let shutdown = Shutdown::on_signals().unwrap();
    let _ = write_atomically_with(&dir.join("out.txt"), |_| -> std::io::Result<()> {
        println!("writing");
        while !shutdown.sleep(Duration::from_secs(60)) {}
        println!("stopping");
        loop {
            std::thread::sleep(Duration::from_secs(60));
        }
    });
    unreachable!("the write never finishes");
}

fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}
