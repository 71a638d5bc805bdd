//! The gateway's background health work: an active health check of the workers in
//! rotation, and the timer of the probe that re-admits ejected ones. What a failed check or
//! a probe's answer changes is decided in [`ejection`].
//!
//! # Active health check
//!
//! Without it, a worker that dies while idle is noticed only when a real upload reaches it,
//! at the cost of a retry. Every [`GatewayConfig::health_check_interval`] each worker in
//! rotation gets a **TCP connect** bounded by [`GatewayConfig::health_check_timeout`], closed
//! at once without a byte sent. That is the cheapest check the course's protocol allows: it
//! has no ping packet, and any exchange would make the worker classify an image (~100 ms of
//! CPU per check) or end in a protocol error on the worker's side. Our worker ends such a
//! connection quietly; a course-style Python worker sees an empty read and closes too.
//!
//! After [`GatewayConfig::health_check_failures`] failed checks in a row (refused, reset,
//! unreachable, or no handshake in time) the worker leaves the rotation through the same
//! ejection as failed requests, and the ejected-worker probe brings it back. A successful
//! check or request resets the count.
//!
//! What a TCP connect cannot see: a worker process that is stopped or hung while its kernel
//! still completes handshakes into the listen backlog. Real requests still catch that one,
//! through the attempt timeout and the retry.
//!
//! # Probing ejected workers
//!
//! Every [`GatewayConfig::probe_interval`] the probe of the ejected workers runs
//! ([`ejection::probe_ejected`]).
//!
//! No lock is held across network I/O: the pool hands out copies of the addresses, and the
//! outcomes are recorded afterwards.
//!
//! [`GatewayConfig::health_check_interval`]: super::config::GatewayConfig::health_check_interval
//! [`GatewayConfig::health_check_timeout`]: super::config::GatewayConfig::health_check_timeout
//! [`GatewayConfig::health_check_failures`]: super::config::GatewayConfig::health_check_failures
//! [`GatewayConfig::probe_interval`]: super::config::GatewayConfig::probe_interval

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::{JoinHandle, JoinSet};

use super::ejection;
use super::state::Gateway;

/// The background tasks of one gateway; aborted when dropped.
#[derive(Debug)]
pub struct Background {
    tasks: Vec<JoinHandle<()>>,
}

impl Background {
    /// Owns `tasks`, aborting them when dropped.
    pub fn new(tasks: Vec<JoinHandle<()>>) -> Self {
        Self { tasks }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts the ejected-worker probe and, unless it is disabled, the active health check, on
/// the current tokio runtime.
pub fn spawn(gateway: &Arc<Gateway>) -> Background {
    let mut tasks = Vec::new();
    let prober = gateway.clone();
    tasks.push(tokio::spawn(async move {
        loop {
            tokio::time::sleep(prober.config().probe_interval).await;
            ejection::probe_ejected(&prober).await;
        }
    }));
    if let Some(interval) = gateway.config().health_check_interval {
        let checker = gateway.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                check_in_rotation(&checker).await;
            }
        }));
    }
    Background::new(tasks)
}

/// Checks every worker in rotation once, concurrently, and records the outcomes (ejecting
/// the workers that reach [`GatewayConfig::health_check_failures`]).
///
/// [`GatewayConfig::health_check_failures`]: super::config::GatewayConfig::health_check_failures
async fn check_in_rotation(gateway: &Arc<Gateway>) {
    let timeout = gateway.config().health_check_timeout;
    let mut checks = JoinSet::new();
    for worker in gateway.pool().in_rotation() {
        checks.spawn(async move { (worker, connect(worker, timeout).await) });
    }
    while let Some(done) = checks.join_next().await {
        let Ok((worker, result)) = done else {
            continue; // only a panic or an abort, neither of which a check does
        };
        ejection::record_check(gateway, worker, result);
    }
}

/// A TCP handshake with `worker` within `timeout`, closed at once.
///
/// Errors: the reason, as text for the log.
async fn connect(worker: SocketAddr, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(worker)).await {
        Ok(Ok(_stream)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "no TCP handshake within {} ms",
            timeout.as_millis()
        )),
    }
}
