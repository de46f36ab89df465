//! What the verb-file parsers share: pattern tokens, event codes, synsets.
//!
//! # Pattern syntax (TABARI, PETRARCH-1, PETRARCH-2)
//!
//! | written | token |
//! |---|---|
//! | `WORD`, `WORD_`, `WORD=`, `WORD~` | [`Token::Word`] |
//! | `*` | [`Token::Verb`] |
//! | `$` | [`Token::Source`] |
//! | `+` | [`Token::Target`] |
//! | `%` | [`Token::Compound`] |
//! | `^` | [`Token::Skip`] |
//! | `&NAME` | [`Token::Synset`] |
//! | `{ a b \| c }` | [`Token::Alternatives`] |
//! | `{W1 W2 HEAD}` (PETRARCH-2 only) | [`Token::NounPhrase`] |
//! | `(PREP X)` (PETRARCH-2 only) | [`Token::Prep`] |
//!
//! Connectors: a blank between two elements means other words may intervene; `_` between them
//! means the second must follow the first immediately (`adjacent_next` on the first). A leading
//! `_` (`} _*`) joins an element to the one before it. On a special (`*_`, `+_`, `}_`) the `_`
//! always means "adjacent", even when a blank follows (`+_ { WERE | WAS }`). On a word a `_`
//! followed by a blank (`IN_ $`) only marks the word as whole-word (`stem == false`): that is
//! the reading of TABARI and of PETRARCH (which rewrites `_ ` to ` `). The last element of a
//! sequence never has `adjacent_next` set.
//!
//! A hyphen directly after a special (`+-SPONSORED`) is read as `_` (TABARI turns hyphens of
//! dictionary phrases into `_`). Hyphens inside words are kept (`re-trial`).

use super::lex::lower;

/// A word of a pattern or phrase.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Word {
    /// The word, lower-cased, without its `_`, `=`, `~` markers. May contain `-`, `'`, `.`,
    /// `/` and other punctuation as written (`re-trial`, `to/for`, `u.s.`).
    pub text: String,
    /// TABARI prefix ("stem") matching: true unless the word is followed by `_` or ends with
    /// `=`; a `~` word is always a stem. PETRARCH matches whole words and ignores this.
    pub stem: bool,
    /// Joined by `_` to the next element, which must follow immediately.
    pub adjacent_next: bool,
    /// Written `WORD~`: TABARI "stem, and the next element must follow immediately" (the next
    /// element is usually also joined with `_`, `NEAT~_PLACE`, but not always).
    pub tilde: bool,
}

impl Word {
    /// A stemmed word, not joined to the next (handy in tests).
    pub fn stem(text: &str) -> Word {
        Word {
            text: text.to_string(),
            stem: true,
            adjacent_next: false,
            tilde: false,
        }
    }
}

/// One element of a verb pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    Word(Word),
    /// `*`: the verb.
    Verb {
        adjacent_next: bool,
    },
    /// `$`: the source actor.
    Source {
        adjacent_next: bool,
    },
    /// `+`: the target actor.
    Target {
        adjacent_next: bool,
    },
    /// `%`: a compound actor used as both source and target.
    Compound {
        adjacent_next: bool,
    },
    /// `^`: skip one actor.
    Skip {
        adjacent_next: bool,
    },
    /// `&NAME`: a synset reference. `name` is upper-cased, without `&` and without a trailing
    /// `_`.
    Synset {
        name: String,
        adjacent_next: bool,
    },
    /// `{ a | b c }`: each option is a token sequence. In TABARI/PETRARCH-1 files a `{ ... }`
    /// without `|` is a single option.
    Alternatives {
        options: Vec<Vec<Token>>,
        adjacent_next: bool,
    },
    /// PETRARCH-2 `{W1 W2 HEAD}`: a noun phrase whose last element is the head. Its elements
    /// are [`Token::Word`]s and [`Token::Synset`]s.
    NounPhrase(Vec<Token>),
    /// PETRARCH-2 `(PREP X ...)`: a prepositional phrase, preposition first. `(TO)` alone is
    /// "any TO phrase". Elements may be words, synsets, noun phrases, `$`, `+`, `^`.
    Prep(Vec<Token>),
}

impl Token {
    /// Whether the next element must follow immediately.
    pub fn adjacent_next(&self) -> bool {
        match self {
            Token::Word(w) => w.adjacent_next,
            Token::Verb { adjacent_next }
            | Token::Source { adjacent_next }
            | Token::Target { adjacent_next }
            | Token::Compound { adjacent_next }
            | Token::Skip { adjacent_next }
            | Token::Synset { adjacent_next, .. }
            | Token::Alternatives { adjacent_next, .. } => *adjacent_next,
            Token::NounPhrase(_) | Token::Prep(_) => false,
        }
    }

    fn set_adjacent(&mut self, v: bool) {
        match self {
            Token::Word(w) => w.adjacent_next = v,
            Token::Verb { adjacent_next }
            | Token::Source { adjacent_next }
            | Token::Target { adjacent_next }
            | Token::Compound { adjacent_next }
            | Token::Skip { adjacent_next }
            | Token::Synset { adjacent_next, .. }
            | Token::Alternatives { adjacent_next, .. } => *adjacent_next = v,
            Token::NounPhrase(_) | Token::Prep(_) => {}
        }
    }

    /// A shorthand for tests and for building patterns: a plain stemmed word.
    pub fn word(text: &str) -> Token {
        Token::Word(Word::stem(text))
    }

    /// Calls `f` on this token and every token nested in it.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Token)) {
        f(self);
        match self {
            Token::Alternatives { options, .. } => {
                for t in options.iter().flatten() {
                    t.walk(f);
                }
            }
            Token::NounPhrase(ts) | Token::Prep(ts) => {
                for t in ts {
                    t.walk(f);
                }
            }
            _ => {}
        }
    }
}

/// The event part of a code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// `[020]`, as written (codes are kept verbatim: `075A`, `sdf` occur in test files).
    Code(String),
    /// `[A:B]`: A for source->target and B for target->source; `[:B]` and `[A:]` leave a
    /// side empty.
    Paired(Option<String>, Option<String>),
    /// `[---]`: matches, codes nothing.
    Null,
    /// `[###]`: discard the sentence.
    Discard,
    /// `[+++]`: complex, divert the record.
    Complex,
    /// TABARI `<TIME>` sections only: `[-7]`, `[+30]`, a date shift in days.
    Shift(i32),
}

/// A code in `[...]` with its flags.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodeSpec {
    pub kind: CodeKind,
    /// `[code?]`: kept only when no other event is found.
    pub subordinate: bool,
    /// `[code!]`: only dominant events are kept for the clause.
    pub dominant: bool,
}

impl CodeSpec {
    /// A plain code without flags.
    pub fn code(code: &str) -> CodeSpec {
        CodeSpec {
            kind: CodeKind::Code(code.to_string()),
            subordinate: false,
            dominant: false,
        }
    }

    /// A code kind without flags.
    pub fn of(kind: CodeKind) -> CodeSpec {
        CodeSpec {
            kind,
            subordinate: false,
            dominant: false,
        }
    }
}

/// A verb pattern line `- pattern [code] ; comment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub tokens: Vec<Token>,
    /// `None` when the line has no `[...]`.
    pub code: Option<CodeSpec>,
    pub line: usize,
    /// The comment after `;` / `#`, trimmed; `None` when absent or empty.
    pub comment: Option<String>,
}

/// A synonym set: `&NAME` followed by `+member` lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synset {
    /// Upper-cased, without `&` and without the trailing `_`.
    pub name: String,
    /// The definition was written `&NAME_`: no plurals for the members (PETRARCH).
    pub no_plural: bool,
    pub members: Vec<SynsetMember>,
    pub line: usize,
}

/// One `+member` line of a synset. Members are phrases in pattern syntax; they may refer to
/// other synsets (`+&TIETYPES_MEMOS`). A member word written with a trailing `_` has
/// `stem == false` (PETRARCH: no plural for that member).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynsetMember {
    pub tokens: Vec<Token>,
    pub line: usize,
}

// ------------------------------------------------------------------------------------------
// codes

/// Parses the inside of `[...]` of a verb file. `allow_shift` accepts `[-7]` / `[+30]`.
/// Returns the code and, for a repairable defect, a warning.
pub(crate) fn parse_code(
    inner: &str,
    allow_shift: bool,
) -> Result<(CodeSpec, Option<String>), String> {
    let t = inner.trim();
    let mut warning = None;
    let compact: String;
    let mut s: &str = if t.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = t.split_whitespace().collect();
        warning = Some(format!("blanks inside code `[{t}]`; read as `[{compact}]`"));
        &compact
    } else {
        t
    };
    if s.is_empty() {
        return Err("empty code `[]`".to_string());
    }
    let mut subordinate = false;
    let mut dominant = false;
    loop {
        if let Some(r) = s.strip_suffix('?') {
            subordinate = true;
            s = r;
        } else if let Some(r) = s.strip_suffix('!') {
            dominant = true;
            s = r;
        } else {
            break;
        }
    }
    if s.is_empty() {
        return Err(format!("code without a value `[{t}]`"));
    }
    let kind = match s {
        "---" => CodeKind::Null,
        "###" => CodeKind::Discard,
        "+++" => CodeKind::Complex,
        _ => {
            let b = s.as_bytes();
            if allow_shift
                && b.len() > 1
                && (b[0] == b'+' || b[0] == b'-')
                && b[1..].iter().all(u8::is_ascii_digit)
            {
                match s.parse::<i32>() {
                    Ok(n) => CodeKind::Shift(n),
                    Err(_) => return Err(format!("time shift out of range `[{t}]`")),
                }
            } else if let Some((a, b)) = s.split_once(':') {
                let side = |x: &str| -> Result<Option<String>, String> {
                    if x.is_empty() {
                        Ok(None)
                    } else if valid_code(x) {
                        Ok(Some(x.to_string()))
                    } else {
                        Err(format!("malformed code `[{t}]`"))
                    }
                };
                let (a, b) = (side(a)?, side(b)?);
                if a.is_none() && b.is_none() {
                    return Err(format!("malformed code `[{t}]`"));
                }
                CodeKind::Paired(a, b)
            } else if valid_code(s) {
                CodeKind::Code(s.to_string())
            } else if !allow_shift
                && b.len() > 1
                && (b[0] == b'+' || b[0] == b'-')
                && b[1..].iter().all(u8::is_ascii_digit)
            {
                return Err(format!("time shift `[{t}]` outside a <TIME> section"));
            } else {
                return Err(format!("malformed code `[{t}]`"));
            }
        }
    };
    Ok((
        CodeSpec {
            kind,
            subordinate,
            dominant,
        },
        warning,
    ))
}

fn valid_code(s: &str) -> bool {
    !s.is_empty() && (s.bytes().all(|b| b.is_ascii_alphanumeric()) || s == "---")
}

// ------------------------------------------------------------------------------------------
// tokens

const MAX_DEPTH: usize = 8;

/// Tokenizes a pattern body (text between `-` and the code). `petrarch2` enables
/// [`Token::NounPhrase`] and [`Token::Prep`]. Repairable defects are added to `warnings`.
pub(crate) fn tokenize(
    s: &str,
    petrarch2: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<Token>, String> {
    tokenize_at(s, petrarch2, 0, warnings)
}

fn is_delim(b: u8, petrarch2: bool) -> bool {
    b.is_ascii_whitespace()
        || matches!(b, b'_' | b'{' | b'}' | b'[' | b']' | b'|')
        || (petrarch2 && matches!(b, b'(' | b')'))
}

fn is_closer(b: u8) -> bool {
    matches!(b, b'}' | b')' | b'|' | b']')
}

fn tokenize_at(
    s: &str,
    p2: bool,
    depth: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<Token>, String> {
    if depth > MAX_DEPTH {
        return Err("brackets nested too deeply".to_string());
    }
    let b = s.as_bytes();
    let n = b.len();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        match c {
            b'_' => {
                match out.last_mut() {
                    Some(prev) => prev.set_adjacent(true),
                    None => warnings.push("leading `_` ignored".to_string()),
                }
                i += 1;
            }
            b'*' | b'$' | b'+' | b'%' | b'^' => {
                i += 1;
                let mut adjacent = false;
                if i < n {
                    let d = b[i];
                    // `*_`, and `+-SPONSORED` (TABARI turns hyphens into `_`)
                    if d == b'_' || (d == b'-' && i + 1 < n && !is_delim(b[i + 1], p2)) {
                        adjacent = true;
                        i += 1;
                    } else if !d.is_ascii_whitespace() && !is_closer(d) {
                        warnings.push(format!(
                            "no blank after `{}`; read as `{} {}`",
                            c as char,
                            c as char,
                            &s[i..]
                                .split(|ch: char| ch.is_whitespace())
                                .next()
                                .unwrap_or("")
                        ));
                    }
                }
                out.push(match c {
                    b'*' => Token::Verb {
                        adjacent_next: adjacent,
                    },
                    b'$' => Token::Source {
                        adjacent_next: adjacent,
                    },
                    b'+' => Token::Target {
                        adjacent_next: adjacent,
                    },
                    b'%' => Token::Compound {
                        adjacent_next: adjacent,
                    },
                    _ => Token::Skip {
                        adjacent_next: adjacent,
                    },
                });
            }
            b'&' => {
                let start = i + 1;
                let mut j = start;
                while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
                    j += 1;
                }
                if j == start {
                    return Err("`&` without a synset name".to_string());
                }
                let name = s[start..j].to_ascii_uppercase();
                let mut adjacent = false;
                if j < n && b[j] == b'_' {
                    j += 1;
                    adjacent = j < n && !b[j].is_ascii_whitespace() && !is_closer(b[j]);
                } else if j < n && !is_delim(b[j], p2) {
                    return Err(format!(
                        "unexpected `{}` after synset name &{}",
                        &s[j..].chars().next().unwrap_or(' '),
                        name
                    ));
                }
                i = j;
                out.push(Token::Synset {
                    name,
                    adjacent_next: adjacent,
                });
            }
            b'{' => {
                let close = matching(b, i, b'{', b'}').ok_or("`{` without `}`")?;
                let inner = &s[i + 1..close];
                i = close + 1;
                let adjacent = if i < n && b[i] == b'_' {
                    i += 1;
                    true
                } else {
                    false
                };
                let bars = top_level_bars(inner.as_bytes());
                if !bars.is_empty() {
                    let mut options = Vec::with_capacity(bars.len() + 1);
                    let mut from = 0;
                    for &bar in bars.iter().chain(std::iter::once(&inner.len())) {
                        let opt = tokenize_at(&inner[from..bar], p2, depth + 1, warnings)?;
                        if opt.is_empty() {
                            return Err("empty alternative in `{ ... | ... }`".to_string());
                        }
                        options.push(opt);
                        from = bar + 1;
                    }
                    out.push(Token::Alternatives {
                        options,
                        adjacent_next: adjacent,
                    });
                } else {
                    let toks = tokenize_at(inner, p2, depth + 1, warnings)?;
                    if toks.is_empty() {
                        return Err("empty `{}` in pattern".to_string());
                    }
                    if p2 {
                        if toks
                            .iter()
                            .any(|t| !matches!(t, Token::Word(_) | Token::Synset { .. }))
                        {
                            return Err(format!(
                                "noun phrase `{{{}}}` may only hold words and synsets",
                                inner.trim()
                            ));
                        }
                        out.push(Token::NounPhrase(toks));
                    } else {
                        out.push(Token::Alternatives {
                            options: vec![toks],
                            adjacent_next: adjacent,
                        });
                    }
                }
            }
            b'(' if p2 => {
                let close = matching(b, i, b'(', b')').ok_or("`(` without `)`")?;
                let toks = tokenize_at(&s[i + 1..close], p2, depth + 1, warnings)?;
                if toks.is_empty() {
                    return Err("empty `()` in pattern".to_string());
                }
                out.push(Token::Prep(toks));
                i = close + 1;
            }
            b'}' | b'|' | b'[' | b']' => return Err(format!("stray `{}`", c as char)),
            b')' if p2 => return Err("stray `)`".to_string()),
            _ => {
                let start = i;
                let mut j = i;
                while j < n && !is_delim(b[j], p2) {
                    j += 1;
                }
                let (word, next) = make_word(&s[start..j], b, j)?;
                i = next;
                out.push(Token::Word(word));
            }
        }
    }
    if let Some(last) = out.last_mut() {
        last.set_adjacent(false);
    }
    Ok(out)
}

/// Builds a word from `raw` (which ends at byte `j` of `b`); consumes a following `_`.
/// Returns the word and the index after it.
fn make_word(raw: &str, b: &[u8], mut j: usize) -> Result<(Word, usize), String> {
    let mut text = raw;
    let tilde = text.ends_with('~');
    if tilde {
        text = &text[..text.len() - 1];
    }
    let eq = text.ends_with('=');
    if eq {
        text = &text[..text.len() - 1];
    }
    if text.is_empty() {
        return Err(format!("`{raw}` is not a word"));
    }
    if text.contains('~') {
        return Err(format!("`~` inside word `{raw}`"));
    }
    let mut underscore = false;
    let mut adjacent = false;
    if j < b.len() && b[j] == b'_' {
        underscore = true;
        j += 1;
        adjacent = j < b.len() && !b[j].is_ascii_whitespace() && !is_closer(b[j]);
    }
    Ok((
        Word {
            text: lower(text),
            stem: tilde || !(underscore || eq),
            adjacent_next: adjacent,
            tilde,
        },
        j,
    ))
}

/// Index of the bracket closing the one at `open` (nesting counted), if any.
fn matching(b: &[u8], open: usize, o: u8, c: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &x) in b.iter().enumerate().skip(open) {
        if x == o {
            depth += 1;
        } else if x == c {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

fn top_level_bars(b: &[u8]) -> Vec<usize> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (k, &x) in b.iter().enumerate() {
        match x {
            b'{' | b'(' => depth += 1,
            b'}' | b')' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 => out.push(k),
            _ => {}
        }
    }
    out
}

/// Counts `*` tokens, nested ones included.
pub(crate) fn verb_count(tokens: &[Token]) -> usize {
    let mut n = 0;
    for t in tokens {
        t.walk(&mut |x| {
            if matches!(x, Token::Verb { .. }) {
                n += 1
            }
        });
    }
    n
}

/// Synset names referred to by `tokens` (nested ones included).
pub(crate) fn synset_refs<'a>(tokens: &'a [Token], out: &mut Vec<&'a str>) {
    for t in tokens {
        t.walk(&mut |x| {
            if let Token::Synset { name, .. } = x {
                out.push(name.as_str());
            }
        });
    }
}

/// Reports duplicate synset definitions and references to undefined synsets (in members and
/// patterns).
pub(crate) fn check_synsets<'a>(
    synsets: &'a [Synset],
    patterns: impl Iterator<Item = &'a Pattern>,
    d: &mut super::lex::Diags,
) {
    let mut defined = std::collections::HashSet::new();
    for s in synsets {
        if !defined.insert(s.name.as_str()) {
            d.push(s.line, format!("synset &{} defined twice", s.name));
        }
    }
    let mut refs: Vec<&str> = Vec::new();
    let mut report = |tokens: &'a [Token], line: usize, d: &mut super::lex::Diags| {
        refs.clear();
        synset_refs(tokens, &mut refs);
        for r in &refs {
            if !defined.contains(r) {
                d.push(line, format!("undefined synset &{r}"));
            }
        }
    };
    for s in synsets {
        for m in &s.members {
            report(&m.tokens, m.line, d);
        }
    }
    for p in patterns {
        report(&p.tokens, p.line, d);
    }
}

/// Parses a pattern line's content after its leading `-` (comment already removed):
/// `body [code] trailing`. `Err` means the line is skipped; warnings are repaired defects.
pub(crate) fn parse_pattern_content(
    content: &str,
    petrarch2: bool,
    allow_shift: bool,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Token>, Option<CodeSpec>), String> {
    use super::lex::{last_bracket, Bracket};
    let (body, code) = match last_bracket(content) {
        Bracket::None => (content, None),
        Bracket::Unclosed => return Err("`[` without `]`".to_string()),
        Bracket::Found {
            before,
            inner,
            after,
        } => {
            let (code, w) = parse_code(inner, allow_shift)?;
            warnings.extend(w);
            let after = after.trim();
            if !after.is_empty() {
                warnings.push(format!("`{after}` after the code ignored"));
            }
            (before, Some(code))
        }
    };
    let tokens = match tokenize(body, petrarch2, warnings) {
        Ok(t) => t,
        Err(e) => match repair_brace(body) {
            // `{ WILL | WOULD ] *`: a `]` typed for the `}`
            Some(fixed) => {
                let t = tokenize(&fixed, petrarch2, warnings).map_err(|_| e)?;
                warnings.push("`{ ... ]` read as `{ ... }`".to_string());
                t
            }
            None => return Err(e),
        },
    };
    match verb_count(&tokens) {
        0 => Err("pattern without `*`".to_string()),
        1 => Ok((tokens, code)),
        k => Err(format!("pattern with {k} `*`")),
    }
}

/// `{ a | b ] rest` -> `{ a | b } rest` when the `{` has no `}`.
fn repair_brace(body: &str) -> Option<String> {
    let open = body.find('{')?;
    let close = open + body[open..].find(']')?;
    if body[open..close].contains('}') || body.contains('}') {
        return None;
    }
    let mut fixed = String::with_capacity(body.len());
    fixed.push_str(&body[..close]);
    fixed.push('}');
    fixed.push_str(&body[close + 1..]);
    Some(fixed)
}

/// Parses a `&NAME` synset definition line (content after `&`, comment removed). A name with
/// an inner `_` (`&FIGHT_OF_WORDS`) is accepted with a warning: references are split at `_`
/// (`&FIGHT_OF_WORDS` in a pattern is `&FIGHT` + `OF` + `WORDS`), so it cannot be used.
pub(crate) fn parse_synset_head(
    rest: &str,
    line: usize,
    warnings: &mut Vec<String>,
) -> Result<Synset, String> {
    let t = rest.trim();
    let (raw, no_plural) = match t.strip_suffix('_') {
        Some(r) => (r, true),
        None => (t, false),
    };
    if raw.is_empty()
        || raw.starts_with('_')
        || !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!("malformed synset name `&{t}`"));
    }
    if raw.contains('_') {
        warnings.push(format!(
            "synset name `&{raw}` contains `_`: references to it are read as `&{}` + words",
            raw.split('_').next().unwrap_or(raw)
        ));
    }
    Ok(Synset {
        name: raw.to_ascii_uppercase(),
        no_plural,
        members: Vec::new(),
        line,
    })
}

/// Parses a `+member` line (content after `+`, comment removed).
pub(crate) fn parse_synset_member(
    rest: &str,
    line: usize,
    petrarch2: bool,
    warnings: &mut Vec<String>,
) -> Result<SynsetMember, String> {
    let tokens = tokenize(rest, petrarch2, warnings)?;
    if tokens.is_empty() {
        return Err("empty synset member".to_string());
    }
    Ok(SynsetMember { tokens, line })
}

// ------------------------------------------------------------------------------------------
// plain phrases

/// Splits a dictionary phrase (`AFGHANISTAN_`, `HAMAS WING`, `PRIME_MINISTER`) into words,
/// with the same reading of `_`, `=` and `~` as in patterns: `_` between words makes them
/// adjacent, a trailing `_` or `=` turns off stem matching. Returns `None` when the phrase
/// holds pattern syntax (`*`, `$`, `{`, `&`, …) or no word at all.
pub fn phrase_words(phrase: &str) -> Option<Vec<Word>> {
    let mut w = Vec::new();
    let toks = tokenize(phrase, false, &mut w).ok()?;
    if toks.is_empty() {
        return None;
    }
    toks.into_iter()
        .map(|t| match t {
            Token::Word(w) => Some(w),
            _ => None,
        })
        .collect()
}

/// A verb phrase of a PETRARCH verb block: one or more words, one of which is the verb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbPhrase {
    pub words: Vec<Word>,
    /// Index in `words` of the verb word: the word marked with `+` (`+BEEF_UP` -> 0,
    /// `WIRE_+TAP` -> 1), else 0.
    pub head: usize,
    /// Whether a word was marked with `+`.
    pub marked: bool,
}

/// Parses `+CORDON_OFF`, `WIRE_+TAP`, `SAY`, `LASH OUT`.
pub(crate) fn parse_verb_phrase(s: &str) -> Result<VerbPhrase, String> {
    let mut head = None;
    let mut marked_twice = false;
    // strip the `+` markers, remembering which word carried one
    let mut cleaned = String::with_capacity(s.len());
    let mut word_index = 0usize;
    let mut at_word_start = true;
    for ch in s.trim().chars() {
        if ch == '+' {
            if !at_word_start {
                return Err(format!("`+` inside a word in verb `{}`", s.trim()));
            }
            if head.is_some() {
                marked_twice = true;
            }
            head = Some(word_index);
            continue;
        }
        if ch == '_' || ch.is_whitespace() {
            if !at_word_start {
                word_index += 1;
            }
            at_word_start = true;
        } else {
            at_word_start = false;
        }
        cleaned.push(ch);
    }
    if marked_twice {
        return Err(format!("more than one `+` in verb `{}`", s.trim()));
    }
    let words =
        phrase_words(&cleaned).ok_or_else(|| format!("malformed verb phrase `{}`", s.trim()))?;
    let h = head.unwrap_or(0);
    if h >= words.len() {
        return Err(format!("`+` marks no word in `{}`", s.trim()));
    }
    Ok(VerbPhrase {
        words,
        head: h,
        marked: head.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(s: &str) -> Vec<Token> {
        let mut w = Vec::new();
        tokenize(s, false, &mut w).unwrap()
    }

    #[test]
    fn basic_tokens() {
        let t = tok("SAID + MUST * POLICY");
        assert_eq!(t.len(), 5);
        assert_eq!(
            t[1],
            Token::Target {
                adjacent_next: false
            }
        );
    }

    #[test]
    fn verb_phrases() {
        let v = parse_verb_phrase("WIRE_+TAP").unwrap();
        assert_eq!(v.head, 1);
        assert_eq!(v.words[0].text, "wire");
        assert!(v.words[0].adjacent_next);
        let v = parse_verb_phrase("+CORDONED_OFF").unwrap();
        assert_eq!(v.head, 0);
        assert!(parse_verb_phrase("+A_+B").is_err());
        assert!(parse_verb_phrase("A_+").is_err());
    }
}
