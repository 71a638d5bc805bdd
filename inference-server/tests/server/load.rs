//! `inference-client` as a load generator, against a scripted server: how many requests,
//! how many at once, which URLs, and what it prints.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::Output;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use common::local::LocalServer;
use common::net::{Until, read_message};
use inference_server::protocol::{END_MARKER, REQUEST_LIMITS};

/// What the scripted server saw.
#[derive(Default)]
struct Seen {
    /// Requests by URL.
    urls: BTreeMap<String, usize>,
    /// Requests that arrived so far, and the most served at once.
    arrived: usize,
    live: usize,
    peak: usize,
}

/// A server that answers `error: no such photo` to URLs ending in `/missing.jpg` and
/// `("tabby", 0.500)` to the others, each only once `wave` requests have arrived together
/// (requests 1-3 wait for the third, 4-6 for the sixth, ...; at most a minute). A client
/// that never has `wave` requests in flight therefore gets its answers late, and one that
/// has more shows a peak above `wave`.
fn scripted_server(wave: usize) -> (LocalServer, Arc<(Mutex<Seen>, Condvar)>) {
    let state = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
    let seen = Arc::clone(&state);
    let server = testkit::serving(move |mut stream, _| {
        let request = read_message(&stream, Until::Delimiter(END_MARKER), REQUEST_LIMITS)?;
        let url = String::from_utf8(request)?;
        let (lock, changed) = &*seen;
        let mut s = lock.lock().unwrap();
        *s.urls.entry(url.clone()).or_default() += 1;
        s.arrived += 1;
        s.live += 1;
        s.peak = s.peak.max(s.live);
        changed.notify_all();
        let wave_end = s.arrived.div_ceil(wave) * wave;
        let (mut s, _) = changed
            .wait_timeout_while(s, Duration::from_secs(60), |s| s.arrived < wave_end)
            .unwrap();
        s.live -= 1;
        drop(s);
        let reply = match url.ends_with("/missing.jpg") {
            true => "error: no such photo",
            false => "(\"tabby\", 0.500)",
        };
        stream.write_all(reply.as_bytes())?;
        Ok(())
    })
    .unwrap();
    (server, state)
}

fn client(server: &LocalServer, args: &[&str]) -> (Output, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_inference-client"))
        .args(["127.0.0.1", &server.addr().port().to_string()])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

#[test]
fn a_load_keeps_its_concurrency_and_asks_each_url_in_turn() {
    let (server, state) = scripted_server(3);
    let dir = tempfile::tempdir().unwrap();
    let urls = dir.path().join("urls.txt");
    std::fs::write(&urls, "# two photos\nhttp://h/a.jpg\n\nhttp://h/b.jpg\n").unwrap();
    let (output, stdout, stderr) = client(
        &server,
        &[
            "--urls",
            urls.to_str().unwrap(),
            "--requests",
            "6",
            "--concurrency",
            "3",
        ],
    );
    assert!(output.status.success(), "{stderr}");
    testkit::assert_timing_lines(&stdout, &["Requests time"]);

    let seen = state.0.lock().unwrap();
    assert_eq!(seen.arrived, 6);
    assert_eq!(seen.peak, 3, "3 requests in flight at once, never more");
    let expected = BTreeMap::from([
        ("http://h/a.jpg".to_owned(), 3),
        ("http://h/b.jpg".to_owned(), 3),
    ]);
    assert_eq!(seen.urls, expected);

    // stderr: the summary alone, as a log line; the per-request lines are at debug level.
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let summary = lines[0]
        .split_once("[INFO] [MainProcess] [MainThread] : ")
        .unwrap_or_else(|| panic!("{stderr}"))
        .1;
    assert!(
        summary.starts_with("6 requests, 3 at a time, in "),
        "{summary}"
    );
    for part in [" requests/s, latency p50 ", " ms, p99 ", " ms; 0 failed"] {
        assert!(summary.contains(part), "{summary}");
    }
}

#[test]
fn failed_requests_are_counted_and_fail_the_run() {
    let (server, state) = scripted_server(1);
    let dir = tempfile::tempdir().unwrap();
    let urls = dir.path().join("urls.txt");
    std::fs::write(&urls, "http://h/a.jpg\nhttp://h/missing.jpg\n").unwrap();
    let (output, stdout, stderr) = client(
        &server,
        &["--urls", urls.to_str().unwrap(), "--requests", "4"],
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    testkit::assert_timing_lines(&stdout, &["Requests time"]);
    assert_eq!(state.0.lock().unwrap().peak, 1, "one at a time by default");
    assert!(stderr.contains("4 requests, 1 at a time, in "), "{stderr}");
    assert!(stderr.contains("; 2 failed"), "{stderr}");
    assert!(
        stderr.ends_with(
            "inference-client: error: 2 of 4 requests failed; the first: \
             the server could not classify the image: no such photo\n"
        ),
        "{stderr}"
    );
}

#[test]
fn one_url_with_requests_is_asked_that_many_times() {
    let (server, state) = scripted_server(2);
    let (output, stdout, stderr) = client(
        &server,
        &["http://h/a.jpg", "--requests", "4", "--concurrency", "2"],
    );
    assert!(output.status.success(), "{stderr}");
    testkit::assert_timing_lines(&stdout, &["Requests time"]);
    let seen = state.0.lock().unwrap();
    assert_eq!(
        seen.urls,
        BTreeMap::from([("http://h/a.jpg".to_owned(), 4)])
    );
    assert_eq!(seen.peak, 2);
}
