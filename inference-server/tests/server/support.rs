//! Fixtures for the pre-fork server tests: the real binaries as child processes, and a
//! loopback HTTP server for the photos.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::process::Command;
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
/// answered with `Connection: close`, so no keep-alive state can stall a download.
pub struct PhotoServer {
    server: LocalServer,
}

impl PhotoServer {
    pub fn start() -> Self {
        let dirs = image_dirs();
        let server = testkit::serving(move |mut stream, _| {
            let limits = ReadLimits {
                max_bytes: 8192,
                timeout: Duration::from_secs(10),
            };
            let head = read_message(&stream, Until::Delimiter(b"\r\n\r\n"), limits)?;
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
        Self { server }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.server.addr())
    }
}

/// The `inference-server` binary running as `inference-server 0 PROCESSES ...`, logging to
/// a file; killed when dropped. Dereferences to the [`LoggedProcess`] (`log()`,
/// `wait_for_log`, `child`).
pub struct ServerProcess {
    process: LoggedProcess,
    pub port: u16,
    pub images: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the server with `processes` workers and `args`, and waits until it listens
    /// and every worker has loaded the model.
    pub fn start(processes: usize, args: &[&str]) -> Self {
        let images = tempfile::tempdir().unwrap();
        let process = LoggedProcess::spawn(
            Command::new(env!("CARGO_BIN_EXE_inference-server"))
                .args([
                    "0",
                    &processes.to_string(),
                    "--host",
                    "127.0.0.1",
                    "--images-dir",
                ])
                .arg(images.path())
                .args(args),
        );
        let port = process.port_after("Listening on ");
        process.wait_for_log("every worker to be ready", |log| {
            log.matches("] : Ready:").count() >= processes
        });
        Self {
            process,
            port,
            images,
        }
    }

    /// The pid the log gives for worker `name` (e.g. `Process-1`).
    pub fn worker_pid(&self, name: &str) -> i32 {
        let marker = format!("Created worker process {name} (pid ");
        let log = self.log();
        let rest = log
            .split(&marker)
            .nth(1)
            .unwrap_or_else(|| panic!("no {name}:\n{log}"));
        rest.split(')').next().unwrap().parse().unwrap()
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
