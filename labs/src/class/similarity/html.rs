//! `similarity.html`: one self-contained page to decide from.
//!
//! Three parts, top to bottom: a graph of the submissions with an edge for each pair at or
//! above the threshold (inline SVG, nodes on a circle, so that a group sharing one solution
//! shows as a triangle or a star, as in Dolos's plagiarism graph); the ranked table of
//! pairs; and, for each pair at or above the threshold, its files side by side, every
//! matching fragment highlighted in its own colour, its first line a link to the same
//! fragment in the other file. Styles are inline and nothing is fetched or scripted, so the
//! page opens from disk on a machine with no network. Everything that comes from a
//! submission (names, file names, source lines) is hostile input and goes through
//! [`escape`].

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write as _;

use common::html::escape;

use crate::class::similarity::{Class, FragmentEntry, PairEntry, RoleMatch};

/// Pairs below the threshold the table still lists (the JSON has them all).
pub const BELOW_THRESHOLD_ROWS: usize = 50;

/// Fragment colours, in turn.
const COLOURS: [&str; 8] = [
    "#ffd54f", "#81d4fa", "#a5d6a7", "#f48fb1", "#ce93d8", "#ffab91", "#80cbc4", "#e6ee9c",
];

/// About how many tokens a line of the labs' Python holds (the corpora's files: 4 to 8),
/// to say a number of tokens in lines in the page's prose.
const TOKENS_PER_LINE: f64 = 6.0;

/// The page for `class`, showing pairs at or above `threshold` (in [0, 1]) in full.
pub fn page(class: &Class, threshold: f64) -> String {
    let report = &class.report;
    let above: Vec<(usize, &PairEntry)> = report
        .pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.similarity >= threshold)
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Similarity: {lab}</title><style>{STYLE}</style></head><body>\n\
         <h1>Similarity: {lab}</h1>\n<p class=\"lead\">{n} submissions, {pairs} pairs, \
         <strong>{above} at or above {threshold:.2}</strong>. Given code left out: {given}. \
         A score says how much code of their own (given code and code more than half the \
         class shares left out) two students share in passages that are rare in the class: \
         0.5 for {half} tokens (about {lines} lines), 0.75 for twice as many, and a passage \
         pieced together from lines other students wrote too counts little or nothing. A \
         highlighted fragment may hold given code in its middle, which is not counted. The page points at pairs to read; whether \
         work is original stays a person's judgement.</p>\n",
        lab = escape(&report.lab),
        n = report.submissions.len(),
        pairs = report.pairs.len(),
        above = above.len(),
        given = if report.given.is_empty() {
            "none".to_owned()
        } else {
            escape(&report.given.join(", "))
        },
        half = report.settings.half_shared,
        lines = (report.settings.half_shared / TOKENS_PER_LINE).round(),
    );
    out.push_str(&graph(&above));
    out.push_str(&table(&report.pairs, threshold));
    for (rank, pair) in &above {
        out.push_str(&pair_section(class, *rank, pair));
    }
    out.push_str("</body></html>\n");
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}\
.lead{max-width:60em}.below td{color:#888}\
.side{display:flex;gap:1em;align-items:flex-start}.side>div{flex:1;min-width:0;overflow-x:auto}\
pre{margin:0;font-size:12px;line-height:1.35}.ln{color:#999;display:inline-block;width:3em}\
.frag a{color:inherit;text-decoration:none}svg text{font-size:11px}";

/// The graph of the pairs at or above the threshold, as inline SVG.
fn graph(above: &[(usize, &PairEntry)]) -> String {
    let mut names: Vec<&str> = above
        .iter()
        .flat_map(|(_, p)| [p.left.as_str(), p.right.as_str()])
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return "<p id=\"graph\">No pair at or above the threshold: no graph.</p>\n".to_owned();
    }
    let (size, radius) = (640.0, 230.0);
    let centre = size / 2.0;
    let at: BTreeMap<&str, (f64, f64)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let angle = 2.0 * PI * i as f64 / names.len() as f64 - PI / 2.0;
            (
                *n,
                (centre + radius * angle.cos(), centre + radius * angle.sin()),
            )
        })
        .collect();
    let mut svg = format!(
        "<h2>Graph</h2>\n<svg id=\"graph\" role=\"img\" width=\"{size}\" height=\"{size}\" \
         viewBox=\"0 0 {size} {size}\"><title>Submissions joined by pairs at or above the \
         threshold</title>\n"
    );
    for (rank, p) in above {
        let ((x1, y1), (x2, y2)) = (at[p.left.as_str()], at[p.right.as_str()]);
        let _ = writeln!(
            svg,
            "<a href=\"#pair-{rank}\"><line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" \
             x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#c62828\" stroke-width=\"{w:.1}\">\
             <title>{l} and {r}: {s:.3}</title></line></a>",
            w = 1.0 + 5.0 * p.similarity,
            l = escape(&p.left),
            r = escape(&p.right),
            s = p.similarity,
        );
    }
    for (name, (x, y)) in &at {
        let anchor = if *x < centre - 1.0 {
            "end"
        } else if *x > centre + 1.0 {
            "start"
        } else {
            "middle"
        };
        let dx = match anchor {
            "end" => -9.0,
            "start" => 9.0,
            _ => 0.0,
        };
        let _ = writeln!(
            svg,
            "<g class=\"node\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"#1565c0\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text></g>",
            x + dx,
            y + 4.0,
            escape(name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The ranked table: every pair at or above the threshold, then the next
/// [`BELOW_THRESHOLD_ROWS`], greyed.
fn table(pairs: &[PairEntry], threshold: f64) -> String {
    let mut out = String::from(
        "<h2>Pairs</h2>\n<table id=\"pairs\"><thead><tr><th>#</th><th>Submission</th>\
         <th>Submission</th><th>Similarity</th><th>File</th><th>Coverage</th>\
         <th>Longest fragment</th></tr></thead><tbody>\n",
    );
    let mut below = 0;
    for (rank, p) in pairs.iter().enumerate() {
        let is_above = p.similarity >= threshold;
        if !is_above {
            below += 1;
            if below > BELOW_THRESHOLD_ROWS {
                break;
            }
        }
        let score = if is_above {
            format!("<a href=\"#pair-{rank}\">{:.3}</a>", p.similarity)
        } else {
            format!("{:.3}", p.similarity)
        };
        let role = if p.given_code.len() == p.roles.len() && !p.roles.is_empty() {
            "given code".to_owned()
        } else {
            escape(&p.role)
        };
        let longest = p.longest.as_ref().map_or_else(String::new, |f| {
            format!(
                "{} tokens, lines {}-{} / {}-{}",
                f.tokens, f.left[0], f.left[1], f.right[0], f.right[1]
            )
        });
        let _ = writeln!(
            out,
            "<tr{class}><td>{n}</td><td>{l}</td><td>{r}</td><td>{score}</td><td>{role}</td>\
             <td>{lc:.0}% / {rc:.0}%</td><td>{longest}</td></tr>",
            class = if is_above { "" } else { " class=\"below\"" },
            n = rank + 1,
            l = escape(&p.left),
            r = escape(&p.right),
            lc = p.left_coverage * 100.0,
            rc = p.right_coverage * 100.0,
        );
    }
    out.push_str("</tbody></table>\n");
    out
}

/// A pair's files side by side, role by role (roles with fragments only).
fn pair_section(class: &Class, rank: usize, pair: &PairEntry) -> String {
    let mut out = format!(
        "<section class=\"pair\" id=\"pair-{rank}\"><h2>#{n} {l} and {r}: {s:.3}</h2>\n",
        n = rank + 1,
        l = escape(&pair.left),
        r = escape(&pair.right),
        s = pair.similarity,
    );
    for role in pair.roles.iter().filter(|r| !r.fragments.is_empty()) {
        let _ = writeln!(
            out,
            "<h3>{} ({:.3}; {} fragments)</h3>\n<div class=\"side\">",
            escape(&role.role),
            role.similarity,
            role.fragments.len()
        );
        for side in [Side::Left, Side::Right] {
            out.push_str(&file_column(class, rank, pair, role, side));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }

    fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }

    fn lines(self, f: &FragmentEntry) -> [u32; 2] {
        match self {
            Side::Left => f.left,
            Side::Right => f.right,
        }
    }
}

/// One file of a pair, every line numbered, the lines of fragment `i` in colour `i`.
fn file_column(
    class: &Class,
    rank: usize,
    pair: &PairEntry,
    role: &RoleMatch,
    side: Side,
) -> String {
    let (who, file) = match side {
        Side::Left => (&pair.left, &role.left_file),
        Side::Right => (&pair.right, &role.right_file),
    };
    let empty = String::new();
    let source = class
        .sources
        .get(&(who.clone(), role.role.clone()))
        .unwrap_or(&empty);
    let id = |s: Side, i: usize| format!("p{rank}-{}-{}-f{i}", role.role, s.name());
    let mut out = format!(
        "<div class=\"file {}\"><h4>{} / {}</h4><pre>",
        side.name(),
        escape(who),
        escape(file)
    );
    for (n, line) in source.lines().enumerate() {
        let n = n as u32 + 1;
        let fragment = role.fragments.iter().enumerate().find(|(_, f)| {
            let [a, b] = side.lines(f);
            (a..=b).contains(&n)
        });
        let text = escape(line);
        match fragment {
            None => {
                let _ = writeln!(out, "<span class=\"ln\">{n}</span>{text}");
            }
            Some((i, f)) => {
                let colour = COLOURS[i % COLOURS.len()];
                let start = side.lines(f)[0] == n;
                let body = if start {
                    format!(
                        "<a id=\"{}\" href=\"#{}\" title=\"fragment {}: {} tokens\">{text}</a>",
                        id(side, i),
                        id(side.other(), i),
                        i + 1,
                        f.tokens
                    )
                } else {
                    text
                };
                let _ = writeln!(
                    out,
                    "<span class=\"frag f{i}\" data-fragment=\"{i}\" style=\"background:{colour}\">\
                     <span class=\"ln\">{n}</span>{body}</span>"
                );
            }
        }
    }
    out.push_str("</pre></div>");
    out
}
