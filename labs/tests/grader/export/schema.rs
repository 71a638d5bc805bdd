//! The platforms' documented file formats as strict serde types: a field the documentation
//! does not name, or a value of the wrong type or outside its set, fails to parse.
//!
//! - Gradescope, "Autograder Specifications", section "Output format"
//!   (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>);
//! - PrairieLearn, "External Grading", sections "Configuring and enabling external grader
//!   support" and "Grading results" (<https://prairielearn.readthedocs.io/en/latest/externalGrading/>),
//!   and the question schema (`apps/prairielearn/src/schemas/infoQuestion.ts`).

// Every documented field is declared so that its type is checked on parsing; the tests
// read only some of them.
#![allow(dead_code)]

use serde::Deserialize;

/// Gradescope's `visibility` and `stdout_visibility` values.
#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Hidden,
    AfterDueDate,
    AfterPublished,
    Visible,
}

/// Gradescope's output string formats.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    Text,
    Html,
    SimpleFormat,
    Md,
    Ansi,
}

/// A test's `status`.
#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
}

/// Gradescope's `results.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradescopeResults {
    pub score: Option<f64>,
    pub execution_time: Option<f64>,
    pub output: Option<String>,
    pub output_format: Option<OutputFormat>,
    pub test_output_format: Option<OutputFormat>,
    pub test_name_format: Option<OutputFormat>,
    pub visibility: Option<Visibility>,
    pub stdout_visibility: Option<Visibility>,
    pub extra_data: Option<serde_json::Value>,
    pub tests: Option<Vec<GradescopeTest>>,
    pub leaderboard: Option<Vec<LeaderboardEntry>>,
}

/// One of Gradescope's `tests`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradescopeTest {
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub status: Option<Status>,
    pub name: Option<String>,
    pub name_format: Option<OutputFormat>,
    pub number: Option<String>,
    pub output: Option<String>,
    pub output_format: Option<OutputFormat>,
    pub tags: Option<Vec<String>>,
    pub visibility: Option<Visibility>,
    pub extra_data: Option<serde_json::Value>,
}

/// One of Gradescope's `leaderboard` entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardEntry {
    pub name: String,
    pub value: serde_json::Value,
    pub order: Option<String>,
}

impl GradescopeResults {
    /// Parses `text` and checks the rules the field list states: a score on the whole
    /// result or on every test, scores within their maximum, and a finite, non-negative
    /// execution time.
    pub fn validate(text: &str) -> Self {
        let results: Self = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("not Gradescope's results.json: {e}\n{text}"));
        let tests = results.tests.as_deref().unwrap_or_default();
        assert!(
            results.score.is_some()
                || (!tests.is_empty() && tests.iter().all(|t| t.score.is_some())),
            "a score is required on the result or on every test:\n{text}"
        );
        for test in tests {
            if let (Some(score), Some(max)) = (test.score, test.max_score) {
                assert!((0.0..=max).contains(&score), "{test:?}");
            }
        }
        if let Some(seconds) = results.execution_time {
            assert!(seconds.is_finite() && seconds >= 0.0);
        }
        results
    }
}

/// PrairieLearn's `results.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrairieLearnResults {
    pub gradable: Option<bool>,
    pub score: Option<f64>,
    pub message: Option<String>,
    pub output: Option<String>,
    pub format_errors: Option<StringOrStrings>,
    pub images: Option<Vec<Image>>,
    pub tests: Option<Vec<PrairieLearnTest>>,
}

/// `format_errors`: a string or an array of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StringOrStrings {
    One(String),
    Many(Vec<String>),
}

/// An image of a result or a test: an object, or (older graders) its URL alone.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Image {
    Url(String),
    Labelled {
        url: String,
        #[serde(default)]
        label: Option<String>,
    },
}

/// One of PrairieLearn's `tests`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrairieLearnTest {
    pub name: String,
    pub description: Option<String>,
    pub points: Option<f64>,
    pub max_points: Option<f64>,
    pub message: Option<String>,
    pub output: Option<String>,
    pub images: Option<Vec<Image>>,
}

impl PrairieLearnResults {
    /// Parses `text` and checks the documented rules: a gradable result has a `score` in
    /// [0, 1]; a test's points are within its maximum; the file is under 1 MB.
    pub fn validate(text: &str) -> Self {
        assert!(text.len() < 1 << 20, "results.json must stay under 1 MB");
        let results: Self = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("not PrairieLearn's results.json: {e}\n{text}"));
        if results.gradable != Some(false) {
            let score = results
                .score
                .unwrap_or_else(|| panic!("a gradable result needs a score:\n{text}"));
            assert!(
                (0.0..=1.0).contains(&score),
                "score {score} is outside [0, 1]"
            );
        }
        for test in results.tests.as_deref().unwrap_or_default() {
            if let (Some(points), Some(max)) = (test.points, test.max_points) {
                assert!((0.0..=max).contains(&points), "{test:?}");
            }
        }
        results
    }
}

/// A question's `info.json`, in the fields of PrairieLearn's question schema (strict, as
/// the schema is).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuestionInfo {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub topic: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub single_variant: bool,
    pub grading_method: Option<String>,
    pub external_grading_options: Option<ExternalGradingOptions>,
    pub comment: Option<serde_json::Value>,
    pub authors: Option<serde_json::Value>,
    pub partial_credit: Option<bool>,
    pub show_correct_answer: Option<bool>,
    pub dependencies: Option<serde_json::Value>,
}

/// `externalGradingOptions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalGradingOptions {
    pub comment: Option<serde_json::Value>,
    pub enabled: Option<bool>,
    pub image: String,
    pub entrypoint: Option<StringOrStrings>,
    #[serde(default)]
    pub server_files_course: Vec<String>,
    pub timeout: Option<u64>,
    pub enable_networking: Option<bool>,
    pub environment: Option<std::collections::BTreeMap<String, Option<String>>>,
}
