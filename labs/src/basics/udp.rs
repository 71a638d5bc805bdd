//! The UDP hello exercise (`udp-hello`): the student's server against the grader's
//! datagram, and the student's client against the grader's scripted UDP server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use sandbox::process as proc;

use super::{
    START_TIMEOUT, State, UDP_PORT, answer_timeout, client_verdict, datagram, observed,
    server_and_client,
};
use crate::checks::scripted::{ScriptedServer, bind_retrying};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Outcome, Verdict};

/// The reply the grader's scripted UDP server sends the student's client.
const HELLO_REPLY: &str = "Hi client! Nice to connect with you!";
/// `udp-hello` (see [`udp_hello_parts`]).
pub(super) fn udp_hello(g: &mut Grader, s: &mut State) -> anyhow::Result<Verdict> {
    observed(g, s, udp_hello_parts)
}

/// `udp-hello`: a datagram to the server gets one back; the client, against a scripted
/// server, sends one and prints the reply.
fn udp_hello_parts(g: &mut Grader) -> anyhow::Result<Outcome> {
    server_and_client(
        g,
        ("udp_server", udp_server_part),
        ("udp_client", udp_client_part),
    )
}

fn udp_server_part(g: &Grader) -> anyhow::Result<Outcome> {
    let work = g.workdir.work();
    let mut server = g.spawn("udp_server", &[], &work, "udp_server")?;
    if let Err((exit, e)) = server.wait_udp_bound(UDP_PORT, START_TIMEOUT) {
        return Ok(Err((Fault::from(exit), format!("server: {e}"))));
    }
    let reply = datagram(UDP_PORT, b"Hi server!", answer_timeout(g))?;
    let exit = server.poll();
    server.interrupt(Duration::from_secs(2));
    Ok(match reply {
        Ok(reply) if !reply.is_empty() => Ok(format!(
            "server: `{}` answered \"Hi server!\" with {reply:?}",
            server.command
        )),
        Ok(_) => Err((
            Fault::WrongAnswer,
            format!(
                "server: `{}` answered with an empty datagram",
                server.command
            ),
        )),
        Err((fault, e)) => {
            let fault = if exit.is_some() { Fault::Crash } else { fault };
            Err((
                fault,
                format!(
                    "server: `{}`: {e} to \"Hi server!\"{}\n{}",
                    server.command,
                    exit.map(|x| format!(" (it exited: {})", proc::describe_exit(x)))
                        .unwrap_or_default(),
                    server.tail(8)
                ),
            ))
        }
    })
}

fn udp_client_part(g: &Grader) -> anyhow::Result<Outcome> {
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let scripted = bind_retrying(|| {
        let log = log.clone();
        ScriptedServer::udp(("127.0.0.1", UDP_PORT), move |datagram, _| {
            log.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(String::from_utf8_lossy(datagram).into_owned());
            Some(HELLO_REPLY.as_bytes().to_vec())
        })
    })
    .context("the grader's UDP server")?;
    let dir = g.run_dir("udp_client")?;
    let mut client = g.spawn("udp_client", &[], &dir, "udp_client")?;
    let exit = client.wait(g.step_timeout().min(Duration::from_secs(30)));
    let output = client.output();
    drop(scripted);
    let sent = received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .join(" | ");
    Ok(client_verdict(
        &client.command,
        exit,
        &output,
        output.contains(HELLO_REPLY),
        &sent,
    )
    .and_then(|evidence| {
        if sent.is_empty() {
            Err((
                Fault::WrongAnswer,
                format!("{evidence}, but sent no datagram"),
            ))
        } else {
            Ok(evidence)
        }
    }))
}
