//! The inference (pre-fork) lab, black-box: the grader serves a photo over loopback HTTP,
//! starts `server.py PORT PROCESSES`, sends URLs ending with `[END]`, and watches the
//! processes and threads; the student's client talks to a scripted test server. The
//! classifier's label is not judged (students' models differ), only its reply format.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::grade::{Grader, Program, reference_binary};
use crate::observe;
use crate::report::{Fault, Status};
use crate::sandbox::{self, Exit};

const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests held at once for the thread-pool item: more than 4 threads x 2 workers.
const HELD: usize = 12;

/// Grades a prefork submission (or, with `--reference`, `inference-server`).
pub fn run(g: &mut Grader) -> anyhow::Result<()> {
    g.static_items(None);
    if g.reference {
        let server = reference_binary(g.opts.reference_bin_dir.as_deref(), "inference-server")?;
        g.programs
            .insert("server".into(), Program::Binary(server, Vec::new()));
        let client = reference_binary(g.opts.reference_bin_dir.as_deref(), "inference-client")?;
        g.programs
            .insert("client".into(), Program::Binary(client, Vec::new()));
    }
    let _shared = g.load_shared();
    let mut evidence = Vec::new();
    let mut failure: Option<Fault> = None;
    if g.programs.contains_key("server") {
        server_side(g, &mut evidence, &mut failure)?;
    } else {
        failure = Some(Fault::Source);
        evidence.push("server: no server.py".to_owned());
    }
    if g.programs.contains_key("client") {
        g.in_fresh_namespace(|g| client_side(g, &mut evidence, &mut failure))?;
    } else {
        failure = Some(Fault::Source);
        evidence.push("client: no client.py".to_owned());
    }
    let status = match failure {
        None => Status::Passed,
        Some(fault) => Status::Failed(fault),
    };
    g.set("runs", status, evidence.join("\n"));
    Ok(())
}

/// A loopback HTTP server handing out one PNG, each answer delayed by `delay` ms.
struct PhotoServer {
    addr: SocketAddr,
    delay_ms: Arc<AtomicU64>,
}

impl PhotoServer {
    fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let delay_ms = Arc::new(AtomicU64::new(0));
        let delay = delay_ms.clone();
        let photo = Arc::new(crate::payload::test_photo());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (delay, photo) = (delay.clone(), photo.clone());
                std::thread::spawn(move || {
                    serve_photo(stream, &photo, delay.load(Ordering::Relaxed))
                });
            }
        });
        Ok(Self { addr, delay_ms })
    }

    fn url(&self, n: usize) -> String {
        format!("http://{}/photo-{n}.png", self.addr)
    }
}

fn serve_photo(mut stream: TcpStream, photo: &[u8], delay_ms: u64) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
        if request.len() > 16 * 1024 {
            return;
        }
    }
    std::thread::sleep(Duration::from_millis(delay_ms));
    let head = format!(
        "HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        photo.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(photo);
}

/// One request: URL then `[END]`, the write side left open unless `close_write`; the reply
/// read to end of stream.
fn request(
    port: u16,
    url: &str,
    timeout: Duration,
    close_write: bool,
) -> Result<String, (Fault, String)> {
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

/// A log line in the course format: `[date time,ms] [LEVEL] [process] [thread] : message`.
/// Returns (process, message).
pub fn parse_log_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (stamp, rest) = rest.split_once("] [")?;
    let bytes = stamp.as_bytes();
    let stamp_ok = stamp.len() == 23
        && bytes[4] == b'-'
        && bytes[10] == b' '
        && bytes[19] == b','
        && stamp.chars().filter(char::is_ascii_digit).count() == 17;
    let (level, rest) = rest.split_once("] [")?;
    let (process, rest) = rest.split_once("] [")?;
    let (_thread, message) = rest.split_once("] : ")?;
    (stamp_ok && level.chars().all(|c| c.is_ascii_uppercase())).then_some((process, message))
}

fn server_side(
    g: &mut Grader,
    evidence: &mut Vec<String>,
    failure: &mut Option<Fault>,
) -> anyhow::Result<()> {
    let port = g.checklist.submission.port;
    let processes = g.checklist.submission.processes.unwrap_or(2);
    let photos = PhotoServer::start()?;
    let work = g.sandbox.work();
    let mut args = vec![port.to_string(), processes.to_string()];
    if g.reference {
        args.push("--allow-private-urls".into());
    }
    let dependents = [
        "worker-processes",
        "thread-pool",
        "end-protocol",
        "reply-format",
        "log-events",
        "log-format",
        "images-unique",
    ];
    let mut server = g.spawn("server", &args, &work, "server")?;
    if let Err((fault, e)) = server.wait_listening(port, START_TIMEOUT) {
        *failure = Some(fault);
        evidence.push(format!("server: {e}"));
        for id in dependents {
            g.not_assessed(id, "depends on runs: the server did not start listening");
        }
        return Ok(());
    }
    let pid = server.pid();
    // Pre-fork: the workers exist before the first client.
    let before = observe::poll_until(Duration::from_secs(10), || {
        let children = observe::descendants(pid);
        (children.len() >= processes).then_some(children)
    })
    .unwrap_or_else(|| observe::descendants(pid));
    let timeout = g.opts.step_timeout.min(Duration::from_secs(30));
    let mut close_write = false;
    let mut first = request(port, &photos.url(0), timeout, false);
    if let Err((Fault::Hang, e)) = &first {
        // Perhaps it reads to end of stream instead of to [END]: try that, so the other
        // items can still be assessed, and fail only end-protocol.
        let again = request(port, &photos.url(0), timeout, true);
        if again.is_ok() {
            g.set(
                "end-protocol",
                Status::Failed(Fault::Hang),
                format!("URL[END] with the connection left open: {e}; it answers only once the client shuts down its side"),
            );
            close_write = true;
            first = again;
        }
    }
    match &first {
        Ok(reply) => {
            evidence.push(format!(
                "server: `{}` answered {:?}",
                server.command,
                reply.trim()
            ));
            if !g.has("end-protocol") {
                g.set(
                    "end-protocol",
                    Status::Passed,
                    "answers URL[END] while the client keeps its side open",
                );
            }
            if valid_reply(reply) {
                g.set(
                    "reply-format",
                    Status::Passed,
                    format!("reply {:?}", reply.trim()),
                );
            } else {
                g.set(
                    "reply-format",
                    Status::Failed(Fault::WrongAnswer),
                    format!("reply {:?} is not (\"label\", probability)", reply.trim()),
                );
            }
        }
        Err((fault, e)) => {
            *failure = Some(*fault);
            evidence.push(format!("server: {e}\n{}", server.tail(8)));
            for id in dependents {
                g.not_assessed(id, "depends on runs: the server did not answer a request");
            }
            return Ok(());
        }
    }
    g.judge(
        "worker-processes",
        before.len() >= processes,
        Fault::WrongAnswer,
        format!(
            "before any client: {} process(es) under the main one (needs {processes}): {before:?}",
            before.len()
        ),
    );
    // Hold HELD requests at once: the photo server answers after 1.5 s.
    photos.delay_ms.store(1500, Ordering::Relaxed);
    // The workers are the processes that existed before any client: a process created
    // per client is not one.
    let workers: Vec<u32> = before
        .iter()
        .copied()
        .filter(|w| !observe::threads(*w).is_empty())
        .collect();
    let idle: Vec<usize> = workers.iter().map(|w| observe::threads(*w).len()).collect();
    let handles: Vec<_> = (1..=HELD)
        .map(|n| {
            let url = photos.url(n);
            std::thread::spawn(move || request(port, &url, timeout, close_write))
        })
        .collect();
    let mut peak = vec![0usize; workers.len()];
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_millis(1400) {
        for (i, w) in workers.iter().enumerate() {
            peak[i] = peak[i].max(observe::threads(*w).len());
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
    let extra: Vec<usize> = peak
        .iter()
        .zip(&idle)
        .map(|(p, i)| p.saturating_sub(*i))
        .collect();
    let pool_ok = extra.iter().all(|e| *e <= 4) && extra.iter().sum::<usize>() > 1;
    if workers.is_empty() {
        g.not_assessed(
            "thread-pool",
            "depends on worker-processes: no worker process to observe",
        );
    } else {
        g.judge(
        "thread-pool",
        pool_ok,
        Fault::WrongAnswer,
        format!(
            "{HELD} requests held at once (photo download slowed to 1.5 s), {answered} answered: threads per worker idle {idle:?}, peak {peak:?}, extra {extra:?} (each at most 4, more than 1 in all)"
        ),
    );
    }
    let images = std::fs::read_dir(work.join("images"))
        .map(|d| d.count())
        .unwrap_or(0);
    g.judge(
        "images-unique",
        images > HELD,
        Fault::WrongAnswer,
        format!("{} requests, {images} file(s) in images/", HELD + 1),
    );
    // Judged before the interrupt: Ctrl-C tracebacks are not log lines.
    let output = server.output();
    server.interrupt(Duration::from_secs(5));
    log_items(g, &output);
    Ok(())
}

/// A log event: its name, and whether a line (process, lower-cased message) reports it.
type Event = (&'static str, fn(&str, &str) -> bool);

fn is_main(process: &str) -> bool {
    process == "MainProcess"
}

fn log_items(g: &mut Grader, output: &str) {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let parsed: Vec<(&str, String)> = lines
        .iter()
        .filter_map(|l| parse_log_line(l).map(|(p, m)| (p, m.to_lowercase())))
        .collect();
    let bad: Vec<&&str> = lines
        .iter()
        .filter(|l| parse_log_line(l).is_none())
        .collect();
    g.judge(
        "log-format",
        bad.is_empty() && !lines.is_empty(),
        Fault::WrongAnswer,
        match bad.first() {
            Some(line) => format!(
                "{} of {} lines not in the course format, e.g. {line:?}",
                bad.len(),
                lines.len()
            ),
            None => format!("all {} lines in the course format", lines.len()),
        },
    );
    let events: [Event; 8] = [
        ("listening", |_, m| m.contains("listen")),
        ("process created", |p, m| {
            is_main(p) && m.contains("process") && m.contains("creat")
        }),
        ("client connected (main process)", |p, m| {
            is_main(p) && m.contains("connect")
        }),
        ("client received (worker)", |p, m| {
            !is_main(p) && m.contains("receiv") && m.contains("client")
        }),
        ("URL received (worker)", |p, m| {
            !is_main(p) && m.contains("url")
        }),
        ("image saved (worker)", |p, m| {
            !is_main(p) && m.contains("saved")
        }),
        ("SqueezeNet result (worker)", |p, m| {
            !is_main(p) && (m.contains("squeezenet") || m.contains("result"))
        }),
        ("connection closed (worker)", |p, m| {
            !is_main(p) && m.contains("closed")
        }),
    ];
    let missing: Vec<&str> = events
        .iter()
        .filter(|(_, seen)| !parsed.iter().any(|(p, m)| seen(p, m)))
        .map(|(name, _)| *name)
        .collect();
    g.judge(
        "log-events",
        missing.is_empty(),
        Fault::WrongAnswer,
        if missing.is_empty() {
            "all 8 events logged".to_owned()
        } else {
            format!("not logged: {}", missing.join(", "))
        },
    );
}

fn client_side(
    g: &mut Grader,
    evidence: &mut Vec<String>,
    failure: &mut Option<Fault>,
) -> anyhow::Result<()> {
    // A scripted server: reads to [END], answers, closes.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let received = std::thread::spawn(move || -> Option<Vec<u8>> {
        let (mut stream, _) = listener.accept().ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.ends_with(b"[END]") {
            let n = stream.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        stream.write_all(b"(\"airliner\", 0.995)").ok()?;
        Some(got)
    });
    let url = "http://127.0.0.1:8000/plane.jpg";
    let work = g.sandbox.work();
    let args = vec!["127.0.0.1".to_owned(), port.to_string(), url.to_owned()];
    let mut client = g.spawn("client", &args, &work, "client")?;
    let exit = client.wait(g.opts.step_timeout.min(Duration::from_secs(60)));
    let got = if exit == Exit::Timeout {
        None
    } else {
        received.join().ok().flatten()
    };
    let output = client.output();
    let sent_ok = got.as_deref() == Some(format!("{url}[END]").as_bytes());
    let shows = output.contains("airliner");
    if exit != Exit::Code(0) || !shows {
        failure.get_or_insert(if exit == Exit::Timeout {
            Fault::Hang
        } else if exit == Exit::Code(0) {
            Fault::WrongAnswer
        } else {
            Fault::Crash
        });
    }
    evidence.push(format!(
        "client: `{}` against a test server: {}; sent {:?}; {} the reply",
        client.command,
        sandbox::describe_exit(exit),
        got.as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default(),
        if shows { "shows" } else { "does not show" }
    ));
    if !sent_ok && g.has("end-protocol") {
        g.set(
            "end-protocol",
            Status::Failed(Fault::WrongAnswer),
            format!(
                "the client sent {:?}, not URL[END]",
                got.as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default()
            ),
        );
    }
    if g.has("log-format")
        && !output
            .lines()
            .filter(|l| !l.trim().is_empty())
            .all(|l| parse_log_line(l).is_some())
    {
        g.set(
            "log-format",
            Status::Failed(Fault::WrongAnswer),
            format!(
                "the client's output is not all in the course format:\n{}",
                sandbox::tail(&output, 4)
            ),
        );
    }
    Ok(())
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
