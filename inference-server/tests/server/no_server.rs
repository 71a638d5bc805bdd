//! `inference-client` with no server at HOST PORT, as a student's first run often is: the
//! cause once and the command that starts the server, in both of the client's modes.

use std::process::Command;

use common::report::StartServer;

#[test]
fn the_client_names_the_cause_once_and_the_way_out() {
    let closed = testkit::closed_port();
    let port = closed.addr().port().to_string();
    let refused = closed.refusal().to_string();
    let start = StartServer {
        command: format!("cargo run -p inference-server --bin inference-server -- {port} 2"),
        local_server: false,
    };
    let client = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_inference-client"))
            .args(["127.0.0.1", &port, "http://h/a.jpg"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };

    // The handout's client logs the failure as its one line.
    let (stdout, stderr) = client(&[]);
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "[ERROR] [MainProcess] [MainThread] : cannot connect to 127.0.0.1:{port} (1 attempt over "
        )),
        "{stderr}"
    );
    testkit::assert_names_the_way_out(&stderr, &refused, &start);

    // A load times its run, then names the first failure with the way out.
    let (stdout, stderr) = client(&["--requests", "2"]);
    testkit::assert_timing_lines(&stdout, &["Requests time"]);
    assert!(stderr.contains("; 2 failed"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "inference-client: error: 2 of 2 requests failed; the first: cannot connect to \
             127.0.0.1:{port} (1 attempt over "
        )),
        "{stderr}"
    );
    testkit::assert_names_the_way_out(&stderr, &refused, &start);
}
