//! The square exercise (`async-square`, `square-answers`): an `asyncio` server read from
//! the source, clients held open at once against the student's server, and the student's
//! clients run at once against the grader's square server.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use sandbox::process as proc;

use super::{
    START_TIMEOUT, State, answer_timeout, client_verdict, finish, fold, observed,
    server_and_client, structure,
};
use crate::checks::scripted::{ScriptedServer, bind_retrying};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict, crash_if_exited};

/// The square server's TCP port (the handout's, and `square-server`'s default).
const SQUARE_PORT: u16 = 10003;
/// The integers the grader sends the student's square server, one client each.
const SQUARES: [i64; 6] = [12, -7, 0, 65_535, 1_000_003, -4_294_967_296];
/// The integers given to the student's square clients, run at once.
const CLIENT_SQUARES: [i64; 3] = [12, -25, 40_000];
/// `async-square`: the square server uses `asyncio` (read from the source).
pub(super) fn async_square(g: &mut Grader, _: &mut State) -> anyhow::Result<Verdict> {
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

/// `square-answers` (see [`square_answers_parts`]).
pub(super) fn square_answers(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    observed(g, s, square_answers_parts)
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
pub(super) fn shows_number(output: &str, number: &str) -> bool {
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
