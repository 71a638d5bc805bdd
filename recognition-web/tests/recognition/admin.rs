//! Admin from a browser, in raw HTTP: the login form's session cookie makes the course's
//! links and the workers page's forms work; wrong tokens are refused, counted and limited.
//! (From another host: `netns`; in a real browser: `browser`.)

use recognition_web::gateway::GatewayConfig;

use crate::support::{LocalGateway, get, get_with, get_with_token, log_in, post_form, test_config};

const TOKEN: &str = "course-admin-7";

fn gateway_with_token() -> LocalGateway {
    let config = GatewayConfig {
        admin_token: Some(TOKEN.to_owned()),
        health_check_interval: None,
        ..test_config()
    };
    LocalGateway::start(config, &[])
}

#[test]
fn a_login_session_makes_the_course_links_and_forms_work_until_logout() {
    let gateway = gateway_with_token();
    let base = format!("http://{}", gateway.addr);
    let add = gateway.url("/add/127.0.0.1:1");

    // With a token configured, even loopback needs it.
    let refused = get(&add);
    assert_eq!(refused.status, 403);
    assert!(refused.json()["error"].as_str().unwrap().contains("/admin"));
    let form = get(&gateway.url("/admin"));
    assert!(
        form.body.contains(r#"action="/admin/login""#),
        "{}",
        form.body
    );

    let wrong = post_form(&gateway.url("/admin/login"), &[("token", "guess")], &[]);
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("wrong admin token"), "{}", wrong.body);
    assert!(wrong.set_cookie.is_none());

    let answer = post_form(&gateway.url("/admin/login"), &[("token", TOKEN)], &[]);
    let set_cookie = answer.set_cookie.clone().unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains(TOKEN), "the cookie is not the token");
    let cookie = log_in(&base, TOKEN);
    let with_cookie = [("cookie", cookie.as_str())];

    // The course's links, as a browser follows them.
    let added = get_with(&add, &with_cookie);
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.json()["workers"][0]["source"], "admin");
    assert_eq!(
        get_with(&gateway.url("/del/127.0.0.1:1"), &with_cookie).status,
        200
    );
    assert_eq!(
        get_with(&gateway.url("/del/127.0.0.1:1"), &with_cookie).status,
        404
    );

    // The workers page: forms for the admin, none for a guest.
    let page = get_with(&gateway.url("/workers"), &with_cookie);
    assert!(
        page.body.contains(r#"action="/workers/add""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"action="/admin/logout""#));
    let guest = get(&gateway.url("/workers"));
    assert!(!guest.body.contains("/workers/add"));
    assert!(guest.body.contains(r#"<a href="/admin">Log in</a>"#));
    let posted = post_form(
        &gateway.url("/workers/add"),
        &[("address", "127.0.0.1:2")],
        &with_cookie,
    );
    assert_eq!(posted.status, 303);
    let back = posted.location.unwrap();
    assert_eq!(back, "/workers?added=127.0.0.1:2");
    let page = get_with(&gateway.url(&back), &with_cookie);
    assert!(
        page.body.contains("Worker 127.0.0.1:2 added."),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"data-address="127.0.0.1:2""#));
    let bad = post_form(
        &gateway.url("/workers/add"),
        &[("address", "not an address")],
        &with_cookie,
    );
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a worker address"), "{}", bad.body);
    let guest_post = post_form(
        &gateway.url("/workers/remove"),
        &[("address", "127.0.0.1:2")],
        &[],
    );
    assert_eq!(guest_post.status, 403);
    let removed = post_form(
        &gateway.url("/workers/remove"),
        &[("address", "127.0.0.1:2")],
        &with_cookie,
    );
    assert_eq!(
        removed.location.as_deref(),
        Some("/workers?removed=127.0.0.1:2")
    );
    assert!(gateway.gateway.pool().snapshot().is_empty());

    // Logged in, /admin says so; after logging out the cookie is worth nothing.
    let admin = get_with(&gateway.url("/admin"), &with_cookie);
    assert!(admin.body.contains(r#"id="logged-in""#), "{}", admin.body);
    let out = post_form(&gateway.url("/admin/logout"), &[], &with_cookie);
    assert_eq!(out.status, 303);
    assert!(out.set_cookie.unwrap().contains("Max-Age=0"));
    assert_eq!(get_with(&add, &with_cookie).status, 403);
    // The bearer header still works for scripts.
    assert_eq!(get_with_token(&add, TOKEN).status, 201);
}

#[test]
fn wrong_tokens_are_refused_counted_and_rate_limited() {
    let gateway = gateway_with_token();
    for _ in 0..5 {
        let reply = post_form(&gateway.url("/admin/login"), &[("token", "guess")], &[]);
        assert_eq!(reply.status, 403);
    }
    // The sixth try within the minute is not even checked, the right token included.
    let limited = post_form(&gateway.url("/admin/login"), &[("token", TOKEN)], &[]);
    assert_eq!(limited.status, 429, "{}", limited.body);
    let wait: u64 = limited.retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert!(limited.body.contains("too many wrong admin tokens"));
    assert_eq!(
        get_with_token(&gateway.url("/add/127.0.0.1:1"), TOKEN).status,
        429
    );
    let metrics = get(&gateway.url("/metrics")).body;
    assert!(
        metrics.contains(r#"recognition_admin_logins_total{result="wrong_token"} 5"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"recognition_admin_logins_total{result="rate_limited"} 2"#));
}

#[test]
fn without_a_token_there_is_no_login_and_loopback_administers() {
    let gateway = LocalGateway::start(test_config(), &[]);
    let login = post_form(&gateway.url("/admin/login"), &[("token", "x")], &[]);
    assert_eq!(login.status, 403);
    assert!(login.body.contains(r#"id="no-token""#), "{}", login.body);
    // Loopback without a token: the forms are there, and they work.
    let page = get(&gateway.url("/workers"));
    assert!(page.body.contains(r#"action="/workers/add""#));
    assert!(!page.body.contains("/admin/logout"));
    let added = post_form(
        &gateway.url("/workers/add"),
        &[("address", "127.0.0.1:3")],
        &[],
    );
    assert_eq!(added.status, 303);
    assert_eq!(gateway.gateway.pool().snapshot().len(), 1);
}
