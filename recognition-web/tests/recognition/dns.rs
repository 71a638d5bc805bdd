//! Workers found through DNS, with the name resolved by the system resolver from an
//! `/etc/hosts` of the test's own: the gateway runs in a mount namespace where that file
//! (and an `/etc/nsswitch.conf` reading only files, so no query leaves the machine) are
//! bind-mounted over the real ones. Rewriting the file in place is then a DNS change.
//!
//! ```text
//!   recognition-workers.test ─┬─ 127.0.0.2:P  worker A
//!                             └─ 127.0.0.3:P  worker B   (later dropped from the file)
//! ```

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use testkit::process::LoggedProcess;

use crate::support::{FLAMINGO, RED_PANDA, WorkerProcess, eventually, get, post};

const NAME: &str = "recognition-workers.test";

/// Rewrites `path` in place: the bind mount shows the same inode, so a new file (a rename)
/// would go unseen.
fn write_in_place(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// `recognition-gateway ARGS` in a new mount namespace with `hosts` over `/etc/hosts` and
/// `nsswitch` over `/etc/nsswitch.conf`, its log in a file; killed when dropped.
struct GatewayInNamespace {
    process: LoggedProcess,
    addr: SocketAddr,
}

impl GatewayInNamespace {
    fn start(hosts: &Path, nsswitch: &Path, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_recognition-gateway"));
        command.args(args);
        let process = LoggedProcess::spawn(testkit::mounts::in_private_mounts(
            &mut command,
            vec![
                (hosts.to_owned(), "/etc/hosts".into()),
                (nsswitch.to_owned(), "/etc/nsswitch.conf".into()),
            ],
            None,
        ));
        let addr = SocketAddr::from(([127, 0, 0, 1], process.port_after("listening on http://")));
        Self { process, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The workers the gateway lists, with their state and source.
    fn workers(&self) -> Vec<(String, String, String)> {
        let list = get(&self.url("/api/workers")).json();
        list.as_array()
            .unwrap()
            .iter()
            .map(|w| {
                let field = |f: &str| w[f].as_str().unwrap().to_owned();
                (field("address"), field("state"), field("source"))
            })
            .collect()
    }
}

impl Drop for GatewayInNamespace {
    /// Shows the gateway's log when the test fails (the process itself is killed by
    /// [`LoggedProcess`]).
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("gateway log:\n{}", self.process.log());
        }
    }
}

#[test]
#[ignore = "needs root for a mount namespace"]
fn workers_follow_the_name_as_the_hosts_file_changes() {
    let a = WorkerProcess::start("127.0.0.2", 0);
    let port = a.addr.port();
    let b = WorkerProcess::start("127.0.0.3", port);
    let dir = tempfile::tempdir().unwrap();
    let hosts = dir.path().join("hosts");
    let nsswitch = dir.path().join("nsswitch.conf");
    std::fs::write(&nsswitch, "hosts: files\n").unwrap();
    write_in_place(
        &hosts,
        &format!("127.0.0.1 localhost\n127.0.0.2 {NAME}\n127.0.0.3 {NAME}\n"),
    );
    let dns = format!("{NAME}:{port}");
    let gateway = GatewayInNamespace::start(
        &hosts,
        &nsswitch,
        &[
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--workers-dns",
            &dns,
            "--dns-refresh-ms",
            "200",
        ],
    );
    let source = format!("dns {dns}");
    // Looked up before the first connection: both are there at once.
    assert_eq!(
        gateway.workers(),
        [
            (a.addr.to_string(), "healthy".into(), source.clone()),
            (b.addr.to_string(), "healthy".into(), source.clone()),
        ]
    );

    // Requests flow all along; none may fail.
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let url = gateway.url("/api/classify");
    let clients: Vec<_> = (0..2)
        .map(|i| {
            let (stop, done, url) = (stop.clone(), done.clone(), url.clone());
            std::thread::spawn(move || {
                let photos = [
                    (testkit::data::photo(RED_PANDA.0), RED_PANDA.1),
                    (testkit::data::photo(FLAMINGO.0), FLAMINGO.1),
                ];
                let mut served_by = Vec::new();
                let mut n = i;
                while !stop.load(Ordering::SeqCst) {
                    let (photo, label) = &photos[n % 2];
                    let reply = post(&url, "image/jpeg", photo, &[]);
                    assert_eq!(reply.status, 200, "{}", reply.body);
                    assert_eq!(reply.json()["predictions"][0]["label"], *label);
                    served_by.push(reply.json()["worker"].as_str().unwrap().to_owned());
                    done.fetch_add(1, Ordering::SeqCst);
                    n += 1;
                }
                served_by
            })
        })
        .collect();
    assert!(eventually(Duration::from_secs(120), || done
        .load(Ordering::SeqCst)
        >= 6));

    // B leaves the name: within the refresh interval it leaves the pool, without a failure.
    write_in_place(&hosts, &format!("127.0.0.1 localhost\n127.0.0.2 {NAME}\n"));
    assert!(
        eventually(Duration::from_secs(30), || gateway.workers().len() == 1),
        "{:?}",
        gateway.workers()
    );
    let before = done.load(Ordering::SeqCst);
    assert!(eventually(Duration::from_secs(120), || done
        .load(Ordering::SeqCst)
        >= before + 4));

    // The name disappears altogether: a failed lookup keeps the last good set.
    write_in_place(&hosts, "127.0.0.1 localhost\n");
    let failed_lookups = || {
        let text = get(&gateway.url("/metrics")).body;
        text.lines()
            .find(|l| l.starts_with("recognition_dns_lookups_total") && l.contains("error"))
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    assert!(eventually(Duration::from_secs(30), || failed_lookups() >= 2));
    assert_eq!(
        gateway.workers(),
        [(a.addr.to_string(), "healthy".into(), source.clone())]
    );

    stop.store(true, Ordering::SeqCst);
    let served_by: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(served_by.contains(&a.addr.to_string()));
    assert!(
        served_by.contains(&b.addr.to_string()),
        "B served before it left"
    );
    let metrics = get(&gateway.url("/metrics")).body;
    for line in [
        r#"recognition_requests_total{outcome="failed"} 0"#,
        "recognition_retries_total 0",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    assert!(
        metrics.contains(&format!("recognition_dns_addresses{{name=\"{dns}\"}} 1")),
        "{metrics}"
    );
    drop(b);
}
