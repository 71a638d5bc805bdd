//! Escaping text for HTML: the one helper every page the workspace writes needs, whether
//! served (recognition-web's pages) or written to disk (the grader's `summary.html`). Text
//! from outside (a worker's error, a student's name, a check's evidence) goes through
//! [`escape`] before it becomes part of a page, so `<script>` in it shows as text.

/// Escapes text for HTML element content and attribute values (quoted with `"` or `'`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_both_quotes_are_escaped() {
        assert_eq!(
            escape(r#"<b>"x" & 'y'</b>"#),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("plain é"), "plain é");
    }
}
