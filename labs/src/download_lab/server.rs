//! The student's server: it runs and answers (the `server-runs` prerequisite), one new
//! thread per connection, it stays listening, its address is reusable, and (numbers) its
//! lists keep the handout's format.

use std::time::{Duration, Instant};

use sandbox::observe::{self, ThreadSampler};
use sandbox::process::{self as proc, Exit, Proc};

use super::{Concurrency, DownloadLab, START_TIMEOUT, State};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict};

/// `server-runs`: the server listens on the lab's port and answers the course's given
/// client, a direct connection of the grader's, and our reference client, each checked for
/// the lab's payload.
pub fn runs(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("server") {
        return Ok(Verdict::fail(
            Fault::Source,
            "server: no server file to run",
        ));
    }
    s.machine.get_or_insert_with(|| g.load_shared());
    let port = g.port();
    let work = g.workdir.work();
    let mut server = g.spawn("server", &[], &work, "server")?;
    let started = server.wait_listening(port, START_TIMEOUT);
    let typed = match (g.facts.as_ref(), g.python_file("server")) {
        (Some(facts), Some(file)) => match facts.uses(&file, "input") {
            Some(line) => {
                format!(" ({file}:{line} reads standard input: the grader typed {port})")
            }
            None => String::new(),
        },
        _ => String::new(),
    };
    let command = server.command.clone();
    let uid = observe::uid(server.pid())
        .map(|uid| format!(" (uid {uid})"))
        .unwrap_or_default();
    s.server = Some(server);
    if let Err((exit, evidence)) = started {
        let fault = Fault::from(exit);
        return Ok(Verdict::fail(fault, format!("server: {evidence}")));
    }
    s.listened = true;
    let mut evidence = vec![format!(
        "server: `{command}` listening on port {port}{uid}{typed}"
    )];
    let n = s.spec.interop_count.min(g.count());
    let answered = interop(g, s, n, port)?;
    let server = s.server.as_mut().expect("started above");
    if server.poll().is_some() {
        evidence.push(format!("server exited while serving:\n{}", server.tail(10)));
        return Ok(Verdict::fail(Fault::Crash, evidence.join("\n")));
    }
    Ok(match answered {
        Ok(lines) => {
            evidence.push(lines);
            Verdict::pass(evidence.join("\n"))
        }
        Err((fault, lines)) => {
            evidence.push(lines);
            Verdict::fail(fault, evidence.join("\n"))
        }
    })
}

/// The given client, a direct connection, then our client (when the payload's format lets
/// it parse), each fetching `n` payloads from the student's server on `port`.
///
/// Errors: the grader's own failures (a client of its own it cannot start), which are not
/// the student's server's fault.
fn interop(g: &Grader, s: &mut State, n: usize, port: u16) -> anyhow::Result<Outcome> {
    let timeout = g.step_timeout();
    // The course's given client: what the student's server was written for.
    let (mut given, dir) = g.spawn_given("client", s.spec.given_client, "interop-given", n)?;
    let given = client_result(s.spec, &mut given, &dir, n, timeout, "the given client");
    let mut evidence = match given.and_then(|lines| Ok(vec![lines, direct(s, port, timeout)?])) {
        Ok(evidence) => evidence,
        Err(failure) => return Ok(Err(failure)),
    };
    // Our client, many connections at once. It reads the handout's exact format only, so
    // it is not run on a payload that breaks it (that is the format item's deduction).
    let format_ok = match (s.spec.check_format, &s.payload) {
        (Some(check), Some(bytes)) => check(bytes).is_ok(),
        _ => true,
    };
    if !format_ok {
        evidence.push("server: our client not run: the payload breaks the handout's format".into());
        return Ok(Ok(evidence.join("\n")));
    }
    let dir = g.run_dir("interop-reference")?;
    let mut ours = g.spawn_reference_client(s.spec.client_bin, n, &dir, "interop-reference")?;
    let who = format!("our client `{}`", ours.command);
    Ok(
        client_result(s.spec, &mut ours, &dir, n, timeout, &who).map(|lines| {
            evidence.push(lines);
            evidence.join("\n")
        }),
    )
}

/// One payload through the grader's own checks, over a direct connection; keeps it in
/// `s.payload` for the format item.
fn direct(s: &mut State, port: u16, timeout: Duration) -> Outcome {
    let bytes = proc::fetch(port, timeout).map_err(|e| {
        (
            Fault::WrongAnswer,
            format!("server: a direct connection failed: {e}"),
        )
    })?;
    let checked =
        (s.spec.check_payload)(&bytes).map_err(|e| (Fault::WrongAnswer, format!("server: {e}")))?;
    s.payload = Some(bytes);
    Ok(format!("server: a direct connection got {checked}"))
}

/// Waits for a client (`who`, for the evidence) downloading `n` items from the student's
/// server into `dir`, then checks what it saved. A client still running at `timeout` is a
/// hang; any other failure, or a wrong download, is a wrong answer of the server, since
/// the client is known to work.
fn client_result(
    spec: &DownloadLab,
    client: &mut Proc,
    dir: &std::path::Path,
    n: usize,
    timeout: Duration,
    who: &str,
) -> Outcome {
    let exit = client.wait(timeout);
    if exit != Exit::Code(0) {
        let fault = if exit == Exit::Timeout {
            Fault::Hang
        } else {
            Fault::WrongAnswer
        };
        return Err((
            fault,
            format!(
                "server: {who} failed against it ({}):\n{}",
                proc::describe_exit(exit),
                client.tail(6)
            ),
        ));
    }
    let checked = (spec.check_client_dir)(dir, n)
        .map_err(|e| (Fault::WrongAnswer, format!("server ({who}): {e}")))?;
    Ok(format!("server: {who} got {checked}"))
}

/// `list-format`: a payload of the student's server in the handout's exact format.
pub fn payload_format(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let (Some(check), Some(bytes)) = (s.spec.check_format, s.payload.as_deref()) else {
        return Ok(Verdict::not_assessed("no payload was fetched"));
    };
    Ok(match check(bytes) {
        Ok(evidence) => Verdict::pass(evidence),
        Err(wrong) => Verdict::fail(Fault::WrongAnswer, wrong),
    })
}

/// The running student's server, which `server-runs` left in the state.
fn server(s: &mut State) -> anyhow::Result<&mut Proc> {
    s.server
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("server-runs did not leave a server running"))
}

/// `thread-per-connection`, observed in `/proc/PID/task` while clients connect.
pub fn thread_per_connection(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let port = g.port();
    let pid = server(s)?.pid();
    Ok(match s.spec.concurrency {
        Concurrency::Burst => {
            let sampler = ThreadSampler::start(pid);
            std::thread::sleep(Duration::from_millis(50));
            let (ok, failed) = burst(port, 8, 25);
            std::thread::sleep(Duration::from_millis(200));
            let trace = sampler.finish();
            let pass = trace.transient >= 3;
            let evidence = format!(
                "{} connections from 8 threads at once ({ok} answered, {failed} failed); {}{}",
                ok + failed,
                trace.describe(),
                if pass {
                    String::new()
                } else if trace.appeared > 0 {
                    "\nnew threads appeared but did not end per connection: a pool, not a thread per connection".into()
                } else {
                    "\nno new thread appeared: connections are served on an existing thread".into()
                }
            );
            Verdict::judge(pass, Fault::WrongAnswer, evidence)
        }
        Concurrency::Held => {
            // Each held client should get a thread of its own. Whether that thread is
            // still alive later is up to the kernel: Linux may autotune the server's send
            // buffer past a whole list (about 2.6 MB), so the send can finish without the
            // client reading. What is certain is that a new thread appears per client and
            // that several run at once. The sampler sees threads that live even a
            // millisecond; it asks for 3 at once, not 2, because a thread that has just
            // ended stays in /proc for a moment after `join` returns, so a server that joins
            // each thread before the next accept can show 2.
            const HELD: usize = 8;
            let sampler = ThreadSampler::start(pid);
            let mut held = Vec::new();
            let mut errors = Vec::new();
            for _ in 0..HELD {
                match hold(port) {
                    Ok(socket) => held.push(socket),
                    Err(e) => errors.push(e.to_string()),
                }
            }
            let wanted = held.len();
            // A slow machine may take seconds to start eight Python threads; the wait ends
            // as soon as they are all seen.
            observe::poll_until(Duration::from_secs(20), || {
                (sampler.snapshot().appeared >= wanted).then_some(())
            });
            let trace = sampler.finish();
            drop(held);
            let concurrent = trace.peak_new >= 3;
            let pass = errors.is_empty() && trace.appeared >= HELD && concurrent;
            let evidence = format!(
                "{HELD} clients held open without reading: {} (needs {HELD} new, at least 3 at once){}{}",
                trace.describe(),
                if errors.is_empty() {
                    String::new()
                } else {
                    format!("; {} connection(s) failed: {}", errors.len(), errors[0])
                },
                if trace.appeared > 1 && !concurrent {
                    "\nnew threads, but about one at a time: the accepting loop waits for each"
                } else {
                    ""
                }
            );
            Verdict::judge(pass, Fault::WrongAnswer, evidence)
        }
    })
}

/// A connection that never reads, with a tiny receive window: the server's send can only
/// fill its own send buffer, so its handler lives at least until the list is generated.
fn hold(port: u16) -> std::io::Result<socket2::Socket> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_recv_buffer_size(4096)?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    socket.connect_timeout(&addr.into(), Duration::from_secs(5))?;
    Ok(socket)
}

/// `threads` threads each make `each` connections reading to end of stream. Returns
/// (answered with some bytes, failed).
fn burst(port: u16, threads: usize, each: usize) -> (usize, usize) {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                (0..each)
                    .filter(|_| {
                        proc::fetch(port, Duration::from_secs(10)).is_ok_and(|b| !b.is_empty())
                    })
                    .count()
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    (ok, threads * each - ok)
}

/// `stays-listening`: clients in a row, then at once; the server must answer them all and
/// still be running.
pub fn stays_listening(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let port = g.port();
    let (in_row, at_once) = s.spec.stay;
    let server = server(s)?;
    let started = Instant::now();
    let mut failures = Vec::new();
    for i in 0..in_row {
        match proc::fetch(port, Duration::from_secs(10)) {
            Ok(bytes) if !bytes.is_empty() => {}
            Ok(_) => failures.push(format!("connection {i}: empty answer")),
            Err(e) => failures.push(format!("connection {i}: {e}")),
        }
        if failures.len() >= 3 || server.poll().is_some() {
            break;
        }
    }
    let (ok, failed) = burst(port, at_once, 1);
    let alive = server.poll().is_none();
    let pass = failures.is_empty() && failed == 0 && alive;
    let mut evidence = format!(
        "{in_row} connections in a row: {} failed; {at_once} at once: {ok} answered, {failed} failed; {:.1} s; server {}",
        failures.len(),
        started.elapsed().as_secs_f64(),
        if alive {
            "still running".to_owned()
        } else {
            format!("exited:\n{}", server.tail(8))
        }
    );
    for failure in failures.iter().take(3) {
        evidence.push_str(&format!("\n{failure}"));
    }
    let fault = if alive {
        Fault::WrongAnswer
    } else {
        Fault::Crash
    };
    Ok(Verdict::judge(pass, fault, evidence))
}

/// `reuse-address`: after serving clients (connections left in TIME_WAIT), the server is
/// stopped with SIGINT (Ctrl-C) and started again at once: it must bind the port again.
pub fn reuse_address(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let port = g.port();
    let stopped = server(s)?.interrupt(Duration::from_secs(5));
    let source = match (g.facts.as_ref(), g.python_file("server")) {
        (Some(facts), Some(file)) => match facts.uses(&file, "SO_REUSEADDR") {
            Some(line) => format!("\nsource: {file}:{line} uses SO_REUSEADDR"),
            None => format!("\nsource: {file} never mentions SO_REUSEADDR"),
        },
        _ => String::new(),
    };
    let sigint = if stopped {
        "stopped by SIGINT"
    } else {
        "did not stop within 5 s of SIGINT (killed; Ctrl-C would not stop it)"
    };
    let work = g.workdir.work();
    let mut restarted = g.spawn("server", &[], &work, "server-restart")?;
    let result = restarted.wait_listening(port, Duration::from_secs(10));
    restarted.kill();
    Ok(match result {
        Ok(()) => Verdict::pass(format!(
            "{sigint}; restarted at once with connections in TIME_WAIT: listening again{source}"
        )),
        Err((_, e)) => Verdict::fail(
            Fault::WrongAnswer,
            format!("{sigint}; restarted at once with connections in TIME_WAIT: {e}{source}"),
        ),
    })
}
