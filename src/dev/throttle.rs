//! API Gateway's throttling: a token bucket per stage and per route (rate = tokens added
//! per second, burst = bucket size), as
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html>
//! describes. A request takes a token from its route's bucket when the route has limits, and
//! from the stage's otherwise.

use std::collections::HashMap;
use std::time::Instant;

use crate::model::Throttle;

/// One bucket.
#[derive(Debug)]
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(t: Throttle) -> Self {
        let burst = f64::from(t.burst.max(1));
        Bucket {
            rate: t.rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The buckets of one stack.
#[derive(Debug, Default)]
pub(crate) struct Throttles {
    stage: Option<Bucket>,
    routes: HashMap<String, Bucket>,
}

impl Throttles {
    /// Buckets for the stage's limits and each route's own.
    pub(crate) fn new<'a>(
        stage: Option<Throttle>,
        routes: impl Iterator<Item = (&'a str, Option<Throttle>)>,
    ) -> Self {
        Throttles {
            stage: stage.map(Bucket::new),
            routes: routes
                .filter_map(|(key, t)| Some((key.to_owned(), Bucket::new(t?))))
                .collect(),
        }
    }

    /// Whether a request on `route` may proceed now.
    pub(crate) fn admit(&mut self, route: &str) -> bool {
        let now = Instant::now();
        match self.routes.get_mut(route) {
            Some(bucket) => bucket.take(now),
            None => self.stage.as_mut().is_none_or(|b| b.take(now)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_rate_applies() {
        let slow = Throttle {
            rate: 0.001,
            burst: 3,
        };
        let mut t = Throttles::new(
            Some(slow),
            [
                ("fast", None),
                (
                    "tight",
                    Some(Throttle {
                        rate: 0.001,
                        burst: 1,
                    }),
                ),
            ]
            .into_iter(),
        );
        assert!((0..3).all(|_| t.admit("fast")));
        assert!(!t.admit("fast"), "the stage's burst of 3 is spent");
        assert!(t.admit("tight"));
        assert!(!t.admit("tight"));
        let mut open = Throttles::new(None, std::iter::empty());
        assert!((0..10_000).all(|_| open.admit("any")));
    }
}
