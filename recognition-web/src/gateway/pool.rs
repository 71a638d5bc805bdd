//! The worker pool: the list of recognition workers with their states and counters,
//! round-robin choice, the exchanges in flight, and where each worker came from (a flag, an
//! admin, a DNS name) so that a DNS refresh only ever removes what DNS added.
//!
//! The pool keeps each worker's health counters but decides nothing with them: the caller
//! updates them under the pool's lock ([`Pool::finish`], [`Pool::update`]), and the rules
//! that take a worker out of rotation and bring it back are the gateway's ejection module's.
//!
//! One `std::sync::Mutex` guards the list, as in the course, but it is only ever held for a
//! few field updates: callers copy the address they picked and talk to the worker with the
//! lock released. (The course version holds its lock while it connects, so one dead worker
//! stalls every request, and a delete during that wait deadlocks.)

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use serde::{Serialize, Serializer};

use super::config::DnsName;

/// Whether a worker gets requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// In rotation.
    Healthy,
    /// Out of rotation after consecutive failures; probed in the background and re-admitted
    /// when it answers again.
    Ejected,
    /// No longer listed by its DNS name: gets no new request, and leaves the pool once the
    /// exchanges it has running finish.
    Draining,
}

impl State {
    /// `healthy`, `ejected` or `draining`, as in the JSON and on the workers page.
    pub fn name(self) -> &'static str {
        match self {
            State::Healthy => "healthy",
            State::Ejected => "ejected",
            State::Draining => "draining",
        }
    }
}

/// Where a worker came from; a DNS refresh removes only workers it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A `--worker` flag.
    Flag,
    /// An admin call (`/add`, `POST /api/workers`, the workers page).
    Admin,
    /// An address of this `--workers-dns` name.
    Dns(DnsName),
}

impl fmt::Display for Source {
    /// `flag`, `admin` or `dns workers:8888`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("flag"),
            Source::Admin => f.write_str("admin"),
            Source::Dns(name) => write!(f, "dns {name}"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One worker as [`Pool::snapshot`] reports it (and `GET /api/workers` shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerStatus {
    /// `IP:PORT`.
    pub address: SocketAddr,
    /// In rotation, ejected, or draining (no longer listed by its DNS name).
    pub state: State,
    /// Exchanges running now.
    pub in_flight: u32,
    /// Exchanges answered correctly (bad-image answers included: the worker did its job).
    pub successes: u64,
    /// Exchanges that failed: refused, timed out, closed, too many NACKs, malformed result.
    pub failures: u64,
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// Times this worker was taken out of rotation.
    pub ejections: u64,
    /// Active health checks it failed (see [`health`](super::health)).
    pub failed_checks: u64,
    /// Health checks failed since the last passed check or successful exchange.
    pub consecutive_failed_checks: u32,
    /// The last failed exchange's or health check's error, for the workers page.
    pub last_error: Option<String>,
    /// Where the worker came from.
    pub source: Source,
}

/// What [`Pool::sync_dns`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsChange {
    /// Addresses that joined the rotation.
    pub added: Vec<SocketAddr>,
    /// Addresses that left: at once when idle, else after their exchanges (draining).
    pub removed: Vec<SocketAddr>,
}

/// The workers and the round-robin cursor.
#[derive(Debug)]
pub struct Pool {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    workers: Vec<WorkerStatus>,
    next: usize,
}

impl Pool {
    /// A pool of `workers` (duplicates dropped), all in rotation, from [`Source::Flag`].
    pub fn new(workers: impl IntoIterator<Item = SocketAddr>) -> Self {
        let pool = Self {
            inner: Mutex::new(Inner {
                workers: Vec::new(),
                next: 0,
            }),
        };
        for addr in workers {
            pool.add(addr, Source::Flag);
        }
        pool
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The guarded data is a list of counters: still consistent if a holder panicked.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `addr` in rotation, from `source`; `false` if it was already there (then nothing
    /// changes, except that a worker draining after a DNS refresh stays for good when an
    /// admin adds it).
    pub fn add(&self, addr: SocketAddr, source: Source) -> bool {
        self.lock().add(addr, source)
    }

    /// Removes `addr`; `false` if it is not in the pool. Exchanges already running with it
    /// finish normally (they hold a copy of the address, not a reference into the list).
    pub fn remove(&self, addr: SocketAddr) -> bool {
        let mut inner = self.lock();
        let Some(at) = inner.workers.iter().position(|w| w.address == addr) else {
            return false;
        };
        inner.remove_at(at);
        true
    }

    /// Every worker's state and counters, in the order they were added.
    pub fn snapshot(&self) -> Vec<WorkerStatus> {
        self.lock().workers.clone()
    }

    /// Makes the workers of DNS name `name` exactly `addresses`: new ones join the
    /// rotation, ones no longer listed leave (at once when idle, else once their exchanges
    /// finish). Workers from a flag, an admin or another name are never removed; an address
    /// already in the pool from elsewhere is left as it is.
    pub fn sync_dns(&self, name: &DnsName, addresses: &[SocketAddr]) -> DnsChange {
        let mut change = DnsChange::default();
        let mut inner = self.lock();
        let ours = |w: &WorkerStatus| matches!(&w.source, Source::Dns(n) if n == name);
        for worker in inner.workers.iter_mut().filter(|w| ours(w)) {
            let listed = addresses.contains(&worker.address);
            if !listed && worker.state != State::Draining {
                worker.state = State::Draining;
                change.removed.push(worker.address);
            } else if listed && worker.state == State::Draining {
                worker.state = State::Healthy; // listed again before it was gone
            }
        }
        inner.remove_drained();
        for &addr in addresses {
            if inner.add(addr, Source::Dns(name.clone())) {
                change.added.push(addr);
            }
        }
        change
    }

    /// Workers in rotation.
    pub fn healthy(&self) -> usize {
        self.lock()
            .workers
            .iter()
            .filter(|w| w.state == State::Healthy)
            .count()
    }

    /// Addresses of the ejected workers, for the prober.
    pub fn ejected(&self) -> Vec<SocketAddr> {
        self.addresses(State::Ejected)
    }

    /// Addresses of the workers in rotation, for the active health check.
    pub fn in_rotation(&self) -> Vec<SocketAddr> {
        self.addresses(State::Healthy)
    }

    fn addresses(&self, state: State) -> Vec<SocketAddr> {
        self.lock()
            .workers
            .iter()
            .filter(|w| w.state == state)
            .map(|w| w.address)
            .collect()
    }

    /// Picks the worker for the next attempt of a request that already tried `tried`, and
    /// counts it in flight. Preference: the next healthy worker not yet tried, round-robin;
    /// then an ejected one not yet tried (a last resort, better than failing the request);
    /// then the next healthy one again. Draining workers are never picked. `None` when the
    /// pool is empty or only ejected workers that were tried (or draining ones) are left.
    pub fn pick(&self, tried: &[SocketAddr]) -> Option<SocketAddr> {
        let mut inner = self.lock();
        let n = inner.workers.len();
        if n == 0 {
            return None;
        }
        let start = inner.next % n;
        let order: Vec<usize> = (0..n).map(|i| (start + i) % n).collect();
        let fresh = |w: &WorkerStatus| !tried.contains(&w.address) && w.state != State::Draining;
        let healthy = |w: &WorkerStatus| w.state == State::Healthy;
        let chosen = order
            .iter()
            .copied()
            .find(|&i| healthy(&inner.workers[i]) && fresh(&inner.workers[i]))
            .or_else(|| order.iter().copied().find(|&i| fresh(&inner.workers[i])))
            .or_else(|| order.iter().copied().find(|&i| healthy(&inner.workers[i])))?;
        inner.next = chosen + 1;
        let worker = &mut inner.workers[chosen];
        worker.in_flight += 1;
        Some(worker.address)
    }

    /// Ends an exchange with `addr` (from [`Pool::pick`]): drops its in-flight count and
    /// applies `record` to its status under the same lock (how the exchange counts toward
    /// the worker's health), then removes a draining worker once its last exchange is over.
    /// Returns what `record` returned and whether no worker is left in rotation; `None` for
    /// a worker deleted meanwhile.
    pub fn finish<R>(
        &self,
        addr: SocketAddr,
        record: impl FnOnce(&mut WorkerStatus) -> R,
    ) -> Option<(R, bool)> {
        let mut inner = self.lock();
        let worker = inner.workers.iter_mut().find(|w| w.address == addr)?;
        worker.in_flight = worker.in_flight.saturating_sub(1);
        let recorded = record(worker);
        inner.remove_drained();
        Some((recorded, inner.none_healthy()))
    }

    /// Applies `update` to the status of `addr` under the pool's lock. Returns what `update`
    /// returned and whether no worker is left in rotation; `None` for a worker not in the
    /// pool.
    pub fn update<R>(
        &self,
        addr: SocketAddr,
        update: impl FnOnce(&mut WorkerStatus) -> R,
    ) -> Option<(R, bool)> {
        let mut inner = self.lock();
        let worker = inner.workers.iter_mut().find(|w| w.address == addr)?;
        let updated = update(worker);
        Some((updated, inner.none_healthy()))
    }

    /// Undoes a [`Pool::pick`] whose exchange never started: only the in-flight count drops
    /// (and a draining worker with nothing left running goes).
    pub fn release(&self, addr: SocketAddr) {
        let mut inner = self.lock();
        if let Some(worker) = inner.workers.iter_mut().find(|w| w.address == addr) {
            worker.in_flight = worker.in_flight.saturating_sub(1);
        }
        inner.remove_drained();
    }
}

impl Inner {
    /// Whether no worker is left in rotation.
    fn none_healthy(&self) -> bool {
        !self.workers.iter().any(|w| w.state == State::Healthy)
    }

    /// See [`Pool::add`].
    fn add(&mut self, addr: SocketAddr, source: Source) -> bool {
        if let Some(worker) = self.workers.iter_mut().find(|w| w.address == addr) {
            if worker.state == State::Draining && source == Source::Admin {
                worker.state = State::Healthy;
                worker.source = source;
            }
            return false;
        }
        self.workers.push(WorkerStatus {
            address: addr,
            state: State::Healthy,
            in_flight: 0,
            successes: 0,
            failures: 0,
            consecutive_failures: 0,
            ejections: 0,
            failed_checks: 0,
            consecutive_failed_checks: 0,
            last_error: None,
            source,
        });
        true
    }

    /// Removes the worker at index `at`, keeping the round-robin cursor on the worker that
    /// was next, so a removal does not skip anyone.
    fn remove_at(&mut self, at: usize) {
        self.workers.remove(at);
        if at < self.next {
            self.next -= 1;
        }
    }

    /// Removes the draining workers that have no exchange running (see
    /// [`Inner::remove_at`]).
    fn remove_drained(&mut self) {
        let mut at = 0;
        while at < self.workers.len() {
            let worker = &self.workers[at];
            if worker.state == State::Draining && worker.in_flight == 0 {
                log::info!("worker {} drained and removed", worker.address);
                self.remove_at(at);
            } else {
                at += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    /// Takes `worker` out of rotation, or puts it back, as the ejection rules would.
    fn set_state(pool: &Pool, worker: SocketAddr, state: State) {
        pool.update(worker, |w| w.state = state).unwrap();
    }

    #[test]
    fn round_robin_skips_tried_and_ejected_workers() {
        let pool = Pool::new([addr(1), addr(2), addr(3)]);
        let picks: Vec<_> = (0..4).map(|_| pool.pick(&[]).unwrap().port()).collect();
        assert_eq!(picks, [1, 2, 3, 1]);
        // Next is 2; a request that already tried 2 goes to 3.
        assert_eq!(pool.pick(&[addr(2)]), Some(addr(3)));
        set_state(&pool, addr(1), State::Ejected);
        assert_eq!(pool.ejected(), [addr(1)]);
        assert_eq!(pool.pick(&[]), Some(addr(2)));
        assert_eq!(pool.pick(&[]), Some(addr(3)));
        assert_eq!(pool.pick(&[]), Some(addr(2)), "1 is out of rotation");
        // Last resort: the ejected worker, before giving up.
        assert_eq!(pool.pick(&[addr(2), addr(3)]), Some(addr(1)));
        set_state(&pool, addr(1), State::Healthy);
        assert_eq!(pool.healthy(), 3);
    }

    #[test]
    fn add_and_remove_keep_the_rotation() {
        let pool = Pool::new([addr(1), addr(2)]);
        assert!(
            !pool.add(addr(1), Source::Admin),
            "adding twice is harmless"
        );
        assert_eq!(pool.pick(&[]), Some(addr(1)));
        assert!(pool.remove(addr(1)));
        assert!(!pool.remove(addr(1)));
        assert_eq!(pool.pick(&[]), Some(addr(2)));
        // The exchange with the deleted worker still finishes, recording nothing.
        assert_eq!(pool.finish(addr(1), |_| ()), None);
        let (_, none_in_rotation) = pool.finish(addr(2), |w| w.state = State::Ejected).unwrap();
        assert!(none_in_rotation);
        assert_eq!(pool.snapshot()[0].in_flight, 0);
    }

    #[test]
    fn dns_refresh_adds_drains_and_never_touches_other_sources() {
        let name: DnsName = "workers:8888".parse().unwrap();
        let other: DnsName = "more:8888".parse().unwrap();
        let pool = Pool::new([addr(1)]);
        assert!(pool.add(addr(2), Source::Admin));
        let change = pool.sync_dns(&name, &[addr(1), addr(3), addr(4)]);
        assert_eq!(
            change.added,
            [addr(3), addr(4)],
            "1 is already there, from a flag"
        );
        assert_eq!(pool.snapshot()[0].source, Source::Flag);
        assert_eq!(pool.snapshot()[2].source.to_string(), "dns workers:8888");
        pool.sync_dns(&other, &[addr(5)]);

        // 3 is busy when the name stops listing it: it drains; 4 is idle and goes at once.
        let order: Vec<_> = (0..3).map(|_| pool.pick(&[]).unwrap()).collect();
        assert_eq!(order, [addr(1), addr(2), addr(3)]);
        let change = pool.sync_dns(&name, &[]);
        assert_eq!(change.removed, [addr(3), addr(4)]);
        let listed = |pool: &Pool| -> Vec<(u16, State)> {
            pool.snapshot()
                .iter()
                .map(|w| (w.address.port(), w.state))
                .collect()
        };
        assert_eq!(
            listed(&pool),
            [
                (1, State::Healthy),
                (2, State::Healthy),
                (3, State::Draining),
                (5, State::Healthy)
            ]
        );
        for _ in 0..6 {
            let picked = pool.pick(&[]).unwrap();
            assert_ne!(picked, addr(3), "a draining worker gets no new request");
            pool.release(picked);
        }
        pool.finish(addr(3), |_| ());
        assert_eq!(
            listed(&pool),
            [
                (1, State::Healthy),
                (2, State::Healthy),
                (5, State::Healthy)
            ]
        );
        // Flag and admin workers survive any refresh; a failed lookup is not a refresh.
        pool.sync_dns(&name, &[]);
        assert_eq!(pool.snapshot().len(), 3);
    }
}
