//! Liveness, readiness and metrics: what an orchestrator and Prometheus read.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::gateway::metrics::CONTENT_TYPE;
use crate::gateway::state::Gateway;

/// `GET /healthz`: the process answers (liveness).
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: 200 while at least one worker is in rotation, else 503 (readiness).
pub async fn readyz(State(gateway): State<Arc<Gateway>>) -> Response {
    let healthy = gateway.pool().healthy();
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

/// `GET /metrics`: the Prometheus text format.
pub async fn metrics(State(gateway): State<Arc<Gateway>>) -> Response {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        gateway.metrics().render(),
    )
        .into_response()
}
