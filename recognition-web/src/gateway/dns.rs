//! Workers found through DNS (`--workers-dns NAME:PORT`).
//!
//! The engines such a service is deployed on publish a service's replicas as DNS records: a
//! Kubernetes *headless* Service has one A record per ready pod, Docker Compose answers a
//! service's name with one address per replica. Every [`GatewayConfig::dns_refresh`] each
//! name is looked up through the system resolver (`getaddrinfo`, so `/etc/hosts` counts) and
//! the pool is brought in line ([`Pool::sync_dns`](super::pool::Pool::sync_dns)):
//!
//! - a new address joins the rotation at once;
//! - an address no longer listed leaves: at once when idle, otherwise it gets no new request
//!   and goes when its running exchanges finish (`draining`), so a scale-down fails nothing;
//! - a failed lookup (timeout, SERVFAIL, the name gone) changes nothing: the last good set
//!   stays, and the failure is counted (`recognition_dns_lookups_total`) and logged as a
//!   warning the first time (then at debug level until a lookup succeeds again, which is
//!   logged too), so a resolver down for an hour does not fill the log;
//! - workers given by `--worker` or added by an admin are never removed by a refresh, even
//!   when a name lists the same address.
//!
//! The first lookup happens before the gateway accepts its first connection, so it starts
//! with its workers. Lookups run on tokio's blocking threads (the resolver blocks), each
//! bounded by 5 seconds (`LOOKUP_TIMEOUT`).
//!
//! [`GatewayConfig::dns_refresh`]: super::config::GatewayConfig::dns_refresh

use std::collections::{BTreeSet, HashSet};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use super::config::DnsName;
use super::health::Background;
use super::state::Gateway;

/// Longest one lookup may take before it counts as failed: a resolver that does not answer
/// must not hold the refresh of the other names.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Looks the names up and brings the pool in line; remembers which names are failing, to
/// log a failure once rather than at every refresh.
#[derive(Debug, Default)]
pub struct Refresher {
    failing: HashSet<DnsName>,
}

impl Refresher {
    /// Looks every name up once, concurrently, and brings the pool in line with the
    /// answers.
    pub async fn refresh(&mut self, gateway: &Arc<Gateway>) {
        let mut lookups = tokio::task::JoinSet::new();
        for name in gateway.config().workers_dns.iter().cloned() {
            lookups.spawn(async move {
                let addresses = lookup(&name).await;
                (name, addresses)
            });
        }
        while let Some(done) = lookups.join_next().await {
            let Ok((name, addresses)) = done else {
                continue; // only a panic or an abort, neither of which a lookup does
            };
            match addresses {
                Ok(addresses) => self.apply(gateway, &name, &addresses),
                Err(e) => {
                    gateway.metrics().dns_lookup(&name, None);
                    if self.failing.insert(name.clone()) {
                        log::warn!(
                            "looking up {name} failed: {e}; keeping its last known workers \
                             (and logging further failures at debug level)"
                        );
                    } else {
                        log::debug!("looking up {name} failed again: {e}");
                    }
                }
            }
        }
    }

    fn apply(&mut self, gateway: &Gateway, name: &DnsName, addresses: &[SocketAddr]) {
        if self.failing.remove(name) {
            log::info!("looking up {name} works again");
        }
        gateway.metrics().dns_lookup(name, Some(addresses.len()));
        let change = gateway.pool().sync_dns(name, addresses);
        for addr in &change.added {
            log::info!("worker {addr} added: listed by {name}");
        }
        for addr in &change.removed {
            log::info!(
                "worker {addr} no longer listed by {name}: it gets no new request and leaves \
                 once none is running (at once if idle)"
            );
        }
    }
}

/// Runs `refresher` every [`GatewayConfig::dns_refresh`](super::config::GatewayConfig) on
/// the current tokio runtime; nothing when no name is configured.
pub fn spawn(gateway: &Arc<Gateway>, mut refresher: Refresher) -> Background {
    let mut tasks = Vec::new();
    if !gateway.config().workers_dns.is_empty() {
        let gateway = gateway.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(gateway.config().dns_refresh).await;
                refresher.refresh(&gateway).await;
            }
        }));
    }
    Background::new(tasks)
}

/// The addresses of `name`, sorted and without duplicates (the resolver lists an address
/// once per socket type).
///
/// Errors: the resolver's, or a timeout.
async fn lookup(name: &DnsName) -> Result<Vec<SocketAddr>, String> {
    let target = (name.host.clone(), name.port);
    let task = tokio::task::spawn_blocking(move || target.to_socket_addrs());
    match tokio::time::timeout(LOOKUP_TIMEOUT, task).await {
        Ok(Ok(Ok(addresses))) => {
            let unique: BTreeSet<SocketAddr> = addresses.collect();
            if unique.is_empty() {
                Err("no address".to_owned())
            } else {
                Ok(unique.into_iter().collect())
            }
        }
        Ok(Ok(Err(e))) => Err(e.to_string()),
        Ok(Err(e)) => Err(format!("lookup aborted: {e}")),
        Err(_) => Err(format!("no answer within {} s", LOOKUP_TIMEOUT.as_secs())),
    }
}
