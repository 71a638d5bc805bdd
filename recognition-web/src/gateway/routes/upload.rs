//! The upload page and the classification API: `GET /`, `POST /` (the course's form) and
//! `POST /api/classify` (a raw body or the same form, answered as JSON).

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::page::upload as upload_page;
use super::reply::json_error;
use crate::gateway::classify::{ClassifyError, too_large};
use crate::gateway::state::Gateway;

type App = State<Arc<Gateway>>;

/// `GET /`: the upload page.
pub async fn index(State(gateway): App) -> Html<String> {
    Html(upload_page::render(
        &upload_page::View::Form,
        gateway.config().max_upload_bytes,
    ))
}

/// `POST /`: the course's form upload; always answers the page, with the error shown on it.
pub async fn upload(
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
            gateway.metrics().request(e.outcome(), Duration::ZERO);
            Err(e)
        }
    };
    match result {
        Ok((classified, image)) => Html(upload_page::render(
            &upload_page::View::Result {
                classified: &classified,
                image: &image,
            },
            gateway.config().max_upload_bytes,
        ))
        .into_response(),
        Err(e) => {
            let page = Html(upload_page::render(
                &upload_page::View::Error(&e.to_string()),
                gateway.config().max_upload_bytes,
            ));
            (e.status(), e.headers(), page).into_response()
        }
    }
}

/// The bytes of the multipart field `file`.
async fn file_field(mut multipart: Multipart, gateway: &Gateway) -> Result<Bytes, ClassifyError> {
    let limit = gateway.config().max_upload_bytes;
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
pub async fn api_classify(State(gateway): App, request: Request) -> Response {
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
                gateway.config().max_upload_bytes + 1,
                gateway.config().max_upload_bytes,
            )),
            Err(e) => Err(ClassifyError::BadRequest(e.body_text())),
        }
    };
    let result = match image {
        Ok(image) => gateway.classify(&image).await,
        Err(e) => {
            gateway.metrics().request(e.outcome(), Duration::ZERO);
            Err(e)
        }
    };
    match result {
        Ok(classified) => Json(classified).into_response(),
        Err(e) => json_error(e.status(), e.headers(), &e.to_string()),
    }
}
