//! What every page shares: the HTML document around its body, the style sheet, the
//! navigation between the pages, the log-out button, and escaping (common's).

use std::fmt::Write as _;

/// Which page is shown, to mark it in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// `/`, the upload page.
    Upload,
    /// `/workers`.
    Workers,
    /// `/admin`.
    Admin,
}

/// A complete HTML document: `title`, the navigation with `current` marked, `body`, and
/// `script` (progressive enhancement only: every page works without it).
pub fn document(title: &str, current: Nav, body: &str, script: &str) -> String {
    let mut nav = String::from(r#"<nav>"#);
    for (page, href, text) in [
        (Nav::Upload, "/", "Recognize a photo"),
        (Nav::Workers, "/workers", "Workers"),
        (Nav::Admin, "/admin", "Admin"),
    ] {
        let current = if page == current {
            r#" aria-current="page""#
        } else {
            ""
        };
        let _ = write!(nav, r#"<a href="{href}"{current}>{text}</a>"#);
    }
    nav.push_str("</nav>\n");
    let title = escape(title);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{nav}{body}\n\
         {script}</body>\n</html>\n"
    )
}

/// The log-out button (`POST /admin/logout`), on the admin page and, for a visitor with a
/// session, on the workers page.
pub const LOGOUT_FORM: &str = r#"<form id="logout" method="post" action="/admin/logout"><button type="submit">Log out</button></form>
"#;

/// The workspace's HTML escaping ([`common::html::escape`]), here beside the rest of what
/// every page shares so the pages import it from one place.
pub use common::html::escape;

/// A notice shown at the top of a page's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice<'a> {
    /// Something went wrong (`role="alert"`, id `error`).
    Error(&'a str),
    /// Something was done (id `notice`).
    Done(&'a str),
}

impl Notice<'_> {
    /// The notice as an HTML paragraph.
    pub fn html(&self) -> String {
        match self {
            Notice::Error(text) => format!(
                r#"<p class="error" role="alert" id="error">{}</p>"#,
                escape(text)
            ),
            Notice::Done(text) => {
                format!(r#"<p class="done" id="notice">{}</p>"#, escape(text))
            }
        }
    }
}

const STYLE: &str = r#"
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
nav { display: flex; gap: 1.2rem; margin-bottom: 1.5rem; font-size: .95rem; }
nav a { color: #0a66c2; text-decoration: none; }
nav a[aria-current] { font-weight: bold; color: #222; }
h1 { font-size: 1.5rem; }
form.drop { border: 2px dashed #999; border-radius: 8px; padding: 1.5rem; text-align: center; }
form.drop.dragging { border-color: #0a66c2; background: #eef5fc; }
form.inline { display: inline; margin: 0; }
button { font-size: 1rem; padding: .4rem 1.2rem; margin-top: .8rem; }
td button { font-size: .85rem; padding: .2rem .6rem; margin: 0; }
input[type=text], input[type=password] { font-size: 1rem; padding: .3rem; }
.hint { color: #666; font-size: .9rem; }
.error { background: #fdecea; border: 1px solid #e0a39a; padding: .8rem; border-radius: 6px; }
.done { background: #e8f5e9; border: 1px solid #9ccc9f; padding: .8rem; border-radius: 6px; }
.photo { display: block; max-width: 100%; max-height: 20rem; margin: 1.5rem auto; border-radius: 6px; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; font-weight: bold; margin-bottom: .4rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bar { width: 40%; }
td.bar span { display: block; height: .8rem; background: #0a66c2; border-radius: 3px; }
td.percent { text-align: right; font-variant-numeric: tabular-nums; }
.state { font-weight: bold; padding: .1rem .4rem; border-radius: 4px; }
.state-healthy { background: #e8f5e9; color: #1b5e20; }
.state-ejected { background: #fdecea; color: #b71c1c; }
.state-draining { background: #fff8e1; color: #8d6e00; }
.meta { color: #555; font-size: .9rem; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_escaped_and_the_current_page_marked() {
        let page = document("a <title>", Nav::Workers, "<p>body</p>", "");
        assert!(page.contains("<title>a &lt;title&gt;</title>"));
        assert!(page.contains(r#"<a href="/workers" aria-current="page">Workers</a>"#));
        assert!(page.contains(r#"<a href="/">Recognize a photo</a>"#));
        assert_eq!(
            Notice::Error("<x>").html(),
            r#"<p class="error" role="alert" id="error">&lt;x&gt;</p>"#
        );
    }
}
