//! The one list of diagnostic codes. A code names a kind of finding for tools, docs and
//! `check --format json`; its kebab-case text ([`Code::as_str`]) is a public contract.
//!
//! Both the compiler's [`super::Diagnostic`]s and the pattern grammar's
//! [`crate::pattern::PatternIssue`]s take their code from here. `tests/golden.rs` checks that
//! every code has a spec under `specs/invalid/` that produces it.

use std::fmt;

/// Declares [`Code`]: each variant with its one-line doc and its stable text.
macro_rules! codes {
    ($( #[doc = $doc:literal] $variant:ident = $text:literal, )+) => {
        /// A stable diagnostic code (see the module docs).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $doc] $variant, )+
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable kebab-case text, e.g. `schema-unknown-key`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )+
                }
            }

            /// The one-line description of what the code reports.
            pub fn doc(self) -> &'static str {
                match self {
                    $( Code::$variant => $doc.trim_start(), )+
                }
            }
        }
    };
}

impl Code {
    /// The codes reported as warnings: the only ones `--allow` and the spec's `acknowledge`
    /// accept (every other code is an error or a note).
    pub const WARNINGS: &'static [Code] = &[
        Code::TopicUnused,
        Code::CatchAllAnonymous,
        Code::TemplateInlineSize,
        Code::ThrottlingOffAnonymous,
        Code::PublishDefaultAnonymous,
        Code::AnonymousStandard,
    ];

    /// The code whose text is `text`.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// Whether findings of this code are warnings.
    pub fn is_warning(self) -> bool {
        Code::WARNINGS.contains(&self)
    }
}

codes! {
    /// The spec cannot be read (missing file, permissions).
    Io = "io",
    /// The spec is not UTF-8 text.
    Encoding = "encoding",
    /// The spec is larger than the 1 MiB a spec may be.
    YamlTooLarge = "yaml-too-large",
    /// The text is not valid YAML.
    YamlSyntax = "yaml-syntax",
    /// After a YAML error, which checks ran on the lines before it and which did not.
    ChecksSkipped = "checks-skipped",
    /// The file holds no YAML document.
    YamlEmpty = "yaml-empty",
    /// The file holds more than one YAML document.
    YamlMultipleDocuments = "yaml-multiple-documents",
    /// A YAML tag (`!Ref`, `!!str`): specs are plain values.
    YamlTag = "yaml-tag",
    /// An alias (`*name`) refers to no anchor.
    YamlAlias = "yaml-alias",
    /// A mapping key is a list or a mapping.
    YamlComplexKey = "yaml-complex-key",
    /// A key appears twice in one mapping.
    YamlDuplicateKey = "yaml-duplicate-key",
    /// Collections nest deeper than the parser allows.
    YamlTooDeep = "yaml-too-deep",
    /// Aliases expand to more values than the parser allows.
    YamlTooManyNodes = "yaml-too-many-nodes",
    /// A key the schema does not know here.
    SchemaUnknownKey = "schema-unknown-key",
    /// A required key is missing.
    SchemaMissingKey = "schema-missing-key",
    /// A value has the wrong type.
    SchemaType = "schema-type",
    /// A value is not one of the allowed words.
    SchemaEnum = "schema-enum",
    /// A value differs from the only one allowed.
    SchemaConst = "schema-const",
    /// A value does not have the required format (pattern, or none of its forms fits).
    SchemaFormat = "schema-format",
    /// A mapping key is not a valid name here.
    SchemaKeyFormat = "schema-key-format",
    /// A number is outside its range.
    SchemaRange = "schema-range",
    /// A string is too short or too long.
    SchemaLength = "schema-length",
    /// A list or mapping has fewer entries than required.
    SchemaEmpty = "schema-empty",
    /// A list names the same item twice.
    SchemaDuplicateItem = "schema-duplicate-item",
    /// A schema rule without a more specific code failed.
    SchemaInvalid = "schema-invalid",
    /// The spec passed the schema but does not fit the typed spec (a compiler bug).
    SpecInvalid = "spec-invalid",
    /// The event pattern is not a JSON object.
    PatternNotObject = "pattern-not-object",
    /// A pattern object is empty.
    PatternEmptyObject = "pattern-empty-object",
    /// A pattern field's value array is empty.
    PatternEmptyArray = "pattern-empty-array",
    /// A pattern field's value is a scalar, not an array or object.
    PatternNotArray = "pattern-not-array",
    /// A value array holds something that is neither a value nor an operator object.
    PatternInvalidValue = "pattern-invalid-value",
    /// The pattern is longer than EventBridge's 2048 characters.
    PatternTooLarge = "pattern-too-large",
    /// The pattern nests deeper than allowed.
    PatternTooDeep = "pattern-too-deep",
    /// An operator object has no key.
    PatternEmptyOperator = "pattern-empty-operator",
    /// An operator name EventBridge does not know (names are case-sensitive).
    PatternUnknownOperator = "pattern-unknown-operator",
    /// An operator object has more than one key.
    PatternOperatorExtraKey = "pattern-operator-extra-key",
    /// An operator's operand has the wrong type.
    PatternOperandType = "pattern-operand-type",
    /// `anything-but` lists strings and numbers together.
    PatternAnythingButMixed = "pattern-anything-but-mixed",
    /// `anything-but` with a null prefix or suffix.
    PatternEmptyAffix = "pattern-empty-affix",
    /// `numeric` is not given an array.
    PatternNumericNotArray = "pattern-numeric-not-array",
    /// `numeric` has a missing, unknown or misplaced comparison operator.
    PatternNumericOperator = "pattern-numeric-operator",
    /// A `numeric` bound is not a number.
    PatternNumericValue = "pattern-numeric-value",
    /// A `numeric` bound is outside -5e9..=5e9.
    PatternNumericOutOfRange = "pattern-numeric-out-of-range",
    /// A `numeric` range has more elements than its operators take.
    PatternNumericArity = "pattern-numeric-arity",
    /// A `numeric` range's lower bound is not below its upper bound.
    PatternNumericRange = "pattern-numeric-range",
    /// An invalid `cidr` range.
    PatternCidr = "pattern-cidr",
    /// A `wildcard` with consecutive `*`.
    PatternWildcardConsecutive = "pattern-wildcard-consecutive",
    /// A `wildcard` with an invalid `\` escape.
    PatternWildcardEscape = "pattern-wildcard-escape",
    /// Wildcards too complex for EventBridge.
    PatternWildcardComplexity = "pattern-wildcard-complexity",
    /// `$or` is not an array.
    PatternOrNotArray = "pattern-or-not-array",
    /// `$or` has fewer than two alternatives.
    PatternOrTooFew = "pattern-or-too-few",
    /// A `$or` alternative is not an object.
    PatternOrBranch = "pattern-or-branch",
    /// A field inside `$or` uses a reserved (operator) name.
    PatternReservedField = "pattern-reserved-field",
    /// The union of all topics (for pattern subscriptions) exceeds 2048 characters.
    PatternUnionTooLarge = "pattern-union-too-large",
    /// A topic's rule name is longer than EventBridge allows.
    RuleNameLength = "rule-name-length",
    /// No route lets a client receive this topic.
    TopicUnused = "topic-unused",
    /// A topic matches every event while anyone may connect.
    CatchAllAnonymous = "catch-all-anonymous",
    /// An example event file cannot be read or is not one JSON event.
    ExampleFile = "example-file",
    /// An example listed under `matches` is not matched by the pattern.
    ExampleNotMatched = "example-not-matched",
    /// An example listed under `ignores` is matched by the pattern.
    ExampleNotIgnored = "example-not-ignored",
    /// `$connect`/`$disconnect` does something other than connect/disconnect.
    RouteReserved = "route-reserved",
    /// `do: connect`/`do: disconnect` on a route other than `$connect`/`$disconnect`.
    RouteActionKey = "route-action-key",
    /// A route key that the route's action does not use.
    RouteKeyNotApplicable = "route-key-not-applicable",
    /// A publish route without `source` or `detail_type`.
    RoutePublishIncomplete = "route-publish-incomplete",
    /// A publish route's `source`/`detail_type` holds a character VTL or JSON would interpret.
    RoutePublishField = "route-publish-field",
    /// A publish route uses an `aws.` source.
    RoutePublishAwsSource = "route-publish-aws-source",
    /// A subscribe route with both `pattern` and `topics`.
    RouteSubscribeBoth = "route-subscribe-both",
    /// A subscribe route with neither `pattern` nor `topics`.
    RouteSubscribeEmpty = "route-subscribe-empty",
    /// A route names a topic the spec does not declare.
    RouteUnknownTopic = "route-unknown-topic",
    /// Two routes map to the same logical ID.
    RouteIdCollision = "route-id-collision",
    /// `connections.ttl` outside 1m..7d.
    TtlRange = "ttl-range",
    /// `delivery.retry.max_age` outside 1m..24h.
    MaxAgeRange = "max-age-range",
    /// A page of subscribers could outlast the deliverer's 5 minutes at its worst.
    DeliveryPageTooSlow = "delivery-page-too-slow",
    /// A log retention CloudWatch Logs does not offer.
    LogRetention = "log-retention",
    /// `include_execution_data` without `workflow_logs`.
    ExecutionDataWithoutLogs = "execution-data-without-logs",
    /// `api.usage_plan` without `api.api_key: required`.
    UsagePlanWithoutKeys = "usage-plan-without-keys",
    /// Both `observability.alarm_email` and `observability.alarm_topic`.
    AlarmNotifyBoth = "alarm-notify-both",
    /// `api.throttling: off` while anyone may connect (one client can use up the quotas).
    ThrottlingOffAnonymous = "throttling-off-anonymous",
    /// A topic delivers a publish route's own events back to subscribers, unannounced.
    PublishLoop = "publish-loop",
    /// Anonymous clients can put events on the account's `default` bus.
    PublishDefaultAnonymous = "publish-default-anonymous",
    /// Anonymous clients start Standard workflows, paid per state transition.
    AnonymousStandard = "anonymous-standard",
    /// Access or execution logs need the account's API Gateway CloudWatch role.
    LogsNeedAccountRole = "logs-need-account-role",
    /// More routes than a WebSocket API allows.
    QuotaRoutes = "quota-routes",
    /// More rules than an event bus allows.
    QuotaRules = "quota-rules",
    /// More rules using `wildcard` than an event bus allows.
    QuotaWildcardRules = "quota-wildcard-rules",
    /// More resources than a CloudFormation template allows.
    QuotaResources = "quota-resources",
    /// More outputs than a CloudFormation template allows.
    QuotaOutputs = "quota-outputs",
    /// A template larger than CloudFormation accepts.
    QuotaTemplateSize = "quota-template-size",
    /// A template too large to pass inline (deploy through S3).
    TemplateInlineSize = "template-inline-size",
    /// A state machine definition larger than Step Functions accepts.
    QuotaDefinitionSize = "quota-definition-size",
    /// A state name longer than Step Functions accepts.
    QuotaStateName = "quota-state-name",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "`{text}` is used by two codes");
            assert!(
                text.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "`{text}` is not kebab-case"
            );
            assert!(!code.doc().is_empty(), "`{text}` has no doc");
        }
    }
}
