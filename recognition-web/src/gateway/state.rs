//! The gateway's shared state ([`Gateway`]).

use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine as _;
use tokio::sync::Semaphore;

use super::admin_session::{Admin, Credentials, Denied};
use super::config::GatewayConfig;
use super::ejection::probe_picture;
use super::metrics::Metrics;
use super::pool::{Pool, Source};

/// The gateway's shared state: configuration, worker pool, metrics, admin sessions.
#[derive(Debug)]
pub struct Gateway {
    pub(super) config: GatewayConfig,
    pub(super) pool: Arc<Pool>,
    pub(super) metrics: Metrics,
    pub(super) admin: Admin,
    pub(super) permits: Arc<Semaphore>,
    /// Base64 text of the picture the prober sends.
    pub(super) probe_text: Arc<Vec<u8>>,
}

impl Gateway {
    /// A gateway over `workers` (all in rotation at first, from [`Source::Flag`]).
    pub fn new(config: GatewayConfig, workers: impl IntoIterator<Item = SocketAddr>) -> Arc<Self> {
        let probe = base64::engine::general_purpose::STANDARD.encode(probe_picture());
        let pool = Arc::new(Pool::new(workers, config.eject_after));
        Arc::new(Self {
            metrics: Metrics::new(pool.clone()),
            pool,
            admin: Admin::new(config.admin_token.clone(), config.session_lifetime),
            permits: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            probe_text: Arc::new(probe.into_bytes()),
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
}
