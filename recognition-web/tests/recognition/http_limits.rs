//! The gateway's HTTP side under idle, slow and too many clients, in raw bytes: the header
//! timeout, the connection limit, and graceful shutdown with a request in progress.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use recognition_web::gateway::GatewayConfig;
use recognition_web::protocol::{self, Connection, Label};

use crate::support::{LocalGateway, RED_PANDA, eventually, get, test_config};

/// Bound on every wait for an answer or a close: far beyond any timeout configured here,
/// so reaching it means the behaviour is missing, not slow.
const WAIT: Duration = Duration::from_secs(60);

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n";

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connecting to the gateway");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream
}

/// Everything the gateway sends until it closes the connection.
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => bytes,
        // A close with unread bytes on our side is a reset: closed all the same.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => bytes,
        Err(e) => panic!("the gateway neither answered nor closed within {WAIT:?}: {e}"),
    }
}

/// `GET /healthz` on a fresh connection, in raw bytes; the whole answer.
fn healthz(addr: SocketAddr) -> String {
    let mut stream = connect(addr);
    stream.write_all(HEALTHZ).unwrap();
    String::from_utf8(read_until_closed(&mut stream)).unwrap()
}

fn assert_ok(answer: &str) {
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:?}");
    assert!(answer.ends_with("\r\n\r\nok\n"), "{answer:?}");
}

/// A metric's value in the `/metrics` text.
fn metric(gateway: &LocalGateway, name: &str) -> u64 {
    let text = get(&gateway.url("/metrics")).body;
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .parse()
        .unwrap()
}

#[test]
fn slow_and_idle_clients_are_closed_after_the_header_timeout_while_others_are_served() {
    let config = GatewayConfig {
        header_timeout: Duration::from_secs(1),
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[]);
    // Slowloris: half a request line and one header, then nothing more.
    let mut slow = connect(gateway.addr);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: gate")
        .unwrap();
    // Connected, nothing sent at all.
    let mut idle = connect(gateway.addr);
    // A keep-alive client that got its answer and stays connected.
    let mut kept = connect(gateway.addr);
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
        .unwrap();

    // Meanwhile everyone else is served as usual.
    for _ in 0..3 {
        assert_ok(&healthz(gateway.addr));
    }

    // Each stalled connection is closed without an answer: nothing was asked completely.
    for (name, stream) in [("slow", &mut slow), ("idle", &mut idle)] {
        let bytes = read_until_closed(stream);
        assert!(
            bytes.is_empty(),
            "{name}: {:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    // The kept-alive one got its answer, then was closed once idle for the timeout.
    let answer = String::from_utf8(read_until_closed(&mut kept)).unwrap();
    assert_ok(&answer);
    assert!(
        metric(&gateway, "recognition_http_header_timeouts_total") >= 3,
        "slow, idle and kept-alive"
    );
    assert!(eventually(WAIT, || gateway
        .gateway
        .metrics()
        .open_connections()
        == 0));
    assert_ok(&healthz(gateway.addr));
}

#[test]
fn connections_beyond_the_limit_wait_in_the_backlog_and_are_served_in_turn() {
    let config = GatewayConfig {
        max_connections: 2,
        // Long enough that the stalled clients keep their slots for the whole test.
        header_timeout: Duration::from_secs(600),
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[]);
    let holders: Vec<TcpStream> = (0..2).map(|_| connect(gateway.addr)).collect();
    assert!(eventually(WAIT, || gateway
        .gateway
        .metrics()
        .open_connections()
        == 2));

    // Three more clients send whole requests: the kernel completes their handshakes into
    // the listen backlog, but the gateway accepts none of them while both slots are held.
    let mut waiting: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = connect(gateway.addr);
            stream.write_all(HEALTHZ).unwrap();
            stream
        })
        .collect();
    waiting[0]
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut byte = [0u8; 1];
    let early = waiting[0].read(&mut byte);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "a client beyond the limit must not be served yet: {early:?}"
    );
    waiting[0].set_read_timeout(Some(WAIT)).unwrap();
    assert_eq!(gateway.gateway.metrics().open_connections(), 2);

    // One slot frees: the waiting clients go through it one after another, none lost.
    drop(holders);
    for stream in &mut waiting {
        assert_ok(&String::from_utf8(read_until_closed(stream)).unwrap());
    }
    // Two holders, three waiting clients, and the connection asking for /metrics.
    assert_eq!(metric(&gateway, "recognition_http_connections_total"), 6);
}

#[test]
fn a_client_still_sending_a_too_large_upload_gets_the_413_answer_not_a_reset() {
    let config = GatewayConfig {
        max_upload_bytes: 1 << 20,
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[]);
    for _ in 0..3 {
        let body = vec![0xFFu8; 4 << 20];
        let mut stream = connect(gateway.addr);
        write!(
            stream,
            "POST /api/classify HTTP/1.1\r\nHost: gateway\r\n\
             Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .unwrap();
        // Like ureq and like browsers, send the whole body before reading. The gateway
        // answers 413 from the declared length at once; had it closed with our bytes
        // unread, its kernel would reset the connection and this write would fail.
        stream
            .write_all(&body)
            .expect("the gateway reads (and discards) the rest of the upload");
        let answer = read_until_closed(&mut stream);
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
            "{answer:?}"
        );
        assert!(answer.contains("too large"), "{answer:?}");
    }
    // And the gateway goes on serving.
    assert_ok(&healthz(gateway.addr));
}

#[test]
fn a_client_that_stops_reading_its_answer_is_disconnected_after_the_write_timeout() {
    let (worker, release) = held_worker();
    release.send(()).unwrap(); // answer at once
    let config = GatewayConfig {
        write_timeout: Duration::from_secs(1),
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[worker.addr()]);
    // The upload page shows the photo back, so a large upload makes a large answer: a PNG
    // header (all the gateway reads of it; the stub worker decodes nothing) padded to 5 MiB,
    // an answer larger than the kernel's socket buffers (4 MiB at most for sending here).
    let mut photo = tiny_png();
    photo.resize(5 << 20, 0);
    let (content_type, body) = crate::support::multipart("file", "big.png", &photo);
    let head = format!(
        "POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // A client with a small receive window that sends its upload and never reads.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&gateway.addr.into()).unwrap();
    let mut stream = TcpStream::from(socket);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body).unwrap();

    let metrics = gateway.gateway.metrics();
    assert!(
        eventually(WAIT, || metric(
            &gateway,
            "recognition_http_write_timeouts_total"
        ) == 1),
        "the stalled answer was never given up"
    );
    assert!(eventually(WAIT, || metrics.open_connections() == 0));
    // What the client finally reads is the start of the page, cut short.
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let answer = read_until_closed(&mut stream);
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(!answer.ends_with(b"</html>\n"), "{} bytes", answer.len());
    assert_ok(&healthz(gateway.addr));
}

/// A 1x1 PNG.
fn tiny_png() -> Vec<u8> {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(1, 1)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    png.into_inner()
}

/// A worker that speaks the protocol but answers only when told to: a request in progress
/// for as long as a test needs one. Returns the worker and the sender that releases one
/// answer.
fn held_worker() -> (common::local::LocalServer, mpsc::Sender<()>) {
    let (release, released) = mpsc::channel::<()>();
    let released = Arc::new(Mutex::new(released));
    let worker = testkit::serving(move |stream, _| {
        let mut conn = Connection::new(stream, protocol::Limits::default())?;
        if protocol::receive_image(&mut conn).is_err() {
            return Ok(()); // a health check: connected and closed
        }
        released.lock().unwrap().recv_timeout(WAIT)?;
        let labels = [Label {
            label: RED_PANDA.1.to_owned(),
            probability: 0.9,
        }];
        protocol::respond(&mut conn, protocol::encode_result(&labels).as_bytes())?;
        Ok(())
    })
    .unwrap();
    (worker, release)
}

#[test]
fn ctrl_c_lets_the_request_in_progress_finish_and_closes_idle_connections() {
    let (worker, release) = held_worker();
    let mut gateway = testkit::process::LoggedProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_recognition-gateway"))
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(["--worker", &worker.addr().to_string()]),
    );
    let addr = SocketAddr::from(([127, 0, 0, 1], gateway.port_after("listening on http://")));

    let photo = testkit::data::photo(RED_PANDA.0);
    let upload = std::thread::spawn(move || {
        let mut stream = connect(addr);
        let head = format!(
            "POST /api/classify HTTP/1.1\r\nHost: gateway\r\nContent-Type: image/jpeg\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            photo.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&photo).unwrap();
        String::from_utf8(read_until_closed(&mut stream)).unwrap()
    });
    let mut idle = connect(addr);
    assert!(
        eventually(WAIT, || metric_text(addr).contains(&format!(
            "recognition_worker_in_flight{{worker=\"{}\"}} 1",
            worker.addr()
        ))),
        "the upload never reached the worker"
    );

    testkit::process::interrupt(&gateway.child);
    // The idle connection is closed, and new clients are refused once the listener is gone,
    // while the upload in progress still waits for its worker.
    assert!(read_until_closed(&mut idle).is_empty());
    assert!(eventually(WAIT, || TcpStream::connect(addr).is_err()));
    assert!(!upload.is_finished());

    release.send(()).unwrap();
    let answer = upload.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains(RED_PANDA.1), "{answer}");
    let status = gateway.child.wait().unwrap();
    assert!(status.success(), "{status:?}\n{}", gateway.log());
    let log = gateway.log();
    assert!(log.contains("finishing the requests in progress"), "{log}");
    assert!(log.contains("Recognition gateway stopped"), "{log}");
}

/// The `/metrics` text, over a raw connection.
fn metric_text(addr: SocketAddr) -> String {
    let mut stream = connect(addr);
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n")
        .unwrap();
    String::from_utf8(read_until_closed(&mut stream)).unwrap()
}
