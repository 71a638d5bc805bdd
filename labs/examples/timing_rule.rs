//! The timing rule's error rates by simulation: for each lab with timing items, how often
//! a client of a given true speed ratio passes, fails or is left "too noisy", when each
//! pair's ln(yours / given) is normal with a given spread, using the rule and the most
//! pairs `labs grade` uses. `cargo run -p labs --example timing_rule [NOISE...]`: the
//! spreads to try (default: the checklist's design value and the figures measured on the
//! 2-core machine the checklists name).

use labs::grading::options::DEFAULT_TIMING_RUNS;
use labs::grading::sequential_test::{normal_draws, simulate};

/// Gradings simulated per line: enough to tell 1 in 100 from 2 in 100.
const TRIALS: usize = 100_000;

fn main() -> anyhow::Result<()> {
    let asked: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    for name in ["frames", "numbers"] {
        let checklist = labs::catalog::lab(name)?.checklist();
        let Some(timing) = &checklist.timing else {
            continue;
        };
        let rule = timing.rule;
        let noises = if asked.is_empty() {
            // Measured here: frames 0.085 (given against itself, other builds running);
            // numbers downloads 0.07, sorts 0.074 and, once, 0.15.
            match name {
                "frames" => vec![0.085, rule.pair_noise],
                _ => vec![0.07, 0.1, rule.pair_noise],
            }
        } else {
            asked.clone()
        };
        println!(
            "{name}: pair_noise {}, faster_ratio {}, false_pass {}, false_fail {}, at most {DEFAULT_TIMING_RUNS} pairs",
            rule.pair_noise, rule.faster_ratio, rule.false_pass, rule.false_fail
        );
        println!("  noise  ratio   passed   failed  too noisy  mean pairs");
        for (n, noise) in noises.iter().enumerate() {
            for (r, ratio) in [1.0f64, 0.95, 0.9, 0.8, 0.75, 0.6].iter().enumerate() {
                let seed = 1 + (n * 10 + r) as u64;
                let rates = simulate(
                    &rule,
                    DEFAULT_TIMING_RUNS,
                    TRIALS,
                    normal_draws(ratio.ln(), *noise, seed),
                );
                println!(
                    "  {noise:5.3}  {ratio:5.2}  {:6.2}%  {:6.2}%  {:8.2}%  {:10.2}",
                    rates.improved * 100.0,
                    rates.not_improved * 100.0,
                    rates.too_noisy * 100.0,
                    rates.mean_pairs
                );
            }
        }
    }
    Ok(())
}
