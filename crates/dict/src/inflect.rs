//! English inflection for dictionary entries: verb forms and noun plurals.

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The third person, past, participle and gerund forms of a verb, plus the lemma.
///
/// `spec` is a lemma ("attack") or `lemma|past|participle` for irregular verbs
/// ("strike|struck|struck"). A doubled consonant in a given past form ("ban|banned") is reused
/// for the gerund ("banning"). Only the first word of a phrasal verb is inflected: the rest of
/// the phrase is appended to every form.
pub fn inflect_verb(spec: &str) -> Vec<String> {
    let mut parts = spec.split('|').map(str::trim);
    let lemma_phrase = parts.next().unwrap_or("");
    let past = parts.next().filter(|s| !s.is_empty());
    let participle = parts.next().filter(|s| !s.is_empty());
    let (head, rest) = match lemma_phrase.split_once(' ') {
        Some((h, r)) => (h, format!(" {r}")),
        None => (lemma_phrase, String::new()),
    };
    if head.is_empty() {
        return Vec::new();
    }
    let lower = head.to_lowercase();
    let b = lower.as_bytes();
    let last = b[b.len() - 1];
    let prev = if b.len() >= 2 { b[b.len() - 2] } else { b' ' };

    let third = if lower.ends_with("s")
        || lower.ends_with("x")
        || lower.ends_with("z")
        || lower.ends_with("ch")
        || lower.ends_with("sh")
        || (last == b'o' && !is_vowel(prev))
    {
        format!("{head}es")
    } else if last == b'y' && !is_vowel(prev) {
        format!("{}ies", &head[..head.len() - 1])
    } else {
        format!("{head}s")
    };
    let stem_ing = if lower.ends_with("ie") {
        format!("{}y", &head[..head.len() - 2])
    } else if last == b'e' && !lower.ends_with("ee") && !lower.ends_with("ye") && b.len() > 2 {
        head[..head.len() - 1].to_string()
    } else {
        head.to_string()
    };
    let regular_past = if last == b'e' {
        format!("{head}d")
    } else if last == b'y' && !is_vowel(prev) {
        format!("{}ied", &head[..head.len() - 1])
    } else {
        format!("{head}ed")
    };
    let given_past = past.is_some();
    let past = past.map(str::to_string).unwrap_or(regular_past);
    let participle = participle
        .map(str::to_string)
        .unwrap_or_else(|| past.clone());
    // "banned" -> "banning": reuse a doubled consonant from the given past form.
    let gerund = match past.strip_suffix("ed") {
        Some(p)
            if p.len() == head.len() + 1
                && p.as_bytes()[p.len() - 1] == last
                && !is_vowel(last)
                && p.starts_with(head) =>
        {
            format!("{p}ing")
        }
        // An irregular verb ending consonant-vowel-consonant doubles: set, cut, hit, begin.
        _ if given_past
            && b.len() >= 3
            && !is_vowel(last)
            && !matches!(last, b'w' | b'x' | b'y')
            && is_vowel(prev)
            && !is_vowel(b[b.len() - 3]) =>
        {
            format!("{head}{}ing", last as char)
        }
        _ => format!("{stem_ing}ing"),
    };
    let mut out = vec![head.to_string(), third, past, participle, gerund];
    out.sort();
    out.dedup();
    out.into_iter().map(|f| format!("{f}{rest}")).collect()
}

/// The plural of a noun phrase: only the last word changes ("drone strike" -> "drone strikes").
pub fn noun_plural(phrase: &str) -> String {
    let (lead, word) = match phrase.rsplit_once(' ') {
        Some((l, w)) => (format!("{l} "), w),
        None => (String::new(), phrase),
    };
    let lower = word.to_lowercase();
    let b = lower.as_bytes();
    if b.is_empty() {
        return phrase.to_string();
    }
    let last = b[b.len() - 1];
    let prev = if b.len() >= 2 { b[b.len() - 2] } else { b' ' };
    let plural = if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{word}es")
    } else if last == b'y' && !is_vowel(prev) {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    };
    format!("{lead}{plural}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs() {
        let cases: &[(&str, &[&str])] = &[
            ("attack", &["attack", "attacked", "attacking", "attacks"]),
            (
                "strike|struck|struck",
                &["strike", "strikes", "striking", "struck"],
            ),
            ("ban|banned", &["ban", "banned", "banning", "bans"]),
            ("deny", &["denied", "denies", "deny", "denying"]),
            ("seize", &["seize", "seized", "seizes", "seizing"]),
            (
                "call for",
                &["call for", "called for", "calling for", "calls for"],
            ),
            ("reach", &["reach", "reached", "reaches", "reaching"]),
            ("veto", &["veto", "vetoed", "vetoes", "vetoing"]),
            ("agree", &["agree", "agreed", "agreeing", "agrees"]),
            (
                "take|took|taken",
                &["take", "taken", "takes", "taking", "took"],
            ),
            ("play", &["play", "played", "playing", "plays"]),
            ("tie", &["tie", "tied", "ties", "tying"]),
            (
                "set fire to|set|set",
                &["set fire to", "sets fire to", "setting fire to"],
            ),
            ("hit|hit|hit", &["hit", "hits", "hitting"]),
            ("feel|felt|felt", &["feel", "feeling", "feels", "felt"]),
            ("visit", &["visit", "visited", "visiting", "visits"]),
        ];
        for (spec, want) in cases {
            let mut got = inflect_verb(spec);
            got.sort();
            assert_eq!(&got, want, "{spec}");
        }
    }

    #[test]
    fn plurals() {
        for (n, p) in [
            ("attack", "attacks"),
            ("drone strike", "drone strikes"),
            ("militia", "militias"),
            ("casualty", "casualties"),
            ("clash", "clashes"),
            ("day", "days"),
        ] {
            assert_eq!(noun_plural(n), p);
        }
    }
}
