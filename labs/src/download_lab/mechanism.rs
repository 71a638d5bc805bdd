//! How the student's client is concurrent, as `/proc` shows it while it runs against our
//! server: what the timing items ask before any time counts. "Improved with threading"
//! means threads were used and it improved; a client that is faster for another reason
//! (a sequential loop written differently) does not earn the item.

use std::time::Duration;

use sandbox::activity::{Activity, CpuUnit};

use crate::grading::checklist::Mechanism;

/// Least CPU time a worker must use after the download to count as doing the processing:
/// sorting one list of 250000 integers or converting a few dozen frames takes far more
/// (0.1-0.3 s here), while the helpers Python's `multiprocessing` starts (its resource
/// tracker) take under 0.03 s.
pub const WORKER_CPU_SECONDS: f64 = 0.05;

/// How often the client's tree is sampled: connections to our server stay open at least
/// the server's per-connection wait, and a worker's share of a sort lasts 0.1 s or more.
pub const SAMPLE_INTERVAL: Duration = Duration::from_millis(10);

/// Whether `mechanism` shows in `activity` (what the client's tree did in one run, whose
/// root is process `root`), with what was seen as evidence either way.
pub fn seen(mechanism: Mechanism, activity: &Activity, root: u32) -> (bool, String) {
    match mechanism {
        Mechanism::ThreadsInDownload => {
            let peak = activity.peak_overlap();
            let ok = peak.connections >= 2 && peak.threads >= 2;
            let what = if ok {
                "threads in flight in the download"
            } else {
                "no threads in flight seen in the download"
            };
            (
                ok,
                format!(
                    "{what}: at most {} connection(s) to our server open at once, held by {} thread(s) in {} process(es) ({} samples of /proc every {} ms)",
                    peak.connections,
                    peak.threads,
                    peak.processes,
                    activity.samples.len(),
                    SAMPLE_INTERVAL.as_millis()
                ),
            )
        }
        Mechanism::WorkersAfterDownload => {
            let from = activity.last_connection().unwrap_or_default();
            let used = activity.cpu_after(from);
            let workers: Vec<&(u32, f64)> = used
                .iter()
                .filter(|(_, seconds)| *seconds >= WORKER_CPU_SECONDS)
                .collect();
            let unit = activity.unit.noun();
            let ok = workers.len() >= 2;
            let what = match (ok, activity.unit) {
                (true, CpuUnit::Process) => "worker processes after the download",
                (true, CpuUnit::Thread) => "worker threads after the download",
                (false, CpuUnit::Process) => "no multiprocessing seen after the download",
                (false, CpuUnit::Thread) => "no parallel threads seen after the download",
            };
            let list: Vec<String> = used
                .iter()
                .take(6)
                .map(|(id, seconds)| {
                    let main = if *id == root { " (main)" } else { "" };
                    format!("{seconds:.2} s{main}")
                })
                .collect();
            (
                ok,
                format!(
                    "{what}: {} of the client's {unit}(s) used at least {WORKER_CPU_SECONDS} s of CPU after its last connection closed at {:.2} s (CPU per {unit}, most first: {})",
                    workers.len(),
                    from.as_secs_f64(),
                    if list.is_empty() {
                        "none".to_owned()
                    } else {
                        list.join(", ")
                    }
                ),
            )
        }
    }
}

/// Whether any of `mechanisms` shows (the item asks for one of them), with the evidence
/// of each.
pub fn any_seen(mechanisms: &[Mechanism], activity: &Activity, root: u32) -> (bool, String) {
    let judged: Vec<(bool, String)> = mechanisms
        .iter()
        .map(|m| seen(*m, activity, root))
        .collect();
    let ok = judged.iter().any(|(ok, _)| *ok);
    let evidence: Vec<String> = judged.into_iter().map(|(_, e)| e).collect();
    (ok, evidence.join("\n"))
}
