//! The deployment files under `deploy/` (Dockerfile, Compose, Kubernetes) against the
//! binaries they run: every command line in them is parsed with the binaries' own argument
//! parsers, so a renamed or removed flag fails here rather than in a deployment, and the
//! names that tie the files together (the workers' DNS name and port, the probes' paths, the
//! admin token's variable) are checked against each other.
//!
//! Docker is not needed: the YAML is read with `yaml-rust2`, the Dockerfile's exec-form
//! instructions as JSON arrays.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};
use recognition_web::gateway::GatewayArgs;
use recognition_web::worker::WorkerArgs;
use yaml_rust2::{Yaml, YamlLoader};

use crate::support::{LocalGateway, get, test_config};

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy")
}

fn read(name: &str) -> String {
    let path = deploy_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_documents(name: &str) -> Vec<Yaml> {
    YamlLoader::load_from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A command line of one of our binaries, parsed by that binary's parser.
#[derive(Debug)]
enum Program {
    Worker(Box<WorkerArgs>),
    Gateway(Box<GatewayArgs>),
}

/// Parses `argv` with the parser of the binary it names; `whence` says where it was found.
fn parse(argv: &[String], whence: &str) -> Program {
    let binary = argv.first().map(String::as_str).unwrap_or_default();
    let fail = |e: clap::Error| -> ! { panic!("{whence}: {argv:?} does not parse:\n{e}") };
    match binary {
        "recognition-worker" => Program::Worker(Box::new(
            WorkerArgs::try_parse_from(argv).unwrap_or_else(|e| fail(e)),
        )),
        "recognition-gateway" => Program::Gateway(Box::new(
            GatewayArgs::try_parse_from(argv).unwrap_or_else(|e| fail(e)),
        )),
        other => panic!("{whence}: runs {other:?}, which is none of our binaries"),
    }
}

/// A YAML scalar or list of scalars as strings (`command: [a, b]`, `args: ["1"]`, or a
/// plain `command: a b`, split on spaces as Compose does).
fn strings(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items.iter().flat_map(strings).collect(),
        Yaml::String(s) => s.split_whitespace().map(str::to_owned).collect(),
        Yaml::Integer(i) => vec![i.to_string()],
        Yaml::BadValue => Vec::new(),
        other => panic!("not a string or a list of strings: {other:?}"),
    }
}

fn worker_port(program: &Program) -> u16 {
    match program {
        Program::Worker(args) => args.listen_on().1,
        Program::Gateway(_) => panic!("expected a worker"),
    }
}

fn gateway(program: &Program) -> &GatewayArgs {
    match program {
        Program::Gateway(args) => args,
        Program::Worker(_) => panic!("expected a gateway"),
    }
}

/// The environment variable `--admin-token` is read from.
fn admin_token_variable() -> String {
    let command = GatewayArgs::command();
    let argument = command
        .get_arguments()
        .find(|a| a.get_id() == "admin_token")
        .expect("--admin-token");
    argument
        .get_env()
        .expect("--admin-token reads a variable")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_dockerfile_builds_both_binaries_and_runs_a_worker() {
    let text = read("Dockerfile");
    let build = text
        .lines()
        .find(|l| l.contains("cargo build"))
        .expect("a cargo build line");
    assert!(
        build.contains("--release --locked -p recognition-web --bins"),
        "{build}"
    );
    assert!(text.contains("COPY --from=build /out/recognition-worker /out/recognition-gateway"));
    let mut parsed = 0;
    for line in text.lines() {
        let Some(rest) = line
            .strip_prefix("CMD ")
            .or_else(|| line.strip_prefix("ENTRYPOINT "))
        else {
            continue;
        };
        let argv: Vec<String> = serde_json::from_str(rest)
            .unwrap_or_else(|e| panic!("Dockerfile: {line:?} is not an exec-form array: {e}"));
        assert_eq!(worker_port(&parse(&argv, "Dockerfile CMD")), 8888);
        parsed += 1;
    }
    assert_eq!(parsed, 1, "one CMD");
    assert!(text.contains("EXPOSE 8888 9999"));
}

#[test]
fn compose_runs_a_gateway_that_finds_the_workers_by_service_name() {
    let documents = yaml_documents("compose.yaml");
    let services = documents[0]["services"]
        .as_hash()
        .expect("compose.yaml has services");
    let mut programs = HashMap::new();
    for (name, service) in services {
        let name = name.as_str().unwrap().to_owned();
        let argv = strings(&service["command"]);
        let program = parse(&argv, &format!("compose.yaml, service {name}"));
        programs.insert(name, (program, service));
    }
    assert_eq!(programs.len(), 2, "a worker and a gateway");
    let (worker, worker_service) = &programs["worker"];
    assert!(
        worker_service["build"]["dockerfile"].as_str() == Some("deploy/Dockerfile"),
        "the worker service builds the image"
    );
    let (gateway_program, gateway_service) = &programs["gateway"];
    let gateway_args = gateway(gateway_program);
    assert_eq!(gateway_args.workers_dns.len(), 1);
    let dns = &gateway_args.workers_dns[0];
    assert!(
        programs.contains_key(&dns.host),
        "--workers-dns {dns} names no service"
    );
    assert_eq!(dns.port, worker_port(worker), "the workers' port");
    let token = admin_token_variable();
    assert!(
        gateway_service["environment"][token.as_str()]
            .as_str()
            .is_some_and(|v| v.contains(&token)),
        "the gateway gets {token} from the environment"
    );
    assert_eq!(strings(&gateway_service["ports"]), ["9999:9999"]);
    assert_eq!(gateway_args.port, 9999);
    assert_eq!(
        worker_service["image"].as_str(),
        gateway_service["image"].as_str(),
        "one image for both"
    );
}

#[test]
fn kubernetes_runs_workers_behind_a_headless_service_and_a_probed_gateway() {
    let kustomization = yaml_documents("kubernetes/kustomization.yaml");
    let files = strings(&kustomization[0]["resources"]);
    assert_eq!(files, ["workers.yaml", "gateway.yaml"]);
    let documents: Vec<Yaml> = files
        .iter()
        .flat_map(|f| yaml_documents(&format!("kubernetes/{f}")))
        .collect();
    let of_kind = |kind: &str| -> Vec<&Yaml> {
        documents
            .iter()
            .filter(|d| d["kind"].as_str() == Some(kind))
            .collect()
    };
    let mut containers = HashMap::new();
    for deployment in of_kind("Deployment") {
        let name = deployment["metadata"]["name"].as_str().unwrap();
        let spec = &deployment["spec"]["template"]["spec"]["containers"][0];
        let argv: Vec<String> = [strings(&spec["command"]), strings(&spec["args"])].concat();
        let program = parse(&argv, &format!("Kubernetes Deployment {name}"));
        containers.insert(name.to_owned(), (program, spec));
    }
    assert_eq!(containers.len(), 2, "a worker and a gateway Deployment");

    let (worker, worker_spec) = &containers["recognition-worker"];
    let port = worker_port(worker);
    assert_eq!(
        worker_spec["ports"][0]["containerPort"].as_i64(),
        Some(i64::from(port))
    );
    let (gateway_program, gateway_spec) = &containers["recognition-gateway"];
    let dns = &gateway(gateway_program).workers_dns;
    assert_eq!(dns.len(), 1);
    let headless = of_kind("Service")
        .into_iter()
        .find(|s| s["metadata"]["name"].as_str() == Some(dns[0].host.as_str()))
        .unwrap_or_else(|| panic!("--workers-dns {} names no Service", dns[0]));
    assert_eq!(
        headless["spec"]["clusterIP"].as_str(),
        Some("None"),
        "headless: one A record per pod"
    );
    assert_eq!(
        headless["spec"]["ports"][0]["port"].as_i64(),
        Some(i64::from(dns[0].port))
    );
    assert_eq!(
        headless["spec"]["selector"],
        documents
            .iter()
            .find(|d| d["metadata"]["name"].as_str() == Some("recognition-worker"))
            .unwrap()["spec"]["selector"]["matchLabels"],
        "the Service selects the worker pods"
    );

    // The admin token comes from a Secret, through the variable --admin-token reads.
    let env = &gateway_spec["env"][0];
    assert_eq!(env["name"].as_str(), Some(admin_token_variable().as_str()));
    assert!(env["valueFrom"]["secretKeyRef"]["name"].as_str().is_some());

    // The probes' paths are routes the gateway answers (not 404), on the port it listens on.
    assert_eq!(
        gateway_spec["ports"][0]["containerPort"].as_i64(),
        Some(i64::from(gateway(gateway_program).port))
    );
    let local = LocalGateway::start(test_config(), &[]);
    for (probe, expected) in [("livenessProbe", 200), ("readinessProbe", 503)] {
        let path = gateway_spec[probe]["httpGet"]["path"].as_str().unwrap();
        // No worker in this gateway: live, but not ready.
        assert_eq!(get(&local.url(path)).status, expected, "{probe} {path}");
    }
}
