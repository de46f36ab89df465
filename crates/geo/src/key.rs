//! Match keys: the form in which names and sentences meet in the automaton.
//!
//! Both sides start from `dyad_text`'s normalised tokens (a name goes through
//! [`dyad_text::normalize_phrase`], a sentence is already [`dyad_text::Tokens`]), and then every
//! token goes through the same [`fold_token`]: diacritics dropped (`kraków` → `krakow`),
//! apostrophes inside a word dropped (`qa'im` → `qaim`, `sana'a` → `sanaa`), periods inside a
//! word dropped (`u.s.` → `us`, `st.` → `st`), and hyphen tokens dropped altogether, so that
//! `Deir ez-Zor`, `Deir ez Zor` and `Deir Ez-Zor` are one key. A key is `" t1 t2 ... "`.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Fold one normalised token into `out` (appending). Returns false, appending nothing, when the
/// token vanishes (a hyphen).
pub(crate) fn fold_token(tok: &str, out: &mut String) -> bool {
    if tok == "-" || tok.is_empty() || tok.chars().all(is_apostrophe) {
        return false;
    }
    // Clitics ("'s") and punctuation-only tokens stay as they are: they never occur in names.
    let has_alnum = tok.chars().any(char::is_alphanumeric);
    if !has_alnum || tok.starts_with('\'') {
        out.push_str(tok);
        return true;
    }
    let start = out.len();
    if tok.is_ascii() {
        out.extend(tok.chars().filter(|&c| c != '\'' && c != '.' && c != '`'));
    } else {
        for c in tok.chars() {
            push_folded(c, out);
        }
    }
    if out.len() == start {
        out.push_str(tok);
    }
    true
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '`' | '´' | 'ʼ' | 'ʻ' | 'ʿ' | 'ʾ' | '‘' | '’')
}

fn push_folded(c: char, out: &mut String) {
    match c {
        '.' => {}
        _ if is_apostrophe(c) => {}
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ł' => out.push('l'),
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'þ' => out.push_str("th"),
        'ı' => out.push('i'),
        _ if c.is_ascii() => out.push(c),
        _ => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                out.push(d);
            }
        }),
    }
}

/// The key of a name: `" t1 t2 ... "`, or `""` if nothing is left.
pub(crate) fn name_key(name: &str) -> String {
    let norm = dyad_text::normalize_phrase(name);
    let mut out = String::with_capacity(norm.len());
    out.push(' ');
    for tok in norm.split(' ').filter(|t| !t.is_empty()) {
        if fold_token(tok, &mut out) {
            out.push(' ');
        }
    }
    if out.len() <= 1 {
        out.clear();
    }
    out
}

/// The key string of a tokenised sentence, with the key byte at which each kept token starts.
#[derive(Default)]
pub(crate) struct SentenceKey {
    pub(crate) key: String,
    /// (byte offset of the token's first byte in `key`, token index), ascending.
    pub(crate) starts: Vec<(u32, u32)>,
}

impl SentenceKey {
    pub(crate) fn fill(&mut self, tokens: &dyad_text::Tokens) {
        self.key.clear();
        self.starts.clear();
        self.key.push(' ');
        for i in 0..tokens.len() {
            let at = self.key.len();
            if fold_token(tokens.norm_of(i), &mut self.key) {
                self.starts.push((at as u32, i as u32));
                self.key.push(' ');
            }
        }
    }

    /// Token indices (first, last) of a key match `m_start..m_end` of `" t1 ... tn "`.
    pub(crate) fn tokens_of(&self, m_start: usize, m_end: usize) -> Option<(usize, usize)> {
        let first = self
            .starts
            .binary_search_by_key(&(m_start as u32 + 1), |s| s.0)
            .ok()?;
        // The last token is the last one that starts before the match's closing space.
        let last = match self.starts.binary_search_by_key(&(m_end as u32), |s| s.0) {
            Ok(i) | Err(i) => i.checked_sub(1)?,
        };
        (last >= first).then(|| (self.starts[first].1 as usize, self.starts[last].1 as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_text_meet() {
        assert_eq!(name_key("Deir ez-Zor"), " deir ez zor ");
        assert_eq!(name_key("Deir Ez Zor"), " deir ez zor ");
        assert_eq!(name_key("Kraków"), " krakow ");
        assert_eq!(name_key("Al Qa’im"), " al qaim ");
        assert_eq!(name_key("U.S."), " us ");
        assert_eq!(name_key("St. Petersburg"), " st petersburg ");
        assert_eq!(name_key("Ærøskøbing"), " aeroskobing ");
        assert_eq!(name_key(" - "), "");
        assert_eq!(name_key("Sāmarrā’"), " samarra ");
        // However the tokeniser splits a name, text and name split alike.
        let mut sk = SentenceKey::default();
        sk.fill(&dyad_text::tokenize("Dar‘ā"));
        assert_eq!(name_key("Dar‘ā"), sk.key);
        let text = "Strikes hit Deir ez-Zor and Kraków's U.S. base.";
        let toks = dyad_text::tokenize(text);
        let mut sk = SentenceKey::default();
        sk.fill(&toks);
        assert_eq!(sk.key, " strikes hit deir ez zor and krakow 's us base . ");
        let at = sk.key.find(" deir ez zor ").unwrap();
        let (a, b) = sk.tokens_of(at, at + " deir ez zor ".len()).unwrap();
        assert_eq!(
            &text[toks.tokens[a].start..toks.tokens[b].end],
            "Deir ez-Zor"
        );
    }
}
