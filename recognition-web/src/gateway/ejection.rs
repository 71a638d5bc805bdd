//! Ejection and re-admission.
//!
//! After [`GatewayConfig::eject_after`] consecutive failures a worker leaves the rotation
//! (it stays listed). Every [`GatewayConfig::probe_interval`] the prober sends each ejected
//! worker a small generated picture through the real protocol and re-admits the worker
//! when it answers ([`Gateway::probe_ejected`]). Ejecting the last worker in rotation is
//! logged as an error and makes `GET /readyz` fail, so an empty pool never goes unnoticed.
//!
//! [`GatewayConfig::eject_after`]: super::config::GatewayConfig::eject_after
//! [`GatewayConfig::probe_interval`]: super::config::GatewayConfig::probe_interval

use std::fmt;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;

use super::pool::{Change, Outcome};
use super::state::Gateway;
use crate::protocol::Answer;

impl Gateway {
    pub(super) fn record(&self, worker: SocketAddr, error: Option<&String>) {
        let outcome = match error {
            None => Outcome::Success,
            Some(reason) => Outcome::Failure(reason.clone()),
        };
        let change = self.pool.finish(worker, outcome);
        if change.ejected {
            self.note_ejection(worker, format_args!("consecutive failures"), change);
        }
    }

    /// Counts and logs the ejection of `worker` (after `why`), and logs an error when
    /// `change` left no worker in rotation.
    fn note_ejection(&self, worker: SocketAddr, why: fmt::Arguments<'_>, change: Change) {
        self.metrics.ejection();
        log::warn!("worker {worker} ejected after {why}; probing it");
        if change.pool_empty {
            log::error!("no worker left in rotation: requests fail until one answers again");
        }
    }

    /// Records one active health check of `worker` in the pool, the metrics and the log.
    pub(crate) fn record_health_check(&self, worker: SocketAddr, result: Result<(), String>) {
        let threshold = self.config.health_check_failures;
        self.metrics.health_check(result.is_ok());
        let checked = result.as_ref().map(|_| ()).map_err(String::as_str);
        let Some((count, change)) = self.pool.record_check(worker, checked, threshold) else {
            return; // deleted while it was being checked
        };
        let Err(reason) = result else {
            log::debug!("worker {worker} passed its health check");
            return;
        };
        if change.ejected {
            self.note_ejection(
                worker,
                format_args!("{count} failed health checks in a row ({reason})"),
                change,
            );
            self.metrics.health_check_ejection();
        } else {
            log::info!("worker {worker} failed a health check ({count} of {threshold}): {reason}");
        }
    }

    /// Probes every ejected worker once, concurrently, and re-admits those that answer.
    pub async fn probe_ejected(self: &Arc<Self>) {
        let mut probes = tokio::task::JoinSet::new();
        for worker in self.pool.ejected() {
            let gateway = self.clone();
            probes.spawn_blocking(move || {
                let timeout = gateway.config.attempt_timeout;
                let answer = gateway.exchange(worker, &gateway.probe_text.clone(), timeout);
                match answer {
                    Ok(Answer::Labels(_)) => {
                        if gateway.pool.readmit(worker) {
                            gateway.metrics.readmission();
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
}

/// The prober's picture: a 64x64 PNG gradient, made once (no file to ship or lose).
pub(super) fn probe_picture() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, 128])
    });
    let mut png = Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encoding a small PNG in memory cannot fail");
    png.into_inner()
}
