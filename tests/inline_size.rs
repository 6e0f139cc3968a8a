//! How large a spec deploys inline (issue 21): the README's figures (the base stack, what a
//! topic and a route add, where 51,200 bytes are crossed, the client-pattern matcher) measured
//! again on generated specs, and compared with what the README says.

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::Source;

/// CloudFormation's inline template limit.
const INLINE: usize = 51_200;

/// The template size of `text` in `format`.
fn size(text: &str, format: Format) -> usize {
    let compiled = compile(&Source::new("spec.yaml", text.to_owned()), format)
        .unwrap_or_else(|d| panic!("{d:?}"));
    compiled.artifacts.template_text(format).len()
}

/// The default routes (`$connect`, `$disconnect`, `subscribe` naming `topics` topics
/// `topic-000`..., `unsubscribe`), plus `routes` more unsubscribe routes (`unsub-000`...).
fn spec(topics: usize, routes: usize) -> String {
    let names: Vec<String> = (0..topics).map(|i| format!("topic-{i:03}")).collect();
    let mut s = format!(
        "version: 1\nname: feed\napi:\n  routes:\n    $connect: {{ do: connect }}\n    \
         $disconnect: {{ do: disconnect }}\n    subscribe: {{ do: subscribe, topics: [{}] }}\n    \
         unsubscribe: {{ do: unsubscribe }}\n",
        names.join(", ")
    );
    for i in 0..routes {
        s.push_str(&format!("    unsub-{i:03}: {{ do: unsubscribe }}\n"));
    }
    s.push_str("topics:\n");
    for t in &names {
        s.push_str(&format!("  {t}:\n    pattern: {{ source: [shop.{t}] }}\n"));
    }
    s
}

/// The smallest count at which `size_of` passes the inline limit.
fn crossing(size_of: impl Fn(usize) -> usize) -> usize {
    (1..200).find(|&n| size_of(n) > INLINE).expect("crosses")
}

/// `n` as the README writes it: `1,052`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_readmes_inline_size_figures_hold() {
    let yaml = |topics, routes| size(&spec(topics, routes), Format::Yaml);
    let base = yaml(1, 0);
    let per_topic = yaml(2, 0) - base;
    // From 10 topics on, `maxTopics` has two digits: one byte more, once.
    assert_eq!(
        yaml(30, 0) - yaml(10, 0),
        20 * per_topic,
        "every topic of the same shape costs the same"
    );
    let per_route = yaml(1, 1) - base;
    let topics_yaml = crossing(|n| yaml(n, 0));
    let topics_json = crossing(|n| size(&spec(n, 0), Format::Json));
    let routes = 4 + crossing(|n| yaml(1, n));
    let seed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/seed.yaml")).unwrap();
    let eventbridge = seed.replace(
        "  workflow: standard\n",
        "  workflow: standard\n  pattern_matching: eventbridge\n",
    );
    assert_ne!(seed, eventbridge);
    let matcher = size(&seed, Format::Yaml) - size(&eventbridge, Format::Yaml);

    eprintln!(
        "inline size: base {base} B, per topic {per_topic} B, per route {per_route} B, \
         crossing at {topics_yaml} topics ({topics_json} in JSON) and {routes} routes, \
         client-pattern matching {matcher} B"
    );
    let figures = [
        format!("one topic is {:.1} KB", base as f64 / 1000.0),
        format!("more topic adds {per_topic} bytes"),
        format!("crosses 51,200 bytes at\n{topics_yaml} topics ({topics_json} in JSON)"),
        format!("more route adds {} bytes", thousands(per_route)),
        format!("crosses at {routes} routes"),
        format!("took a topic from 741\nbytes to {per_topic}"),
        format!("adds {:.1} KB of template", matcher as f64 / 1000.0),
    ];
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let readme = flat(&readme);
    let stale: Vec<String> = figures
        .iter()
        .map(|f| flat(f))
        .filter(|f| !readme.contains(f.as_str()))
        .collect();
    assert!(
        stale.is_empty(),
        "README.md's \"How large a spec deploys inline\" should say: {stale:#?}"
    );
}
