//! The basics exercises (slides "Client-server architecture model"), static and black-box:
//! each server's structure is read from the AST, then every server runs in a fresh network
//! namespace and gets datagrams or TCP clients from the grader, and every client runs
//! against a scripted server of the grader's. The process items are also observed: the PIDs
//! the replies name are checked against the server's process tree in `/proc`.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex, RwLockReadGuard};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use sandbox::observe;
use sandbox::process::{self as proc, Exit};

use crate::checks::scripted::{ScriptedServer, bind_retrying};
use crate::checks::shared_items as shared;
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict, crash_if_exited};

/// The UDP port of the hello, process-per-request and pool servers (the slides' 10001; the
/// checklist's `submission.port`).
const UDP_PORT: u16 = 10001;
/// The square server's TCP port (the handout's, and `square-server`'s default).
const SQUARE_PORT: u16 = 10003;
/// The reply the grader's scripted UDP server sends the student's client.
const HELLO_REPLY: &str = "Hi client! Nice to connect with you!";
/// The integers the grader sends the student's square server, one client each.
const SQUARES: [i64; 6] = [12, -7, 0, 65_535, 1_000_003, -4_294_967_296];
/// The integers given to the student's square clients, run at once.
const CLIENT_SQUARES: [i64; 3] = [12, -25, 40_000];
/// Datagrams sent to each process server (one socket each, in turn).
const PID_REQUESTS: usize = 3;
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// What the checks of one basics grading share: a share of the machine while programs run.
#[derive(Default)]
pub struct State {
    machine: Option<RwLockReadGuard<'static, ()>>,
}

static CHECKS: Checks<State> = Checks {
    init: State::default,
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("stdlib-only", shared::imports),
        Check::new("async-square", async_square),
        Check::new("udp-hello", udp_hello),
        Check::new("square-answers", square_answers),
        Check::new("process-per-request", process_per_request),
        Check::new("process-pool", process_pool),
    ],
};

/// The slides' exercises ("Client-server architecture model: with sockets and
/// multiprocessing", 2020).
pub const LAB: Lab = Lab {
    name: "basics",
    handout: include_str!("handout.md"),
    checklist_toml: include_str!("checklist.toml"),
    checks: &CHECKS,
    reference: &[
        ReferenceRole::new("udp_server", "udp-hello-server", &[]),
        ReferenceRole::new("udp_client", "udp-hello-client", &[]),
        ReferenceRole::new("process_server", "pid-server", &["--port", "10001"]),
        ReferenceRole::new(
            "pool_server",
            "pid-server",
            &["--port", "10001", "--pool", "4"],
        ),
        ReferenceRole::new("square_server", "square-server", &[]),
        ReferenceRole::new("square_client", "square-client", &[]),
    ],
    lab_tables: |checklist| checklist.ensure_lab_tables(&[]),
};

/// Runs `part` on the grading's thread in a fresh network namespace, sharing the machine.
///
/// Every part returns `anyhow::Result<Outcome>`: `Err` is the grader's own failure (a
/// program it cannot start, a socket of its own it cannot bind), which must not become a
/// student's fault; the [`Outcome`] is what the submission did.
fn observed(
    g: &mut Grader,
    s: &mut State,
    part: fn(&mut Grader) -> anyhow::Result<Outcome>,
) -> anyhow::Result<Verdict> {
    g.begin_phase(&mut s.machine);
    Ok(Verdict::from(part(g)?))
}

/// The names a role's source must use for an item's structure: the slides' `Process` and
/// `start`, a `Pool` with a submitting call, `asyncio`. `Ok` with the evidence lines, `Err`
/// with them when something is missing; `None` when the role has no Python source. A
/// `pool` must also submit work to it.
fn structure(g: &Grader, role: &str, names: &[&str], pool: bool) -> Option<Outcome> {
    let facts = g.facts.as_ref()?;
    let file = g.python_file(role)?;
    let mut evidence = Vec::new();
    let mut ok = true;
    for name in names {
        match facts.uses(&file, name) {
            Some(line) => evidence.push(format!("{file}:{line}: uses {name}")),
            None => {
                ok = false;
                evidence.push(format!("{file}: never uses {name}"));
            }
        }
    }
    if pool {
        let submits = ["apply_async", "map_async", "apply", "map", "starmap"]
            .iter()
            .find_map(|n| Some((n, facts.uses(&file, n)?)));
        match submits {
            Some((name, line)) => evidence.push(format!("{file}:{line}: submits with {name}")),
            None => {
                ok = false;
                evidence.push(format!("{file}: never submits work to the pool"));
            }
        }
    }
    let evidence = evidence.join("\n");
    Some(if ok {
        Ok(evidence)
    } else {
        Err((Fault::Source, evidence))
    })
}

/// `async-square`: the square server uses `asyncio` (read from the source).
fn async_square(g: &mut Grader, _: &mut State) -> anyhow::Result<Verdict> {
    if g.reference {
        return Ok(Verdict::not_assessed(
            "the reference is Rust, not Python source",
        ));
    }
    Ok(match structure(g, "square_server", &["asyncio"], false) {
        Some(outcome) => Verdict::from(outcome),
        None if g.programs.contains_key("square_server") => {
            Verdict::not_assessed("square_server runs a command: no Python source to read")
        }
        None => Verdict::fail(Fault::Source, "no square_server.py"),
    })
}

/// `process-per-request`: the source starts a `Process`, and each request is answered by
/// a new process (the PIDs the replies name, against the server's process tree).
fn process_per_request(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    answered_by(g, s, "process_server", &["Process", "start"], false)
}

/// `process-pool`: the source uses a `Pool`, and every request is answered by one of the
/// pool's workers, started before the first request.
fn process_pool(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    answered_by(g, s, "pool_server", &["Pool"], true)
}

/// The process items: what the source uses, and which processes answer.
fn answered_by(
    g: &mut Grader,
    s: &mut State,
    role: &str,
    names: &[&str],
    pool: bool,
) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key(role) {
        return Ok(Verdict::fail(Fault::Source, format!("no {role}.py")));
    }
    // No source to read: the reference, or a role replaced by a command.
    let (static_ok, static_evidence) = match structure(g, role, names, pool) {
        Some(Ok(evidence)) => (true, evidence),
        Some(Err((_, evidence))) => (false, evidence),
        None => (true, format!("{role}: no Python source: observed only")),
    };
    g.begin_phase(&mut s.machine);
    let observed = answering_processes(g, role, pool)?;
    let (fault, observed_evidence) = match observed {
        Ok(evidence) if static_ok => {
            return Ok(Verdict::pass(format!("{static_evidence}\n{evidence}")));
        }
        Ok(evidence) => (Fault::Source, evidence),
        Err((fault, evidence)) if static_ok => (fault, evidence),
        // The source is wrong already: that is the deduction's reason.
        Err((_, evidence)) => (Fault::Source, evidence),
    };
    Ok(Verdict::fail(
        fault,
        format!("{static_evidence}\n{observed_evidence}"),
    ))
}

/// How long one answer may take: the step timeout, at most 10 s (each is a few bytes).
fn answer_timeout(g: &Grader) -> Duration {
    g.step_timeout().min(Duration::from_secs(10))
}

/// Sends `message` from a fresh socket to `127.0.0.1:port` and waits for one datagram back.
/// Errors: the grader's own socket cannot be bound or send (nothing the server did).
fn datagram(port: u16, message: &[u8], timeout: Duration) -> anyhow::Result<Outcome> {
    let socket = UdpSocket::bind("127.0.0.1:0").context("the grader's UDP socket")?;
    socket
        .send_to(message, SocketAddr::from(([127, 0, 0, 1], port)))
        .context("the grader sending a datagram")?;
    socket.set_read_timeout(Some(timeout)).ok();
    let mut buf = [0u8; 2048];
    Ok(match socket.recv_from(&mut buf) {
        Ok((n, _)) => Ok(String::from_utf8_lossy(&buf[..n]).into_owned()),
        Err(e) if common::net::is_timeout(&e) => Err((
            Fault::Hang,
            format!("no reply datagram within {:.0} s", timeout.as_secs_f64()),
        )),
        // ICMP port unreachable: nothing bound any more.
        Err(e) => Err((Fault::Crash, format!("no reply: {e}"))),
    })
}

/// The outcome of a student's client run against a scripted server.
fn client_verdict(command: &str, exit: Exit, output: &str, shows: bool, sent: &str) -> Outcome {
    let evidence = format!(
        "client: `{command}` against a test server: {}; sent {sent:?}; {} the reply",
        proc::describe_exit(exit),
        if shows { "prints" } else { "does not print" }
    );
    match exit {
        Exit::Timeout => Err((Fault::Hang, evidence)),
        Exit::Code(0) if shows => Ok(evidence),
        Exit::Code(0) => Err((
            Fault::WrongAnswer,
            format!("{evidence}:\n{}", proc::tail(output, 4)),
        )),
        exit => Err((
            Fault::from(exit),
            format!("{evidence}:\n{}", proc::tail(output, 8)),
        )),
    }
}

/// Folds one part's verdict into an item's: evidence accumulates, the first fault stays.
fn fold(parts: &mut Vec<String>, failure: &mut Option<Fault>, part: Outcome) {
    match part {
        Ok(evidence) => parts.push(evidence),
        Err((fault, evidence)) => {
            failure.get_or_insert(fault);
            parts.push(evidence);
        }
    }
}

fn finish(parts: Vec<String>, failure: Option<Fault>) -> Outcome {
    let evidence = parts.join("\n");
    match failure {
        None => Ok(evidence),
        Some(fault) => Err((fault, evidence)),
    }
}

/// `udp-hello` (see [`udp_hello_parts`]).
fn udp_hello(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    observed(g, s, udp_hello_parts)
}

/// `square-answers` (see [`square_answers_parts`]).
fn square_answers(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    observed(g, s, square_answers_parts)
}

/// `udp-hello`: a datagram to the server gets one back; the client, against a scripted
/// server, sends one and prints the reply.
fn udp_hello_parts(g: &mut Grader) -> anyhow::Result<Outcome> {
    server_and_client(
        g,
        ("udp_server", udp_server_part),
        ("udp_client", udp_client_part),
    )
}

/// An item judged on a server role and a client role, each by its `part` (a missing role's
/// file is a fault of its own): both parts' evidence, failed by the first fault.
fn server_and_client(
    g: &Grader,
    server: (&str, fn(&Grader) -> anyhow::Result<Outcome>),
    client: (&str, fn(&Grader) -> anyhow::Result<Outcome>),
) -> anyhow::Result<Outcome> {
    let (mut parts, mut failure) = (Vec::new(), None);
    for (side, (role, part)) in [("server", server), ("client", client)] {
        let outcome = if g.programs.contains_key(role) {
            part(g)?
        } else {
            Err((Fault::Source, format!("{side}: no {role}.py")))
        };
        fold(&mut parts, &mut failure, outcome);
    }
    Ok(finish(parts, failure))
}

fn udp_server_part(g: &Grader) -> anyhow::Result<Outcome> {
    let work = g.workdir.work();
    let mut server = g.spawn("udp_server", &[], &work, "udp_server")?;
    if let Err((exit, e)) = server.wait_udp_bound(UDP_PORT, START_TIMEOUT) {
        return Ok(Err((Fault::from(exit), format!("server: {e}"))));
    }
    let reply = datagram(UDP_PORT, b"Hi server!", answer_timeout(g))?;
    let exit = server.poll();
    server.interrupt(Duration::from_secs(2));
    Ok(match reply {
        Ok(reply) if !reply.is_empty() => Ok(format!(
            "server: `{}` answered \"Hi server!\" with {reply:?}",
            server.command
        )),
        Ok(_) => Err((
            Fault::WrongAnswer,
            format!(
                "server: `{}` answered with an empty datagram",
                server.command
            ),
        )),
        Err((fault, e)) => {
            let fault = if exit.is_some() { Fault::Crash } else { fault };
            Err((
                fault,
                format!(
                    "server: `{}`: {e} to \"Hi server!\"{}\n{}",
                    server.command,
                    exit.map(|x| format!(" (it exited: {})", proc::describe_exit(x)))
                        .unwrap_or_default(),
                    server.tail(8)
                ),
            ))
        }
    })
}

fn udp_client_part(g: &Grader) -> anyhow::Result<Outcome> {
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let scripted = bind_retrying(|| {
        let log = log.clone();
        ScriptedServer::udp(("127.0.0.1", UDP_PORT), move |datagram, _| {
            log.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(String::from_utf8_lossy(datagram).into_owned());
            Some(HELLO_REPLY.as_bytes().to_vec())
        })
    })
    .context("the grader's UDP server")?;
    let dir = g.run_dir("udp_client")?;
    let mut client = g.spawn("udp_client", &[], &dir, "udp_client")?;
    let exit = client.wait(g.step_timeout().min(Duration::from_secs(30)));
    let output = client.output();
    drop(scripted);
    let sent = received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .join(" | ");
    Ok(client_verdict(
        &client.command,
        exit,
        &output,
        output.contains(HELLO_REPLY),
        &sent,
    )
    .and_then(|evidence| {
        if sent.is_empty() {
            Err((
                Fault::WrongAnswer,
                format!("{evidence}, but sent no datagram"),
            ))
        } else {
            Ok(evidence)
        }
    }))
}

/// `square-answers`: clients held open at once, served last to first, each get their
/// square; the student's clients, run at once against a scripted server, print theirs.
fn square_answers_parts(g: &mut Grader) -> anyhow::Result<Outcome> {
    server_and_client(
        g,
        ("square_server", square_server_part),
        ("square_client", square_client_part),
    )
}

/// Reads one line (or up to end of stream) within the stream's read timeout.
fn read_line(stream: &TcpStream) -> Outcome {
    let mut line = String::new();
    // An answer is one short line: read at most 4 KiB of it.
    let mut reader = BufReader::new(std::io::Read::take(stream, 4096));
    match reader.read_line(&mut line) {
        Ok(_) => Ok(line),
        Err(e) if common::net::is_timeout(&e) => {
            Err((Fault::Hang, format!("no answer line; got {line:?}")))
        }
        Err(e) => Err((Fault::Crash, format!("reading the answer: {e}"))),
    }
}

fn square_server_part(g: &Grader) -> anyhow::Result<Outcome> {
    let work = g.workdir.work();
    let mut server = g.spawn("square_server", &[], &work, "square_server")?;
    if let Err((exit, e)) = server.wait_listening(SQUARE_PORT, START_TIMEOUT) {
        return Ok(Err((Fault::from(exit), format!("server: {e}"))));
    }
    Ok(ask_squares(g, &mut server))
}

/// The square server's half of `square-answers`, once it listens: every client connects,
/// then they ask, last to first.
fn ask_squares(g: &Grader, server: &mut proc::Proc) -> Outcome {
    let timeout = answer_timeout(g);
    let addr = SocketAddr::from(([127, 0, 0, 1], SQUARE_PORT));
    // Every client connects first; then the last one asks first. A server that serves one
    // client at a time is still waiting for the first client's line and never answers.
    let mut clients = Vec::new();
    for _ in SQUARES {
        let stream = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| (Fault::Crash, format!("server: connect: {e}")))?;
        stream.set_read_timeout(Some(timeout)).ok();
        clients.push(stream);
    }
    let mut answered = Vec::new();
    for (n, stream) in SQUARES.iter().zip(&mut clients).rev() {
        let asked = stream.write_all(format!("{n}\n").as_bytes());
        let answer = asked
            .map_err(|e| (Fault::Crash, format!("sending {n}: {e}")))
            .and_then(|()| read_line(stream));
        let want = (i128::from(*n) * i128::from(*n)).to_string();
        let mut fail = |fault, what: String| {
            let fault = crash_if_exited(server, fault);
            Err((
                fault,
                format!(
                    "server: {} clients connected at once, asking last to first; answered {}; to {n}: {what}\n{}",
                    SQUARES.len(),
                    if answered.is_empty() {
                        "none".to_owned()
                    } else {
                        answered.join(", ")
                    },
                    server.tail(8)
                ),
            ))
        };
        match answer {
            Ok(line) if line.trim() == want => answered.push(format!("{n} -> {want}")),
            Ok(line) => {
                return fail(
                    Fault::WrongAnswer,
                    format!("answered {:?}, not {want}", line.trim()),
                );
            }
            Err((fault, e)) => return fail(fault, e),
        }
    }
    server.interrupt(Duration::from_secs(2));
    Ok(format!(
        "server: `{}`: {} clients connected at once, asking last to first, each got its square: {}",
        server.command,
        SQUARES.len(),
        answered.join(", ")
    ))
}

/// The grader's square server: a square per line; keeps the lines it received.
fn serve_squares(mut stream: TcpStream, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    for line in BufReader::new(std::io::Read::take(reader, 64 * 1024)).lines() {
        let Ok(line) = line else { return };
        let text = line.trim().to_owned();
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(text.clone());
        let answer = match text.parse::<i64>() {
            Ok(n) => (i128::from(n) * i128::from(n)).to_string(),
            Err(_) => format!("error: {text:?} is not an integer"),
        };
        if stream.write_all(format!("{answer}\n").as_bytes()).is_err() {
            return;
        }
    }
}

/// Whether `output` holds `number` as a whole word (not inside a longer number).
fn shows_number(output: &str, number: &str) -> bool {
    output
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .any(|word| word == number)
}

fn square_client_part(g: &Grader) -> anyhow::Result<Outcome> {
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let _scripted = bind_retrying(|| {
        let log = log.clone();
        ScriptedServer::tcp(("127.0.0.1", SQUARE_PORT), move |stream| {
            serve_squares(stream, &log)
        })
    })
    .context("the grader's square server")?;
    let mut clients = Vec::new();
    for (i, n) in CLIENT_SQUARES.iter().enumerate() {
        let name = format!("square_client_{i}");
        let dir = g.run_dir(&name)?;
        let client = g.spawn("square_client", &[n.to_string()], &dir, &name)?;
        clients.push((n, client));
    }
    let deadline = Instant::now() + g.step_timeout().min(Duration::from_secs(30));
    let (mut parts, mut failure) = (Vec::new(), None);
    for (n, client) in &mut clients {
        let exit = client.wait(deadline.saturating_duration_since(Instant::now()));
        let output = client.output();
        let want = (i128::from(**n) * i128::from(**n)).to_string();
        let received = received.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let part = client_verdict(
            &client.command,
            exit,
            &output,
            shows_number(&client.stdout(), &want),
            &if received.contains(&n.to_string()) {
                n.to_string()
            } else {
                String::new()
            },
        );
        fold(&mut parts, &mut failure, part);
    }
    Ok(finish(parts, failure))
}

/// The last number in a reply: the answering process's ID, by the handout.
fn last_number(reply: &str) -> Option<u32> {
    reply
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|w| !w.is_empty())?
        .parse()
        .ok()
}

/// The server's descendants once the set has not changed for `quiet` (or when `limit` has
/// passed, whichever comes first).
fn stable_children(pid: u32, quiet: Duration, limit: Duration) -> BTreeSet<u32> {
    let deadline = Instant::now() + limit;
    let mut seen = observe::descendants(pid);
    let mut since = Instant::now();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        let now = observe::descendants(pid);
        if now != seen {
            seen = now;
            since = Instant::now();
        } else if since.elapsed() >= quiet {
            break;
        }
    }
    seen
}

/// The observed half of `process-per-request` and `process-pool`: [`PID_REQUESTS`]
/// datagrams, one socket each, in turn; the PID each reply names must be a process other
/// than the server's main one, a new one per request (`pool == false`), or one of the
/// children that existed before the first request (`pool == true`).
fn answering_processes(g: &mut Grader, role: &str, pool: bool) -> anyhow::Result<Outcome> {
    let work = g.workdir.work();
    let mut server = g.spawn(role, &[], &work, role)?;
    if let Err((exit, e)) = server.wait_udp_bound(UDP_PORT, START_TIMEOUT) {
        return Ok(Err((Fault::from(exit), format!("run: {e}"))));
    }
    let main = server.pid();
    // The children before any request, once their set stops changing: a pool may start
    // its workers one after another after binding.
    let before = stable_children(main, Duration::from_millis(500), Duration::from_secs(10));
    let mut pids = Vec::new();
    let mut replies = Vec::new();
    for i in 0..PID_REQUESTS {
        match datagram(
            UDP_PORT,
            format!("Hi from client {i}").as_bytes(),
            answer_timeout(g),
        )? {
            Ok(reply) => {
                pids.push(last_number(&reply));
                replies.push(reply);
            }
            Err((fault, e)) => {
                let fault = crash_if_exited(&mut server, fault);
                return Ok(Err((
                    fault,
                    format!(
                        "run: `{}`, request {}: {e}\n{}",
                        server.command,
                        i + 1,
                        server.tail(8)
                    ),
                )));
            }
        }
    }
    server.interrupt(Duration::from_secs(2));
    let shown: Vec<String> = pids
        .iter()
        .map(|p| p.map_or("none".to_owned(), |p| p.to_string()))
        .collect();
    let evidence = format!(
        "run: `{}` (PID {main}, children before the first request {before:?}) answered {PID_REQUESTS} datagrams naming PIDs [{}]; first reply {:?}",
        server.command,
        shown.join(", "),
        replies.first().map(String::as_str).unwrap_or_default()
    );
    let named: Vec<u32> = pids.iter().flatten().copied().collect();
    let distinct: BTreeSet<u32> = named.iter().copied().collect();
    let problem = if named.len() < PID_REQUESTS {
        Some("a reply does not end with a process ID".to_owned())
    } else if named.contains(&main) {
        Some("the main process answered itself".to_owned())
    } else if pool && !named.iter().all(|p| before.contains(p)) {
        Some("a reply came from a process that did not exist before the first request: not a pool started once".to_owned())
    } else if !pool && named.iter().any(|p| before.contains(p)) {
        Some("a reply came from a process that existed before the request: not a process per request".to_owned())
    } else if !pool && distinct.len() < PID_REQUESTS {
        Some("two requests were answered by the same process".to_owned())
    } else {
        None
    };
    Ok(match problem {
        None => Ok(evidence),
        Some(problem) => Err((Fault::WrongAnswer, format!("{evidence}: {problem}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_and_numbers_in_replies() {
        assert_eq!(
            last_number("Hi 127.0.0.1:40522. This is server 31337"),
            Some(31337)
        );
        assert_eq!(
            last_number("Hi ('127.0.0.1', 5), this is process 77"),
            Some(77)
        );
        assert_eq!(last_number("hello"), None);
        assert!(shows_number("square(12) = 144\n", "144"));
        assert!(shows_number("144", "144"));
        assert!(!shows_number("1440", "144"));
        assert!(shows_number("-5 squared: 25", "25"));
    }
}
