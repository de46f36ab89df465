//! PETRARCH discard lists (`Phoenix.discards.txt`, `PETR.Validate.discards.txt`).
//!
//! One phrase per line; a leading `+` makes it a story-level discard. A trailing `_` requires
//! the phrase to end at a word boundary (kept in [`Discard::phrase`]). Comments `#` / `;`.

use super::lex::{show, split_comment, Diags, Line, Lines};
use super::Diagnostic;

/// A parsed discard list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiscardFile {
    pub entries: Vec<Discard>,
}

/// One discard phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discard {
    /// As written, trimmed, without the leading `+`: `ACADEMY AWARD`, `Manchester United`,
    /// `1914`.
    pub phrase: String,
    /// `+PHRASE`: the whole story is discarded, not only the sentence.
    pub story: bool,
    pub line: usize,
}

/// Parses a discard list. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (DiscardFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, true);
    let mut df = DiscardFile::default();
    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let (content, _) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        let (story, phrase) = match c.strip_prefix('+') {
            Some(r) => (true, r.trim()),
            None => (false, c),
        };
        if phrase.is_empty() {
            d.push(no, "`+` without a phrase; skipped");
            continue;
        }
        if phrase.contains(['[', ']', '{', '}']) {
            d.push(
                no,
                format!("bracket in discard phrase; skipped: `{}`", show(c)),
            );
            continue;
        }
        df.entries.push(Discard {
            phrase: phrase.to_string(),
            story,
            line: no,
        });
    }
    lines.finish(&mut d);
    (df, d.finish())
}
