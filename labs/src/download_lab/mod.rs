//! What the two download labs of the course's Week 2, [`crate::frames`] and
//! [`crate::numbers`], have in common: a thread-per-connection server that sends one payload
//! per connection, and a client that downloads many and processes them, to make faster.
//! They share these checks; what differs (payload, files, messages, timing items) is a
//! [`DownloadLab`] value, and each lab's folder has its own table of checks.
//!
//! The student's server is checked first ([`server`]: it runs, answers the course's given
//! client, ours and the grader's own connections; its threads; staying up; address reuse),
//! then, in a fresh network namespace, the student's client against our reference server
//! ([`client`]: its files, the GIF, its speed against the given client's).

pub mod client;
pub mod mechanism;
pub mod server;
mod timing;

use std::path::{Path, PathBuf};
use std::sync::RwLockReadGuard;
use std::time::Duration;

use sandbox::process::{Exit, Proc};

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
pub struct DownloadLab {
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

/// What the checks of one Week 2 grading share.
pub struct State {
    pub(crate) spec: &'static DownloadLab,
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
    pub(crate) client: Option<ClientRun>,
    /// The timing pairs, run once for every timing item.
    pairs: Option<timing::Pairs>,
}

impl State {
    /// The state of a grading of `spec` before its first check.
    pub(crate) fn new(spec: &'static DownloadLab) -> Self {
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
pub(crate) struct ClientRun {
    /// Its run folder.
    pub(crate) dir: PathBuf,
    /// How it ended.
    exit: Exit,
    /// What it printed.
    pub(crate) output: String,
    /// The count constant the grader lowered, as a sentence (empty if none).
    lowered: String,
    /// Its process id: the root of the tree `activity` sampled.
    pid: u32,
    /// What its process tree did while it ran (connections in flight, CPU per worker),
    /// when it ran to a clean exit: how the timing items see its concurrency.
    activity: Option<sandbox::activity::Activity>,
}

/// `message-format`: the server's `Listening on 0.0.0.0:PORT` and one message per client,
/// and the client's two timing lines, on whichever side ran far enough to print them.
pub(crate) fn message_format(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
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

fn server_messages(spec: &DownloadLab, port: u16, output: &str) -> (bool, String) {
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

fn client_messages(spec: &DownloadLab, output: &str) -> (bool, String) {
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

/// Files of `dir` with extension `ext`, ordered by the number in their name (`10.png`
/// after `9.png`).
pub fn numbered_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|p| {
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let digits: String = stem.chars().filter(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), stem)
    });
    files
}
