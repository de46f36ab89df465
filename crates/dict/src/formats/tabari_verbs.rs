//! TABARI `.verbs` files (`CAMEO.080612.verbs`, `TABARI.Demo.verbs`).
//!
//! ```text
//! <SYNSETS> &NAME / +member ... </SYNSETS>     synonym sets
//! <TIME> PHRASE [-7] ... </TIME>               time-shift phrases (may have `-` patterns too)
//! <NOUN> ... </NOUN>, <ADJECTIVE> ... </ADJECTIVE>
//! VERBROOT [code] ; comment                    a verb root, optionally with a code
//! { FORM1_ FORM2_ }                            irregular forms of the root above
//! - pattern [code] ; comment                   patterns of the root above
//! ~~FINISH                                     end of file
//! ```
//!
//! Lines starting with `#` or `/` are comments; `;` starts a trailing comment. Synsets
//! (`&NAME` / `+member`) are also accepted outside `<SYNSETS>`.

use super::lex::{
    comment_string, is_end_mark, last_bracket, show, split_comment, Bracket, Diags, Line, Lines,
};
use super::pattern::{
    check_synsets, parse_code, parse_pattern_content, parse_synset_head, parse_synset_member,
    phrase_words,
};
pub use super::pattern::{CodeKind, CodeSpec, Pattern, Synset, SynsetMember, Token, Word};
use super::{Diagnostic, PhraseEntry};

/// A parsed TABARI verb file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerbFile {
    pub synsets: Vec<Synset>,
    /// `<TIME>` phrases: their codes are [`CodeKind::Shift`] (or `---`, `###`, `+++`).
    pub time: Vec<VerbRoot>,
    pub nouns: Vec<PhraseEntry>,
    pub adjectives: Vec<PhraseEntry>,
    pub roots: Vec<VerbRoot>,
}

impl VerbFile {
    /// Every pattern of the file (verb roots, then time phrases).
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.roots
            .iter()
            .chain(self.time.iter())
            .flat_map(|r| r.patterns.iter())
    }
}

/// A verb root (or `<TIME>` phrase) with its forms and patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbRoot {
    /// The root phrase: `ABANDON`, `ACT_` (not a stem), `BAN=` (no endings generated),
    /// `APPRECIATE POSITION`, `CALLED_ON`.
    pub phrase: Vec<Word>,
    /// The root phrase as written, trimmed (`BAN=`): [`Word`] does not keep the difference
    /// between a trailing `_` and a trailing `=` (endings allowed or not), this does.
    pub text: String,
    /// The code that codes the root by itself; `None` when the line has none.
    pub code: Option<CodeSpec>,
    /// Irregular forms from a `{ ... }` line, each a phrase; `None` when there is no such line.
    pub forms: Option<Vec<Vec<Word>>>,
    pub patterns: Vec<Pattern>,
    pub line: usize,
    pub comment: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Main,
    Synsets,
    Time,
    Noun,
    Adjective,
}

impl Section {
    fn tag(self) -> &'static str {
        match self {
            Section::Main => "",
            Section::Synsets => "SYNSETS",
            Section::Time => "TIME",
            Section::Noun => "NOUN",
            Section::Adjective => "ADJECTIVE",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    None,
    Root,
    Time,
}

/// Parses a TABARI verb file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (VerbFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, false);
    let mut vf = VerbFile::default();
    let mut sec = Section::Main;
    let mut cur = Current::None;
    let mut in_synset = false;
    let mut warnings = Vec::new();

    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if is_end_mark(raw) {
            break;
        }
        let first = raw.as_bytes()[0];
        if first == b'#' || first == b'/' {
            continue;
        }
        let (content, comment) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        if c.starts_with('<') {
            sec = tag(c, no, sec, &mut d);
            cur = Current::None;
            in_synset = false;
            continue;
        }
        let lead = c.as_bytes()[0];
        if first.is_ascii_whitespace() && !matches!(lead, b'-' | b'{' | b'+' | b'&') {
            d.push(
                no,
                format!(
                    "line starts with a blank (pattern without `-`?); skipped: `{}`",
                    show(c)
                ),
            );
            continue;
        }
        match lead {
            b'&' => {
                let head = parse_synset_head(&c[1..], no, &mut warnings);
                flush(&mut warnings, no, &mut d);
                match head {
                    Ok(s) => {
                        vf.synsets.push(s);
                        in_synset = true;
                    }
                    Err(e) => {
                        d.push(no, format!("{e}; skipped"));
                        in_synset = false;
                    }
                }
                cur = Current::None;
                continue;
            }
            b'+' => {
                if in_synset {
                    match parse_synset_member(&c[1..], no, false, &mut warnings) {
                        Ok(m) => {
                            if let Some(s) = vf.synsets.last_mut() {
                                s.members.push(m);
                            }
                        }
                        Err(e) => d.push(no, format!("{e}; member skipped: `{}`", show(c))),
                    }
                    flush(&mut warnings, no, &mut d);
                } else {
                    d.push(
                        no,
                        format!("`+` line outside a synset; skipped: `{}`", show(c)),
                    );
                }
                continue;
            }
            _ => {}
        }
        in_synset = false;
        match sec {
            Section::Synsets => {
                d.push(
                    no,
                    format!(
                        "line in <SYNSETS> is neither `&NAME` nor `+member`; skipped: `{}`",
                        show(c)
                    ),
                );
                continue;
            }
            Section::Noun | Section::Adjective => {
                let e = PhraseEntry {
                    phrase: c.to_string(),
                    line: no,
                };
                if sec == Section::Noun {
                    vf.nouns.push(e);
                } else {
                    vf.adjectives.push(e);
                }
                continue;
            }
            Section::Main | Section::Time => {}
        }
        match lead {
            b'-' => {
                let target = match cur {
                    Current::Root => vf.roots.last_mut(),
                    Current::Time => vf.time.last_mut(),
                    Current::None => None,
                };
                let Some(root) = target else {
                    d.push(
                        no,
                        format!("pattern before any verb root; skipped: `{}`", show(c)),
                    );
                    continue;
                };
                let allow_shift = cur == Current::Time;
                match parse_pattern_content(&c[1..], false, allow_shift, &mut warnings) {
                    Ok((tokens, code)) => root.patterns.push(Pattern {
                        tokens,
                        code,
                        line: no,
                        comment: comment_string(comment),
                    }),
                    Err(e) => d.push(no, format!("{e}; pattern skipped: `{}`", show(c))),
                }
                flush(&mut warnings, no, &mut d);
            }
            b'{' => {
                let target = match cur {
                    Current::Root => vf.roots.last_mut(),
                    Current::Time => vf.time.last_mut(),
                    Current::None => None,
                };
                let Some(root) = target else {
                    d.push(no, "irregular forms before any verb root; skipped");
                    continue;
                };
                let Some(close) = c.find('}') else {
                    d.push(no, "`{` without `}`; irregular forms skipped");
                    continue;
                };
                if !c[close + 1..].trim().is_empty() {
                    d.push(
                        no,
                        format!("`{}` after `}}` ignored", c[close + 1..].trim()),
                    );
                }
                let forms = root.forms.get_or_insert_with(Vec::new);
                for item in c[1..close].split_whitespace() {
                    match phrase_words(item) {
                        Some(w) => forms.push(w),
                        None => d.push(no, format!("malformed irregular form `{item}` skipped")),
                    }
                }
            }
            _ => {
                let (before, code) = match last_bracket(c) {
                    Bracket::None => (c, None),
                    Bracket::Unclosed => {
                        d.push(no, format!("`[` without `]`; skipped: `{}`", show(c)));
                        continue;
                    }
                    Bracket::Found {
                        before,
                        inner,
                        after,
                    } => match parse_code(inner, sec == Section::Time) {
                        Ok((code, w)) => {
                            if let Some(w) = w {
                                d.push(no, w);
                            }
                            if !after.trim().is_empty() {
                                d.push(no, format!("`{}` after the code ignored", after.trim()));
                            }
                            (before, Some(code))
                        }
                        Err(e) => {
                            d.push(no, format!("{e}; skipped: `{}`", show(c)));
                            continue;
                        }
                    },
                };
                let Some(phrase) = phrase_words(before) else {
                    d.push(no, format!("malformed verb root; skipped: `{}`", show(c)));
                    continue;
                };
                let root = VerbRoot {
                    phrase,
                    text: before.trim().to_string(),
                    code,
                    forms: None,
                    patterns: Vec::new(),
                    line: no,
                    comment: comment_string(comment),
                };
                if sec == Section::Time {
                    vf.time.push(root);
                    cur = Current::Time;
                } else {
                    vf.roots.push(root);
                    cur = Current::Root;
                }
            }
        }
    }
    if sec != Section::Main {
        d.push(lines_end(text), format!("<{}> is never closed", sec.tag()));
    }
    check_synsets(&vf.synsets, vf.patterns(), &mut d);
    (vf, d.finish())
}

fn flush(warnings: &mut Vec<String>, no: usize, d: &mut Diags) {
    for w in warnings.drain(..) {
        d.push(no, w);
    }
}

fn lines_end(text: &str) -> usize {
    text.lines().count().max(1)
}

/// Handles a `<TAG>` / `</TAG>` line; returns the new section.
fn tag(c: &str, no: usize, sec: Section, d: &mut Diags) -> Section {
    let upper = c.to_ascii_uppercase();
    let (closing, name) = match upper.strip_prefix("</") {
        Some(r) => (true, r.trim_end_matches('>').trim()),
        None => (false, upper[1..].trim_end_matches('>').trim()),
    };
    let new = match name {
        "SYNSETS" => Section::Synsets,
        "TIME" => Section::Time,
        "NOUN" | "NOUNS" => Section::Noun,
        "ADJECTIVE" | "ADJECTIVES" => Section::Adjective,
        _ => {
            d.push(no, format!("unknown tag `{}` ignored", show(c)));
            return sec;
        }
    };
    if closing {
        if sec != new {
            d.push(
                no,
                format!("`{}` closes a section that is not open", show(c)),
            );
        }
        Section::Main
    } else {
        if sec != Section::Main {
            d.push(no, format!("`{}` opened inside <{}>", show(c), sec.tag()));
        }
        new
    }
}
