//! Amazon States Language, typed: the subset the generated state machines use
//! (<https://states-language.net/spec.html>). JSONPath is the query language throughout, except
//! single states marked `QueryLanguage: JSONata` where JSONata does what JSONPath cannot.

mod choice;
mod flow;
mod pass;
mod state;
mod task;

pub use choice::{rule, Choice, JsonataChoice, JsonataRule};
pub use flow::{catch, no_retry, retry, Catch, ResultPath, Retry, Transition};
pub use pass::{Fail, JsonataPass, Pass, Terminal};
pub use state::{succeed, Branch, Definition, MapState, Parallel, Processor, State, States};
pub use task::Task;
