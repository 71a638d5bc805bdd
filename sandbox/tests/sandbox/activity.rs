//! A program's activity as the grader samples it: connections to a server held open at
//! once by several threads, then CPU used by worker processes after the last connection.

use std::io::Write as _;
use std::net::TcpListener;
use std::time::Duration;

use sandbox::activity::{ActivitySampler, CpuUnit};

use crate::sh;

/// A server that accepts every connection and answers each after `wait`, on a thread per
/// connection, for as long as the test runs.
fn slow_server(wait: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                std::thread::sleep(wait);
                let _ = stream.write_all(b"done");
            });
        }
    });
    port
}

/// Runs the Python program `body` (its lines unindented) to its end while sampling its
/// tree every 5 ms; returns its pid and what was seen.
fn sampled(body: &str) -> (u32, sandbox::activity::Activity) {
    let dir = tempfile::tempdir().unwrap();
    let mut proc = sh(
        None,
        &format!("exec python3 -c '{body}'"),
        dir.path(),
        dir.path(),
    );
    let sampler = ActivitySampler::start(proc.pid(), CpuUnit::Process, Duration::from_millis(5));
    assert_eq!(
        proc.wait(crate::PATIENCE),
        sandbox::Exit::Code(0),
        "{}",
        proc.output()
    );
    (proc.pid(), sampler.finish())
}

#[test]
fn threads_in_flight_then_two_busy_processes_are_seen() {
    let port = slow_server(Duration::from_millis(400));
    // Four threads fetch at once; then two processes spin for 0.5 s of CPU each while the
    // main process waits.
    let (pid, activity) = sampled(&format!(
        "
import multiprocessing, socket, threading, time
def fetch():
    with socket.create_connection((\"127.0.0.1\", {port})) as s:
        while s.recv(64):
            pass
def spin():
    end = time.process_time() + 0.5
    while time.process_time() < end:
        pass
threads = [threading.Thread(target=fetch) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
workers = [multiprocessing.Process(target=spin) for _ in range(2)]
[w.start() for w in workers]
[w.join() for w in workers]
"
    ));

    let peak = activity.peak_overlap();
    assert_eq!(peak.connections, 4, "{peak:?}");
    assert!(peak.threads >= 4, "{peak:?}");
    assert_eq!(peak.processes, 1, "{peak:?}");

    let end = activity.last_connection().expect("connections seen");
    let busy: Vec<_> = activity
        .cpu_after(end)
        .into_iter()
        .filter(|(id, seconds)| *id != pid && *seconds >= 0.3)
        .collect();
    assert_eq!(
        busy.len(),
        2,
        "two workers spun: {:?}",
        activity.cpu_after(end)
    );
}

#[test]
fn a_sequential_program_never_holds_two_connections() {
    let port = slow_server(Duration::from_millis(100));
    let (_, activity) = sampled(&format!(
        "
import socket
for _ in range(4):
    with socket.create_connection((\"127.0.0.1\", {port})) as s:
        while s.recv(64):
            pass
"
    ));
    let peak = activity.peak_overlap();
    assert_eq!(peak.connections, 1, "{peak:?}");
    assert_eq!(peak.threads, 1, "{peak:?}");
}
