//! The result data: the top 5 as `label:probability` pairs, or a bad image's `error: `
//! report.

use std::fmt;

/// Prefix of a result that reports a bad image instead of predictions.
pub const ERROR_PREFIX: &str = "error: ";

/// One line of a result: a class and its probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// The class name, e.g. `lesser panda`.
    pub label: String,
    /// Softmax probability in [0, 1].
    pub probability: f64,
}

/// What a worker answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The top classes, most probable first.
    Labels(Vec<Label>),
    /// The worker could not use the image (the client's fault), with its reason.
    BadImage(String),
}

/// Result data for `labels`: `label:p,label:p,...` with `p` printed with 6 decimals.
pub fn encode_result(labels: &[Label]) -> String {
    let items: Vec<String> = labels
        .iter()
        .map(|l| format!("{}:{:.6}", l.label.replace([',', ':'], " "), l.probability))
        .collect();
    items.join(",")
}

/// Result data reporting a bad image: `error: <reason>` on one line.
pub fn encode_error(reason: &str) -> String {
    format!("{ERROR_PREFIX}{}", reason.replace(['\r', '\n'], " "))
}

/// A result that does not parse; the gateway counts it against the worker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed result {0:?}")]
pub struct BadResult(pub String);

/// Parses result data: `label:p` pairs separated by commas, each `p` in [0, 1], or an
/// `error: ` report.
///
/// Errors: [`BadResult`] for anything else, including an empty result.
pub fn parse_result(data: &[u8]) -> Result<Answer, BadResult> {
    let bad = || BadResult(String::from_utf8_lossy(data).chars().take(200).collect());
    let text = std::str::from_utf8(data).map_err(|_| bad())?;
    if let Some(reason) = text.strip_prefix(ERROR_PREFIX) {
        return Ok(Answer::BadImage(reason.to_owned()));
    }
    let labels = text
        .split(',')
        .map(|item| {
            let (label, p) = item.rsplit_once(':')?;
            let probability: f64 = p.trim().parse().ok()?;
            let label = label.trim();
            ((0.0..=1.0).contains(&probability) && !label.is_empty()).then(|| Label {
                label: label.to_owned(),
                probability,
            })
        })
        .collect::<Option<Vec<Label>>>()
        .ok_or_else(bad)?;
    Ok(Answer::Labels(labels))
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:.1}%)", self.label, self.probability * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_round_trip() {
        let labels = vec![
            Label {
                label: "lesser panda".into(),
                probability: 0.99,
            },
            Label {
                label: "giant panda".into(),
                probability: 0.01,
            },
        ];
        let text = encode_result(&labels);
        assert_eq!(text, "lesser panda:0.990000,giant panda:0.010000");
        assert_eq!(parse_result(text.as_bytes()), Ok(Answer::Labels(labels)));
        assert_eq!(
            parse_result(encode_error("not an\nimage").as_bytes()),
            Ok(Answer::BadImage("not an image".into()))
        );
        assert!(parse_result(b"").is_err());
        assert!(parse_result(b"cat:1.5").is_err());
        assert!(parse_result(b"cat").is_err());
    }
}
