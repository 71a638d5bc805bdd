//! Wire compatibility with course-style Python programs: their client against our worker,
//! our gateway against their worker.

use std::net::SocketAddr;
use std::path::PathBuf;

use testkit::python::{PythonServer, run_script};

use crate::support::{
    self, FLAMINGO, LocalGateway, RED_PANDA, local_worker, multipart, post, test_config,
};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/recognition/python")
        .join(name)
}

/// The result data a course-style client printed, as (label, probability) pairs.
fn pairs(result: &str) -> Vec<(String, f64)> {
    result
        .trim()
        .split(',')
        .map(|item| {
            let (label, p) = item.rsplit_once(':').expect("label:p");
            (label.to_owned(), p.parse().expect("a probability"))
        })
        .collect()
}

#[test]
fn a_python_client_gets_the_top_5_from_our_worker() {
    let worker = local_worker();
    let port = worker.addr().port().to_string();
    for ((photo, label), extra) in [(RED_PANDA, None), (FLAMINGO, Some("--nack-first"))] {
        let path = testkit::data::photos_dir().join(photo);
        let mut args = vec!["127.0.0.1", &port, path.to_str().unwrap()];
        args.extend(extra);
        let out = run_script(&script("course_client.py"), &args).unwrap();
        let top5 = pairs(&out);
        assert_eq!(top5.len(), 5, "{out}");
        assert_eq!(top5[0].0, label, "{out}");
        assert!(top5.iter().all(|(_, p)| (0.0..=1.0).contains(p)));
        assert!(
            top5.windows(2).all(|w| w[0].1 >= w[1].1),
            "most probable first: {out}"
        );
    }
}

#[test]
fn our_gateway_works_with_a_python_worker() {
    let stub = PythonServer::start(&script("stub_worker.py"), &[]).unwrap();
    let stub_addr = SocketAddr::from(([127, 0, 0, 1], stub.port));
    let gateway = LocalGateway::start(test_config(), &[stub_addr]);
    let photo = testkit::data::photo(RED_PANDA.0);

    let reply = support::classify(&gateway, &photo);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["predictions"][0]["label"], "espresso");
    assert_eq!(json["predictions"][0]["probability"], 0.882);
    assert_eq!(json["predictions"].as_array().unwrap().len(), 5);
    assert_eq!(json["worker"], stub_addr.to_string());
    assert_eq!(json["attempts"], 1);

    // The course's form upload renders the same answer on the page.
    let (content_type, body) = multipart("file", "photo.jpg", &photo);
    let page = post(&gateway.url("/"), &content_type, &body, &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"<td class="label">espresso</td>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("88.2%"));
    assert!(page.body.contains(&stub_addr.to_string()));
}
