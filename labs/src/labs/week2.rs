//! The two Week 2 labs, `frames` and `numbers`: a thread-per-connection server that sends
//! one payload per connection, and a client to make faster. They share every step; what
//! differs (payload, files, messages, timing items) is a [`Week2`] value.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::grade::Grader;
use crate::observe::{self, ThreadSampler};
use crate::report::{Fault, Status};
use crate::sandbox::{self, Exit, Proc};
use crate::timing::{self, Comparison};

/// How the thread-per-connection item is observed.
#[derive(Debug, Clone, Copy)]
pub enum Concurrency {
    /// Bursts of concurrent clients while `/proc/PID/task` is sampled: handler threads must
    /// appear and end. For payloads too small to block a sender (a 10x10 PNG).
    Burst,
    /// Clients with tiny receive buffers that never read, so each handler thread blocks in
    /// its send: one thread per held client must be seen at once.
    Held,
}

/// What distinguishes one Week 2 lab from the other.
pub struct Week2 {
    /// Reference server binary.
    pub server_bin: &'static str,
    /// Reference client binary.
    pub client_bin: &'static str,
    /// The course-style given client (Python source), the timing baseline.
    pub given_client: &'static str,
    /// Checklist id of the imports item.
    pub imports_item: &'static str,
    /// What the server prints per client, up to the address.
    pub sent_message: &'static str,
    /// The client's two timing labels.
    pub labels: [&'static str; 2],
    /// Timing items and which labels' seconds they add up.
    pub timing_items: &'static [(&'static str, &'static [usize])],
    /// Checks one payload received from the student's server.
    pub check_payload: fn(&[u8]) -> Result<String, String>,
    /// Checks a finished client run folder for `count` items; Ok(evidence) or Err(what is wrong).
    pub check_client_dir: fn(&Path, usize) -> Result<String, String>,
    /// Whether the GIF item applies.
    pub gif: bool,
    /// How thread-per-connection is observed.
    pub concurrency: Concurrency,
    /// Payloads the interop clients fetch from the student's server.
    pub interop_count: usize,
    /// Connections in a row, then at once, for stays-listening.
    pub stay: (usize, usize),
}

/// The frames lab.
pub const FRAMES: Week2 = Week2 {
    server_bin: "frame-server",
    client_bin: "frame-client",
    given_client: include_str!("../py/frames_given_client.py"),
    imports_item: "pillow-only",
    sent_message: "Sent an image to (",
    labels: ["Frames download time", "GIF creation time"],
    timing_items: &[("runtime-improved", &[0, 1])],
    check_payload: crate::payload::check_frame,
    check_client_dir: crate::payload::check_frames_dir,
    gif: true,
    concurrency: Concurrency::Burst,
    interop_count: 20,
    stay: (200, 32),
};

/// The numbers lab.
pub const NUMBERS: Week2 = Week2 {
    server_bin: "numbers-server",
    client_bin: "numbers-client",
    given_client: include_str!("../py/numbers_given_client.py"),
    imports_item: "stdlib-only",
    sent_message: "Sent a file to (",
    labels: ["Files download time", "Sorting time"],
    timing_items: &[("download-improved", &[0]), ("sorting-improved", &[1])],
    check_payload: crate::payload::check_numbers,
    check_client_dir: crate::payload::check_numbers_dirs,
    gif: false,
    concurrency: Concurrency::Held,
    interop_count: 3,
    stay: (5, 5),
};

const GIVEN: &str = "given_client.py";
/// Longest a server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// What one side's run established, for `runs` and `message-format`.
#[derive(Default)]
struct Side {
    ok: Option<bool>,
    fault: Option<Fault>,
    evidence: Vec<String>,
    messages_ok: Option<bool>,
    messages: Vec<String>,
}

/// Grades a Week 2 submission.
pub fn run(lab: &Week2, g: &mut Grader) -> anyhow::Result<()> {
    g.static_items(Some(lab.imports_item));
    if g.reference {
        g.programs.insert(
            "server".into(),
            crate::grade::Program::Binary(
                crate::grade::reference_binary(
                    g.opts.reference_bin_dir.as_deref(),
                    lab.server_bin,
                )?,
                Vec::new(),
            ),
        );
        let flag = g
            .checklist
            .submission
            .count_flag
            .clone()
            .unwrap_or_default();
        g.programs.insert(
            "client".into(),
            crate::grade::Program::Binary(
                crate::grade::reference_binary(
                    g.opts.reference_bin_dir.as_deref(),
                    lab.client_bin,
                )?,
                vec!["--optimized".into(), flag, g.count().to_string()],
            ),
        );
    }
    let server_items = [
        "runs",
        "thread-per-connection",
        "reuse-address",
        "stays-listening",
        "message-format",
    ];
    let server = if g.programs.contains_key("server") {
        if g.wants_any(&server_items) {
            server_side(lab, g)?
        } else {
            Side::default()
        }
    } else {
        for id in ["thread-per-connection", "reuse-address", "stays-listening"] {
            g.not_assessed(id, "no server file to run");
        }
        Side {
            ok: Some(false),
            fault: Some(Fault::Source),
            evidence: vec!["server: no server file".into()],
            ..Side::default()
        }
    };
    let mut client_items = vec!["runs", "message-format"];
    client_items.extend(lab.timing_items.iter().map(|(id, _)| *id));
    if lab.gif {
        client_items.push("gif-valid");
    }
    let client = if g.programs.contains_key("client") {
        if g.wants_any(&client_items) {
            g.in_fresh_namespace(|g| client_side(lab, g))?
        } else {
            Side::default()
        }
    } else {
        for id in client_items
            .iter()
            .filter(|id| !["runs", "message-format"].contains(id))
        {
            g.not_assessed(id, "no client file to run");
        }
        Side {
            ok: Some(false),
            fault: Some(Fault::Source),
            evidence: vec!["client: no client file".into()],
            ..Side::default()
        }
    };
    // runs: both sides must run; a side not exercised (--only) does not count against it.
    let sides = [&server, &client];
    let evidence: Vec<String> = sides.iter().flat_map(|s| s.evidence.clone()).collect();
    if sides.iter().all(|s| s.ok.is_none()) {
        g.not_assessed("runs", "not exercised");
    } else {
        let failed = sides.iter().find(|s| s.ok == Some(false));
        g.set(
            "runs",
            match failed {
                None => Status::Passed,
                Some(side) => Status::Failed(side.fault.unwrap_or(Fault::WrongAnswer)),
            },
            evidence.join("\n"),
        );
    }
    let messages: Vec<String> = sides.iter().flat_map(|s| s.messages.clone()).collect();
    if sides.iter().all(|s| s.messages_ok.is_none()) {
        g.not_assessed(
            "message-format",
            "neither program ran far enough to print its messages",
        );
    } else {
        let ok = sides.iter().all(|s| s.messages_ok != Some(false));
        g.judge(
            "message-format",
            ok,
            Fault::WrongAnswer,
            messages.join("\n"),
        );
    }
    Ok(())
}

fn port(g: &Grader) -> u16 {
    g.checklist.submission.port
}

fn fault_of(exit: Exit) -> Fault {
    match exit {
        Exit::Timeout => Fault::Hang,
        _ => Fault::Crash,
    }
}

/// The student's server against our reference client, the given client, and the grader's
/// own probes.
fn server_side(lab: &Week2, g: &mut Grader) -> anyhow::Result<Side> {
    let _shared = g.load_shared();
    let mut side = Side::default();
    let port = port(g);
    let dependents = ["thread-per-connection", "reuse-address", "stays-listening"];
    let work = g.sandbox.work();
    let mut server = g.spawn("server", &[], &work, "server")?;
    if let Err((fault, evidence)) = server.wait_listening(port, START_TIMEOUT) {
        side.ok = Some(false);
        side.fault = Some(fault);
        side.evidence.push(format!("server: {evidence}"));
        for id in dependents {
            g.not_assessed(id, "depends on runs: the server did not start listening");
        }
        return Ok(side);
    }
    side.evidence.push(format!(
        "server: `{}` listening on port {port}",
        server.command
    ));

    // Interop: our reference client, then the course-style given client.
    let n = lab.interop_count.min(g.count());
    let interop = interop(lab, g, n, port);
    match interop {
        Ok(evidence) => {
            side.ok = Some(true);
            side.evidence.push(evidence);
        }
        Err((fault, evidence)) => {
            side.ok = Some(false);
            side.fault = Some(fault);
            side.evidence.push(evidence);
        }
    }
    if server.poll().is_some() {
        side.ok = Some(false);
        side.fault = Some(Fault::Crash);
        side.evidence
            .push(format!("server exited while serving:\n{}", server.tail(10)));
        for id in dependents {
            g.not_assessed(id, "depends on runs: the server exited");
        }
        return Ok(side);
    }
    if side.ok == Some(false) {
        for id in dependents {
            g.not_assessed(id, "depends on runs: the server's answers are wrong");
        }
    } else {
        if g.wants("thread-per-connection") {
            thread_per_connection(lab, g, &server, port);
        }
        if g.wants("stays-listening") {
            stays_listening(lab, g, &mut server, port);
        }
    }

    // Messages: judged on everything the server printed so far.
    let output = server.output();
    let listening = format!("Listening on 0.0.0.0:{port}");
    let has_listening = output.lines().any(|l| l.trim_end().ends_with(&listening));
    // Threads print concurrently, so two messages may share a line: judge each message.
    let sent: Vec<&str> = output.split(lab.sent_message).skip(1).collect();
    let malformed = sent.iter().find(|rest| !valid_address(rest));
    let sent_ok = !sent.is_empty() && malformed.is_none();
    side.messages_ok = Some(has_listening && sent_ok);
    side.messages.push(format!(
        "server: {} '{listening}'; {} '{}HOST, PORT)' message(s){}",
        if has_listening {
            "prints"
        } else {
            "does not print"
        },
        sent.len(),
        lab.sent_message,
        match (malformed, sent.first()) {
            (Some(rest), _) => format!(
                ", malformed: {:?}",
                format!("{}{}", lab.sent_message, first_line(rest))
            ),
            (None, Some(rest)) => format!(
                ", e.g. {:?}",
                format!("{}{}", lab.sent_message, first_line(rest))
            ),
            (None, None) => String::new(),
        }
    ));

    // reuse-address last: it stops the server.
    let stopped = server.interrupt(Duration::from_secs(5));
    if g.wants("reuse-address") && side.ok == Some(true) && !g.has("reuse-address") {
        reuse_address(g, port, stopped);
    }
    Ok(side)
}

/// Whether `rest` (what follows "Sent a file to (") starts with `'HOST', PORT)` or
/// `HOST, PORT)`, HOST an IP address.
fn valid_address(rest: &str) -> bool {
    let Some((inner, _)) = rest.split_once(')') else {
        return false;
    };
    let Some((host, port)) = inner.split_once(',') else {
        return false;
    };
    let host = host.trim().trim_matches('\'');
    host.parse::<std::net::IpAddr>().is_ok() && port.trim().parse::<u16>().is_ok()
}

fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    let end = (0..=line.len().min(60))
        .rev()
        .find(|&i| line.is_char_boundary(i))
        .unwrap_or(0);
    &line[..end]
}

fn interop(lab: &Week2, g: &mut Grader, n: usize, port: u16) -> Result<String, (Fault, String)> {
    let timeout = g.opts.step_timeout;
    let err = |e: anyhow::Error| (Fault::Crash, format!("grader: {e:#}"));
    let mut evidence = Vec::new();
    // Our reference client.
    let dir = g.run_dir("interop-reference").map_err(err)?;
    let flag = g
        .checklist
        .submission
        .count_flag
        .clone()
        .unwrap_or_default();
    let mut client = g
        .spawn_reference(
            lab.client_bin,
            &[flag, n.to_string()],
            &dir,
            "interop-reference",
        )
        .map_err(err)?;
    let who = format!("our client `{}`", client.command);
    evidence.push(client_result(
        lab,
        &mut client,
        &dir,
        n,
        timeout,
        &who,
        "server",
    )?);
    // The course-style given client.
    let dir = g.run_dir("interop-given").map_err(err)?;
    let source = lower_given(g, lab.given_client, n);
    let mut given = g
        .spawn_script(GIVEN, &source, &[], &dir, "interop-given")
        .map_err(err)?;
    let who = "the given Python client";
    evidence.push(client_result(
        lab,
        &mut given,
        &dir,
        n,
        timeout,
        who,
        "server (given client)",
    )?);
    // And one payload through the grader's own checks.
    match sandbox::fetch(port, timeout) {
        Ok(bytes) => {
            let checked = (lab.check_payload)(&bytes)
                .map_err(|e| (Fault::WrongAnswer, format!("server: {e}")))?;
            evidence.push(format!("server: a direct connection got {checked}"));
        }
        Err(e) => {
            return Err((
                Fault::WrongAnswer,
                format!("server: a direct connection failed: {e}"),
            ));
        }
    }
    Ok(evidence.join("\n"))
}

/// Waits for a client (`who`, for the evidence) downloading `n` items from the student's
/// server into `dir`, then checks what it saved. A client still running at `timeout` is a
/// hang; any other failure, or a wrong download, is a wrong answer of the server, since
/// the client is known to work. `context` starts the message of a wrong download.
fn client_result(
    lab: &Week2,
    client: &mut Proc,
    dir: &Path,
    n: usize,
    timeout: Duration,
    who: &str,
    context: &str,
) -> Result<String, (Fault, String)> {
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
                sandbox::describe_exit(exit),
                client.tail(6)
            ),
        ));
    }
    let checked = (lab.check_client_dir)(dir, n)
        .map_err(|e| (Fault::WrongAnswer, format!("{context}: {e}")))?;
    Ok(format!("server: {who} got {checked}"))
}

/// The given client's `source` with its count constant set to `n`.
fn lower_given(g: &Grader, source: &str, n: usize) -> String {
    let handout = g.checklist.submission.count.unwrap_or(n);
    // The given client is ours: its count is the only module-level constant equal to the
    // handout's count, on its own line.
    source
        .lines()
        .map(|line| {
            if line.ends_with(&format!("_COUNT = {handout}")) {
                line.replace(&handout.to_string(), &n.to_string())
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn thread_per_connection(lab: &Week2, g: &mut Grader, server: &Proc, port: u16) {
    let pid = server.pid();
    match lab.concurrency {
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
            g.judge("thread-per-connection", pass, Fault::WrongAnswer, evidence);
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
            g.judge("thread-per-connection", pass, Fault::WrongAnswer, evidence);
        }
    }
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
                let mut ok = 0;
                for _ in 0..each {
                    if sandbox::fetch(port, Duration::from_secs(10)).is_ok_and(|b| !b.is_empty()) {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    (ok, threads * each - ok)
}

fn stays_listening(lab: &Week2, g: &mut Grader, server: &mut Proc, port: u16) {
    let (in_row, at_once) = lab.stay;
    let started = Instant::now();
    let mut failures = Vec::new();
    for i in 0..in_row {
        match sandbox::fetch(port, Duration::from_secs(10)) {
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
    g.judge("stays-listening", pass, fault, evidence);
}

fn reuse_address(g: &mut Grader, port: u16, stopped_by_sigint: bool) {
    let source = match (g.facts.as_ref(), g.python_file("server")) {
        (Some(facts), Some(file)) => match facts.uses(&file, "SO_REUSEADDR") {
            Some(line) => format!("\nsource: {file}:{line} uses SO_REUSEADDR"),
            None => format!("\nsource: {file} never mentions SO_REUSEADDR"),
        },
        _ => String::new(),
    };
    let sigint = if stopped_by_sigint {
        "stopped by SIGINT"
    } else {
        "did not stop within 5 s of SIGINT (killed)"
    };
    let work = g.sandbox.work();
    let restarted = g.spawn("server", &[], &work, "server-restart");
    let evidence;
    let ok = match restarted {
        Ok(mut server) => {
            let result = server.wait_listening(port, Duration::from_secs(10));
            server.kill();
            match result {
                Ok(()) => {
                    evidence = format!(
                        "{sigint}; restarted at once with connections in TIME_WAIT: listening again{source}"
                    );
                    true
                }
                Err((_, e)) => {
                    evidence = format!(
                        "{sigint}; restarted at once with connections in TIME_WAIT: {e}{source}"
                    );
                    false
                }
            }
        }
        Err(e) => {
            evidence = format!("cannot restart the server: {e:#}");
            false
        }
    };
    g.judge("reuse-address", ok, Fault::WrongAnswer, evidence);
}

/// The student's client against our reference server: output files, GIF, messages, timing.
fn client_side(lab: &Week2, g: &mut Grader) -> anyhow::Result<Side> {
    let shared = g.load_shared();
    let mut side = Side::default();
    let port = port(g);
    let work = g.sandbox.work();
    // On the host network the student's server may have left the port busy for a while
    // (connections of a socket without SO_REUSEADDR): retry for up to a minute.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut server = loop {
        let mut server = g.spawn_reference(
            lab.server_bin,
            &["--port".into(), port.to_string()],
            &work,
            "reference-server",
        )?;
        match server.wait_listening(port, START_TIMEOUT) {
            Ok(()) => break server,
            Err((_, evidence)) if Instant::now() >= deadline => {
                anyhow::bail!("our reference server did not start: {evidence}")
            }
            Err(_) => std::thread::sleep(Duration::from_secs(2)),
        }
    };
    let count = g.count();
    let timeout = g.opts.step_timeout;
    let dir = g.run_dir("client")?;
    let lowered = match g.python_file("client") {
        Some(file) => g.lower_count(&dir, &file),
        None => String::new(),
    };
    let mut client = g.spawn("client", &[], &dir, "client")?;
    let exit = client.wait(timeout);
    let output = client.output();
    let dependents: Vec<&str> = lab
        .timing_items
        .iter()
        .map(|(id, _)| *id)
        .chain(lab.gif.then_some("gif-valid"))
        .collect();
    if exit != Exit::Code(0) {
        side.ok = Some(false);
        side.fault = Some(fault_of(exit));
        side.evidence.push(format!(
            "client: `{}` against our server: {}{}\n{}",
            client.command,
            sandbox::describe_exit(exit),
            if lowered.is_empty() {
                String::new()
            } else {
                format!(" ({lowered})")
            },
            client.tail(8)
        ));
        for id in &dependents {
            g.not_assessed(id, "depends on runs: the client did not finish");
        }
        return Ok(side);
    }
    let checked = (lab.check_client_dir)(&dir, count);
    let intro = format!(
        "client: `{}` against our server{}",
        client.command,
        if lowered.is_empty() {
            String::new()
        } else {
            format!(" ({lowered})")
        }
    );
    match &checked {
        Ok(evidence) => {
            side.ok = Some(true);
            side.evidence.push(format!("{intro}: {evidence}"));
        }
        Err(wrong) => {
            side.ok = Some(false);
            side.fault = Some(Fault::WrongAnswer);
            side.evidence.push(format!("{intro}: {wrong}"));
        }
    }
    // Messages.
    let printed: Vec<Option<f64>> = lab
        .labels
        .iter()
        .map(|l| timing::printed_seconds(&output, l))
        .collect();
    side.messages_ok = Some(printed.iter().all(Option::is_some));
    side.messages.push(format!(
        "client: {}",
        lab.labels
            .iter()
            .zip(&printed)
            .map(|(label, value)| match value {
                Some(v) => format!("'{label}: {v}'"),
                None => format!("no '{label}: <seconds>' line"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if side.ok != Some(true) {
        for id in &dependents {
            g.not_assessed(id, "depends on runs: the client's files are wrong");
        }
        return Ok(side);
    }
    if lab.gif && g.wants("gif-valid") {
        match crate::payload::check_gif(&dir, count) {
            Ok(evidence) => g.set("gif-valid", Status::Passed, evidence),
            Err(wrong) => g.set("gif-valid", Status::Failed(Fault::WrongAnswer), wrong),
        }
    }
    if lab.timing_items.iter().any(|(id, _)| g.wants(id)) {
        drop(shared);
        let _alone = g.load_exclusive();
        timing_items(lab, g, &lowered)?;
    }
    server.kill();
    Ok(side)
}

fn timing_items(lab: &Week2, g: &mut Grader, lowered: &str) -> anyhow::Result<()> {
    let k = g.opts.timing_runs.max(1);
    let count = g.count();
    let timeout = g.opts.step_timeout;
    let mut runs: BTreeMap<&str, Vec<Vec<f64>>> = BTreeMap::new();
    let mut free = Vec::new();
    for run in 0..k {
        let (share, enough) = timing::wait_for_free_cpu(g.opts.timing_wait);
        free.push(format!("{:.0}%", share * 100.0));
        if !enough {
            for (id, _) in lab.timing_items {
                g.not_assessed(
                    id,
                    format!(
                        "the machine is busy: only {:.0}% of its CPU was free after waiting {} s (a fair timing needs {:.0}%); grade again on an idle machine",
                        share * 100.0,
                        g.opts.timing_wait.as_secs(),
                        timing::MIN_FREE_CPU * 100.0
                    ),
                );
            }
            return Ok(());
        }
        // ABBA order: given first in even pairs, yours first in odd ones, so neither side
        // always runs on the warmer (or busier) half of a pair.
        let order = if run % 2 == 0 {
            ["given", "yours"]
        } else {
            ["yours", "given"]
        };
        for who in order {
            let dir = g.run_dir(&format!("timing-{who}-{run}"))?;
            let mut proc = if who == "given" && g.reference {
                // Our optimised client is compared with our sequential one: the same
                // language and build on both sides, which is what the item asks.
                let flag = g
                    .checklist
                    .submission
                    .count_flag
                    .clone()
                    .unwrap_or_default();
                g.spawn_reference(
                    lab.client_bin,
                    &[flag, count.to_string()],
                    &dir,
                    &format!("timing-{who}-{run}"),
                )?
            } else if who == "given" {
                let source = lower_given(g, lab.given_client, count);
                g.spawn_script(GIVEN, &source, &[], &dir, &format!("timing-{who}-{run}"))?
            } else {
                if let Some(file) = g.python_file("client") {
                    g.lower_count(&dir, &file);
                }
                g.spawn("client", &[], &dir, &format!("timing-{who}-{run}"))?
            };
            let exit = proc.wait(timeout);
            if exit != Exit::Code(0) {
                let evidence = format!(
                    "{} client, timing run {}: {}\n{}",
                    who,
                    run + 1,
                    sandbox::describe_exit(exit),
                    proc.tail(6)
                );
                for (id, _) in lab.timing_items {
                    g.judge(id, false, fault_of(exit), evidence.clone());
                }
                return Ok(());
            }
            let output = proc.output();
            let seconds: Vec<Option<f64>> = lab
                .labels
                .iter()
                .map(|l| timing::printed_seconds(&output, l))
                .collect();
            if seconds.iter().any(Option::is_none) {
                for (id, _) in lab.timing_items {
                    g.not_assessed(
                        id,
                        format!(
                            "the {who} client does not print both '{}' and '{}' lines",
                            lab.labels[0], lab.labels[1]
                        ),
                    );
                }
                return Ok(());
            }
            runs.entry(who)
                .or_default()
                .push(seconds.into_iter().flatten().collect());
        }
    }
    for (id, labels) in lab.timing_items {
        let series = |who: &str| -> Vec<f64> {
            runs[who]
                .iter()
                .map(|r| labels.iter().map(|&i| r[i]).sum())
                .collect()
        };
        let comparison = Comparison {
            baseline: series("given"),
            student: series("yours"),
        };
        let what = labels
            .iter()
            .map(|&i| lab.labels[i])
            .collect::<Vec<_>>()
            .join(" + ");
        let mut evidence = format!(
            "{count} items; CPU free before each pair: {}; {}",
            free.join(", "),
            comparison.describe(&what)
        );
        if g.reference {
            evidence.push_str(&format!(
                "\ngiven = our own client without --optimized ({})",
                lab.client_bin
            ));
        }
        if !lowered.is_empty() {
            evidence.push_str(&format!("\n{lowered}"));
        }
        g.judge(id, comparison.improved(), Fault::WrongAnswer, evidence);
    }
    Ok(())
}
