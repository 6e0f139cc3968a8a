//! Logical IDs: derived from spec names only, so they are a stability contract.
//!
//! The rule: a route key or topic name becomes PascalCase by dropping `$`, splitting on every
//! character that is not a letter or digit, and capitalising each part (`$connect` →
//! `Connect`, `big-payments` → `BigPayments`). Routes are `Route<Key>`, their integration
//! `Route<Key>Integration`; topics are `Topic<Name>Rule`. Nothing else feeds an ID (not the
//! order of keys, not other settings), so editing a spec never renames — and therefore never
//! replaces — a resource that was not renamed in the spec. Two names that map to the same ID
//! are a compile error.

/// PascalCase of a spec name, as described in the module docs.
pub(crate) fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_pascal(&mut out, name);
    out
}

/// Appends the PascalCase of `name` to `out`.
fn push_pascal(out: &mut String, name: &str) {
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(cs.as_str());
        }
    }
}

/// Logical-ID stem of a route.
pub(crate) fn route(key: &str) -> String {
    format!("Route{}", pascal(key))
}

/// Logical ID of a topic's rule.
pub(crate) fn topic_rule(topic: &str) -> String {
    let mut id = String::with_capacity(topic.len() + "TopicRule".len());
    id.push_str("Topic");
    push_pascal(&mut id, topic);
    id.push_str("Rule");
    id
}

/// File-name stem of a route's mapping templates: `$` becomes `_` (custom keys start with a
/// letter, so this cannot clash) and nothing a shell would expand remains.
pub(crate) fn route_file(key: &str) -> String {
    key.replace('$', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_pascal_case() {
        assert_eq!(route("$connect"), "RouteConnect");
        assert_eq!(route("send_message"), "RouteSendMessage");
        assert_eq!(topic_rule("big-payments"), "TopicBigPaymentsRule");
        assert_eq!(route_file("$default"), "_default");
    }
}
