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

/// A small count in words or digits: "a", "two", "3".
fn small_number(word: &str) -> Option<u32> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        "several" | "few" => None,
        _ => WORDS
            .iter()
            .position(|w| *w == word)
            .map(|k| k as u32)
            .or_else(|| (word.len() <= 3).then(|| word.parse().ok()).flatten()),
    }
}

/// The last day of what an expression starting on `date` with `precision` names.
fn last_day(date: Date, precision: DatePrecision) -> Date {
    match precision {
        DatePrecision::Day => date,
        DatePrecision::Week => date.checked_add(6.days()).unwrap_or(date),
        DatePrecision::Month => date.last_of_month(),
        DatePrecision::Year => Date::new(date.year(), 12, 31).unwrap_or(date),
    }
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
            // "Thursday, June 15": the explicit date decides.
            let j = i + 1 + usize::from(self.w(i + 1) == ",");
            if month(self.w(j)).is_some() || day_number(self.w(j)).is_some() {
                if let Some((end, date, DatePrecision::Day)) = self.single(j, reference) {
                    return Some((end, date, day));
                }
            }
            return Some((i + 1, last_weekday(reference, wd), day));
        }
        match w {
            "yesterday" => return Some((i + 1, reference.yesterday().ok()?, day)),
            "today" | "tonight" => return Some((i + 1, reference, day)),
            // "overnight on Wednesday" is Wednesday's night; "overnight" alone the night
            // before the article's day.
            "overnight" => {
                let j = i + 1 + usize::from(matches!(self.w(i + 1), "on" | "into"));
                if let Some(wd) = weekday(self.w(j)) {
                    return Some((j + 1, last_weekday(reference, wd), day));
                }
                return Some((i + 1, reference.yesterday().ok()?, day));
            }
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
            if i > 0
                && matches!(
                    self.w(i - 1),
                    "in" | "of"
                        | "since"
                        | "during"
                        | "until"
                        | "from"
                        | "between"
                        | "to"
                        | "through"
                )
            {
                return Some((i + 1, Date::new(y, 1, 1).ok()?, DatePrecision::Year));
            }
        }
        None
    }

    /// Phrases built of several words: "last week", "earlier this month", "in early January",
    /// "over the weekend", "last year", "two days ago", "the first week of March".
    fn phrase(&self, i: usize) -> Option<(usize, Date, DatePrecision)> {
        let a = self.article;
        let (w0, w1, w2) = (self.w(i), self.w(i + 1), self.w(i + 2));
        let day = DatePrecision::Day;
        let week = DatePrecision::Week;
        let month_p = DatePrecision::Month;
        let year_p = DatePrecision::Year;
        let this_monday = last_weekday(a, Weekday::Monday);
        let this_year = Date::new(a.year(), 1, 1).ok()?;
        match (w0, w1) {
            ("last", "week") => {
                return Some((i + 2, this_monday.checked_sub(7.days()).ok()?, week))
            }
            ("past", "week") => return Some((i + 2, a.checked_sub(7.days()).ok()?, week)),
            ("this", "week") => return Some((i + 2, this_monday, week)),
            ("earlier" | "later", "this") if w2 == "week" => {
                return Some((i + 3, this_monday, week))
            }
            ("last", "month") => {
                let d = a.first_of_month().yesterday().ok()?.first_of_month();
                return Some((i + 2, d, month_p));
            }
            ("this", "month") => return Some((i + 2, a.first_of_month(), month_p)),
            ("earlier" | "later", "this") if w2 == "month" => {
                return Some((i + 3, a.first_of_month(), month_p))
            }
            ("last", "year") => return Some((i + 2, Date::new(a.year() - 1, 1, 1).ok()?, year_p)),
            ("this", "year") => return Some((i + 2, this_year, year_p)),
            ("earlier" | "later", "this") if w2 == "year" => {
                return Some((i + 3, this_year, year_p))
            }
            ("this", "morning" | "afternoon" | "evening") => return Some((i + 2, a, day)),
            ("over" | "at" | "during", "the") if w2 == "weekend" => {
                return Some((i + 3, last_weekday(a, Weekday::Saturday), week))
            }
            ("last" | "this", "weekend") => {
                return Some((i + 2, last_weekday(a, Weekday::Saturday), week))
            }
            ("last", "night") => return Some((i + 2, a.yesterday().ok()?, day)),
            ("last", _) if weekday(w1).is_some() => {
                let wd = weekday(w1)?;
                return Some((i + 2, last_weekday(a.yesterday().ok()?, wd), day));
            }
            ("the", "day") if w2 == "before" && self.w(i + 3) == "yesterday" => {
                return Some((i + 4, a.checked_sub(2.days()).ok()?, day))
            }
            // "the start of the year", "the end of the month".
            ("the", "start" | "beginning" | "end")
                if w2 == "of" && self.w(i + 3) == "the" && self.w(i + 4) == "year" =>
            {
                return Some((i + 5, this_year, year_p))
            }
            ("the", "start" | "beginning" | "end")
                if w2 == "of" && self.w(i + 3) == "the" && self.w(i + 4) == "month" =>
            {
                return Some((i + 5, a.first_of_month(), month_p))
            }
            _ => {}
        }
        // "two days ago", "a week ago", "3 months ago".
        if let Some(n) = small_number(w0) {
            let unit = w1.trim_end_matches('s');
            if w2 == "ago" && n > 0 && n <= 100 {
                let back = |span: jiff::Span| a.checked_sub(span).ok();
                let n64 = i64::from(n);
                return match unit {
                    "day" => Some((i + 3, back(n64.days())?, day)),
                    "week" => Some((i + 3, back((7 * n64).days())?, week)),
                    "month" => Some((i + 3, back(n64.months())?.first_of_month(), month_p)),
                    "year" => Some((
                        i + 3,
                        Date::new(a.year() - i16::try_from(n).ok()?, 1, 1).ok()?,
                        year_p,
                    )),
                    _ => None,
                };
            }
        }
        // "the first week of February": that week.
        if w0 == "the" && self.w(i + 2) == "week" && self.w(i + 3) == "of" {
            let nth = match w1 {
                "first" => 0,
                "second" => 1,
                "third" => 2,
                "fourth" => 3,
                "last" => 4,
                _ => return None,
            };
            let (end, m, p) = self.single(i + 4, a)?;
            if p != month_p {
                return None;
            }
            let date = if nth == 4 {
                m.last_of_month().checked_sub(6.days()).ok()?
            } else {
                m.checked_add((7 * nth).days()).ok()?
            };
            return Some((end, date, week));
        }
        // "early/mid/late January", "the end of January", "the beginning of March", "early
        // 2024", "the end of 2021".
        let skip = match (w0, w1, w2) {
            ("early" | "mid" | "late", _, _) => 1,
            ("the", "end" | "beginning" | "start" | "middle", "of") => 3,
            _ => return None,
        };
        let j = i + skip + usize::from(self.w(i + skip) == "-");
        if let Some(y) = year_number(self.w(j)) {
            // "the end of 2021" is its last month; "early 2024" the year.
            if (w0, w1) == ("the", "end") {
                return Some((j + 1, Date::new(y, 12, 1).ok()?, month_p));
            }
            return Some((j + 1, Date::new(y, 1, 1).ok()?, year_p));
        }
        let (end, date, p) = self.single(j, a)?;
        (p == month_p).then_some((end, date, month_p))
    }

    /// "1 to 3 March", "5 and 9 February": a bare day, the joiner, then a full date whose
    /// month and year the first day shares.
    fn day_range(&self, i: usize) -> Option<(usize, Date, usize, Date)> {
        let d = day_number(self.w(i))?;
        if !matches!(self.w(i + 1), "to" | "and" | "-" | "through" | "until") {
            return None;
        }
        let (end, until, p) = self.single(i + 2, self.article)?;
        if p != DatePrecision::Day || month(self.w(i + 3)).is_none() {
            return None;
        }
        let start = Date::new(until.year(), until.month(), d).ok()?;
        Some((i + 1, start, end, until))
    }

    /// "Feb. 14-16", "March 3 to 5": a full date then a bare day of the same month.
    fn month_day_range(&self, i: usize) -> Option<(usize, Date, usize, Date)> {
        let m = month(self.w(i))?;
        let d = day_number(self.w(i + 1))?;
        let (joined, d2) = match self.w(i + 2) {
            "-" | "to" | "through" | "until" => (i + 4, day_number(self.w(i + 3))?),
            _ => {
                // "14-16" kept as one token.
                let (a, b) = self.w(i + 1).split_once('-')?;
                let (a, b) = (day_number(a)?, day_number(b)?);
                let start = infer_year(self.article, m, a)?;
                let until = Date::new(start.year(), m, b).ok()?;
                return Some((i + 1, start, i + 2, until));
            }
        };
        if month(self.w(i + 3)).is_some() {
            return None;
        }
        let start = infer_year(self.article, m, d)?;
        let until = Date::new(start.year(), m, d2).ok()?;
        (until > start).then_some((i + 2, start, joined, until))
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
        let lead = if i > 0 { scan.w(i - 1) } else { "" };
        let from = matches!(lead, "from" | "between");
        // "from 1 to 3 March", "Feb. 14-16".
        if let Some((_, start, end2, until)) = scan.day_range(i).or_else(|| scan.month_day_range(i))
        {
            out.push(TimeExpr {
                start: if from { i - 1 } else { i },
                end: end2,
                date: start,
                until: Some(until),
                precision: DatePrecision::Day,
            });
            i = end2;
            continue;
        }
        let Some((end, date, precision)) = scan.at(i) else {
            i += 1;
            continue;
        };
        // Ranges: "from X to Y", "between X and Y", "X to Y", and "since X".
        let joiner = scan.w(end);
        if matches!(joiner, "to" | "until" | "through" | "and" | "-") && (from || joiner != "and") {
            let second = scan.at(end + 1).or_else(|| {
                // "between 2015 and 2019": a bare year after a year.
                let y = year_number(scan.w(end + 1))?;
                (precision == DatePrecision::Year)
                    .then(|| (end + 2, Date::new(y, 1, 1).ok(), DatePrecision::Year))
                    .and_then(|(e, d, p)| Some((e, d?, p)))
            });
            if let Some((end2, until, p2)) = second {
                // The end is the most recent; the start comes before it, crossing a year.
                let mut start = date;
                if start > until {
                    if let Ok(s) = Date::new(start.year() - 1, start.month(), start.day()) {
                        start = s;
                    }
                }
                out.push(TimeExpr {
                    start: if from { i - 1 } else { i },
                    end: end2,
                    date: start,
                    until: Some(last_day(until, p2)),
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
            [("2024-01-08".into(), None, Week)]
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
