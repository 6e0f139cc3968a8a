//! Durations written as seconds (`7200`) or with a unit (`90s`, `30m`, `2h`, `1d`).

use serde::Deserialize;

/// A duration in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Duration(pub u64);

impl Duration {
    /// Parses `90s`, `30m`, `2h`, `1d` or a bare number of seconds.
    pub(crate) fn parse(text: &str) -> Option<Duration> {
        let (digits, unit) = text.split_at(
            text.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len()),
        );
        let n: u64 = digits.parse().ok()?;
        let factor = match unit {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return None,
        };
        n.checked_mul(factor).map(Duration)
    }

    /// Whole seconds.
    pub(crate) fn seconds(self) -> u64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Seconds(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Seconds(s) => Ok(Duration(s)),
            Raw::Text(t) => Duration::parse(&t)
                .ok_or_else(|| serde::de::Error::custom(format!("invalid duration `{t}`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(Duration::parse("2h"), Some(Duration(7200)));
        assert_eq!(Duration::parse("90s"), Some(Duration(90)));
        assert_eq!(Duration::parse("1d"), Some(Duration(86_400)));
        assert_eq!(Duration::parse("300"), Some(Duration(300)));
        assert_eq!(Duration::parse("2w"), None);
        assert_eq!(Duration::parse("h"), None);
    }
}
