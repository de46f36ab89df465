//! Character classes and the character-level normalisation of token text.
//!
//! Everything here works on single characters or on the text of one token, so
//! it never allocates per token and is linear in the input.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::{ALL_CAPS, CAPITALIZED, NUMBER, PUNCT};

/// What a character does for the tokenizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Whitespace, control and invisible formatting characters: separate tokens, never part of one.
    Sep,
    /// Letters and digits (any script).
    Word,
    /// Combining marks, joiners, variation selectors, emoji modifiers, soft hyphen:
    /// they stay with whatever precedes them.
    Extend,
    /// `'` and `’`: an apostrophe inside a word or a clitic (`'s`, `n't`), else punctuation.
    Apos,
    /// `.`
    Period,
    /// `,`
    Comma,
    /// `-` and every Unicode dash/minus.
    Dash,
    /// Any other punctuation or symbol: a token of its own.
    Other,
}

const fn ascii_class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Class::Word,
        0..=0x20 | 0x7f => Class::Sep,
        b'\'' => Class::Apos,
        b'.' => Class::Period,
        b',' => Class::Comma,
        b'-' => Class::Dash,
        _ => Class::Other,
    }
}

const ASCII_CLASS: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = ascii_class(i as u8);
        i += 1;
    }
    table
};

/// Is `c` a Unicode dash or minus that normalises to `-`?
#[inline]
pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Whitespace (including non-breaking and other odd spaces), control characters and
/// invisible format characters (zero-width space, BOM, bidi marks, word joiner).
#[inline]
pub(crate) fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return c <= ' ' || c == '\u{7f}';
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Characters that attach to the preceding character and never start a token of their own
/// unless nothing precedes them.
#[inline]
fn is_extend(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    ) || is_combining_mark(c)
}

#[inline]
pub(crate) fn class_of(c: char) -> Class {
    let u = c as u32;
    if u < 128 {
        return ASCII_CLASS[u as usize];
    }
    class_non_ascii(c)
}

fn class_non_ascii(c: char) -> Class {
    if c == '\u{2019}' {
        Class::Apos
    } else if is_dash(c) {
        Class::Dash
    } else if is_separator(c) {
        Class::Sep
    } else if c.is_alphanumeric() {
        Class::Word
    } else if is_extend(c) {
        Class::Extend
    } else {
        Class::Other
    }
}

/// The character at byte `i` of `s` and its length, or `None` at the end (or off a char boundary).
#[inline(always)]
pub(crate) fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// The character ending at byte `i` of `s` (i.e. the one before position `i`).
#[inline]
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    let b = *s.as_bytes().get(i.checked_sub(1)?)?;
    if b < 0x80 {
        return Some(b as char);
    }
    s.get(..i)?.chars().next_back()
}

/// Append one char as UTF-8.
#[inline]
fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Append the normalised form of one (already NFC) character.
#[inline]
fn push_mapped(c: char, out: &mut Vec<u8>) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push(b'\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push(b'"'),
        '\u{2026}' => out.extend_from_slice(b"..."),
        // Soft hyphen: invisible, dropped.
        '\u{00AD}' => {}
        c if is_dash(c) => out.push(b'-'),
        // A norm never contains whitespace: `norm` uses single spaces between tokens.
        c if is_separator(c) => {}
        c => {
            for l in c.to_lowercase() {
                push_char(out, l);
            }
        }
    }
}

/// Tracks what the flags of a token need while its characters go by.
#[derive(Default)]
struct FlagState {
    seen_letter: bool,
    first_letter_upper: bool,
    upper: u32,
    lower: u32,
    alnum: bool,
    first_digit: Option<bool>,
    only_num_chars: bool,
}

impl FlagState {
    fn new() -> Self {
        FlagState {
            only_num_chars: true,
            ..FlagState::default()
        }
    }

    #[inline]
    fn observe(&mut self, c: char) {
        let digit = c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric());
        if self.first_digit.is_none() {
            self.first_digit = Some(digit);
        }
        if digit {
            self.alnum = true;
        } else if c.is_alphabetic() {
            self.alnum = true;
            self.only_num_chars = false;
            let up = c.is_uppercase();
            if !self.seen_letter {
                self.seen_letter = true;
                self.first_letter_upper = up;
            }
            if up {
                self.upper += 1;
            } else if c.is_lowercase() {
                self.lower += 1;
            }
        } else if c != '.' && c != ',' {
            self.only_num_chars = false;
        }
    }

    fn flags(&self) -> u8 {
        let mut f = 0;
        if self.first_letter_upper {
            f |= CAPITALIZED;
        }
        if self.upper >= 2 && self.lower == 0 {
            f |= ALL_CAPS;
        }
        if !self.alnum {
            f |= PUNCT;
        }
        if self.first_digit == Some(true) && self.only_num_chars {
            f |= NUMBER;
        }
        f
    }
}

/// Append the normalised form of `tok` (the original text of one token) to `out` and
/// return the token's flags (computed on the original text).
///
/// Normalisation: NFC, lower case, curly quotes to straight ones, every dash to `-`,
/// `…` to `...`, soft hyphens and any whitespace dropped. `out` holds UTF-8: only whole
/// chars are ever appended.
#[inline]
pub(crate) fn push_norm(tok: &str, out: &mut Vec<u8>) -> u8 {
    if tok.is_ascii() {
        let bytes = tok.as_bytes();
        out.extend(bytes.iter().map(u8::to_ascii_lowercase));
        ascii_flags(bytes)
    } else {
        push_norm_unicode(tok, out)
    }
}

/// Kind of an ASCII byte for [`ascii_flags`]: 0 upper, 1 lower, 2 digit, 3 `.` or `,`, 4 other.
const BYTE_KIND: [u8; 128] = {
    let mut t = [4u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            0
        } else if c.is_ascii_lowercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else if c == b'.' || c == b',' {
            3
        } else {
            4
        };
        b += 1;
    }
    t
};

/// The flags of an ASCII token.
#[inline]
fn ascii_flags(tok: &[u8]) -> u8 {
    // Register-only accumulation: which kinds occur, and how many upper-case letters.
    let mut seen = 0u8;
    let mut upper = 0u32;
    for &b in tok {
        let kind = BYTE_KIND[usize::from(b & 0x7f)];
        seen |= 1 << kind;
        upper += u32::from(kind == 0);
    }
    let has = |kind: u8| seen & (1 << kind) != 0;
    let mut f = 0;
    if tok
        .iter()
        .find(|b| b.is_ascii_alphabetic())
        .is_some_and(u8::is_ascii_uppercase)
    {
        f |= CAPITALIZED;
    }
    if upper >= 2 && !has(1) {
        f |= ALL_CAPS;
    }
    if !has(0) && !has(1) && !has(2) {
        f |= PUNCT;
    }
    if tok.first().is_some_and(u8::is_ascii_digit) && !has(0) && !has(1) && !has(4) {
        f |= NUMBER;
    }
    f
}

/// Non-ASCII tokens: NFC (skipped when already NFC), mapping, lower case.
#[inline(never)]
fn push_norm_unicode(tok: &str, out: &mut Vec<u8>) -> u8 {
    let mut st = FlagState::new();
    for c in tok.chars() {
        st.observe(c);
    }
    if is_nfc_quick(tok.chars()) == IsNormalized::Yes {
        for c in tok.chars() {
            push_mapped(c, out);
        }
    } else {
        for c in tok.chars().nfc() {
            push_mapped(c, out);
        }
    }
    st.flags()
}

/// `bytes` built only from whole chars is UTF-8; never panics even if it were not.
pub(crate) fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Character-level normalisation of a piece of text, exactly as applied to the text of
/// each token to make its norm form (NFC, lower case, quotes and dashes unified,
/// whitespace and soft hyphens dropped). It does **not** tokenise: use
/// [`normalize_phrase`](crate::normalize_phrase) for phrases.
///
/// For every token `t` of a [`Tokens`](crate::Tokens) built from `text`,
/// `normalize_chars(&text[t.start..t.end]) == tokens.norm_of(i)`.
pub fn normalize_chars(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    push_norm(s, &mut out);
    into_string(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(class_of('a'), Class::Word);
        assert_eq!(class_of('É'), Class::Word);
        assert_eq!(class_of('٣'), Class::Word);
        assert_eq!(class_of('\u{301}'), Class::Extend);
        assert_eq!(class_of('\u{a0}'), Class::Sep);
        assert_eq!(class_of('\u{200b}'), Class::Sep);
        assert_eq!(class_of('\u{2014}'), Class::Dash);
        assert_eq!(class_of('\u{2212}'), Class::Dash);
        assert_eq!(class_of('’'), Class::Apos);
        assert_eq!(class_of('“'), Class::Other);
        assert_eq!(class_of('\u{1}'), Class::Sep);
    }

    #[test]
    fn chars() {
        assert_eq!(normalize_chars("Al-Sudani’s"), "al-sudani's");
        assert_eq!(normalize_chars("“Quoted”"), "\"quoted\"");
        assert_eq!(normalize_chars("a\u{2013}b\u{2014}c\u{2212}d"), "a-b-c-d");
        assert_eq!(normalize_chars("Cafe\u{301}"), "café");
        assert_eq!(normalize_chars("ÉLYSÉE"), "élysée");
        assert_eq!(normalize_chars("…"), "...");
        assert_eq!(normalize_chars("İ"), "i\u{307}");
    }

    #[test]
    fn flags() {
        let f = |s: &str| push_norm(s, &mut Vec::new());
        assert_eq!(f("U.S."), CAPITALIZED | ALL_CAPS);
        assert_eq!(f("Iraq"), CAPITALIZED);
        assert_eq!(f("iraq"), 0);
        assert_eq!(f("A"), CAPITALIZED);
        assert_eq!(f("NATO"), CAPITALIZED | ALL_CAPS);
        assert_eq!(f("."), PUNCT);
        assert_eq!(f("“"), PUNCT);
        assert_eq!(f("1,200"), NUMBER);
        assert_eq!(f("2.5"), NUMBER);
        assert_eq!(f("1990s"), 0);
        assert_eq!(f("Ölçek"), CAPITALIZED);
    }
}
