//! Wire compatibility with the course's Python programs, in both directions. Python 3 must
//! be installed: a missing `python3` fails these tests rather than skipping them.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use common::local::LocalServer;
use numbers_client::{Server, run};
use numbers_server::payload::LIST_LEN;
use support::{assert_sorted_pair, dirs, list_names, modes, names, options};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

fn python3() -> Command {
    Command::new("python3")
}

#[test]
fn the_course_client_reads_and_sorts_our_lists() {
    let server = LocalServer::start(|listener, shutdown| {
        numbers_server::run(listener, shutdown, Default::default())
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lists = 3;
    let output = python3()
        .arg(script("course_client.py"))
        .arg(server.addr().ip().to_string())
        .arg(server.addr().port().to_string())
        .arg(lists.to_string())
        .arg(dir.path())
        .output()
        .expect("python3 runs (it is required by the test suite)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (unsorted, sorted) = dirs(dir.path());
    assert_eq!(names(&sorted), list_names(lists));
    for i in 0..lists {
        // int() accepted every token, and Python's sorted text is ours byte for byte.
        assert_eq!(assert_sorted_pair(&unsorted, &sorted, i), LIST_LEN);
    }
}

/// Kills the Python server however the test ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn our_client_reads_and_sorts_a_python_servers_lists() {
    let count = 20_000;
    let mut child = python3()
        .arg(script("list_server.py"))
        .arg(count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs (it is required by the test suite)");
    let stdout = child.stdout.take().unwrap();
    let server = Killed(child);
    let mut port = String::new();
    BufReader::new(stdout).read_line(&mut port).unwrap();
    let port: u16 = port
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{port:?}: {e}"));
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));

    let lists = 5;
    for mode in modes() {
        let dir = tempfile::tempdir().unwrap();
        run(&options(Server::Remote(addr), lists, mode, dir.path())).unwrap();
        let (unsorted, sorted) = dirs(dir.path());
        assert_eq!(names(&sorted), list_names(lists), "{mode:?}");
        for i in 0..lists {
            assert_eq!(assert_sorted_pair(&unsorted, &sorted, i), count);
        }
    }
    drop(server);
}
