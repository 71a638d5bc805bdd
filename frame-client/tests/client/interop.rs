//! Wire compatibility with the course's Python programs, in both directions.

use std::path::PathBuf;

use common::client::Server;
use common::local::LocalServer;
use common::shutdown::Shutdown;
use testkit::python::{PythonServer, run_script};

use crate::support;

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

#[test]
fn course_python_client_against_our_server() {
    let server = LocalServer::start(frame_server::run).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (frames, gif) = (dir.path().join("frames"), dir.path().join("python.gif"));
    let port = server.addr().port().to_string();
    run_script(
        &script("course_client.py"),
        &[
            "127.0.0.1",
            &port,
            "40",
            frames.to_str().unwrap(),
            gif.to_str().unwrap(),
        ],
    )
    .unwrap();
    for index in 0..40 {
        let png = image::open(frames.join(format!("{index}.png"))).unwrap();
        assert_eq!((png.width(), png.height()), (10, 10));
    }
    // Pillow's GIF is its own business; it must simply hold every frame.
    assert_eq!(support::decode_gif(&gif).len(), 40);
}

#[test]
fn our_client_against_a_python_server() {
    let server = PythonServer::start(&script("course_server.py"), &[]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for optimized in [false, true] {
        let options = frame_client::Options {
            server: Server::Remote(([127, 0, 0, 1], server.port).into()),
            ..support::options(dir.path(), 40, optimized)
        };
        frame_client::run(&options, &Shutdown::new().unwrap()).unwrap();
        support::assert_gif_is_the_frames(&options.out_dir, 40, &options.gif);
    }
}
