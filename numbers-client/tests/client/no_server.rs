//! A server that is not there: a clear error naming its address, the cause once and what to
//! run, and a non-zero exit.

use common::report::StartServer;
use numbers_client::Server;
use testkit::closed_port;

use crate::support::{modes, options, run};

#[test]
fn the_library_names_the_address_and_the_cause_once() {
    let closed = closed_port();
    let addr = closed.addr();
    let cause = closed.refusal().to_string();
    for mode in modes() {
        let dir = tempfile::tempdir().unwrap();
        let err = run(&options(Server::Remote(addr), 3, mode, dir.path())).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.starts_with(&format!("cannot connect to {addr} (5 attempts over ")),
            "{message}"
        );
        assert_eq!(message.matches(&cause).count(), 1, "{message}");
        assert!(common::report::server_unreachable(&err), "{message}");
    }
}

#[test]
fn the_binary_exits_non_zero_and_names_the_way_out() {
    let closed = closed_port();
    let addr = closed.addr();
    for mode in [&[][..], &["--optimized"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_numbers-client"))
            .args(["--server", &addr.to_string(), "--lists", "2"])
            .args(mode)
            .arg("--unsorted-dir")
            .arg(dir.path().join("u"))
            .arg("--sorted-dir")
            .arg(dir.path().join("s"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{mode:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("numbers-client: error: cannot connect to {addr} ")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        let start = StartServer {
            command: format!("cargo run -p numbers-server -- --port {}", addr.port()),
            local_server: true,
        };
        testkit::assert_names_the_way_out(&stderr, &closed.refusal().to_string(), &start);
    }
}
