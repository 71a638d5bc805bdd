//! The basics exercises (slides "Client-server architecture model"), static and black-box:
//! each server's structure is read from the AST, then every server runs in a fresh network
//! namespace and gets datagrams or TCP clients from the grader, and every client runs
//! against a scripted server of the grader's. The process items are also observed: the PIDs
//! the replies name are checked against the server's process tree in `/proc`.
//!
//! Each exercise's checks are in a file of its own (`udp.rs`, `square.rs`, `processes.rs`);
//! this one holds the lab's table and what the exercises share.

mod processes;
mod square;
mod udp;

use std::net::{SocketAddr, UdpSocket};
use std::sync::RwLockReadGuard;
use std::time::Duration;

use anyhow::Context as _;
use sandbox::process::{self as proc, Exit};

use processes::{process_per_request, process_pool};
use square::{async_square, square_answers};
use udp::udp_hello;

use crate::checks::shared_items as shared;
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict};

/// The UDP port of the hello, process-per-request and pool servers (the slides' 10001; the
/// checklist's `submission.port`).
const UDP_PORT: u16 = 10001;
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
    given: &[],
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

#[cfg(test)]
mod tests {
    use super::processes::last_number;
    use super::square::shows_number;

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
