//! The web gateway (the course's Flask `client.py`): the upload page, a JSON API, and the
//! worker pool that every image is sent through.
//!
//! [`router`] builds the axum application over a shared [`Gateway`]; [`serve`] runs it on a
//! listener with the background prober, so tests serve it on a port-0 listener in-process.
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
//! when it answers. Ejecting the last worker in rotation is logged as an error and makes
//! `GET /readyz` fail, so an empty pool never goes unnoticed.
//!
//! Workers in rotation also get an active health check (a TCP connect every
//! [`GatewayConfig::health_check_interval`]), so one that dies while idle leaves the
//! rotation before a request meets it; see [`health`].
//!
//! # Slow and idle HTTP clients
//!
//! [`serve`] bounds the HTTP side around the router: the time to send a request's headers
//! (also the idle time of a keep-alive connection), how long an answer may wait for a
//! client that does not read it, and the number of open connections; see [`http`].

pub mod health;
pub mod http;
pub mod metrics;
pub mod pool;

use std::future::Future;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json};
use base64::Engine as _;
use serde::Serialize;
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

use crate::page;
use crate::protocol::{self, Answer, Connection, Label};
use metrics::{Metrics, RequestOutcome};
use pool::{Outcome, Pool, WorkerStatus};

/// Bounds and policies of a gateway.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Largest accepted upload, in bytes (the photo itself; multipart framing is extra).
    pub max_upload_bytes: usize,
    /// Largest accepted width or height, in pixels, read from the image's header.
    pub max_side: u32,
    /// Largest accepted width x height, in pixels, read from the image's header.
    pub max_pixels: u64,
    /// Time from an upload's arrival to its answer, all attempts included.
    pub request_deadline: Duration,
    /// Bound on one exchange with one worker (its classification included).
    pub attempt_timeout: Duration,
    /// Bound on one TCP handshake with a worker.
    pub connect_timeout: Duration,
    /// Workers tried per request at most (the retry budget is this minus one).
    pub max_attempts: u32,
    /// Classification requests handled at once; more get 503 with `Retry-After`.
    pub max_concurrent: usize,
    /// Consecutive failures that take a worker out of rotation.
    pub eject_after: u32,
    /// Pause between two rounds of probing the ejected workers.
    pub probe_interval: Duration,
    /// Pause between two rounds of health checks of the workers in rotation; `None`: no
    /// active health check (failures are then seen through requests only).
    pub health_check_interval: Option<Duration>,
    /// Bound on one health check's TCP handshake.
    pub health_check_timeout: Duration,
    /// Consecutive failed health checks that take a worker out of rotation.
    pub health_check_failures: u32,
    /// Time a client has to send a request's line and headers, from the moment the
    /// connection is ready for one: after accepting it, and after each answer on a
    /// keep-alive connection (so this is also the idle keep-alive timeout).
    pub header_timeout: Duration,
    /// Time a write to an HTTP client may make no progress (the client is not reading its
    /// answer) before the connection is closed.
    pub write_timeout: Duration,
    /// HTTP connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Bearer token the admin calls need; with none, they are accepted from loopback only.
    pub admin_token: Option<String>,
}

impl Default for GatewayConfig {
    /// 10 MiB uploads, 10 000 px per side and 64 megapixels (a 48-megapixel phone photo
    /// passes), 30 s per request and 15 s per attempt, 2 s to connect, 4 attempts, 64
    /// concurrent requests, ejection after 2 consecutive failures, probes every second, no
    /// admin token.
    ///
    /// Health checks every 2 s with a 1 s handshake bound, ejection after 2 failed in a row:
    /// a worker that dies while idle leaves the rotation 2–6 s later, for one connection per
    /// worker every 2 s. 10 s for request headers (a browser sends them in one packet; 10 s
    /// allows a very slow link), 30 s for a client to take any of its answer, and 512 open
    /// connections: with the default descriptor limit of 1024, this leaves room for the
    /// worker connections (at most [`GatewayConfig::max_concurrent`] plus the checks) and the
    /// process's own files.
    fn default() -> Self {
        Self {
            max_upload_bytes: 10 << 20,
            max_side: 10_000,
            max_pixels: 64_000_000,
            request_deadline: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(2),
            max_attempts: 4,
            max_concurrent: 64,
            eject_after: 2,
            probe_interval: Duration::from_secs(1),
            health_check_interval: Some(Duration::from_secs(2)),
            health_check_timeout: Duration::from_secs(1),
            health_check_failures: 2,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            admin_token: None,
        }
    }
}

/// The gateway's shared state: configuration, worker pool, counters.
#[derive(Debug)]
pub struct Gateway {
    config: GatewayConfig,
    pool: Pool,
    metrics: Metrics,
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

    fn outcome(&self) -> RequestOutcome {
        match self.status() {
            s if s.is_client_error() => RequestOutcome::ClientError,
            _ if matches!(self, Self::Busy) => RequestOutcome::Busy,
            _ => RequestOutcome::Failed,
        }
    }

    /// Extra headers: `Retry-After` when busy.
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if matches!(self, Self::Busy | Self::NoWorker) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        headers
    }
}

impl Gateway {
    /// A gateway over `workers` (all in rotation at first).
    pub fn new(config: GatewayConfig, workers: impl IntoIterator<Item = SocketAddr>) -> Arc<Self> {
        let probe = base64::engine::general_purpose::STANDARD.encode(probe_picture());
        Arc::new(Self {
            pool: Pool::new(workers, config.eject_after),
            metrics: Metrics::default(),
            permits: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            probe_text: Arc::new(probe.into_bytes()),
            config,
        })
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
            gateway.record(worker, result.is_ok());
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

    fn record(&self, worker: SocketAddr, ok: bool) {
        let outcome = if ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        let change = self.pool.finish(worker, outcome);
        if change.ejected {
            self.metrics.ejection();
            log::warn!("worker {worker} ejected after consecutive failures; probing it");
            if change.pool_empty {
                log::error!("no worker left in rotation: requests fail until one answers again");
            }
        }
    }

    /// Records one active health check of `worker` in the pool, the metrics and the log.
    fn record_health_check(&self, worker: SocketAddr, result: Result<(), String>) {
        let threshold = self.config.health_check_failures;
        let passed = result.is_ok();
        self.metrics.health_check(passed);
        let Some((count, change)) = self.pool.record_check(worker, passed, threshold) else {
            return; // deleted while it was being checked
        };
        let Err(reason) = result else {
            log::debug!("worker {worker} passed its health check");
            return;
        };
        if change.ejected {
            self.metrics.ejection();
            self.metrics.health_check_ejection();
            log::warn!(
                "worker {worker} ejected after {count} failed health checks in a row \
                 ({reason}); probing it"
            );
            if change.pool_empty {
                log::error!("no worker left in rotation: requests fail until one answers again");
            }
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

fn too_large(size: usize, limit: usize) -> ClassifyError {
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

/// Multipart framing allowed on top of [`GatewayConfig::max_upload_bytes`].
const MULTIPART_SLACK: usize = 64 << 10;

/// The application: every route of the gateway over `gateway`.
///
/// | route | what |
/// |---|---|
/// | `GET /` | the upload page |
/// | `POST /` | multipart field `file` → the page with the top 5 |
/// | `POST /api/classify` | raw image body or multipart `file` → JSON |
/// | `GET /add/IP:PORT`, `GET /del/IP:PORT` | the course's admin paths |
/// | `GET /api/workers`, `POST /api/workers`, `DELETE /api/workers/IP:PORT` | the same as JSON |
/// | `GET /healthz`, `GET /readyz`, `GET /metrics` | liveness, readiness, Prometheus text |
///
/// Serve it with connect info (`into_make_service_with_connect_info::<SocketAddr>()`, as
/// [`serve`] does) so admin calls without a token can check for a loopback client.
pub fn router(gateway: Arc<Gateway>) -> Router {
    let body_limit = gateway.config.max_upload_bytes + MULTIPART_SLACK;
    // Bounds a slow upload as well as a slow answer: the deadline plus time to send it.
    let request_timeout = gateway.config.request_deadline + Duration::from_secs(30);
    Router::new()
        .route("/", get(index).post(upload))
        .route("/api/classify", post(api_classify))
        .route("/add/{worker}", get(add_course))
        .route("/del/{worker}", get(del_worker_route))
        .route("/api/workers", get(list_workers).post(add_api))
        .route("/api/workers/{worker}", delete(del_worker_route))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .with_state(gateway)
}

/// Serves [`router`] on `listener` until `shutdown` completes, with the HTTP bounds of
/// [`http::serve`] and the background [`health`] work (health checks of the workers in
/// rotation, probes of the ejected ones); then stops accepting, finishes the requests in
/// progress and returns.
///
/// Errors: none so far (accept failures are logged and retried); the `Result` leaves room
/// for setup that can fail.
pub async fn serve(
    listener: tokio::net::TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let _background = health::spawn(&gateway);
    http::serve(listener, router(gateway.clone()), gateway, shutdown).await
}

type App = State<Arc<Gateway>>;

async fn index(State(gateway): App) -> Html<String> {
    Html(page::render(
        &page::View::Form,
        gateway.config.max_upload_bytes,
    ))
}

/// `POST /`: the course's form upload; always answers the page, with the error shown on it.
async fn upload(
    State(gateway): App,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let image = match multipart {
        Ok(multipart) => file_field(multipart, &gateway).await,
        Err(e) => Err(ClassifyError::BadRequest(e.body_text())),
    };
    let result = match image {
        Ok(image) => gateway.classify(&image).await.map(|c| (c, image)),
        Err(e) => {
            gateway.metrics.request(e.outcome(), Duration::ZERO);
            Err(e)
        }
    };
    match result {
        Ok((classified, image)) => Html(page::render(
            &page::View::Result {
                classified: &classified,
                image: &image,
            },
            gateway.config.max_upload_bytes,
        ))
        .into_response(),
        Err(e) => {
            let page = Html(page::render(
                &page::View::Error(&e.to_string()),
                gateway.config.max_upload_bytes,
            ));
            (e.status(), e.headers(), page).into_response()
        }
    }
}

/// The bytes of the multipart field `file`.
async fn file_field(mut multipart: Multipart, gateway: &Gateway) -> Result<Bytes, ClassifyError> {
    let limit = gateway.config.max_upload_bytes;
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|e| multipart_error(e, limit))?;
        let Some(field) = field else {
            return Err(ClassifyError::NoFile);
        };
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
            if bytes.is_empty() {
                return Err(ClassifyError::NoFile);
            }
            return Ok(bytes);
        }
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError, limit: usize) -> ClassifyError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ClassifyError::TooLarge(format!(
            "the file is too large; the limit is {:.1} MiB",
            limit as f64 / f64::from(1 << 20)
        ))
    } else {
        ClassifyError::BadRequest(e.body_text())
    }
}

/// `POST /api/classify`: a raw image body, or a multipart form with a `file` field.
async fn api_classify(State(gateway): App, request: Request) -> Response {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let image = if is_multipart {
        match Multipart::from_request(request, &gateway).await {
            Ok(multipart) => file_field(multipart, &gateway).await,
            Err(e) => Err(ClassifyError::BadRequest(e.body_text())),
        }
    } else {
        match Bytes::from_request(request, &gateway).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large(
                gateway.config.max_upload_bytes + 1,
                gateway.config.max_upload_bytes,
            )),
            Err(e) => Err(ClassifyError::BadRequest(e.body_text())),
        }
    };
    let result = match image {
        Ok(image) => gateway.classify(&image).await,
        Err(e) => {
            gateway.metrics.request(e.outcome(), Duration::ZERO);
            Err(e)
        }
    };
    match result {
        Ok(classified) => Json(classified).into_response(),
        Err(e) => json_error(e.status(), e.headers(), &e.to_string()),
    }
}

fn json_error(status: StatusCode, headers: HeaderMap, message: &str) -> Response {
    let body = Json(serde_json::json!({ "error": message }));
    (status, headers, body).into_response()
}

/// An admin call's refusal: a status and a message, answered as JSON.
struct AdminError(StatusCode, String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        json_error(self.0, HeaderMap::new(), &self.1)
    }
}

/// Admin calls: the bearer token when one is configured, else a loopback client.
fn authorize(
    gateway: &Gateway,
    headers: &HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<(), AdminError> {
    let allowed = match &gateway.config.admin_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| given.trim() == token),
        None => peer.is_some_and(|Extension(ConnectInfo(peer))| peer.ip().is_loopback()),
    };
    if allowed {
        return Ok(());
    }
    let why = if gateway.config.admin_token.is_some() {
        "admin calls need the gateway's admin token (Authorization: Bearer TOKEN)"
    } else {
        "admin calls are accepted from loopback only (start the gateway with --admin-token)"
    };
    Err(AdminError(StatusCode::FORBIDDEN, why.to_owned()))
}

fn parse_worker(text: &str) -> Result<SocketAddr, AdminError> {
    text.trim().parse().map_err(|_| {
        AdminError(
            StatusCode::BAD_REQUEST,
            format!("{text:?} is not a worker address; expected IP:PORT, e.g. 10.10.1.1:8888"),
        )
    })
}

fn add_worker(gateway: &Gateway, text: &str) -> Result<Response, AdminError> {
    let worker = parse_worker(text)?;
    let added = gateway.pool.add(worker);
    if added {
        log::info!("worker {worker} added");
    }
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = serde_json::json!({
        "worker": worker,
        "added": added,
        "workers": gateway.pool.snapshot(),
    });
    Ok((status, Json(body)).into_response())
}

fn del_worker(gateway: &Gateway, text: &str) -> Result<Response, AdminError> {
    let worker = parse_worker(text)?;
    if !gateway.pool.remove(worker) {
        return Err(AdminError(
            StatusCode::NOT_FOUND,
            format!("worker {worker} is not in the pool"),
        ));
    }
    log::info!("worker {worker} deleted");
    let body = serde_json::json!({
        "worker": worker,
        "deleted": true,
        "workers": gateway.pool.snapshot(),
    });
    Ok(Json(body).into_response())
}

/// `GET /add/IP:PORT`, the course's path.
async fn add_course(
    State(gateway): App,
    Path(worker): Path<String>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<Response, AdminError> {
    authorize(&gateway, &headers, peer)?;
    add_worker(&gateway, &worker)
}

/// `GET /del/IP:PORT`, the course's path, and `DELETE /api/workers/IP:PORT`.
async fn del_worker_route(
    State(gateway): App,
    Path(worker): Path<String>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<Response, AdminError> {
    authorize(&gateway, &headers, peer)?;
    del_worker(&gateway, &worker)
}

/// `POST /api/workers` with `{"address": "IP:PORT"}` or the bare `IP:PORT` as the body.
async fn add_api(
    State(gateway): App,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Result<Response, AdminError> {
    authorize(&gateway, &headers, peer)?;
    #[derive(serde::Deserialize)]
    struct AddWorker {
        address: String,
    }
    let text = match serde_json::from_slice::<AddWorker>(&body) {
        Ok(request) => request.address,
        Err(_) => String::from_utf8_lossy(&body).into_owned(),
    };
    add_worker(&gateway, &text)
}

async fn list_workers(State(gateway): App) -> Json<Vec<WorkerStatus>> {
    Json(gateway.pool.snapshot())
}

async fn readyz(State(gateway): App) -> Response {
    let healthy = gateway.pool.healthy();
    if healthy > 0 {
        format!("ready: {healthy} workers in rotation\n").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: no worker in rotation\n",
        )
            .into_response()
    }
}

async fn metrics_text(State(gateway): App) -> Response {
    let text = gateway.metrics.render(&gateway.pool.snapshot());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
