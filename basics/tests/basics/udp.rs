//! UDP hello: round trips in-process and between the real binaries, the client's retries,
//! and interop with course-style Python programs.

use std::net::{SocketAddr, UdpSocket};
use std::thread::JoinHandle;
use std::time::Duration;

use basics::datagram::Retry;
use basics::udp::{self, ANSWER};
use common::report::StartServer;
use common::shutdown::Shutdown;
use nix::sys::signal::Signal;
use testkit::python::{PythonServer, run_script};

use crate::support::{ServerProcess, run, script};

const CLIENT: &str = env!("CARGO_BIN_EXE_udp-hello-client");
const SERVER: &str = env!("CARGO_BIN_EXE_udp-hello-server");

/// `udp::serve` on a loopback port, on its own thread; stops when dropped.
struct InProcess {
    addr: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl InProcess {
    fn start() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let thread = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || udp::serve(&socket, &shutdown))
        };
        Self {
            addr,
            shutdown,
            thread: Some(thread),
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.shutdown.trigger();
        let result = self.thread.take().unwrap().join().unwrap();
        if !std::thread::panicking() {
            result.unwrap();
        }
    }
}

#[test]
fn hello_round_trip_in_process_and_with_the_client_binary() {
    let server = InProcess::start();
    assert_eq!(udp::hello(server.addr, Retry::default()).unwrap(), ANSWER);

    let (status, stdout, stderr) = run(CLIENT, &["--server", &server.addr.to_string()]);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout, CLIENT_LINES);
    assert_eq!(stderr, "", "nothing to log when all goes well");
}

/// What the client prints, as the slides' client does.
const CLIENT_LINES: &str = "Sent to server:  Hi server!\n\
                            Waiting for response...\n\
                            Received message from server:  Hi client! Nice to connect with you!\n\
                            Socket closed\n";

#[test]
fn the_server_skips_empty_and_cut_datagrams_and_keeps_serving() {
    let server = InProcess::start();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.send_to(b"", server.addr).unwrap();
    socket.send_to(&[b'x'; 5000], server.addr).unwrap();
    let mut buffer = [0u8; 2048];
    // The empty datagram gets no answer; the oversized one, cut to 1024 bytes, does.
    let (len, from) = socket.recv_from(&mut buffer).unwrap();
    assert_eq!((&buffer[..len], from), (ANSWER.as_bytes(), server.addr));
    assert_eq!(udp::hello(server.addr, Retry::default()).unwrap(), ANSWER);
}

#[test]
fn without_a_server_the_client_retries_then_fails_clearly() {
    let closed = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let (status, stdout, stderr) = run(
        CLIENT,
        &["--server", &closed, "--attempts", "3", "--timeout", "0.2"],
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    // The slides' client closes its socket in a `finally`, answer or not.
    assert_eq!(
        stdout,
        "Sent to server:  Hi server!\nWaiting for response...\nSocket closed\n"
    );
    assert_eq!(
        stderr.matches("sending again").count(),
        2,
        "two retries after the first attempt:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "[ERROR] [MainProcess] [MainThread] : no answer from {closed} after 3 attempts over 0.6 s: "
        )),
        "{stderr}"
    );
    // On loopback the host says that nothing listens (ICMP "port unreachable"), which the
    // connected socket reports as ECONNREFUSED: the cause, once, then what to run.
    let refused = std::io::Error::from_raw_os_error(nix::libc::ECONNREFUSED).to_string();
    let port = closed.rsplit_once(':').unwrap().1;
    let start = StartServer {
        command: format!("cargo run -p basics --bin udp-hello-server -- --port {port}"),
        local_server: false,
    };
    testkit::assert_names_the_way_out(&stderr, &refused, &start);
}

#[test]
fn the_server_binary_prints_the_slides_lines_and_stops_on_ctrl_c() {
    let mut server = ServerProcess::start(SERVER, &[], "Waiting for messages on ");
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    client.send_to(b"Hi server!", server.addr()).unwrap();
    let mut buffer = [0u8; 64];
    let len = client.recv(&mut buffer).unwrap();
    assert_eq!(&buffer[..len], ANSWER.as_bytes());
    let port = client.local_addr().unwrap().port();
    // The slides' `print('\nWaiting to receive message...\n')`, then three lines per
    // message, the address as Python prints a tuple.
    let expected = format!(
        "\nWaiting to receive message...\n\n\
         Received message from client:  ('127.0.0.1', {port})\n\
         Message:  Hi server!\n\
         Replied to client:  Hi client! Nice to connect with you!\n\
         \nWaiting to receive message...\n\n"
    );
    let stdout = server.wait_for_stdout("the second wait", |out| out.len() >= expected.len());
    assert_eq!(stdout, expected);
    assert!(server.stop_with(Signal::SIGINT).success());
    assert!(server.log().contains("Server stopped"));
}

#[test]
fn python_client_against_our_server() {
    let server = InProcess::start();
    let stdout = run_script(
        &script("udp_hello_client.py"),
        &["127.0.0.1", &server.addr.port().to_string()],
    )
    .unwrap();
    assert_eq!(
        stdout,
        "Received message from server: Hi client! Nice to connect with you!\n"
    );
}

#[test]
fn our_client_against_a_python_server() {
    let server = PythonServer::start(&script("udp_hello_server.py"), &[]).unwrap();
    let (status, stdout, stderr) =
        run(CLIENT, &["--server", &format!("127.0.0.1:{}", server.port)]);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout, CLIENT_LINES);
}
