//! From a sentence to TABARI words.
//!
//! TABARI filters the text before it splits it into words: `;` `:` `(` `)` become commas,
//! `,` and `"` are words of their own (a comma between digits disappears), a period stays
//! only between digits or after a capital letter (`U.S.`), apostrophes and `$` stay, every
//! other punctuation mark (hyphens and `_` included) is a blank. We start from `dyad_text`'s
//! tokens (which keep byte offsets into the original text) and regroup them: tokens that
//! touch (`Libya` `'s`, `did` `n't`) make one word, separators split.

use dyad_text::Tokens;

/// What kind of word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Comma,
    /// `"`: a word that matches nothing.
    Quote,
}

/// One TABARI word.
#[derive(Clone, Debug)]
pub(crate) struct LexWord {
    /// Lower-cased text.
    pub text: String,
    pub kind: Kind,
    /// Byte offsets into the text given to [`words`].
    pub start: usize,
    pub end: usize,
    /// The word's first letter is upper case in the original.
    pub capital: bool,
}

/// Splits `text` into TABARI words. `all_caps` is set when the text has no lower-case letter
/// (TABARI then ignores capitalisation).
pub(crate) fn words(text: &str) -> (Vec<LexWord>, bool) {
    let all_caps = !text.chars().any(|c| c.is_lowercase());
    let toks = Tokens::new(text, 0..text.len());
    let mut out: Vec<LexWord> = Vec::new();
    // the word being built and the byte where the last token ended
    let mut cur: Option<LexWord> = None;
    let mut last_end = usize::MAX;
    for (i, t) in toks.tokens.iter().enumerate() {
        let norm = toks.norm_of(i);
        let orig = text.get(t.start..t.end).unwrap_or("");
        // TABARI keeps control characters (`^Z`) inside words; dyad_text drops them
        let gap_start = if last_end == usize::MAX { 0 } else { last_end };
        let gap = text.get(gap_start..t.start).unwrap_or("");
        let is_ctrl = |c: char| c.is_control() && !c.is_whitespace();
        let ctrl_prefix = gap.len() - gap.trim_start_matches(is_ctrl).len();
        let ctrl_suffix = gap.len() - gap.trim_end_matches(is_ctrl).len();
        let mut touching =
            last_end != usize::MAX && (t.start == last_end || ctrl_prefix == gap.len());
        if !touching && last_end != usize::MAX && ctrl_prefix > 0 {
            if let Some(w) = cur.as_mut() {
                w.text.push_str(&gap[..ctrl_prefix]);
                w.end = gap_start + ctrl_prefix;
            }
        }
        last_end = t.end;
        if !touching {
            flush(&mut cur, &mut out);
            if ctrl_suffix > 0 {
                let from = gap.len() - ctrl_suffix;
                cur = Some(LexWord {
                    text: gap[from..].to_string(),
                    kind: Kind::Word,
                    start: gap_start + from,
                    end: t.start,
                    capital: false,
                });
                touching = true;
            }
        } else if ctrl_prefix > 0 && ctrl_prefix == gap.len() {
            match cur.as_mut() {
                Some(w) => {
                    w.text.push_str(gap);
                    w.end = t.start;
                }
                None => {
                    cur = Some(LexWord {
                        text: gap.to_string(),
                        kind: Kind::Word,
                        start: gap_start,
                        end: t.start,
                        capital: false,
                    })
                }
            }
        }
        match norm {
            "," | ";" | ":" | "(" | ")" => {
                flush(&mut cur, &mut out);
                out.push(LexWord {
                    text: ",".to_string(),
                    kind: Kind::Comma,
                    start: t.start,
                    end: t.end,
                    capital: false,
                });
                continue;
            }
            "\"" => {
                flush(&mut cur, &mut out);
                out.push(LexWord {
                    text: "\"".to_string(),
                    kind: Kind::Quote,
                    start: t.start,
                    end: t.end,
                    capital: false,
                });
                continue;
            }
            _ => {}
        }
        // walk the characters of the token: TABARI blanks split, the rest is kept
        let norm_chars: Vec<char> = norm.chars().collect();
        let orig_chars: Vec<char> = orig.chars().collect();
        // byte offsets of the original characters (norm and original usually have the same
        // number of characters; when they do not, offsets fall back to the token's span)
        let same_len = norm_chars.len() == orig_chars.len();
        let orig_offsets: Vec<usize> = orig.char_indices().map(|(k, _)| t.start + k).collect();
        for (k, &c) in norm_chars.iter().enumerate() {
            let (cs, ce) = if same_len {
                let s = orig_offsets.get(k).copied().unwrap_or(t.start);
                let e = orig_offsets.get(k + 1).copied().unwrap_or(t.end);
                (s, e)
            } else {
                (t.start, t.end)
            };
            let prev_orig = if k > 0 && same_len {
                orig_chars.get(k - 1).copied()
            } else if k > 0 {
                norm_chars.get(k - 1).copied()
            } else {
                // the previous character is the last of the previous (touching) token
                cur.as_ref().and_then(|w| text.get(..w.end)).and_then(|s| {
                    if touching {
                        s.chars().next_back()
                    } else {
                        None
                    }
                })
            };
            let next = norm_chars.get(k + 1).copied();
            let keep = if c.is_alphanumeric() || c == '\'' || c == '$' {
                true
            } else if c == '.' {
                let digit_around = prev_orig.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                digit_around || prev_orig.is_some_and(|p| p.is_uppercase())
            } else if c == ',' {
                // a comma inside a number disappears without splitting it
                if prev_orig.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
                {
                    continue;
                }
                false
            } else {
                !c.is_ascii() && !c.is_whitespace()
            };
            if !keep {
                flush(&mut cur, &mut out);
                continue;
            }
            match cur.as_mut() {
                Some(w) => {
                    w.text.push(c);
                    w.end = ce;
                }
                None => {
                    let first_orig = if same_len {
                        orig_chars.get(k).copied()
                    } else {
                        None
                    };
                    cur = Some(LexWord {
                        text: c.to_string(),
                        kind: Kind::Word,
                        start: cs,
                        end: ce,
                        capital: first_orig.unwrap_or(c).is_uppercase(),
                    });
                }
            }
        }
    }
    flush(&mut cur, &mut out);
    // TABARI breaks a word of 64 characters or more
    let mut split = Vec::with_capacity(out.len());
    for w in out {
        if w.kind == Kind::Word && w.text.chars().count() >= 63 {
            let chars: Vec<char> = w.text.chars().collect();
            for (n, chunk) in chars.chunks(62).enumerate() {
                split.push(LexWord {
                    text: chunk.iter().collect(),
                    kind: Kind::Word,
                    start: w.start,
                    end: w.end,
                    capital: n == 0 && w.capital,
                });
            }
        } else {
            split.push(w);
        }
    }
    (split, all_caps)
}

fn flush(cur: &mut Option<LexWord>, out: &mut Vec<LexWord>) {
    if let Some(w) = cur.take() {
        if !w.text.is_empty() {
            out.push(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        words(s).0.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn tabari_words() {
        assert_eq!(
            texts("Libya's anti- Gondor, (U.S.) \"x\" Barad-dur didn't 12-year 50,000 Dol_Amroth."),
            vec![
                "libya's", "anti", "gondor", ",", ",", "u.s.", ",", "\"", "x", "\"", "barad",
                "dur", "didn't", "12", "year", "50000", "dol", "amroth"
            ]
        );
        let (w, caps) = words("ARNOR SAID IT.");
        assert!(caps);
        assert_eq!(w.len(), 3);
        let (w, caps) = words("Arnor is about To Restore");
        assert!(!caps);
        assert!(w[0].capital && !w[1].capital && w[3].capital);
        assert_eq!((w[4].start, w[4].end), (18, 25));
    }
}
