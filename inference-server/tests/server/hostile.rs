//! Clients that try to stall the server or exhaust its memory, while others are served.

use std::io::Write;
use std::net::TcpStream;

use crate::support::{CONFIDENT, PhotoServer, ServerProcess, parse_reply, read_reply};

/// Peak resident memory (`VmHWM`) of process `pid`, in bytes.
fn peak_rss(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .expect("a VmHWM line");
    kib * 1024
}

#[test]
fn idle_connections_do_not_hold_worker_threads() {
    let photos = PhotoServer::start();
    // 2 workers x 4 threads = 8 threads; 30 idle clients would hold them all for the whole
    // request timeout if connections went to threads before their requests arrived.
    let server = ServerProcess::start(2, &["--allow-private-urls", "--request-timeout", "8"]);
    let idle: Vec<TcpStream> = (0..30)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    server.wait_for_log("30 idle clients to be accepted", |log| {
        log.matches(" connected.").count() >= 30
    });

    let (label, _) = parse_reply(&server.ask(&photos.url(CONFIDENT[0].0)));
    assert_eq!(label, "lesser panda");
    // Answered while every idle client was still open and within its timeout: the answer
    // did not wait for any of them.
    let log = server.log();
    assert!(
        !log.contains("no complete message"),
        "an idle client timed out first:\n{log}"
    );

    // Each idle client is then answered with an error at its deadline and closed.
    for stream in idle {
        let reply = read_reply(stream);
        assert!(
            reply.starts_with("error: bad request: no complete message within 8.0 s (0 bytes"),
            "{reply:?}"
        );
    }
    let log = server.log();
    assert!(!log.contains("panicked") && !log.contains("died"), "{log}");
    let (label, _) = parse_reply(&server.ask(&photos.url(CONFIDENT[1].0)));
    assert_eq!(label, "flamingo");
}

#[test]
fn decompression_bombs_are_refused_and_large_photos_decoded_in_bounded_memory() {
    let photos = PhotoServer::start();
    let server = ServerProcess::start(2, &["--allow-private-urls"]);
    // 16 hostile requests at once: half a PNG that would decode to 243 MB, half a
    // 12-megapixel JPEG; with them, ordinary clients.
    let port = server.port;
    let ask = move |url: String| {
        std::thread::spawn(move || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream.write_all(format!("{url}[END]").as_bytes()).unwrap();
            read_reply(stream)
        })
    };
    let hostile: Vec<_> = (0..16)
        .map(|i| {
            let file = if i % 2 == 0 {
                "bomb-9000x9000.png"
            } else {
                "large-4000x3000.jpg"
            };
            (file, ask(photos.url(file)))
        })
        .collect();
    let ordinary: Vec<_> = (0..8)
        .map(|i| ask(photos.url(CONFIDENT[i % 2].0)))
        .collect();

    for (file, reply) in hostile {
        let reply = reply.join().unwrap();
        if file.ends_with(".png") {
            assert!(
                reply.starts_with(
                    "error: cannot classify the image: the image is too large: 9000x9000"
                ),
                "{file}: {reply:?}"
            );
        } else {
            // Decoded (at reduced DCT scale) and classified: a label, whatever it is.
            let (label, probability) = parse_reply(&reply);
            assert!(
                !label.is_empty() && (0.0..=1.0).contains(&probability),
                "{reply:?}"
            );
        }
    }
    for (i, reply) in ordinary.into_iter().enumerate() {
        let (label, _) = parse_reply(&reply.join().unwrap());
        assert_eq!(label, CONFIDENT[i % 2].1);
    }

    let pids = [
        server.pid(),
        server.worker_pid("Process-1"),
        server.worker_pid("Process-2"),
    ];
    let total: u64 = pids.into_iter().map(peak_rss).sum();
    assert!(
        total < 1024 * 1024 * 1024,
        "the server's processes peaked at {} MiB together",
        total / (1024 * 1024)
    );
}
