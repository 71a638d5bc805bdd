//! The workers page (`GET /workers`, the course's info page): every worker with its state,
//! exchanges in flight, successes, failures, ejections, last error and where it came from,
//! and for an admin the forms that add and remove workers. Plain HTML forms, no script.

use std::fmt::Write as _;

use super::layout::{LOGOUT_FORM, Nav, Notice, document, escape};
use crate::gateway::config::DnsName;
use crate::gateway::pool::WorkerStatus;

/// What the visitor may do, which decides the forms shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    /// May add and remove workers (a session, or loopback when no token is configured).
    Admin {
        /// Through a session cookie, so a log-out button makes sense.
        session: bool,
    },
    /// May only look; `token` says whether logging in is possible at all.
    Guest {
        /// Whether the gateway has an admin token.
        token: bool,
    },
}

/// Everything the page shows.
#[derive(Debug, Clone, Copy)]
pub struct WorkersView<'a> {
    /// The pool, in the order workers were added.
    pub workers: &'a [WorkerStatus],
    /// The `--workers-dns` names and how often they are looked up, in milliseconds.
    pub dns: (&'a [DnsName], u128),
    /// Who is looking.
    pub visitor: Visitor,
    /// The outcome of the form just sent, if any.
    pub notice: Option<Notice<'a>>,
}

/// The page as a complete HTML document.
pub fn render(view: &WorkersView<'_>) -> String {
    let mut body = String::from("<h1>Recognition workers</h1>\n");
    if let Some(notice) = view.notice {
        body.push_str(&notice.html());
    }
    let in_rotation = view
        .workers
        .iter()
        .filter(|w| w.state == crate::gateway::pool::State::Healthy)
        .count();
    let _ = write!(
        body,
        r#"<p class="meta" id="summary">{} workers, {in_rotation} in rotation."#,
        view.workers.len()
    );
    let (names, refresh_ms) = view.dns;
    if !names.is_empty() {
        let names: Vec<String> = names
            .iter()
            .map(|n| format!("<code>{}</code>", escape(&n.to_string())))
            .collect();
        let _ = write!(
            body,
            " Found through DNS: {}, looked up every {refresh_ms} ms.",
            names.join(", ")
        );
    }
    body.push_str(r#" <a href="/workers">Refresh</a></p>"#);
    table(&mut body, view);
    match view.visitor {
        Visitor::Admin { session } => {
            body.push_str(ADD_FORM);
            if session {
                body.push_str(LOGOUT_FORM);
            }
        }
        Visitor::Guest { token: true } => body.push_str(
            r#"<p class="hint" id="login-hint"><a href="/admin">Log in</a> to add or remove workers.</p>"#,
        ),
        Visitor::Guest { token: false } => body.push_str(
            r#"<p class="hint" id="login-hint">Workers can be added and removed from the gateway's own machine; start it with <code>--admin-token</code> to manage it from other hosts.</p>"#,
        ),
    }
    document("Recognition workers", Nav::Workers, &body, "")
}

fn table(out: &mut String, view: &WorkersView<'_>) {
    if view.workers.is_empty() {
        out.push_str(r#"<p id="no-workers">No worker yet.</p>"#);
        return;
    }
    let admin = matches!(view.visitor, Visitor::Admin { .. });
    out.push_str(
        r#"<table id="workers"><thead><tr><th>address</th><th>state</th><th>in flight</th><th>successes</th><th>failures</th><th>ejections</th><th>last error</th><th>source</th>"#,
    );
    if admin {
        out.push_str("<th></th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for w in view.workers {
        let state = w.state.name();
        let address = w.address.to_string();
        let _ = write!(
            out,
            r#"<tr class="worker" data-address="{address}"><td class="address"><code>{address}</code></td><td><span class="state state-{state}">{state}</span></td><td class="num in-flight">{}</td><td class="num successes">{}</td><td class="num failures">{}</td><td class="num ejections">{}</td><td class="last-error">{}</td><td class="source">{}</td>"#,
            w.in_flight,
            w.successes,
            w.failures,
            w.ejections,
            escape(w.last_error.as_deref().unwrap_or("")),
            escape(&w.source.to_string()),
        );
        if admin {
            let _ = write!(
                out,
                r#"<td><form class="inline" method="post" action="/workers/remove"><input type="hidden" name="address" value="{address}"><button type="submit" class="remove">Remove</button></form></td>"#
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

const ADD_FORM: &str = r#"<form id="add-worker" method="post" action="/workers/add">
<p><label for="address">Add a worker (IP:PORT)</label>
<input id="address" type="text" name="address" placeholder="10.10.1.2:8888" required>
<button id="add" type="submit">Add</button></p>
</form>
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::pool::{Pool, Source};

    #[test]
    fn guests_see_the_table_and_admins_the_forms() {
        let pool = Pool::new(["127.0.0.1:8881".parse().unwrap()]);
        pool.add("127.0.0.1:8882".parse().unwrap(), Source::Admin);
        let workers = pool.snapshot();
        let mut view = WorkersView {
            workers: &workers,
            dns: (&[], 5000),
            visitor: Visitor::Guest { token: true },
            notice: None,
        };
        let page = render(&view);
        assert!(page.contains(r#"data-address="127.0.0.1:8882""#));
        assert!(page.contains(r#"<td class="source">admin</td>"#));
        assert!(page.contains("2 workers, 2 in rotation."));
        assert!(!page.contains("/workers/add") && !page.contains("Remove"));
        assert!(page.contains(r#"<a href="/admin">Log in</a>"#));
        view.visitor = Visitor::Admin { session: true };
        let page = render(&view);
        assert!(page.contains(r#"action="/workers/add""#));
        assert_eq!(page.matches("/workers/remove").count(), 2);
        assert!(page.contains(r#"action="/admin/logout""#));
        assert!(!page.contains("<script"), "no script needed");
    }
}
