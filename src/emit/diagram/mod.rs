//! Mermaid diagrams of what a spec deploys: the stack as a flowchart, and each state machine
//! as a state diagram drawn from its generated ASL. GitHub renders both in a pull request.

mod condition;
mod flowchart;
mod machine;
mod pattern;
mod stack;
mod text;

pub use machine::machine;
pub use stack::{stack, MAX_RULE_NODES};

/// A diagram file: its name under `diagrams/` and its Mermaid text.
#[derive(Clone, Debug)]
pub struct Diagram {
    /// `stack.mmd`, `<machine>.mmd`.
    pub file: String,
    /// The Mermaid source.
    pub text: String,
}
