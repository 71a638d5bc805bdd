//! Running the course's kind of Python programs from tests, to prove wire compatibility.
//!
//! Interop tests run small Python 3 programs written to behave like the course's given
//! clients and servers. They must not be skipped when Python is missing, so every failure
//! here is an error that fails the test, with the command and its stderr.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use anyhow::Context as _;

/// The Python interpreter: `$PYTHON`, else `python3`.
pub fn interpreter() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Runs `script` with `args` to completion; returns its stdout.
/// Errors: Python missing, or a non-zero exit (with the script's stderr).
pub fn run_script(script: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(interpreter())
        .arg(script)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {} {}", interpreter(), script.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

/// A Python server running in the background; killed when dropped.
///
/// The script must print its listening port on the first line of stdout. Its stdin is a
/// pipe that closes when the test process ends, so a script that exits on stdin EOF never
/// outlives a crashed test.
pub struct PythonServer {
    child: Child,
    /// The port the script printed.
    pub port: u16,
}

impl PythonServer {
    /// Starts `script` with `args` and waits for its port line.
    pub fn start(script: &Path, args: &[&str]) -> anyhow::Result<Self> {
        let mut child = Command::new(interpreter())
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {} {}", interpreter(), script.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        match line.trim().parse() {
            Ok(port) => {
                // Keep draining stdout so a chatty script never blocks on a full pipe.
                std::thread::spawn(move || drain(stdout));
                Ok(Self { child, port })
            }
            Err(_) => {
                let _ = child.kill();
                let mut stderr = String::new();
                let _ = child
                    .stderr
                    .take()
                    .expect("piped")
                    .read_to_string(&mut stderr);
                anyhow::bail!(
                    "{} printed {line:?} instead of a port:\n{stderr}",
                    script.display()
                )
            }
        }
    }
}

fn drain(mut stdout: BufReader<ChildStdout>) {
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
