//! The recursive part of ASL: states, the Map and Parallel states that hold states, and whole
//! definitions, with a builder that keeps state names unique.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};

use super::choice::{Choice, JsonataChoice};
use super::flow::{Catch, ResultPath, Transition};
use super::pass::{Fail, JsonataPass, Pass, Terminal};
use super::task::Task;

/// A state machine definition (or a Map's item processor).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Definition {
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// First state.
    pub start_at: String,
    /// An execution running longer fails with `States.Timeout`.
    pub timeout_seconds: u32,
    /// States in the order they were added (deterministic output).
    pub states: IndexMap<String, State>,
}

impl Definition {
    /// Every state's name, those inside Map and Parallel states included.
    pub fn state_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        collect_names(&self.states, &mut out);
        out
    }
}

fn collect_names<'a>(states: &'a IndexMap<String, State>, out: &mut Vec<&'a str>) {
    for (name, state) in states {
        out.push(name);
        match state {
            State::Map(map) => collect_names(&map.item_processor.states, out),
            State::Parallel(p) => p
                .branches
                .iter()
                .for_each(|b| collect_names(&b.states, out)),
            _ => {}
        }
    }
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
    /// Runs branches side by side (here: to catch what a JSONata state raises).
    Parallel(Box<Parallel>),
    /// Shapes data with JSONata.
    #[serde(rename = "Pass")]
    JsonataPass(JsonataPass),
    /// Branches on JSONata conditions.
    #[serde(rename = "Choice")]
    JsonataChoice(JsonataChoice),
    /// Ends successfully.
    Succeed(Terminal),
    /// Ends with an error.
    Fail(Fail),
}

/// An inline Map state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MapState {
    /// What it does.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// The array to iterate.
    pub items_path: &'static str,
    /// Each iteration's input.
    pub item_selector: Value,
    /// Parallel iterations (0 = unbounded).
    pub max_concurrency: u32,
    /// What runs per item.
    pub item_processor: Processor,
    /// Shapes the array of results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the results go.
    #[serde(skip_serializing_if = "ResultPath::is_replace")]
    pub result_path: ResultPath,
    /// Catchers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catch>,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// A Parallel state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parallel {
    /// What it does.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// The branches; the result is the array of their outputs.
    pub branches: Vec<Branch>,
    /// Shapes the array of the branches' outputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the results go.
    #[serde(skip_serializing_if = "ResultPath::is_replace")]
    pub result_path: ResultPath,
    /// What of the state's output goes on (`$[0]`: the first branch's output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_path: Option<&'static str>,
    /// Catchers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catch>,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// One branch of a Parallel state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Branch {
    /// First state.
    pub start_at: String,
    /// States.
    pub states: IndexMap<String, State>,
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
    pub fn definition(self, comment: &str, start: &str, timeout_seconds: u32) -> Definition {
        Definition {
            comment: Some(comment.to_owned()),
            start_at: start.to_owned(),
            timeout_seconds,
            states: self.states,
        }
    }

    /// A Parallel branch starting at `start`.
    pub fn branch(self, start: &str) -> Branch {
        Branch {
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

/// `Succeed` with a comment.
pub fn succeed(comment: &str) -> State {
    State::Succeed(Terminal {
        comment: Some(comment.to_owned()),
    })
}
