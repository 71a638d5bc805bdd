//! The classify path: the gateway's shared state ([`Gateway`]) and what happens to an
//! upload: checked from its header, base64-encoded once, and sent to workers until one
//! answers, plus the probe that brings ejected workers back.
//!
//! # No request lost
//!
//! The gateway keeps the uploaded image until a worker has answered. An attempt that fails
//! (connection refused, timeout, the worker closing mid-exchange, too many NACKs, a result
//! that does not parse) counts against that worker and the request moves on to the next
//! one, within [`GatewayConfig::max_attempts`] and [`GatewayConfig::request_deadline`]. An
//! image the worker could not decode is the client's error: answered 400, never retried,
//! never held against the worker.
//!
//! # Ejection and re-admission
//!
//! After [`GatewayConfig::eject_after`] consecutive failures a worker leaves the rotation
//! (it stays listed). Every [`GatewayConfig::probe_interval`] the prober sends each ejected
//! worker a small generated picture through the real protocol and re-admits the worker
//! when it answers ([`Gateway::probe_ejected`]). Ejecting the last worker in rotation is
//! logged as an error and makes `GET /readyz` fail, so an empty pool never goes unnoticed.

use std::fmt;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use base64::Engine as _;
use serde::Serialize;
use tokio::sync::Semaphore;

use super::admin_session::{Admin, Credentials, Denied};
use super::config::GatewayConfig;
use super::metrics::{Metrics, RequestOutcome};
use super::pool::{Change, Outcome, Pool, Source};
use crate::protocol::{self, Answer, Connection, Label};

/// The gateway's shared state: configuration, worker pool, metrics, admin sessions.
#[derive(Debug)]
pub struct Gateway {
    config: GatewayConfig,
    pool: Arc<Pool>,
    metrics: Metrics,
    admin: Admin,
    permits: Arc<Semaphore>,
    /// Base64 text of the picture the prober sends.
    probe_text: Arc<Vec<u8>>,
}

/// A successful classification.
#[derive(Debug, Clone, Serialize)]
pub struct Classified {
    /// The top 5, most probable first.
    pub predictions: Vec<Label>,
    /// The worker that answered.
    pub worker: SocketAddr,
    /// Workers tried, this one included.
    pub attempts: u32,
    /// Time from the upload's arrival to the answer, in milliseconds.
    pub elapsed_ms: u64,
}

/// Why an upload got no labels; each maps to an HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// The form had no file, or an empty one: 400.
    #[error("no photo was uploaded: choose a file first")]
    NoFile,
    /// The upload is not a picture we can read: 400.
    #[error("that file is not an image we can read: {0}")]
    NotAnImage(String),
    /// The upload or its pixels exceed the limits: 413.
    #[error("{0}")]
    TooLarge(String),
    /// The request was malformed in another way (e.g. a broken multipart body): 400.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Every request slot is taken: 503 with `Retry-After: 1`.
    #[error("the gateway is busy; try again in a moment")]
    Busy,
    /// The pool has no worker at all: 503.
    #[error("no recognition worker is available")]
    NoWorker,
    /// Every attempt failed: 502.
    #[error("no worker could classify the image ({attempts} attempts; last error: {last})")]
    Failed {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        last: String,
    },
    /// The request deadline passed: 504.
    #[error("no worker answered within {seconds} s ({attempts} attempts)")]
    DeadlineExceeded {
        /// Attempts made.
        attempts: u32,
        /// The deadline, in seconds.
        seconds: u64,
    },
}

impl ClassifyError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NoFile | Self::NotAnImage(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy | Self::NoWorker => StatusCode::SERVICE_UNAVAILABLE,
            Self::Failed { .. } => StatusCode::BAD_GATEWAY,
            Self::DeadlineExceeded { .. } => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The `outcome` label this error is counted under.
    pub fn outcome(&self) -> RequestOutcome {
        match self.status() {
            s if s.is_client_error() => RequestOutcome::ClientError,
            _ if matches!(self, Self::Busy) => RequestOutcome::Busy,
            _ => RequestOutcome::Failed,
        }
    }

    /// Extra headers: `Retry-After` when busy.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if matches!(self, Self::Busy | Self::NoWorker) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        headers
    }
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

    /// Classifies `image` through the pool: checks it, then tries workers until one answers
    /// (see the module documentation). Counts the request in the metrics.
    pub async fn classify(self: &Arc<Self>, image: &[u8]) -> Result<Classified, ClassifyError> {
        let started = Instant::now();
        let result = self.classify_uncounted(image, started).await;
        let outcome = match &result {
            Ok(_) => RequestOutcome::Ok,
            Err(e) => e.outcome(),
        };
        self.metrics.request(outcome, started.elapsed());
        result
    }

    async fn classify_uncounted(
        self: &Arc<Self>,
        image: &[u8],
        started: Instant,
    ) -> Result<Classified, ClassifyError> {
        let _permit = self
            .permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| ClassifyError::Busy)?;
        self.check_image(image)?;
        let text = Arc::new(
            base64::engine::general_purpose::STANDARD
                .encode(image)
                .into_bytes(),
        );
        let deadline = started + self.config.request_deadline;
        let mut tried = Vec::new();
        let mut last_error = String::new();
        while (tried.len() as u32) < self.config.max_attempts.max(1) {
            let Some(worker) = self.pool.pick(&tried) else {
                break;
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.pool.release(worker);
                break;
            }
            if !tried.is_empty() {
                self.metrics.retry();
            }
            if tried.contains(&worker) {
                // Every worker already failed this request once: give them a moment.
                tokio::time::sleep(Duration::from_millis(100).min(left)).await;
            }
            tried.push(worker);
            let timeout = self.config.attempt_timeout.min(left);
            match self.attempt(worker, text.clone(), timeout).await {
                Ok(Answer::Labels(predictions)) => {
                    log::info!(
                        "{} from worker {worker} in {} ms ({} attempts)",
                        predictions
                            .first()
                            .map_or_else(String::new, Label::to_string),
                        started.elapsed().as_millis(),
                        tried.len()
                    );
                    return Ok(Classified {
                        predictions,
                        worker,
                        attempts: tried.len() as u32,
                        elapsed_ms: started.elapsed().as_millis() as u64,
                    });
                }
                Ok(Answer::BadImage(reason)) => return Err(ClassifyError::NotAnImage(reason)),
                Err(e) => {
                    log::warn!("worker {worker} failed (attempt {}): {e}", tried.len());
                    last_error = e;
                }
            }
        }
        let attempts = tried.len() as u32;
        if attempts == 0 {
            Err(ClassifyError::NoWorker)
        } else if Instant::now() >= deadline {
            Err(ClassifyError::DeadlineExceeded {
                attempts,
                seconds: self.config.request_deadline.as_secs(),
            })
        } else {
            Err(ClassifyError::Failed {
                attempts,
                last: last_error,
            })
        }
    }

    /// One exchange with `worker`, on a blocking thread: the protocol is plain blocking
    /// sockets, shared with the worker. The pool is told the outcome inside that thread, so
    /// the count stays right even when the HTTP client gives up and this future is dropped.
    async fn attempt(
        self: &Arc<Self>,
        worker: SocketAddr,
        text: Arc<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Answer, String> {
        let gateway = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let result = gateway.exchange(worker, &text, timeout);
            gateway.record(worker, result.as_ref().err());
            result
        });
        task.await
            .unwrap_or_else(|e| Err(format!("attempt aborted: {e}")))
    }

    fn exchange(
        &self,
        worker: SocketAddr,
        text: &[u8],
        timeout: Duration,
    ) -> Result<Answer, String> {
        let limits = protocol::Limits {
            timeout,
            max_image_text: text.len(),
            ..protocol::Limits::default()
        };
        let mut conn = Connection::connect(worker, self.config.connect_timeout, limits)
            .map_err(|e| e.to_string())?;
        let data = protocol::request(&mut conn, text).map_err(|e| e.to_string())?;
        protocol::parse_result(&data).map_err(|e| e.to_string())
    }

    fn record(&self, worker: SocketAddr, error: Option<&String>) {
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

    /// Refuses empty uploads, non-images and oversized ones from the header alone.
    fn check_image(&self, image: &[u8]) -> Result<(), ClassifyError> {
        if image.is_empty() {
            return Err(ClassifyError::NoFile);
        }
        if image.len() > self.config.max_upload_bytes {
            return Err(too_large(image.len(), self.config.max_upload_bytes));
        }
        let reader = image::ImageReader::new(Cursor::new(image))
            .with_guessed_format()
            .map_err(|e| ClassifyError::NotAnImage(e.to_string()))?;
        if reader.format().is_none() {
            return Err(ClassifyError::NotAnImage(
                "not a JPEG, PNG, GIF or WebP file".to_owned(),
            ));
        }
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| ClassifyError::NotAnImage(e.to_string()))?;
        if width > self.config.max_side
            || height > self.config.max_side
            || u64::from(width) * u64::from(height) > self.config.max_pixels
        {
            return Err(ClassifyError::TooLarge(format!(
                "the image is {width}x{height} pixels; the limit is {} pixels per side and \
                 {} megapixels",
                self.config.max_side,
                self.config.max_pixels / 1_000_000
            )));
        }
        Ok(())
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

/// The error for an upload of `size` bytes over `limit`.
pub fn too_large(size: usize, limit: usize) -> ClassifyError {
    ClassifyError::TooLarge(format!(
        "the file is too large ({:.1} MiB); the limit is {:.1} MiB",
        size as f64 / f64::from(1 << 20),
        limit as f64 / f64::from(1 << 20)
    ))
}

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
