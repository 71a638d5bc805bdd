//! Wire compatibility with the course's Python programs, in both directions. Python 3 must
//! be installed: a missing `python3` fails these tests rather than skipping them.

use std::path::PathBuf;

use crate::support::{assert_sorted_pair, dirs, list_names, modes, names, options, run};
use common::local::LocalServer;
use numbers_client::Server;
use numbers_server::payload::LIST_LEN;
use testkit::python::{PythonServer, run_script};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

#[test]
fn the_course_client_reads_and_sorts_our_lists() {
    let server = LocalServer::start(numbers_server::run).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lists = 3;
    run_script(
        &script("course_client.py"),
        &[
            &server.addr().ip().to_string(),
            &server.addr().port().to_string(),
            &lists.to_string(),
            dir.path().to_str().unwrap(),
        ],
    )
    .unwrap();
    let (unsorted, sorted) = dirs(dir.path());
    assert_eq!(names(&sorted), list_names(lists));
    for i in 0..lists {
        // int() accepted every token, and Python's sorted text is ours byte for byte.
        assert_eq!(assert_sorted_pair(&unsorted, &sorted, i), LIST_LEN);
    }
}

#[test]
fn our_client_reads_and_sorts_a_python_servers_lists() {
    let count = 20_000;
    let server = PythonServer::start(&script("list_server.py"), &[&count.to_string()]).unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], server.port));

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
