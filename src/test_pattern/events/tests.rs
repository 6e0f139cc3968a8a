//! The reader's forms, positions and limits.

use super::*;

/// Every event of `input` as (number, line, column, text or error).
fn read(input: &str) -> Vec<(usize, usize, usize, Result<String, String>)> {
    read_limited(input, MAX_EVENT_BYTES)
}

/// Like [`read`], with a size limit.
fn read_limited(input: &str, max: usize) -> Vec<(usize, usize, usize, Result<String, String>)> {
    Events::with_limit(input.as_bytes(), max)
        .map(|e| {
            let e = e.unwrap();
            let text = e.text.map(|t| String::from_utf8(t).unwrap());
            (e.number, e.line, e.column, text)
        })
        .collect()
}

/// Just the texts.
fn texts(input: &str) -> Vec<String> {
    read(input).into_iter().map(|e| e.3.unwrap()).collect()
}

#[test]
fn json_lines_one_event_per_line_blank_lines_skipped() {
    let events = read("{\"a\":1}\n\n  {\"b\":2}\r\n{not json\n{\"c\":3}");
    assert_eq!(
        events,
        vec![
            (1, 1, 1, Ok("{\"a\":1}".into())),
            (2, 3, 3, Ok("{\"b\":2}".into())),
            (3, 4, 1, Ok("{not json".into())),
            (4, 5, 1, Ok("{\"c\":3}".into())),
        ]
    );
}

#[test]
fn a_cut_line_in_json_lines_stays_one_event() {
    assert_eq!(
        texts("{\"a\":1}\n{\"b\":\n{\"c\":3}\n"),
        ["{\"a\":1}", "{\"b\":", "{\"c\":3}"]
    );
}

#[test]
fn one_pretty_printed_event() {
    let pretty = "{\n  \"source\": \"a\",\n  \"detail\": {\"x\": [1, \"}\"]}\n}\n";
    let events = read(pretty);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].3.as_deref(), Ok(pretty.trim_end()));
}

#[test]
fn pretty_printed_events_one_after_another() {
    let events = read("{\n \"a\": 1\n}\n\n{\n \"b\": \"{[\\\"\"\n}{\"c\":3}");
    let lines: Vec<usize> = events.iter().map(|e| e.1).collect();
    assert_eq!(lines, [1, 5, 7]);
    assert_eq!(events[1].3.as_deref(), Ok("{\n \"b\": \"{[\\\"\"\n}"));
    assert_eq!(events[2].3.as_deref(), Ok("{\"c\":3}"));
}

#[test]
fn an_array_of_events() {
    let events = read(" [\n  {\"a\": [1, 2]},\n  {\"b\": \"],\"} , 3\n]\n");
    assert_eq!(
        events,
        vec![
            (1, 2, 3, Ok("{\"a\": [1, 2]}".into())),
            (2, 3, 3, Ok("{\"b\": \"],\"}".into())),
            (3, 3, 17, Ok("3".into())),
        ]
    );
    assert!(read("[]").is_empty());
    assert!(read("  \n\n").is_empty());
}

#[test]
fn an_unclosed_array_says_so() {
    let events = read("[{\"a\":1}, {\"b\":");
    assert_eq!(events[0].3.as_deref(), Ok("{\"a\":1}"));
    assert_eq!(events[1].3.as_deref(), Ok("{\"b\":"));
    assert_eq!(
        events[2].3,
        Err("the array of events is not closed".to_owned())
    );
}

#[test]
fn events_over_the_limit_are_errors_and_reading_goes_on() {
    let events = read_limited("{\"a\":\"0123456789\"}\n{\"b\":1}\n", 10);
    assert!(events[0]
        .3
        .as_ref()
        .unwrap_err()
        .contains("larger than 10 bytes"));
    assert_eq!(events[1].3.as_deref(), Ok("{\"b\":1}"));
    let pretty = read_limited("{\n\"a\": \"0123456789\"\n}\n{\"b\":1}\n", 10);
    assert!(pretty[0].3.is_err());
    assert_eq!(pretty.last().unwrap().3.as_deref(), Ok("{\"b\":1}"));
}

#[test]
fn parser_messages_are_placed_in_the_input() {
    let event = Event {
        number: 2,
        line: 7,
        column: 3,
        text: Ok(Vec::new()),
    };
    assert_eq!(
        event.locate("key must be a string at line 1 column 2"),
        "line 7, column 4: key must be a string"
    );
    assert_eq!(
        event.locate("EOF while parsing an object at line 3 column 1"),
        "line 9, column 1: EOF while parsing an object"
    );
    let text = b"{\"a\":\n  {x}";
    assert_eq!(
        event.locate_byte(text, "expected a string key at byte 9"),
        "line 8, column 4: expected a string key"
    );
    assert_eq!(
        event.locate_byte(text, "expected value at byte 1"),
        "line 7, column 4: expected value"
    );
    assert_eq!(event.locate("no position"), "line 7: no position");
}

#[test]
fn many_lines_stream() {
    let input: String = (0..10_000).map(|i| format!("{{\"n\":{i}}}\n")).collect();
    let events = Events::new(input.as_bytes());
    assert_eq!(events.count(), 10_000);
}

#[test]
fn ids_are_read_when_strings() {
    assert_eq!(id_of(br#"{"a":{"id":1},"id":"x"}"#).as_deref(), Some("x"));
    assert_eq!(id_of(br#"{"id":7}"#), None);
    assert_eq!(id_of(br#"{"detail":{}}"#), None);
    assert_eq!(id_of(b"{not json"), None);
}
