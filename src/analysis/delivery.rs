//! Whether the delivery settings fit Step Functions' limits. A deliverer is an Express
//! execution: past 5 minutes it ends `TIMED_OUT`, which no Catch sees, and the rest of its page
//! is neither delivered nor recorded. So every page must end in time even when every call takes
//! as long as its `TimeoutSeconds` allows, with every retry ([`crate::model::timing`]).

use super::ctx::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::timing::{self, EXPRESS_LIMIT_SECONDS, PATTERN_PAGE_LIMIT};
use crate::model::{Route, RouteKind};

/// Reports, at `delivery`, page settings whose worst case outlasts the deliverer.
pub(super) fn check_page_time(
    cx: &mut Ctx<'_>,
    page_size: u32,
    concurrency: u32,
    routes: &[Route],
) {
    let patterns = routes.iter().any(|r| r.kind == RouteKind::SubscribePattern);
    let topics = routes
        .iter()
        .any(|r| matches!(r.kind, RouteKind::SubscribeTopics { .. }));
    let mut pages = Vec::new();
    if topics {
        pages.push((page_size, false));
    }
    if patterns {
        pages.push((page_size.min(PATTERN_PAGE_LIMIT), true));
    }
    for (size, with_patterns) in pages {
        let worst = timing::worst_page_seconds(size, concurrency, with_patterns);
        if worst <= EXPRESS_LIMIT_SECONDS {
            continue;
        }
        let kind = if with_patterns {
            "client-pattern subscribers (each also tested by TestEventPattern at worst)"
        } else {
            "topic subscribers"
        };
        let largest = timing::largest_page(concurrency, with_patterns);
        let span = cx.key(&["delivery"]);
        cx.push(
            Diagnostic::error(
                Code::DeliveryPageTooSlow,
                format!(
                    "a page of {size} {kind}, {concurrency} at a time, may take {worst} s at worst \
                     (every post timing out after {} s, with its retries): past the deliverer's \
                     {EXPRESS_LIMIT_SECONDS} s the rest of the page is neither delivered nor recorded",
                    timing::POST_TIMEOUT_SECONDS
                ),
            )
            .at(span)
            .help(format!(
                "raise `delivery.concurrency`, or lower `delivery.page_size` to at most {largest} at this concurrency"
            )),
        );
    }
}
