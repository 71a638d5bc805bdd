//! The sequential test that decides a timing item: Wald's sequential probability ratio
//! test on the log-ratios of timed pairs, with the error rates a checklist states, and a
//! simulation of those rates. It knows no lab and no program: only numbers.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
