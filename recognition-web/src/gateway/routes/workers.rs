//! The workers, for people and for programs: `GET /workers` (HTML) and `GET /api/workers`
//! (JSON).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Html;

use super::page::layout::Notice;
use super::page::workers::{Visitor, WorkersView};
use super::reply::{Peer, credentials};
use crate::gateway::admin_session::Admitted;
use crate::gateway::pool::WorkerStatus;
use crate::gateway::state::Gateway;

/// `GET /api/workers`: every worker's address, state, counters, last error and source.
pub async fn list(State(gateway): State<Arc<Gateway>>) -> Json<Vec<WorkerStatus>> {
    Json(gateway.pool().snapshot())
}

/// `GET /workers`: the workers page; after a form, the query (`added=`, `present=`,
/// `removed=`) names what was done.
pub async fn page(
    State(gateway): State<Arc<Gateway>>,
    headers: HeaderMap,
    peer: Peer,
    Query(query): Query<HashMap<String, String>>,
) -> Html<String> {
    let done = [
        ("added", "added"),
        ("present", "was already in the pool"),
        ("removed", "removed"),
    ]
    .iter()
    .find_map(|(key, what)| Some(format!("Worker {} {what}.", query.get(*key)?)));
    Html(render(
        &gateway,
        &headers,
        &peer,
        done.as_deref().map(Notice::Done),
    ))
}

/// The workers page for this visitor, with `notice` on top.
pub fn render(
    gateway: &Gateway,
    headers: &HeaderMap,
    peer: &Peer,
    notice: Option<Notice<'_>>,
) -> String {
    let workers = gateway.pool().snapshot();
    let config = gateway.config();
    super::page::workers::render(&WorkersView {
        workers: &workers,
        dns: (&config.workers_dns, config.dns_refresh.as_millis()),
        visitor: visitor(gateway, headers, peer),
        notice,
    })
}

/// Who is looking: the forms are shown to whoever the admin calls would accept, except
/// that a bearer token is not checked here (browsers do not send one, and a page view must
/// not count as a wrong token).
fn visitor(gateway: &Gateway, headers: &HeaderMap, peer: &Peer) -> Visitor {
    let admin = gateway.admin();
    match admin.admitted(&credentials(headers, peer)) {
        Some(how) => Visitor::Admin {
            session: how == Admitted::Session,
        },
        None => Visitor::Guest {
            token: admin.has_token(),
        },
    }
}
