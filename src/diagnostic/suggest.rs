//! Did-you-mean: the one place that decides whether a name is a likely typo of another.

/// The candidate closest to `word`, if it is close enough to be a likely typo: a
/// case-insensitive match first (`Prefix` → `prefix`, `$Connect` → `$connect`), else the
/// most similar spelling (Jaro-Winkler similarity of at least 0.8, ignoring case).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = if candidate.to_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &candidate.to_lowercase())
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The help line for a likely typo: ``did you mean `stage`?``.
pub fn did_you_mean_help<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(word, candidates).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("topcis", ["topics", "api", "bus"]),
            Some("topics")
        );
        assert_eq!(did_you_mean("Stage", ["stage", "routes"]), Some("stage"));
        assert_eq!(did_you_mean("zzz", ["topics", "api"]), None);
        assert_eq!(
            did_you_mean("$Connect", ["$disconnect", "$connect", "$default"]),
            Some("$connect")
        );
        assert_eq!(
            did_you_mean("prefx", ["suffix", "prefix", "wildcard"]),
            Some("prefix")
        );
        assert_eq!(
            did_you_mean_help("subscibe", ["subscribe"]).as_deref(),
            Some("did you mean `subscribe`?")
        );
    }
}
