//! What the test modules share: the classifier, workers in-process and as processes, a
//! gateway served in-process, and a small HTTP client.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use common::local::LocalServer;
use recognition_web::gateway::GatewayConfig;
pub use recognition_web::gateway::local::LocalGateway;
use recognition_web::worker::{self, WorkerConfig};
use squeezenet::{Classifier, ClassifierOptions};

/// The photo SqueezeNet is surest about, and its class.
pub const RED_PANDA: (&str, &str) = ("webnn-native_test_redpanda.jpg", "lesser panda");
/// The second sure one.
pub const FLAMINGO: (&str, &str) = ("burn_flamingo_500px.jpg", "flamingo");

/// One classifier for the whole test binary: loading takes a while in a debug build.
pub fn classifier() -> Arc<Classifier> {
    static CLASSIFIER: OnceLock<Arc<Classifier>> = OnceLock::new();
    CLASSIFIER
        .get_or_init(|| {
            Arc::new(Classifier::embedded(&ClassifierOptions::default()).expect("embedded model"))
        })
        .clone()
}

/// A worker on its own thread of this process, on an ephemeral loopback port.
pub fn local_worker() -> LocalServer {
    let classifier = classifier();
    LocalServer::start(move |listener, shutdown, _| {
        worker::run(listener, &shutdown, classifier, WorkerConfig::default())
    })
    .expect("starting a worker")
}

/// A `recognition-worker` process; SIGKILLed when dropped.
pub struct WorkerProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl WorkerProcess {
    /// Starts the binary on `host:port` (port 0: any) and waits for its "listening" line.
    pub fn start(host: &str, port: u16) -> Self {
        Self::start_with(
            Command::new(env!("CARGO_BIN_EXE_recognition-worker")),
            host,
            port,
        )
    }

    /// Starts the worker binary through `command` (e.g. `ip netns exec NAME` with the binary
    /// already as its first argument, or the binary itself).
    pub fn start_with(mut command: Command, host: &str, port: u16) -> Self {
        let mut child = command
            .args(["--host", host, "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning recognition-worker");
        let mut stderr = BufReader::new(child.stderr.take().expect("piped"));
        let mut line = String::new();
        let addr = loop {
            line.clear();
            let read = stderr
                .read_line(&mut line)
                .expect("reading the worker's log");
            assert!(
                read > 0,
                "the worker exited before listening: {:?}",
                child.wait()
            );
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().unwrap().parse().unwrap();
            }
        };
        // Keep draining the log so the worker never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Self { child, addr }
    }

    /// SIGKILL, as a crashing host would: no goodbye on any connection.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A quick gateway configuration for tests: short probe interval, test-sized deadlines.
pub fn test_config() -> GatewayConfig {
    GatewayConfig {
        probe_interval: Duration::from_millis(200),
        request_deadline: Duration::from_secs(60),
        attempt_timeout: Duration::from_secs(30),
        max_attempts: 4,
        ..GatewayConfig::default()
    }
}

/// An HTTP answer: status, a few headers, body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub content_type: String,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Loopback and test namespaces only: never through a proxy from the environment.
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(120)))
        // Redirects are part of what the tests check (the login's 303), not followed.
        .max_redirects(0)
        .build()
        .into()
}

fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("HTTP request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let retry_after = header("retry-after");
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let set_cookie = header("set-cookie");
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .expect("reading the body");
    Reply {
        status: response.status().as_u16(),
        retry_after,
        content_type,
        location,
        set_cookie,
        body,
    }
}

/// `GET url`.
pub fn get(url: &str) -> Reply {
    reply(agent().get(url).call())
}

/// `DELETE url`.
pub fn delete(url: &str) -> Reply {
    reply(agent().delete(url).call())
}

/// `POST url` with `body` as `content_type`, and extra headers.
pub fn post(url: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().post(url).header("content-type", content_type);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    reply(request.send(body))
}

/// `GET url` with an `Authorization: Bearer token` header.
pub fn get_with_token(url: &str, token: &str) -> Reply {
    reply(
        agent()
            .get(url)
            .header("authorization", format!("Bearer {token}"))
            .call(),
    )
}

/// `GET url` with `headers`.
pub fn get_with(url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    reply(request.call())
}

/// `POST url` with an HTML form's fields (`application/x-www-form-urlencoded`) and extra
/// headers.
pub fn post_form(url: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}={}", urlencode(name), urlencode(value)))
        .collect();
    post(
        url,
        "application/x-www-form-urlencoded",
        body.join("&").as_bytes(),
        headers,
    )
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Logs in at `base/admin/login` with `token`; returns the `Cookie` header value to send
/// on later requests. Panics unless the gateway answers 303 with a session cookie.
pub fn log_in(base: &str, token: &str) -> String {
    let reply = post_form(&format!("{base}/admin/login"), &[("token", token)], &[]);
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/workers"));
    let cookie = reply.set_cookie.expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// A `multipart/form-data` body with one file field; returns (content type, body).
pub fn multipart(field: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----netlabs-test-boundary-7d1c";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `POST /api/classify` with the raw photo; the JSON answer.
pub fn classify(gateway: &LocalGateway, photo: &[u8]) -> Reply {
    post(
        &gateway.url("/api/classify"),
        "application/octet-stream",
        photo,
        &[],
    )
}

/// The top-1 label of a JSON answer.
pub fn top1(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["predictions"][0]["label"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Polls `check` every 50 ms until it holds or `timeout` passes; returns whether it held.
pub fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
