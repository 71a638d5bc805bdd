//! `worker-protocol`: the student's worker spoken to with the course protocol itself,
//! through the reference's own code ([`recognition_protocol`]): one clean exchange, then
//! one whose size packet carries a wrong checksum and must be NACKed.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;
use recognition_protocol::{self as protocol, Answer, Connection, Limits, ProtocolError};
use sandbox::process::Proc;

use super::{Outcome, WORKER_PORT, step_timeout};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, crash_if_exited};

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
        timeout: step_timeout(g),
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
///
/// Errors: the grader's own failures (the worker cannot be started), not the student's.
pub(super) fn worker_protocol(g: &mut Grader) -> anyhow::Result<Outcome> {
    let work = g.workdir.work();
    let args = worker_args(g, WORKER_PORT);
    let mut worker = g.spawn("worker", &args, &work, "worker")?;
    if let Err((exit, e)) = worker.wait_listening(WORKER_PORT, step_timeout(g)) {
        return Ok(Err((Fault::from(exit), format!("worker: {e}"))));
    }
    Ok(exchanges(g, &mut worker))
}

/// The two exchanges of `worker-protocol` with a worker listening on [`WORKER_PORT`].
fn exchanges(g: &Grader, worker: &mut Proc) -> Outcome {
    let addr = SocketAddr::from(([127, 0, 0, 1], WORKER_PORT));
    let photo = crate::checks::photo::test_photo();
    let text = base64::engine::general_purpose::STANDARD.encode(&photo);
    let limits = limits(g);
    let connect_timeout = Duration::from_secs(10);
    let mut evidence = vec![format!(
        "`{}`; a 64x64 PNG as {} bytes of base64",
        worker.command,
        text.len()
    )];
    let failed = |worker: &mut Proc, evidence: &[String], what: &str, error: (Fault, String)| {
        let fault = crash_if_exited(worker, error.0);
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
        Err(error) => return failed(worker, &evidence, "clean exchange", error),
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
        Err(error) => return failed(worker, &evidence, "damaged size packet", error),
    }
    worker.interrupt(Duration::from_secs(2));
    Ok(evidence.join("\n"))
}
