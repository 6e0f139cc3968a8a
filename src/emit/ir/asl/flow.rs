//! How states connect: transitions, where results go, retries and catches.

use serde::Serialize;

/// Where a state goes next.
#[derive(Clone, Debug, Serialize)]
pub enum Transition {
    /// The next state's name.
    Next(String),
    /// The last state of its definition.
    End(bool),
}

impl Transition {
    /// `Next: name`.
    pub fn next(name: &str) -> Self {
        Transition::Next(name.to_owned())
    }

    /// `End: true`.
    pub fn end() -> Self {
        Transition::End(true)
    }
}

/// `ResultPath`: `null` discards the result, a path places it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultPath {
    /// `"ResultPath": null`: keep the input as the output.
    Discard,
    /// `"ResultPath": "$.x"`.
    At(&'static str),
    /// No `ResultPath`: the result replaces the input (the default; written by omission,
    /// because aws-local-stepfunctions 3.0.0 mishandles an explicit `"$"`).
    Replace,
}

impl ResultPath {
    /// Whether the field is left out.
    pub fn is_replace(&self) -> bool {
        *self == ResultPath::Replace
    }
}

impl Serialize for ResultPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ResultPath::Discard => s.serialize_none(),
            ResultPath::At(p) => s.serialize_str(p),
            ResultPath::Replace => s.serialize_str("$"),
        }
    }
}

/// A Retry clause: which errors, how often, how far apart.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Retry {
    /// Errors it applies to.
    pub error_equals: Vec<&'static str>,
    /// First wait, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u32>,
    /// Retries after the first attempt (0: never retry these errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// Multiplier of the wait per attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<u32>,
    /// `FULL` jitter spreads retries of many executions apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<&'static str>,
}

/// A Catch clause: which errors, where the error goes, which state handles it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Catch {
    /// Errors it applies to.
    pub error_equals: Vec<&'static str>,
    /// Where the error object goes.
    pub result_path: ResultPath,
    /// The handling state.
    pub next: String,
}

/// A Catch clause.
pub fn catch(errors: &[&'static str], result_path: ResultPath, next: &str) -> Catch {
    Catch {
        error_equals: errors.to_vec(),
        result_path,
        next: next.to_owned(),
    }
}

/// A Retry clause with exponential backoff and jitter.
/// ASL's defaults (1 second, 3 attempts, rate 2) are left out, which the template's size
/// appreciates.
pub fn retry(errors: &[&'static str], interval: u32, attempts: u32) -> Retry {
    Retry {
        error_equals: errors.to_vec(),
        interval_seconds: (interval != 1).then_some(interval),
        max_attempts: (attempts != 3).then_some(attempts),
        backoff_rate: None,
        jitter_strategy: Some("FULL"),
    }
}

/// A Retry clause that never retries `errors` (placed before broader retriers).
pub fn no_retry(errors: &[&'static str]) -> Retry {
    Retry {
        error_equals: errors.to_vec(),
        interval_seconds: None,
        max_attempts: Some(0),
        backoff_rate: None,
        jitter_strategy: None,
    }
}
