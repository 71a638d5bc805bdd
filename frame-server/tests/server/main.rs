//! frame-server over real sockets: raw bytes in, PNG frames out.

use std::collections::HashSet;
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};

use common::local::LocalServer;
use common::net::{DEFAULT_BACKLOG, bind_listener};
use common::server::ServerConfig;
use common::shutdown::Shutdown;

fn start(config: ServerConfig) -> LocalServer {
    LocalServer::start_with(frame_server::run, config).unwrap()
}

/// Connects, sends nothing, reads until the server closes: what the course client does.
fn fetch(addr: SocketAddr) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    bytes
}

fn assert_is_10x10_rgb_png(bytes: &[u8]) {
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG signature"
    );
    assert!(
        bytes.ends_with(b"IEND\xae\x42\x60\x82"),
        "PNG does not end with IEND"
    );
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).unwrap();
    assert_eq!((image.width(), image.height()), (10, 10));
    assert_eq!(image.color(), image::ColorType::Rgb8);
}

#[test]
fn two_hundred_simultaneous_clients_each_get_a_distinct_frame() {
    let server = start(ServerConfig::default());
    let addr = server.addr();
    let clients = 200;
    let barrier = Arc::new(Barrier::new(clients));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                fetch(addr)
            })
        })
        .collect();
    let frames: Vec<Vec<u8>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for frame in &frames {
        assert_is_10x10_rgb_png(frame);
    }
    let distinct: HashSet<&Vec<u8>> = frames.iter().collect();
    assert_eq!(distinct.len(), clients, "every frame must differ");
    server.stop().expect("shutdown makes run return Ok");
}

#[test]
fn more_clients_than_the_thread_cap_are_all_served() {
    let server = start(ServerConfig {
        max_connections: 2,
        ..ServerConfig::default()
    });
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let addr = server.addr();
            std::thread::spawn(move || fetch(addr))
        })
        .collect();
    for handle in handles {
        assert_is_10x10_rgb_png(&handle.join().unwrap());
    }
}

#[test]
fn a_client_that_never_reads_does_not_hold_up_others() {
    let server = start(ServerConfig {
        max_connections: 1,
        ..ServerConfig::default()
    });
    let idle: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    assert_is_10x10_rgb_png(&fetch(server.addr()));
    drop(idle);
}

#[test]
fn a_restarted_server_rebinds_its_port_at_once() {
    let listener = bind_listener("127.0.0.1:0".parse().unwrap(), DEFAULT_BACKLOG).unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = Shutdown::new().unwrap();
    let first = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || frame_server::run(listener, shutdown, ServerConfig::default()))
    };
    // The server closes first, so these connections leave TIME_WAIT entries on its port.
    for _ in 0..5 {
        assert_is_10x10_rgb_png(&fetch(addr));
    }
    shutdown.trigger();
    first.join().unwrap().unwrap();

    let listener = bind_listener(addr, DEFAULT_BACKLOG).expect("rebind with SO_REUSEADDR");
    let shutdown = Shutdown::new().unwrap();
    let second = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || frame_server::run(listener, shutdown, ServerConfig::default()))
    };
    assert_is_10x10_rgb_png(&fetch(addr));
    shutdown.trigger();
    second.join().unwrap().unwrap();
}
