//! Amazon States Language, typed: the subset the generated state machines use
//! (JSONPath query language; <https://states-language.net/spec.html>).

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};

/// A state machine definition (or a Map's item processor).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Definition {
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// First state.
    pub start_at: String,
    /// States in the order they were added (deterministic output).
    pub states: IndexMap<String, State>,
}

/// One state.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "Type")]
pub enum State {
    /// Calls a service.
    Task(Task),
    /// Branches on the input.
    Choice(Choice),
    /// Shapes data.
    Pass(Pass),
    /// Runs a processor over an array.
    Map(Box<MapState>),
    /// Ends successfully.
    Succeed(Terminal),
    /// Ends with an error.
    Fail(Fail),
}

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
#[derive(Clone, Debug)]
pub enum ResultPath {
    /// `"ResultPath": null`: keep the input as the output.
    Discard,
    /// `"ResultPath": "$.x"`.
    At(&'static str),
}

impl Serialize for ResultPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ResultPath::Discard => s.serialize_none(),
            ResultPath::At(p) => s.serialize_str(p),
        }
    }
}

/// A Task state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Task {
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Service integration ARN.
    pub resource: String,
    /// Request.
    pub parameters: Value,
    /// Shapes the raw result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the result goes.
    pub result_path: ResultPath,
    /// Retriers, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retry: Vec<Retry>,
    /// Catchers, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catch>,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// A Choice state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Choice {
    /// What it decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Rules, first match wins.
    pub choices: Vec<Value>,
    /// When no rule matches.
    pub default: String,
}

/// A Pass state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pass {
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The value it produces.
    pub parameters: Value,
    /// Where the value goes.
    pub result_path: ResultPath,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// An inline Map state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MapState {
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The array to iterate.
    pub items_path: &'static str,
    /// Each iteration's input.
    pub item_selector: Value,
    /// Parallel iterations (0 = unbounded).
    pub max_concurrency: u32,
    /// What runs per item.
    pub item_processor: Processor,
    /// Where the results go.
    pub result_path: ResultPath,
    /// Catchers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catch>,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// A Map's item processor.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Processor {
    /// `{"Mode": "INLINE"}`.
    pub processor_config: Value,
    /// First state.
    pub start_at: String,
    /// States.
    pub states: IndexMap<String, State>,
}

/// Succeed (also used for named no-op endings).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Terminal {
    /// Why the execution ends here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Fail.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Fail {
    /// Error name (what a Catch matches).
    pub error: String,
    /// Human explanation.
    pub cause: String,
}

/// Builds a list of states in order, with unique names.
#[derive(Default)]
pub struct States {
    states: IndexMap<String, State>,
}

impl States {
    /// Adds a state. Names are compile-time constants; a duplicate is a generator bug.
    pub fn add(&mut self, name: &str, state: State) -> &mut Self {
        let previous = self.states.insert(name.to_owned(), state);
        assert!(previous.is_none(), "duplicate state name {name}");
        self
    }

    /// Appends every state of `other` (names must stay unique).
    pub fn append(&mut self, other: States) -> &mut Self {
        for (name, state) in other.states {
            self.add(&name, state);
        }
        self
    }

    /// A top-level definition starting at `start`.
    pub fn definition(self, comment: &str, start: &str) -> Definition {
        Definition {
            comment: Some(comment.to_owned()),
            start_at: start.to_owned(),
            states: self.states,
        }
    }

    /// An inline Map processor starting at `start`.
    pub fn processor(self, start: &str) -> Processor {
        Processor {
            processor_config: json!({ "Mode": "INLINE" }),
            start_at: start.to_owned(),
            states: self.states,
        }
    }
}

/// `{"Variable": var, op: value, "Next": next}`.
pub fn rule(var: &str, op: &str, value: Value, next: &str) -> Value {
    json!({ "Variable": var, op: value, "Next": next })
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
    pub max_attempts: u32,
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
pub fn retry(errors: &[&'static str], interval: u32, attempts: u32) -> Retry {
    Retry {
        error_equals: errors.to_vec(),
        interval_seconds: Some(interval),
        max_attempts: attempts,
        backoff_rate: Some(2),
        jitter_strategy: Some("FULL"),
    }
}

/// A Retry clause that never retries `errors` (placed before broader retriers).
pub fn no_retry(errors: &[&'static str]) -> Retry {
    Retry {
        error_equals: errors.to_vec(),
        interval_seconds: None,
        max_attempts: 0,
        backoff_rate: None,
        jitter_strategy: None,
    }
}

/// `Succeed` with a comment.
pub fn succeed(comment: &str) -> State {
    State::Succeed(Terminal {
        comment: Some(comment.to_owned()),
    })
}
