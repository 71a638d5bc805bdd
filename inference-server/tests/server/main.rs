//! The inference server, pre-fork and sequential, and its client (one request, or a load),
//! as real processes over real sockets.

mod hostile;
mod load;
mod no_server;
mod sequential;
mod support;

use std::collections::{BTreeSet, HashSet};
use std::io::Write as _;
use std::net::TcpStream;
use std::process::Command;

use common::net::py_addr;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::{CONFIDENT, LISTENING, PhotoServer, ServerProcess, log_lines, parse_reply};

/// How each of the handout's 8 events begins in the log (seed "Assignment 2", example run).
const EVENTS: [&str; 8] = [
    LISTENING,
    "Created process Process-",
    "Client ('127.0.0.1', ",
    "Received Client ('127.0.0.1', ",
    "Client submitted URL http://",
    "Image saved to images/image-",
    "SqueezeNet result: (\"",
    "Client connection closed",
];

#[test]
fn twenty_concurrent_clients_are_answered_by_two_workers() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(2, &["--allow-private-urls"]);
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let (file, label, probability) = CONFIDENT[i % CONFIDENT.len()];
            let url = photos.url(file);
            let port = server.port;
            std::thread::spawn(move || {
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                std::io::Write::write_all(&mut &stream, format!("{url}[END]").as_bytes()).unwrap();
                (support::read_reply(stream), label, probability)
            })
        })
        .collect();
    for client in clients {
        let (reply, label, probability) = client.join().unwrap();
        let (got_label, got_probability) = parse_reply(&reply);
        assert_eq!(got_label, label, "{reply}");
        assert!(
            (got_probability - probability).abs() <= 0.02,
            "{reply} vs {probability}"
        );
    }

    let saved: Vec<String> = std::fs::read_dir(server.images())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(saved.len(), 20, "one file per request: {saved:?}");
    assert_eq!(saved.iter().collect::<HashSet<_>>().len(), 20);
    for name in &saved {
        assert!(
            name.ends_with(".jpg") || name.ends_with(".jpeg"),
            "{name} lost its extension"
        );
    }

    let log = server.wait_for_log("20 connections closed", |log| {
        log.matches("Client connection closed").count() == 20
    });
    for event in EVENTS {
        assert!(
            log.contains(&format!("] : {event}")),
            "no {event:?} in the log:\n{log}"
        );
    }
    let answering: BTreeSet<&str> = log
        .lines()
        .filter(|line| line.contains("SqueezeNet result:"))
        .filter_map(|line| line.split("] [").nth(2))
        .collect();
    assert!(answering.len() >= 2, "only {answering:?} answered:\n{log}");
}

#[test]
fn the_eight_events_read_as_in_the_handout() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(2, &["--allow-private-urls"]);
    let url = photos.url(CONFIDENT[0].0);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let client = py_addr(&stream.local_addr().unwrap(), true);
    stream.write_all(format!("{url}[END]").as_bytes()).unwrap();
    let reply = support::read_reply(stream);
    let log = server.wait_for_log("the connection closed", |log| {
        log.contains("Client connection closed")
    });
    let lines = log_lines(&log);

    // The main process: listening, the processes created, the client connected.
    let main: Vec<&str> = lines
        .iter()
        .filter(|l| l.process == "MainProcess" && !l.message.starts_with("loading the"))
        .map(|l| l.message.as_str())
        .collect();
    let port = server.port;
    assert_eq!(
        main,
        [
            format!("Start listening for connections on port {port}"),
            "Created process Process-1".to_owned(),
            "Created process Process-2".to_owned(),
            format!("Client {client} connected."),
        ],
        "{log}"
    );
    // One thread of one worker: the other five, in order.
    let served: Vec<_> = lines.iter().filter(|l| l.thread != "MainThread").collect();
    assert!(
        served
            .iter()
            .all(|l| (&l.process, &l.thread) == (&served[0].process, &served[0].thread)),
        "{log}"
    );
    assert!(served[0].process.starts_with("Process-") && served[0].thread.starts_with("Thread-"));
    let messages: Vec<&str> = served.iter().map(|l| l.message.as_str()).collect();
    let [received, submitted, saved, result, closed] = messages[..] else {
        panic!("not five events: {messages:?}");
    };
    assert_eq!(received, format!("Received Client {client}."));
    assert_eq!(submitted, format!("Client submitted URL {url}"));
    let image = saved.strip_prefix("Image saved to ").unwrap();
    assert!(
        image.starts_with("images/image-") && image.ends_with(".jpg"),
        "relative to the server's folder: {saved}"
    );
    assert_eq!(
        std::fs::read(server.dir.path().join(image)).unwrap(),
        testkit::data::photo(CONFIDENT[0].0)
    );
    assert_eq!(result, format!("SqueezeNet result: {reply}"));
    assert_eq!(closed, "Client connection closed");
}

#[test]
fn a_killed_worker_is_replaced_and_requests_still_succeed() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(2, &["--allow-private-urls"]);
    let victim = server.worker_pid("Process-1");
    kill(Pid::from_raw(victim), Signal::SIGKILL).unwrap();
    server.wait_for_log("a replacement worker", |log| {
        log.contains("Process-1 (pid")
            && log.contains("died")
            && log.contains("[Process-3] [MainThread] : Ready")
    });
    for _ in 0..6 {
        let (label, _) = parse_reply(&server.ask(&photos.url(CONFIDENT[0].0)));
        assert_eq!(label, "lesser panda");
    }
}

#[test]
fn bad_requests_get_an_error_and_the_next_request_succeeds() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(
        1,
        &[
            "--allow-private-urls",
            "--request-timeout",
            "1",
            "--max-image-bytes",
            "200000",
        ],
    );
    let mut over_8k = b"http://".to_vec();
    over_8k.resize(9000, b'a');
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            photos.url(CONFIDENT[0].0).into_bytes(),
            "no complete message within 1.0 s",
        ),
        (over_8k, "larger than the limit of 8192 bytes"),
        (
            Vec::new(),
            "no complete message within 1.0 s (0 bytes received)",
        ),
        (
            b"ftp://127.0.0.1/a.jpg[END]".to_vec(),
            "only http:// and https://",
        ),
        (
            b"file:///etc/passwd[END]".to_vec(),
            "only http:// and https://",
        ),
        (
            b"http://127.0.0.1:1/a.jpg[END]".to_vec(),
            "cannot download the image",
        ),
        (
            format!("{}[END]", photos.url("missing.jpg")).into_bytes(),
            "HTTP 404",
        ),
        (
            format!("{}[END]", photos.url("text")).into_bytes(),
            "does not point to an image",
        ),
        (
            format!("{}[END]", photos.url("big.jpg")).into_bytes(),
            "larger than the limit of 200000",
        ),
    ];
    for (request, expected) in cases {
        let reply = server.send(&request);
        assert!(reply.starts_with("error: "), "{reply:?}");
        assert!(
            reply.contains(expected),
            "{reply:?} should contain {expected:?}"
        );
        assert!(!reply.contains('\n'), "one line: {reply:?}");
        let (label, _) = parse_reply(&server.ask(&photos.url(CONFIDENT[1].0)));
        assert_eq!(label, "flamingo", "after {expected:?}");
    }
}

#[test]
fn private_addresses_are_refused_without_the_flag_and_ctrl_c_stops_everything() {
    let photos = PhotoServer::start();
    let mut server = ServerProcess::start(2, &[]);
    for _ in 0..2 {
        let reply = server.ask(&photos.url(CONFIDENT[0].0));
        assert!(reply.contains("non-public address 127.0.0.1"), "{reply}");
    }
    let workers = [
        server.worker_pid("Process-1"),
        server.worker_pid("Process-2"),
    ];

    let status = server.stop_with(Signal::SIGINT);
    assert!(status.success(), "{status}");
    for pid in workers {
        // The main process waited for (and so reaped) its workers before exiting.
        assert_eq!(
            kill(Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH),
            "worker {pid} alive"
        );
    }
    let addr = format!("127.0.0.1:{}", server.port).parse().unwrap();
    common::net::bind_listener(addr, 16).expect("the port can be bound again at once");
}

#[test]
fn inference_client_logs_the_answer_and_fails_on_an_error_reply() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(1, &["--allow-private-urls"]);
    let client = |url: String| {
        Command::new(env!("CARGO_BIN_EXE_inference-client"))
            .args(["localhost", &server.port.to_string(), &url])
            .output()
            .unwrap()
    };

    let ok = client(photos.url(CONFIDENT[1].0));
    let log = String::from_utf8(ok.stderr).unwrap();
    assert!(ok.status.success(), "{log}");
    assert!(ok.stdout.is_empty(), "the handout's client only logs");
    assert_eq!(log.lines().count(), 3, "{log}");
    let port = server.port;
    for line in [
        format!("[MainProcess] [MainThread] : Connected to server at (localhost, {port})"),
        "[MainProcess] [MainThread] : URL sent to the server".to_owned(),
        "[MainProcess] [MainThread] : Server response: (\"flamingo\", 0.99".to_owned(),
    ] {
        assert!(log.contains(&line), "no {line:?} in:\n{log}");
    }

    let failed = client(photos.url("missing.jpg"));
    let log = String::from_utf8(failed.stderr).unwrap();
    assert!(!failed.status.success());
    assert!(log.contains("HTTP 404"), "{log}");
}
