//! A TABARI-compatible coding engine: the field's dictionary language (TABARI `.verbs`,
//! `.actors`, `.agents` and `.options`) coded the way TABARI 0.8 codes it.
//!
//! The engine follows TABARI's shallow parse step by step, so that dictionaries written for
//! TABARI code the same events:
//!
//! 1. **words** (module `lex`): the sentence is tokenised with `dyad_text` and the tokens are
//!    regrouped into TABARI words (hyphens and most punctuation are blanks, `'s` stays on its
//!    word, `,` `;` `:` `(` `)` are commas, `"` is a word of its own); a plain ASCII sentence
//!    gets the same words from one pass over its bytes;
//! 2. **literals**: every dictionary word is a *literal*; a text word carries the list of
//!    literals that are prefixes of it (one walk of a byte double-array trie from its first
//!    byte, `index::LiteralTrie`: only prefixes count, so an automaton that finds matches at
//!    every position, as daachorse does, would do more work and then discard most of it);
//! 3. **roots** (module `parse`): actors, agents, verbs (with their forms), nouns, adjectives,
//!    time phrases and TABARI's built-in words (determiners, conjunctions, pronouns, `BY`,
//!    `WAS`…) are phrases of literals; at each word the root with the most matched
//!    characters wins (TABARI's longest match), with the noun endings (`S`, `'S`, `ES`) and
//!    verb endings (`S`, `ED`, `ES`, `EN`, `ING`, `D` after `E`) allowed on whole-word (`_`)
//!    roots and none after `=`;
//! 4. **markup**: capitalised or determiner-led verbs become nouns, null-coded actors become
//!    nouns, isolated agents become actors (`CONVERT AGENT`), "X, Y and Z" compounds,
//!    comma-delimited subordinate clauses (nulled), clauses at conjunctions, pronouns
//!    dereferenced (with forwarding across sentences), discards and complexity conditions
//!    (in [`TabariCoder`], without forwarding, a sentence whose roots include no verb is not
//!    marked up or coded: it cannot give an event);
//! 5. **coding** (module `coder`): verbs in each clause, patterns tried longest first with
//!    TABARI's matcher (`* $ + % ^ &SYNSET { a | b } _ ~`), default source and target rules,
//!    passive voice, compound and coded-compound actors, agents (`~X` suffix, `X~` prefix,
//!    `FORMER`), paired `[A:B]`, subordinate `?`, dominant `!`, null, discard and complex
//!    codes, time shifts.
//!
//! Compile the dictionaries once with [`TabariEngine::compile`]; code with
//! [`TabariEngine::code_sentence`] (one TABARI record) or through [`TabariCoder`], which
//! implements [`crate::Coder`]. The engine does no I/O and is deterministic.

use std::borrow::Cow;

mod coder;
mod compile;
mod event;
mod index;
mod lex;
mod options;
mod parse;

pub use compile::{DictFile, TabariEngine};
pub use event::{EngineCounts, TabariCoder};
pub use options::{CodeMode, TabariOptions};

/// A calendar date as TABARI uses it (year, month, day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn to_days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_days`].
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (y + if m <= 2 { 1 } else { 0 }) as i32,
            month: m,
            day: d,
        }
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        if (0..=9999).contains(&self.year) && self.month <= 99 && self.day <= 99 {
            // the usual case, without the formatting machinery
            let (y, m, d) = (self.year as u32, self.month, self.day);
            let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
            let mut s = String::with_capacity(10);
            for c in [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                '-',
                digit(m / 10),
                digit(m),
                '-',
                digit(d / 10),
                digit(d),
            ] {
                s.push(c);
            }
            return s;
        }
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// TABARI's record-date form: `YYMMDD`, or `YYYYMMDD` with `four_digits`.
    pub fn tabari(self, four_digits: bool) -> String {
        if four_digits {
            format!("{:04}{:02}{:02}", self.year, self.month, self.day)
        } else {
            format!(
                "{:02}{:02}{:02}",
                self.year.rem_euclid(100),
                self.month,
                self.day
            )
        }
    }

    /// Parses `YYYY-MM-DD` (also `YYYYMMDD`); `None` when malformed.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() < 8 {
            return None;
        }
        let y = digits.get(0..4)?.parse().ok()?;
        let m = digits.get(4..6)?.parse().ok()?;
        let d = digits.get(6..8)?.parse().ok()?;
        Date::checked(y, m, d)
    }

    /// Parses a TABARI record date: `YYMMDD` (years 00–29 are 20xx, as in TABARI) or, with
    /// `four_digits`, `YYYYMMDD` read as TABARI reads it (the century is 20 when the first
    /// digit is `2`, else 19). `None` for an invalid date.
    pub fn parse_tabari(s: &str, four_digits: bool) -> Option<Date> {
        let b = s.as_bytes();
        let num = |a: usize, z: usize| -> Option<u32> {
            let part = s.get(a..z)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, rest) = if four_digits {
            if b.len() < 8 {
                return None;
            }
            let full = num(0, 4)? as i32;
            if !(1850..=2030).contains(&full) {
                return None;
            }
            let yy = num(2, 4)? as i32;
            (if b[0] == b'2' { 2000 + yy } else { 1900 + yy }, 4)
        } else {
            if b.len() < 6 {
                return None;
            }
            let yy = num(0, 2)? as i32;
            (if yy < 30 { 2000 + yy } else { 1900 + yy }, 2)
        };
        let m = num(rest, rest + 2)?;
        let d = num(rest + 2, rest + 4)?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some(Date::new(y, m, d.min(days_in_month(y, m))))
    }

    fn checked(y: i32, m: u32, d: u32) -> Option<Date> {
        if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) {
            Some(Date::new(y, m, d))
        } else {
            None
        }
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Why a sentence gave no events (TABARI's "problem string"; most are fixed texts, so
/// that the usual outcome allocates nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Events were coded.
    Coded,
    /// A discard code (`###`) was found: in a root (actor, verb, time phrase) or a pattern.
    Discard(Cow<'static, str>),
    /// A complex code (`+++`) or a complexity condition of the options.
    Complex(Cow<'static, str>),
    /// Nothing to code: no events, only null events, no valid events.
    NoEvents(Cow<'static, str>),
    /// The input could not be coded: no text, too few words.
    InputError(Cow<'static, str>),
}

impl Outcome {
    /// A one-line description.
    pub fn describe(&self) -> &str {
        match self {
            Outcome::Coded => "coded",
            Outcome::Discard(s)
            | Outcome::Complex(s)
            | Outcome::NoEvents(s)
            | Outcome::InputError(s) => s,
        }
    }
}

/// One event coded from a sentence, in TABARI's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabariEvent {
    /// The source code with its agent (`ISRGOVPRS`, `NGMARN`, `DEFSRC`).
    pub source: String,
    /// The target code with its agent.
    pub target: String,
    /// The event code as written in the dictionary (`064`, `075A`, `172`).
    pub code: String,
    /// Byte spans (into the sentence text) of the verb, the source and the target words.
    pub verb_span: Option<[usize; 2]>,
    pub source_span: Option<[usize; 2]>,
    pub target_span: Option<[usize; 2]>,
    /// The rule that fired: `file:line` and the pattern (or root) text.
    pub rule: String,
}

/// What coding one sentence (one TABARI record) gives.
#[derive(Clone, Debug)]
pub struct SentenceCoding {
    pub outcome: Outcome,
    pub events: Vec<TabariEvent>,
    /// The date of the events: the record date, shifted by a time phrase when `TIME SHIFT`
    /// is on.
    pub date: Option<Date>,
    /// What the next sentence of the same story may forward (pronouns without an
    /// antecedent take the first actor or compound of the previous sentence).
    pub forward: Option<Forward>,
}

/// The first actor and the first compound of a sentence, kept for pronoun forwarding.
#[derive(Clone, Debug, Default)]
pub struct Forward {
    pub(crate) cells: Vec<parse::ForwardCell>,
    pub(crate) actor: Option<usize>,
    pub(crate) compound: Option<usize>,
}

#[cfg(test)]
mod tests;

/// The engine's stages one by one, for the benches (`benches/tabari.rs`). Not a stable API.
#[doc(hidden)]
pub mod stages {
    use super::{coder, lex, parse, Date, TabariEngine, TabariOptions};

    /// Tokenising: the sentence's TABARI words. Returns their number.
    pub fn words(text: &str) -> usize {
        let mut w = lex::Words::default();
        lex::words_into(text, &mut w);
        w.list.len()
    }

    /// Tokenising and the literal trie: the literals of every word. Returns their number.
    pub fn literals(engine: &TabariEngine, text: &str) -> usize {
        let mut words = lex::Words::default();
        lex::words_into(text, &mut words);
        let mut buf = Vec::new();
        for k in 0..words.list.len() {
            engine.literals_into(words.text(k), &mut buf);
        }
        buf.len()
    }

    /// A parsed sentence: words, literals, roots (actors, agents, verbs...) and markup.
    pub struct Parsed<'e>(parse::Sent<'e>);

    /// Tokenising, literals, root matching (actors, agents, verbs) and markup.
    pub fn parse<'e>(
        engine: &'e TabariEngine,
        text: &str,
        date: Date,
        opts: &TabariOptions,
    ) -> Parsed<'e> {
        Parsed(parse::parse(engine, text, date, opts, None, false))
    }

    impl Parsed<'_> {
        /// Number of words that start a root.
        pub fn roots(&self) -> usize {
            (0..self.0.n).filter(|&i| self.0.iroot(i).is_some()).count()
        }

        /// Verb patterns, sources and targets: the events. Returns their number.
        pub fn code(&self, opts: &TabariOptions) -> usize {
            let time_on = opts.time_shift.unwrap_or(self.0.eng.has_time_phrases());
            coder::Coder::new(&self.0, opts).code(time_on).events.len()
        }
    }
}
