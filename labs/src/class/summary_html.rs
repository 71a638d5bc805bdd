//! The class at a glance: `summary.html` in a batch's results folder, and `<name>.html`,
//! each graded submission's report as a page it links to.
//!
//! `summary.md` and `results.csv` say everything, one row at a time; an instructor facing
//! a class of sixty wants the shape first: how the scores spread (a histogram), which
//! checklist items the class failed (a passed / failed / not assessed bar per item), which
//! submissions took longest to grade and which could not be graded, and then every
//! submission by score, one click from its report.
//!
//! The pages are self-contained files opened from disk: styles inline, charts as inline
//! SVG drawn here from the numbers (plain `<rect>`s with a `<title>` tooltip and text
//! labels), no script and nothing fetched. Everything that comes from a submission (its
//! name, its evidence, a refusal's reason) is hostile input and goes through
//! [`escape`] (or [`href`] for a link), so a `<script>` in a student's name shows as text.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use common::html::escape;

use crate::class::batch::Outcome;
use crate::grading::checklist::Checklist;
use crate::grading::report::{Report, Status, fmt_points};

/// How many bars the score histogram has: ten equal ranges from 0 to the maximum score.
pub const BUCKETS: usize = 10;

/// How many submissions the "slowest" table names.
pub const SLOWEST: usize = 5;

/// Writes `summary.html` ([`class_page`]) and `<name>.html` ([`report_page`]) for each
/// graded submission into the results folder `out`, which exists, each whole or not at all
/// ([`common::fs::write_atomically`]): a batch stopped while writing leaves the earlier
/// page, never half of one.
///
/// Errors: a page cannot be written.
pub fn write(
    checklist: &Checklist,
    outcomes: &[Outcome],
    seconds: f64,
    out: &Path,
) -> anyhow::Result<()> {
    for (name, result) in outcomes {
        if let Ok(report) = result {
            let path = out.join(format!("{name}.html"));
            common::fs::write_atomically(&path, report_page(report).as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let path = out.join("summary.html");
    common::fs::write_atomically(&path, class_page(checklist, outcomes, seconds).as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `summary.html`: the score histogram, a stacked bar per checklist item, the slowest and
/// the not-graded submissions, and every graded submission by score (highest first, then
/// by name) linked to its `<name>.html`. `seconds` is how long the batch took.
pub fn class_page(checklist: &Checklist, outcomes: &[Outcome], seconds: f64) -> String {
    let graded: Vec<(&str, &Report)> = outcomes
        .iter()
        .filter_map(|(name, result)| result.as_ref().ok().map(|r| (name.as_str(), r)))
        .collect();
    let not_graded: Vec<(&str, &str)> = outcomes
        .iter()
        .filter_map(|(name, result)| result.as_ref().err().map(|e| (name.as_str(), e.as_str())))
        .collect();
    let mut body = format!(
        "<h1>{} — the class at a glance</h1>\n<p class=\"meta\">{} submissions: {} graded, {} \
         not graded, in {seconds:.1} s. Out of {} points.</p>\n",
        escape(&checklist.lab),
        outcomes.len(),
        graded.len(),
        not_graded.len(),
        fmt_points(checklist.max_score),
    );
    let scores: Vec<f64> = graded.iter().map(|(_, r)| r.score).collect();
    body.push_str("<h2>Scores</h2>\n");
    body.push_str(&histogram(&scores, checklist.max_score));
    body.push_str("<h2>Checklist items</h2>\n");
    body.push_str(&item_bars(checklist, &graded));
    body.push_str(&slowest(&graded));
    body.push_str(&not_graded_list(&not_graded));
    body.push_str(&by_score(&graded));
    document(&format!("{} — class summary", checklist.lab), &body)
}

/// `<name>.html`: one submission's report as a page (the same data as its `.json` and the
/// Markdown report): the score, a table of the items, then each item's evidence.
pub fn report_page(report: &Report) -> String {
    let mut body = format!(
        "<p><a href=\"summary.html\">← The class</a></p>\n<h1>{} — {}</h1>\n\
         <p class=\"score\">Score: <strong id=\"score\">{} / {}</strong></p>\n\
         <p class=\"meta\">Isolation: {}; graded in {:.1} s.</p>\n",
        escape(&report.lab),
        escape(&report.submission),
        fmt_points(report.score),
        fmt_points(report.max_score),
        escape(&report.isolation),
        report.seconds
    );
    body.push_str(
        "<table id=\"items\">\n<tr><th>item</th><th>title</th><th>result</th>\
         <th class=\"num\">deduction</th></tr>\n",
    );
    for item in &report.items {
        let _ = writeln!(
            body,
            "<tr class=\"{}\"><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td>\
             <td>{}</td><td class=\"num\">{}</td></tr>",
            status_class(item.status),
            escape(&item.id),
            escape(&item.id),
            escape(&item.title),
            escape(&item.status_text()),
            fmt_points(item.deducted())
        );
    }
    body.push_str("</table>\n");
    for item in &report.items {
        let _ = writeln!(
            body,
            "<h2 id=\"{}\"><code>{}</code>: {}</h2>\n<pre>{}</pre>",
            escape(&item.id),
            escape(&item.id),
            escape(&item.status_text()),
            escape(item.evidence.trim_end())
        );
    }
    document(&format!("{} — {}", report.lab, report.submission), &body)
}

/// The relative link to a submission's page `<name>.html`: every byte of the name other
/// than ASCII letters, digits and `-._~` percent-encoded, so a name with a space, `#`, `?`,
/// `/` or a quote still names its own file and cannot break out of the attribute.
pub fn href(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 5);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out.push_str(".html");
    out
}

/// Which of the [`BUCKETS`] ranges of `0..=max_score` `score` falls in: equal ranges,
/// each closed below and open above, except the last, which holds the maximum too.
pub fn bucket(score: f64, max_score: f64) -> usize {
    if max_score <= 0.0 {
        return 0;
    }
    let share = (score / max_score).clamp(0.0, 1.0);
    ((share * BUCKETS as f64) as usize).min(BUCKETS - 1)
}

/// The histogram: one bar per bucket (an empty bucket's bar has no height), its count
/// above it and its range below.
fn histogram(scores: &[f64], max_score: f64) -> String {
    const WIDTH: f64 = 640.0;
    const PLOT: f64 = 160.0;
    const TOP: f64 = 20.0;
    let mut counts = [0usize; BUCKETS];
    for &score in scores {
        counts[bucket(score, max_score)] += 1;
    }
    let tallest = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / BUCKETS as f64;
    let mut svg = format!(
        "<svg id=\"histogram\" role=\"img\" aria-label=\"score histogram\" width=\"{WIDTH}\" \
         height=\"{}\" viewBox=\"0 0 {WIDTH} {}\">\n",
        TOP + PLOT + 24.0,
        TOP + PLOT + 24.0
    );
    let step = max_score / BUCKETS as f64;
    for (i, &count) in counts.iter().enumerate() {
        let (low, high) = (step * i as f64, step * (i + 1) as f64);
        let range = format!("{}–{}", fmt_points(low), fmt_points(high));
        let scored = if i + 1 == BUCKETS {
            format!("from {} to {}", fmt_points(low), fmt_points(high))
        } else {
            format!("from {} to under {}", fmt_points(low), fmt_points(high))
        };
        let height = PLOT * count as f64 / tallest;
        let x = slot * i as f64 + 4.0;
        let y = TOP + PLOT - height;
        let _ = writeln!(
            svg,
            "<rect class=\"bucket\" data-count=\"{count}\" x=\"{x}\" y=\"{y}\" width=\"{}\" \
             height=\"{height}\"><title>{count} scored {scored}</title></rect>\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text>\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"axis\">{range}</text>",
            slot - 8.0,
            x + (slot - 8.0) / 2.0,
            y - 4.0,
            x + (slot - 8.0) / 2.0,
            TOP + PLOT + 16.0,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// How many graded submissions passed, failed and were not assessed on one item; a
/// report without the item (graded with `--only`) counts as not assessed.
fn shares(id: &str, graded: &[(&str, &Report)]) -> [usize; 3] {
    let mut counts = [0; 3];
    for (_, report) in graded {
        let slot = match report.item(id).map(|item| item.status) {
            Some(Status::Passed) => 0,
            Some(Status::Failed(_)) => 1,
            Some(Status::NotAssessed) | None => 2,
        };
        counts[slot] += 1;
    }
    counts
}

/// One horizontal stacked bar per checklist item: passed, failed, not assessed, each
/// segment as wide as its share of the graded submissions, with the item's id on the left.
fn item_bars(checklist: &Checklist, graded: &[(&str, &Report)]) -> String {
    const LABEL: f64 = 220.0;
    const BAR: f64 = 400.0;
    const ROW: f64 = 26.0;
    let height = ROW * checklist.items.len() as f64 + 8.0;
    let mut svg = format!(
        "<p class=\"legend\"><span class=\"key passed\"></span>passed \
         <span class=\"key failed\"></span>failed \
         <span class=\"key not-assessed\"></span>not assessed</p>\n\
         <svg id=\"items\" role=\"img\" aria-label=\"items passed, failed and not assessed\" \
         width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">\n",
        LABEL + BAR + 60.0,
        LABEL + BAR + 60.0
    );
    let total = graded.len();
    for (row, item) in checklist.items.iter().enumerate() {
        let counts = shares(&item.id, graded);
        let y = ROW * row as f64 + 4.0;
        let _ = writeln!(
            svg,
            "<g class=\"item\" data-item=\"{}\">\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">\
             {}<title>{}</title></text>",
            escape(&item.id),
            LABEL - 8.0,
            y + 14.0,
            escape(&item.id),
            escape(&item.title)
        );
        let mut x = LABEL;
        for (count, class, what) in [
            (counts[0], "passed", "passed"),
            (counts[1], "failed", "failed"),
            (counts[2], "not-assessed", "not assessed"),
        ] {
            let width = if total == 0 {
                0.0
            } else {
                BAR * count as f64 / total as f64
            };
            let _ = writeln!(
                svg,
                "<rect class=\"{class}\" data-count=\"{count}\" x=\"{x}\" y=\"{y}\" \
                 width=\"{width}\" height=\"{}\"><title>{}: {what} by {count} of {total} \
                 ({})</title></rect>",
                ROW - 8.0,
                escape(&item.id),
                percent(count, total)
            );
            x += width;
        }
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\">{}</text>\n</g>",
            LABEL + BAR + 6.0,
            y + 14.0,
            percent(counts[0], total)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// `count` of `total` as a whole percentage; `—` of nothing.
fn percent(count: usize, total: usize) -> String {
    if total == 0 {
        "—".to_owned()
    } else {
        format!("{:.0}%", 100.0 * count as f64 / total as f64)
    }
}

/// The [`SLOWEST`] graded submissions by grading time, slowest first: the ones to look at
/// when a batch takes long (a hang that ran into every timeout).
fn slowest(graded: &[(&str, &Report)]) -> String {
    let mut by_time: Vec<&(&str, &Report)> = graded.iter().collect();
    by_time.sort_by(|a, b| b.1.seconds.total_cmp(&a.1.seconds).then(a.0.cmp(b.0)));
    let mut out = String::from(
        "<h2>Slowest to grade</h2>\n<table id=\"slowest\">\n<tr><th>submission</th>\
         <th class=\"num\">time</th></tr>\n",
    );
    for (name, report) in by_time.into_iter().take(SLOWEST) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{:.1} s</td></tr>",
            link(name),
            report.seconds
        );
    }
    out.push_str("</table>\n");
    out
}

/// The submissions that could not be graded, each with its reason.
fn not_graded_list(not_graded: &[(&str, &str)]) -> String {
    let mut out = String::from("<h2>Not graded</h2>\n");
    if not_graded.is_empty() {
        out.push_str("<p id=\"not-graded\">Every submission was graded.</p>\n");
        return out;
    }
    out.push_str("<table id=\"not-graded\">\n<tr><th>submission</th><th>why</th></tr>\n");
    for (name, reason) in not_graded {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><pre>{}</pre></td></tr>",
            escape(name),
            escape(reason)
        );
    }
    out.push_str("</table>\n");
    out
}

/// Every graded submission, highest score first (then by name), with its failed items and
/// a link to its report.
fn by_score(graded: &[(&str, &Report)]) -> String {
    let mut sorted: Vec<&(&str, &Report)> = graded.iter().collect();
    sorted.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(b.0)));
    let mut out = String::from(
        "<h2>Submissions by score</h2>\n<table id=\"submissions\">\n<tr><th>submission</th>\
         <th class=\"num\">score</th><th>failed items</th><th class=\"num\">time</th></tr>\n",
    );
    for (name, report) in sorted {
        let failed = report.failed();
        let _ = writeln!(
            out,
            "<tr class=\"submission\"><td>{}</td><td class=\"num\">{} / {}</td><td>{}</td>\
             <td class=\"num\">{:.1} s</td></tr>",
            link(name),
            fmt_points(report.score),
            fmt_points(report.max_score),
            if failed.is_empty() {
                "—".to_owned()
            } else {
                escape(&failed.join(", "))
            },
            report.seconds
        );
    }
    out.push_str("</table>\n");
    out
}

/// A link to `name`'s report page, showing the name.
fn link(name: &str) -> String {
    format!("<a href=\"{}\">{}</a>", href(name), escape(name))
}

/// The CSS class of an item's row in a report page.
fn status_class(status: Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::Failed(_) => "failed",
        Status::NotAssessed => "not-assessed",
    }
}

/// A complete HTML document around `body`, with the shared style sheet inline.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

const STYLE: &str = r#"
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
a { color: #0a66c2; }
.meta { color: #555; }
.score { font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .6rem; border-radius: 4px; margin: 0; }
svg text { font-size: 12px; fill: #222; } svg text.axis { fill: #555; font-size: 11px; }
rect.bucket { fill: #0a66c2; }
rect.passed, .key.passed { fill: #2e7d32; background: #2e7d32; }
rect.failed, .key.failed { fill: #c62828; background: #c62828; }
rect.not-assessed, .key.not-assessed { fill: #9e9e9e; background: #9e9e9e; }
.key { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 .8rem; }
tr.passed td:nth-child(3) { color: #2e7d32; } tr.failed td:nth-child(3) { color: #c62828; font-weight: bold; }
tr.not-assessed td:nth-child(3) { color: #757575; }
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::{Fault, Verdict};

    /// The numbers lab's checklist (ten points), and a report on it where the items in
    /// `failed` fail, those in `unassessed` are not assessed and the rest pass.
    fn report(name: &str, failed: &[&str], unassessed: &[&str], seconds: f64) -> Report {
        Report::from_verdicts(&checklist(), name, seconds, |item| {
            if failed.contains(&item.id.as_str()) {
                Verdict::fail(Fault::WrongAnswer, format!("<b>{name}</b> & more"))
            } else if unassessed.contains(&item.id.as_str()) {
                Verdict::not_assessed("depends on runs")
            } else {
                Verdict::pass("fine")
            }
        })
    }

    fn checklist() -> Checklist {
        crate::catalog::lab("numbers").unwrap().checklist()
    }

    /// Every `data-count` of the rects with class `class` inside the element whose opening
    /// tag contains `within`, in order.
    fn counts(html: &str, within: &str, class: &str) -> Vec<usize> {
        let start = html.find(within).expect(within);
        let part = &html[start..html[start..].find("</svg>").unwrap() + start];
        part.split(&format!("<rect class=\"{class}\" data-count=\""))
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect()
    }

    #[test]
    fn scores_fall_in_ten_buckets_with_the_maximum_in_the_last() {
        assert_eq!(bucket(0.0, 10.0), 0);
        assert_eq!(bucket(0.99, 10.0), 0);
        assert_eq!(bucket(1.0, 10.0), 1);
        assert_eq!(bucket(9.5, 10.0), 9);
        assert_eq!(bucket(10.0, 10.0), 9);
        assert_eq!(bucket(50.0, 100.0), 5);
        assert_eq!(bucket(5.0, 0.0), 0);
    }

    #[test]
    fn the_histogram_has_a_bar_per_bucket_with_its_count() {
        let first = &checklist().items[0].id;
        let outcomes: Vec<Outcome> = vec![
            ("a".into(), Ok(report("a", &[], &[], 1.0))),
            ("b".into(), Ok(report("b", &[], &[], 1.0))),
            ("c".into(), Ok(report("c", &[first], &[], 1.0))),
            ("d".into(), Err("no files".into())),
        ];
        let page = class_page(&checklist(), &outcomes, 3.0);
        let bars = counts(&page, "<svg id=\"histogram\"", "bucket");
        assert_eq!(bars.len(), BUCKETS);
        assert_eq!(
            bars.iter().sum::<usize>(),
            3,
            "the not-graded one is no bar"
        );
        assert_eq!(bars[BUCKETS - 1], 2, "two full marks");
        let deducted = report("c", &[first], &[], 1.0).score;
        assert_eq!(bars[bucket(deducted, 10.0)], 1, "{deducted}");
        assert!(page.contains("<title>2 scored from 9 to 10</title>"));
    }

    #[test]
    fn each_item_has_a_stacked_bar_with_its_shares() {
        let checklist = checklist();
        let (first, second) = (&checklist.items[0].id, &checklist.items[1].id);
        let outcomes: Vec<Outcome> = vec![
            ("a".into(), Ok(report("a", &[first], &[second], 1.0))),
            ("b".into(), Ok(report("b", &[first], &[], 1.0))),
            ("c".into(), Ok(report("c", &[], &[second], 1.0))),
            ("d".into(), Ok(report("d", &[], &[], 1.0))),
        ];
        let page = class_page(&checklist, &outcomes, 3.0);
        assert_eq!(
            page.matches("<g class=\"item\"").count(),
            checklist.items.len()
        );
        let bar = |id: &str| {
            let start = page
                .find(&format!("<g class=\"item\" data-item=\"{id}\">"))
                .unwrap();
            let g = &page[start..start + page[start..].find("</g>").unwrap()];
            ["passed", "failed", "not-assessed"].map(|class| {
                let rest = g
                    .split(&format!("<rect class=\"{class}\" data-count=\""))
                    .nth(1);
                let rest = rest.unwrap();
                let count: usize = rest[..rest.find('"').unwrap()].parse().unwrap();
                let width = rest.split("width=\"").nth(1).unwrap();
                let width: f64 = width[..width.find('"').unwrap()].parse().unwrap();
                (count, width)
            })
        };
        // Two of four failed the first item: half the bar red, half green.
        assert_eq!(bar(first), [(2, 200.0), (2, 200.0), (0, 0.0)]);
        assert_eq!(bar(second), [(2, 200.0), (0, 0.0), (2, 200.0)]);
        assert!(page.contains(&format!("<title>{first}: failed by 2 of 4 (50%)</title>")));
        let last = &checklist.items.last().unwrap().id;
        assert_eq!(bar(last), [(4, 400.0), (0, 0.0), (0, 0.0)]);
    }

    #[test]
    fn hostile_names_and_evidence_are_text() {
        let name = "<script>alert(1)</script> \"Ana\" O'Brien";
        let outcomes: Vec<Outcome> = vec![
            (
                name.into(),
                Ok(report(name, &[&checklist().items[0].id], &[], 9.0)),
            ),
            (
                "<img src=x onerror=alert(2)>".into(),
                Err("<b>bad zip</b>".into()),
            ),
        ];
        let page = class_page(&checklist(), &outcomes, 1.0);
        assert!(
            !page.contains("<script>") && !page.contains("<img"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Ana&quot; O&#39;Brien"));
        assert!(page.contains("&lt;b&gt;bad zip&lt;/b&gt;"));
        let own = report_page(&report(name, &[&checklist().items[0].id], &[], 9.0));
        assert!(!own.contains("<script>") && !own.contains("<b>"), "{own}");
        assert!(own.contains("&lt;b&gt;&lt;script&gt;"));
    }

    #[test]
    fn submissions_are_sorted_by_score_and_link_to_their_pages() {
        let first = &checklist().items[0].id;
        let outcomes: Vec<Outcome> = vec![
            (
                "Ana Ruiz_1".into(),
                Ok(report("Ana Ruiz_1", &[first], &[], 2.0)),
            ),
            ("bob".into(), Ok(report("bob", &[], &[], 7.0))),
            ("a#b?c".into(), Ok(report("a#b?c", &[], &[], 1.0))),
        ];
        let page = class_page(&checklist(), &outcomes, 1.0);
        let table = &page[page.find("<table id=\"submissions\">").unwrap()..];
        let order: Vec<usize> = ["a%23b%3Fc.html", "bob.html", "Ana%20Ruiz_1.html"]
            .iter()
            .map(|href| table.find(&format!("<a href=\"{href}\">")).expect(href))
            .collect();
        assert!(
            order.is_sorted(),
            "full marks by name, then the lower score: {order:?}"
        );
        let slow = &page[page.find("<table id=\"slowest\">").unwrap()..];
        assert!(slow.find("bob.html") < slow.find("Ana%20Ruiz_1.html"));
    }

    #[test]
    fn a_report_page_shows_the_score_items_and_evidence() {
        let first = &checklist().items[0].id;
        let report = report("bob", &[first], &[], 2.0);
        let page = report_page(&report);
        assert!(page.contains(&format!(
            "<strong id=\"score\">{} / 10</strong>",
            fmt_points(report.score)
        )));
        assert!(page.contains("<a href=\"summary.html\">"));
        assert_eq!(page.matches("<tr class=").count(), report.items.len());
        assert!(page.contains("&lt;b&gt;bob&lt;/b&gt; &amp; more"));
    }

    #[test]
    fn write_puts_the_summary_beside_a_page_per_graded_submission() {
        let dir = tempfile::tempdir().unwrap();
        let outcomes: Vec<Outcome> = vec![
            ("bob".into(), Ok(report("bob", &[], &[], 7.0))),
            ("eve".into(), Err("empty".into())),
        ];
        write(&checklist(), &outcomes, 1.0, dir.path()).unwrap();
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        assert_eq!(files, ["bob.html", "summary.html"]);
    }
}
