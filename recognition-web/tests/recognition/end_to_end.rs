//! The gateway with real workers: concurrent uploads, a worker killed mid-run, workers
//! added and deleted while requests run, bad uploads, admin access, health and metrics.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use recognition_web::gateway::GatewayConfig;
use recognition_web::gateway::metrics::RequestOutcome;
use recognition_web::gateway::pool::State;

use crate::support::{
    self, FLAMINGO, LocalGateway, RED_PANDA, WorkerProcess, classifier, classify, delete,
    eventually, get, get_with_token, local_worker, multipart, post, test_config, top1,
};

#[test]
fn concurrent_uploads_of_every_photo_are_answered_correctly() {
    let workers: Vec<_> = (0..3).map(|_| local_worker()).collect();
    let addrs: Vec<SocketAddr> = workers.iter().map(|w| w.addr()).collect();
    let gateway = Arc::new(LocalGateway::start(test_config(), &addrs));
    let names = testkit::data::photo_names();
    let clients: Vec<_> = names
        .iter()
        .cloned()
        .map(|name| {
            let gateway = gateway.clone();
            std::thread::spawn(move || {
                let photo = testkit::data::photo(&name);
                (name, photo.clone(), classify(&gateway, &photo))
            })
        })
        .collect();
    let mut served_by = std::collections::HashSet::new();
    for client in clients {
        let (name, photo, reply) = client.join().unwrap();
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
        let json = reply.json();
        // The gateway's answer is exactly what the classifier says about the photo.
        let expected = classifier().classify(&photo, 5).unwrap();
        let got = json["predictions"].as_array().unwrap();
        assert_eq!(got.len(), 5, "{name}");
        for (p, e) in got.iter().zip(&expected) {
            assert_eq!(p["label"], e.label.as_str(), "{name}");
            let probability = p["probability"].as_f64().unwrap();
            assert!(
                (probability - f64::from(e.probability)).abs() < 1e-5,
                "{name}"
            );
        }
        served_by.insert(json["worker"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        served_by.len(),
        3,
        "round-robin spreads 11 uploads over 3 workers"
    );
    let snapshot = gateway.gateway.pool().snapshot();
    assert_eq!(snapshot.iter().map(|w| w.successes).sum::<u64>(), 11);
    assert!(snapshot.iter().all(|w| w.in_flight == 0 && w.failures == 0));
}

#[test]
fn a_worker_killed_mid_run_loses_no_request_and_is_taken_back_after_restart() {
    let mut workers: Vec<WorkerProcess> = (0..3)
        .map(|_| WorkerProcess::start("127.0.0.1", 0))
        .collect();
    let addrs: Vec<SocketAddr> = workers.iter().map(|w| w.addr).collect();
    let gateway = Arc::new(LocalGateway::start(test_config(), &addrs));
    const REQUESTS: usize = 50;
    const CLIENTS: usize = 4;
    let done = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let photos = Arc::new([
        (testkit::data::photo(RED_PANDA.0), RED_PANDA.1),
        (testkit::data::photo(FLAMINGO.0), FLAMINGO.1),
    ]);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (gateway, done, next, photos) =
                (gateway.clone(), done.clone(), next.clone(), photos.clone());
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= REQUESTS {
                        return failures;
                    }
                    let (photo, label) = &photos[i % 2];
                    let reply = classify(&gateway, photo);
                    if reply.status != 200 || top1(&reply) != *label {
                        failures.push(format!("request {i}: {} {}", reply.status, reply.body));
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    assert!(eventually(Duration::from_secs(300), || done
        .load(Ordering::SeqCst)
        >= 10));
    let victim = workers[1].addr;
    workers[1].kill();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "lost requests: {failures:#?}");
    assert_eq!(done.load(Ordering::SeqCst), REQUESTS);
    let metrics = gateway.gateway.metrics();
    assert_eq!(metrics.requests(RequestOutcome::Ok), REQUESTS as u64);

    // The dead worker is out of rotation (if traffic reached it after the kill) or will be
    // once it fails; make sure it is tried, then check its state.
    for _ in 0..3 {
        assert_eq!(top1(&classify(&gateway, &photos[0].0)), RED_PANDA.1);
    }
    let state_of = |addr| {
        gateway
            .gateway
            .pool()
            .snapshot()
            .into_iter()
            .find(|w| w.address == addr)
            .unwrap()
    };
    assert_eq!(state_of(victim).state, State::Ejected);
    let text = get(&gateway.url("/metrics")).body;
    assert!(
        text.contains(&format!("recognition_worker_up{{worker=\"{victim}\"}} 0")),
        "{text}"
    );
    assert!(!text.contains("recognition_ejections_total 0"), "{text}");

    // Restarted on the same port, the prober takes it back in.
    workers[1] = WorkerProcess::start("127.0.0.1", victim.port());
    assert!(
        eventually(Duration::from_secs(60), || state_of(victim).state
            == State::Healthy),
        "the restarted worker was not re-admitted: {:?}",
        state_of(victim)
    );
    let before = state_of(victim).successes;
    for _ in 0..3 {
        assert_eq!(top1(&classify(&gateway, &photos[1].0)), FLAMINGO.1);
    }
    assert!(
        state_of(victim).successes > before,
        "it serves requests again"
    );
}

#[test]
fn workers_deleted_and_added_while_requests_run() {
    let workers: Vec<_> = (0..4).map(|_| local_worker()).collect();
    let addrs: Vec<SocketAddr> = workers.iter().map(|w| w.addr()).collect();
    let gateway = Arc::new(LocalGateway::start(test_config(), &addrs[..3]));
    let photo = Arc::new(testkit::data::photo(RED_PANDA.0));
    let clients: Vec<_> = (0..3)
        .map(|_| {
            let (gateway, photo) = (gateway.clone(), photo.clone());
            std::thread::spawn(move || {
                (0..6)
                    .map(|_| classify(&gateway, &photo))
                    .filter(|r| r.status != 200 || top1(r) != RED_PANDA.1)
                    .map(|r| format!("{} {}", r.status, r.body))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let del = get(&gateway.url(&format!("/del/{}", addrs[0])));
    assert_eq!(del.status, 200, "{}", del.body);
    let add = get(&gateway.url(&format!("/add/{}", addrs[3])));
    assert_eq!(add.status, 201, "{}", add.body);
    assert_eq!(add.json()["added"], true);
    let again = get(&gateway.url(&format!("/add/{}", addrs[3])));
    assert_eq!(
        (again.status, again.json()["added"].clone()),
        (200, false.into())
    );
    let del = delete(&gateway.url(&format!("/api/workers/{}", addrs[1])));
    assert_eq!(del.status, 200, "{}", del.body);
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");

    let listed = get(&gateway.url("/api/workers")).json();
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["address"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [addrs[2].to_string(), addrs[3].to_string()]);
    let unknown = get(&gateway.url(&format!("/del/{}", addrs[0])));
    assert_eq!(unknown.status, 404, "deleting an unknown worker");
    let bad = get(&gateway.url("/add/not-an-address"));
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("IP:PORT"));
    let added = post(
        &gateway.url("/api/workers"),
        "application/json",
        format!(r#"{{"address":"{}"}}"#, addrs[0]).as_bytes(),
        &[],
    );
    assert_eq!(added.status, 201, "{}", added.body);
}

#[test]
fn bad_uploads_get_clear_errors_and_cost_no_worker() {
    let worker = local_worker();
    let config = GatewayConfig {
        max_upload_bytes: 1 << 20,
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[worker.addr()]);

    let text = classify(&gateway, b"just some text, certainly not a photo");
    assert_eq!(text.status, 400);
    assert!(
        text.json()["error"]
            .as_str()
            .unwrap()
            .contains("not an image"),
        "{}",
        text.body
    );

    // A PNG header with nothing behind it passes the header check; the worker refuses it,
    // and that is still the client's error.
    let mut png = Vec::new();
    image::RgbImage::new(64, 64)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(60);
    let truncated = classify(&gateway, &png);
    assert_eq!(truncated.status, 400, "{}", truncated.body);

    let huge = vec![0xFFu8; 2 << 20];
    let too_large = classify(&gateway, &huge);
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert!(
        too_large.json()["error"]
            .as_str()
            .unwrap()
            .contains("too large")
    );

    // The same through the form: the page shows each message.
    let (content_type, body) = multipart("file", "", b"");
    let page = post(&gateway.url("/"), &content_type, &body, &[]);
    assert_eq!(page.status, 400);
    assert!(page.body.contains("no photo was uploaded"), "{}", page.body);
    let (content_type, body) = multipart("file", "notes.txt", b"hello");
    let page = post(&gateway.url("/"), &content_type, &body, &[]);
    assert_eq!(page.status, 400);
    assert!(page.body.contains("not an image"));
    let (content_type, body) = multipart("file", "big.jpg", &huge);
    let page = post(&gateway.url("/"), &content_type, &body, &[]);
    assert_eq!(page.status, 413);
    assert!(page.body.contains("too large"), "{}", page.body);
    assert!(page.content_type.starts_with("text/html"));

    let snapshot = gateway.gateway.pool().snapshot();
    assert_eq!(
        snapshot[0].failures, 0,
        "bad uploads never count against the worker"
    );
    assert_eq!(snapshot[0].state, State::Healthy);
    // And the worker still answers.
    assert_eq!(
        top1(&classify(&gateway, &testkit::data::photo(FLAMINGO.0))),
        FLAMINGO.1
    );
}

#[test]
fn no_worker_busy_and_readiness() {
    let gateway = LocalGateway::start(test_config(), &[]);
    let photo = testkit::data::photo(RED_PANDA.0);
    let reply = classify(&gateway, &photo);
    assert_eq!(reply.status, 503);
    assert_eq!(reply.retry_after.as_deref(), Some("1"));
    assert_eq!(get(&gateway.url("/healthz")).status, 200);
    assert_eq!(get(&gateway.url("/readyz")).status, 503);

    // A worker that takes its time, so one request holds the only slot.
    let slow = testkit::serving(|mut stream, _| {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        std::thread::sleep(Duration::from_secs(2));
        let _ = stream.write_all(b"N");
        Ok(())
    })
    .unwrap();
    let config = GatewayConfig {
        max_concurrent: 1,
        max_attempts: 1,
        ..test_config()
    };
    let gateway = Arc::new(LocalGateway::start(config, &[slow.addr()]));
    assert_eq!(get(&gateway.url("/readyz")).status, 200);
    let first = {
        let (gateway, photo) = (gateway.clone(), photo.clone());
        std::thread::spawn(move || classify(&gateway, &photo))
    };
    assert!(eventually(Duration::from_secs(5), || {
        gateway.gateway.pool().snapshot()[0].in_flight == 1
    }));
    let busy = classify(&gateway, &photo);
    assert_eq!(busy.status, 503, "{}", busy.body);
    assert_eq!(busy.retry_after.as_deref(), Some("1"));
    assert!(busy.json()["error"].as_str().unwrap().contains("busy"));
    let first = first.join().unwrap();
    assert_eq!(
        first.status, 502,
        "a worker that never answers: {}",
        first.body
    );
    let metrics = get(&gateway.url("/metrics")).body;
    assert!(
        metrics.contains("recognition_requests_total{outcome=\"busy\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("recognition_requests_total{outcome=\"failed\"} 1"),
        "{metrics}"
    );
}

#[test]
fn a_failing_worker_is_ejected_and_the_request_goes_elsewhere() {
    let good = local_worker();
    // Accepts, reads, and hangs up: the course's "does not answer correctly".
    let broken = testkit::serving(|mut stream, _| {
        let mut buf = [0u8; 64];
        let _ = stream.read(&mut buf);
        Ok(())
    })
    .unwrap();
    let gateway = LocalGateway::start(test_config(), &[broken.addr(), good.addr()]);
    let photo = testkit::data::photo(RED_PANDA.0);
    for _ in 0..4 {
        let reply = classify(&gateway, &photo);
        assert_eq!(top1(&reply), RED_PANDA.1);
        assert_eq!(reply.json()["worker"], good.addr().to_string());
    }
    let snapshot = gateway.gateway.pool().snapshot();
    assert_eq!(snapshot[0].state, State::Ejected);
    assert_eq!(
        snapshot[0].ejections, 1,
        "probes keep it out without re-ejecting"
    );
    assert_eq!(snapshot[1].state, State::Healthy);
    let workers = get(&gateway.url("/api/workers")).json();
    assert_eq!(workers[0]["state"], "ejected");
    assert_eq!(workers[1]["state"], "healthy");
    assert!(gateway.gateway.metrics().requests(RequestOutcome::Ok) >= 4);
}

#[test]
fn admin_calls_need_the_token_when_one_is_set() {
    let config = GatewayConfig {
        admin_token: Some("s3cret".into()),
        ..test_config()
    };
    let gateway = LocalGateway::start(config, &[]);
    let url = gateway.url("/add/127.0.0.1:9");
    assert_eq!(get(&url).status, 403);
    assert_eq!(get_with_token(&url, "wrong").status, 403);
    assert_eq!(get_with_token(&url, "s3cret").status, 201);
    assert_eq!(
        get(&gateway.url("/api/workers"))
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let page = get(&gateway.url("/"));
    assert!(page.body.contains(r#"enctype="multipart/form-data""#));
    assert!(page.body.contains(r#"name="file""#));
    let _ = support::RED_PANDA;
}
