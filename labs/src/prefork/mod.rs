//! The inference (pre-fork) lab, black-box: the grader serves a photo over loopback HTTP,
//! starts `server.py PORT PROCESSES`, sends URLs ending with `[END]`, and watches the
//! processes and threads; the student's client talks to a scripted test server. The
//! classifier's label is not judged (students' models differ), only its reply format.
//!
//! The checks are here, beside the table; the photo server they download from is
//! `photo_server.rs`, and the course's log line and the handout's events `log_lines.rs`.

mod log_lines;
mod photo_server;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLockReadGuard};
use std::time::Duration;

use sandbox::observe;
use sandbox::process::{self as proc, Exit, Proc};

use log_lines::{EVENTS, parse_log_line};
use photo_server::PhotoServer;

use crate::checks::scripted::ScriptedServer;
use crate::checks::shared_items as shared;
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Status, Verdict};

const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests held at once for the thread-pool item: more than 4 threads x 2 workers.
const HELD: usize = 12;
/// How long the photo server holds each answer while the thread-pool item watches.
const HOLD_MS: u64 = 1500;

/// What the checks of one prefork grading share.
#[derive(Default)]
pub struct State {
    machine: Option<RwLockReadGuard<'static, ()>>,
    photos: Option<PhotoServer>,
    server: Option<Proc>,
    /// The server's output before it was stopped (Ctrl-C tracebacks are not log lines).
    server_output: String,
    /// The worker processes that existed before the first client.
    workers_before: Vec<u32>,
    /// The first request's reply.
    reply: String,
    /// Requests the server answered so far (each saves an image).
    requests: usize,
    /// Whether the server answered only once the client shut down its side.
    needs_eof: Option<String>,
    /// What the student's client sent the scripted server, and its output.
    client_sent: Option<Vec<u8>>,
    client_output: String,
}

static CHECKS: Checks<State> = Checks {
    init: State::default,
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("no-print", shared::no_print),
        Check::new("server-runs", server_runs),
        Check::new("worker-processes", worker_processes),
        Check::new("reply-format", reply_format),
        Check::new("thread-pool", thread_pool),
        Check::new("images-unique", images_unique),
        Check::new("log-events", log_events),
        Check::new("client-runs", client_runs),
        Check::new("end-protocol", end_protocol),
        Check::new("log-format", log_format),
        Check::new("runs", shared::runs),
    ],
};

/// The inference lab (course "Assignment 2 - A Multi-process TCP Server", 2018).
pub const LAB: Lab = Lab {
    name: "prefork",
    handout: include_str!("handout.md"),
    checklist_toml: include_str!("checklist.toml"),
    checks: &CHECKS,
    given: &[],
    reference: &[
        ReferenceRole {
            role: "server",
            binary: "inference-server",
            // The grader's photo server is on loopback, which the server refuses by default.
            args: &["--allow-private-urls"],
        },
        ReferenceRole::new("client", "inference-client", &[]),
    ],
    lab_tables: |checklist| checklist.ensure_lab_tables(&[]),
};

/// One request: URL then `[END]`, the write side left open unless `close_write`; the reply
/// read to end of stream.
fn request(port: u16, url: &str, timeout: Duration, close_write: bool) -> Outcome {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| (Fault::Crash, format!("connect: {e}")))?;
    stream
        .write_all(format!("{url}[END]").as_bytes())
        .map_err(|e| (Fault::Crash, format!("send: {e}")))?;
    if close_write {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    stream.set_read_timeout(Some(timeout)).ok();
    let mut reply = Vec::new();
    match stream.read_to_end(&mut reply) {
        Ok(_) => Ok(String::from_utf8_lossy(&reply).into_owned()),
        Err(e) if common::net::is_timeout(&e) => Err((
            Fault::Hang,
            format!(
                "no reply (or no end of stream) {} s after URL[END]; got {:?}",
                timeout.as_secs(),
                String::from_utf8_lossy(&reply)
            ),
        )),
        Err(e) => Err((Fault::Crash, format!("reading the reply: {e}"))),
    }
}

/// `("label", 0.995)`: a double-quoted label and a probability in [0, 1].
pub fn valid_reply(reply: &str) -> bool {
    let reply = reply.trim();
    let Some(inner) = reply.strip_prefix("(\"").and_then(|r| r.strip_suffix(')')) else {
        return false;
    };
    let Some((label, probability)) = inner.rsplit_once("\",") else {
        return false;
    };
    !label.is_empty()
        && probability
            .trim()
            .parse::<f64>()
            .is_ok_and(|p| (0.0..=1.0).contains(&p))
}

fn timeout(g: &Grader) -> Duration {
    g.step_timeout().min(Duration::from_secs(30))
}

/// `server-runs`: `server.py PORT PROCESSES` listens and answers a URL of the grader's
/// photo server with a reply. A server that answers only once the client shuts down its
/// side still runs (that is `end-protocol`'s deduction), so the rest can be assessed.
fn server_runs(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("server") {
        return Ok(Verdict::fail(Fault::Source, "server: no server.py"));
    }
    s.machine = Some(g.load_shared());
    let port = g.port();
    let processes = g.checklist.submission.processes.unwrap_or(2);
    let photos = PhotoServer::start()?;
    let work = g.workdir.work();
    let args = [port.to_string(), processes.to_string()];
    let mut server = g.spawn("server", &args, &work, "server")?;
    let started = server.wait_listening(port, START_TIMEOUT);
    let pid = server.pid();
    let command = server.command.clone();
    s.server = Some(server);
    if let Err((exit, e)) = started {
        return Ok(Verdict::fail(Fault::from(exit), format!("server: {e}")));
    }
    // Pre-fork: the workers exist before the first client.
    let before = observe::poll_until(Duration::from_secs(10), || {
        let children = observe::descendants(pid);
        (children.len() >= processes).then_some(children)
    })
    .unwrap_or_else(|| observe::descendants(pid));
    s.workers_before = before.into_iter().collect();
    let timeout = timeout(g);
    let mut first = request(port, &photos.url(0), timeout, false);
    if let Err((Fault::Hang, e)) = &first {
        // Perhaps it reads to end of stream instead of to [END]: try that, so the other
        // items can still be assessed, and fail only end-protocol.
        let again = request(port, &photos.url(0), timeout, true);
        if again.is_ok() {
            s.needs_eof = Some(e.clone());
            first = again;
        }
    }
    s.photos = Some(photos);
    Ok(match first {
        Ok(reply) => {
            let shown = reply.trim().to_owned();
            s.reply = reply;
            s.requests = 1;
            Verdict::pass(format!("server: `{command}` answered {shown:?}"))
        }
        Err((fault, e)) => {
            let tail = s.server.as_ref().map(|p| p.tail(8)).unwrap_or_default();
            Verdict::fail(fault, format!("server: {e}\n{tail}"))
        }
    })
}

/// `worker-processes`: PROCESSES children before any client.
fn worker_processes(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let processes = g.checklist.submission.processes.unwrap_or(2);
    let before = &s.workers_before;
    Ok(Verdict::judge(
        before.len() >= processes,
        Fault::WrongAnswer,
        format!(
            "before any client: {} process(es) under the main one (needs {processes}): {before:?}",
            before.len()
        ),
    ))
}

/// `reply-format`: the first reply is one `("label", p)` tuple.
fn reply_format(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let reply = s.reply.trim();
    Ok(if valid_reply(reply) {
        Verdict::pass(format!("reply {reply:?}"))
    } else {
        Verdict::fail(
            Fault::WrongAnswer,
            format!("reply {reply:?} is not (\"label\", probability)"),
        )
    })
}

/// `thread-pool`: with [`HELD`] requests held at once (the photo download slowed), no
/// worker has more than 4 of them in progress, and some worker has more than one: a pool
/// of up to 4 threads, not a thread per client and not one client at a time. Which worker
/// makes each download is read from `/proc` (the process holding its socket), so a pool
/// made at start-up counts the same as one that grows on demand.
fn thread_pool(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let port = g.port();
    let timeout = timeout(g);
    let close_write = s.needs_eof.is_some();
    let Some(photos) = &s.photos else {
        anyhow::bail!("server-runs left no photo server");
    };
    // The workers are the processes that existed before any client: a process created
    // per client is not one.
    let workers: Vec<u32> = s
        .workers_before
        .iter()
        .copied()
        .filter(|w| !observe::threads(*w).is_empty())
        .collect();
    if workers.is_empty() {
        return Ok(Verdict::not_assessed(
            "no worker process to observe (see worker-processes)",
        ));
    }
    photos.delay_ms.store(HOLD_MS, Ordering::Relaxed);
    let idle: Vec<usize> = workers.iter().map(|w| observe::threads(*w).len()).collect();
    let handles: Vec<_> = (1..=HELD)
        .map(|n| {
            let url = photos.url(n);
            std::thread::spawn(move || request(port, &url, timeout, close_write))
        })
        .collect();
    let mut peak_threads = idle.clone();
    let mut peak_downloads = vec![0usize; workers.len()];
    let mut elsewhere = 0usize;
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_millis(HOLD_MS - 100) {
        let mut downloads = vec![0usize; workers.len()];
        let mut unowned = 0;
        for client_port in photos.in_flight() {
            match observe::socket_owner(&workers, client_port)
                .and_then(|pid| workers.iter().position(|w| *w == pid))
            {
                Some(i) => downloads[i] += 1,
                None => unowned += 1,
            }
        }
        elsewhere = elsewhere.max(unowned);
        for (i, w) in workers.iter().enumerate() {
            peak_downloads[i] = peak_downloads[i].max(downloads[i]);
            peak_threads[i] = peak_threads[i].max(observe::threads(*w).len());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let replies: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(Err((Fault::Crash, "panicked".into()))))
        .collect();
    photos.delay_ms.store(0, Ordering::Relaxed);
    let answered = replies
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|r| valid_reply(r)))
        .count();
    s.requests += answered;
    let pool_ok = peak_downloads.iter().all(|d| *d <= 4) && peak_downloads.iter().any(|d| *d > 1);
    Ok(Verdict::judge(
        pool_ok,
        Fault::WrongAnswer,
        format!(
            "{HELD} requests held at once (photo download slowed to {:.1} s), {answered} answered: downloads in progress at once per worker {peak_downloads:?} (each at most 4, more than 1 in some worker){}; threads per worker idle {idle:?}, peak {peak_threads:?}",
            HOLD_MS as f64 / 1000.0,
            if elsewhere > 0 {
                format!(", up to {elsewhere} more by other processes")
            } else {
                String::new()
            }
        ),
    ))
}

/// `images-unique`: one file per answered request under `images/`.
fn images_unique(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let requests = s.requests;
    let images = std::fs::read_dir(g.workdir.work().join("images"))
        .map(|d| d.count())
        .unwrap_or(0);
    Ok(Verdict::judge(
        images >= requests,
        Fault::WrongAnswer,
        format!("{requests} request(s) answered, {images} file(s) in images/"),
    ))
}

/// Stops the student's server (Ctrl-C), keeping what it logged before: once its output has
/// been quiet for a moment (a worker may still be logging the last request it closed), and
/// before the interrupt, whose tracebacks are not log lines.
fn stop_server(s: &mut State) {
    if let Some(mut server) = s.server.take() {
        let mut last = server.output();
        let _ = observe::poll_until(Duration::from_secs(2), || {
            std::thread::sleep(Duration::from_millis(300));
            let now = server.output();
            let quiet = now.len() == last.len();
            last = now;
            quiet.then_some(())
        });
        s.server_output = last;
        server.interrupt(Duration::from_secs(5));
    }
}

/// `log-events`: the server's 8 events, each on a line in the course format from the
/// right process.
fn log_events(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    stop_server(s);
    let parsed: Vec<(&str, String)> = s
        .server_output
        .lines()
        .filter_map(|l| parse_log_line(l).map(|(p, m)| (p, m.to_lowercase())))
        .collect();
    let missing: Vec<&str> = EVENTS
        .iter()
        .filter(|(_, seen)| !parsed.iter().any(|(p, m)| seen(p, m)))
        .map(|(name, _)| *name)
        .collect();
    Ok(Verdict::judge(
        missing.is_empty(),
        Fault::WrongAnswer,
        if missing.is_empty() {
            "all 8 events logged".to_owned()
        } else {
            format!("not logged: {}", missing.join(", "))
        },
    ))
}

/// `client-runs`: `client.py 127.0.0.1 PORT URL` against a scripted server that reads to
/// `[END]` and answers `("airliner", 0.995)`: it exits 0 and shows the reply.
fn client_runs(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("client") {
        return Ok(Verdict::fail(Fault::Source, "client: no client.py"));
    }
    stop_server(s);
    g.begin_phase(&mut s.machine);
    let received = Arc::new(Mutex::new(None::<Vec<u8>>));
    let log = received.clone();
    let scripted = ScriptedServer::tcp("127.0.0.1:0", move |mut stream| {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.ends_with(b"[END]") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        let _ = stream.write_all(b"(\"airliner\", 0.995)");
        *log.lock().unwrap_or_else(|e| e.into_inner()) = Some(got);
    })?;
    let url = "http://127.0.0.1:8000/plane.jpg";
    let work = g.workdir.work();
    let args = [
        "127.0.0.1".to_owned(),
        scripted.addr().port().to_string(),
        url.to_owned(),
    ];
    let mut client = g.spawn("client", &args, &work, "client")?;
    let exit = client.wait(g.step_timeout().min(Duration::from_secs(60)));
    drop(scripted);
    s.client_output = client.output();
    s.client_sent = received.lock().unwrap_or_else(|e| e.into_inner()).take();
    let shows = s.client_output.contains("airliner");
    let evidence = format!(
        "client: `{}` against a test server: {}; sent {:?}; {} the reply",
        client.command,
        proc::describe_exit(exit),
        String::from_utf8_lossy(s.client_sent.as_deref().unwrap_or_default()),
        if shows { "shows" } else { "does not show" }
    );
    Ok(if exit == Exit::Code(0) && shows {
        Verdict::pass(evidence)
    } else {
        let fault = match exit {
            Exit::Code(0) => Fault::WrongAnswer,
            exit => Fault::from(exit),
        };
        Verdict::fail(fault, evidence)
    })
}

/// `end-protocol`: the server answers `URL[END]` while the client keeps its side open, and
/// the client sends exactly `URL[END]`.
fn end_protocol(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if let Some(e) = &s.needs_eof {
        return Ok(Verdict::fail(
            Fault::Hang,
            format!(
                "URL[END] with the connection left open: {e}; it answers only once the client shuts down its side"
            ),
        ));
    }
    let mut evidence =
        vec!["server: answers URL[END] while the client keeps its side open".to_owned()];
    if g.verdict("client-runs")
        .is_some_and(|v| v.status != Status::Failed(Fault::Source))
    {
        let sent = s.client_sent.as_deref().unwrap_or_default();
        let url = "http://127.0.0.1:8000/plane.jpg[END]";
        if sent != url.as_bytes() {
            return Ok(Verdict::fail(
                Fault::WrongAnswer,
                format!(
                    "the client sent {:?}, not URL[END]",
                    String::from_utf8_lossy(sent)
                ),
            ));
        }
        evidence.push("client: sends URL[END]".into());
    }
    Ok(Verdict::pass(evidence.join("\n")))
}

/// `log-format`: every line the server and the client printed is in the course format.
fn log_format(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    let server = lines(&s.server_output);
    let bad: Vec<&String> = server
        .iter()
        .filter(|l| parse_log_line(l).is_none())
        .collect();
    if server.is_empty() || !bad.is_empty() {
        return Ok(Verdict::fail(
            Fault::WrongAnswer,
            match bad.first() {
                Some(line) => format!(
                    "{} of {} server lines not in the course format, e.g. {line:?}",
                    bad.len(),
                    server.len()
                ),
                None => "the server logged nothing".to_owned(),
            },
        ));
    }
    let client = lines(&s.client_output);
    if client.iter().any(|l| parse_log_line(l).is_none()) {
        return Ok(Verdict::fail(
            Fault::WrongAnswer,
            format!(
                "the client's output is not all in the course format:\n{}",
                proc::tail(&s.client_output, 4)
            ),
        ));
    }
    Ok(Verdict::pass(format!(
        "all {} server and {} client lines in the course format",
        server.len(),
        client.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_and_log_lines() {
        assert!(valid_reply("(\"airliner\", 0.995)\n"));
        assert!(valid_reply("(\"lesser panda\", 1.000)"));
        assert!(!valid_reply("('airliner', 0.995)"));
        assert!(!valid_reply("(\"airliner\", 1.5)"));
        let line =
            "[2018-02-11 08:45:22,509] [INFO] [Process-3] [Thread-4] : Client connection closed";
        assert_eq!(
            parse_log_line(line),
            Some(("Process-3", "Client connection closed"))
        );
        assert_eq!(parse_log_line("Listening on port 5"), None);
    }
}
