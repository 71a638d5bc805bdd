//! The asynchronous square server in-process (a thousand clients at once, bad lines, idle
//! clients, shutdown), the real binaries, and interop with asyncio Python programs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use basics::square::client::{Answer, square_all};
use basics::square::server::{Limits, run};
use common::net::bind_listener;
use common::report::StartServer;
use nix::sys::signal::Signal;
use testkit::python::{PythonServer, run_script};
use tokio::sync::oneshot;

use crate::support::{ServerProcess, run as run_binary, script};

const SERVER: &str = env!("CARGO_BIN_EXE_square-server");
const CLIENT: &str = env!("CARGO_BIN_EXE_square-client");

/// `square::server::run` on a single-threaded runtime of its own thread, as
/// `square-server` runs it; stops when dropped.
struct InProcess {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl InProcess {
    fn start(limits: Limits) -> Self {
        basics::square::raise_open_files_limit().unwrap();
        let listener = bind_listener("127.0.0.1:0".parse().unwrap(), 4096).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    run(listener, async { stopped.await.unwrap_or(()) }, limits).await
                })
        });
        Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stops the server and waits for `run` to return.
    fn stop(mut self) {
        self.stop_and_join().unwrap();
    }

    fn stop_and_join(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread.join().unwrap(),
            None => Ok(()),
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// `n * n` as the server must write it.
fn expected(n: i64) -> String {
    (i128::from(n) * i128::from(n)).to_string()
}

fn read_lines(stream: &TcpStream, count: usize) -> Vec<String> {
    let mut reader = BufReader::new(stream);
    (0..count)
        .map(|_| {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.ends_with('\n'), "{line:?}");
            line.trim_end().to_owned()
        })
        .collect()
}

#[test]
fn a_thousand_clients_connected_at_once_are_all_answered() {
    let server = InProcess::start(Limits::default());
    // Numbers spread over i64, edges included.
    let mut numbers: Vec<i64> = (0..998).map(|i| (i - 499) * 9_237_001_234_567).collect();
    numbers.extend([i64::MIN, i64::MAX]);
    // Every connection is open before any request is sent: a server on one thread must have
    // all thousand clients in hand at once.
    let streams: Vec<TcpStream> = numbers
        .iter()
        .map(|_| {
            let stream = TcpStream::connect(server.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            stream
        })
        .collect();
    for (mut stream, n) in streams.iter().zip(&numbers) {
        stream.write_all(format!("{n}\n").as_bytes()).unwrap();
    }
    for (stream, &n) in streams.iter().zip(&numbers) {
        assert_eq!(read_lines(stream, 1), [expected(n)], "square({n})");
    }
    drop(streams);
    server.stop();
}

#[test]
fn the_async_client_sends_a_thousand_at_once_in_order() {
    let server = InProcess::start(Limits::default());
    let numbers: Vec<i64> = (-500..500).map(|i| i * 1_000_003).collect();
    let texts: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let answers = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(square_all(
            server.addr,
            &texts,
            1000,
            Duration::from_secs(30),
        ))
        .unwrap();
    let wanted: Vec<Answer> = numbers
        .iter()
        .map(|&n| Answer::Square(expected(n)))
        .collect();
    assert_eq!(answers, wanted);
}

#[test]
fn bad_lines_get_errors_and_the_connection_keeps_serving() {
    let server = InProcess::start(Limits::default());
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let too_long = "9".repeat(300);
    let requests = [
        "7",
        "abc",
        "",
        "1.5",
        &too_long,
        "-18446744073709551616",
        "-9223372036854775808",
        " 0\r",
        "18446744073709551615",
    ];
    for request in requests {
        writeln!(stream, "{request}").unwrap();
    }
    // A second client is served meanwhile, as if nothing happened.
    let mut other = TcpStream::connect(server.addr).unwrap();
    other.write_all(b"12\n").unwrap();
    assert_eq!(read_lines(&other, 1), ["144"]);

    assert_eq!(
        read_lines(&stream, requests.len()),
        [
            "49",
            "error: not an integer: \"abc\"",
            "error: empty line; expected an integer",
            "error: not an integer: \"1.5\"",
            "error: line longer than 256 bytes",
            "error: the square of -18446744073709551616 does not fit in 128 bits",
            "85070591730234615865843651857942052864",
            "0",
            "340282366920938463426481119284349108225",
        ]
    );
    // The last line needs no newline: end of stream ends it.
    stream.write_all(b"-3").unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = String::new();
    stream.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "9\n");
}

#[test]
fn idle_clients_are_dropped_and_shutdown_closes_the_rest() {
    let server = InProcess::start(Limits {
        idle_timeout: Duration::from_millis(200),
        ..Limits::default()
    });
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut rest = Vec::new();
    assert_eq!(idle.read_to_end(&mut rest).unwrap(), 0, "closed, no answer");

    let addr = server.addr;
    let mut waiting = TcpStream::connect(addr).unwrap();
    waiting.write_all(b"5\n").unwrap();
    assert_eq!(read_lines(&waiting, 1), ["25"]);
    server.stop();
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert_eq!(
        waiting.read(&mut [0u8; 8]).unwrap(),
        0,
        "closed at shutdown"
    );
    assert!(TcpStream::connect(addr).is_err(), "no longer accepting");
}

#[test]
fn the_binaries_print_squares_in_order_and_report_refusals() {
    let mut server = ServerProcess::start(SERVER, &[], "Listening on ");
    let addr = server.addr();
    let (status, stdout, stderr) = run_binary(
        CLIENT,
        &[
            "--server",
            &addr,
            "--concurrency",
            "2",
            "3",
            "-4",
            "0",
            "-9223372036854775808",
        ],
    );
    assert!(status.success(), "{stderr}");
    assert_eq!(
        stdout,
        "square(3) = 9\nsquare(-4) = 16\nsquare(0) = 0\n\
         square(-9223372036854775808) = 85070591730234615865843651857942052864\n"
    );

    let (status, stdout, stderr) = run_binary(CLIENT, &["--server", &addr, "5", "five", "6"]);
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "square(5) = 25\nsquare(6) = 36\n");
    assert!(
        stderr.contains("square(five): error: not an integer: \"five\"")
            && stderr.contains("the server refused 1 of 3 numbers"),
        "{stderr}"
    );
    assert!(server.log().contains("\"five\" -> error: not an integer"));

    assert!(server.stop_with(Signal::SIGTERM).success());
    let (status, _, stderr) = run_binary(CLIENT, &["--server", &addr, "5"]);
    assert_eq!(status.code(), Some(1));
    assert!(
        stderr.contains(&format!(
            "[ERROR] [MainProcess] [MainThread] : square(5): cannot connect to {addr} (1 attempt over "
        )),
        "{stderr}"
    );
    let refused = std::io::Error::from_raw_os_error(nix::libc::ECONNREFUSED).to_string();
    let start = StartServer {
        command: format!(
            "cargo run -p basics --bin square-server -- --port {}",
            server.port
        ),
        local_server: false,
    };
    testkit::assert_names_the_way_out(&stderr, &refused, &start);
}

#[test]
fn python_asyncio_client_against_our_server() {
    let server = InProcess::start(Limits::default());
    let numbers: Vec<String> = (0..200).map(|i| (i * 7919 - 700_000).to_string()).collect();
    let mut args = vec!["127.0.0.1".to_owned(), server.addr.port().to_string()];
    args.extend(numbers.iter().cloned());
    args.push("x".to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = run_script(&script("square_client.py"), &args).unwrap();
    let mut wanted: Vec<String> = numbers
        .iter()
        .map(|n| format!("square({n}) = {}", expected(n.parse().unwrap())))
        .collect();
    wanted.push("square(x) = error: not an integer: \"x\"".to_owned());
    assert_eq!(stdout.lines().collect::<Vec<_>>(), wanted);
}

#[test]
fn our_client_against_a_python_asyncio_server() {
    let server = PythonServer::start(&script("square_server.py"), &[]).unwrap();
    let numbers: Vec<String> = (0..300)
        .map(|i| (i * 104_729 - 15_000_000).to_string())
        .collect();
    let mut args = vec!["--server".to_owned(), format!("127.0.0.1:{}", server.port)];
    args.extend(numbers.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (status, stdout, stderr) = run_binary(CLIENT, &args);
    assert!(status.success(), "{stderr}");
    let wanted: Vec<String> = numbers
        .iter()
        .map(|n| format!("square({n}) = {}", expected(n.parse().unwrap())))
        .collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), wanted);
}
