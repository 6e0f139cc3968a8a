//! Every event through every topic of a spec: the topics and routes it reaches, per event,
//! then a count per topic.

use std::io::{self, BufRead};

use super::events::{id_of, Events};
use super::report::{Label, Out, RouteTally};
use super::route::Router;

/// Routes every event of `input`; the tally, or a failure to read or write.
pub(super) fn run(router: &Router, input: impl BufRead, out: &mut Out) -> io::Result<RouteTally> {
    let mut tally = RouteTally {
        topics: router.topics.iter().map(|t| (t.name.clone(), 0)).collect(),
        ..RouteTally::default()
    };
    for event in Events::new(input) {
        let event = event?;
        tally.events += 1;
        let mut label = Label {
            number: event.number,
            line: event.line,
            id: None,
        };
        let text = match &event.text {
            Ok(text) => text,
            Err(e) => {
                tally.invalid += 1;
                out.invalid(&label, &event.locate(e))?;
                continue;
            }
        };
        let routed = match router.route(text) {
            Ok(routed) => routed,
            Err(e) => {
                tally.invalid += 1;
                out.invalid(&label, &event.locate_byte(text, &e.message))?;
                continue;
            }
        };
        label.id = id_of(text);
        for &t in &routed.topics {
            tally.topics[t].1 += 1;
        }
        if routed.topics.is_empty() {
            tally.unrouted += 1;
        }
        let topics: Vec<&str> = routed
            .topics
            .iter()
            .map(|&t| router.topics[t].name.as_str())
            .collect();
        let routes = router.topic_routes(&routed);
        out.routed(&label, &topics, &routes, router.pattern_routes(&routed))?;
    }
    Ok(tally)
}
