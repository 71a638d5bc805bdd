//! The student's client against our reference server: it runs and saves the right files
//! (the `client-runs` prerequisite), and it is faster than the course's given client.

use std::time::{Duration, Instant};

use sandbox::activity::{ActivitySampler, CpuUnit};
use sandbox::process::{self as proc, Exit};

use super::{ClientRun, START_TIMEOUT, State, mechanism, timing};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Verdict};

/// `client-runs`: in a fresh network namespace, the client downloads from our reference
/// server (started with the checklist's per-connection latency, which the timing items
/// use too) and leaves the lab's files.
pub fn runs(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    if !g.programs.contains_key("client") {
        return Ok(Verdict::fail(
            Fault::Source,
            "client: no client file to run",
        ));
    }
    g.begin_phase(&mut s.machine);
    let port = g.port();
    let latency = super::latency_ms(g);
    let args = [
        "--port".to_owned(),
        port.to_string(),
        "--latency-ms".to_owned(),
        latency.to_string(),
    ];
    // On the host network the student's server may have left the port busy for a while
    // (connections of a socket without SO_REUSEADDR): retry for up to a minute.
    let deadline = Instant::now() + Duration::from_secs(60);
    let server = loop {
        let mut server = g.spawn_reference(
            s.spec.server_bin,
            &args,
            &g.workdir.work(),
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
    s.reference_server = Some(server);
    let count = g.count();
    let dir = g.run_dir("client")?;
    let lowered = match g.python_file("client") {
        Some(file) => g.lower_count(&dir, &file, count),
        None => String::new(),
    };
    let mut client = g.spawn("client", &[], &dir, "client")?;
    // How the client is concurrent, for the timing items: CPython runs CPU-bound work in
    // parallel only in processes; compiled clients (ours, a `--cmd` program) in threads.
    let unit = match g.python_file("client") {
        Some(_) if !g.reference => CpuUnit::Process,
        _ => CpuUnit::Thread,
    };
    let sampler = ActivitySampler::start(client.pid(), unit, mechanism::SAMPLE_INTERVAL);
    let exit = client.wait(g.step_timeout());
    let activity = sampler.finish();
    let intro = format!(
        "client: `{}` against our server{}",
        client.command,
        if lowered.is_empty() {
            String::new()
        } else {
            format!(" ({lowered})")
        }
    );
    let tail = client.tail(8);
    s.client = Some(ClientRun {
        dir: dir.clone(),
        exit,
        output: client.output(),
        lowered,
        pid: client.pid(),
        activity: (exit == Exit::Code(0)).then_some(activity),
    });
    if exit != Exit::Code(0) {
        return Ok(Verdict::fail(
            Fault::from(exit),
            format!("{intro}: {}\n{tail}", proc::describe_exit(exit)),
        ));
    }
    Ok(match (s.spec.check_client_dir)(&dir, count) {
        Ok(evidence) => Verdict::pass(format!("{intro}: {evidence}")),
        Err(wrong) => Verdict::fail(Fault::WrongAnswer, format!("{intro}: {wrong}")),
    })
}

/// `runtime-improved` (frames): download and GIF time together.
pub fn runtime_improved(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    timing::improved(g, s, "runtime-improved")
}

/// `download-improved` (numbers).
pub fn download_improved(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    timing::improved(g, s, "download-improved")
}

/// `sorting-improved` (numbers).
pub fn sorting_improved(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    timing::improved(g, s, "sorting-improved")
}
