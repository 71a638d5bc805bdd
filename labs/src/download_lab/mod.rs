//! The two Week 2 labs, `frames` and `numbers`: a thread-per-connection server that sends
//! one payload per connection, and a client to make faster. They share every check; what
//! differs (payload, files, messages, timing items) is a [`Week2`] value, and each has its
//! table of checks.
//!
//! The student's server is checked first ([`server`]: it runs, answers the course's given
//! client, ours and the grader's own connections; its threads; staying up; address reuse),
//! then, in a fresh network namespace, the student's client against our reference server
//! ([`client`]: its files, the GIF, its speed against the given client's).

pub mod client;
pub mod payload;
pub mod server;
mod timing;

use std::path::{Path, PathBuf};
use std::sync::RwLockReadGuard;
use std::time::Duration;

use sandbox::process::{Exit, Proc};

use crate::checks::shared_items as shared;
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Verdict};

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

/// Checks one payload: Ok(a short description) or Err(what is wrong).
pub type PayloadCheck = fn(&[u8]) -> Result<String, String>;

/// Longest wait for a server (the student's or ours) to listen on the lab's port.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// Milliseconds our reference server waits per connection while clients are timed and run
/// (the checklist's `[timing] server_latency_ms`; 0 without that table).
fn latency_ms(g: &Grader) -> u64 {
    g.checklist
        .timing
        .as_ref()
        .map_or(0, |t| t.server_latency_ms)
}

/// What distinguishes one Week 2 lab from the other.
pub struct Week2 {
    /// Reference server binary.
    pub server_bin: &'static str,
    /// Reference client binary.
    pub client_bin: &'static str,
    /// The course-style given client (Python source): the timing baseline, and a second
    /// client against the student's server.
    pub given_client: &'static str,
    /// What one payload is, in the handout's words: `frame`, `list`.
    pub item: &'static str,
    /// What the server prints per client, up to the address.
    pub sent_message: &'static str,
    /// The client's two timing labels, in the order it prints them.
    pub labels: [&'static str; 2],
    /// Checks one payload received from the student's server as the course's given client
    /// reads it (for numbers, Python's `int()` forgives spaces). Ok: a short description.
    pub check_payload: PayloadCheck,
    /// The handout's exact format of a payload, when it asks more than the given client
    /// needs (numbers: no whitespace), judged by its own item.
    pub check_format: Option<PayloadCheck>,
    /// Checks a finished client run folder for `count` items; Ok(evidence) or Err(what is
    /// wrong).
    pub check_client_dir: fn(&Path, usize) -> Result<String, String>,
    /// How thread-per-connection is observed.
    pub concurrency: Concurrency,
    /// Payloads the interop clients fetch from the student's server.
    pub interop_count: usize,
    /// Connections in a row, then at once, for stays-listening.
    pub stay: (usize, usize),
}

const FRAMES_SPEC: Week2 = Week2 {
    server_bin: "frame-server",
    client_bin: "frame-client",
    given_client: include_str!("../frames/given_client.py"),
    item: "frame",
    sent_message: "Sent an image to (",
    labels: ["Frames download time", "GIF creation time"],
    check_payload: crate::download_lab::payload::check_frame,
    check_format: None,
    check_client_dir: crate::download_lab::payload::check_frames_dir,
    concurrency: Concurrency::Burst,
    interop_count: 20,
    stay: (200, 32),
};

const NUMBERS_SPEC: Week2 = Week2 {
    server_bin: "numbers-server",
    client_bin: "numbers-client",
    given_client: include_str!("../numbers/given_client.py"),
    item: "list",
    sent_message: "Sent a file to (",
    labels: ["Files download time", "Sorting time"],
    check_payload: crate::download_lab::payload::check_numbers,
    check_format: Some(crate::download_lab::payload::check_list_format),
    check_client_dir: crate::download_lab::payload::check_numbers_dirs,
    concurrency: Concurrency::Held,
    interop_count: 3,
    stay: (5, 5),
};

/// What the checks of one Week 2 grading share.
pub struct State {
    spec: &'static Week2,
    /// A share of the machine while programs run (see [`Grader::load_shared`]).
    machine: Option<RwLockReadGuard<'static, ()>>,
    /// The student's server, once started.
    server: Option<Proc>,
    /// Whether it started listening (its messages are then judged).
    listened: bool,
    /// One payload the grader fetched from it, for the format item.
    payload: Option<Vec<u8>>,
    /// Our reference server, serving the student's client.
    reference_server: Option<Proc>,
    /// The student's client's run against it.
    client: Option<ClientRun>,
    /// The timing pairs, run once for every timing item.
    pairs: Option<timing::Pairs>,
}

impl State {
    fn new(spec: &'static Week2) -> Self {
        Self {
            spec,
            machine: None,
            server: None,
            listened: false,
            payload: None,
            reference_server: None,
            client: None,
            pairs: None,
        }
    }
}

/// One run of the student's client.
struct ClientRun {
    /// Its run folder.
    dir: PathBuf,
    /// How it ended.
    exit: Exit,
    /// What it printed.
    output: String,
    /// The count constant the grader lowered, as a sentence (empty if none).
    lowered: String,
}

static FRAMES_CHECKS: Checks<State> = Checks {
    init: || State::new(&FRAMES_SPEC),
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("pillow-only", shared::imports),
        Check::new("pep8", shared::pep8),
        Check::new("original-work", shared::manual),
        Check::new("server-runs", server::runs),
        Check::new("thread-per-connection", server::thread_per_connection),
        Check::new("stays-listening", server::stays_listening),
        Check::new("reuse-address", server::reuse_address),
        Check::new("client-runs", client::runs),
        Check::new("gif-valid", client::gif_valid),
        Check::new("runtime-improved", client::runtime_improved),
        Check::new("runs", shared::runs),
        Check::new("message-format", message_format),
    ],
};

static NUMBERS_CHECKS: Checks<State> = Checks {
    init: || State::new(&NUMBERS_SPEC),
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("stdlib-only", shared::imports),
        Check::new("no-concurrent-futures", shared::forbidden_imports),
        Check::new("pep8", shared::pep8),
        Check::new("original-work", shared::manual),
        Check::new("server-runs", server::runs),
        Check::new("list-format", server::payload_format),
        Check::new("thread-per-connection", server::thread_per_connection),
        Check::new("client-runs", client::runs),
        Check::new("download-improved", client::download_improved),
        Check::new("sorting-improved", client::sorting_improved),
        Check::new("runs", shared::runs),
        Check::new("message-format", message_format),
    ],
};

/// The frames lab (course handout "Week 2 - Concurrency and Parallelism", 2023).
pub const FRAMES: Lab = Lab {
    name: "frames",
    handout: include_str!("../frames/handout.md"),
    checklist_toml: include_str!("../frames/checklist.toml"),
    checks: &FRAMES_CHECKS,
    reference: &[
        ReferenceRole::new("server", "frame-server", &[]),
        ReferenceRole::new(
            "client",
            "frame-client",
            &["--optimized", "--frames", "{count}"],
        ),
    ],
};

/// The numbers lab (course handout "Week 2 - Concurrency and Parallelism", 2024).
pub const NUMBERS: Lab = Lab {
    name: "numbers",
    handout: include_str!("../numbers/handout.md"),
    checklist_toml: include_str!("../numbers/checklist.toml"),
    checks: &NUMBERS_CHECKS,
    reference: &[
        ReferenceRole::new("server", "numbers-server", &[]),
        ReferenceRole::new(
            "client",
            "numbers-client",
            &["--optimized", "--lists", "{count}"],
        ),
    ],
};

/// `message-format`: the server's `Listening on 0.0.0.0:PORT` and one message per client,
/// and the client's two timing lines, on whichever side ran far enough to print them.
fn message_format(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    let mut judged = Vec::new();
    if s.listened
        && let Some(server) = &s.server
    {
        judged.push(server_messages(s.spec, g.port(), &server.output()));
    }
    if let Some(run) = &s.client
        && run.exit == Exit::Code(0)
    {
        judged.push(client_messages(s.spec, &run.output));
    }
    if judged.is_empty() {
        return Ok(Verdict::not_assessed(
            "neither program ran far enough to print its messages",
        ));
    }
    let ok = judged.iter().all(|(ok, _)| *ok);
    let evidence: Vec<String> = judged.into_iter().map(|(_, e)| e).collect();
    Ok(Verdict::judge(ok, Fault::WrongAnswer, evidence.join("\n")))
}

fn server_messages(spec: &Week2, port: u16, output: &str) -> (bool, String) {
    let listening = format!("Listening on 0.0.0.0:{port}");
    let has_listening = output.lines().any(|l| l.trim_end().ends_with(&listening));
    // Threads print concurrently, so two messages may share a line: judge each message.
    let sent: Vec<&str> = output.split(spec.sent_message).skip(1).collect();
    let malformed = sent.iter().find(|rest| !valid_address(rest));
    let ok = has_listening && !sent.is_empty() && malformed.is_none();
    let example = match (malformed, sent.first()) {
        (Some(rest), _) => format!(
            ", malformed: {:?}",
            format!("{}{}", spec.sent_message, first_line(rest))
        ),
        (None, Some(rest)) => format!(
            ", e.g. {:?}",
            format!("{}{}", spec.sent_message, first_line(rest))
        ),
        (None, None) => String::new(),
    };
    let evidence = format!(
        "server: {} '{listening}'; {} '{}HOST, PORT)' message(s){example}",
        if has_listening {
            "prints"
        } else {
            "does not print"
        },
        sent.len(),
        spec.sent_message,
    );
    (ok, evidence)
}

fn client_messages(spec: &Week2, output: &str) -> (bool, String) {
    let printed: Vec<Option<f64>> = spec
        .labels
        .iter()
        .map(|l| crate::checks::timing::printed_seconds(output, l))
        .collect();
    let evidence = spec
        .labels
        .iter()
        .zip(&printed)
        .map(|(label, value)| match value {
            Some(v) => format!("'{label}: {v}'"),
            None => format!("no '{label}: <seconds>' line"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    (
        printed.iter().all(Option::is_some),
        format!("client: {evidence}"),
    )
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
