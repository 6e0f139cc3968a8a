//! Fixed (pattern, event) pairs on the edges random generation rarely reaches: event arrays
//! nested around the depth bound, events that are not objects, inherited JavaScript names,
//! numbers on the range and precision limits, long strings, every IPv6 compression, and
//! case-mapping corner cases. They open every pairs file, before the random ones.

use serde_json::{json, Value};

/// `value` wrapped in `levels` arrays.
fn nest(mut value: Value, levels: usize) -> Value {
    for _ in 0..levels {
        value = Value::Array(vec![value]);
    }
    value
}

fn float(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(crate) fn pairs() -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for levels in [30, 31, 32, 33] {
        out.push((json!({"a": ["x"]}), json!({"a": nest(json!("x"), levels)})));
        out.push((
            json!({"a": {"b": ["x"]}}),
            json!({"a": nest(json!({"b": "x"}), levels)}),
        ));
        out.push((
            json!({"a": {"b": [{"exists": false}]}}),
            json!({"a": nest(json!({"b": 1}), levels)}),
        ));
        out.push((
            json!({"a": [{"exists": false}]}),
            json!({"a": nest(json!([]), levels)}),
        ));
    }
    for event in [
        json!(null),
        json!([]),
        json!("s"),
        json!(5),
        json!([{"a": "x"}]),
        json!([[{"a": "x"}]]),
    ] {
        out.push((json!({"a": ["x"]}), event.clone()));
        out.push((json!({"a": [{"exists": false}]}), event));
    }
    for name in [
        "constructor",
        "__proto__",
        "toString",
        "hasOwnProperty",
        "valueOf",
        "#",
        "r",
    ] {
        out.push((json!({ name: [{"exists": true}] }), json!({})));
        out.push((json!({ name: [{"exists": false}] }), json!({})));
        out.push((json!({ name: ["x"] }), json!({ name: "x" })));
        out.push((
            json!({ name: {"b": ["x"]} }),
            json!({ format!("{name}.b"): "x" }),
        ));
        out.push((
            json!({ format!("{name}.b"): ["x"] }),
            json!({ name: {"b": "x"} }),
        ));
    }
    let numbers = [
        float(5e9),
        float(-5e9),
        float(5000000000.000001),
        float(4999999999.999999),
        float(1e-6),
        float(1e-7),
        float(0.0),
        float(-0.0),
        json!(5_000_000_000i64),
        json!(u64::MAX),
        json!(i64::MIN),
        float(9007199254740992.0),
        json!(9_007_199_254_740_993u64),
    ];
    for a in &numbers {
        for b in &numbers {
            out.push((json!({"n": [a]}), json!({"n": b})));
        }
        out.push((json!({"n": [{"numeric": ["<=", 5e9]}]}), json!({"n": a})));
        out.push((
            json!({"n": [{"numeric": [">", -5e9, "<", 1e-6]}]}),
            json!({"n": a}),
        ));
        out.push((json!({"n": [{"anything-but": [0, 5e9]}]}), json!({"n": a})));
    }
    let long = "ab".repeat(20_000);
    for op in [
        json!({"prefix": "ab"}),
        json!({"suffix": "ab"}),
        json!({"suffix": {"equals-ignore-case": "AB"}}),
        json!({"prefix": {"equals-ignore-case": "éB"}}),
        json!({"wildcard": "a*b*a*b"}),
        json!({"anything-but": {"suffix": "b"}}),
        json!({"equals-ignore-case": "ab"}),
    ] {
        out.push((json!({"s": [op.clone()]}), json!({"s": long.clone()})));
        out.push((json!({"s": [op]}), json!({"s": format!("é{long}x")})));
    }
    let v6 = [
        "2001:db8::",
        "2001:db8:0:0:0:0:0:0",
        "2001:0DB8::0",
        "::2001:db8:0:0:0:0:0",
        "2001:db8::0:0",
        "0:0:0:0:0:0:0:0",
        "::",
        "::0",
        "0::",
        "::ffff:a00:1",
        "10.0.0.1",
        "::a00:1",
        "1::",
        "1:0:0:0:0:0:0::",
        "::1:2:3:4:5:6:7",
        "::1:2:3:4:5:6:7:8",
    ];
    for a in v6 {
        out.push((
            json!({"ip": [{"cidr": "2001:db8::/32"}, {"cidr": "10.0.0.0/8"}]}),
            json!({"ip": a}),
        ));
        for b in v6 {
            out.push((json!({"ip": [a]}), json!({"ip": b})));
        }
    }
    let cased = [
        "ß",
        "SS",
        "ss",
        "ẞ",
        "İ",
        "i\u{307}",
        "i",
        "I",
        "ı",
        "ﬁ",
        "FI",
        "fi",
        "ΐ",
        "\u{399}\u{308}\u{301}",
        "Σ",
        "σ",
        "ς",
        "\u{212A}",
        "k",
        "K",
        "ǅ",
        "ǆ",
        "Ǆ",
        "🚀",
        "",
    ];
    for p in cased {
        for e in cased {
            out.push((json!({"s": [{"equals-ignore-case": p}]}), json!({"s": e})));
            out.push((
                json!({"s": [{"prefix": {"equals-ignore-case": p}}]}),
                json!({"s": format!("{e}z")}),
            ));
            out.push((
                json!({"s": [{"suffix": {"equals-ignore-case": p}}]}),
                json!({"s": format!("z{e}")}),
            ));
        }
    }
    out
}
