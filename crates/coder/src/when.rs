//! When: news time expressions found in a sentence and resolved against the article date.
//!
//! The grammar is ours; calendar arithmetic is jiff's. Every expression resolves to a date (the
//! start of what it names), an optional end (ranges, "since"), and a precision. Relative
//! expressions follow news convention: a weekday is the most recent such day on or before the
//! article date; a month or day with no year is the most recent one that is not well after it.

use dyad_model::DatePrecision;
use dyad_text::Tokens;
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

/// A time expression: tokens `[start, end)` of the sentence and what they resolve to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeExpr {
    pub start: usize,
    pub end: usize,
    pub date: Date,
    /// The last day, for ranges ("from October 17 to January 11") and "since".
    pub until: Option<Date>,
    pub precision: DatePrecision,
}

const MONTHS: [(&str, i8); 23] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
];

fn month(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.');
    if w == "dec" {
        return Some(12);
    }
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// A day of the month: "4", "4th", "21st".
fn day_number(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: i8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_number(word: &str) -> Option<i16> {
    if word.len() != 4 {
        return None;
    }
    let y: i16 = word.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// The most recent `weekday` on or before `date`.
fn last_weekday(date: Date, wd: Weekday) -> Date {
    let back = (date.weekday().to_monday_zero_offset() - wd.to_monday_zero_offset()).rem_euclid(7);
    date.checked_sub((back as i64).days()).unwrap_or(date)
}

/// A month and day with no year: this year's, unless that is more than a month after the
/// article date, then last year's.
fn infer_year(article: Date, m: i8, d: i8) -> Option<Date> {
    let this = Date::new(article.year(), m, d).ok()?;
    if this > article.checked_add(31.days()).ok()? {
        Date::new(article.year() - 1, m, d).ok()
    } else {
        Some(this)
    }
}

struct Scan<'a> {
    tokens: &'a Tokens,
    article: Date,
}

impl Scan<'_> {
    fn w(&self, i: usize) -> &str {
        if i < self.tokens.tokens.len() {
            self.tokens.norm_of(i)
        } else {
            ""
        }
    }

    /// A date expression starting at `i`: returns (end, date, precision).
    fn single(&self, i: usize, reference: Date) -> Option<(usize, Date, DatePrecision)> {
        let w = self.w(i);
        let day = DatePrecision::Day;
        // ISO date.
        if w.len() == 10 && w.as_bytes()[4] == b'-' {
            if let Ok(d) = w.parse::<Date>() {
                return Some((i + 1, d, day));
            }
        }
        if self.w(i + 1) == "-" && year_number(w).is_some() {
            // The tokenizer splits "2024-01-04" into 2024 - 01 - 04.
            let text = format!("{w}-{}-{}", self.w(i + 2), self.w(i + 4));
            if self.w(i + 3) == "-" {
                if let Ok(d) = text.parse::<Date>() {
                    return Some((i + 5, d, day));
                }
            }
        }
        if let Some(wd) = weekday(w) {
            return Some((i + 1, last_weekday(reference, wd), day));
        }
        match w {
            "yesterday" => return Some((i + 1, reference.yesterday().ok()?, day)),
            "today" | "tonight" | "overnight" => return Some((i + 1, reference, day)),
            _ => {}
        }
        // Month Day(, Year) | Month Year | Month
        if let Some(m) = month(w) {
            // "may" is a modal unless capitalised or followed by a day or year.
            let next = self.w(i + 1);
            let next_is_num = day_number(next).is_some() || year_number(next).is_some();
            if w == "may" && !next_is_num {
                let cap = self.tokens.tokens[i].flags & dyad_text::CAPITALIZED != 0;
                if !cap || i == 0 {
                    return None;
                }
            }
            if w == "march" && !next_is_num {
                let cap = self.tokens.tokens[i].flags & dyad_text::CAPITALIZED != 0;
                if !cap || i == 0 {
                    return None;
                }
            }
            if let Some(d) = day_number(next) {
                let mut end = i + 2;
                let year = if self.w(end) == "," && year_number(self.w(end + 1)).is_some() {
                    end += 2;
                    year_number(self.w(end - 1))
                } else if year_number(self.w(end)).is_some() {
                    end += 1;
                    year_number(self.w(end - 1))
                } else {
                    None
                };
                let date = match year {
                    Some(y) => Date::new(y, m, d).ok()?,
                    None => infer_year(reference, m, d)?,
                };
                return Some((end, date, day));
            }
            if let Some(y) = year_number(next) {
                return Some((i + 2, Date::new(y, m, 1).ok()?, DatePrecision::Month));
            }
            let this = Date::new(reference.year(), m, 1).ok()?;
            let date = if this > reference {
                Date::new(reference.year() - 1, m, 1).ok()?
            } else {
                this
            };
            return Some((i + 1, date, DatePrecision::Month));
        }
        // Day Month (Year): "4 January 2024", "the 4th of January".
        if let Some(d) = day_number(w) {
            let (mi, skip) = if self.w(i + 1) == "of" {
                (i + 2, 1)
            } else {
                (i + 1, 0)
            };
            if let Some(m) = month(self.w(mi)) {
                let _ = skip;
                if let Some(y) = year_number(self.w(mi + 1)) {
                    return Some((mi + 2, Date::new(y, m, d).ok()?, day));
                }
                return Some((mi + 1, infer_year(reference, m, d)?, day));
            }
            // "on the 4th": this month, or last month if the day is still to come.
            if w.len() > 2 && i >= 2 && self.w(i - 1) == "the" && self.w(i - 2) == "on" {
                let this = Date::new(reference.year(), reference.month(), d).ok()?;
                let date = if this > reference {
                    let prev = reference.first_of_month().yesterday().ok()?;
                    Date::new(prev.year(), prev.month(), d).ok()?
                } else {
                    this
                };
                return Some((i + 1, date, day));
            }
        }
        if let Some(y) = year_number(w) {
            if i > 0 && matches!(self.w(i - 1), "in" | "of" | "since" | "during" | "until") {
                return Some((i + 1, Date::new(y, 1, 1).ok()?, DatePrecision::Year));
            }
        }
        None
    }

    /// Phrases built of several words: "last week", "earlier this month", "in early January",
    /// "over the weekend", "last year".
    fn phrase(&self, i: usize) -> Option<(usize, Date, DatePrecision)> {
        let a = self.article;
        let (w0, w1, w2) = (self.w(i), self.w(i + 1), self.w(i + 2));
        let week = DatePrecision::Week;
        let month_p = DatePrecision::Month;
        match (w0, w1) {
            ("last", "week") | ("past", "week") => {
                return Some((i + 2, a.checked_sub(7.days()).ok()?, week))
            }
            ("this", "week") | ("earlier", "this") if w1 == "week" || w2 == "week" => {
                let end = if w1 == "week" { i + 2 } else { i + 3 };
                return Some((end, a, week));
            }
            ("last", "month") => {
                let d = a.first_of_month().yesterday().ok()?.first_of_month();
                return Some((i + 2, d, month_p));
            }
            ("this", "month") => return Some((i + 2, a.first_of_month(), month_p)),
            ("earlier", "this") if w2 == "month" => {
                return Some((i + 3, a.first_of_month(), month_p))
            }
            ("last", "year") => {
                return Some((
                    i + 2,
                    Date::new(a.year() - 1, 1, 1).ok()?,
                    DatePrecision::Year,
                ))
            }
            ("this", "year") | ("earlier", "this") if w1 == "year" || w2 == "year" => {
                let end = if w1 == "year" { i + 2 } else { i + 3 };
                return Some((end, Date::new(a.year(), 1, 1).ok()?, DatePrecision::Year));
            }
            ("over", "the") | ("at", "the") | ("during", "the") if w2 == "weekend" => {
                return Some((i + 3, last_weekday(a, Weekday::Saturday), week))
            }
            ("last", "weekend") | ("this", "weekend") => {
                return Some((i + 2, last_weekday(a, Weekday::Saturday), week))
            }
            ("last", "night") => return Some((i + 2, a.yesterday().ok()?, DatePrecision::Day)),
            ("last", _) if weekday(w1).is_some() => {
                let wd = weekday(w1)?;
                return Some((
                    i + 2,
                    last_weekday(a.yesterday().ok()?, wd),
                    DatePrecision::Day,
                ));
            }
            _ => {}
        }
        // "early/mid/late January", "the end of January", "the beginning of March".
        let (skip, _) = match (w0, w1, w2) {
            ("early" | "mid" | "late", _, _) => (1, ()),
            ("the", "end" | "beginning" | "start" | "middle", "of") => (3, ()),
            ("the", "first" | "second" | "last", "week") if self.w(i + 3) == "of" => (4, ()),
            _ => return None,
        };
        let j = i + skip + usize::from(self.w(i + skip) == "-");
        let (end, date, p) = self.single(j, a)?;
        (p == month_p).then_some((end, date, month_p))
    }

    fn at(&self, i: usize) -> Option<(usize, Date, DatePrecision)> {
        self.phrase(i).or_else(|| self.single(i, self.article))
    }
}

/// Every time expression in the sentence, resolved against the article date.
pub fn find(tokens: &Tokens, article: Option<Date>) -> Vec<TimeExpr> {
    let Some(article) = article else {
        return Vec::new();
    };
    let scan = Scan { tokens, article };
    let n = tokens.tokens.len();
    let mut out: Vec<TimeExpr> = Vec::new();
    let mut i = 0;
    while i < n {
        let Some((end, date, precision)) = scan.at(i) else {
            i += 1;
            continue;
        };
        // Ranges: "from X to Y", "between X and Y", "X to Y", and "since X".
        let lead = if i > 0 { scan.w(i - 1) } else { "" };
        let joiner = scan.w(end);
        if matches!(joiner, "to" | "until" | "through" | "and" | "-")
            && (lead == "from" || lead == "between" || joiner != "and")
        {
            if let Some((end2, until, p2)) = scan.at(end + 1) {
                // The end is the most recent; the start comes before it, crossing a year.
                let mut start = date;
                if start > until {
                    if let Ok(s) = Date::new(start.year() - 1, start.month(), start.day()) {
                        start = s;
                    }
                }
                out.push(TimeExpr {
                    start: if matches!(lead, "from" | "between") {
                        i - 1
                    } else {
                        i
                    },
                    end: end2,
                    date: start,
                    until: Some(until),
                    precision: if p2 == DatePrecision::Day && precision == DatePrecision::Day {
                        DatePrecision::Day
                    } else {
                        p2
                    },
                });
                i = end2;
                continue;
            }
        }
        let since = lead == "since";
        out.push(TimeExpr {
            start: if since { i - 1 } else { i },
            end,
            date,
            until: since.then_some(article),
            precision,
        });
        i = end;
    }
    out
}

/// The time expression that dates a trigger at tokens `[start, end)`: the nearest one in the
/// sentence, preferring one after the trigger in its clause (news puts "on Thursday" after the
/// verb), never a "since" or range expression, which date a tally rather than an event.
pub fn for_trigger(times: &[TimeExpr], start: usize, end: usize) -> Option<&TimeExpr> {
    times.iter().filter(|t| t.until.is_none()).min_by_key(|t| {
        if t.start >= end {
            t.start - end
        } else {
            (start - t.end.min(start)) + 2
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str, article: &str) -> Vec<(String, Option<String>, DatePrecision)> {
        let toks = Tokens::new(text, 0..text.len());
        let a: Date = article.parse().unwrap();
        find(&toks, Some(a))
            .into_iter()
            .map(|t| {
                (
                    t.date.to_string(),
                    t.until.map(|u| u.to_string()),
                    t.precision,
                )
            })
            .collect()
    }

    #[test]
    fn weekdays_and_relative_days() {
        use DatePrecision::*;
        // 2024-01-19 is a Friday.
        assert_eq!(
            resolve("He spoke on Thursday.", "2024-01-19"),
            [("2024-01-18".into(), None, Day)]
        );
        assert_eq!(
            resolve("He spoke on Friday.", "2024-01-19"),
            [("2024-01-19".into(), None, Day)]
        );
        assert_eq!(
            resolve("He spoke on Saturday.", "2024-01-19"),
            [("2024-01-13".into(), None, Day)]
        );
        assert_eq!(
            resolve("It happened yesterday.", "2024-01-01"),
            [("2023-12-31".into(), None, Day)]
        );
        assert_eq!(
            resolve("It happened last week.", "2024-01-19"),
            [("2024-01-12".into(), None, Week)]
        );
    }

    #[test]
    fn months_and_ranges() {
        use DatePrecision::*;
        assert_eq!(
            resolve("A strike in early January killed two.", "2024-01-19"),
            [("2024-01-01".into(), None, Month)]
        );
        assert_eq!(
            resolve(
                "There were 130 attacks from October 17 to January 11.",
                "2024-01-19"
            ),
            [("2023-10-17".into(), Some("2024-01-11".into()), Day)]
        );
        assert_eq!(
            resolve("They met on 4 January 2024.", "2024-03-01"),
            [("2024-01-04".into(), None, Day)]
        );
        assert_eq!(
            resolve("They met on Jan. 4.", "2024-03-01"),
            [("2024-01-04".into(), None, Day)]
        );
        assert_eq!(
            resolve("They met in December.", "2024-01-19"),
            [("2023-12-01".into(), None, Month)]
        );
        assert_eq!(resolve("He may resign.", "2024-01-19"), []);
    }
}
