//! The complexity check of a client pattern in the connections state machine. After
//! EventBridge accepted the pattern (`ValidatePattern`), its figures are computed in JSONata
//! (`crate::emit::jsonata::measure`: the figures and limits of [`crate::pattern::Complexity`],
//! which the dev server checks) and the reply is prepared as `$.reply`: `pattern-too-complex`
//! naming the first limit broken, or `subscribed` when the pattern is admitted (then stored
//! before the reply is sent).
//!
//! A JSONata Pass cannot catch its own errors, so it runs as the one branch of a Parallel
//! whose Catch answers `internal-error` (never a failed execution). No pattern EventBridge
//! accepts is known to get there: the measure goes through the pattern level by level in a
//! loop, so its depth does not grow with the pattern (at most 26 of Step Functions' 100 for
//! any pattern of 2,048 characters, `tests/engines/jsonata/complexity.mjs`), and a pattern
//! however deep is refused with its nesting figure, as the dev server refuses it.

use serde_json::json;

use crate::emit::ir::asl::{
    catch, rule, Choice, JsonataPass, Parallel, ResultPath, State, States, Transition,
};
use crate::emit::jsonata;
use crate::model::protocol::PATTERN_TOO_COMPLEX;

/// The first state of the check.
pub const START: &str = "MeasurePattern";

/// The `Output` of the measuring state: its input with `reply`, the refusal when the measure
/// names a limit, else the confirmation (the replies `super::states::reject` and
/// `super::subscribe`'s `ReplyTopicsSubscribed` give, in the same form). `$s` and `$m` are
/// bound outside the measure, whose own names (in its own blocks) never reach them.
fn output() -> String {
    let measure = jsonata::measure("$parse($base64decode($s.pattern))");
    format!(
        "{{% ($s:=$states.input;$m:={measure};$merge([$s,{{'reply':$m?{{'type':'error','route':$s.route,'code':'{PATTERN_TOO_COMPLEX}','message':$m}}:{{'type':'subscribed','route':$s.route,'pattern':true}}}}])) %}}"
    )
}

/// States of the check (entry: [`START`]): an admitted pattern goes on to `save` (which sends
/// `$.reply` once the pattern is stored), a refused one to `SendReply`.
pub fn check_complexity(s: &mut States, save: &str) {
    let mut branch = States::default();
    branch.add(
        "Measure",
        State::JsonataPass(JsonataPass {
            comment: Some("The pattern's figures against the limits, and the reply".into()),
            query_language: "JSONata",
            output: json!(output()),
            transition: Transition::end(),
        }),
    );
    s.add(
        START,
        State::Parallel(Box::new(Parallel {
            comment: Some("Measure the pattern (a Parallel, to catch what JSONata raises)".into()),
            branches: vec![branch.branch("Measure")],
            result_selector: None,
            result_path: ResultPath::Replace,
            output_path: Some("$[0]"),
            catch: vec![catch(
                &["States.ALL"],
                ResultPath::At("$.error"),
                "ReplyFailure",
            )],
            transition: Transition::next("IsPatternAdmitted"),
        })),
    );
    s.add(
        "IsPatternAdmitted",
        State::Choice(Choice {
            comment: Some("Store an admitted pattern; send a refusal at once".into()),
            choices: vec![rule("$.reply.pattern", "IsPresent", json!(true), save)],
            default: "SendReply".into(),
        }),
    );
}
