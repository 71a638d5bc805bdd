//! Fixtures for the pre-fork server tests: the real binaries as child processes, and a
//! loopback HTTP server for the photos.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use common::local::LocalServer;
use common::net::{ReadLimits, Until, read_message};
use testkit::process::LoggedProcess;

/// The photos the model names confidently: file, top-1 label, probability from
/// `testdata/photos/README.md`.
pub const CONFIDENT: [(&str, &str, f32); 4] = [
    ("webnn-native_test_redpanda.jpg", "lesser panda", 0.9998),
    ("burn_flamingo_500px.jpg", "flamingo", 0.996),
    ("wonnx_pelican.jpeg", "pelican", 0.688),
    ("burn_coyote.jpg", "coyote", 0.618),
];

/// Size of the `/big.jpg` body: over the limit the tests give the server.
pub const BIG_BYTES: usize = 300_000;

/// Where [`PhotoServer`] finds files: the test photos, then the hostile images
/// (`testdata/hostile/`: a decompression bomb and a large JPEG).
pub fn image_dirs() -> [PathBuf; 2] {
    [
        testkit::data::photos_dir(),
        testkit::data::root().join("hostile"),
    ]
}

/// A test-only HTTP server on loopback serving the files of [`image_dirs`], plus `/text` (an HTML
/// page), `/big.jpg` (a JPEG signature and [`BIG_BYTES`] of padding); anything else is 404.
///
/// It is this project's own thread-per-connection server: one request per connection,
/// answered with `Connection: close`, so no keep-alive state can stall a download. It counts
/// the downloads in flight (their peak is how a test sees whether a server overlaps its
/// clients) and can hold every answer until released.
pub struct PhotoServer {
    server: LocalServer,
    state: Arc<Downloads>,
}

/// Downloads in flight, their peak, and whether answers are held.
#[derive(Default)]
struct Downloads {
    counts: Mutex<(usize, usize, bool)>,
    changed: Condvar,
}

impl PhotoServer {
    pub fn start() -> Self {
        let dirs = image_dirs();
        let state = Arc::new(Downloads::default());
        let downloads = Arc::clone(&state);
        let server = testkit::serving(move |mut stream, _| {
            let limits = ReadLimits {
                max_bytes: 8192,
                timeout: Duration::from_secs(10),
            };
            let head = read_message(&stream, Until::Delimiter(b"\r\n\r\n"), limits)?;
            let _in_flight = downloads.begin();
            let head = String::from_utf8_lossy(&head);
            let name = head
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let (status, kind, body) = match name {
                "text" => ("200 OK", "text/html", b"<html>hello</html>".to_vec()),
                "big.jpg" => {
                    let mut body = vec![0xFF, 0xD8, 0xFF, 0xE0];
                    body.resize(BIG_BYTES, 0);
                    ("200 OK", "image/jpeg", body)
                }
                _ => match dirs
                    .iter()
                    .find_map(|dir| std::fs::read(dir.join(name)).ok())
                {
                    Some(body) if !name.contains('/') => ("200 OK", "image/jpeg", body),
                    _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
                },
            };
            write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            )?;
            // The client may stop reading early (an image over its limit): not our error.
            let _ = stream.write_all(&body);
            Ok(())
        })
        .unwrap();
        Self { server, state }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.server.addr())
    }

    /// Holds every answer, from now on, until [`release`](Self::release).
    pub fn hold(&self) {
        self.state.counts.lock().unwrap().2 = true;
    }

    /// Answers the held downloads and those to come.
    pub fn release(&self) {
        self.state.counts.lock().unwrap().2 = false;
        self.state.changed.notify_all();
    }

    /// Waits (up to a minute) until `n` downloads are in flight.
    pub fn wait_for_in_flight(&self, n: usize) {
        let counts = self.state.counts.lock().unwrap();
        let (counts, timeout) = self
            .state
            .changed
            .wait_timeout_while(counts, Duration::from_secs(60), |c| c.0 < n)
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "{} downloads in flight, not {n}",
            counts.0
        );
    }

    /// The most downloads that were ever in flight at once.
    pub fn peak(&self) -> usize {
        self.state.counts.lock().unwrap().1
    }
}

impl Downloads {
    /// Counts one download in flight until the guard drops; waits while answers are held.
    fn begin(self: &Arc<Self>) -> InFlight {
        let mut counts = self.counts.lock().unwrap();
        counts.0 += 1;
        counts.1 = counts.1.max(counts.0);
        self.changed.notify_all();
        drop(self.changed.wait_while(counts, |c| c.2).unwrap());
        InFlight(Arc::clone(self))
    }
}

struct InFlight(Arc<Downloads>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.counts.lock().unwrap().0 -= 1;
        self.0.changed.notify_all();
    }
}

/// The `inference-server` binary running on a free port, in a temporary folder of its own
/// (so its images go to `images/` there), logging to a file; killed when dropped.
/// Dereferences to the [`LoggedProcess`] (`log()`, `wait_for_log`, `child`).
pub struct ServerProcess {
    process: LoggedProcess,
    pub port: u16,
    /// The server's working folder; it saves images in `images/` inside.
    pub dir: tempfile::TempDir,
}

/// The log line (message) that gives the port: the handout's first event.
pub const LISTENING: &str = "Start listening for connections on port ";

impl ServerProcess {
    /// Starts `inference-server 0 PROCESSES ARGS...` and waits until it listens and every
    /// worker has loaded the model.
    pub fn start(processes: usize, args: &[&str]) -> Self {
        let server = Self::launch(&["0", &processes.to_string()], args);
        server.wait_for_log("every worker to be ready", |log| {
            log.matches("] : Ready: pid ").count() >= processes
        });
        server
    }

    /// Starts `inference-server --sequential 0 ARGS...` and waits until it listens (which
    /// it does once the model is loaded).
    pub fn sequential(args: &[&str]) -> Self {
        Self::launch(&["--sequential", "0"], args)
    }

    fn launch(mode: &[&str], args: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let process = LoggedProcess::spawn(
            Command::new(env!("CARGO_BIN_EXE_inference-server"))
                .current_dir(dir.path())
                .args(mode)
                .args(["--host", "127.0.0.1"])
                .args(args),
        );
        let log = process.wait_for_log("the server to listen", |log| log.contains(LISTENING));
        let port = log
            .split(LISTENING)
            .nth(1)
            .and_then(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .unwrap_or_else(|| panic!("no port after {LISTENING:?} in:\n{log}"));
        Self { process, port, dir }
    }

    /// The folder the server saves images in.
    pub fn images(&self) -> PathBuf {
        self.dir.path().join("images")
    }

    /// The pid worker `name` (e.g. `Process-1`) logs when it is ready.
    pub fn worker_pid(&self, name: &str) -> i32 {
        let marker = format!("[{name}] [MainThread] : Ready: pid ");
        let log = self.log();
        let rest = log
            .split(&marker)
            .nth(1)
            .unwrap_or_else(|| panic!("no {name}:\n{log}"));
        rest.split(',').next().unwrap().parse().unwrap()
    }

    /// Sends `request` raw, then reads the reply until the server closes.
    pub fn send(&self, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream.write_all(request).unwrap();
        read_reply(stream)
    }

    /// Asks for `url` the way the handout's client does: URL, `[END]`, read the reply.
    pub fn ask(&self, url: &str) -> String {
        self.send(format!("{url}[END]").as_bytes())
    }
}

/// Reads until the server closes.
pub fn read_reply(mut stream: TcpStream) -> String {
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let _ = stream.shutdown(Shutdown::Both);
    reply
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

/// Parses `("label", 0.123)`.
pub fn parse_reply(reply: &str) -> (String, f32) {
    let inner = reply
        .strip_prefix("(\"")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not a result reply: {reply:?}"));
    let (label, probability) = inner.split_once("\", ").unwrap();
    (label.to_owned(), probability.parse().unwrap())
}

/// One log line in the course format: process, thread and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub process: String,
    pub thread: String,
    pub message: String,
}

/// The log's lines in the course format, `[time] [LEVEL] [process] [thread] : message`;
/// panics on any other line, so a stray print fails the test.
pub fn log_lines(log: &str) -> Vec<LogLine> {
    log.lines()
        .map(|line| {
            let parsed = line.split_once("] : ").and_then(|(head, message)| {
                let fields: Vec<&str> = head.strip_prefix('[')?.split("] [").collect();
                match fields[..] {
                    [_time, _level, process, thread] => Some(LogLine {
                        process: process.to_owned(),
                        thread: thread.to_owned(),
                        message: message.to_owned(),
                    }),
                    _ => None,
                }
            });
            parsed.unwrap_or_else(|| panic!("not in the course format: {line:?}"))
        })
        .collect()
}
