//! How many: numbers reported in a sentence, what they count, and casualty figures.
//!
//! Numbers come in digits ("1,200", "2.5 million") or words ("two", "dozens", "a dozen"),
//! with qualifiers ("at least", "more than", "up to", "about"). A number counts the noun that
//! follows it ("130 attacks", "2,500 soldiers"); casualty words around it make it deaths or
//! injured ("killed 12", "12 people were killed", "left 3 dead", "12 wounded"). "The deaths of a
//! commander and a member" counts the people listed. "No casualties" is zero.

use dyad_text::Tokens;

/// One number found in the sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// Tokens `[start, end)` that gave the figure, qualifier and unit included.
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// `exact`, `at_least`, `more_than`, `at_most` or `about`.
    pub qualifier: &'static str,
    /// A plain noun: "deaths", "injured", "attacks", "troops", ...
    pub unit: String,
}

const SMALL: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const TENS: [(&str, f64); 7] = [
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];
const KILLED: &[&str] = &[
    "killed",
    "dead",
    "died",
    "deaths",
    "death",
    "bodies",
    "fatalities",
    "slain",
    "massacred",
    "executed",
    "perished",
    "drowned",
];
const INJURED: &[&str] = &[
    "wounded", "injured", "hurt", "injuries", "wounding", "injuring",
];
const KILL_VERBS: &[&str] = &[
    "killed", "killing", "kills", "kill", "left", "leaving", "claimed",
];
/// Words that may stand between a number and what it counts ("12 Palestinian civilians").
const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "civilians",
    "soldiers",
    "troops",
    "militants",
    "fighters",
    "police",
    "policemen",
    "officers",
    "children",
    "women",
    "men",
    "protesters",
    "rebels",
    "insurgents",
    "members",
    "villagers",
    "residents",
    "workers",
    "migrants",
    "refugees",
    "passengers",
    "others",
    "personnel",
    "servicemen",
    "gunmen",
    "attackers",
    "students",
    "journalists",
];

fn qualifier(tokens: &Tokens, i: usize) -> (&'static str, usize) {
    let w = |k: usize| if k < i { tokens.norm_of(k) } else { "" };
    let two = if i >= 2 {
        (w(i - 2), w(i - 1))
    } else {
        ("", w(i.wrapping_sub(1)))
    };
    match two {
        ("at", "least") => ("at_least", 2),
        ("more", "than") | ("greater", "than") => ("more_than", 2),
        ("up", "to") | ("at", "most") => ("at_most", 2),
        ("as", "many") => ("at_most", 2),
        _ => match two.1 {
            "over" => ("more_than", 1),
            "about" | "around" | "nearly" | "approximately" | "roughly" | "some" | "almost"
            | "estimated" => ("about", 1),
            _ => ("exact", 0),
        },
    }
}

/// A number starting at token `i`: (value, tokens used, inexact word like "dozens").
fn number(tokens: &Tokens, text: &str, i: usize) -> Option<(f64, usize, bool)> {
    let n = tokens.tokens.len();
    let w = tokens.norm_of(i);
    let mut value: f64;
    let mut used = 1;
    let mut vague = false;
    if tokens.tokens[i].flags & dyad_text::NUMBER != 0 {
        let t = &tokens.tokens[i];
        let raw = text.get(t.start..t.end)?.replace(',', "");
        value = raw.parse().ok()?;
        // A year is no count.
        if (1900.0..=2100.0).contains(&value) && !raw.contains('.') && raw.len() == 4 {
            return None;
        }
    } else if let Some(k) = SMALL.iter().position(|s| *s == w) {
        value = k as f64;
    } else if let Some((_, v)) = TENS.iter().find(|(s, _)| *s == w) {
        value = *v;
        if i + 2 < n && tokens.norm_of(i + 1) == "-" {
            if let Some(k) = SMALL.iter().position(|s| *s == tokens.norm_of(i + 2)) {
                value += k as f64;
                used = 3;
            }
        }
    } else {
        let (v, vg) = match w {
            "dozen" if i > 0 && tokens.norm_of(i - 1) == "a" => (12.0, false),
            "dozens" => (24.0, true),
            "scores" => (40.0, true),
            "hundreds" => (200.0, true),
            "thousands" => (2000.0, true),
            "a" if i + 1 < n && tokens.norm_of(i + 1) == "dozen" => return Some((12.0, 2, false)),
            _ => return None,
        };
        value = v;
        vague = vg;
        if vague && i + 1 < n && tokens.norm_of(i + 1) == "of" {
            used = 2;
        }
    }
    // "2.5 million", "1 thousand", "two hundred".
    if i + used < n {
        let mult = match tokens.norm_of(i + used) {
            "hundred" => 100.0,
            "thousand" => 1_000.0,
            "million" => 1_000_000.0,
            "billion" => 1_000_000_000.0,
            _ => 1.0,
        };
        if mult > 1.0 {
            value *= mult;
            used += 1;
        }
    }
    Some((value, used, vague))
}

/// Count the people listed after "the deaths of": "a commander and a member of X" -> 2.
fn listed_people(tokens: &Tokens, from: usize) -> (usize, usize) {
    let n = tokens.tokens.len();
    let mut count = 0;
    let mut i = from;
    let mut last = from;
    while i < n {
        let w = tokens.norm_of(i);
        match w {
            "a" | "an" | "one" => {
                count += 1;
                last = i;
            }
            "and" | "," => {}
            "." | ";" | ":" => break,
            _ if SMALL.contains(&w) => {
                count += SMALL.iter().position(|s| *s == w).unwrap_or(0);
                last = i;
            }
            _ => {}
        }
        // Stop at the first word that starts another clause.
        if matches!(w, "who" | "which" | "that" | "after" | "when" | "while") {
            break;
        }
        i += 1;
        if i > from + 20 {
            break;
        }
    }
    // End after the noun of the last person listed ("... and a member").
    let mut end = last + 1;
    while end < n && end < last + 4 {
        let w = tokens.norm_of(end);
        if tokens.tokens[end].flags & dyad_text::PUNCT != 0 || matches!(w, "of" | "and" | "who") {
            break;
        }
        end += 1;
    }
    (count, end)
}

/// Every count in the sentence.
pub fn find(tokens: &Tokens, text: &str) -> Vec<Count> {
    let n = tokens.tokens.len();
    let mut out: Vec<Count> = Vec::new();
    let w = |k: usize| if k < n { tokens.norm_of(k) } else { "" };
    let mut i = 0;
    while i < n {
        // "no casualties", "no one was killed".
        if w(i) == "no" || w(i) == "without" {
            let (unit, end) = match (w(i + 1), w(i + 2), w(i + 3)) {
                ("casualties" | "deaths" | "fatalities", _, _) => ("deaths", i + 2),
                ("injuries", _, _) => ("injured", i + 2),
                ("one", "was", x) | ("one", "were", x) if KILLED.contains(&x) => ("deaths", i + 4),
                ("one", "was", x) if INJURED.contains(&x) => ("injured", i + 4),
                _ => ("", i),
            };
            if !unit.is_empty() {
                out.push(Count {
                    start: i,
                    end,
                    value: 0.0,
                    qualifier: "exact",
                    unit: unit.into(),
                });
                if w(i + 1) == "casualties" {
                    out.push(Count {
                        start: i,
                        end,
                        value: 0.0,
                        qualifier: "exact",
                        unit: "injured".into(),
                    });
                }
                i = end;
                continue;
            }
        }
        // "the deaths of a commander and a member".
        if (w(i) == "deaths" || w(i) == "killing") && w(i + 1) == "of" {
            let (count, end) = listed_people(tokens, i + 2);
            if count > 0 {
                out.push(Count {
                    start: i,
                    end,
                    value: count as f64,
                    qualifier: "exact",
                    unit: "deaths".into(),
                });
                i = end;
                continue;
            }
        }
        let Some((value, used, vague)) = number(tokens, text, i) else {
            i += 1;
            continue;
        };
        let (mut qual, qlen) = qualifier(tokens, i);
        if vague && qual == "exact" {
            qual = "at_least";
        }
        let start = i - qlen;
        let mut j = i + used;
        // Skip adjectives and people nouns to the counted noun or casualty word.
        let mut noun: Option<&str> = None;
        let mut k = j;
        while k < n && k < j + 4 {
            let x = w(k);
            if KILLED.contains(&x) || INJURED.contains(&x) {
                break;
            }
            if PEOPLE.contains(&x) {
                noun = Some(x);
                k += 1;
                break;
            }
            if tokens.tokens[k].flags & dyad_text::PUNCT != 0 {
                break;
            }
            if x.ends_with('s') && x.len() > 3 && x != "was" && x != "has" {
                noun = Some(x);
                k += 1;
                break;
            }
            k += 1;
        }
        if noun.is_some() {
            j = k;
        }
        // Casualty words after the figure: "12 (people) (were|have been) killed".
        let mut unit: Option<String> = None;
        let mut m = j;
        while m < n && m < j + 4 {
            let x = w(m);
            if KILLED.contains(&x) {
                unit = Some("deaths".into());
                j = m + 1;
                break;
            }
            if INJURED.contains(&x) {
                unit = Some("injured".into());
                j = m + 1;
                break;
            }
            if !matches!(
                x,
                "were"
                    | "was"
                    | "have"
                    | "has"
                    | "had"
                    | "been"
                    | "are"
                    | "reportedly"
                    | "also"
                    | "later"
                    | "being"
            ) {
                break;
            }
            m += 1;
        }
        // Casualty verbs before it: "killed 12", "killing at least 12", "left 3 dead".
        if unit.is_none() && start > 0 {
            let before = w(start - 1);
            if KILL_VERBS.contains(&before) && before != "left" && before != "leaving" {
                unit = Some("deaths".into());
            } else if matches!(before, "wounding" | "injuring" | "wounded" | "injured") {
                unit = Some("injured".into());
            } else if before == "to" || before == "at" || before == "of" {
                // "the death toll rose to 40"
                let toll = (start.saturating_sub(5)..start).any(|k| w(k) == "toll");
                if toll {
                    unit = Some("deaths".into());
                }
            }
        }
        let unit = match (unit, noun) {
            (Some(u), _) => u,
            (None, Some(nn)) => nn.to_string(),
            // "including 53 in Iraq and 77 in Syria": the unit of the figure before.
            (None, None) => match out.last() {
                Some(prev) if start <= prev.end + 8 => prev.unit.clone(),
                _ => {
                    i = j.max(i + 1);
                    continue;
                }
            },
        };
        out.push(Count {
            start,
            end: j,
            value,
            qualifier: qual,
            unit,
        });
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(text: &str) -> Vec<(f64, &'static str, String)> {
        let toks = Tokens::new(text, 0..text.len());
        find(&toks, text)
            .into_iter()
            .map(|c| (c.value, c.qualifier, c.unit))
            .collect()
    }

    #[test]
    fn casualties() {
        assert_eq!(
            counts("Gunmen killed 12 people."),
            [(12.0, "exact", "deaths".to_string())]
        );
        assert_eq!(
            counts("At least 30 civilians were killed and 45 wounded."),
            [
                (30.0, "at_least", "deaths".to_string()),
                (45.0, "exact", "injured".to_string())
            ]
        );
        assert_eq!(
            counts("The blast left two dead."),
            [(2.0, "exact", "deaths".to_string())]
        );
        assert_eq!(
            counts("It resulted in the deaths of a military commander and a member of the group."),
            [(2.0, "exact", "deaths".to_string())]
        );
        assert_eq!(
            counts("There were no casualties.")[0],
            (0.0, "exact", "deaths".to_string())
        );
        assert_eq!(
            counts("No one was hurt.")[0],
            (0.0, "exact", "injured".to_string())
        );
        assert_eq!(
            counts("Dozens of people were killed.")[0],
            (24.0, "at_least", "deaths".to_string())
        );
        assert_eq!(
            counts("The death toll rose to 1,200.")[0],
            (1200.0, "exact", "deaths".to_string())
        );
    }

    #[test]
    fn tallies() {
        assert_eq!(
            counts("There have been at least 130 attacks, including 53 in Iraq and 77 in Syria."),
            [
                (130.0, "at_least", "attacks".to_string()),
                (53.0, "exact", "attacks".to_string()),
                (77.0, "exact", "attacks".to_string()),
            ]
        );
        assert_eq!(
            counts("The U.S. has approximately 2,500 soldiers in Iraq."),
            [(2500.0, "about", "soldiers".to_string())]
        );
        assert_eq!(counts("In 2014 the forces arrived."), []);
    }
}
