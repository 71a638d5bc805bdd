//! The recognition project (CS655 mini project), static and black-box.
//!
//! The worker is spoken to with the course protocol itself, through the reference's own code
//! ([`recognition_protocol`]): one clean exchange, then one whose size packet carries a
//! wrong checksum and must be NACKed. The web front end runs in front of two scripted
//! stand-in workers of the grader's ([`StandIn`]: a fixed top 5 each, and a count of the
//! photos they were sent), so the grader knows which worker served each upload: the upload
//! page, round robin over `/add` and `/del`, and what happens when a worker is killed are
//! all observed from outside, without a model.

use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLockReadGuard};
use std::time::Duration;

use base64::Engine as _;
use recognition_protocol::{self as protocol, Answer, Connection, Limits, ProtocolError};

use crate::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grader::Grader;
use crate::proc::Proc;
use crate::report::{Fault, Verdict};
use crate::scripted::ScriptedServer;
use crate::shared_items as shared;

/// The web front end's port (the handout's 9999; the checklist's `submission.port`).
const WEB_PORT: u16 = 9999;
/// The port the student's worker is started on (the course demo's 8888).
const WORKER_PORT: u16 = 8888;
/// Stand-in worker A's top 5.
const TOP5_A: &str =
    "lesser panda:0.912000,giant panda:0.041000,koala:0.020000,wombat:0.015000,polecat:0.012000";
/// Stand-in worker B's top 5: no label in common with A's.
const TOP5_B: &str =
    "flamingo:0.874000,spoonbill:0.066000,crane:0.030000,goose:0.020000,pelican:0.010000";
/// Uploads that must alternate over two workers.
const ROUND_ROBIN_UPLOADS: usize = 4;
/// Uploads after a worker is killed: enough to run into it and go on without it.
const AFTER_KILL_UPLOADS: usize = 4;

/// A part of an item's check: `Ok(evidence)` or `Err((fault, evidence))`.
type Outcome = Result<String, (Fault, String)>;

/// What the checks of one recognition grading share.
#[derive(Default)]
pub struct State {
    machine: Option<RwLockReadGuard<'static, ()>>,
    /// The front end in front of the two stand-ins, once its upload page worked.
    front_end: Option<FrontEnd>,
}

static CHECKS: Checks<State> = Checks {
    init: State::default,
    table: &[
        Check {
            id: "file-names",
            run: shared::file_names,
        },
        Check {
            id: "allowed-packages",
            run: shared::imports,
        },
        Check {
            id: "pep8",
            run: shared::pep8,
        },
        Check {
            id: "sockets-between-nodes",
            run: sockets_between_nodes,
        },
        Check {
            id: "worker-protocol",
            run: worker_protocol_check,
        },
        Check {
            id: "upload-page",
            run: upload_page_check,
        },
        Check {
            id: "add-remove-workers",
            run: add_remove_check,
        },
        Check {
            id: "failed-worker-ejected",
            run: ejection_check,
        },
    ],
};

/// The course mini project "Image Recognition Application" (CS655).
pub const LAB: Lab = Lab {
    name: "recognition",
    handout: include_str!("../../handouts/recognition.md"),
    checklist_toml: include_str!("../../checklists/recognition.toml"),
    checks: &CHECKS,
    reference: &[
        ReferenceRole {
            role: "web",
            binary: "recognition-gateway",
            // The course removes a failed worker at once and never probes it: eject after
            // one failure, and probe too rarely to re-admit anyone during a grading.
            args: &[
                "--host",
                "127.0.0.1",
                "--port",
                "9999",
                "--eject-after",
                "1",
                "--probe-interval-ms",
                "3600000",
            ],
        },
        ReferenceRole {
            role: "worker",
            binary: "recognition-worker",
            args: &[],
        },
    ],
};

/// Takes a share of the machine and a fresh network namespace for a phase.
fn phase(g: &mut Grader, s: &mut State) {
    if s.machine.is_none() {
        s.machine = Some(g.load_shared());
    }
    g.fresh_namespace();
}

/// `worker-protocol` (see [`worker_protocol`]).
fn worker_protocol_check(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("worker") {
        return Ok(Verdict::fail(Fault::Source, "no worker.py"));
    }
    phase(g, s);
    Ok(Verdict::from(worker_protocol(g)))
}

/// `upload-page`: the front end starts, its page has an upload form, and a photo uploaded
/// through it reaches a worker added with `/add` and comes back named on the page.
fn upload_page_check(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("web") {
        return Ok(Verdict::fail(Fault::Source, "no web.py"));
    }
    phase(g, s);
    Ok(match upload_page(g) {
        Ok(mut run) => {
            let evidence = std::mem::take(&mut run.evidence).join("\n");
            s.front_end = Some(run);
            Verdict::pass(evidence)
        }
        Err((fault, evidence)) => Verdict::fail(fault, evidence),
    })
}

/// The front end left running by `upload-page`.
fn front_end(s: &mut State) -> anyhow::Result<&mut FrontEnd> {
    s.front_end
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("upload-page left no front end running"))
}

/// `add-remove-workers` (see [`add_remove`]).
fn add_remove_check(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    Ok(Verdict::from(add_remove(front_end(s)?)))
}

/// `failed-worker-ejected` (see [`ejection`]); stops the front end after.
fn ejection_check(_: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let run = front_end(s)?;
    let verdict = Verdict::from(ejection(run));
    run.web.interrupt(Duration::from_secs(2));
    Ok(verdict)
}

/// `sockets-between-nodes`, from the AST: web.py connects with `socket` (`connect` or
/// `create_connection`), worker.py listens and serves connections on threads.
fn sockets_between_nodes(g: &mut Grader, _: &mut State) -> anyhow::Result<Verdict> {
    if g.reference {
        return Ok(Verdict::not_assessed(
            "the reference is Rust, not Python source",
        ));
    }
    let Some(facts) = g.facts.clone() else {
        return Ok(Verdict::not_assessed("no Python files to inspect"));
    };
    let mut missing = Vec::new();
    let mut found = Vec::new();
    // Each inner list: names of which one must be used.
    let needs: [(&str, &[&[&str]]); 2] = [
        ("web", &[&["socket"], &["connect", "create_connection"]]),
        ("worker", &[&["socket"], &["listen"], &["Thread"]]),
    ];
    for (role, names) in needs {
        let Some(file) = g.python_file(role) else {
            missing.push(format!("no {role}.py"));
            continue;
        };
        for any in names {
            match any
                .iter()
                .find_map(|name| Some((name, facts.uses(&file, name)?)))
            {
                Some((name, line)) => found.push(format!("{file}:{line}: uses {name}")),
                None => missing.push(format!("{file}: never uses {}", any.join(" or "))),
            }
        }
    }
    let evidence = found
        .into_iter()
        .chain(missing.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Verdict::judge(missing.is_empty(), Fault::Source, evidence))
}

/// The fault a failed exchange shows: no answer in time is a hang, a closed or reset
/// connection a crash, anything the protocol does not allow a wrong answer.
fn protocol_fault(error: &ProtocolError) -> Fault {
    match error {
        ProtocolError::TimedOut { .. } => Fault::Hang,
        ProtocolError::Closed(_) | ProtocolError::Io(_) => Fault::Crash,
        ProtocolError::TooLarge { .. }
        | ProtocolError::TooManyNacks(..)
        | ProtocolError::Unexpected(_) => Fault::WrongAnswer,
    }
}

/// Limits for talking to a student's worker: a real model may take a while on its first
/// photo, so the whole exchange gets the step timeout (at most 60 s).
fn limits(g: &Grader) -> Limits {
    Limits {
        timeout: g.step_timeout().min(Duration::from_secs(60)),
        ..Limits::default()
    }
}

/// The arguments that start the worker role on `127.0.0.1:port`: `worker.py IP PORT` (the
/// handout), or the reference's `--host`/`--port`.
fn worker_args(g: &Grader, port: u16) -> Vec<String> {
    if g.reference {
        vec![
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string(),
        ]
    } else {
        vec!["127.0.0.1".into(), port.to_string()]
    }
}

/// Checks a result: `label:p` pairs, at least one; returns them as text for the evidence.
fn check_result(data: &[u8]) -> Outcome {
    match protocol::parse_result(data) {
        Ok(Answer::Labels(labels)) if !labels.is_empty() => Ok(labels
            .iter()
            .map(|l| format!("{}:{}", l.label, l.probability))
            .collect::<Vec<_>>()
            .join(",")),
        Ok(Answer::Labels(_)) => Err((Fault::WrongAnswer, "an empty result".into())),
        Ok(Answer::BadImage(reason)) => Err((
            Fault::WrongAnswer,
            format!("the worker could not use a 64x64 PNG: {reason}"),
        )),
        Err(e) => Err((
            Fault::WrongAnswer,
            format!("{e}, not label:probability pairs"),
        )),
    }
}

/// `worker-protocol`: a clean exchange, then one whose size packet is damaged.
fn worker_protocol(g: &mut Grader) -> Outcome {
    let work = g.workdir.work();
    let args = worker_args(g, WORKER_PORT);
    let mut worker = g
        .spawn("worker", &args, &work, "worker")
        .map_err(|e| (Fault::Crash, format!("{e:#}")))?;
    worker
        .wait_listening(WORKER_PORT, g.step_timeout().min(Duration::from_secs(60)))
        .map_err(|(fault, e)| (fault, format!("worker: {e}")))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], WORKER_PORT));
    let photo = crate::payload::test_photo();
    let text = base64::engine::general_purpose::STANDARD.encode(&photo);
    let limits = limits(g);
    let connect_timeout = Duration::from_secs(10);
    let mut evidence = vec![format!(
        "`{}`; a 64x64 PNG as {} bytes of base64",
        worker.command,
        text.len()
    )];
    let failed = |worker: &mut Proc, evidence: &[String], what: &str, error: (Fault, String)| {
        let fault = if worker.poll().is_some() {
            Fault::Crash
        } else {
            error.0
        };
        Err((
            fault,
            format!(
                "{}\n{what}: {}\n{}",
                evidence.join("\n"),
                error.1,
                worker.tail(8)
            ),
        ))
    };
    // 1. A clean exchange: D <n> <ck>, A, D <base64> <ck>, A, D <result> <ck>, A.
    let clean = Connection::connect(addr, connect_timeout, limits)
        .and_then(|mut conn| protocol::request(&mut conn, text.as_bytes()))
        .map_err(|e| (protocol_fault(&e), e.to_string()))
        .and_then(|data| check_result(&data));
    match clean {
        Ok(result) => evidence.push(format!("clean exchange: result {result}")),
        Err(error) => return failed(&mut worker, &evidence, "clean exchange", error),
    }
    // 2. The size packet with its checksum off by one must be NACKed; sent again intact,
    //    the exchange goes on as usual.
    let size = protocol::encode_data(text.len().to_string().as_bytes());
    let damaged = protocol::corrupt(&size);
    let nacked = (|| -> Result<Result<String, (Fault, String)>, ProtocolError> {
        let mut conn = Connection::connect(addr, connect_timeout, limits)?;
        conn.send(&damaged)?;
        if conn.read_ack("damaged size packet")? {
            return Ok(Err((
                Fault::WrongAnswer,
                format!(
                    "ACKed {:?}, whose checksum is wrong",
                    String::from_utf8_lossy(&damaged)
                ),
            )));
        }
        conn.send_until_acked(&size, "size packet")?;
        conn.send_until_acked(&protocol::encode_data(text.as_bytes()), "image packet")?;
        let data = match conn.read_small("result packet")? {
            Ok(data) => data,
            Err(e) => return Ok(Err((Fault::WrongAnswer, format!("result packet: {e}")))),
        };
        conn.send(&[protocol::ACK])?;
        Ok(check_result(&data))
    })();
    let outcome = match nacked {
        Ok(outcome) => outcome,
        Err(e) => Err((protocol_fault(&e), e.to_string())),
    };
    match outcome {
        Ok(result) => evidence.push(format!(
            "damaged size packet {:?}: NACKed; sent again intact: result {result}",
            String::from_utf8_lossy(&damaged)
        )),
        Err(error) => return failed(&mut worker, &evidence, "damaged size packet", error),
    }
    worker.interrupt(Duration::from_secs(2));
    Ok(evidence.join("\n"))
}

/// A scripted recognition worker: answers every exchange with a fixed top 5, counts the
/// photos it was sent and keeps the last one. Stops listening when killed or dropped.
struct StandIn {
    server: ScriptedServer,
    top5: &'static str,
    served: Arc<AtomicUsize>,
    last_photo: Arc<Mutex<Vec<u8>>>,
}

impl StandIn {
    /// Listens on `addr` (port 0: a free one).
    fn start(addr: SocketAddr, top5: &'static str) -> std::io::Result<Self> {
        let served = Arc::new(AtomicUsize::new(0));
        let last_photo = Arc::new(Mutex::new(Vec::new()));
        let (count, photo) = (served.clone(), last_photo.clone());
        let server = ScriptedServer::tcp(addr, move |stream| serve(stream, top5, &count, &photo))?;
        Ok(Self {
            server,
            top5,
            served,
            last_photo,
        })
    }

    fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Photos received so far.
    fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }

    /// The top label, which the page must name.
    fn label(&self) -> &'static str {
        self.top5.split(':').next().unwrap_or_default()
    }

    /// Closes the listener: further connections are refused, as if the worker died.
    fn kill(&mut self) {
        self.server.stop();
    }
}

fn serve(stream: TcpStream, top5: &str, served: &AtomicUsize, last_photo: &Mutex<Vec<u8>>) {
    let Ok(mut conn) = Connection::new(stream, Limits::default()) else {
        return;
    };
    let Ok(text) = protocol::receive_image(&mut conn) else {
        return;
    };
    *last_photo.lock().unwrap_or_else(|e| e.into_inner()) =
        base64::engine::general_purpose::STANDARD
            .decode(&text)
            .unwrap_or_default();
    served.fetch_add(1, Ordering::SeqCst);
    let _ = protocol::respond(&mut conn, top5.as_bytes());
}

/// An HTTP answer: status and body.
struct Page {
    status: u16,
    body: String,
}

/// HTTP to the front end on loopback, each request bounded by the step timeout.
struct Browser {
    agent: ureq::Agent,
    base: String,
}

impl Browser {
    fn new(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Loopback only: never through a proxy from the environment.
            .proxy(None)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Self {
            agent,
            base: format!("http://127.0.0.1:{WEB_PORT}"),
        }
    }

    fn page(
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<Page, (Fault, String)> {
        let mut response = response.map_err(|e| match e {
            ureq::Error::Timeout(_) => (Fault::Hang, format!("{what}: no answer in time ({e})")),
            e => (Fault::Crash, format!("{what}: {e}")),
        })?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_string()
            .map_err(|e| (Fault::Crash, format!("{what}: reading the page: {e}")))?;
        Ok(Page { status, body })
    }

    fn get(&self, path: &str) -> Result<Page, (Fault, String)> {
        let what = format!("GET {path}");
        Self::page(self.agent.get(format!("{}{path}", self.base)).call(), &what)
    }

    /// Posts `photo` as a one-file multipart form.
    fn upload(&self, form: &Form, photo: &[u8]) -> Result<Page, (Fault, String)> {
        let boundary = "----labs-grader-7f3a9c";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n",
            form.field
        )
        .into_bytes();
        body.extend_from_slice(photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let what = format!("POST {} (field {:?})", form.action, form.field);
        Self::page(
            self.agent
                .post(format!("{}{}", self.base, form.action))
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .send(&body[..]),
            &what,
        )
    }
}

/// Where the upload form posts, and its file field.
#[derive(Debug, Clone, PartialEq)]
struct Form {
    action: String,
    field: String,
}

/// The value of attribute `name` in an HTML tag (quoted or not), case-insensitive name.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let start = from + found;
        from = start + name.len();
        let before_ok = lower[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag[offset..].trim_start();
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next()?.to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()?
                .to_owned(),
        });
    }
    None
}

/// The HTML tags named `name` in `html` (from `<` to `>`).
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&open) {
        let start = from + i;
        let end = lower[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        let next = lower[start + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '>' || c == '/') {
            found.push(&html[start..end]);
        }
        from = end.max(start + 1);
    }
    found
}

/// Finds the upload form on a page: a `<form method="post" enctype="multipart/form-data">`
/// holding an `<input type="file" name=...>`. The action is resolved against `/`.
fn upload_form(html: &str) -> Result<Form, String> {
    let forms = tags(html, "form");
    let inputs: Vec<&str> = tags(html, "input")
        .into_iter()
        .filter(|t| attribute(t, "type").is_some_and(|v| v.eq_ignore_ascii_case("file")))
        .collect();
    let Some(input) = inputs.first() else {
        return Err("no <input type=\"file\"> on the page".into());
    };
    let Some(field) = attribute(input, "name").filter(|n| !n.is_empty()) else {
        return Err(format!("the file input {input:?} has no name"));
    };
    // The form holding the file input: the last one that opens before it.
    let position = html.find(input).unwrap_or(0);
    let Some(form) = forms
        .iter()
        .rev()
        .find(|f| html.find(**f).is_some_and(|p| p < position))
    else {
        return Err("the file input is not inside a <form>".into());
    };
    let method = attribute(form, "method").unwrap_or_default();
    if !method.eq_ignore_ascii_case("post") {
        return Err(format!("{form:?} does not post (method {method:?})"));
    }
    let enctype = attribute(form, "enctype").unwrap_or_default();
    if !enctype.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "{form:?} is not enctype=\"multipart/form-data\": a browser would not send the file"
        ));
    }
    let action = attribute(form, "action").unwrap_or_default();
    let action = match action.as_str() {
        "" => "/".to_owned(),
        a if a.starts_with('/') => a.to_owned(),
        a if a.starts_with("http://") || a.starts_with("https://") => {
            let path = a.splitn(4, '/').nth(3).unwrap_or_default();
            format!("/{path}")
        }
        a => format!("/{a}"),
    };
    Ok(Form { action, field })
}

/// What one upload did: which stand-in served it, and whether the page named its label.
#[derive(Debug)]
struct Upload {
    /// `A`, `B`, `-` (none), or `AB` (more than one: a retry).
    served_by: String,
    /// The page named the top label of the worker that answered last.
    named: bool,
    /// HTTP status.
    status: u16,
}

impl Upload {
    fn describe(&self) -> String {
        format!(
            "{} {}{}",
            self.status,
            self.served_by,
            if self.named {
                ""
            } else {
                " (label not on the page)"
            }
        )
    }
}

/// A front end running in front of the two stand-ins, with the form found on its page.
struct FrontEnd {
    web: Proc,
    browser: Browser,
    form: Form,
    photo: Vec<u8>,
    a: StandIn,
    b: StandIn,
    evidence: Vec<String>,
}

impl FrontEnd {
    /// `GET /add/IP:PORT` or `/del/IP:PORT`; a 2xx answer is success.
    fn change(&mut self, verb: &str, addr: SocketAddr) -> Result<(), (Fault, String)> {
        let path = format!("/{verb}/{addr}");
        let page = self.browser.get(&path).map_err(|e| self.blame(e))?;
        if (200..300).contains(&page.status) {
            Ok(())
        } else {
            Err(self.blame((
                Fault::WrongAnswer,
                format!("GET {path}: status {}", page.status),
            )))
        }
    }

    /// Uploads the photo and sees which stand-in served it.
    fn upload(&mut self) -> Result<Upload, (Fault, String)> {
        let (a, b) = (self.a.served(), self.b.served());
        let page = self
            .browser
            .upload(&self.form, &self.photo)
            .map_err(|e| self.blame(e))?;
        let (da, db) = (self.a.served() - a, self.b.served() - b);
        let served_by = match (da, db) {
            (0, 0) => "-".to_owned(),
            _ => format!("{}{}", "A".repeat(da), "B".repeat(db)),
        };
        let label = if db > 0 {
            self.b.label()
        } else {
            self.a.label()
        };
        Ok(Upload {
            named: page.body.contains(label),
            served_by,
            status: page.status,
        })
    }

    /// Uploads that must all succeed: a 2xx page naming the label.
    fn uploads(&mut self, count: usize, what: &str) -> Result<Vec<Upload>, (Fault, String)> {
        let mut done = Vec::new();
        for _ in 0..count {
            let upload = self.upload()?;
            let ok = (200..300).contains(&upload.status) && upload.named;
            done.push(upload);
            if !ok {
                let fault = if done.last().is_some_and(|u| u.status >= 500) {
                    Fault::Crash
                } else {
                    Fault::WrongAnswer
                };
                return Err(self.blame((
                    fault,
                    format!(
                        "{what}: uploads answered {}",
                        done.iter()
                            .map(Upload::describe)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )));
            }
        }
        Ok(done)
    }

    /// A failure's evidence with the front end's last output; a front end that exited is
    /// a crash whatever the symptom.
    fn blame(&mut self, (fault, evidence): (Fault, String)) -> (Fault, String) {
        let fault = if self.web.poll().is_some() {
            Fault::Crash
        } else {
            fault
        };
        let mut lines = self.evidence.clone();
        lines.push(evidence);
        (
            fault,
            format!("{}\nweb: {}", lines.join("\n"), self.web.tail(6)),
        )
    }
}

/// Starts the front end, finds the form, adds stand-in A and uploads the photo.
fn upload_page(g: &mut Grader) -> Result<FrontEnd, (Fault, String)> {
    let a = StandIn::start(SocketAddr::from(([127, 0, 0, 1], 0)), TOP5_A)
        .map_err(|e| (Fault::Crash, format!("the grader's stand-in worker: {e}")))?;
    let b = StandIn::start(SocketAddr::from(([127, 0, 0, 1], 0)), TOP5_B)
        .map_err(|e| (Fault::Crash, format!("the grader's stand-in worker: {e}")))?;
    let work = g.workdir.work();
    let mut web = g
        .spawn("web", &[], &work, "web")
        .map_err(|e| (Fault::Crash, format!("{e:#}")))?;
    web.wait_listening(WEB_PORT, g.step_timeout().min(Duration::from_secs(60)))
        .map_err(|(fault, e)| (fault, format!("web: {e}")))?;
    let browser = Browser::new(g.step_timeout().min(Duration::from_secs(60)));
    let mut evidence = vec![format!(
        "`{}` with stand-in workers A {} ({}) and B {} ({})",
        web.command,
        a.addr(),
        a.label(),
        b.addr(),
        b.label()
    )];
    let home = match browser.get("/") {
        Ok(page) if (200..300).contains(&page.status) => page,
        Ok(page) => {
            return Err((
                Fault::WrongAnswer,
                format!("GET /: status {}\n{}", page.status, web.tail(6)),
            ));
        }
        Err((fault, e)) => return Err((fault, format!("{e}\n{}", web.tail(6)))),
    };
    let form = upload_form(&home.body).map_err(|e| {
        (
            Fault::WrongAnswer,
            format!(
                "GET /: {e}; the page:\n{}",
                crate::proc::tail(&home.body, 12)
            ),
        )
    })?;
    evidence.push(format!(
        "GET /: a form posting the file field {:?} to {}",
        form.field, form.action
    ));
    let mut run = FrontEnd {
        web,
        browser,
        form,
        photo: crate::payload::test_photo(),
        a,
        b,
        evidence,
    };
    let a_addr = run.a.addr();
    run.change("add", a_addr)?;
    let upload = run.upload()?;
    let intact = *run.a.last_photo.lock().unwrap_or_else(|e| e.into_inner()) == run.photo;
    let ok = (200..300).contains(&upload.status) && upload.served_by == "A" && upload.named;
    let line = format!(
        "GET /add/{a_addr}, then one upload: status {}, served by {}, {} photo, the page {} {:?}",
        upload.status,
        upload.served_by,
        if intact { "the same" } else { "a different" },
        if upload.named {
            "names"
        } else {
            "does not name"
        },
        run.a.label()
    );
    run.evidence.push(line);
    if ok && intact {
        Ok(run)
    } else {
        let fault = if upload.status >= 500 {
            Fault::Crash
        } else {
            Fault::WrongAnswer
        };
        Err(run.blame((fault, "the upload was not answered as expected".into())))
    }
}

/// `add-remove-workers`: with A and B listed, uploads alternate; after `/del/A`, only B.
fn add_remove(run: &mut FrontEnd) -> Outcome {
    let b_addr = run.b.addr();
    let a_addr = run.a.addr();
    run.change("add", b_addr)?;
    let both = run.uploads(ROUND_ROBIN_UPLOADS, "with A and B listed")?;
    let order: Vec<&str> = both.iter().map(|u| u.served_by.as_str()).collect();
    let alternates =
        order.iter().all(|s| s.len() == 1 && *s != "-") && order.windows(2).all(|w| w[0] != w[1]);
    run.evidence.push(format!(
        "GET /add/{b_addr}, then {ROUND_ROBIN_UPLOADS} uploads served by {}",
        order.join(" ")
    ));
    if !alternates {
        let evidence = format!("{}: not round robin", run.evidence.join("\n"));
        return Err((Fault::WrongAnswer, evidence));
    }
    run.change("del", a_addr)?;
    let after = run.uploads(2, "after /del of A")?;
    let order: Vec<&str> = after.iter().map(|u| u.served_by.as_str()).collect();
    run.evidence.push(format!(
        "GET /del/{a_addr}, then 2 uploads served by {}",
        order.join(" ")
    ));
    if order.iter().any(|s| *s != "B") {
        let evidence = format!("{}: A was deleted", run.evidence.join("\n"));
        return Err((Fault::WrongAnswer, evidence));
    }
    Ok(std::mem::take(&mut run.evidence).join("\n"))
}

/// `failed-worker-ejected`: A is added back and killed; every upload still succeeds (on
/// B), and once A listens again it gets nothing: it left the list.
fn ejection(run: &mut FrontEnd) -> Outcome {
    let a_addr = run.a.addr();
    run.change("add", a_addr)?;
    run.a.kill();
    let after = run.uploads(AFTER_KILL_UPLOADS, "with A killed")?;
    let order: Vec<&str> = after.iter().map(|u| u.served_by.as_str()).collect();
    run.evidence.push(format!(
        "GET /add/{a_addr}, A killed (connections refused), then {AFTER_KILL_UPLOADS} uploads: all answered, served by {}",
        order.join(" ")
    ));
    run.a = StandIn::start(a_addr, TOP5_A).map_err(|e| {
        (
            Fault::Crash,
            format!("restarting stand-in A on {a_addr}: {e}"),
        )
    })?;
    let later = run.uploads(2, "with A listening again")?;
    let order: Vec<&str> = later.iter().map(|u| u.served_by.as_str()).collect();
    run.evidence.push(format!(
        "A listening again on {a_addr}, then 2 uploads served by {}",
        order.join(" ")
    ));
    if order.iter().any(|s| s.contains('A')) {
        let evidence = format!(
            "{}: the failed worker was still in the list",
            run.evidence.join("\n")
        );
        return Err((Fault::WrongAnswer, evidence));
    }
    Ok(std::mem::take(&mut run.evidence).join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_upload_form() {
        let page = r#"<html><body><h1>Upload</h1>
            <FORM Method="POST" action="/upload" enctype="multipart/form-data">
            <input type=file name='image' accept="image/*"><input type="submit"></FORM>"#;
        assert_eq!(
            upload_form(page),
            Ok(Form {
                action: "/upload".into(),
                field: "image".into()
            })
        );
        let plain = r#"<form method="post" enctype="multipart/form-data"><input type="file" name="file"></form>"#;
        assert_eq!(upload_form(plain).unwrap().action, "/");
        let no_enctype = r#"<form method="post"><input type="file" name="file"></form>"#;
        assert!(upload_form(no_enctype).unwrap_err().contains("multipart"));
        assert!(upload_form("<form method=post></form>").is_err());
        assert_eq!(
            attribute(r#"<input data-type="x" type="file">"#, "type"),
            Some("file".into())
        );
    }
}
