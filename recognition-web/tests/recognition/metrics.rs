//! `GET /metrics` scraped and parsed as Prometheus does: every family the gateway documents
//! is there with its `# HELP` and `# TYPE`, and the numbers agree with what was done.

use std::collections::HashMap;

use crate::support::{FLAMINGO, LocalGateway, RED_PANDA, classify, get, local_worker, test_config};

/// One scrape: the type of each family, and each sample's value by its series
/// (`name{labels}` as written).
struct Scrape {
    types: HashMap<String, String>,
    samples: HashMap<String, f64>,
}

impl Scrape {
    fn parse(text: &str) -> Self {
        let mut types = HashMap::new();
        let mut helped = Vec::new();
        let mut samples = HashMap::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# HELP ") {
                helped.push(rest.split(' ').next().unwrap().to_owned());
            } else if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').unwrap();
                types.insert(name.to_owned(), kind.to_owned());
            } else if !line.is_empty() {
                let (series, value) = line
                    .rsplit_once(' ')
                    .unwrap_or_else(|| panic!("not a sample: {line:?}"));
                let value: f64 = value
                    .parse()
                    .unwrap_or_else(|_| panic!("not a number: {line:?}"));
                assert!(
                    samples.insert(series.to_owned(), value).is_none(),
                    "{line} twice"
                );
            }
        }
        for name in types.keys() {
            assert!(helped.contains(name), "{name} has no HELP");
        }
        Self { types, samples }
    }

    fn value(&self, series: &str) -> f64 {
        *self
            .samples
            .get(series)
            .unwrap_or_else(|| panic!("no {series} in {:?}", self.samples.keys()))
    }
}

#[test]
fn every_metric_is_scraped_with_its_type_and_the_counts_add_up() {
    let worker = local_worker();
    let gateway = LocalGateway::start(test_config(), &[worker.addr()]);
    for photo in [RED_PANDA.0, FLAMINGO.0] {
        assert_eq!(classify(&gateway, &testkit::data::photo(photo)).status, 200);
    }
    assert_eq!(classify(&gateway, b"not a photo").status, 400);

    let reply = get(&gateway.url("/metrics"));
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.content_type,
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let scrape = Scrape::parse(&reply.body);
    // (The DNS families show once a --workers-dns name has been looked up: see `dns`.)
    for (family, kind) in [
        ("recognition_requests_total", "counter"),
        ("recognition_request_duration_seconds", "histogram"),
        ("recognition_retries_total", "counter"),
        ("recognition_ejections_total", "counter"),
        ("recognition_readmissions_total", "counter"),
        ("recognition_health_check_ejections_total", "counter"),
        ("recognition_http_connections_total", "counter"),
        ("recognition_http_header_timeouts_total", "counter"),
        ("recognition_http_write_timeouts_total", "counter"),
        ("recognition_http_connections_open", "gauge"),
        ("recognition_health_checks_total", "counter"),
        ("recognition_admin_logins_total", "counter"),
        ("recognition_worker_up", "gauge"),
        ("recognition_worker_in_flight", "gauge"),
        ("recognition_worker_exchanges_total", "counter"),
        ("recognition_worker_failed_health_checks_total", "counter"),
        ("recognition_worker_info", "gauge"),
    ] {
        assert_eq!(
            scrape.types.get(family).map(String::as_str),
            Some(kind),
            "{family}"
        );
    }
    let requests = |outcome: &str| {
        scrape.value(&format!(
            "recognition_requests_total{{outcome=\"{outcome}\"}}"
        ))
    };
    assert_eq!(requests("ok"), 2.0);
    assert_eq!(requests("client_error"), 1.0);
    assert_eq!(requests("failed") + requests("busy"), 0.0);

    // The histogram: cumulative buckets, the last (+Inf) equal to the count.
    let count = scrape.value("recognition_request_duration_seconds_count");
    assert_eq!(count, 3.0);
    let mut buckets: Vec<(f64, f64)> = scrape
        .samples
        .iter()
        .filter_map(|(series, value)| {
            let le = series
                .strip_prefix("recognition_request_duration_seconds_bucket{le=\"")?
                .strip_suffix("\"}")?;
            Some((le.parse::<f64>().unwrap(), *value))
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(buckets.len(), 13, "12 bounds and +Inf");
    assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "{buckets:?}");
    assert_eq!(buckets.last().unwrap(), &(f64::INFINITY, count));
    assert!(scrape.value("recognition_request_duration_seconds_sum") > 0.0);

    let worker = worker.addr();
    let series = |name: &str, labels: &str| format!("{name}{{worker=\"{worker}\"{labels}}}");
    assert_eq!(scrape.value(&series("recognition_worker_up", "")), 1.0);
    assert_eq!(
        scrape.value(&series("recognition_worker_in_flight", "")),
        0.0
    );
    assert_eq!(
        scrape.value(&series(
            "recognition_worker_exchanges_total",
            ",result=\"success\""
        )),
        2.0
    );
    assert_eq!(
        scrape.value(&series(
            "recognition_worker_info",
            ",state=\"healthy\",source=\"flag\""
        )),
        1.0
    );
    // This scrape's own connection is open.
    assert!(scrape.value("recognition_http_connections_open") >= 1.0);
    assert!(scrape.value("recognition_http_connections_total") >= 4.0);
}
