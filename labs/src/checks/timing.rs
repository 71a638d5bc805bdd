//! Fair timing: the given client and the student's run alternately against the same server
//! in the same sandbox, pair after pair, until a sequential test
//! ([`crate::grading::sequential_test::Rule`]) is sure at its stated error rates whether the
//! student's is faster; pairs that other programs disturbed are timed again.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::grading::sequential_test::{Rule, geometric_mean};

/// Share of the machine's cores a timing needs free: a speed-up from threads or processes
/// cannot show on cores that other work keeps busy.
pub const MIN_FREE_CPU: f64 = 0.7;

/// The share (0..=1) of the machine's CPU time that a busy loop on every core gets during
/// `window`: about 1 on an idle machine, 0.5 when other work keeps one of two cores busy.
/// Measured with each spinning thread's own CPU clock.
pub fn cpu_free(window: Duration) -> f64 {
    use nix::time::{ClockId, clock_gettime};
    let cpu = || {
        clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID)
            .map(|t| Duration::from(t).as_secs_f64())
            .unwrap_or(0.0)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let shares: Vec<f64> = (0..cores)
        .map(|_| {
            std::thread::spawn(move || {
                let (start, cpu0) = (Instant::now(), cpu());
                let mut x = 1u64;
                while start.elapsed() < window {
                    for _ in 0..1000 {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                }
                (cpu() - cpu0) / start.elapsed().as_secs_f64()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap_or(0.0))
        .collect();
    (shares.iter().sum::<f64>() / cores as f64).min(1.0)
}

/// Waits up to `budget` for [`MIN_FREE_CPU`] of the machine to be free (probing 200 ms at
/// a time). Returns the last measured share and whether it was enough.
pub fn wait_for_free_cpu(budget: Duration) -> (f64, bool) {
    let deadline = Instant::now() + budget;
    loop {
        let free = cpu_free(Duration::from_millis(200));
        if free >= MIN_FREE_CPU {
            return (free, true);
        }
        if Instant::now() >= deadline {
            return (free, false);
        }
        std::thread::sleep(Duration::from_millis(800));
    }
}

/// Largest share of the machine's CPU that programs other than the grader's may take over
/// any [`LOAD_WINDOW`] of a timed pair before the pair is discarded and timed again: a
/// build or another job starting half-way through a pair would otherwise decide it. Half a
/// core of a 2-core machine; the machine's own housekeeping takes 1-2%.
pub const MAX_OTHER_LOAD: f64 = 0.25;

/// Watches, while a pair is timed, how much of the machine's CPU programs other than the
/// grader's take, over any window of [`LOAD_WINDOW`]: a build starting during the one
/// second a sort lasts would disturb that sort while hardly changing the pair's average.
pub struct LoadMonitor {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<f64>,
}

/// The window over which other programs' share of the CPU is judged.
pub const LOAD_WINDOW: Duration = Duration::from_secs(1);

/// How often a [`LoadMonitor`] reads the counters.
const LOAD_SAMPLE: Duration = Duration::from_millis(100);

impl LoadMonitor {
    /// Starts watching. The grader's own CPU is this process's (all its threads), its
    /// reaped children's, and every live process descended from it with their reaped
    /// children: the clients timed, their workers, the reference server.
    pub fn start() -> Self {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
            let per_window = (LOAD_WINDOW.as_millis() / LOAD_SAMPLE.as_millis()).max(1) as usize;
            let mut samples: std::collections::VecDeque<(Instant, u64, u64)> =
                std::collections::VecDeque::new();
            let mut worst: f64 = 0.0;
            while !flag.load(Ordering::Relaxed) {
                samples.push_back((Instant::now(), machine_busy_ticks(), own_ticks()));
                if samples.len() > per_window {
                    samples.pop_front();
                }
                if let (Some(first), Some(last)) = (samples.front(), samples.back())
                    && samples.len() > per_window / 2
                {
                    let wall = last.0.duration_since(first.0).as_secs_f64() * ticks_per_second();
                    let other = last
                        .1
                        .saturating_sub(first.1)
                        .saturating_sub(last.2.saturating_sub(first.2));
                    if wall > 0.0 {
                        worst = worst.max((other as f64 / (wall * cores)).clamp(0.0, 1.0));
                    }
                }
                std::thread::sleep(LOAD_SAMPLE);
            }
            worst
        });
        Self { stop, handle }
    }

    /// Stops watching: the largest share (0..=1) of the machine's CPU other programs took
    /// over any [`LOAD_WINDOW`].
    pub fn finish(self) -> f64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or(0.0)
    }
}

/// Clock ticks of this process, its reaped children, and its live descendants with
/// theirs.
fn own_ticks() -> u64 {
    let me = std::process::id();
    stat_ticks("self", true)
        + sandbox::observe::descendants(me)
            .iter()
            .map(|pid| stat_ticks(&pid.to_string(), true))
            .sum::<u64>()
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`).
fn ticks_per_second() -> f64 {
    use nix::unistd::{SysconfVar, sysconf};
    match sysconf(SysconfVar::CLK_TCK) {
        Ok(Some(ticks)) if ticks > 0 => ticks as f64,
        _ => 100.0,
    }
}

/// Busy ticks of all cores from `/proc/stat`'s first line.
fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&i| fields.get(i))
        .sum()
}

/// `utime + stime` of `/proc/PID/stat` (`pid` may be `self`), plus `cutime + cstime` (the
/// children it has reaped) when `children`.
fn stat_ticks(pid: &str, children: bool) -> u64 {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some(close) = text.rfind(')') else {
        return 0;
    };
    // Field N (1-based) is at index N - 3 after the command name.
    let fields: Vec<u64> = text[close + 1..]
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0);
    field(14) + field(15) + if children { field(16) + field(17) } else { 0 }
}

/// The times of one measured phase, pair by pair.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Seconds per run of the given (baseline) client, in run order.
    pub baseline: Vec<f64>,
    /// Seconds per run of the student's client, in run order.
    pub student: Vec<f64>,
}

impl Comparison {
    /// Median of the baseline runs.
    pub fn baseline_median(&self) -> f64 {
        median(&self.baseline)
    }

    /// Median of the student's runs.
    pub fn student_median(&self) -> f64 {
        median(&self.student)
    }

    /// Per pair of runs made back to back, the student's time over the given client's.
    /// Pairing cancels the machine's slow drifts (other jobs, caches, frequency).
    pub fn ratios(&self) -> Vec<f64> {
        self.baseline
            .iter()
            .zip(&self.student)
            .map(|(b, s)| if *b > 0.0 { s / b } else { f64::INFINITY })
            .collect()
    }

    /// The figures: medians, paired ratios, the test's statistic and every run.
    pub fn describe(&self, what: &str, rule: &Rule) -> String {
        let (b, s) = (self.baseline_median(), self.student_median());
        let ratios = self.ratios();
        format!(
            "{what}: given client median {b:.3} s, yours {s:.3} s; paired ratios yours/given {} (geometric mean {:.2}); {}\n  given: {}\n  yours: {}",
            list(&ratios),
            geometric_mean(&ratios),
            rule.describe(&ratios),
            list(&self.baseline),
            list(&self.student)
        )
    }
}

fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The median of `values` (0 for none).
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// Median absolute deviation from the median.
pub fn mad(values: &[f64]) -> f64 {
    let m = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - m).abs()).collect();
    median(&deviations)
}

/// The number printed after `label: ` on some line of `output` (`Sorting time: 7.46`),
/// wherever the line starts (a log prefix is allowed).
pub fn printed_seconds(output: &str, label: &str) -> Option<f64> {
    let needle = format!("{label}: ");
    output.lines().find_map(|line| {
        let at = line.find(&needle)?;
        line[at + needle.len()..].trim().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_noise() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(mad(&[1.0, 2.0, 9.0]), 1.0);
    }

    #[test]
    fn reads_printed_seconds_with_or_without_log_prefix() {
        let out =
            "x\n[2024-01-01 00:00:00,000] [INFO] [MainProcess] [MainThread] : Sorting time: 7.5\n";
        assert_eq!(printed_seconds(out, "Sorting time"), Some(7.5));
        assert_eq!(
            printed_seconds("Files download time: 1e-3", "Files download time"),
            Some(0.001)
        );
        assert_eq!(printed_seconds("Sorting time: soon", "Sorting time"), None);
    }
}
