//! Changing the pool, and the admin session that allows it from a browser.
//!
//! Three ways in, one check ([`authorize`]): the course's links (`GET /add/IP:PORT`,
//! `GET /del/IP:PORT`), the JSON API (`POST /api/workers`, `DELETE /api/workers/IP:PORT`),
//! and the forms of the workers page (`POST /workers/add`, `POST /workers/remove`). The
//! login form (`GET /admin`, `POST /admin/login`) trades the admin token for a session
//! cookie; `POST /admin/logout` ends it. See [`crate::gateway::admin_session`] for the
//! rules.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::page::layout::Notice;
use super::page::login::{AdminView, render as admin_page};
use super::reply::{ApiError, Peer, authorize, credentials, denied_status, see_other};
use crate::gateway::admin_session::{Admin, Admitted, Denied};
use crate::gateway::pool::Source;
use crate::gateway::state::Gateway;

type App = State<Arc<Gateway>>;

fn parse_worker(text: &str) -> Result<SocketAddr, ApiError> {
    text.trim().parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{text:?} is not a worker address; expected IP:PORT, e.g. 10.10.1.1:8888"),
        )
    })
}

/// Adds a worker for the JSON answers: 201 when new, 200 when it was there already.
fn add_json(gateway: &Gateway, text: &str) -> Result<Response, ApiError> {
    let worker = parse_worker(text)?;
    let added = gateway.add_worker(worker, Source::Admin);
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = serde_json::json!({
        "worker": worker,
        "added": added,
        "workers": gateway.pool().snapshot(),
    });
    Ok((status, Json(body)).into_response())
}

/// `GET /add/IP:PORT`, the course's link.
pub async fn add_course(
    State(gateway): App,
    Path(worker): Path<String>,
    headers: HeaderMap,
    peer: Peer,
) -> Result<Response, ApiError> {
    authorize(&gateway, &headers, &peer)?;
    add_json(&gateway, &worker)
}

/// `GET /del/IP:PORT`, the course's link, and `DELETE /api/workers/IP:PORT`: 404 for a
/// worker not in the pool.
pub async fn delete(
    State(gateway): App,
    Path(worker): Path<String>,
    headers: HeaderMap,
    peer: Peer,
) -> Result<Response, ApiError> {
    authorize(&gateway, &headers, &peer)?;
    let worker = parse_worker(&worker)?;
    if !gateway.delete_worker(worker) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("worker {worker} is not in the pool"),
        ));
    }
    let body = serde_json::json!({
        "worker": worker,
        "deleted": true,
        "workers": gateway.pool().snapshot(),
    });
    Ok(Json(body).into_response())
}

/// `POST /api/workers` with `{"address": "IP:PORT"}` or the bare `IP:PORT` as the body.
pub async fn add_api(
    State(gateway): App,
    headers: HeaderMap,
    peer: Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&gateway, &headers, &peer)?;
    #[derive(Deserialize)]
    struct AddWorker {
        address: String,
    }
    let text = match serde_json::from_slice::<AddWorker>(&body) {
        Ok(request) => request.address,
        Err(_) => String::from_utf8_lossy(&body).into_owned(),
    };
    add_json(&gateway, &text)
}

/// The form field of the workers page's add and remove forms.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    address: String,
}

/// `POST /workers/add`: the workers page's add form; back to the page (303) with a notice.
pub async fn add_form(
    State(gateway): App,
    headers: HeaderMap,
    peer: Peer,
    form: Result<Form<AddressForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    change_from_form(&gateway, &headers, &peer, form, |gateway, worker| {
        if gateway.add_worker(worker, Source::Admin) {
            Ok(format!("added={worker}"))
        } else {
            Ok(format!("present={worker}"))
        }
    })
}

/// `POST /workers/remove`: the workers page's remove buttons; back to the page (303).
pub async fn remove_form(
    State(gateway): App,
    headers: HeaderMap,
    peer: Peer,
    form: Result<Form<AddressForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    change_from_form(&gateway, &headers, &peer, form, |gateway, worker| {
        if gateway.delete_worker(worker) {
            Ok(format!("removed={worker}"))
        } else {
            Err((
                StatusCode::NOT_FOUND,
                format!("worker {worker} is not in the pool"),
            ))
        }
    })
}

/// Checks the visitor and the form, applies `change`, and sends the browser back to the
/// workers page with what happened in the query (so reloading it sends nothing again), or
/// shows the page with the error.
fn change_from_form(
    gateway: &Arc<Gateway>,
    headers: &HeaderMap,
    peer: &Peer,
    form: Result<Form<AddressForm>, axum::extract::rejection::FormRejection>,
    change: impl FnOnce(&Gateway, SocketAddr) -> Result<String, (StatusCode, String)>,
) -> Response {
    if let Err(denied) = authorize(gateway, headers, peer) {
        let (status, extra) = denied_status(&denied);
        let page = super::workers::render(
            gateway,
            headers,
            peer,
            Some(Notice::Error(&denied.to_string())),
        );
        return (status, extra, Html(page)).into_response();
    }
    let result = match form {
        Ok(Form(form)) => parse_worker(&form.address)
            .map_err(|e| (e.status, e.message))
            .and_then(|worker| change(gateway, worker)),
        Err(e) => Err((StatusCode::BAD_REQUEST, e.body_text())),
    };
    match result {
        Ok(query) => see_other(&format!("/workers?{query}"), None),
        Err((status, message)) => {
            let page =
                super::workers::render(gateway, headers, peer, Some(Notice::Error(&message)));
            (status, Html(page)).into_response()
        }
    }
}

/// `GET /admin`: the login form, or the logged-in page.
pub async fn page(State(gateway): App, headers: HeaderMap, peer: Peer) -> Html<String> {
    let admin = gateway.admin();
    let view = if !admin.has_token() {
        AdminView::NoToken
    } else if admin.admitted(&credentials(&headers, &peer)) == Some(Admitted::Session) {
        AdminView::LoggedIn
    } else {
        AdminView::Login(None)
    };
    Html(admin_page(&view))
}

/// The login form's field.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    token: String,
}

/// `POST /admin/login` with the form field `token`: on success a session cookie and a 303
/// to the workers page; else the form again with the reason (403, or 429 with
/// `Retry-After` after too many wrong tokens).
pub async fn login(
    State(gateway): App,
    headers: HeaderMap,
    peer: Peer,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        let page = admin_page(&AdminView::Login(Some(Notice::Error(
            "send the token in the form field \"token\"",
        ))));
        return (StatusCode::BAD_REQUEST, Html(page)).into_response();
    };
    let peer_addr = credentials(&headers, &peer).peer;
    match gateway.login(peer_addr, &form.token) {
        Ok(session) => {
            log::info!(
                "admin logged in from {}",
                peer_addr.map_or_else(|| "an unknown address".to_owned(), |p| p.ip().to_string())
            );
            see_other("/workers", Some(gateway.admin().cookie(&session)))
        }
        Err(Denied::NoToken) => {
            (StatusCode::FORBIDDEN, Html(admin_page(&AdminView::NoToken))).into_response()
        }
        Err(denied) => {
            let (status, extra) = denied_status(&denied);
            let message = denied.to_string();
            let page = admin_page(&AdminView::Login(Some(Notice::Error(&message))));
            (status, extra, Html(page)).into_response()
        }
    }
}

/// `POST /admin/logout`: ends the session, removes the cookie, back to `/admin` (303).
pub async fn logout(State(gateway): App, headers: HeaderMap, peer: Peer) -> Response {
    if let Some(session) = credentials(&headers, &peer).session {
        gateway.admin().logout(session);
    }
    see_other("/admin", Some(Admin::expired_cookie()))
}
