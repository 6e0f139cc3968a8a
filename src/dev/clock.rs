//! Wall-clock time as AWS writes it: RFC 3339 in UTC (`2026-11-28T12:00:00Z`, or with
//! milliseconds for traces), without a date-time crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds and milliseconds since the Unix epoch.
fn since_epoch(t: SystemTime) -> Duration {
    t.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// `t` as `YYYY-MM-DDTHH:MM:SSZ` (EventBridge's `time`).
pub(crate) fn seconds(t: SystemTime) -> String {
    let (date, time) = civil(since_epoch(t).as_secs());
    format!("{date}T{time}Z")
}

/// `t` as `YYYY-MM-DDTHH:MM:SS.mmmZ` (trace records, `@connections` GET).
pub(crate) fn millis(t: SystemTime) -> String {
    let d = since_epoch(t);
    let (date, time) = civil(d.as_secs());
    format!("{date}T{time}.{:03}Z", d.subsec_millis())
}

/// `t` as `HH:MM:SS.mmm` (human trace lines).
pub(crate) fn time_of_day(t: SystemTime) -> String {
    let d = since_epoch(t);
    let (_, time) = civil(d.as_secs());
    format!("{time}.{:03}", d.subsec_millis())
}

/// Epoch seconds of `t`.
pub(crate) fn epoch_seconds(t: SystemTime) -> u64 {
    since_epoch(t).as_secs()
}

/// The time `secs` (fractional epoch seconds, as AWS SDKs send PutEvents' `Time`).
pub(crate) fn from_epoch(secs: f64) -> Option<SystemTime> {
    (secs.is_finite() && (0.0..1e12).contains(&secs))
        .then(|| UNIX_EPOCH + Duration::from_secs_f64(secs))
}

/// (`YYYY-MM-DD`, `HH:MM:SS`) of epoch seconds, by Howard Hinnant's `civil_from_days`.
fn civil(secs: u64) -> (String, String) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let t = UNIX_EPOCH + Duration::from_millis(1_714_564_800_123);
        assert_eq!(seconds(t), "2024-05-01T12:00:00Z");
        assert_eq!(millis(t), "2024-05-01T12:00:00.123Z");
        assert_eq!(time_of_day(t), "12:00:00.123");
        assert_eq!(seconds(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(seconds(leap), "2000-02-29T00:00:00Z");
        assert_eq!(from_epoch(-1.0), None);
    }
}
