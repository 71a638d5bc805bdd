//! Ejection and re-admission: when a worker leaves the rotation and how it comes back, in
//! one place. The classify path reports how each exchange ended (`record_exchange`), the
//! active health check how each check ended (`record_check`), and the prober's task runs
//! [`probe_ejected`]; the rules below update the worker's counters under the pool's lock,
//! and what they decide is counted in the metrics and logged here.
//!
//! # Leaving the rotation
//!
//! A worker leaves the rotation after [`GatewayConfig::eject_after`] consecutive failed
//! exchanges, or after [`GatewayConfig::health_check_failures`] failed health checks in a
//! row (it stays listed, and a request that has tried every worker in rotation may still
//! try it as a last resort). A successful exchange resets both counts, proving the worker
//! alive; a passed health check resets the count of failed checks. An exchange that fails
//! because of the image (the worker answers that it cannot read it) is a success for the
//! worker: it did its job. Ejecting the last worker in rotation is logged as an error and
//! makes `GET /readyz` fail, so an empty pool never goes unnoticed.
//!
//! # Coming back
//!
//! Every [`GatewayConfig::probe_interval`] each ejected worker is sent a small generated
//! picture through the real protocol ([`probe_ejected`]) and re-admitted when it answers:
//! being back in rotation needs proof that the worker classifies, not just that it accepts.
//! Re-admission resets both counts.
//!
//! [`GatewayConfig::eject_after`]: super::config::GatewayConfig::eject_after
//! [`GatewayConfig::health_check_failures`]: super::config::GatewayConfig::health_check_failures
//! [`GatewayConfig::probe_interval`]: super::config::GatewayConfig::probe_interval

use std::fmt;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};

use base64::Engine as _;

use super::exchange::exchange;
use super::pool::{Pool, State, WorkerStatus};
use super::state::Gateway;
use crate::protocol::Answer;

/// Records how an exchange with `worker` ended (`Err`: why it failed) and counts and logs
/// the ejection it causes. The classify path calls it on the exchange's own thread.
pub(crate) fn record_exchange(gateway: &Gateway, worker: SocketAddr, result: Result<(), &str>) {
    let change = exchange_ended(gateway.pool(), worker, result, gateway.config().eject_after);
    if change.ejected {
        note_ejection(
            gateway,
            worker,
            format_args!("consecutive failures"),
            change,
        );
    }
}

/// Records one active health check of `worker` in the pool, the metrics and the log.
pub(crate) fn record_check(gateway: &Gateway, worker: SocketAddr, result: Result<(), String>) {
    let threshold = gateway.config().health_check_failures;
    gateway.metrics().health_check(result.is_ok());
    let checked = result.as_ref().map(|_| ()).map_err(String::as_str);
    let Some((count, change)) = check_ended(gateway.pool(), worker, checked, threshold) else {
        return; // deleted while it was being checked
    };
    let Err(reason) = result else {
        log::debug!("worker {worker} passed its health check");
        return;
    };
    if change.ejected {
        note_ejection(
            gateway,
            worker,
            format_args!("{count} failed health checks in a row ({reason})"),
            change,
        );
        gateway.metrics().health_check_ejection();
    } else {
        log::info!("worker {worker} failed a health check ({count} of {threshold}): {reason}");
    }
}

/// Probes every ejected worker once, concurrently, and re-admits those that answer.
pub async fn probe_ejected(gateway: &Arc<Gateway>) {
    let mut probes = tokio::task::JoinSet::new();
    for worker in gateway.pool().ejected() {
        let gateway = gateway.clone();
        probes.spawn_blocking(move || {
            let config = gateway.config();
            let answer = exchange(
                worker,
                &PROBE_TEXT,
                config.connect_timeout,
                config.attempt_timeout,
            );
            match answer {
                Ok(Answer::Labels(_)) => {
                    if readmit(gateway.pool(), worker) {
                        gateway.metrics().readmission();
                        log::info!("worker {worker} answered a probe: back in rotation");
                    }
                }
                Ok(Answer::BadImage(reason)) => {
                    log::warn!("worker {worker} refused the probe picture: {reason}");
                }
                Err(e) => log::debug!("worker {worker} still failing: {e}"),
            }
        });
    }
    while probes.join_next().await.is_some() {}
}

/// Counts and logs the ejection of `worker` (after `why`), and logs an error when
/// `change` left no worker in rotation.
fn note_ejection(gateway: &Gateway, worker: SocketAddr, why: fmt::Arguments<'_>, change: Change) {
    gateway.metrics().ejection();
    log::warn!("worker {worker} ejected after {why}; probing it");
    if change.pool_empty {
        log::error!("no worker left in rotation: requests fail until one answers again");
    }
}

/// What recording an exchange or a health check changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Change {
    /// The worker was ejected by this failure (or failed check).
    ejected: bool,
    /// No worker is left in rotation.
    pool_empty: bool,
}

/// Ends an exchange with `worker` (from [`Pool::pick`]) in `pool` and counts how it ended;
/// ejects the worker after `eject_after` (at least 1) consecutive failures. A worker deleted
/// meanwhile is ignored.
fn exchange_ended(
    pool: &Pool,
    worker: SocketAddr,
    result: Result<(), &str>,
    eject_after: u32,
) -> Change {
    let ended = pool.finish(worker, |status| match result {
        Ok(()) => {
            status.successes += 1;
            status.consecutive_failures = 0;
            status.consecutive_failed_checks = 0;
            false
        }
        Err(reason) => {
            status.last_error = Some(reason.to_owned());
            status.failures += 1;
            status.consecutive_failures += 1;
            let due = status.consecutive_failures >= eject_after.max(1);
            eject_if(status, due)
        }
    });
    ended.map_or_else(Change::default, |(ejected, pool_empty)| Change {
        ejected,
        pool_empty,
    })
}

/// Counts an active health check of `worker`: a pass (`Ok`) resets its count of failed
/// checks; a failure adds one and ejects a worker in rotation once the count reaches
/// `eject_after_checks` (at least 1). Returns the count after this check and what changed;
/// `None` for a worker deleted meanwhile.
fn check_ended(
    pool: &Pool,
    worker: SocketAddr,
    result: Result<(), &str>,
    eject_after_checks: u32,
) -> Option<(u32, Change)> {
    let ((count, ejected), pool_empty) = pool.update(worker, |status| {
        let mut ejected = false;
        if let Err(reason) = result {
            status.last_error = Some(reason.to_owned());
            status.failed_checks += 1;
            status.consecutive_failed_checks += 1;
            let due = status.consecutive_failed_checks >= eject_after_checks.max(1);
            ejected = eject_if(status, due);
        } else {
            status.consecutive_failed_checks = 0;
        }
        (status.consecutive_failed_checks, ejected)
    })?;
    Some((
        count,
        Change {
            ejected,
            pool_empty,
        },
    ))
}

/// Puts an ejected worker back in rotation after a successful probe; `false` if it is not
/// in the pool or not ejected.
fn readmit(pool: &Pool, worker: SocketAddr) -> bool {
    let readmitted = pool.update(worker, |status| {
        if status.state != State::Ejected {
            return false;
        }
        status.state = State::Healthy;
        status.consecutive_failures = 0;
        status.consecutive_failed_checks = 0;
        true
    });
    readmitted.is_some_and(|(readmitted, _)| readmitted)
}

/// Takes the worker out of rotation when it is in rotation and `due`; whether it did.
fn eject_if(status: &mut WorkerStatus, due: bool) -> bool {
    if status.state == State::Healthy && due {
        status.state = State::Ejected;
        status.ejections += 1;
        true
    } else {
        false
    }
}

/// Base64 text of the prober's picture, made on the first probe.
static PROBE_TEXT: LazyLock<Vec<u8>> = LazyLock::new(|| {
    base64::engine::general_purpose::STANDARD
        .encode(probe_picture())
        .into_bytes()
});

/// The prober's picture: a 64x64 PNG gradient, made once (no file to ship or lose).
fn probe_picture() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, 128])
    });
    let mut png = Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encoding a small PNG in memory cannot fail");
    png.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    const REFUSED: Result<(), &str> = Err("connection refused");

    #[test]
    fn consecutive_failures_eject_and_a_probe_answer_readmits() {
        let pool = Pool::new([addr(1), addr(2), addr(3)]);
        assert!(!exchange_ended(&pool, addr(1), REFUSED, 2).ejected);
        let change = exchange_ended(&pool, addr(1), REFUSED, 2);
        assert!(change.ejected && !change.pool_empty);
        assert_eq!(pool.ejected(), [addr(1)]);
        let status = &pool.snapshot()[0];
        assert_eq!(
            (
                status.failures,
                status.ejections,
                status.last_error.as_deref()
            ),
            (2, 1, Some("connection refused"))
        );
        assert!(readmit(&pool, addr(1)));
        assert!(!readmit(&pool, addr(1)), "already back");
        assert_eq!(pool.healthy(), 3);
        assert_eq!(pool.snapshot()[0].consecutive_failures, 0);
    }

    #[test]
    fn ejecting_the_last_worker_empties_the_rotation() {
        let pool = Pool::new([addr(1), addr(2)]);
        assert_eq!(pool.pick(&[]), Some(addr(1)));
        assert!(pool.remove(addr(1)));
        assert_eq!(pool.pick(&[]), Some(addr(2)));
        // The exchange with the deleted worker still finishes, and changes nothing.
        assert_eq!(
            exchange_ended(&pool, addr(1), REFUSED, 1),
            Change::default()
        );
        let change = exchange_ended(&pool, addr(2), REFUSED, 1);
        assert!(change.ejected && change.pool_empty);
        assert_eq!(pool.snapshot()[0].in_flight, 0);
    }

    #[test]
    fn failed_health_checks_eject_and_any_success_resets_them() {
        let pool = Pool::new([addr(1), addr(2)]);
        assert_eq!(pool.in_rotation(), [addr(1), addr(2)]);
        assert_eq!(
            check_ended(&pool, addr(1), Err("refused"), 3),
            Some((1, Change::default()))
        );
        assert_eq!(check_ended(&pool, addr(1), Err("refused"), 3).unwrap().0, 2);
        // A successful exchange proves the worker alive: the count starts again.
        assert_eq!(pool.pick(&[]), Some(addr(1)));
        exchange_ended(&pool, addr(1), Ok(()), 2);
        assert_eq!(pool.snapshot()[0].consecutive_failed_checks, 0);
        for _ in 0..2 {
            assert!(
                !check_ended(&pool, addr(1), Err("refused"), 3)
                    .unwrap()
                    .1
                    .ejected
            );
        }
        let (count, change) = check_ended(&pool, addr(1), Err("refused"), 3).unwrap();
        assert_eq!(count, 3);
        assert!(change.ejected && !change.pool_empty);
        assert_eq!(pool.in_rotation(), [addr(2)]);
        assert_eq!(pool.ejected(), [addr(1)]);
        let status = &pool.snapshot()[0];
        assert_eq!(
            (status.failed_checks, status.ejections, status.failures),
            (5, 1, 0)
        );
        // Already ejected: further failed checks count but eject nothing twice.
        assert!(
            !check_ended(&pool, addr(1), Err("refused"), 3)
                .unwrap()
                .1
                .ejected
        );
        assert!(readmit(&pool, addr(1)));
        assert_eq!(pool.snapshot()[0].consecutive_failed_checks, 0);
        assert!(check_ended(&pool, addr(1), Ok(()), 3).is_some());
        assert!(
            check_ended(&pool, addr(9), Err("refused"), 3).is_none(),
            "not in the pool"
        );
    }
}
