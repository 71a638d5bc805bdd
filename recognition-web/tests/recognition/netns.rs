//! Multi-host: the gateway and two workers on three "hosts", network namespaces joined by
//! veth links, the way the course ran them on separate GENI nodes.
//!
//! ```text
//!   test (root ns) 10.200.0.1 ── 10.200.0.2  gateway ns  10.200.1.1 ── 10.200.1.2  worker ns 1
//!                                                       10.200.2.1 ── 10.200.2.2  worker ns 2
//! ```

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{
    FLAMINGO, RED_PANDA, WorkerProcess, eventually, get, get_with, get_with_token, log_in, post,
    post_form,
};

/// Runs `ip ARGS`, panicking with its stderr on failure.
fn ip(args: &[&str]) {
    let output = Command::new("ip")
        .args(args)
        .output()
        .expect("running ip(8)");
    assert!(
        output.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The namespaces this test created; deleted when dropped, also when the test fails.
/// Deleting a namespace deletes its veth ends, and with them their peers.
struct Namespaces(Vec<String>);

impl Namespaces {
    fn add(&mut self, name: String) -> String {
        ip(&["netns", "add", &name]);
        self.0.push(name.clone());
        ip(&["-n", &name, "link", "set", "lo", "up"]);
        name
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("ip").args(["netns", "del", name]).status();
        }
    }
}

/// Joins `a` (None: the test's own namespace) and `b` with a veth pair on `10.200.SUBNET.0/24`:
/// `a` gets `.1`, `b` gets `.2`.
fn link(tag: &str, subnet: u8, a: Option<&str>, b: &str) {
    let (end_a, end_b) = (format!("{tag}a{subnet}"), format!("{tag}b{subnet}"));
    ip(&[
        "link", "add", &end_a, "type", "veth", "peer", "name", &end_b, "netns", b,
    ]);
    if let Some(a) = a {
        ip(&["link", "set", &end_a, "netns", a]);
    }
    let in_a = |args: &[&str]| match a {
        Some(a) => ip(&[&["-n", a], args].concat()),
        None => ip(args),
    };
    in_a(&[
        "addr",
        "add",
        &format!("10.200.{subnet}.1/24"),
        "dev",
        &end_a,
    ]);
    in_a(&["link", "set", &end_a, "up"]);
    ip(&[
        "-n",
        b,
        "addr",
        "add",
        &format!("10.200.{subnet}.2/24"),
        "dev",
        &end_b,
    ]);
    ip(&["-n", b, "link", "set", &end_b, "up"]);
}

/// A `recognition-gateway` process inside a namespace; killed when dropped.
struct GatewayProcess(Child);

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn in_namespace(ns: &str, binary: &str) -> Command {
    let mut command = Command::new("ip");
    command.args(["netns", "exec", ns, binary]);
    command
}

#[test]
#[ignore = "needs root for network namespaces"]
fn gateway_and_workers_on_separate_network_namespaces() {
    let id = std::process::id() % 100_000;
    let tag = format!("rw{id}");
    let mut namespaces = Namespaces(Vec::new());
    let gw = namespaces.add(format!("netlabs-{tag}-gw"));
    let w1 = namespaces.add(format!("netlabs-{tag}-w1"));
    let w2 = namespaces.add(format!("netlabs-{tag}-w2"));
    link(&tag, 0, None, &gw);
    link(&tag, 1, Some(&gw), &w1);
    link(&tag, 2, Some(&gw), &w2);

    let worker_bin = env!("CARGO_BIN_EXE_recognition-worker");
    let mut worker1 = WorkerProcess::start_with(in_namespace(&w1, worker_bin), "0.0.0.0", 8888);
    let _worker2 = WorkerProcess::start_with(in_namespace(&w2, worker_bin), "0.0.0.0", 8888);

    let mut gateway = in_namespace(&gw, env!("CARGO_BIN_EXE_recognition-gateway"))
        .args([
            "--port",
            "9999",
            "--worker",
            "10.200.1.2:8888",
            "--admin-token",
            "geni",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map(GatewayProcess)
        .expect("spawning the gateway");
    let log = BufReader::new(gateway.0.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            eprintln!("gateway: {line}");
        }
    });
    let base = "http://10.200.0.2:9999";
    assert!(
        eventually(Duration::from_secs(30), || {
            std::net::TcpStream::connect_timeout(
                &"10.200.0.2:9999".parse().unwrap(),
                Duration::from_millis(200),
            )
            .is_ok()
        }),
        "the gateway is not reachable across the veth link"
    );
    assert_eq!(get(&format!("{base}/readyz")).status, 200);

    // The test is not on the gateway's loopback: admin calls need the token. The course's
    // links, as a browser on another host opens them: refused without a session...
    let add = format!("{base}/add/10.200.2.2:8888");
    let del = format!("{base}/del/10.200.2.2:8888");
    assert_eq!(get(&add).status, 403);
    let wrong = post_form(&format!("{base}/admin/login"), &[("token", "gnei")], &[]);
    assert_eq!(wrong.status, 403, "a wrong token is refused");
    assert!(wrong.set_cookie.is_none());
    assert_eq!(get(&add).status, 403);
    // ... and working once logged in with the token.
    let cookie = log_in(base, "geni");
    let session = [("cookie", cookie.as_str())];
    assert_eq!(get_with(&add, &session).status, 201);
    assert_eq!(get_with(&del, &session).status, 200);
    assert_eq!(get_with(&add, &session).status, 201);
    let workers = get(&format!("{base}/workers")).body;
    assert!(
        workers.contains(r#"data-address="10.200.2.2:8888""#),
        "{workers}"
    );
    // Scripts still use the bearer header.
    assert_eq!(get_with_token(&add, "geni").status, 200, "already there");

    let photos = [
        (testkit::data::photo(RED_PANDA.0), RED_PANDA.1),
        (testkit::data::photo(FLAMINGO.0), FLAMINGO.1),
    ];
    let mut served_by = std::collections::BTreeSet::new();
    for i in 0..6 {
        let (photo, label) = &photos[i % 2];
        let reply = post(&format!("{base}/api/classify"), "image/jpeg", photo, &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        let json = reply.json();
        assert_eq!(json["predictions"][0]["label"], *label);
        served_by.insert(json["worker"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        served_by.into_iter().collect::<Vec<_>>(),
        ["10.200.1.2:8888", "10.200.2.2:8888"],
        "both remote workers answered"
    );

    // A worker host dies: the other one answers everything.
    worker1.kill();
    for i in 0..4 {
        let (photo, label) = &photos[i % 2];
        let reply = post(&format!("{base}/api/classify"), "image/jpeg", photo, &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["predictions"][0]["label"], *label);
        assert_eq!(reply.json()["worker"], "10.200.2.2:8888");
    }
    let workers = get(&format!("{base}/api/workers")).json();
    assert_eq!(workers[0]["address"], "10.200.1.2:8888");
    assert_eq!(workers[0]["state"], "ejected");
}
