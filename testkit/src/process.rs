//! Running a lab's real binary as a user would: with a chosen umask, and interrupted with
//! Ctrl-C (SIGINT) at a chosen moment.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::stat::{Mode, umask};
use nix::unistd::Pid;

/// Longest wait for the moment to interrupt at, and then for the process to exit: generous,
/// since other test binaries share the CPU.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// What an interrupted process left: its exit status and its output.
#[derive(Debug)]
pub struct Interrupted {
    /// How it ended.
    pub status: ExitStatus,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
}

/// Makes `command` run with the file-creation mask `mask` (e.g. `0o002`), so a test knows
/// which permissions an ordinary file gets.
pub fn with_umask(command: &mut Command, mask: u32) -> &mut Command {
    let mask = Mode::from_bits_truncate(mask as nix::libc::mode_t);
    // SAFETY: umask(2) is async-signal-safe and touches no memory, as pre_exec requires.
    unsafe {
        command.pre_exec(move || {
            umask(mask);
            Ok(())
        })
    }
}

/// Sends SIGINT to `child`, as Ctrl-C in its terminal would.
pub fn interrupt(child: &Child) {
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("a pid fits in i32"));
    kill(pid, Signal::SIGINT).expect("send SIGINT");
}

/// Starts `command` with stdout and stderr captured, polls `ready` (every millisecond)
/// until it holds, sends SIGINT, and waits for the process to end.
///
/// Panics, naming `moment`, if the process exits before `ready` holds (it finished too soon
/// to be interrupted there) or if either wait exceeds [`PATIENCE`].
pub fn interrupt_when<F>(command: &mut Command, moment: &str, mut ready: F) -> Interrupted
where
    F: FnMut() -> bool,
{
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let started = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().expect("poll the child") {
            panic!(
                "the process ended ({status}) before {moment}: {}",
                output(&mut child).1
            );
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("{moment} did not come within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    interrupt(&child);
    let interrupted = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            break status;
        }
        if interrupted.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("still running {PATIENCE:?} after Ctrl-C at {moment}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let (stdout, stderr) = output(&mut child);
    Interrupted {
        status,
        stdout,
        stderr,
    }
}

/// What an ended child printed (its pipes hold far more than the labs' clients print).
fn output(child: &mut Child) -> (String, String) {
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = pipe.read_to_string(&mut stdout);
    }
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (stdout, stderr)
}

impl Interrupted {
    /// Asserts the process reported the interrupt as a lab client should: exit status 130,
    /// nothing on stdout (no timing lines for an unfinished run), and exactly
    /// `{program}: interrupted` on stderr.
    pub fn assert_reported_by(&self, program: &str) {
        assert_eq!(
            self.status.code(),
            Some(130),
            "exit status {} (signal {:?}); stderr: {}",
            self.status,
            self.status.signal(),
            self.stderr
        );
        assert_eq!(self.stdout, "", "no timing lines");
        assert_eq!(self.stderr, format!("{program}: interrupted\n"));
    }
}
