//! The labs whose black-box checks are not wired yet: `recognition` and `basics`.
//! Their static items are graded; the rest are reported "not assessed" with the reason.

use crate::grade::Grader;
use crate::report::Fault;

/// The recognition project: static items and structure.
pub fn recognition(grader: &mut Grader) -> anyhow::Result<()> {
    grader.static_items(Some("allowed-packages"));
    if let Some(facts) = grader.facts.clone() {
        let web = grader.python_file("web");
        let worker = grader.python_file("worker");
        let mut missing = Vec::new();
        let mut found = Vec::new();
        for (file, names) in [
            (web, &["socket", "connect"][..]),
            (worker.clone(), &["socket", "listen", "Thread"][..]),
        ] {
            let Some(file) = file else {
                missing.push("a role file is missing".to_owned());
                continue;
            };
            for name in names {
                match facts.uses(&file, name) {
                    Some(line) => found.push(format!("{file}:{line}: uses {name}")),
                    None => missing.push(format!("{file}: never uses {name}")),
                }
            }
        }
        let evidence = found
            .into_iter()
            .chain(missing.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        grader.judge(
            "sockets-between-nodes",
            missing.is_empty(),
            Fault::Source,
            evidence,
        );
    }
    for id in [
        "upload-page",
        "worker-protocol",
        "add-remove-workers",
        "failed-worker-ejected",
    ] {
        grader.not_assessed(
            id,
            "black-box checks of the recognition project are not wired yet (they land with the recognition-web reference)",
        );
    }
    Ok(())
}

/// The basics exercises: static items and each server's structure.
pub fn basics(grader: &mut Grader) -> anyhow::Result<()> {
    grader.static_items(Some("stdlib-only"));
    if let Some(facts) = grader.facts.clone() {
        let checks: [(&str, &str, &[&str]); 3] = [
            (
                "process-per-request",
                "process_server",
                &["Process", "start"],
            ),
            ("process-pool", "pool_server", &["Pool"]),
            ("async-square", "square_server", &["asyncio"]),
        ];
        for (id, role, names) in checks {
            let Some(file) = grader.python_file(role) else {
                grader.not_assessed(id, format!("no {role}.py"));
                continue;
            };
            let mut evidence = Vec::new();
            let mut ok = true;
            for name in names {
                match facts.uses(&file, name) {
                    Some(line) => evidence.push(format!("{file}:{line}: uses {name}")),
                    None => {
                        ok = false;
                        evidence.push(format!("{file}: never uses {name}"));
                    }
                }
            }
            if id == "process-pool" {
                let submits = ["apply_async", "map_async", "apply", "map", "starmap"]
                    .iter()
                    .find_map(|n| Some((n, facts.uses(&file, n)?)));
                match submits {
                    Some((name, line)) => {
                        evidence.push(format!("{file}:{line}: submits with {name}"))
                    }
                    None => {
                        ok = false;
                        evidence.push(format!("{file}: never submits work to the pool"));
                    }
                }
            }
            grader.judge(id, ok, Fault::Source, evidence.join("\n"));
        }
    }
    for id in ["udp-hello", "square-answers"] {
        grader.not_assessed(
            id,
            "black-box checks of the basics exercises are not wired yet (they land with the basics reference programs)",
        );
    }
    Ok(())
}
