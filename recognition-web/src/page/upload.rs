//! The upload page, rendered on the server (the course's `index.html` and `info.html` in
//! one template).
//!
//! It works without JavaScript: a plain `multipart/form-data` form posting the field `file`
//! to `/`, answered with the same page showing the top 5 below it. A short script adds what
//! browsers with JavaScript can do: drop a photo on the page, or paste one, and it is
//! submitted through the same form.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::gateway::Classified;

/// What the page shows under the form.
pub enum View<'a> {
    /// Only the form.
    Form,
    /// The form, the uploaded photo and its classification.
    Result {
        /// The answer.
        classified: &'a Classified,
        /// The photo as uploaded, shown back inline.
        image: &'a [u8],
    },
    /// The form and an error message.
    Error(&'a str),
}

/// The page for `view`, as a complete HTML document; the form states `max_upload_bytes`.
pub fn render(view: &View<'_>, max_upload_bytes: usize) -> String {
    let mut body = String::new();
    match view {
        View::Form => {}
        View::Error(message) => {
            let _ = write!(
                body,
                r#"<p class="error" role="alert" id="error">{}</p>"#,
                escape(message)
            );
        }
        View::Result { classified, image } => result(&mut body, classified, image),
    }
    let limit = format!("{:.0} MiB", max_upload_bytes as f64 / f64::from(1 << 20));
    let form = FORM.replace("{limit}", &limit);
    format!("{HEAD}{form}{body}{TAIL}")
}

fn result(out: &mut String, classified: &Classified, image: &[u8]) {
    let mime = image::guess_format(image)
        .map(|f| f.to_mime_type())
        .unwrap_or("application/octet-stream");
    let data = base64::engine::general_purpose::STANDARD.encode(image);
    let _ = write!(
        out,
        r#"<section id="result"><img class="photo" alt="the uploaded photo" src="data:{mime};base64,{data}">
<table><caption>Top {} classes</caption><thead><tr><th>class</th><th>probability</th><th></th></tr></thead><tbody>
"#,
        classified.predictions.len()
    );
    for (rank, p) in classified.predictions.iter().enumerate() {
        let percent = p.probability * 100.0;
        let _ = writeln!(
            out,
            r#"<tr class="prediction" data-rank="{}"><td class="label">{}</td><td class="bar"><span style="width:{percent:.1}%"></span></td><td class="percent">{percent:.1}%</td></tr>"#,
            rank + 1,
            escape(&p.label),
        );
    }
    let attempts = match classified.attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    let _ = write!(
        out,
        r#"</tbody></table>
<p class="meta">Answered by worker <code id="worker">{}</code> in <span id="elapsed">{} ms</span> ({attempts}).</p></section>"#,
        classified.worker, classified.elapsed_ms
    );
}

/// Escapes text for HTML element content and attribute values.
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

const HEAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Image recognition</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; }
form { border: 2px dashed #999; border-radius: 8px; padding: 1.5rem; text-align: center; }
form.dragging { border-color: #0a66c2; background: #eef5fc; }
button { font-size: 1rem; padding: .4rem 1.2rem; margin-top: .8rem; }
.hint { color: #666; font-size: .9rem; }
.error { background: #fdecea; border: 1px solid #e0a39a; padding: .8rem; border-radius: 6px; }
.photo { display: block; max-width: 100%; max-height: 20rem; margin: 1.5rem auto; border-radius: 6px; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; font-weight: bold; margin-bottom: .4rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #eee; }
td.bar { width: 40%; }
td.bar span { display: block; height: .8rem; background: #0a66c2; border-radius: 3px; }
td.percent { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<h1>What is in this picture?</h1>
"#;

const FORM: &str = r#"<form id="upload" method="post" action="/" enctype="multipart/form-data">
<p><label for="file">Choose a photo (JPEG, PNG, GIF or WebP, up to {limit})</label></p>
<input id="file" type="file" name="file" accept="image/*" required>
<br><button id="recognize" type="submit">Recognize</button>
<p class="hint">SqueezeNet answers with its 5 most likely ImageNet classes.<span class="js-only" hidden> You can also drop a photo here or paste one.</span></p>
</form>
"#;

// Progressive enhancement: everything above works without it.
const TAIL: &str = r#"
<script>
(function () {
  var form = document.getElementById("upload");
  var input = document.getElementById("file");
  if (!form || !input || typeof DataTransfer === "undefined") return;
  document.querySelectorAll(".js-only").forEach(function (e) { e.hidden = false; });
  function submitFile(file) {
    if (!file || !/^image\//.test(file.type)) return false;
    var list = new DataTransfer();
    list.items.add(file);
    input.files = list.files;
    // The prototype's method: a control named "submit" would shadow form.submit.
    HTMLFormElement.prototype.submit.call(form);
    return true;
  }
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (e) { e.preventDefault(); form.classList.add("dragging"); });
  });
  document.addEventListener("dragleave", function (e) {
    if (e.target === document.documentElement || e.target === form) form.classList.remove("dragging");
  });
  document.addEventListener("drop", function (e) {
    e.preventDefault();
    form.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) submitFile(e.dataTransfer.files[0]);
  });
  document.addEventListener("paste", function (e) {
    var items = (e.clipboardData && e.clipboardData.files) || [];
    for (var i = 0; i < items.length; i++) {
      if (submitFile(items[i])) { e.preventDefault(); return; }
    }
  });
})();
</script>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<b>"x" & 'y'</b>"#),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
        let page = render(&View::Error("<script>"), 10 << 20);
        assert!(page.contains("up to 10 MiB"));
        assert!(
            page.contains("&lt;script&gt;")
                && !page.contains("<p class=\"error\" role=\"alert\" id=\"error\"><script>")
        );
    }
}
