//! The process exercises (`process-per-request`, `process-pool`): what the server's source
//! uses, and which processes answer its datagrams, against its process tree in `/proc`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use sandbox::observe;

use super::{START_TIMEOUT, State, UDP_PORT, answer_timeout, datagram, structure};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict, crash_if_exited};

/// Datagrams sent to each process server (one socket each, in turn).
const PID_REQUESTS: usize = 3;
/// `process-per-request`: the source starts a `Process`, and each request is answered by
/// a new process (the PIDs the replies name, against the server's process tree).
pub(super) fn process_per_request(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    answered_by(g, s, "process_server", &["Process", "start"], false)
}

/// `process-pool`: the source uses a `Pool`, and every request is answered by one of the
/// pool's workers, started before the first request.
pub(super) fn process_pool(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
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

/// The last number in a reply: the answering process's ID, by the handout.
pub(super) fn last_number(reply: &str) -> Option<u32> {
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
