//! The upload page (the course's `index.html` and `info.html` in one template).
//!
//! It works without JavaScript: a plain `multipart/form-data` form posting the field `file`
//! to `/`, answered with the same page showing the top 5 below it. A short script adds what
//! browsers with JavaScript can do: drop a photo on the page, or paste one, and it is
//! submitted through the same form.

use std::fmt::Write as _;

use base64::Engine as _;

use super::layout::{Nav, Notice, document, escape};
use crate::gateway::classify::Classified;

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
    let limit = format!("{:.0} MiB", max_upload_bytes as f64 / f64::from(1 << 20));
    let mut body = FORM.replace("{limit}", &limit);
    match view {
        View::Form => {}
        View::Error(message) => body.push_str(&Notice::Error(message).html()),
        View::Result { classified, image } => result(&mut body, classified, image),
    }
    document("Image recognition", Nav::Upload, &body, SCRIPT)
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

const FORM: &str = r#"<h1>What is in this picture?</h1>
<form id="upload" class="drop" method="post" action="/" enctype="multipart/form-data">
<p><label for="file">Choose a photo (JPEG, PNG, GIF or WebP, up to {limit})</label></p>
<input id="file" type="file" name="file" accept="image/*" required>
<br><button id="recognize" type="submit">Recognize</button>
<p class="hint">SqueezeNet answers with its 5 most likely ImageNet classes.<span class="js-only" hidden> You can also drop a photo here or paste one.</span></p>
</form>
"#;

// Progressive enhancement: everything above works without it.
const SCRIPT: &str = r#"<script>
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
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_escaped_and_the_limit_shown() {
        let page = render(&View::Error("<script>"), 10 << 20);
        assert!(page.contains("up to 10 MiB"));
        assert!(
            page.contains("&lt;script&gt;")
                && !page.contains("<p class=\"error\" role=\"alert\" id=\"error\"><script>")
        );
    }
}
