//! Issue coding files (`Phoenix.IssueCoding.txt`).
//!
//! ```text
//! <ISSUE CATEGORY="EDUCATION" TYPE="ALL">
//! n:teacher [TEACHERS]           phrase [ISSUE_CODE]
//! pre+n:school [EARLY_CHILDHOOD_EDUCATION]
//! ~get head start                ignore phrase (sentence)
//! ~~armenian genocide            ignore phrase, second form
//! </ISSUE>
//! ```
//!
//! Word prefixes: `n:` singular + plural noun forms, `v:` regular verb forms; `+` between two
//! words means "blank or hyphen" (`pre+k` = "pre k" and "pre-k"). Lines without a code (other
//! than `~` lines) are reported and skipped, as PETRARCH skips them. Comments: `#`.

use super::lex::{lower, show, split_comment, Diags, Line, Lines};
use super::Diagnostic;

/// A parsed issue file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssueFile {
    pub blocks: Vec<IssueBlock>,
    /// Entries found outside any `<ISSUE>` block.
    pub loose: Vec<IssueEntry>,
}

impl IssueFile {
    /// Every entry, in blocks and outside.
    pub fn entries(&self) -> impl Iterator<Item = &IssueEntry> {
        self.blocks
            .iter()
            .flat_map(|b| b.entries.iter())
            .chain(self.loose.iter())
    }
}

/// `<ISSUE CATEGORY="..." TYPE="..."> ... </ISSUE>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueBlock {
    /// The `CATEGORY` attribute (`EDUCATION`), `None` if absent.
    pub category: Option<String>,
    /// The `TYPE` attribute (`ALL`, `COUNTEVENT`), `None` if absent.
    pub kind: Option<String>,
    pub entries: Vec<IssueEntry>,
    pub line: usize,
}

/// One issue line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueEntry {
    pub kind: IssueKind,
    /// The phrase as written (without `~`/`~~` and code), trimmed.
    pub phrase: String,
    pub words: Vec<IssueWord>,
    pub line: usize,
}

/// What a line does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// `phrase [CODE]`: the phrase codes this issue.
    Code(String),
    /// `~phrase`: its presence cancels issue coding for the sentence.
    Ignore,
    /// `~~phrase`: documented as "ignore in the story"; PETRARCH treats it like `~`.
    IgnoreStory,
}

/// One word of an issue phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueWord {
    /// Lower-cased, without prefix.
    pub text: String,
    /// `n:word`: also match the plural.
    pub noun: bool,
    /// `v:word`: also match the regular verb forms (S, ED, ING).
    pub verb: bool,
    /// `word+next`: the next word follows after a blank or a hyphen.
    pub joined_next: bool,
}

/// Parses an issue file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (IssueFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, true);
    let mut f = IssueFile::default();
    let mut open = false;

    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let (content, _) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        if c.starts_with("</") {
            if c.eq_ignore_ascii_case("</ISSUE>") {
                if !open {
                    d.push(no, "`</ISSUE>` without an open block; ignored");
                }
                open = false;
            } else {
                d.push(no, format!("unknown tag `{}` ignored", show(c)));
            }
            continue;
        }
        if c.starts_with('<') {
            if c.len() >= 6 && c.as_bytes()[..6].eq_ignore_ascii_case(b"<ISSUE") {
                if open {
                    d.push(no, "`<ISSUE>` inside an open block; previous block closed");
                }
                if !c.ends_with('>') {
                    d.push(no, "`<ISSUE` tag without `>`");
                }
                f.blocks.push(IssueBlock {
                    category: attribute(c, "CATEGORY"),
                    kind: attribute(c, "TYPE"),
                    entries: Vec::new(),
                    line: no,
                });
                open = true;
            } else {
                d.push(no, format!("unknown tag `{}` ignored", show(c)));
            }
            continue;
        }
        let Some(entry) = entry(c, no, &mut d) else {
            continue;
        };
        match f.blocks.last_mut() {
            Some(b) if open => b.entries.push(entry),
            _ => f.loose.push(entry),
        }
    }
    if open {
        if let Some(b) = f.blocks.last() {
            d.push(b.line, "`<ISSUE>` block never closed");
        }
    }
    lines.finish(&mut d);
    (f, d.finish())
}

/// The value of `NAME="value"` in a tag, case-insensitive name.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let upper = tag.to_ascii_uppercase();
    let mut from = 0;
    while let Some(k) = upper[from..].find(name) {
        let at = from + k;
        from = at + name.len();
        let before_ok = at == 0 || !upper.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = tag[from..].trim_start();
        if before_ok {
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.trim_start();
                if let Some(q) = r.strip_prefix('"') {
                    return q.find('"').map(|e| q[..e].to_string());
                }
                let end = r
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(r.len());
                return Some(r[..end].to_string());
            }
        }
    }
    None
}

fn entry(c: &str, no: usize, d: &mut Diags) -> Option<IssueEntry> {
    let (kind, body) = if let Some(r) = c.strip_prefix("~~") {
        (IssueKind::IgnoreStory, r)
    } else if let Some(r) = c.strip_prefix('~') {
        (IssueKind::Ignore, r)
    } else {
        let Some(open) = c.find('[') else {
            d.push(
                no,
                format!("issue phrase without `[CODE]`; skipped: `{}`", show(c)),
            );
            return None;
        };
        let Some(rel) = c[open + 1..].find(']') else {
            d.push(no, format!("`[` without `]`; skipped: `{}`", show(c)));
            return None;
        };
        let code = c[open + 1..open + 1 + rel].trim();
        if code.is_empty() || code.contains(char::is_whitespace) {
            d.push(no, format!("malformed issue code `[{code}]`; skipped"));
            return None;
        }
        let tail = c[open + 2 + rel..].trim();
        if !tail.is_empty() {
            d.push(no, format!("`{tail}` after the code ignored"));
        }
        (IssueKind::Code(code.to_string()), &c[..open])
    };
    let phrase = body.trim();
    if phrase.is_empty() {
        d.push(no, "issue line without a phrase; skipped");
        return None;
    }
    if phrase.contains(['[', ']']) {
        d.push(
            no,
            format!("bracket in issue phrase; skipped: `{}`", show(c)),
        );
        return None;
    }
    let mut words: Vec<IssueWord> = Vec::new();
    for chunk in phrase.split_whitespace() {
        let mut parts = chunk.split('+').peekable();
        while let Some(part) = parts.next() {
            let joined_next = parts.peek().is_some();
            if part.is_empty() {
                // `eu+ gene`: a `+` at the end of a chunk joins it to the next chunk
                if let Some(last) = words.last_mut() {
                    last.joined_next = true;
                }
                continue;
            }
            let (noun, verb, text) = if let Some(r) = strip_prefix_ci(part, "n:") {
                (true, false, r)
            } else if let Some(r) = strip_prefix_ci(part, "v:") {
                (false, true, r)
            } else if part.len() > 2 && part.as_bytes()[1] == b':' {
                d.push(
                    no,
                    format!("unknown word prefix `{}`; read as a plain word", &part[..2]),
                );
                (false, false, &part[2..])
            } else {
                (false, false, part)
            };
            if text.is_empty() {
                d.push(no, format!("empty word in issue phrase `{phrase}`"));
                continue;
            }
            words.push(IssueWord {
                text: lower(text),
                noun,
                verb,
                joined_next,
            });
        }
    }
    if let Some(last) = words.last_mut() {
        last.joined_next = false;
    }
    if words.is_empty() {
        return None;
    }
    Some(IssueEntry {
        kind,
        phrase: phrase.to_string(),
        words,
        line: no,
    })
}

fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    if s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()) {
        Some(&s[p.len()..])
    } else {
        None
    }
}
