//! Fair timing: the given client and the student's run alternately, k times each, against
//! the same server in the same sandbox; an improvement counts only beyond the noise.

use serde::Serialize;

/// The comparison of one measured phase.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Seconds per run of the given (baseline) client, in run order.
    pub baseline: Vec<f64>,
    /// Seconds per run of the student's client, in run order.
    pub student: Vec<f64>,
}

/// Smallest relative gain that counts as an improvement: 10%.
pub const MIN_GAIN: f64 = 0.10;

impl Comparison {
    /// Median of the baseline runs.
    pub fn baseline_median(&self) -> f64 {
        median(&self.baseline)
    }

    /// Median of the student's runs.
    pub fn student_median(&self) -> f64 {
        median(&self.student)
    }

    /// The noise: twice the larger median absolute deviation of the two series, seconds.
    pub fn noise(&self) -> f64 {
        2.0 * mad(&self.baseline).max(mad(&self.student))
    }

    /// Improved when the student's median is below the baseline's by more than [`MIN_GAIN`]
    /// of it and by more than [`Comparison::noise`].
    pub fn improved(&self) -> bool {
        let (b, s) = (self.baseline_median(), self.student_median());
        let gain = b - s;
        gain > MIN_GAIN * b && gain > self.noise()
    }

    /// `given 2.41 s, yours 1.12 s (median of 3 each, 2.15x; noise 0.08 s); runs: ...`.
    pub fn describe(&self, what: &str) -> String {
        let (b, s) = (self.baseline_median(), self.student_median());
        format!(
            "{what}: given client median {b:.3} s, yours {s:.3} s ({:.2}x, {} runs each, noise {:.3} s, needs > {:.0}% and > noise)\n  given: {}\n  yours: {}",
            if s > 0.0 { b / s } else { f64::INFINITY },
            self.baseline.len(),
            self.noise(),
            MIN_GAIN * 100.0,
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
    fn improvement_must_beat_noise_and_ten_percent() {
        let clear = Comparison {
            baseline: vec![2.0, 2.1, 1.9],
            student: vec![1.0, 1.1, 0.9],
        };
        assert!(clear.improved());
        let small = Comparison {
            baseline: vec![2.0, 2.0, 2.0],
            student: vec![1.9, 1.9, 1.9],
        };
        assert!(!small.improved());
        let noisy = Comparison {
            baseline: vec![1.0, 3.0, 5.0],
            student: vec![1.0, 2.0, 3.0],
        };
        assert!(!noisy.improved());
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
