//! frame-client against an in-process frame-server, and against bad servers.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::client::Server;
use common::local::LocalServer;
use common::report::StartServer;
use common::shutdown::Shutdown;
use frame_client::Options;

use crate::support::{self, frame_client, options};

fn end_to_end(optimized: bool) {
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path(), 300, optimized);
    frame_client::run(&options, &Shutdown::new().unwrap()).unwrap();
    support::assert_gif_is_the_frames(&options.out_dir, 300, &options.gif);
}

#[test]
fn sequential_end_to_end() {
    end_to_end(false);
}

#[test]
fn optimized_end_to_end() {
    end_to_end(true);
}

/// A server that sends a valid frame except for connection number `bad`, which gets text.
fn server_with_a_bad_frame(bad: usize) -> LocalServer {
    let served = Arc::new(AtomicUsize::new(0));
    testkit::serving(move |mut stream, _| {
        let bytes = match served.fetch_add(1, Ordering::SeqCst) {
            n if n == bad => b"this is not a PNG".to_vec(),
            _ => frame_server::frame::random_png(&mut rand::rng())?,
        };
        stream.write_all(&bytes)?;
        Ok(())
    })
    .unwrap()
}

#[test]
fn a_frame_that_is_not_an_image_is_named_and_no_gif_is_left() {
    for optimized in [false, true] {
        let server = server_with_a_bad_frame(3);
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            server: Server::Remote(server.addr()),
            ..options(dir.path(), 10, optimized)
        };
        let err = frame_client::run(&options, &Shutdown::new().unwrap()).unwrap_err();
        let message = format!("{err:#}");
        // Sequential downloads make connection 3 frame 3; with threads it is some frame.
        assert!(message.contains("is not a valid image"), "{message}");
        if !optimized {
            assert!(message.starts_with("frame 3 ("), "{message}");
        }
        assert!(!options.gif.exists(), "no GIF after a failed run");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|name| name != "frames")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}

#[test]
fn interrupted_run_stops_with_an_error_and_no_gif() {
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path(), 50, true);
    let shutdown = Shutdown::new().unwrap();
    shutdown.trigger();
    let err = frame_client::run(&options, &shutdown).unwrap_err();
    assert_eq!(err.to_string(), "interrupted");
    assert!(!options.gif.exists());
}

#[test]
fn binary_prints_exactly_the_two_timing_lines() {
    let dir = tempfile::tempdir().unwrap();
    let output = frame_client()
        .current_dir(dir.path())
        .args(["--local-server", "--optimized", "--frames", "25"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    testkit::assert_timing_lines(
        &String::from_utf8(output.stdout).unwrap(),
        &["Frames download time", "GIF creation time"],
    );
    // The defaults are the course client's: frames/{i}.png and a GIF in the working folder.
    support::assert_gif_is_the_frames(
        &dir.path().join("frames"),
        25,
        &dir.path().join("frames.gif"),
    );
}

#[test]
fn binary_without_a_server_fails_clearly_and_writes_no_gif() {
    let closed = testkit::closed_port();
    let port = closed.addr().port();
    // The first command was `--optimized`: its download threads fail together, and
    // the run still reports one error.
    for mode in [&[][..], &["--optimized"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let output = frame_client()
            .current_dir(dir.path())
            .args(["--server", &format!("127.0.0.1:{port}"), "--frames", "3"])
            .args(mode)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{mode:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "one clear message: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "frame-client: error: cannot connect to 127.0.0.1:{port} (5 attempts over "
            )),
            "{stderr}"
        );
        // The cause once, then what to run: the server on the port the client tried.
        let start = StartServer {
            command: format!("cargo run -p frame-server -- --port {port}"),
            local_server: true,
        };
        testkit::assert_names_the_way_out(&stderr, &closed.refusal().to_string(), &start);
        assert!(!dir.path().join("frames.gif").exists());
    }
}
