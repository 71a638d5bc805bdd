//! The gateway's HTTP routes: one module per group of handlers, [`router`] putting them
//! together, and below them the HTML pages they serve ([`page`]), which import no handler.
//!
//! | route | what | module |
//! |---|---|---|
//! | `GET /` | the upload page | [`upload`] |
//! | `POST /` | multipart field `file` → the page with the top 5 | [`upload`] |
//! | `POST /api/classify` | raw image body or multipart `file` → JSON | [`upload`] |
//! | `GET /workers` | the workers page (HTML) | [`workers`] |
//! | `GET /api/workers` | the workers as JSON | [`workers`] |
//! | `GET /add/IP:PORT`, `GET /del/IP:PORT` | the course's admin links | [`admin`] |
//! | `POST /api/workers`, `DELETE /api/workers/IP:PORT` | the same as JSON | [`admin`] |
//! | `POST /workers/add`, `POST /workers/remove` | the workers page's forms | [`admin`] |
//! | `GET /admin`, `POST /admin/login`, `POST /admin/logout` | the admin session | [`admin`] |
//! | `GET /healthz`, `GET /readyz`, `GET /metrics` | liveness, readiness, Prometheus text | [`ops`] |

pub mod admin;
pub mod ops;
pub mod page;
pub mod reply;
pub mod upload;
pub mod workers;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use tower_http::timeout::TimeoutLayer;

use super::state::Gateway;

/// Multipart framing allowed on top of the upload limit.
const MULTIPART_SLACK: usize = 64 << 10;

/// The application: every route of the gateway over `gateway` (see the module's table).
///
/// Serve it with connect info (`into_make_service_with_connect_info::<SocketAddr>()`, as
/// [`serve`](super::serve) does) so admin calls without a token can check for a loopback
/// client, and wrong tokens are counted per client.
pub fn router(gateway: Arc<Gateway>) -> Router {
    let body_limit = gateway.config().max_upload_bytes + MULTIPART_SLACK;
    // Bounds a slow upload as well as a slow answer: the deadline plus time to send it.
    let request_timeout = gateway.config().request_deadline + Duration::from_secs(30);
    Router::new()
        .route("/", get(upload::index).post(upload::upload))
        .route("/api/classify", post(upload::api_classify))
        .route("/workers", get(workers::page))
        .route("/api/workers", get(workers::list).post(admin::add_api))
        .route("/add/{worker}", get(admin::add_course))
        .route("/del/{worker}", get(admin::delete))
        .route("/api/workers/{worker}", delete(admin::delete))
        .route("/workers/add", post(admin::add_form))
        .route("/workers/remove", post(admin::remove_form))
        .route("/admin", get(admin::page))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .with_state(gateway)
}
