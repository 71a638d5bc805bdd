//! The admin page (`GET /admin`): the login form that turns the admin token into a session
//! cookie, or, once logged in, the way to the workers page and the log-out button.

use super::layout::{LOGOUT_FORM, Nav, Notice, document};

/// What the admin page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminView<'a> {
    /// The login form, with the outcome of the last attempt if it failed.
    Login(Option<Notice<'a>>),
    /// Logged in already.
    LoggedIn,
    /// No token is configured: there is nothing to log in with.
    NoToken,
}

/// The page as a complete HTML document.
pub fn render(view: &AdminView<'_>) -> String {
    let mut body = String::from("<h1>Admin</h1>\n");
    match view {
        AdminView::Login(notice) => {
            if let Some(notice) = notice {
                body.push_str(&notice.html());
            }
            body.push_str(LOGIN_FORM);
        }
        AdminView::LoggedIn => {
            body.push_str(
                r#"<p id="logged-in">You are logged in: the <a href="/workers">workers page</a> shows the forms that add and remove workers, and the course's links (<code>/add/IP:PORT</code>, <code>/del/IP:PORT</code>) work from this browser.</p>
"#,
            );
            body.push_str(LOGOUT_FORM);
        }
        AdminView::NoToken => body.push_str(
            r#"<p id="no-token">This gateway has no admin token: workers can be added and removed from its own machine only (<code>/add/IP:PORT</code>, <code>/del/IP:PORT</code>, the <a href="/workers">workers page</a>). Start it with <code>--admin-token</code> (or <code>RECOGNITION_ADMIN_TOKEN</code>) to manage it from other hosts.</p>
"#,
        ),
    }
    document("Admin", Nav::Admin, &body, "")
}

const LOGIN_FORM: &str = r#"<form id="login" method="post" action="/admin/login">
<p><label for="token">Admin token</label>
<input id="token" type="password" name="token" autocomplete="current-password" required>
<button id="log-in" type="submit">Log in</button></p>
<p class="hint">The token given to the gateway with <code>--admin-token</code>. Logging in keeps a session cookie in this browser until you log out or it expires.</p>
</form>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_view_shows_its_form() {
        assert!(render(&AdminView::Login(None)).contains(r#"action="/admin/login""#));
        let failed = render(&AdminView::Login(Some(Notice::Error("wrong admin token"))));
        assert!(failed.contains(r#"id="error">wrong admin token"#));
        assert!(render(&AdminView::LoggedIn).contains(r#"action="/admin/logout""#));
        assert!(!render(&AdminView::NoToken).contains("<form"));
    }
}
