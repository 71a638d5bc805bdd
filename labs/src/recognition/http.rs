//! The grader's side of HTTP with a student's front end: a small browser (GET, a multipart
//! upload) and the upload form found in a page's HTML.

use std::time::Duration;

use super::WEB_PORT;
use crate::grading::report::Fault;

/// An HTTP answer: status and body.
pub(super) struct Page {
    pub(super) status: u16,
    pub(super) body: String,
}

/// HTTP to the front end on loopback, each request bounded by the step timeout.
pub(super) struct Browser {
    agent: ureq::Agent,
    base: String,
}

impl Browser {
    pub(super) fn new(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Loopback only: never through a proxy from the environment.
            .proxy(None)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Self {
            agent,
            base: format!("http://127.0.0.1:{WEB_PORT}"),
        }
    }

    fn page(
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<Page, (Fault, String)> {
        let mut response = response.map_err(|e| match e {
            ureq::Error::Timeout(_) => (Fault::Hang, format!("{what}: no answer in time ({e})")),
            e => (Fault::Crash, format!("{what}: {e}")),
        })?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_string()
            .map_err(|e| (Fault::Crash, format!("{what}: reading the page: {e}")))?;
        Ok(Page { status, body })
    }

    pub(super) fn get(&self, path: &str) -> Result<Page, (Fault, String)> {
        let what = format!("GET {path}");
        Self::page(self.agent.get(format!("{}{path}", self.base)).call(), &what)
    }

    /// Posts `photo` as a one-file multipart form.
    pub(super) fn upload(&self, form: &Form, photo: &[u8]) -> Result<Page, (Fault, String)> {
        let boundary = "----labs-grader-7f3a9c";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n",
            form.field
        )
        .into_bytes();
        body.extend_from_slice(photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let what = format!("POST {} (field {:?})", form.action, form.field);
        Self::page(
            self.agent
                .post(format!("{}{}", self.base, form.action))
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .send(&body[..]),
            &what,
        )
    }
}

/// Where the upload form posts, and its file field.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Form {
    pub(super) action: String,
    pub(super) field: String,
}

/// The value of attribute `name` in an HTML tag (quoted or not), case-insensitive name.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let start = from + found;
        from = start + name.len();
        let before_ok = lower[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag[offset..].trim_start();
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next()?.to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()?
                .to_owned(),
        });
    }
    None
}

/// The HTML tags named `name` in `html` (from `<` to `>`).
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&open) {
        let start = from + i;
        let end = lower[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        let next = lower[start + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '>' || c == '/') {
            found.push(&html[start..end]);
        }
        from = end.max(start + 1);
    }
    found
}

/// Finds the upload form on a page: a `<form method="post" enctype="multipart/form-data">`
/// holding an `<input type="file" name=...>`. The action is resolved against `/`.
pub(super) fn upload_form(html: &str) -> Result<Form, String> {
    let forms = tags(html, "form");
    let inputs: Vec<&str> = tags(html, "input")
        .into_iter()
        .filter(|t| attribute(t, "type").is_some_and(|v| v.eq_ignore_ascii_case("file")))
        .collect();
    let Some(input) = inputs.first() else {
        return Err("no <input type=\"file\"> on the page".into());
    };
    let Some(field) = attribute(input, "name").filter(|n| !n.is_empty()) else {
        return Err(format!("the file input {input:?} has no name"));
    };
    // The form holding the file input: the last one that opens before it.
    let position = html.find(input).unwrap_or(0);
    let Some(form) = forms
        .iter()
        .rev()
        .find(|f| html.find(**f).is_some_and(|p| p < position))
    else {
        return Err("the file input is not inside a <form>".into());
    };
    let method = attribute(form, "method").unwrap_or_default();
    if !method.eq_ignore_ascii_case("post") {
        return Err(format!("{form:?} does not post (method {method:?})"));
    }
    let enctype = attribute(form, "enctype").unwrap_or_default();
    if !enctype.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "{form:?} is not enctype=\"multipart/form-data\": a browser would not send the file"
        ));
    }
    let action = attribute(form, "action").unwrap_or_default();
    let action = match action.as_str() {
        "" => "/".to_owned(),
        a if a.starts_with('/') => a.to_owned(),
        a if a.starts_with("http://") || a.starts_with("https://") => {
            let path = a.splitn(4, '/').nth(3).unwrap_or_default();
            format!("/{path}")
        }
        a => format!("/{a}"),
    };
    Ok(Form { action, field })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_upload_form() {
        let page = r#"<html><body><h1>Upload</h1>
            <FORM Method="POST" action="/upload" enctype="multipart/form-data">
            <input type=file name='image' accept="image/*"><input type="submit"></FORM>"#;
        assert_eq!(
            upload_form(page),
            Ok(Form {
                action: "/upload".into(),
                field: "image".into()
            })
        );
        let plain = r#"<form method="post" enctype="multipart/form-data"><input type="file" name="file"></form>"#;
        assert_eq!(upload_form(plain).unwrap().action, "/");
        let no_enctype = r#"<form method="post"><input type="file" name="file"></form>"#;
        assert!(upload_form(no_enctype).unwrap_err().contains("multipart"));
        assert!(upload_form("<form method=post></form>").is_err());
        assert_eq!(
            attribute(r#"<input data-type="x" type="file">"#, "type"),
            Some("file".into())
        );
    }
}
