//! The classify path ([`Gateway::classify`]): what happens to an upload. It is checked from
//! its header, base64-encoded once, and sent to workers until one answers; how each attempt
//! counts toward its worker's ejection is decided in [`ejection`].
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
//! [`GatewayConfig::max_attempts`]: super::config::GatewayConfig::max_attempts
//! [`GatewayConfig::request_deadline`]: super::config::GatewayConfig::request_deadline

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use base64::Engine as _;
use serde::Serialize;

use super::ejection;
use super::exchange::exchange;
use super::metrics::RequestOutcome;
use super::state::Gateway;
use crate::protocol::{Answer, Label};

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
    /// Classifies `image` through the pool: checks it, then tries workers until one answers
    /// (see the module documentation). Counts the request in the metrics.
    pub async fn classify(self: &Arc<Self>, image: &[u8]) -> Result<Classified, ClassifyError> {
        let started = Instant::now();
        let result = self.classify_uncounted(image, started).await;
        let outcome = match &result {
            Ok(_) => RequestOutcome::Ok,
            Err(e) => e.outcome(),
        };
        self.metrics().request(outcome, started.elapsed());
        result
    }

    async fn classify_uncounted(
        self: &Arc<Self>,
        image: &[u8],
        started: Instant,
    ) -> Result<Classified, ClassifyError> {
        let _permit = self
            .permits()
            .clone()
            .try_acquire_owned()
            .map_err(|_| ClassifyError::Busy)?;
        self.check_image(image)?;
        let text = Arc::new(
            base64::engine::general_purpose::STANDARD
                .encode(image)
                .into_bytes(),
        );
        let deadline = started + self.config().request_deadline;
        let mut tried = Vec::new();
        let mut last_error = String::new();
        while (tried.len() as u32) < self.config().max_attempts.max(1) {
            let Some(worker) = self.pool().pick(&tried) else {
                break;
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.pool().release(worker);
                break;
            }
            if !tried.is_empty() {
                self.metrics().retry();
            }
            if tried.contains(&worker) {
                // Every worker already failed this request once: give them a moment.
                tokio::time::sleep(Duration::from_millis(100).min(left)).await;
            }
            tried.push(worker);
            let timeout = self.config().attempt_timeout.min(left);
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
                seconds: self.config().request_deadline.as_secs(),
            })
        } else {
            Err(ClassifyError::Failed {
                attempts,
                last: last_error,
            })
        }
    }

    /// One exchange with `worker`, on a blocking thread: the protocol is plain blocking
    /// sockets, shared with the worker. The outcome is recorded ([`ejection`]) inside that
    /// thread, so the count stays right even when the HTTP client gives up and this future
    /// is dropped.
    async fn attempt(
        self: &Arc<Self>,
        worker: SocketAddr,
        text: Arc<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Answer, String> {
        let gateway = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let connect_timeout = gateway.config().connect_timeout;
            let result = exchange(worker, &text, connect_timeout, timeout);
            let ended = result.as_ref().map(|_| ()).map_err(String::as_str);
            ejection::record_exchange(&gateway, worker, ended);
            result
        });
        task.await
            .unwrap_or_else(|e| Err(format!("attempt aborted: {e}")))
    }

    /// Refuses empty uploads, non-images and oversized ones from the header alone.
    fn check_image(&self, image: &[u8]) -> Result<(), ClassifyError> {
        if image.is_empty() {
            return Err(ClassifyError::NoFile);
        }
        let config = self.config();
        if image.len() > config.max_upload_bytes {
            return Err(too_large(image.len(), config.max_upload_bytes));
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
        if width > config.max_side
            || height > config.max_side
            || u64::from(width) * u64::from(height) > config.max_pixels
        {
            return Err(ClassifyError::TooLarge(format!(
                "the image is {width}x{height} pixels; the limit is {} pixels per side and \
                 {} megapixels",
                config.max_side,
                config.max_pixels / 1_000_000
            )));
        }
        Ok(())
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
