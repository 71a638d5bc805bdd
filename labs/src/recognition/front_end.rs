//! The front end's items: `web.py` in front of two scripted stand-in workers of the
//! grader's ([`StandIn`]: a fixed top 5 each, and a count of the photos they were sent), so
//! the grader knows which worker served each upload: the upload page, round robin over
//! `/add` and `/del`, and what happens when a worker is killed, all observed from outside.

use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use base64::Engine as _;
use recognition_protocol::{self as protocol, Connection, Limits};
use sandbox::process::Proc;

use super::http::{Browser, Form, upload_form};
use super::{
    AFTER_KILL_UPLOADS, Outcome, ROUND_ROBIN_UPLOADS, TOP5_A, TOP5_B, WEB_PORT, step_timeout,
};
use crate::checks::scripted::ScriptedServer;
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, crash_if_exited};

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
pub(super) struct FrontEnd {
    pub(super) web: Proc,
    browser: Browser,
    form: Form,
    photo: Vec<u8>,
    a: StandIn,
    b: StandIn,
    pub(super) evidence: Vec<String>,
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
        let fault = crash_if_exited(&mut self.web, fault);
        let mut lines = self.evidence.clone();
        lines.push(evidence);
        (
            fault,
            format!("{}\nweb: {}", lines.join("\n"), self.web.tail(6)),
        )
    }
}

/// Starts the front end, finds the form, adds stand-in A and uploads the photo.
///
/// Errors: the grader's own failures (a stand-in worker it cannot bind, a front end it
/// cannot start), not the student's.
pub(super) fn upload_page(g: &mut Grader) -> anyhow::Result<Result<FrontEnd, (Fault, String)>> {
    let a = StandIn::start(SocketAddr::from(([127, 0, 0, 1], 0)), TOP5_A)
        .context("the grader's stand-in worker")?;
    let b = StandIn::start(SocketAddr::from(([127, 0, 0, 1], 0)), TOP5_B)
        .context("the grader's stand-in worker")?;
    let work = g.workdir.work();
    let web = g.spawn("web", &[], &work, "web")?;
    Ok(open_front_end(g, web, a, b))
}

/// The rest of [`upload_page`], once the front end `web` is started.
fn open_front_end(
    g: &Grader,
    mut web: Proc,
    a: StandIn,
    b: StandIn,
) -> Result<FrontEnd, (Fault, String)> {
    web.wait_listening(WEB_PORT, step_timeout(g))
        .map_err(|(exit, e)| (Fault::from(exit), format!("web: {e}")))?;
    let browser = Browser::new(step_timeout(g));
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
                sandbox::process::tail(&home.body, 12)
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
        photo: crate::checks::photo::test_photo(),
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
pub(super) fn add_remove(run: &mut FrontEnd) -> Outcome {
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
pub(super) fn ejection(run: &mut FrontEnd) -> Outcome {
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
