//! Running a lab's real binary as a user would: with a chosen umask, interrupted with
//! Ctrl-C (SIGINT) at a chosen moment, or in the background with its log in a file.

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

/// A program running in the background as a server started from a terminal runs: its log
/// (stderr) going to a file the test can read at any moment, stdin closed, and stdout
/// closed too or, for a program that also prints, going to a second file.
/// Killed (SIGKILL) and reaped when dropped, so a failing test leaves no process behind.
pub struct LoggedProcess {
    /// The running process.
    pub child: Child,
    log: std::path::PathBuf,
    stdout: Option<std::path::PathBuf>,
    _log_dir: tempfile::TempDir,
}

impl LoggedProcess {
    /// Starts `command` with stderr going to a fresh log file, stdout to nowhere.
    ///
    /// Panics if the program cannot be started.
    pub fn spawn(command: &mut Command) -> LoggedProcess {
        Self::start(command, false)
    }

    /// [`spawn`](Self::spawn), with stdout going to a file of its own too, read with
    /// [`stdout`](Self::stdout) and [`wait_for_stdout`](Self::wait_for_stdout).
    pub fn spawn_printing(command: &mut Command) -> LoggedProcess {
        Self::start(command, true)
    }

    fn start(command: &mut Command, printing: bool) -> LoggedProcess {
        let log_dir = tempfile::tempdir().expect("a temporary folder for the log");
        let log = log_dir.path().join("stderr.log");
        let file = std::fs::File::create(&log).expect("create the log file");
        let stdout = printing.then(|| log_dir.path().join("stdout.txt"));
        let out = match &stdout {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("create the stdout file")),
            None => Stdio::null(),
        };
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        LoggedProcess {
            child,
            log,
            stdout,
            _log_dir: log_dir,
        }
    }

    /// The process id.
    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("a pid fits in i32")
    }

    /// The log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).expect("read the log file")
    }

    /// What the process printed so far; panics unless it was started with
    /// [`spawn_printing`](Self::spawn_printing).
    pub fn stdout(&self) -> String {
        let path = self.stdout.as_ref().expect("started with spawn_printing");
        std::fs::read_to_string(path).expect("read the stdout file")
    }

    /// Waits (up to [`PATIENCE`]) until `done(log)` holds and returns that log; panics
    /// naming `what`, with the log, otherwise.
    pub fn wait_for_log(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        self.wait_for(what, None, || self.log(), done)
    }

    /// [`wait_for_log`](Self::wait_for_log) for what the process printed on stdout.
    pub fn wait_for_stdout(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        self.wait_for(what, Some("stdout"), || self.stdout(), done)
    }

    /// Polls `read` until `done`; on timeout panics with what was read (`label`, or the
    /// log itself when `None`) and the log.
    fn wait_for(
        &self,
        what: &str,
        label: Option<&str>,
        read: impl Fn() -> String,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = read();
            if done(&text) {
                return text;
            }
            if Instant::now() >= deadline {
                match label {
                    None => panic!("timed out waiting for {what}; log:\n{text}"),
                    Some(label) => panic!(
                        "timed out waiting for {what}; {label}:\n{text}\nlog:\n{}",
                        self.log()
                    ),
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for a log line with `marker` followed by `127.0.0.1:PORT` (e.g. `Listening on `)
    /// and returns PORT: how a test learns the port of a server it started on port 0.
    pub fn port_after(&self, marker: &str) -> u16 {
        let marker = format!("{marker}127.0.0.1:");
        let log = self.wait_for_log("the server to listen", |log| log.contains(&marker));
        log.split(&marker)
            .nth(1)
            .map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port after {marker:?} in:\n{log}"))
    }

    /// Sends `signal` and waits (up to [`PATIENCE`]) for the process to exit.
    pub fn stop_with(&mut self, signal: Signal) -> ExitStatus {
        kill(Pid::from_raw(self.pid()), signal).expect("send the signal");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the process") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running after {signal}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LoggedProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
