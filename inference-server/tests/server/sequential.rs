//! `inference-server --sequential`: one process, one thread, one client at a time, seen
//! from outside: the listen backlog, the photo server's downloads, the log and `/proc`.

use std::io::Write as _;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::{CONFIDENT, PhotoServer, ServerProcess, log_lines, parse_reply, read_reply};

/// Connections waiting in the accept queue of the TCP listener on `127.0.0.1:port`, as
/// the kernel reports it (`/proc/net/tcp`: a listening socket's receive queue is its
/// accept queue).
fn accept_queue(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let local = format!("0100007F:{port:04X}");
    table
        .lines()
        .skip(1)
        .find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let listening = fields[1] == local && fields[3] == "0A";
            let (_, queued) = fields[4].split_once(':')?;
            listening.then(|| usize::from_str_radix(queued, 16).unwrap())
        })
        .unwrap_or_else(|| panic!("no listener on 127.0.0.1:{port}"))
}

/// The names of process `pid`'s threads.
fn thread_names(pid: i32) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .map(|task| {
            let comm = task.unwrap().path().join("comm");
            std::fs::read_to_string(comm).unwrap().trim().to_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_sequential_server_answers_one_client_at_a_time() {
    let photos = PhotoServer::start();
    let server = ServerProcess::sequential(&["--allow-private-urls"]);
    photos.hold();
    let port = server.port;
    let clients: Vec<_> = CONFIDENT[..3]
        .iter()
        .map(|&(file, label, _)| {
            let url = photos.url(file);
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream.write_all(format!("{url}[END]").as_bytes()).unwrap();
                (parse_reply(&read_reply(stream)).0, label)
            })
        })
        .collect();

    // While the first client's image is held at the photo server, the other two have
    // connected (the kernel completed their handshakes) but wait in the listen backlog: the
    // server has not accepted them.
    photos.wait_for_in_flight(1);
    let deadline = Instant::now() + Duration::from_secs(60);
    while accept_queue(port) < 2 {
        assert!(Instant::now() < deadline, "the clients never connected");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(accept_queue(port), 2);
    assert_eq!(server.log().matches(" connected.").count(), 1);
    photos.release();
    for client in clients {
        let (label, expected) = client.join().unwrap();
        assert_eq!(label, expected);
    }
    assert_eq!(photos.peak(), 1, "downloads overlapped");

    // The log: every line from the one thread of the one process, and each client's six
    // events in a block of their own.
    let log = server.wait_for_log("three connections closed", |log| {
        log.matches("Client connection closed").count() == 3
    });
    let lines = log_lines(&log);
    assert!(
        lines
            .iter()
            .all(|l| l.process == "MainProcess" && l.thread == "MainThread"),
        "{log}"
    );
    let served: Vec<&str> = lines
        .iter()
        .map(|l| l.message.as_str())
        .skip_while(|m| !m.starts_with("Client ("))
        .collect();
    assert_eq!(served.len(), 18, "{log}");
    for block in served.chunks(6) {
        let client = block[0]
            .strip_prefix("Client ")
            .and_then(|rest| rest.strip_suffix(" connected."))
            .unwrap_or_else(|| panic!("{block:?}"));
        assert_eq!(block[1], format!("Received Client {client}."));
        assert!(block[2].starts_with("Client submitted URL "), "{block:?}");
        assert!(block[3].starts_with("Image saved to images/"), "{block:?}");
        assert!(block[4].starts_with("SqueezeNet result: "), "{block:?}");
        assert_eq!(block[5], "Client connection closed");
    }
    // One process: no workers, and no thread but the main one and the Ctrl-C handler's.
    assert!(!log.contains("Created process"));
    assert_eq!(
        thread_names(server.pid()),
        ["ctrl-c", "inference-serve"],
        "comm names, cut at 15 bytes"
    );
}
