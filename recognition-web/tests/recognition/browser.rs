//! The pages in a real browser: headless Chromium, driven through chromedriver, uploads a
//! photo through the form and reads the answer off the page, and uses the workers page as
//! a guest and as a logged-in admin.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use testkit::browser::{ChromeDriver, click_and_load, has, text};

use crate::support::{FLAMINGO, LocalGateway, RED_PANDA, local_worker, test_config};

/// Uploads the red panda through the form; returns the top-1 label, the worker shown and a
/// screenshot of the result page.
async fn upload(client: &Client, page: &str) -> (String, String, Vec<u8>) {
    client.goto(page).await.unwrap();
    let photo = testkit::data::photos_dir().join(RED_PANDA.0);
    let input = client.find(Locator::Css("input#file")).await.unwrap();
    input.send_keys(photo.to_str().unwrap()).await.unwrap();
    client
        .find(Locator::Css("button#recognize"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_result(client).await.expect("the result section");
    let label = text(client, "tr.prediction td.label").await;
    let worker = text(client, "#worker").await;
    let screenshot = client.screenshot().await.unwrap();
    (label, worker, screenshot)
}

/// Hands the flamingo to the page the way a person would without the file dialog: `drop`
/// (a file dragged from a file manager) or `paste` (an image on the clipboard), each event
/// carrying the file; the page's script submits it through the form. Returns the top-1 label.
async fn drop_or_paste(client: &Client, page: &str, event: &str) -> String {
    client.goto(page).await.unwrap();
    let photo = testkit::data::photo(FLAMINGO.0);
    let data = base64::engine::general_purpose::STANDARD.encode(photo);
    client
        .execute(
            r#"
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const file = new File([bytes], "flamingo.jpg", { type: "image/jpeg" });
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const init = { bubbles: true, cancelable: true };
            const event = arguments[1] === "drop"
                ? new DragEvent("drop", { ...init, dataTransfer: transfer })
                : new ClipboardEvent("paste", { ...init, clipboardData: transfer });
            // After this script returns, as a real event would come.
            setTimeout(() => document.body.dispatchEvent(event), 10);
            "#,
            vec![data.into(), event.into()],
        )
        .await
        .unwrap();
    wait_for_result(client)
        .await
        .unwrap_or_else(|e| panic!("no result section after a {event}: {e}"));
    text(client, "tr.prediction td.label").await
}

/// Waits (two minutes at most: a debug build classifies slowly) for the result section.
async fn wait_for_result(client: &Client) -> Result<Element, CmdError> {
    client
        .wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css("#result"))
        .await
}

#[test]
#[ignore = "needs chromium and chromedriver"]
fn a_photo_uploaded_in_chromium_shows_its_label() {
    let worker = local_worker();
    let gateway = LocalGateway::start(test_config(), &[worker.addr()]);
    let driver = ChromeDriver::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let artefacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("recognition-browser");
    std::fs::create_dir_all(&artefacts).unwrap();
    runtime.block_on(async {
        for javascript in [true, false] {
            let profile = tempfile::tempdir().unwrap();
            let client = driver.session(javascript, profile.path()).await;
            let (label, shown_worker, screenshot) = upload(&client, &gateway.url("/")).await;
            if javascript {
                for event in ["drop", "paste"] {
                    let label = drop_or_paste(&client, &gateway.url("/"), event).await;
                    assert_eq!(label, FLAMINGO.1, "{event}");
                }
            }
            client.close().await.unwrap();
            assert_eq!(label, RED_PANDA.1, "javascript: {javascript}");
            assert_eq!(shown_worker, worker.addr().to_string());

            let name = if javascript {
                "result.png"
            } else {
                "result-no-javascript.png"
            };
            let path = artefacts.join(name);
            std::fs::write(&path, &screenshot).unwrap();
            println!("screenshot of the result page: {}", path.display());
            // The page really drew the top-1 bar: a run of the bar's blue (#0a66c2).
            let image = image::load_from_memory(&screenshot).unwrap().to_rgb8();
            let blue = image.pixels().filter(|p| p.0 == [0x0a, 0x66, 0xc2]).count();
            assert!(
                blue > 500,
                "only {blue} pixels of the bars' blue in {}",
                path.display()
            );
        }
    });
}

/// How many pixels of `screenshot` are exactly `rgb`.
fn pixels_of(screenshot: &[u8], rgb: [u8; 3]) -> usize {
    let image = image::load_from_memory(screenshot).unwrap().to_rgb8();
    image.pixels().filter(|p| p.0 == rgb).count()
}

/// Saves a screenshot under the test's artefacts and says where.
fn keep(screenshot: &[u8], name: &str) -> PathBuf {
    let artefacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("recognition-browser");
    std::fs::create_dir_all(&artefacts).unwrap();
    let path = artefacts.join(name);
    std::fs::write(&path, screenshot).unwrap();
    println!("screenshot: {}", path.display());
    path
}

#[test]
#[ignore = "needs chromium and chromedriver"]
fn the_workers_page_in_chromium_for_a_guest_and_for_a_logged_in_admin() {
    const TOKEN: &str = "chromium-admin";
    let worker = local_worker();
    let config = recognition_web::gateway::GatewayConfig {
        admin_token: Some(TOKEN.to_owned()),
        health_check_interval: None,
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[worker.addr()]);
    // One upload, so the worker's row counts a success.
    let photo = testkit::data::photo(RED_PANDA.0);
    assert_eq!(crate::support::classify(&gateway, &photo).status, 200);
    let driver = ChromeDriver::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let profile = tempfile::tempdir().unwrap();
    runtime.block_on(async {
        // No JavaScript: the page must not need it.
        let client = driver.session(false, profile.path()).await;
        let row = format!(r#"tr.worker[data-address="{}"]"#, worker.addr());

        // A guest sees the workers and how to log in, and no form.
        client.goto(&gateway.url("/workers")).await.unwrap();
        assert_eq!(text(&client, &format!("{row} .successes")).await, "1");
        assert_eq!(text(&client, &format!("{row} .state")).await, "healthy");
        assert_eq!(text(&client, &format!("{row} .source")).await, "flag");
        assert!(!has(&client, "#add-worker").await && !has(&client, "button.remove").await);
        let guest = client.screenshot().await.unwrap();
        keep(&guest, "workers-guest.png");
        assert!(
            pixels_of(&guest, [0xe8, 0xf5, 0xe9]) > 100,
            "the healthy badge"
        );

        // The upload page links to it.
        client.goto(&gateway.url("/")).await.unwrap();
        click_and_load(&client, r#"nav a[href="/workers"]"#).await;
        assert!(has(&client, "table#workers").await);

        // Log in through the form: the browser lands on the workers page, with the forms.
        client.goto(&gateway.url("/admin")).await.unwrap();
        let input = client.find(Locator::Css("input#token")).await.unwrap();
        input.send_keys("wrong").await.unwrap();
        click_and_load(&client, "button#log-in").await;
        assert_eq!(text(&client, "#error").await, "wrong admin token");
        let input = client.find(Locator::Css("input#token")).await.unwrap();
        input.send_keys(TOKEN).await.unwrap();
        click_and_load(&client, "button#log-in").await;
        assert!(client.current_url().await.unwrap().path() == "/workers");
        assert!(
            has(&client, "#add-worker").await,
            "the add form, once logged in"
        );

        // Add a worker with the form, then remove it with its button.
        let address = client.find(Locator::Css("input#address")).await.unwrap();
        address.send_keys("127.0.0.1:9").await.unwrap();
        click_and_load(&client, "button#add").await;
        assert_eq!(text(&client, "#notice").await, "Worker 127.0.0.1:9 added.");
        let added = r#"tr.worker[data-address="127.0.0.1:9"]"#;
        assert_eq!(text(&client, &format!("{added} .source")).await, "admin");
        let admin = client.screenshot().await.unwrap();
        keep(&admin, "workers-admin.png");
        click_and_load(&client, &format!("{added} button.remove")).await;
        assert_eq!(
            text(&client, "#notice").await,
            "Worker 127.0.0.1:9 removed."
        );
        assert!(!has(&client, added).await);

        // The course's link works from this browser now.
        let link = gateway.url("/add/127.0.0.1:10");
        client.goto(&link).await.unwrap();
        assert!(
            client.source().await.unwrap().contains(r#""added":true"#),
            "the course's /add link with the session"
        );

        // Log out: the forms are gone, and the link is refused again.
        client.goto(&gateway.url("/workers")).await.unwrap();
        click_and_load(&client, "#logout button").await;
        assert!(has(&client, "form#login").await);
        client.goto(&gateway.url("/workers")).await.unwrap();
        assert!(!has(&client, "#add-worker").await);
        client
            .goto(&gateway.url("/del/127.0.0.1:10"))
            .await
            .unwrap();
        assert!(client.source().await.unwrap().contains("admin token"));
        client.close().await.unwrap();
    });
    let listed: Vec<String> = gateway
        .gateway
        .pool()
        .snapshot()
        .iter()
        .map(|w| w.address.to_string())
        .collect();
    assert_eq!(
        listed,
        [worker.addr().to_string(), "127.0.0.1:10".to_owned()]
    );
}
