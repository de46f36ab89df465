//! Actor dictionaries: TABARI `.actors` (`CountryInfo.120116.actors`, `TABARI.Demo.actors`) and
//! PETRARCH actor files (`Phoenix.Countries.actors.txt`, …).
//!
//! ```text
//! PRIMARY_PHRASE  [CODE] [CODE >YYMMDD] ; comment     a new entry; zero or more codes
//! +SYNONYM_PHRASE                                      more phrases of the same entry
//! <TAB>[CODE restriction]                              more codes of the same entry
//! <NOUN> ... </NOUN>, <ADJECTIVE> ... </ADJECTIVE>     TABARI only: plain word lists
//! ```
//!
//! Codes: `[CODE]` unrestricted; `[CODE <DATE]` on or before; `[CODE >DATE]` on or after;
//! `[CODE DATE1-DATE2]` between, inclusive. Blanks around `<`, `>` and `-` are accepted. A code
//! may be a compound `A/B` (TABARI "coded compound actors"; kept as one string, see
//! [`DatedCode::members`]) or a special `---`, `###`, `+++`.
//!
//! # Dates
//!
//! `YYYYMMDD` or `YYMMDD`, mixed freely. **Century rule for `YYMMDD`:** the TABARI/PETRARCH
//! pivot, `00`–`30` -> 2000–2030, `31`–`99` -> 1931–1999; except that when a range would end
//! before it starts and moving its two-digit side by a century fixes that, the century is
//! moved (CountryInfo writes birth-year-based starts such as `[AFGELI 270101-730717]`, which
//! the pivot would read as 2027–1973; PETRARCH skipped such ranges). Dates are validated
//! (month 1–12, day within the month, leap years). Dates of other lengths (7, 9, 10 digits),
//! bare dates without `<`, `>` or a range, impossible dates and inverted ranges are reported
//! and that code is skipped; the rest of the entry is kept.
//!
//! # Structure rules
//!
//! * A line starting (after blanks) with `[` adds codes to the current entry.
//! * A `+` line adds a phrase to the current entry. Codes on a `+` line are added to the entry
//!   (reported). A `+` line after a blank line is still attached (as PETRARCH does), and
//!   reported, because it often means a lost primary line.
//! * An indented line that is not a code line (`\tJOHN_MCCLOY_\t[...]`) is read as a synonym of
//!   the current entry (missing `+`), and reported.
//! * Indented comment-only lines are comments.
//! * An entry that ends without any code is kept (with empty `codes`) and reported. Beware:
//!   PETRARCH gave a run of code-less entries the codes of the next entry that has some
//!   (`IVO_JOSIPOVIC_` / `PRESIDENT_JOSIPOVIC_` / `JOSIPOVIC_` + restrictions in
//!   Phoenix.Countries, written without `+`); this parser does not.
//! * `---STOP---` (PETRARCH) and `~FINISH` / `~~FINISH` (TABARI) end the file.

use super::lex::{bracket_groups, is_end_mark, show, split_comment, Diags, Line, Lines};
use super::{Diagnostic, PhraseEntry};

/// A calendar date `(year, month, day)`.
pub type Ymd = (u16, u8, u8);

/// Packs a date as `yyyymmdd` (the crate's `PackedDate` layout).
pub fn pack(d: Ymd) -> u32 {
    d.0 as u32 * 10_000 + d.1 as u32 * 100 + d.2 as u32
}

/// A parsed actor file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorFile {
    pub entries: Vec<ActorEntry>,
    /// TABARI `<NOUN>` section.
    pub nouns: Vec<PhraseEntry>,
    /// TABARI `<ADJECTIVE>` section.
    pub adjectives: Vec<PhraseEntry>,
}

/// One actor: its phrases and codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorEntry {
    /// The primary phrase, then the synonyms, each as written (trimmed, without `+`):
    /// `AFGHANISTAN_`, `HAMAS WING`, `JAIME_BATEMAN_CAYON_GROUP_(JBC)_`. `_` and blanks both
    /// separate words; a trailing `_` marks a whole word (TABARI; ignored by PETRARCH).
    pub phrases: Vec<String>,
    /// Codes in file order (PETRARCH / TABARI test restrictions in order, first hit wins; an
    /// unrestricted code is the default). May be empty.
    pub codes: Vec<DatedCode>,
    /// Line of the primary phrase.
    pub line: usize,
}

/// A code with an optional validity period (inclusive bounds; `None` is open).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DatedCode {
    /// As written: `IRQGOV`, `ELR/GAL`, `---`, `pse`.
    pub code: String,
    pub from: Option<Ymd>,
    pub to: Option<Ymd>,
}

impl DatedCode {
    /// The members of a TABARI compound code `A/B/C` (just `[code]` when not compound).
    pub fn members(&self) -> impl Iterator<Item = &str> {
        self.code.split('/').filter(|s| !s.is_empty())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// No entry yet (or a section tag just closed the last one).
    BeforeFirst,
    /// The last primary line was skipped: its synonyms and codes are dropped silently.
    Skipped,
    Yes,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Main,
    Noun,
    Adjective,
}

/// Parses an actor file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (ActorFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, true);
    let mut af = ActorFile::default();
    let mut sec = Section::Main;
    // Whether the current entry (af.entries.last()) accepts synonyms and codes.
    let mut open = Open::BeforeFirst;
    let mut after_blank = false;

    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        if raw.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if is_end_mark(raw) {
            break;
        }
        let (content, _comment) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        if c.starts_with('<') {
            let upper = c.to_ascii_uppercase();
            sec = match upper.as_str() {
                "<NOUN>" | "<NOUNS>" => Section::Noun,
                "<ADJECTIVE>" | "<ADJECTIVES>" => Section::Adjective,
                "</NOUN>" | "</NOUNS>" | "</ADJECTIVE>" | "</ADJECTIVES>" => Section::Main,
                _ => {
                    d.push(no, format!("unknown tag `{}` ignored", show(c)));
                    sec
                }
            };
            open = Open::BeforeFirst;
            continue;
        }
        if sec != Section::Main {
            let e = PhraseEntry {
                phrase: c.to_string(),
                line: no,
            };
            if sec == Section::Noun {
                af.nouns.push(e);
            } else {
                af.adjectives.push(e);
            }
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        let blank_before = std::mem::replace(&mut after_blank, false);

        if c.starts_with('[') {
            // code line
            match open {
                Open::Yes => {}
                Open::BeforeFirst => {
                    d.push(
                        no,
                        format!("code line without an actor; skipped: `{}`", show(c)),
                    );
                    continue;
                }
                Open::Skipped => continue,
            }
            let g = bracket_groups(c);
            let Some(entry) = af.entries.last_mut() else {
                continue;
            };
            if blank_before {
                d.push(
                    no,
                    format!(
                        "code line separated from its entry by a blank line; attached to `{}`",
                        entry.phrases.first().map(String::as_str).unwrap_or("")
                    ),
                );
            }
            codes_into(&g, no, &mut entry.codes, &mut d);
            continue;
        }

        let (is_synonym, body) = match c.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, c),
        };
        let g = bracket_groups(body);
        let phrase = g.head.trim();
        if phrase.is_empty() {
            d.push(
                no,
                format!("actor line without a phrase; skipped: `{}`", show(c)),
            );
            if !is_synonym && !indented {
                open = Open::Skipped;
            }
            continue;
        }
        if let Some(bad) = phrase.chars().find(|ch| matches!(ch, ']' | '{' | '}')) {
            d.push(
                no,
                format!("stray `{bad}` in actor phrase; line skipped: `{}`", show(c)),
            );
            if !is_synonym && !indented {
                open = Open::Skipped;
            }
            continue;
        }

        if is_synonym || indented {
            match open {
                Open::Yes => {}
                Open::BeforeFirst => {
                    d.push(
                        no,
                        format!("synonym without a primary actor; skipped: `{}`", show(c)),
                    );
                    continue;
                }
                Open::Skipped => continue,
            }
            let Some(entry) = af.entries.last_mut() else {
                continue;
            };
            let primary = entry.phrases.first().cloned().unwrap_or_default();
            if !is_synonym {
                d.push(
                    no,
                    format!(
                        "indented phrase without `+`; read as a synonym of `{primary}`: `{}`",
                        show(c)
                    ),
                );
            } else if blank_before {
                d.push(
                    no,
                    format!(
                        "synonym separated from its entry by a blank line; attached to `{primary}`"
                    ),
                );
            }
            if is_synonym && !g.groups.is_empty() {
                d.push(
                    no,
                    format!("codes on a synonym line; added to the entry `{primary}`"),
                );
            }
            entry.phrases.push(phrase.to_string());
            codes_into(&g, no, &mut entry.codes, &mut d);
            continue;
        }

        // primary line
        check_codes(af.entries.last(), &mut d);
        let mut entry = ActorEntry {
            phrases: vec![phrase.to_string()],
            codes: Vec::new(),
            line: no,
        };
        codes_into(&g, no, &mut entry.codes, &mut d);
        af.entries.push(entry);
        open = Open::Yes;
    }
    check_codes(af.entries.last(), &mut d);
    lines.finish(&mut d);
    (af, d.finish())
}

/// Reports a finished entry without any code. (PETRARCH gave such an entry the codes of the
/// next entry that has some; TABARI null-coded it.)
fn check_codes(entry: Option<&ActorEntry>, d: &mut Diags) {
    if let Some(e) = entry {
        if e.codes.is_empty() {
            d.push(
                e.line,
                format!(
                    "actor `{}` has no code",
                    e.phrases.first().map(String::as_str).unwrap_or("")
                ),
            );
        }
    }
}

/// Parses the `[...]` groups of a line into `codes`, reporting the bad ones.
fn codes_into(g: &super::lex::Groups<'_>, no: usize, codes: &mut Vec<DatedCode>, d: &mut Diags) {
    let mut warnings = Vec::new();
    for inner in &g.groups {
        match parse_dated_code(inner, &mut warnings) {
            Ok(c) => codes.push(c),
            Err(e) => d.push(no, format!("{e}; code skipped")),
        }
        for w in warnings.drain(..) {
            d.push(no, w);
        }
    }
    for j in &g.junk {
        d.push(no, format!("`{j}` after the codes ignored"));
    }
    if g.unclosed {
        d.push(no, "`[` without `]`; rest of line ignored");
    }
}

/// A date as read, with whether the year had two digits.
#[derive(Clone, Copy)]
struct Date {
    ymd: Ymd,
    two_digit: bool,
}

/// Parses the inside of `[...]` of an actor file. Repairs (a day past the end of its month is
/// read as the month's last day) are described in `warnings`.
pub fn parse_dated_code(inner: &str, warnings: &mut Vec<String>) -> Result<DatedCode, String> {
    let t = inner.trim();
    if t.is_empty() {
        return Err("empty code `[]`".to_string());
    }
    let code_len = if t.starts_with("---") || t.starts_with("###") || t.starts_with("+++") {
        3
    } else {
        t.bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'/')
            .count()
    };
    let code = &t[..code_len];
    let rest = t[code_len..].trim();
    if code.is_empty() || (code.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()) {
        return Err(format!("missing code in `[{t}]`"));
    }
    if !rest.is_empty()
        && !t[code_len..].starts_with(|c: char| c.is_whitespace() || c == '<' || c == '>')
    {
        return Err(format!("malformed code `[{t}]`"));
    }
    let mut out = DatedCode {
        code: code.to_string(),
        from: None,
        to: None,
    };
    if rest.is_empty() {
        return Ok(out);
    }
    if let Some(ds) = rest.strip_prefix('<') {
        out.to = Some(parse_date(ds.trim(), t, warnings)?.ymd);
    } else if let Some(ds) = rest.strip_prefix('>') {
        out.from = Some(parse_date(ds.trim(), t, warnings)?.ymd);
    } else if let Some((a, b)) = rest.split_once('-') {
        let mut from = parse_date(a.trim(), t, warnings)?;
        let mut to = parse_date(b.trim(), t, warnings)?;
        if from.ymd > to.ymd {
            if from.two_digit && (from.ymd.0 - 100, from.ymd.1, from.ymd.2) <= to.ymd {
                from.ymd.0 -= 100;
            } else if to.two_digit && (to.ymd.0 + 100, to.ymd.1, to.ymd.2) >= from.ymd {
                to.ymd.0 += 100;
            } else {
                return Err(format!("date range ends before it starts `[{t}]`"));
            }
        }
        out.from = Some(from.ymd);
        out.to = Some(to.ymd);
    } else if rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("date without `<`, `>` or range `[{t}]`"));
    } else {
        return Err(format!("malformed date restriction `[{t}]`"));
    }
    Ok(out)
}

fn parse_date(s: &str, whole: &str, warnings: &mut Vec<String>) -> Result<Date, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("malformed date `{s}` in `[{whole}]`"));
    }
    let num = |a: usize, b: usize| -> u16 {
        s.as_bytes()[a..b]
            .iter()
            .fold(0u16, |acc, &x| acc * 10 + (x - b'0') as u16)
    };
    let (year, rest, two_digit) = match s.len() {
        6 => {
            let yy = num(0, 2);
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, 2, true)
        }
        8 => (num(0, 4), 4, false),
        n => return Err(format!("{n}-digit date `{s}` in `[{whole}]`")),
    };
    let month = num(rest, rest + 2) as u8;
    let mut day = num(rest + 2, rest + 4) as u8;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(format!("impossible date `{s}` in `[{whole}]`"));
    }
    let last = days_in_month(year, month);
    if day > last {
        // CountryInfo writes month ends as day 31 (`040931`): read as the month's last day
        warnings.push(format!(
            "impossible date `{s}` in `[{whole}]`; read as {year:04}-{month:02}-{last:02}"
        ));
        day = last;
    }
    Ok(Date {
        ymd: (year, month, day),
        two_digit,
    })
}

fn days_in_month(y: u16, m: u8) -> u8 {
    let (r4, r100, r400) = (y % 4, y % 100, y % 400);
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (r4 == 0 && r100 != 0) || r400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}
