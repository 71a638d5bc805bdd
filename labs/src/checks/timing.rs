//! Fair timing: the given client and the student's run alternately against the same server
//! in the same sandbox, pair after pair, until a sequential test ([`Rule`]) is sure at its
//! stated error rates whether the student's is faster.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

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

/// What the sequential test says after the pairs so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Faster: the evidence for "a clearly faster client" reached its bound.
    Improved,
    /// Not faster: the evidence for "the same speed" reached its bound.
    NotImproved,
    /// Neither bound reached yet: time another pair.
    Undecided,
    /// Neither bound reached within the most pairs allowed: too noisy to judge.
    TooNoisy,
}

/// The timing rule: Wald's sequential probability ratio test (Wald, *Sequential Analysis*,
/// 1947; the SPRT) on the natural logs of the paired ratios, yours over the given
/// client's, modelled as normal with a known spread.
///
/// It weighs two hypotheses about a pair's log-ratio: the same speed (mean 0) and clearly
/// faster (mean `ln(faster_ratio)`). After each pair it adds up the log-likelihood ratio
/// of the second to the first, `sum(m * (x - m / 2)) / s^2` with `m = ln(faster_ratio)`
/// and `s = pair_noise`, and stops as soon as that sum leaves
/// `[ln(false_fail / (1 - false_pass)), ln((1 - false_fail) / false_pass)]`: above,
/// improved; below, not improved. Wald's bounds keep the chance that a client of the same
/// speed passes under `false_pass` and that a clearly faster one fails under `false_fail`,
/// using about 3 pairs on average instead of a fixed number. Clients between the two
/// (near `sqrt(faster_ratio)`, 13% faster for 0.75) need more pairs; after the most
/// allowed the verdict is "too noisy", never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
pub struct Rule {
    /// Standard deviation of `ln(yours / given)` of one pair when both clients are the
    /// same program, measured on the grading machine (see the handout's "How the grader
    /// judges").
    pub pair_noise: f64,
    /// The ratio a clearly faster client reaches: 0.75 is 25% faster.
    pub faster_ratio: f64,
    /// Largest chance that a client of the same speed as the given one passes.
    pub false_pass: f64,
    /// Largest chance that a client `faster_ratio` as fast fails.
    pub false_fail: f64,
}

/// Fewest pairs before any verdict: one pair in each order (ABBA), so neither client
/// always runs on the warmer half.
pub const MIN_PAIRS: usize = 2;

impl Rule {
    /// The log-likelihood ratio of "clearly faster" to "the same speed" after `ratios`.
    pub fn statistic(&self, ratios: &[f64]) -> f64 {
        let m = self.faster_ratio.ln();
        let s2 = self.pair_noise * self.pair_noise;
        ratios
            .iter()
            .map(|r| m * (r.max(f64::MIN_POSITIVE).ln() - m / 2.0) / s2)
            .sum()
    }

    /// The bounds `(not improved, improved)` of the statistic.
    pub fn bounds(&self) -> (f64, f64) {
        (
            (self.false_fail / (1.0 - self.false_pass)).ln(),
            ((1.0 - self.false_fail) / self.false_pass).ln(),
        )
    }

    /// The verdict after `ratios`, when at most `max_pairs` pairs may be timed.
    pub fn decide(&self, ratios: &[f64], max_pairs: usize) -> Decision {
        let (low, high) = self.bounds();
        let statistic = self.statistic(ratios);
        if ratios.len() >= MIN_PAIRS && statistic >= high {
            Decision::Improved
        } else if ratios.len() >= MIN_PAIRS && statistic <= low {
            Decision::NotImproved
        } else if ratios.len() >= max_pairs.max(MIN_PAIRS) {
            Decision::TooNoisy
        } else {
            Decision::Undecided
        }
    }

    /// `sequential test: statistic 6.1 after 3 pairs (improved at >= 4.60, not improved at
    /// <= -4.60)`.
    pub fn describe(&self, ratios: &[f64]) -> String {
        let (low, high) = self.bounds();
        format!(
            "sequential test: statistic {:.1} after {} pair(s) (improved at >= {high:.2}, not improved at <= {low:.2}: equal speed passes at most {} time(s) in 100, {:.0}% faster fails at most {} in 100)",
            self.statistic(ratios),
            ratios.len(),
            self.false_pass * 100.0,
            (1.0 - self.faster_ratio) * 100.0,
            self.false_fail * 100.0,
        )
    }
}

/// How often the rule reaches each verdict, from [`simulate`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    /// Share of gradings that passed.
    pub improved: f64,
    /// Share that failed.
    pub not_improved: f64,
    /// Share left "too noisy" at the most pairs allowed.
    pub too_noisy: f64,
    /// Pairs timed per grading, on average.
    pub mean_pairs: f64,
}

/// Runs the rule `trials` times on pairs whose log-ratios `draw` returns (one call per
/// pair; e.g. normal with the machine's measured spread around `ln(true ratio)`, or drawn
/// from measured pairs), with at most `max_pairs` per grading: the error rates the rule
/// has on such a machine. `labs/examples/timing_rule.rs` prints them for each lab.
pub fn simulate(
    rule: &Rule,
    max_pairs: usize,
    trials: usize,
    mut draw: impl FnMut() -> f64,
) -> Rates {
    let mut rates = Rates::default();
    for _ in 0..trials {
        let mut ratios = Vec::new();
        let decision = loop {
            ratios.push(draw().exp());
            match rule.decide(&ratios, max_pairs) {
                Decision::Undecided => continue,
                decided => break decided,
            }
        };
        match decision {
            Decision::Improved => rates.improved += 1.0,
            Decision::NotImproved => rates.not_improved += 1.0,
            _ => rates.too_noisy += 1.0,
        }
        rates.mean_pairs += ratios.len() as f64;
    }
    let n = trials.max(1) as f64;
    Rates {
        improved: rates.improved / n,
        not_improved: rates.not_improved / n,
        too_noisy: rates.too_noisy / n,
        mean_pairs: rates.mean_pairs / n,
    }
}

/// Normal draws around `mean` with standard deviation `sd`, for [`simulate`]: Box-Muller
/// over a xorshift generator seeded with `seed` (nonzero), so a simulation gives the same
/// figures every run.
pub fn normal_draws(mean: f64, sd: f64, seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed.max(1);
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    move || {
        let (u, v) = (uniform().max(f64::MIN_POSITIVE), uniform());
        mean + sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// The geometric mean of `values` (1 for none).
pub fn geometric_mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 1.0;
    }
    (values
        .iter()
        .map(|v| v.max(f64::MIN_POSITIVE).ln())
        .sum::<f64>()
        / values.len() as f64)
        .exp()
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

    const RULE: Rule = Rule {
        pair_noise: 0.15,
        faster_ratio: 0.75,
        false_pass: 0.01,
        false_fail: 0.01,
    };

    #[test]
    fn clear_gains_and_equal_speeds_are_decided_in_a_few_pairs() {
        assert_eq!(RULE.decide(&[0.6, 0.62], 12), Decision::Improved);
        assert_eq!(RULE.decide(&[1.0, 0.98], 12), Decision::Undecided);
        assert_eq!(RULE.decide(&[1.0, 0.98, 1.02], 12), Decision::NotImproved);
        // One pair decides nothing, however clear.
        assert_eq!(RULE.decide(&[0.3], 12), Decision::Undecided);
        // 13% faster sits between the hypotheses: undecided, then too noisy at the cap.
        let between = [0.87, 0.86, 0.87];
        assert_eq!(RULE.decide(&between, 12), Decision::Undecided);
        assert_eq!(RULE.decide(&between, 3), Decision::TooNoisy);
    }

    #[test]
    fn error_rates_meet_one_in_a_hundred_at_the_design_noise() {
        let equal = simulate(&RULE, 20, 20_000, normal_draws(0.0, RULE.pair_noise, 7));
        assert!(equal.improved <= 0.01, "{equal:?}");
        let faster = simulate(
            &RULE,
            20,
            20_000,
            normal_draws(0.75f64.ln(), RULE.pair_noise, 11),
        );
        assert!(faster.improved >= 0.99, "{faster:?}");
        assert!(equal.mean_pairs < 5.0 && faster.mean_pairs < 5.0);
    }

    #[test]
    fn bounds_are_walds() {
        let (low, high) = RULE.bounds();
        assert!((high - 99f64.ln()).abs() < 1e-12);
        assert!((low + 99f64.ln()).abs() < 1e-12);
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
