//! `test-pattern` end to end: one pattern against events, and events routed through a whole
//! spec, streamed from files, standard input or the command line; human and JSON output;
//! exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_lambdaless-gen");

/// A spec whose topics overlap, with a route per topic set and a client-pattern route.
const SHOP: &str = r#"version: 1
name: shop
api:
  routes:
    $connect:  { do: connect }
    orders:    { do: subscribe, topics: [orders, big-orders] }
    big:       { do: subscribe, topics: [big-orders] }
    patterns:  { do: subscribe, pattern: from-message }
bus: { name: shop }
topics:
  orders:     { pattern: { source: [shop.orders] } }
  big-orders: { pattern: { source: [shop.orders], detail: { total: [{ numeric: [">", 100] }] } } }
  audit:      { pattern: { detail-type: [Audit] } }
"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `stdin` piped in (written from another thread, so that output can
/// flow while input is still being written).
fn run_with(args: &[&str], stdin: Vec<u8>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn run(args: &[&str]) -> Output {
    run_with(args, Vec::new())
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Each stdout line as JSON.
fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The shop spec, written to a temporary folder (kept alive by the returned guard).
fn shop() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.yaml");
    std::fs::write(&path, SHOP).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

const SHOP_EVENTS: &str = concat!(
    r#"{"id":"o-1","source":"shop.orders","detail":{"total":150}}"#,
    "\n",
    r#"{"source":"shop.orders","detail":{"total":5}}"#,
    "\n\n",
    r#"{"detail-type":"Audit"}"#,
    "\n",
    r#"{"source":"other"}"#,
    "\n"
);

#[test]
fn routes_every_event_through_every_topic() {
    let (_dir, spec) = shop();
    let o = run_with(
        &["test-pattern", "--spec", &spec, "--event", "-"],
        SHOP_EVENTS.into(),
    );
    assert_eq!(o.status.code(), Some(1), "an event reaches no topic");
    assert_eq!(
        stdout(&o),
        "#1 (o-1): topics orders, big-orders; routes orders, big, patterns (client patterns)\n\
         #2: topics orders; routes orders, patterns (client patterns)\n\
         #3: topics audit; routes patterns (client patterns)\n\
         #4: none\n\
         4 events\n  \
           orders      2\n  \
           big-orders  1\n  \
           audit       1\n  \
           (no topic)  1\n"
    );
    let routed = run(&[
        "test-pattern",
        "--spec",
        &spec,
        "--event",
        r#"[{"source":"shop.orders"},{"detail-type":"Audit"}]"#,
    ]);
    assert_eq!(routed.status.code(), Some(0), "{}", stderr(&routed));
    let one = run(&[
        "test-pattern",
        "--spec",
        &spec,
        "--event",
        r#"{"source":"other"}"#,
    ]);
    assert!(
        stdout(&one).contains("\n1 event\n"),
        "one event, singular: {}",
        stdout(&one)
    );
}

#[test]
fn routes_through_a_shipped_spec_with_or_and_zero_counts() {
    let events = concat!(
        r#"{"source":"market.trades","detail":{"venue":"DARK"}}"#,
        "\n",
        r#"{"source":"market.trades","detail":{"size":5}}"#,
        "\n",
        r#"{"source":"market.quotes","detail":{"symbol":"EU.X"}}"#,
    );
    let o = run(&[
        "test-pattern",
        "--spec",
        "specs/everything.yaml",
        "--event",
        events,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(
        lines[0],
        json!({"event": 1, "line": 1, "id": null, "topics": ["trades"], "routes": ["watch"], "pattern_routes": ["filter"]})
    );
    assert_eq!(lines[1]["topics"], json!([]));
    assert_eq!(lines[1]["pattern_routes"], json!([]));
    assert_eq!(lines[2]["topics"], json!(["quotes"]));
    assert_eq!(
        lines[3],
        json!({"summary": {"events": 3, "routed": 2, "unrouted": 1, "invalid": 0,
            "topics": {"quotes": 1, "trades": 1, "halts": 0}}})
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn streams_many_events_from_stdin() {
    let (_dir, spec) = shop();
    let n = 200_000;
    let mut input = Vec::with_capacity(n * 60);
    for i in 0..n {
        let line = match i % 4 {
            0 => format!(r#"{{"id":"e-{i}","source":"shop.orders","detail":{{"total":{i}}}}}"#),
            1 => r#"{"source":"shop.orders","detail":{"total":1}}"#.to_owned(),
            2 => r#"{"detail-type":"Audit","source":"x"}"#.to_owned(),
            _ => r#"{"source":"other","detail":{}}"#.to_owned(),
        };
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    let o = run_with(
        &[
            "test-pattern",
            "--spec",
            &spec,
            "--event",
            "-",
            "--format",
            "json",
        ],
        input,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), n + 1);
    let summary: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    // Every 4th event from 0: totals 0, 4, .. above 100 are big orders (i > 100).
    let big = (0..n).filter(|i| i % 4 == 0 && *i > 100).count();
    assert_eq!(
        summary,
        json!({"summary": {"events": n, "routed": n / 4 * 3, "unrouted": n / 4, "invalid": 0,
            "topics": {"orders": n / 2, "big-orders": big, "audit": n / 4}}})
    );
    let last: Value = serde_json::from_str(text.lines().nth(n - 4).unwrap()).unwrap();
    assert_eq!(last["id"], json!(format!("e-{}", n - 4)));
    assert_eq!(last["line"], json!(n - 3));
}

#[test]
fn invalid_events_are_reported_by_line_and_the_stream_goes_on() {
    let (_dir, spec) = shop();
    let input = "{\"source\":\"shop.orders\"}\n{bad\n\n[1]\n{\"detail-type\":\"Audit\"}\n";
    let o = run_with(
        &["test-pattern", "--spec", &spec, "--event", "-"],
        input.into(),
    );
    assert_eq!(o.status.code(), Some(2), "invalid events win over misses");
    assert_eq!(
        stderr(&o),
        "error: event #2, line 2, column 2: expected a string key\n\
         error: event #3, line 4: an event must be a JSON object\n"
    );
    assert!(stdout(&o).contains("#4: topics audit"), "{}", stdout(&o));
    assert!(stdout(&o).contains("(invalid)   2"), "{}", stdout(&o));
    let json = run_with(
        &[
            "test-pattern",
            "--spec",
            &spec,
            "--event",
            "-",
            "--format",
            "json",
        ],
        input.into(),
    );
    let lines = json_lines(&json);
    assert_eq!(
        lines[1],
        json!({"event": 2, "line": 2, "id": null, "error": "line 2, column 2: expected a string key"})
    );
    assert_eq!(lines[4]["summary"]["invalid"], json!(2));
    let single = run(&[
        "test-pattern",
        "--pattern",
        r#"{"source":["a"]}"#,
        "--event",
        "{\"source\":\"a\"}\n{\"source\":",
    ]);
    assert_eq!(single.status.code(), Some(2));
    assert_eq!(
        stdout(&single),
        "match     #1\n1 of 2 events match, 1 invalid\n"
    );
    assert!(
        stderr(&single).contains("error: event #2, line 2, column 10: EOF while parsing a value")
    );
}

#[test]
fn a_no_match_says_what_was_expected_and_what_was_found() {
    let pattern = r#"{"source":["shop.orders"],"detail":{"total":[{"numeric":[">",100]}]}}"#;
    let events = concat!(
        r#"{"id":"a","source":"shop.orders","detail":{"total":50}}"#,
        "\n",
        r#"{"source":"shop.orders","detail":{}}"#,
        "\n",
        r#"{"source":"shop.orders","detail":{"total":150}}"#,
    );
    let o = run(&["test-pattern", "--pattern", pattern, "--event", events]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "no-match  #1 (a): $.detail.total is 50; expected [{\"numeric\":[\">\",100]}]\n\
         no-match  #2: $.detail.total is missing; expected [{\"numeric\":[\">\",100]}]\n\
         match     #3\n\
         1 of 3 events match\n"
    );
    let o = run(&[
        "test-pattern",
        "--pattern",
        pattern,
        "--event",
        events,
        "--format",
        "json",
    ]);
    let lines = json_lines(&o);
    assert_eq!(
        lines[0],
        json!({"event": 1, "line": 1, "id": "a", "match": false, "field": "$.detail.total",
            "expected": [{"numeric": [">", 100]}], "actual": 50, "found": "different"})
    );
    assert_eq!(lines[1]["found"], json!("missing"));
    assert!(lines[1].get("actual").is_none());
    assert_eq!(
        lines[2],
        json!({"event": 3, "line": 3, "id": null, "match": true})
    );
    assert_eq!(
        lines[3],
        json!({"summary": {"events": 3, "matched": 1, "unmatched": 2, "invalid": 0}})
    );
}

#[test]
fn patterns_may_be_yaml_inline_or_in_a_file() {
    let event = r#"{"source":"shop.payments","detail":{"amount":5000}}"#;
    let inline = run(&[
        "test-pattern",
        "--pattern",
        "source: [shop.payments]\ndetail: { amount: [{ numeric: [\">\", 1000] }] }",
        "--event",
        event,
    ]);
    assert_eq!(inline.status.code(), Some(0), "{}", stderr(&inline));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pattern.yaml");
    std::fs::write(&file, "source:\n  - shop.orders\n").unwrap();
    let from_file = run(&[
        "test-pattern",
        "--pattern",
        file.to_str().unwrap(),
        "--event",
        event,
    ]);
    assert_eq!(from_file.status.code(), Some(1));
    assert_eq!(
        stdout(&from_file),
        "no-match  #1: $.source is \"shop.payments\"; expected [\"shop.orders\"]\n"
    );
    let bad_json = run(&[
        "test-pattern",
        "--pattern",
        r#"{"source": ["a"]"#,
        "--event",
        event,
    ]);
    assert_eq!(bad_json.status.code(), Some(2));
    assert_eq!(
        stderr(&bad_json),
        "error: invalid pattern JSON: EOF while parsing an object at line 1 column 16\n"
    );
}

#[test]
fn single_events_arrays_and_pretty_printed_events_still_read() {
    let pattern = r#"{"source":["a"]}"#;
    let pretty = "{\n  \"source\": \"a\",\n  \"detail\": {}\n}\n";
    let o = run_with(
        &[
            "test-pattern",
            "--quiet",
            "--pattern",
            pattern,
            "--event",
            "-",
        ],
        pretty.into(),
    );
    assert_eq!((o.status.code(), o.stdout.len()), (Some(0), 0));
    let two = format!("{pretty}{}", pretty.replace("\"a\"", "\"b\""));
    let o = run_with(
        &["test-pattern", "--pattern", pattern, "--event", "-"],
        two.into(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "match     #1\nno-match  #2: $.source is \"b\"; expected [\"a\"]\n1 of 2 events match\n"
    );
    let array = run(&[
        "test-pattern",
        "--pattern",
        pattern,
        "--event",
        "[\n {\"source\":\"a\"},\n {\"source\":\"a\"}\n]",
    ]);
    assert_eq!(array.status.code(), Some(0));
    assert_eq!(
        stdout(&array),
        "match     #1\nmatch     #2\n2 of 2 events match\n"
    );
}

#[test]
fn exit_codes() {
    let (_dir, spec) = shop();
    let code = |args: &[&str]| run(args).status.code();
    let tp = "test-pattern";
    assert_eq!(
        code(&[
            tp,
            "--spec",
            &spec,
            "--event",
            r#"{"source":"shop.orders"}"#
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[tp, "--spec", &spec, "--event", r#"{"source":"x"}"#]),
        Some(1)
    );
    assert_eq!(
        code(&[tp, "--spec", &spec, "--event", "[]"]),
        Some(2),
        "no event"
    );
    assert_eq!(
        code(&[tp, "--spec", &spec, "--event", "missing.json"]),
        Some(2)
    );
    assert_eq!(code(&[tp, "--event", "{}"]), Some(2), "no pattern or spec");
    assert_eq!(
        code(&[
            tp,
            "--spec",
            "specs/invalid/does-not-exist.yaml",
            "--event",
            "{}"
        ]),
        Some(2)
    );
    let both = run(&[tp, "--pattern", "-", "--event", "-"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(stderr(&both).contains("cannot both read standard input"));
    let empty = run_with(
        &[tp, "--pattern", r#"{"a":[1]}"#, "--event", "-"],
        b"\n\n".to_vec(),
    );
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(stderr(&empty), "error: no event given\n");
    let quiet = run(&[tp, "-q", "--spec", &spec, "--event", r#"{"source":"x"}"#]);
    assert_eq!((quiet.status.code(), quiet.stdout.len()), (Some(1), 0));
}
