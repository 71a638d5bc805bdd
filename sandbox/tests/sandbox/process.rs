//! A program in its own process group: bounded waits that kill the whole group, a port
//! seen listening without a connection, and an early exit reported with its status.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use sandbox::Exit;

use crate::{PATIENCE, sh};

#[test]
fn a_wait_past_its_timeout_kills_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut proc = sh(None, "sleep 60 & sleep 60", dir.path(), dir.path());
    let pid = proc.pid();
    let started = Instant::now();
    assert_eq!(proc.wait(Duration::from_millis(300)), Exit::Timeout);
    assert!(started.elapsed() < PATIENCE);
    let left = sandbox::observe::descendants(pid);
    assert!(left.is_empty(), "{left:?} outlived the timeout");
}

#[test]
fn a_listening_port_is_seen_in_proc_without_a_connection() {
    let dir = tempfile::tempdir().unwrap();
    // A free port, released for the program to take.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = format!(
        "exec python3 -c 'import socket, time; s = socket.socket(); \
         s.bind((\"127.0.0.1\", {port})); s.listen(); time.sleep(60)'"
    );
    let mut proc = sh(None, &script, dir.path(), dir.path());
    proc.wait_listening(port, PATIENCE)
        .unwrap_or_else(|(exit, evidence)| panic!("{exit:?}: {evidence}"));
    assert!(!proc.has_exited());
}

#[test]
fn an_exit_before_listening_is_reported_with_its_status_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut proc = sh(None, "echo cannot bind; exit 3", dir.path(), dir.path());
    let (exit, evidence) = proc.wait_listening(1, PATIENCE).unwrap_err();
    assert_eq!(exit, Exit::Code(3));
    assert!(
        evidence.contains("exit status 3") && evidence.contains("cannot bind"),
        "{evidence}"
    );
}

#[test]
fn an_interrupt_reaches_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut proc = sh(
        None,
        "trap 'echo interrupted; exit 0' INT; sleep 60 & wait",
        dir.path(),
        dir.path(),
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(proc.interrupt(PATIENCE), "{}", proc.output());
    assert!(proc.output().contains("interrupted"), "{}", proc.output());
}

#[test]
fn a_set_of_groups_is_killed_at_once_and_others_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let groups = sandbox::process::Groups::default();
    let mut tracked = sh(None, "sleep 60 & sleep 60", dir.path(), dir.path()).track(Some(&groups));
    let mut other = sh(None, "sleep 60", dir.path(), dir.path());
    groups.kill_all();
    assert_eq!(tracked.wait(PATIENCE), Exit::Signal(9));
    assert!(
        sandbox::observe::descendants(tracked.pid()).is_empty(),
        "the forked sleep is gone too"
    );
    assert_eq!(other.poll(), None, "a program outside the set still runs");
    other.kill();
}
