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
    /// Joined to the figure before by "and" or a comma alone ("3 soldiers and 2 civilians"):
    /// figures of the same unit add up. A part ("including 4 children") is never joined.
    pub joined: bool,
}

/// The people a sentence reports killed and injured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Casualties {
    pub dead: Option<u32>,
    pub injured: Option<u32>,
}

/// The dead and injured of a sentence's counts: the first figure of each, plus the figures of
/// the same unit joined to it ("3 soldiers and 2 civilians were killed" is 5; "10 people,
/// including 4 children" is 10).
pub fn casualties<'a>(counts: impl IntoIterator<Item = &'a Count>) -> Casualties {
    let mut out = Casualties::default();
    let mut open: Option<&str> = None;
    for c in counts {
        let slot = match c.unit.as_str() {
            "deaths" => &mut out.dead,
            "injured" => &mut out.injured,
            _ => {
                open = None;
                continue;
            }
        };
        let n = c.value.clamp(0.0, u32::MAX as f64) as u32;
        match slot {
            None => *slot = Some(n),
            Some(total) if c.joined && open == Some(c.unit.as_str()) => {
                *total = total.saturating_add(n)
            }
            Some(_) => {}
        }
        open = Some(c.unit.as_str());
    }
    out
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
const TENS: [(&str, f64); 8] = [
    ("twenty", 20.0),
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
    "lynched",
    "beheaded",
    "murdered",
    "assassinated",
];
const INJURED: &[&str] = &[
    "wounded", "injured", "hurt", "injuries", "wounding", "injuring",
];
const KILL_VERBS: &[&str] = &[
    "killed",
    "killing",
    "kills",
    "kill",
    "left",
    "leaving",
    "claimed",
    "executed",
    "executing",
    "massacred",
    "lynched",
    "murdered",
    "beheaded",
    "slaughtered",
    // "shot dead five farmers"
    "dead",
];
/// Words between a figure and its casualty word: "12 (people) were reportedly killed", "31
/// fishermen are feared dead", "50 people may have been killed".
const BETWEEN: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "reportedly",
    "also",
    "later",
    "being",
    "found",
    "feared",
    "believed",
    "presumed",
    "confirmed",
    "reported",
    "all",
    "may",
    "might",
    "could",
    "now",
    "so",
    "far",
];
/// Words that end a noun phrase after a figure.
const NOUN_STOPS: &[&str] = &[
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "near",
    "who",
    "which",
    "that",
    "when",
    "while",
    "after",
    "before",
    "during",
    "by",
    "with",
    "from",
    "as",
    "since",
    "including",
    "to",
    "for",
    "into",
    "across",
    "per",
    "than",
    "them",
    "whom",
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
        let original = text.get(t.start..t.end)?;
        let raw = original.replace(',', "");
        value = raw.parse().ok()?;
        // A year is no count ("2,011" is).
        if (1900.0..=2100.0).contains(&value) && original.len() == 4 {
            return None;
        }
    } else if let Some((_, v)) = TENS.iter().find(|(s, _)| *s == w) {
        value = *v;
        if i + 2 < n && tokens.norm_of(i + 1) == "-" {
            if let Some(k) = SMALL.iter().position(|s| *s == tokens.norm_of(i + 2)) {
                value += k as f64;
                used = 3;
            }
        }
    } else if let Some(k) = SMALL.iter().position(|s| *s == w) {
        value = k as f64;
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
            "dozen" => 12.0,
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

/// The people listed from token `from`: "a commander and a member of X" (2), "two soldiers
/// and a policeman" (3), "a commander and his bodyguard" (2). Returns (people, items, the
/// first item has an article rather than a figure, end token).
fn listed_people(tokens: &Tokens, text: &str, from: usize) -> (f64, usize, bool, usize) {
    let n = tokens.tokens.len();
    let w = |k: usize| if k < n { tokens.norm_of(k) } else { "" };
    let punct = |k: usize| k < n && tokens.tokens[k].flags & dyad_text::PUNCT != 0;
    let stop = |k: usize| {
        k >= n
            || punct(k)
            || NOUN_STOPS.contains(&w(k))
            || KILLED.contains(&w(k))
            || INJURED.contains(&w(k))
            || BETWEEN.contains(&w(k))
    };
    let (mut total, mut items, mut article, mut end) = (0.0, 0, false, from);
    let mut i = from;
    while i < n && items < 12 {
        let v = if let Some((v, used, _)) = number(tokens, text, i) {
            i += used;
            v
        } else if matches!(w(i), "a" | "an" | "his" | "her")
            || (w(i) == "the"
                && (items == 0 || w(i - 1) == "and")
                && number(tokens, text, i + 1).is_none())
        {
            if items == 0 {
                article = true;
            }
            i += 1;
            1.0
        } else {
            break;
        };
        let noun_start = i;
        while i < noun_start + 4 && !stop(i) {
            i += 1;
        }
        if i == noun_start {
            break;
        }
        // "the militants" gives no number; "the deputy chief" is one.
        if w(noun_start - 1) == "the" && w(i - 1).ends_with('s') {
            break;
        }
        total += v;
        items += 1;
        end = i;
        // "a member of Harakat al-Nujaba": the complement belongs to the item.
        if w(i) == "of" {
            let mut k = i + 1;
            while k < n && k < i + 8 && !punct(k) && !matches!(w(k), "and" | "who" | "which") {
                k += 1;
            }
            i = k;
        }
        if w(i) == "," {
            i += 1;
        }
        if w(i) == "and" {
            i += 1;
        } else if w(i - 1) != "," {
            break;
        }
    }
    (total, items, article, end)
}

/// Every count in the sentence.
pub fn find(tokens: &Tokens, text: &str) -> Vec<Count> {
    let n = tokens.tokens.len();
    let mut out: Vec<Count> = Vec::new();
    let w = |k: usize| if k < n { tokens.norm_of(k) } else { "" };
    let punct = |k: usize| k < n && tokens.tokens[k].flags & dyad_text::PUNCT != 0;
    let zero = |start: usize, end: usize, unit: &str| Count {
        start,
        end,
        value: 0.0,
        qualifier: "exact",
        unit: unit.into(),
        joined: false,
    };
    let mut i = 0;
    while i < n {
        // "no casualties", "no one was killed", "nobody was hurt", "no immediate reports of
        // casualties".
        if matches!(w(i), "no" | "without" | "nobody") {
            let mut j = i + 1;
            if w(i) == "nobody" {
                j = i;
            } else if w(j) == "one" {
                // "no one was killed": the subject is "one".
            } else {
                if matches!(w(j), "immediate" | "other" | "further" | "reported") {
                    j += 1;
                }
                if matches!(w(j), "reports" | "report" | "word") && w(j + 1) == "of" {
                    j += 2;
                }
            }
            let people = w(i) == "nobody" || w(i + 1) == "one";
            let (unit, end) = match (w(j), w(j + 1), w(j + 2)) {
                ("casualties" | "deaths" | "fatalities" | "dead", _, _) if !people => (w(j), j + 1),
                ("injuries" | "injured" | "wounded", _, _) if !people => ("injured", j + 1),
                (_, "was" | "were", x) if people && KILLED.contains(&x) => ("deaths", j + 3),
                (_, "was" | "were", x) if people && INJURED.contains(&x) => ("injured", j + 3),
                (_, "died" | "perished", _) if people => ("deaths", j + 2),
                _ => ("", i),
            };
            if !unit.is_empty() {
                if unit == "casualties" {
                    out.push(zero(i, end, "deaths"));
                    out.push(zero(i, end, "injured"));
                } else if unit == "injured" {
                    out.push(zero(i, end, "injured"));
                } else {
                    out.push(zero(i, end, "deaths"));
                }
                i = end;
                continue;
            }
        }
        // A list of the dead: "the deaths of a commander and a member", "killed two soldiers
        // and a policeman", "the bodies of 12 men".
        let after_kill = (matches!(w(i), "deaths" | "death" | "killing" | "killings" | "bodies")
            && w(i + 1) == "of")
            || (KILL_VERBS.contains(&w(i)) && !matches!(w(i), "left" | "leaving" | "claimed"));
        if after_kill {
            let from = if w(i + 1) == "of" { i + 2 } else { i + 1 };
            let (people, items, article, end) = listed_people(tokens, text, from);
            if items > 1 || (items == 1 && (article || w(i + 1) == "of")) {
                out.push(Count {
                    start: i,
                    end,
                    value: people,
                    qualifier: "exact",
                    unit: "deaths".into(),
                    joined: false,
                });
                i = end;
                continue;
            }
        }
        // "A soldier was killed", "a child died", "a prominent anti-war journalist has been
        // killed": one person. "A gunman killed ..." is the killer.
        if matches!(w(i), "a" | "an") && (i == 0 || !KILL_VERBS.contains(&w(i - 1))) {
            let mut k = i + 1;
            while k < i + 7
                && k < n
                && (!punct(k) || w(k) == "-")
                && !NOUN_STOPS.contains(&w(k))
                && !BETWEEN.contains(&w(k))
                && !KILLED.contains(&w(k))
                && !INJURED.contains(&w(k))
                && !matches!(w(k), "died" | "perished" | "kills" | "killing" | "kill")
            {
                k += 1;
            }
            let mut m = k;
            while m < k + 3 && BETWEEN.contains(&w(m)) {
                m += 1;
            }
            let passive = m > k;
            let unit = match w(m) {
                "died" | "perished" if !passive => Some("deaths"),
                x if passive && KILLED.contains(&x) => Some("deaths"),
                x if passive && INJURED.contains(&x) => Some("injured"),
                _ => None,
            };
            if let (Some(unit), true) = (unit, k > i + 1) {
                out.push(Count {
                    start: i,
                    end: m + 1,
                    value: 1.0,
                    qualifier: "exact",
                    unit: unit.into(),
                    joined: false,
                });
                i = m + 1;
                continue;
            }
        }
        // "he was killed", "the mayor was murdered", "Castellar was found dead": "was" has one
        // subject.
        if w(i) == "was" && i > 0 && number(tokens, text, i - 1).is_none() {
            let mut m = i + 1;
            while m < i + 3 && BETWEEN.contains(&w(m)) {
                m += 1;
            }
            let x = w(m);
            let dead = matches!(
                x,
                "killed"
                    | "slain"
                    | "murdered"
                    | "assassinated"
                    | "executed"
                    | "lynched"
                    | "beheaded"
                    | "dead"
            ) || (x == "shot" && w(m + 1) == "dead");
            if dead {
                let end = m + 1 + usize::from(x == "shot");
                out.push(Count {
                    start: i,
                    end,
                    value: 1.0,
                    qualifier: "exact",
                    unit: "deaths".into(),
                    joined: false,
                });
                i = end;
                continue;
            }
        }
        // "the murder of General X": one person, named with no article or figure.
        if matches!(w(i), "murder" | "assassination" | "killing" | "death") && w(i + 1) == "of" {
            let from = i + 2;
            let mut end = from;
            while end < from + 6
                && end < n
                && !punct(end)
                && !NOUN_STOPS.contains(&w(end))
                && !BETWEEN.contains(&w(end))
            {
                end += 1;
            }
            let bare = !matches!(w(from), "a" | "an" | "the" | "his" | "her" | "their")
                && number(tokens, text, from).is_none();
            if bare && end > from && !w(end - 1).ends_with('s') {
                out.push(Count {
                    start: i,
                    end,
                    value: 1.0,
                    qualifier: "exact",
                    unit: "deaths".into(),
                    joined: false,
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
        // The counted noun: the last word of the noun phrase after the figure ("12 Palestinian
        // civilians"), up to a casualty word, a verb or a preposition.
        let mut noun: Option<&str> = None;
        let mut k = j;
        while k < n && k < j + 4 {
            let x = w(k);
            if KILLED.contains(&x)
                || INJURED.contains(&x)
                || BETWEEN.contains(&x)
                || NOUN_STOPS.contains(&x)
                || punct(k)
                || matches!(x, "died" | "lost" | "suffered" | "are")
            {
                break;
            }
            noun = Some(x);
            k += 1;
        }
        // "two of them children" is no noun; "2 days" counts days.
        let noun = noun.filter(|x| x.len() > 2);
        if noun.is_some() {
            j = k;
        }
        // Casualty words after the figure: "12 (people) (were|have been) killed", "10
        // civilians lost their lives", "60 people suffered injuries".
        let mut unit: Option<String> = None;
        let mut m = j;
        while m < n && m < j + 5 {
            let x = w(m);
            // "Two bombers killed 23 people": the figure counts the killers.
            let object = m + 1 < n
                && (number(tokens, text, m + 1).is_some()
                    || matches!(
                        w(m + 1),
                        "a" | "an"
                            | "the"
                            | "at"
                            | "more"
                            | "up"
                            | "about"
                            | "nearly"
                            | "some"
                            | "over"
                            | "around"
                            | "his"
                            | "her"
                            | "their"
                            | "two"
                    ));
            if m == j && matches!(x, "killed" | "wounded" | "injured") && object {
                break;
            }
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
            if x == "lost" && matches!(w(m + 2), "lives" | "life") {
                unit = Some("deaths".into());
                j = m + 3;
                break;
            }
            if x == "suffered" && INJURED.contains(&w(m + 1)) {
                unit = Some("injured".into());
                j = m + 2;
                break;
            }
            if !BETWEEN.contains(&x) {
                break;
            }
            m += 1;
        }
        // Casualty words before it: "killed 12", "killing at least 12", "claimed nine lives",
        // "the bodies of 12 men", "the death toll rose to 40".
        if unit.is_none() && start > 0 {
            let before = w(start - 1);
            let lives = noun == Some("lives");
            if KILL_VERBS.contains(&before)
                && (!matches!(before, "left" | "leaving" | "claimed") || lives)
            {
                unit = Some("deaths".into());
            } else if matches!(before, "wounding" | "injuring" | "wounded" | "injured") {
                unit = Some("injured".into());
            } else if before == "of"
                && start >= 2
                && matches!(
                    w(start - 2),
                    "bodies" | "deaths" | "death" | "killing" | "lives"
                )
            {
                unit = Some("deaths".into());
            } else if matches!(before, "to" | "at" | "of" | "reached" | "hit" | "stands") {
                // "the death toll rose to 40", "the number of dead reached 45".
                let toll = (start.saturating_sub(8)..start)
                    .any(|k| matches!(w(k), "toll" | "dead" | "deaths" | "fatalities"));
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
            joined: false,
        });
        i = j.max(i + 1);
    }
    // Figures joined by "and" or a comma alone add up when they count the same thing; a
    // people noun joined to a casualty figure shares its unit ("Four police officers and two
    // bystanders were killed").
    for k in 1..out.len() {
        let (a, b) = (&out[k - 1], &out[k]);
        let gap = a.end..b.start;
        let joined = !gap.is_empty()
            && gap.clone().all(|g| matches!(w(g), "and" | ","))
            && gap.clone().any(|g| w(g) == "and");
        if !joined {
            continue;
        }
        let casualty = |u: &str| u == "deaths" || u == "injured";
        if casualty(&b.unit) && !casualty(&a.unit) {
            out[k - 1].unit = out[k].unit.clone();
        } else if casualty(&a.unit) && !casualty(&b.unit) {
            out[k].unit = out[k - 1].unit.clone();
        }
        out[k].joined = true;
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
