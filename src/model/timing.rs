//! How long the delivery machines' calls may take, and what that means for a page: one place
//! for the facts the generated definitions use (`TimeoutSeconds`, retries) and the checks that
//! settings fit Step Functions' limits.

/// Seconds one attempt of a Task may take before it fails with `States.Timeout` (every call the
/// machines make answers in milliseconds; API Gateway's own integration limit is 29 s).
pub const TASK_TIMEOUT_SECONDS: u32 = 10;

/// Seconds one attempt of a post to a client may take (`POST @connections` answers in tens of
/// milliseconds): a page's worst case grows with it.
pub const POST_TIMEOUT_SECONDS: u32 = 5;

/// Attempts of a call with the usual retrier (one call and three retries).
pub const ATTEMPTS: u32 = 4;

/// Seconds of backoff between those attempts at most: 1, 2 and 4 (interval 1 s, rate 2, full
/// jitter never waits longer).
pub const BACKOFF_SECONDS: u32 = 1 + 2 + 4;

/// Most client-pattern subscribers per page. A page carries the subscribers' patterns (at most
/// 2,048 UTF-16 units each, at most 3 bytes each once serialized: about 6.3 KB with its keys),
/// and a page plus the event must fit the 256 KiB state payload: 16 patterns take at most about
/// 100 KiB, the event's message at most 128 KiB.
pub const PATTERN_PAGE_LIMIT: u32 = 16;

/// An Express execution's limit, which nothing can catch (the deliverer is always Express).
pub const EXPRESS_LIMIT_SECONDS: u32 = 300;

/// A call with the usual retrier, every attempt timing out.
pub const fn worst_call_seconds(timeout: u32) -> u32 {
    ATTEMPTS * timeout + BACKOFF_SECONDS
}

/// The longest a deliverer may take for one page, every call at its worst: the subscribers
/// `concurrency` at a time, each with its post (and, on a page of client patterns, a
/// `TestEventPattern`), then the page's record of failures (and its fallback write).
pub fn worst_page_seconds(page_size: u32, concurrency: u32, patterns: bool) -> u32 {
    let rounds = page_size.div_ceil(concurrency.max(1));
    let mut per_subscriber = worst_call_seconds(POST_TIMEOUT_SECONDS);
    if patterns {
        per_subscriber += worst_call_seconds(TASK_TIMEOUT_SECONDS);
    }
    rounds * per_subscriber + 2 * worst_call_seconds(TASK_TIMEOUT_SECONDS)
}

/// The largest page that fits the deliverer's limit at this concurrency.
pub fn largest_page(concurrency: u32, patterns: bool) -> u32 {
    (1..=500)
        .take_while(|&p| worst_page_seconds(p, concurrency, patterns) <= EXPRESS_LIMIT_SECONDS)
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_fit_and_a_slow_page_does_not() {
        // 100 topic subscribers, 40 at a time: 3 rounds of 27 s, and 94 s of records.
        assert_eq!(worst_page_seconds(100, 40, false), 3 * 27 + 94);
        assert!(worst_page_seconds(100, 40, false) <= EXPRESS_LIMIT_SECONDS);
        assert!(worst_page_seconds(16, 40, true) <= EXPRESS_LIMIT_SECONDS);
        assert!(worst_page_seconds(500, 1, false) > EXPRESS_LIMIT_SECONDS);
        assert_eq!(largest_page(40, false), 280);
        assert_eq!(largest_page(1, false), 7);
        assert!(worst_page_seconds(largest_page(10, true), 10, true) <= EXPRESS_LIMIT_SECONDS);
    }
}
