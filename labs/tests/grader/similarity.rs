//! `labs similarity` on the corpus written for it (`tests/similarity/`): every disguised
//! copy ranks above every pair of independent submissions by a clear margin, the given
//! client lifts nothing, bad files are noted and never stop the run, and `--batch` writes
//! the class's comparison beside its grades.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use labs::class::similarity::{self, Class, ClassReport, PairEntry};
use serde::Deserialize;

/// The least each corpus the method was developed on keeps between its lowest copied pair
/// and its highest independent pair (measured: 0.37 to 0.71): a guard against a change
/// that lets them come closer. The figures are in the similarity crate's README.
const MARGIN: f64 = 0.3;

/// The margin, which the held-out corpus keeps: run once when the method was fixed,
/// it measured 0.400 in frames (a copied download function at 0.673 against two
/// independent clients at 0.273) and 0.296 in numbers (a copied queue worker at 0.416
/// against 0.120).
const HELD_OUT_MARGIN: f64 = 0.2;

/// `tests/similarity/<set>/<lab>`.
fn corpus(set: &str, lab: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/similarity")
        .join(set)
        .join(lab)
}

/// A corpus's `copies.toml`: who copied whom, and who handed in the given client.
#[derive(Deserialize)]
struct Copies {
    given_unchanged: Vec<String>,
    copy: Vec<Copy>,
}

#[derive(Deserialize)]
struct Copy {
    source: String,
    copy: String,
    how: String,
}

impl Copies {
    fn read(dir: &Path) -> Copies {
        toml::from_str(&std::fs::read_to_string(dir.join("copies.toml")).unwrap()).unwrap()
    }

    /// Each submission's group: submissions linked by copying share one.
    fn groups(&self) -> BTreeMap<String, String> {
        let mut group: BTreeMap<String, String> = BTreeMap::new();
        let find = |group: &BTreeMap<String, String>, mut x: String| {
            while let Some(up) = group.get(&x).filter(|up| **up != x) {
                x = up.clone();
            }
            x
        };
        for c in &self.copy {
            let (a, b) = (find(&group, c.source.clone()), find(&group, c.copy.clone()));
            if a != b {
                group.insert(b, a);
            }
        }
        let names: Vec<String> = self
            .copy
            .iter()
            .flat_map(|c| [c.source.clone(), c.copy.clone()])
            .collect();
        names
            .into_iter()
            .map(|n| (n.clone(), find(&group, n)))
            .collect()
    }
}

/// The lab's class in the corpus compared with its own given client left out.
fn compare(set: &str, lab_name: &str) -> Class {
    let lab = labs::catalog::lab(lab_name).unwrap();
    let given = similarity::given_code(&lab, &[]).unwrap();
    similarity::compare_dir(
        &lab,
        &lab.checklist(),
        &corpus(set, lab_name),
        &given,
        &similarity::Settings::default(),
    )
    .unwrap()
}

/// [`copies_rank_first`] in the frames and the numbers lab of corpus `set`.
fn both_labs(set: &str, margin: f64) {
    copies_rank_first(set, "frames", margin);
    copies_rank_first(set, "numbers", margin);
}

/// Asserts every copied pair of `set`/`lab` above every independent one by `margin`.
fn copies_rank_first(set: &str, lab: &str, margin: f64) {
    let copies = Copies::read(&corpus(set, lab));
    let groups = copies.groups();
    let class = compare(set, lab);
    let same = |p: &PairEntry| {
        groups
            .get(&p.left)
            .is_some_and(|g| groups.get(&p.right) == Some(g))
    };
    let (copied, independent): (Vec<&PairEntry>, Vec<&PairEntry>) =
        class.report.pairs.iter().partition(|p| same(p));
    assert!(
        copied.len() >= copies.copy.len(),
        "{set}/{lab}: copies not all compared"
    );
    let lowest = copied
        .iter()
        .min_by(|a, b| a.similarity.total_cmp(&b.similarity))
        .unwrap();
    let highest = independent[0];
    let how = |p: &PairEntry| {
        copies
            .copy
            .iter()
            .find(|c| {
                [&c.source, &c.copy] == [&p.left, &p.right]
                    || [&c.copy, &c.source] == [&p.left, &p.right]
            })
            .map_or("same group", |c| c.how.as_str())
            .to_owned()
    };
    let figures = format!(
        "{set}/{lab}: lowest copied pair {} & {} at {:.3} ({}), highest independent {} & {} at \
         {:.3}, margin {:.3}",
        lowest.left,
        lowest.right,
        lowest.similarity,
        how(lowest),
        highest.left,
        highest.right,
        highest.similarity,
        lowest.similarity - highest.similarity
    );
    // The figures the README quotes: `cargo test -p labs --test grader corpus -- --nocapture`.
    eprintln!("{figures}");
    assert!(
        lowest.similarity - highest.similarity >= margin,
        "not {margin} apart: {figures}"
    );
    // Two students who hand in the given client have nothing of their own in it to compare.
    let given: Vec<&String> = copies.given_unchanged.iter().collect();
    let pair = class
        .report
        .pairs
        .iter()
        .find(|p| given.contains(&&p.left) && given.contains(&&p.right))
        .expect("the two given-unchanged submissions are a pair");
    assert_eq!(pair.given_code, ["client"], "{pair:?}");
    let client = pair.roles.iter().find(|r| r.role == "client").unwrap();
    assert_eq!(client.similarity, 0.0);
}

// Seven corpora, each by its own hand, in the order they were used. The method and its
// settings were worked out on the first two; each of the next three was written as a
// held-out set, missed the 0.2 margin the first time it was run (dev: numbers;
// dev2: both labs; dev3: frames, 0.084) and was then used for development like the training
// sets; dev4 was written as development data, its independent servers following the
// course's skeleton closely; `held_out` was written while the method last changed, by a
// hand that saw none of the others nor the checker, and run once to judge it.

#[test]
fn training_corpus_copies_rank_above_independent_pairs() {
    both_labs("train", MARGIN);
}

#[test]
fn second_training_corpus_copies_rank_above_independent_pairs() {
    both_labs("train2", MARGIN);
}

#[test]
fn development_corpus_copies_rank_above_independent_pairs() {
    both_labs("dev", MARGIN);
}

#[test]
fn second_development_corpus_copies_rank_above_independent_pairs() {
    both_labs("dev2", MARGIN);
}

#[test]
fn third_development_corpus_copies_rank_above_independent_pairs() {
    both_labs("dev3", MARGIN);
}

#[test]
fn skeleton_servers_corpus_copies_rank_above_independent_pairs() {
    both_labs("dev4", MARGIN);
}

#[test]
fn held_out_corpus_copies_rank_above_independent_pairs() {
    both_labs("held_out", HELD_OUT_MARGIN);
}

/// In a class too small for the idiom filter to catch it (two students), the given client
/// they both grew their clients from makes them look alike: they share 255 tokens of it.
/// Left out, what remains is their own code's likeness (31 tokens: the thread-per-list
/// idiom both wrote, which only a larger class would show to be common).
#[test]
fn the_given_client_does_not_lift_independent_pairs() {
    let lab = labs::catalog::lab("numbers").unwrap();
    let corpus_dir = corpus("train", "numbers");
    // Two independent students who both keep most of the given client.
    let independent = ["s02", "s06"];
    let groups = Copies::read(&corpus_dir).groups();
    assert!(!groups.contains_key("s02") && !groups.contains_key("s06"));
    let dir = tempfile::tempdir().unwrap();
    for name in &independent {
        crate::support::copy_tree(&corpus_dir.join(name), &dir.path().join(name));
    }
    let client = |given: &[similarity::Given]| {
        let class = similarity::compare_dir(
            &lab,
            &lab.checklist(),
            dir.path(),
            given,
            &similarity::Settings::default(),
        )
        .unwrap();
        let pair = &class.report.pairs[0];
        let role = pair.roles.iter().find(|r| r.role == "client").unwrap();
        (role.shared_tokens, role.similarity)
    };
    let (without, without_score) = client(&[]);
    let (with, with_score) = client(&similarity::given_code(&lab, &[]).unwrap());
    assert!(
        without > 200.0 && without_score > 0.99,
        "{independent:?}: the given code left in shares only {without} tokens ({without_score})"
    );
    assert!(
        with < without / 5.0 && with_score < without_score,
        "{independent:?}: {with} tokens ({with_score}) with the given client left out, \
         {without} ({without_score}) with it in"
    );
}

/// The JSON has every pair, highest first, in the shape; the text lists those at or
/// above the threshold.
#[test]
fn the_command_writes_every_pair_ranked() {
    let dir = corpus("train", "frames");
    let n = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("s.json");
    let labs = env!("CARGO_BIN_EXE_labs");
    let status = std::process::Command::new(labs)
        .args(["similarity", "frames"])
        .arg(&dir)
        .args(["--format", "json", "--output"])
        .arg(&json)
        .status()
        .unwrap();
    assert!(status.success());
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let pairs = value["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), n * (n - 1) / 2);
    let scores: Vec<f64> = pairs
        .iter()
        .map(|p| p["similarity"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "not ranked: {scores:?}"
    );
    assert!(pairs[0]["left"].is_string() && pairs[0]["right"].is_string());
    let report: ClassReport = serde_json::from_value(value).unwrap();

    let text = std::process::Command::new(labs)
        .args(["similarity", "frames"])
        .arg(&dir)
        .args(["--threshold", "0.3"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let above = report.pairs.iter().filter(|p| p.similarity >= 0.3).count();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("0.") || l.starts_with("1."))
        .collect();
    assert_eq!(lines.len(), above, "{text}");
    assert!(lines[0].contains(&report.pairs[0].left) && lines[0].contains(&report.pairs[0].right));
}

/// Hostile or broken submissions get a note each, and the others are still compared.
#[test]
fn bad_files_are_noted_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let outside = dir.path().join("secret.py");
    std::fs::write(&outside, "print('never read')\n").unwrap();
    let good = corpus("train", "numbers").join("s01");
    let add = |name: &str, file: &str, bytes: &[u8]| {
        std::fs::create_dir_all(class.join(name)).unwrap();
        std::fs::write(class.join(name).join(file), bytes).unwrap();
    };
    crate::support::copy_tree(&good, &class.join("good"));
    add(
        "latin1",
        "client.py",
        b"# \xe9t\xe9\nimport socket\nx = 1\n",
    );
    add("broken", "client.py", b"def f(:\n    return [1, 2\n");
    add("huge", "client.py", "x = 1\n".repeat(60_000).as_bytes());
    add("binary", "client.py", b"\x7fELF\x00\x00\x01");
    add("nothing", "README.txt", b"I forgot the code");
    std::fs::create_dir_all(class.join("linked")).unwrap();
    std::os::unix::fs::symlink(&outside, class.join("linked/client.py")).unwrap();

    let lab = labs::catalog::lab("numbers").unwrap();
    let given = similarity::given_code(&lab, &[]).unwrap();
    let result = similarity::compare_dir(
        &lab,
        &lab.checklist(),
        &class,
        &given,
        &similarity::Settings::default(),
    )
    .unwrap();
    let notes = |name: &str| {
        let s = result
            .report
            .submissions
            .iter()
            .find(|s| s.name == name)
            .unwrap();
        let mut all = s.notes.clone();
        all.extend(s.files.values().flat_map(|f| f.notes.clone()));
        all.join("; ")
    };
    for (name, note) in [
        ("latin1", "not UTF-8"),
        ("broken", "does not parse (line 1)"),
        ("huge", "compared on its first 256 KiB"),
        ("binary", "a binary file, not compared"),
        ("nothing", "no Python file"),
        ("linked", "a symbolic link, not followed"),
    ] {
        let said = notes(name);
        assert!(said.contains(note), "{name}: {said}");
    }
    assert!(!result.sources.values().any(|s| s.contains("never read")));
    // Seven submissions, every pair present, the files that could be read compared.
    assert_eq!(result.report.pairs.len(), 7 * 6 / 2);
    assert!(
        result
            .report
            .submissions
            .iter()
            .find(|s| s.name == "broken")
            .unwrap()
            .files
            .contains_key("client")
    );
    let text = result.report.text(0.5);
    assert!(
        text.contains("note: linked: client.py: a symbolic link"),
        "{text}"
    );
}

/// `labs grade --batch` writes `similarity.json` and `similarity.html`, and each report's
/// `original-work` evidence names the closest match, still for a person to judge.
#[test]
fn a_batch_writes_the_comparison_and_names_each_closest_match() {
    let _turn = crate::support::serial();
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let copies = Copies::read(&corpus("train", "numbers"));
    let copy = &copies.copy[0];
    let others: Vec<String> = std::fs::read_dir(corpus("train", "numbers"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != &copy.source && n != &copy.copy && !n.contains('.'))
        .take(2)
        .collect();
    for name in [&copy.source, &copy.copy].into_iter().chain(&others) {
        crate::support::copy_tree(&corpus("train", "numbers").join(name), &class.join(name));
    }
    let out = dir.path().join("results");
    let lab = labs::catalog::lab("numbers").unwrap();
    let opts = labs::GradeOptions {
        only: vec!["original-work".into()],
        python: testkit::python::interpreter(),
        ..labs::GradeOptions::default()
    };
    let run = labs::class::batch::Run {
        jobs: 2,
        out: &out,
        worksheet: None,
        resume: false,
        stop: None,
    };
    labs::class::batch::grade_into(&lab, &class, &opts, &run, &|_| {}).unwrap();
    let report: ClassReport =
        serde_json::from_str(&std::fs::read_to_string(out.join(similarity::JSON_FILE)).unwrap())
            .unwrap();
    assert_eq!(report.pairs.len(), 6);
    assert_eq!((&report.pairs[0].left, &report.pairs[0].right), {
        let mut two = [&copy.source, &copy.copy];
        two.sort();
        (two[0], two[1])
    });
    let page = std::fs::read_to_string(out.join(similarity::HTML_FILE)).unwrap();
    assert!(page.contains("id=\"pair-0\""));
    let graded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("{}.json", copy.copy))).unwrap(),
    )
    .unwrap();
    let evidence = graded["report"]["items"]
        .as_array()
        .or_else(|| graded["items"].as_array())
        .unwrap()
        .iter()
        .find(|i| i["id"] == "original-work")
        .unwrap()["evidence"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(evidence.starts_with("judged by a person"), "{evidence}");
    assert!(
        evidence.contains(&format!("closest match: {}", copy.source))
            && evidence.contains("similarity.html#pair-0"),
        "{evidence}"
    );
}

/// `similarity.html` as a person sees it, opened from disk in headless Chromium: the graph
/// has an edge per pair at or above the threshold, the table ranks every shown pair, and a
/// pair's section shows both files with their matching fragments highlighted and linked
/// across.
#[test]
#[ignore = "needs Chromium and chromedriver; run with: cargo test -p labs --test grader -- --ignored similarity_html"]
fn similarity_html_in_chromium_shows_the_graph_table_and_both_sides() {
    use fantoccini::Locator;
    use testkit::browser::{ChromeDriver, click, text};

    let class = compare("train", "frames");
    let threshold = similarity::DEFAULT_THRESHOLD;
    let above = class
        .report
        .pairs
        .iter()
        .filter(|p| p.similarity >= threshold)
        .count();
    assert!(
        above >= 3,
        "the training corpus has copies above the threshold"
    );
    let page = similarity::html::page(&class, threshold);
    // Self-contained: nothing to fetch, no script.
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("similarity.html");
    std::fs::write(&path, &page).unwrap();

    let driver = ChromeDriver::start();
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = driver.session(true, profile.path()).await;
        client
            .goto(&format!("file://{}", path.display()))
            .await
            .unwrap();
        let edges = client
            .find_all(Locator::Css("#graph line.edge"))
            .await
            .unwrap();
        assert_eq!(edges.len(), above);
        let rows = client
            .find_all(Locator::Css("#pairs tbody tr"))
            .await
            .unwrap();
        let below = class.report.pairs.len() - above;
        assert_eq!(
            rows.len(),
            above + below.min(similarity::html::BELOW_THRESHOLD_ROWS)
        );
        let first = &class.report.pairs[0];
        let row = text(&client, "#pairs tbody tr").await;
        assert!(
            row.contains(&first.left) && row.contains(&first.right),
            "{row}"
        );

        // The top pair's files side by side, each with highlighted fragments.
        let files = client
            .find_all(Locator::Css("#pair-0 .side .file"))
            .await
            .unwrap();
        assert!(files.len() >= 2 && files.len() % 2 == 0);
        for side in ["left", "right"] {
            let frags = client
                .find_all(Locator::Css(&format!("#pair-0 .file.{side} .frag")))
                .await
                .unwrap();
            assert!(!frags.is_empty(), "no fragment highlighted on the {side}");
            let colour = frags[0].css_value("background-color").await.unwrap();
            assert!(!colour.contains("rgba(0, 0, 0, 0)"), "{side}: {colour}");
            let (_, _, width, height) = frags[0].rectangle().await.unwrap();
            assert!(width > 0.0 && height > 0.0);
        }
        let role = &first
            .roles
            .iter()
            .find(|r| !r.fragments.is_empty())
            .unwrap()
            .role;
        let left_text = text(&client, &format!("#p0-{role}-left-f0")).await;
        let right_text = text(&client, &format!("#p0-{role}-right-f0")).await;
        assert!(!left_text.is_empty() && !right_text.is_empty());

        // A fragment's first line links to the same fragment in the other file.
        click(&client, &format!("#p0-{role}-left-f0")).await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.fragment(), Some(format!("p0-{role}-right-f0").as_str()));
        keep_screenshot(&client.screenshot().await.unwrap());
        client.close().await.unwrap();
    });
}

/// Saves the page's screenshot under the test's artefacts and says where.
fn keep_screenshot(png: &[u8]) {
    let artefacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("labs-similarity-html");
    std::fs::create_dir_all(&artefacts).unwrap();
    let path = artefacts.join("similarity.png");
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
}
