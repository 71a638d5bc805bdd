//! The multiprocessing server and client as real processes: who answers (PIDs), how many
//! processes run, that every one is reaped, and interop with course-style Python programs.

use std::collections::BTreeSet;
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use basics::pid::{answer_pid, greeting};
use common::report::StartServer;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::python::{PythonServer, run_script};

use crate::support::{
    ServerProcess, children_of, exists, number_after, run, script, wait_for_no_children,
};

const SERVER: &str = env!("CARGO_BIN_EXE_pid-server");
const CLIENT: &str = env!("CARGO_BIN_EXE_pid-client");
const READY: &str = "Waiting for requests on ";

fn start_server(args: &[&str]) -> ServerProcess {
    ServerProcess::start(SERVER, args, READY)
}

/// Runs `pid-client --clients N` against `addr` and returns the server PIDs of its answers,
/// after checking the slides' four lines of each client.
fn run_clients(addr: &str, clients: usize) -> Vec<u32> {
    let (status, stdout, stderr) = run(
        CLIENT,
        // A generous timeout: on a loaded machine a retry would start a second process.
        &[
            "--server",
            addr,
            "--clients",
            &clients.to_string(),
            "--timeout",
            "10",
        ],
    );
    assert!(status.success(), "{stderr}");
    // The clients' lines interleave, as the slides' do; each client prints four.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4 * clients, "{stdout}");
    let count = |line: &str| lines.iter().filter(|l| **l == line).count();
    assert_eq!(count("Waiting for response..."), clients, "{stdout}");
    assert_eq!(count("Socket closed"), clients, "{stdout}");
    let greetings: BTreeSet<u32> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("Sent to server:  Hi from "))
        .map(|rest| {
            let (pid, server) = rest
                .split_once(" at ")
                .unwrap_or_else(|| panic!("{rest:?}"));
            assert_eq!(server, addr, "the greeting names the server: {rest:?}");
            pid.parse().unwrap()
        })
        .collect();
    assert_eq!(
        greetings.len(),
        clients,
        "one greeting per client process: {stdout}"
    );
    lines
        .iter()
        .filter_map(|line| line.strip_prefix("Received message:  "))
        .map(|answer| {
            assert!(answer.starts_with("Hi 127.0.0.1:"), "{answer:?}");
            answer_pid(answer).unwrap_or_else(|| panic!("{answer:?}"))
        })
        .collect()
}

/// The client PIDs in the server's lines `Received message 'Hi from <pid> at ...' at ...`.
fn greeting_pids(stdout: &str) -> Vec<u32> {
    stdout
        .lines()
        .filter_map(|line| number_after(line, "Received message 'Hi from "))
        .collect()
}

#[test]
fn three_client_processes_get_three_answering_processes() {
    let server = start_server(&[]);
    let answering = run_clients(&server.addr(), 3);
    let distinct: BTreeSet<u32> = answering.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "{answering:?}");
    assert!(!distinct.contains(&(server.pid() as u32)));

    let stdout = server.wait_for_stdout("three answers", |out| {
        out.matches("Sent to client:  ").count() >= 3
    });
    // Each answer came from a process the main server started for it, which logged it. The
    // main process logs "Started Process-N (pid P)" only after spawn returns, by which time
    // the child may already have answered: wait for the lines rather than read the log once.
    server.wait_for_log("a start line for each answering process", |log| {
        distinct
            .iter()
            .all(|pid| log.contains(&format!("(pid {pid}) to answer 127.0.0.1:")))
    });
    for pid in &distinct {
        assert!(
            stdout.contains(&format!(". This is server {pid}\n")),
            "{stdout}"
        );
    }
    // The slides' lines: who is up, each greeting with the client's address, each answer.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("Server up and running at {}", server.addr())
    );
    assert_eq!(lines.len(), 7, "{stdout}");
    for line in &lines[1..] {
        let received = line.starts_with("Received message 'Hi from ")
            && line.contains(&format!(" at {}' at 127.0.0.1:", server.addr()));
        assert!(
            received || line.starts_with("Sent to client:  Hi 127.0.0.1:"),
            "{line:?}"
        );
    }
    // Each client was its own process too.
    let clients: BTreeSet<u32> = greeting_pids(&stdout).into_iter().collect();
    assert_eq!(clients.len(), 3, "{stdout}");
    assert!(clients.is_disjoint(&distinct));

    wait_for_no_children(server.pid());
}

#[test]
fn a_pool_of_two_answers_six_clients_and_ctrl_c_ends_it() {
    let mut server = start_server(&["--pool", "2"]);
    let log = server.wait_for_log("both workers", |log| {
        // A worker may log that it is ready before the main process logs its start.
        log.matches("] : Ready").count() == 2 && log.matches("Started ForkPoolWorker-").count() == 2
    });
    let workers: BTreeSet<u32> = ["ForkPoolWorker-1", "ForkPoolWorker-2"]
        .iter()
        .map(|name| number_after(&log, &format!("Started {name} (pid ")).unwrap())
        .collect();
    assert_eq!(workers.len(), 2);

    let answering: BTreeSet<u32> = run_clients(&server.addr(), 6).into_iter().collect();
    assert!(
        answering.len() <= 2 && answering.is_subset(&workers),
        "answers from {answering:?}, workers {workers:?}"
    );
    // The workers are the server's live children, and nothing else is.
    let children: BTreeSet<u32> = children_of(server.pid())
        .into_iter()
        .map(|(pid, state)| {
            assert_ne!(state, 'Z', "zombie {pid}");
            pid as u32
        })
        .collect();
    assert_eq!(children, workers);

    assert!(
        server.stop_with(Signal::SIGINT).success(),
        "{}",
        server.log()
    );
    for pid in workers {
        assert!(!exists(pid as i32), "worker {pid} outlived the server");
    }
    let log = server.log();
    assert_eq!(log.matches("Queue closed; exiting").count(), 2, "{log}");
    assert!(log.contains("Server stopped"));
}

#[test]
fn pool_alone_is_the_slides_pool_of_four() {
    let server = start_server(&["--pool"]);
    let log = server.wait_for_log("four workers", |log| log.matches("] : Ready").count() == 4);
    assert!(log.contains("a pool of 4 processes"), "{log}");
    assert_eq!(children_of(server.pid()).len(), 4);
    let (status, help, _) = run(SERVER, &["--help"]);
    assert!(status.success());
    assert!(help.contains("The slides use 10001"), "{help}");
}

#[test]
fn a_killed_pool_worker_is_replaced() {
    let server = start_server(&["--pool", "2"]);
    let log = server.wait_for_log("both workers", |log| {
        // A worker may log that it is ready before the main process logs its start.
        log.matches("] : Ready").count() == 2 && log.matches("Started ForkPoolWorker-").count() == 2
    });
    let victim = number_after(&log, "Started ForkPoolWorker-1 (pid ").unwrap();
    kill(Pid::from_raw(victim as i32), Signal::SIGKILL).unwrap();
    server.wait_for_log("a replacement", |log| {
        log.contains(&format!("ForkPoolWorker-1 (pid {victim}) died"))
            && log.contains("[ForkPoolWorker-3] [MainThread] : Ready")
    });
    let answering = run_clients(&server.addr(), 4);
    assert!(!answering.contains(&victim));
    assert_eq!(children_of(server.pid()).len(), 2);
}

#[test]
fn a_flood_of_requests_never_exceeds_the_process_cap() {
    const CAP: usize = 3;
    const REQUESTS: usize = 60;
    let server = start_server(&["--max-processes", &CAP.to_string()]);

    // Count the server's children as often as we can while the flood lasts.
    let (peak, flooding) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(true)),
    );
    let sampler = {
        let (peak, flooding, parent) = (peak.clone(), flooding.clone(), server.pid());
        std::thread::spawn(move || {
            while flooding.load(Ordering::SeqCst) {
                peak.fetch_max(children_of(parent).len(), Ordering::SeqCst);
            }
        })
    };
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for _ in 0..REQUESTS {
        let addr = server.addr().parse().unwrap();
        socket
            .send_to(greeting(std::process::id(), addr).as_bytes(), addr)
            .unwrap();
    }
    let mut answering = BTreeSet::new();
    let mut buffer = [0u8; 1024];
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut answers = 0;
    while answers < REQUESTS && Instant::now() < deadline {
        let (len, _) = socket.recv_from(&mut buffer).unwrap();
        let text = std::str::from_utf8(&buffer[..len]).unwrap();
        answering.insert(answer_pid(text).unwrap());
        answers += 1;
    }
    flooding.store(false, Ordering::SeqCst);
    sampler.join().unwrap();

    // 60 small datagrams fit in the socket's receive buffer: none is lost while the server
    // waits for room, and each got its own process.
    assert_eq!(answers, REQUESTS);
    assert_eq!(answering.len(), REQUESTS);
    let peak = peak.load(Ordering::SeqCst);
    assert!((1..=CAP).contains(&peak), "peak of {peak} children");
    wait_for_no_children(server.pid());
}

#[test]
fn ctrl_c_stops_the_per_request_server_and_frees_the_port() {
    let mut server = start_server(&[]);
    run_clients(&server.addr(), 2);
    assert!(server.stop_with(Signal::SIGTERM).success());
    assert!(server.log().contains("Server stopped"));
    UdpSocket::bind(server.addr()).expect("the port is free again");
}

#[test]
fn without_a_server_each_client_says_why_and_the_program_what_to_run() {
    let closed = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (status, stdout, stderr) = run(
        CLIENT,
        &[
            "--server",
            &closed.to_string(),
            "--clients",
            "1",
            "--attempts",
            "1",
            "--timeout",
            "0.2",
        ],
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stdout.ends_with("Waiting for response...\nSocket closed\n"),
        "{stdout}"
    );
    // The client process names the silence and the host's "port unreachable" (ECONNREFUSED
    // on a connected socket); the program that started it says what to run, once.
    assert!(
        stderr.contains(&format!(
            "[ERROR] [Process-1] [MainThread] : no answer from {closed} after 1 attempt over 0.2 s: "
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("[ERROR] [MainProcess] [MainThread] : 1 of 1 clients got no answer; "),
        "{stderr}"
    );
    let refused = std::io::Error::from_raw_os_error(nix::libc::ECONNREFUSED).to_string();
    let start = StartServer {
        command: format!(
            "cargo run -p basics --bin pid-server -- --port {}",
            closed.port()
        ),
        local_server: false,
    };
    testkit::assert_names_the_way_out(&stderr, &refused, &start);
}

#[test]
fn course_python_clients_against_our_servers() {
    for args in [&[][..], &["--pool", "2"][..]] {
        let server = start_server(args);
        let stdout = run_script(
            &script("pid_clients.py"),
            &["127.0.0.1", &server.port.to_string(), "3"],
        )
        .unwrap();
        let mut clients = BTreeSet::new();
        for line in stdout.lines() {
            let parsed = number_after(line, "Client ").zip(
                line.split_once(": Received message: ")
                    .and_then(|(_, answer)| answer_pid(answer)),
            );
            let Some((client, answering)) = parsed else {
                panic!("{line:?} in\n{stdout}\nserver log:\n{}", server.log());
            };
            assert!(line.contains(": Received message: Hi 127.0.0.1:"), "{line}");
            assert_ne!(answering, client);
            assert_ne!(answering, server.pid() as u32);
            clients.insert(client);
        }
        assert_eq!(clients.len(), 3, "{args:?}: {stdout}");
        let printed = server.wait_for_stdout("the greetings", |out| {
            out.matches("Received message 'Hi from ").count() == 3
        });
        assert!(
            printed.contains(&format!(" at 127.0.0.1:{}' at 127.0.0.1:", server.port)),
            "{printed}"
        );
    }
}

#[test]
fn our_client_against_course_python_servers() {
    for args in [&[][..], &["--pool", "2"][..]] {
        let server = PythonServer::start(&script("pid_server.py"), args).unwrap();
        let answering = run_clients(&format!("127.0.0.1:{}", server.port), 3);
        let distinct: BTreeSet<u32> = answering.into_iter().collect();
        let expected = if args.is_empty() { 3..=3 } else { 1..=2 };
        assert!(expected.contains(&distinct.len()), "{args:?}: {distinct:?}");
    }
}
