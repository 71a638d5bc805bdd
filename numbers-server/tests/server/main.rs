//! The numbers server as its clients see it: the payload's format and range, randomness,
//! concurrency, shutdown, and the binary's log lines and signal handling.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use common::local::LocalServer;
use numbers_server::payload::{LIST_LEN, MAX, MIN};

fn start() -> LocalServer {
    LocalServer::start(numbers_server::run).unwrap()
}

fn fetch(addr: SocketAddr) -> Vec<u8> {
    let mut payload = Vec::new();
    TcpStream::connect(addr)
        .unwrap()
        .read_to_end(&mut payload)
        .unwrap();
    payload
}

/// Asserts the handout's format and returns the values.
///
/// One pass over the bytes rather than `split` and `parse`: a hundred 2.6 MiB lists must be
/// checked quickly in an unoptimised test build too.
fn check(payload: &[u8]) -> Vec<i32> {
    let mut values = Vec::with_capacity(LIST_LEN);
    for (at, token) in payload.split(|&b| b == b',').enumerate() {
        let (negative, digits) = match token.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, token),
        };
        // Canonical decimal: no empty field, no '+', no spaces, no leading zeros, no "-0".
        assert!(
            !digits.is_empty() && digits.len() <= 9 && digits.iter().all(u8::is_ascii_digit),
            "token {at}: {:?}",
            String::from_utf8_lossy(token)
        );
        assert!(
            digits[0] != b'0' || (digits.len() == 1 && !negative),
            "token {at}"
        );
        let magnitude = digits
            .iter()
            .fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
        let value = if negative { -magnitude } else { magnitude };
        assert!((MIN..=MAX).contains(&value), "{value} out of range");
        values.push(value);
    }
    assert_eq!(values.len(), LIST_LEN);
    values
}

#[test]
fn a_list_is_250000_integers_in_range_joined_by_commas() {
    let server = start();
    let payload = fetch(server.addr());
    assert!(
        payload.last().unwrap().is_ascii_digit(),
        "no trailing comma"
    );
    let values = check(&payload);
    // 250000 uniform draws over ~2e9 values: both halves of the range are well covered.
    assert!(values.iter().any(|&v| v < -900_000_000));
    assert!(values.iter().any(|&v| v > 900_000_000));
}

#[test]
fn two_lists_differ() {
    let server = start();
    assert_ne!(fetch(server.addr()), fetch(server.addr()));
}

#[test]
fn a_hundred_simultaneous_clients_each_get_a_full_list() {
    let server = start();
    let addr = server.addr();
    let clients = 100;
    let barrier = Arc::new(Barrier::new(clients));
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                // Every client is connected before any starts reading.
                barrier.wait();
                let mut payload = Vec::new();
                stream.read_to_end(&mut payload).unwrap();
                payload
            })
        })
        .collect();
    for thread in threads {
        check(&thread.join().unwrap());
    }
}

#[test]
fn shutdown_makes_run_return() {
    let server = start();
    let addr = server.addr();
    check(&fetch(addr));
    server.stop().expect("run returns Ok after shutdown");
    assert!(TcpStream::connect(addr).is_err(), "the listener is closed");
}

#[test]
fn the_binary_logs_like_the_course_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_numbers-server"))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = log.next().unwrap().unwrap();
    let listening = first.split(" : ").nth(1).unwrap();
    let addr: SocketAddr = listening
        .strip_prefix("Listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    assert!(first.starts_with('['), "course format: {first}");
    assert!(
        first.contains("] [INFO] [MainProcess] [MainThread] : "),
        "{first}"
    );

    let mut stream = TcpStream::connect(addr).unwrap();
    let port = stream.local_addr().unwrap().port();
    let mut payload = Vec::new();
    stream.read_to_end(&mut payload).unwrap();
    check(&payload);
    let sent = log.next().unwrap().unwrap();
    assert!(
        sent.ends_with(&format!("] : Sent a file to ('127.0.0.1', {port})")),
        "{sent}"
    );
    assert!(sent.contains("[Thread-1]"), "{sent}");

    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    assert!(
        child.wait().unwrap().success(),
        "SIGTERM is a clean shutdown"
    );
}
