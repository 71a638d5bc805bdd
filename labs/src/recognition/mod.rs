//! The recognition project (CS655 mini project), static and black-box.
//!
//! The worker is spoken to with the course protocol itself, through the reference's own code
//! ([`recognition_protocol`]): one clean exchange, then one whose size packet carries a
//! wrong checksum and must be NACKed. The web front end runs in front of two scripted
//! stand-in workers of the grader's ([`StandIn`]: a fixed top 5 each, and a count of the
//! photos they were sent), so the grader knows which worker served each upload: the upload
//! page, round robin over `/add` and `/del`, and what happens when a worker is killed are
//! all observed from outside, without a model.

mod front_end;
mod http;
mod worker;

use std::sync::RwLockReadGuard;
use std::time::Duration;

use front_end::{FrontEnd, add_remove, ejection, upload_page};
use worker::worker_protocol;

use crate::checks::shared_items as shared;
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict};

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

/// How long one exchange or start-up may take: the grading's step timeout, at most a
/// minute (a worker or front end that needs longer for one photo is hung, and the
/// checks make many exchanges).
fn step_timeout(g: &Grader) -> Duration {
    g.step_timeout().min(Duration::from_secs(60))
}

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
        Check::new("file-names", shared::file_names),
        Check::new("allowed-packages", shared::imports),
        Check::new("pep8", shared::pep8),
        Check::new("sockets-between-nodes", sockets_between_nodes),
        Check::new("worker-protocol", worker_protocol_check),
        Check::new("upload-page", upload_page_check),
        Check::new("add-remove-workers", add_remove_check),
        Check::new("failed-worker-ejected", ejection_check),
    ],
};

/// The course mini project "Image Recognition Application" (CS655).
pub const LAB: Lab = Lab {
    name: "recognition",
    handout: include_str!("handout.md"),
    checklist_toml: include_str!("checklist.toml"),
    checks: &CHECKS,
    given: &[],
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
        ReferenceRole::new("worker", "recognition-worker", &[]),
    ],
    lab_tables: |checklist| checklist.ensure_lab_tables(&[]),
};

/// `worker-protocol` (see [`worker_protocol`]).
fn worker_protocol_check(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("worker") {
        return Ok(Verdict::fail(Fault::Source, "no worker.py"));
    }
    g.begin_phase(&mut s.machine);
    Ok(Verdict::from(worker_protocol(g)?))
}

/// `upload-page`: the front end starts, its page has an upload form, and a photo uploaded
/// through it reaches a worker added with `/add` and comes back named on the page.
fn upload_page_check(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("web") {
        return Ok(Verdict::fail(Fault::Source, "no web.py"));
    }
    g.begin_phase(&mut s.machine);
    Ok(match upload_page(g)? {
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
    let facts = match shared::facts(g) {
        Ok(facts) => facts,
        Err(verdict) => return Ok(verdict),
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
