//! `summary.html` as a person sees it: a results folder written from fabricated reports (no
//! grading) opened from disk in headless Chromium, with JavaScript on so that a student's
//! name taken for a script would run (the page itself has none). The histogram's bars and the items' stacked bars are drawn with a size, and a
//! submission's link opens its report page with its score.

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use labs::class::batch::Outcome;
use labs::class::summary_html;
use labs::grading::report::{Fault, Report, Verdict};
use testkit::browser::{ChromeDriver, click_and_load, has, text};

/// A report on the numbers lab (ten points) where the items in `failed` fail and the rest
/// pass, graded in `seconds`.
fn report(name: &str, failed: &[&str], seconds: f64) -> Report {
    let checklist = labs::catalog::lab("numbers").unwrap().checklist();
    Report::from_verdicts(&checklist, name, seconds, |item| {
        if failed.contains(&item.id.as_str()) {
            Verdict::fail(Fault::WrongAnswer, "expected 3 lines, got 2")
        } else {
            Verdict::pass("fine")
        }
    })
}

/// The width and height the browser laid the element out with.
async fn size(element: &fantoccini::elements::Element) -> (f64, f64) {
    let (_, _, width, height) = element.rectangle().await.unwrap();
    (width, height)
}

/// The element's attribute `name`, which it must have.
async fn attribute(element: &fantoccini::elements::Element, name: &str) -> String {
    element.attr(name).await.unwrap().unwrap_or_default()
}

#[test]
#[ignore = "needs Chromium and chromedriver; run with: cargo test -p labs --test grader -- --ignored summary_html"]
fn summary_html_in_chromium_shows_the_charts_and_links_to_each_report() {
    // A name is a file name (no `/`); an unescaped `<script>` would swallow the page.
    const HOSTILE: &str = "<script>document.title='owned'";
    let checklist = labs::catalog::lab("numbers").unwrap().checklist();
    let ids: Vec<&str> = checklist.items.iter().map(|i| i.id.as_str()).collect();
    let outcomes: Vec<Outcome> = vec![
        (
            "Ana Ruiz_101".into(),
            Ok(report("Ana Ruiz_101", &[ids[0]], 3.5)),
        ),
        ("bob".into(), Ok(report("bob", &[], 1.2))),
        ("carla".into(), Ok(report("carla", &[ids[0], ids[1]], 12.0))),
        (HOSTILE.into(), Ok(report(HOSTILE, &[], 0.4))),
        (
            "dan_202".into(),
            Err("no Python file in the submission".into()),
        ),
    ];
    let results = tempfile::tempdir().unwrap();
    summary_html::write(&checklist, &outcomes, 20.0, results.path()).unwrap();
    let page = format!("file://{}", results.path().join("summary.html").display());

    let driver = ChromeDriver::start();
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client: Client = driver.session(true, profile.path()).await;
        client.goto(&page).await.unwrap();
        keep(&client.screenshot().await.unwrap(), "summary.png");

        // The histogram: a bar per bucket, and those holding a submission are drawn.
        let buckets = client
            .find_all(Locator::Css("#histogram rect.bucket"))
            .await
            .unwrap();
        assert_eq!(buckets.len(), summary_html::BUCKETS);
        let mut drawn = 0;
        for bar in &buckets {
            if attribute(bar, "data-count").await != "0" {
                let (width, height) = size(bar).await;
                assert!(width > 0.0 && height > 0.0, "a bar of {width} × {height}");
                drawn += 1;
            }
        }
        assert!(drawn >= 2, "full marks and lower scores: {drawn} bars");

        // One stacked bar per checklist item; the first item's red part is visible.
        let items = client
            .find_all(Locator::Css("#items g.item"))
            .await
            .unwrap();
        assert_eq!(items.len(), ids.len());
        let failed = client
            .find(Locator::Css(&format!(
                r#"#items g.item[data-item="{}"] rect.failed"#,
                ids[0]
            )))
            .await
            .unwrap();
        assert_eq!(attribute(&failed, "data-count").await, "2");
        let (width, _) = size(&failed).await;
        assert!(width > 0.0, "two of four failed {}", ids[0]);

        // The hostile name is text, not a script; the not-graded one says why.
        assert!(!has(&client, "body script").await);
        assert_ne!(client.title().await.unwrap(), "owned");
        assert!(text(&client, "#submissions").await.contains(HOSTILE));
        assert!(
            text(&client, "#not-graded")
                .await
                .contains("no Python file")
        );

        // A submission's link opens its report, with its score.
        click_and_load(&client, r#"#submissions a[href="Ana%20Ruiz_101.html"]"#).await;
        keep(&client.screenshot().await.unwrap(), "report.png");
        let score = report("Ana Ruiz_101", &[ids[0]], 3.5).score;
        assert_eq!(
            text(&client, "#score").await,
            format!("{} / 10", labs::grading::report::fmt_points(score))
        );
        assert!(text(&client, "h1").await.contains("Ana Ruiz_101"));
        client.close().await.unwrap();
    });
}

/// Saves a screenshot under the test's artefacts and says where.
fn keep(screenshot: &[u8], name: &str) -> PathBuf {
    let artefacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("labs-summary-html");
    std::fs::create_dir_all(&artefacts).unwrap();
    let path = artefacts.join(name);
    std::fs::write(&path, screenshot).unwrap();
    println!("screenshot: {}", path.display());
    path
}
