//! Fixtures: the real binaries as child processes with their logs, the interop scripts,
//! and a look at processes through `/proc`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::kill;
use nix::unistd::Pid;
use testkit::process::LoggedProcess;

/// A course-style Python script under `tests/python/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

/// A server binary running with its stderr (the log) and its stdout (the slides' lines)
/// going to files; killed when dropped. Dereferences to the [`LoggedProcess`] (`log()`,
/// `stdout()`, `wait_for_log`, `wait_for_stdout`, `stop_with`, `pid()`).
pub struct ServerProcess {
    process: LoggedProcess,
    pub port: u16,
}

impl ServerProcess {
    /// Starts `exe --host 127.0.0.1 --port 0 ARGS...` and waits for the log line holding
    /// `ready` followed by the bound address, e.g. `Waiting for requests on `.
    pub fn start(exe: &str, args: &[&str], ready: &str) -> Self {
        let process = LoggedProcess::spawn_printing(
            Command::new(exe)
                .args(["--host", "127.0.0.1", "--port", "0"])
                .args(args),
        );
        let port = process.port_after(ready);
        Self { process, port }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl std::ops::Deref for ServerProcess {
    type Target = LoggedProcess;

    fn deref(&self) -> &LoggedProcess {
        &self.process
    }
}

impl std::ops::DerefMut for ServerProcess {
    fn deref_mut(&mut self) -> &mut LoggedProcess {
        &mut self.process
    }
}

/// Runs `exe ARGS...` to completion: (status, stdout, stderr).
pub fn run(exe: &str, args: &[&str]) -> (ExitStatus, String, String) {
    let output = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status,
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The children of `parent` with their state letter (`R`, `S`, `Z` for a zombie...), read
/// from `/proc/<pid>/stat`.
pub fn children_of(parent: i32) -> Vec<(i32, char)> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        // The process may be gone already; skip it then.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split after
        // the last ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next().and_then(|s| s.chars().next());
        let ppid = fields.next().and_then(|p| p.parse::<i32>().ok());
        if let (Some(state), Some(ppid)) = (state, ppid)
            && ppid == parent
        {
            children.push((pid, state));
        }
    }
    children
}

/// Waits (up to 10 s) until `parent` has no children at all, live or zombie; panics with
/// what is left otherwise.
pub fn wait_for_no_children(parent: i32) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = children_of(parent);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "children of {parent} left: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether process `pid` exists (in any state).
pub fn exists(pid: i32) -> bool {
    kill(Pid::from_raw(pid), None).is_ok()
}

/// The number after `prefix` in `text`, up to the first non-digit.
pub fn number_after(text: &str, prefix: &str) -> Option<u32> {
    let rest = &text[text.find(prefix)? + prefix.len()..];
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}
