//! AWS quotas measured on the real output, so deploy-time failures become compile errors.

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::Artifacts;
use crate::span::Span;

/// CloudFormation: resources per template.
pub(crate) const MAX_RESOURCES: usize = 500;
/// CloudFormation: outputs per template.
pub(crate) const MAX_OUTPUTS: usize = 200;
/// CloudFormation: template body size (from S3).
pub(crate) const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// CloudFormation: template body size passed inline (`--template-body`).
pub(crate) const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// Step Functions: definition size.
pub(crate) const MAX_DEFINITION_BYTES: usize = 1_048_576;
/// Step Functions: state name length.
pub(crate) const MAX_STATE_NAME: usize = 80;

/// Checks the artifacts (`template_bytes`: the rendered template's size); diagnostics are
/// anchored at `anchor` (the spec's `name`). `embeds_matcher` says the template carries the
/// JSONata pattern matcher, which a spec can trade for `TestEventPattern` calls.
pub(crate) fn check(
    artifacts: &Artifacts,
    template_bytes: usize,
    anchor: Span,
    embeds_matcher: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let resources = artifacts.template.resources.len();
    if resources > MAX_RESOURCES {
        out.push(
            Diagnostic::error(Code::QuotaResources, format!("the template has {resources} resources; CloudFormation allows {MAX_RESOURCES}"))
                .at(anchor)
                .help("each route adds 2 to 4 resources and each subscribable topic a rule: split the spec"),
        );
    }
    let outputs = artifacts.template.outputs.len();
    if outputs > MAX_OUTPUTS {
        out.push(
            Diagnostic::error(
                Code::QuotaOutputs,
                format!("the template has {outputs} outputs; CloudFormation allows {MAX_OUTPUTS}"),
            )
            .at(anchor),
        );
    }
    let bytes = template_bytes;
    if bytes > MAX_TEMPLATE_BYTES {
        out.push(
            Diagnostic::error(
                Code::QuotaTemplateSize,
                format!(
                    "the template is {bytes} bytes; CloudFormation allows {MAX_TEMPLATE_BYTES}"
                ),
            )
            .at(anchor),
        );
    } else if bytes > MAX_INLINE_TEMPLATE_BYTES {
        out.push(
            Diagnostic::warning(
                Code::TemplateInlineSize,
                format!("the template is {bytes} bytes, over the {MAX_INLINE_TEMPLATE_BYTES} bytes CloudFormation accepts inline"),
            )
            .at(anchor)
            .help(inline_help(embeds_matcher)),
        );
    }
    out.extend(machine_quotas(artifacts, anchor));
    out
}

/// How to deploy a template that is too large to pass inline, or how to make it smaller.
fn inline_help(embeds_matcher: bool) -> &'static str {
    if embeds_matcher {
        // The matcher is ~9 KB of JSON-escaped JSONata inside the deliverer's definition.
        "deploy through S3 (`build` prints the exact `aws cloudformation deploy ... --s3-bucket BUCKET` command), \
         or set `delivery.pattern_matching: eventbridge`: one TestEventPattern call per pattern subscriber \
         instead of the ~9 KB matcher in the template"
    } else {
        "deploy through S3: `build` prints the exact `aws cloudformation deploy ... --s3-bucket BUCKET` command"
    }
}

/// Step Functions' quotas on each state machine: definition size and state names.
fn machine_quotas(artifacts: &Artifacts, anchor: Span) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for machine in &artifacts.machines {
        let (name, def) = (&machine.name, &machine.definition);
        let size = machine.compact.len();
        if size > MAX_DEFINITION_BYTES {
            out.push(
                Diagnostic::error(Code::QuotaDefinitionSize, format!("the {name} state machine is {size} bytes; Step Functions allows {MAX_DEFINITION_BYTES}"))
                    .at(anchor),
            );
        }
        for n in def
            .state_names()
            .into_iter()
            .filter(|n| n.chars().count() > MAX_STATE_NAME)
        {
            out.push(
                Diagnostic::error(
                    Code::QuotaStateName,
                    format!("state name `{n}` is longer than {MAX_STATE_NAME} characters"),
                )
                .at(anchor),
            );
        }
    }
    out
}
