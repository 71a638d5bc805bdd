//! The active health check: a worker that dies while idle leaves the rotation before any
//! request meets it, and comes back through the ejected-worker probe once restarted.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use recognition_web::gateway::GatewayConfig;
use recognition_web::gateway::pool::{State, WorkerStatus};

use crate::support::{
    LocalGateway, RED_PANDA, WorkerProcess, classify, eventually, get, local_worker, test_config,
    top1,
};

const WAIT: Duration = Duration::from_secs(60);

fn status(gateway: &LocalGateway, worker: SocketAddr) -> WorkerStatus {
    gateway
        .gateway
        .pool()
        .snapshot()
        .into_iter()
        .find(|w| w.address == worker)
        .expect("the worker is listed")
}

/// `GET /api/workers`, the entry of `worker`.
fn listed(gateway: &LocalGateway, worker: SocketAddr) -> serde_json::Value {
    let workers = get(&gateway.url("/api/workers")).json();
    workers
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["address"] == worker.to_string())
        .cloned()
        .expect("the worker is listed")
}

#[test]
fn a_worker_killed_while_idle_is_ejected_by_the_health_check_and_readmitted_after_restart() {
    let mut workers = [
        WorkerProcess::start("127.0.0.1", 0),
        WorkerProcess::start("127.0.0.1", 0),
    ];
    let (alive, victim) = (workers[0].addr, workers[1].addr);
    let config = GatewayConfig {
        health_check_interval: Some(Duration::from_millis(100)),
        health_check_timeout: Duration::from_secs(1),
        health_check_failures: 2,
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[alive, victim]);
    // Checks pass while both live.
    assert!(eventually(WAIT, || {
        get(&gateway.url("/metrics")).body.lines().any(|l| {
            l.starts_with("recognition_health_checks_total{result=\"pass\"}") && !l.ends_with(" 0")
        })
    }));
    assert_eq!(status(&gateway, victim).state, State::Healthy);

    // Killed while idle: no request is sent until the health check has ejected it.
    workers[1].kill();
    assert!(
        eventually(WAIT, || listed(&gateway, victim)["state"] == "ejected"),
        "the dead worker stayed in rotation: {:?}",
        status(&gateway, victim)
    );
    let entry = listed(&gateway, victim);
    assert_eq!(
        entry["failures"], 0,
        "ejected by checks, not by a request: {entry}"
    );
    assert_eq!(entry["successes"], 0, "{entry}");
    assert!(entry["failed_checks"].as_u64().unwrap() >= 2, "{entry}");
    assert_eq!(entry["ejections"], 1, "{entry}");
    let metrics = get(&gateway.url("/metrics")).body;
    for line in [
        "recognition_health_check_ejections_total 1".to_owned(),
        "recognition_ejections_total 1".to_owned(),
        format!("recognition_worker_up{{worker=\"{victim}\"}} 0"),
        format!("recognition_worker_up{{worker=\"{alive}\"}} 1"),
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "no {line:?} in\n{metrics}"
        );
    }
    assert_eq!(listed(&gateway, alive)["state"], "healthy");

    // Requests now go straight to the live worker, without a retry.
    for _ in 0..3 {
        let reply = classify(&gateway, &testkit::data::photo(RED_PANDA.0));
        assert_eq!(top1(&reply), RED_PANDA.1);
        let answer = reply.json();
        assert_eq!(answer["worker"], alive.to_string());
        assert_eq!(answer["attempts"], 1, "{answer}");
    }
    assert_eq!(status(&gateway, victim).failures, 0);

    // Restarted on its port, the probe's real exchange puts it back in rotation.
    workers[1] = WorkerProcess::start("127.0.0.1", victim.port());
    assert!(
        eventually(WAIT, || listed(&gateway, victim)["state"] == "healthy"),
        "the restarted worker was not re-admitted: {:?}",
        status(&gateway, victim)
    );
    assert_eq!(listed(&gateway, victim)["consecutive_failed_checks"], 0);
    let metrics = get(&gateway.url("/metrics")).body;
    assert!(
        metrics
            .lines()
            .any(|l| l == "recognition_readmissions_total 1"),
        "{metrics}"
    );
}

#[test]
fn a_connection_closed_before_its_first_byte_ends_quietly_and_the_worker_serves_on() {
    // Connect and close, as the health check does: the worker serves the next exchange.
    let worker = local_worker();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(worker.addr()).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "the worker says nothing: {rest:?}");
    }
    let gateway = LocalGateway::start(test_config(), &[worker.addr()]);
    assert_eq!(
        top1(&classify(&gateway, &testkit::data::photo(RED_PANDA.0))),
        RED_PANDA.1
    );
}
