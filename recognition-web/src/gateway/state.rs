//! The gateway's shared state ([`Gateway`]): the configuration, the worker pool, the
//! metrics, the admin sessions and the request slots, one of each per gateway, shared by
//! every HTTP handler and background task through an `Arc`.
//!
//! What is done with it lives with each concern: the classify path in
//! [`classify`](super::classify), ejection and re-admission in
//! [`ejection`](super::ejection), the health checks in [`health`](super::health).

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::admin_session::{Admin, Credentials, Denied};
use super::config::GatewayConfig;
use super::metrics::Metrics;
use super::pool::{Pool, Source};

/// The gateway's shared state: configuration, worker pool, metrics, admin sessions.
#[derive(Debug)]
pub struct Gateway {
    config: GatewayConfig,
    pool: Arc<Pool>,
    metrics: Metrics,
    admin: Admin,
    /// One per classification request handled at once
    /// ([`GatewayConfig::max_concurrent`]).
    permits: Arc<Semaphore>,
}

impl Gateway {
    /// A gateway over `workers` (all in rotation at first, from [`Source::Flag`]).
    pub fn new(config: GatewayConfig, workers: impl IntoIterator<Item = SocketAddr>) -> Arc<Self> {
        let pool = Arc::new(Pool::new(workers));
        Arc::new(Self {
            metrics: Metrics::new(pool.clone()),
            pool,
            admin: Admin::new(config.admin_token.clone(), config.session_lifetime),
            permits: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            config,
        })
    }

    /// Adds `worker` from `source`; `true` if it is new. Logged.
    pub fn add_worker(&self, worker: SocketAddr, source: Source) -> bool {
        let added = self.pool.add(worker, source);
        if added {
            log::info!("worker {worker} added");
        }
        added
    }

    /// Deletes `worker`; `false` if it is not in the pool. Exchanges running with it finish.
    pub fn delete_worker(&self, worker: SocketAddr) -> bool {
        let deleted = self.pool.remove(worker);
        if deleted {
            log::info!("worker {worker} deleted");
        }
        deleted
    }

    /// Whether `credentials` may change the pool (see [`Admin::authorize`]); a token that
    /// was checked is counted in the metrics.
    ///
    /// Errors: the reason it may not.
    pub fn authorize(&self, credentials: &Credentials<'_>) -> Result<(), Denied> {
        let (result, check) = self.admin.authorize(credentials);
        if let Some(check) = check {
            self.metrics.admin_login(check);
        }
        result
    }

    /// Checks a token sent to the login form and opens a session (see [`Admin::login`]);
    /// returns its id. A token that was checked is counted in the metrics.
    ///
    /// Errors: see [`Admin::login`].
    pub fn login(&self, peer: Option<SocketAddr>, token: &str) -> Result<String, Denied> {
        let (result, check) = self.admin.login(peer, token);
        if let Some(check) = check {
            self.metrics.admin_login(check);
        }
        result
    }

    /// Who may administer the pool.
    pub fn admin(&self) -> &Admin {
        &self.admin
    }

    /// The worker pool.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The configuration.
    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    /// The request slots: a classification holds one while it runs.
    pub(super) fn permits(&self) -> &Arc<Semaphore> {
        &self.permits
    }
}
