//! Running a submission's programs: each in a process group of its own (forked workers die
//! with it), output logged to files, a timeout on every wait; and the probes that watch
//! them from outside (a listening port in `/proc/PID/net`, a connection read to its end).

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::confine::{Confinement, Limit};

/// The process groups of a set of running programs (the gradings of one batch), so that
/// all of them can be killed at once when the batch is told to stop (Ctrl-C). A [`Proc`]
/// joins with [`Proc::track`] and leaves when dropped.
#[derive(Debug, Clone, Default)]
pub struct Groups(std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<i32>>>);

impl Groups {
    /// Kills every process group in the set (forked workers included): the programs end
    /// at once, and the gradings waiting on them within seconds.
    pub fn kill_all(&self) {
        for pgid in self.0.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = killpg(Pid::from_raw(*pgid), Signal::SIGKILL);
        }
    }
}

/// How a program ended, or that it did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this status.
    Code(i32),
    /// Killed by this signal.
    Signal(i32),
    /// Still running when the timeout expired (it has been killed).
    Timeout,
    /// Stopped by a limit of its sandbox (killed by it, or failed because of it).
    Limit(Limit),
}

impl Exit {
    fn from_status(status: ExitStatus) -> Exit {
        use std::os::unix::process::ExitStatusExt as _;
        match status.code() {
            Some(code) => Exit::Code(code),
            None => Exit::Signal(status.signal().unwrap_or(0)),
        }
    }
}

/// A running program in its own process group, its stdout and stderr going to log files.
/// Dropping it kills the whole group.
pub struct Proc {
    child: Child,
    /// Human-readable command line, for evidence.
    pub command: String,
    stdout: PathBuf,
    stderr: PathBuf,
    exited: Option<Exit>,
    confinement: Option<Confinement>,
    /// The set this program's group is in, if any ([`Proc::track`]).
    groups: Option<Groups>,
}

impl Proc {
    /// Starts `command` in `dir` with output logged under `logs/name.{out,err}` and
    /// `input` (if any) as its standard input, as if typed (saved as `logs/name.in`);
    /// without it, standard input is empty. Python runs unbuffered so output is seen as it
    /// happens. `confinement` is the sandbox's hold on the program when `command` was
    /// confined (its control group), kept so that its limits are reported and whatever it
    /// leaves running is killed with it.
    pub fn spawn(
        mut command: Command,
        display: String,
        dir: &Path,
        logs: &Path,
        name: &str,
        input: Option<&str>,
        confinement: Option<Confinement>,
    ) -> anyhow::Result<Self> {
        use std::os::unix::process::CommandExt as _;
        let stdout = logs.join(format!("{name}.out"));
        let stderr = logs.join(format!("{name}.err"));
        let stdin = match input {
            Some(text) => {
                let path = logs.join(format!("{name}.in"));
                std::fs::write(&path, text)?;
                Stdio::from(File::open(&path)?)
            }
            None => Stdio::null(),
        };
        command
            .current_dir(dir)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(stdin)
            .stdout(File::create(&stdout)?)
            .stderr(File::create(&stderr)?)
            .process_group(0);
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {display}"))?;
        Ok(Self {
            child,
            command: display,
            stdout,
            stderr,
            exited: None,
            confinement,
            groups: None,
        })
    }

    /// Puts this program's process group in `groups` (none: nothing), so that
    /// [`Groups::kill_all`] ends it; it leaves the set when dropped.
    pub fn track(mut self, groups: Option<&Groups>) -> Self {
        if let Some(groups) = groups {
            groups
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(self.child.id() as i32);
            self.groups = Some(groups.clone());
        }
        self
    }

    /// The sandbox limit the program ran into so far, if any, whether or not it exited.
    pub fn limit_reached(&self) -> Option<Limit> {
        self.limit_in(&self.output())
    }

    /// [`Proc::limit_reached`], given the program's `output` already read.
    fn limit_in(&self, output: &str) -> Option<Limit> {
        let signal = match self.exited {
            Some(Exit::Signal(signal)) => Some(signal),
            _ => None,
        };
        self.confinement.as_ref()?.limit_reached(signal, output)
    }

    /// The process id (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it has exited, without waiting.
    pub fn has_exited(&mut self) -> bool {
        self.poll().is_some()
    }

    /// Whether it has exited, without waiting.
    pub fn poll(&mut self) -> Option<Exit> {
        if self.exited.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.exited = Some(Exit::from_status(status));
            if status.code() != Some(0)
                && let Some(limit) = self.limit_reached()
            {
                self.exited = Some(Exit::Limit(limit));
            }
        }
        self.exited
    }

    /// Waits up to `timeout` for it to exit; on timeout kills the group and returns
    /// [`Exit::Timeout`].
    pub fn wait(&mut self, timeout: Duration) -> Exit {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(exit) = self.poll() {
                return exit;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.kill();
        self.exited = Some(Exit::Timeout);
        Exit::Timeout
    }

    /// Sends SIGINT to the group (Ctrl-C: Python raises `KeyboardInterrupt`) and waits up
    /// to `grace` for it to exit; kills it otherwise. Returns whether it exited by itself.
    pub fn interrupt(&mut self, grace: Duration) -> bool {
        if self.poll().is_some() {
            return true;
        }
        let _ = killpg(self.pgid(), Signal::SIGINT);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.poll().is_some() {
                // Forked workers may outlive the main process: end them too.
                let _ = killpg(self.pgid(), Signal::SIGKILL);
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.kill();
        false
    }

    /// Kills the whole process group (forked workers included) and reaps the main process.
    pub fn kill(&mut self) {
        let _ = killpg(self.pgid(), Signal::SIGKILL);
        if let Some(confinement) = &self.confinement {
            confinement.kill_all();
        }
        if self.exited.is_none() {
            let _ = self.child.kill();
            if let Ok(status) = self.child.wait() {
                self.exited = Some(Exit::from_status(status));
            }
        }
    }

    fn pgid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    /// Everything it wrote so far: stdout, then stderr.
    pub fn output(&self) -> String {
        let out = std::fs::read_to_string(&self.stdout).unwrap_or_default();
        let err = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        format!("{out}{err}")
    }

    /// Only stdout.
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    /// The last `n` lines of its output, for evidence, after the limit it ran into if any.
    pub fn tail(&self, n: usize) -> String {
        let output = self.output();
        match (self.exited, self.limit_in(&output)) {
            // An exit by a limit says so itself.
            (Some(Exit::Limit(_)), _) | (_, None) => tail(&output, n),
            (_, Some(limit)) => format!("[{limit}]\n{}", tail(&output, n)),
        }
    }

    /// Waits until something listens on TCP `port` in this network namespace, the process
    /// exits, or `timeout` expires. Reads `/proc/PID/net/tcp{,6}`, so no connection is
    /// spent on probing.
    ///
    /// Errors: how it ended and the evidence: its [`Exit`] if it exited first,
    /// [`Exit::Timeout`] when it was still not listening at `timeout` (it is then killed).
    pub fn wait_listening(&mut self, port: u16, timeout: Duration) -> Result<(), (Exit, String)> {
        self.wait_bound(port, timeout, "listening on port", listening)
    }

    /// Waits until a UDP socket is bound to `port` in this network namespace, the process
    /// exits, or `timeout` expires; reads `/proc/PID/net/udp{,6}` like
    /// [`Proc::wait_listening`].
    ///
    /// Errors: as [`Proc::wait_listening`].
    pub fn wait_udp_bound(&mut self, port: u16, timeout: Duration) -> Result<(), (Exit, String)> {
        self.wait_bound(port, timeout, "bound to UDP port", udp_bound)
    }

    fn wait_bound(
        &mut self,
        port: u16,
        timeout: Duration,
        what: &str,
        bound: fn(u32, u16) -> bool,
    ) -> Result<(), (Exit, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(exit) = self.poll() {
                return Err((
                    exit,
                    format!(
                        "`{}` exited ({}) before {what} {port}:\n{}",
                        self.command,
                        describe_exit(exit),
                        self.tail(12)
                    ),
                ));
            }
            if bound(self.pid(), port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let evidence = format!(
                    "`{}` was not {what} {port} after {:.0} s:\n{}",
                    self.command,
                    timeout.as_secs_f64(),
                    self.tail(12)
                );
                self.kill();
                return Err((Exit::Timeout, evidence));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
        if let Some(groups) = &self.groups {
            groups
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&(self.child.id() as i32));
        }
    }
}

/// `exit status 1`, `killed by signal 9`, `timed out`, `memory limit 1 GiB reached`.
pub fn describe_exit(exit: Exit) -> String {
    match exit {
        Exit::Code(code) => format!("exit status {code}"),
        Exit::Signal(signal) => format!("killed by signal {signal}"),
        Exit::Timeout => "timed out".into(),
        Exit::Limit(limit) => limit.to_string(),
    }
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}

/// The rows of `pid`'s network namespace's socket `tables` (`tcp` and `tcp6`, or `udp` and
/// `udp6`, under `/proc/PID/net/`) whose local port is `port`, split into fields: 1 is the
/// local address, 3 the state, 9 the inode.
pub fn socket_rows(pid: u32, tables: [&str; 2], port: u16) -> Vec<Vec<String>> {
    let wanted = format!(":{port:04X}");
    tables
        .iter()
        .flat_map(|table| {
            std::fs::read_to_string(format!("/proc/{pid}/net/{table}"))
                .unwrap_or_default()
                .lines()
                .skip(1)
                .map(|line| line.split_whitespace().map(str::to_owned).collect())
                .filter(|fields: &Vec<String>| fields.get(1).is_some_and(|f| f.ends_with(&wanted)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether a TCP socket in `pid`'s network namespace listens on `port` (state 0A).
fn listening(pid: u32, port: u16) -> bool {
    socket_rows(pid, ["tcp", "tcp6"], port)
        .iter()
        .any(|fields| fields.get(3).is_some_and(|state| state == "0A"))
}

/// Whether a UDP socket in `pid`'s network namespace is bound to `port`.
fn udp_bound(pid: u32, port: u16) -> bool {
    !socket_rows(pid, ["udp", "udp6"], port).is_empty()
}

/// Connects to `127.0.0.1:port` and reads to end of stream, within `timeout`.
///
/// Errors: refused, reset, or no end of stream in time.
pub fn fetch(port: u16, timeout: Duration) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    Ok(bytes)
}
