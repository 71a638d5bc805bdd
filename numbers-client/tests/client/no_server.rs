//! A server that is not there: a clear error naming its address, and a non-zero exit.

use numbers_client::Server;
use testkit::closed_port;

use crate::support::{modes, options, run};

#[test]
fn the_library_names_the_address() {
    let closed = closed_port();
    let addr = closed.addr();
    for mode in modes() {
        let dir = tempfile::tempdir().unwrap();
        let err = run(&options(Server::Remote(addr), 3, mode, dir.path())).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.starts_with(&format!("cannot connect to {addr} ")),
            "{message}"
        );
        assert!(message.contains("is the server running?"), "{message}");
    }
}

#[test]
fn the_binary_exits_non_zero() {
    let closed = closed_port();
    let addr = closed.addr();
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_numbers-client"))
        .args(["--server", &addr.to_string(), "--lists", "2"])
        .arg("--unsorted-dir")
        .arg(dir.path().join("u"))
        .arg("--sorted-dir")
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("numbers-client: error: cannot connect to {addr} ")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
