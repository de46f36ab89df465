//! Abbreviations that keep their period, shared by the tokenizer and the sentence splitter.

/// How an abbreviation behaves before a possible sentence boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Abbrev {
    /// Titles and ranks that precede a name: `Gen.`, `Lt.`, `Mr.`, `Dr.`, `St.` ...
    /// Never end a sentence.
    Title,
    /// Month abbreviations and `No.`/`Nos.`: no sentence boundary before a number
    /// (`Jan. 4`, `No. 10`).
    BeforeNumber,
    /// Abbreviations that often end a sentence: `Inc.`, `Corp.`, `Co.`, `Ltd.`, `Jr.`,
    /// `vs.`, `etc.` and the dotted forms and initials handled by [`classify_word`].
    Ambiguous,
}

/// Longest entry in [`lookup`], in bytes.
const MAX_LEN: usize = 6;

/// Look up a word (without its period), ASCII case-insensitively.
pub(crate) fn lookup(word: &str) -> Option<Abbrev> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_LEN {
        return None;
    }
    let mut buf = [0u8; MAX_LEN];
    for (dst, &b) in buf.iter_mut().zip(bytes) {
        *dst = b.to_ascii_lowercase();
    }
    let lower = buf.get(..bytes.len())?;
    Some(match lower {
        b"mr" | b"mrs" | b"ms" | b"messrs" | b"dr" | b"prof" | b"gen" | b"gens" | b"lt"
        | b"col" | b"maj" | b"sgt" | b"capt" | b"cpt" | b"adm" | b"cmdr" | b"cdr" | b"brig"
        | b"cpl" | b"pvt" | b"gov" | b"sen" | b"sens" | b"rep" | b"reps" | b"rev" | b"hon"
        | b"pres" | b"amb" | b"supt" | b"insp" | b"det" | b"st" | b"mt" | b"ft" => Abbrev::Title,
        b"jan" | b"feb" | b"mar" | b"apr" | b"jun" | b"jul" | b"aug" | b"sep" | b"sept"
        | b"oct" | b"nov" | b"dec" | b"no" | b"nos" => Abbrev::BeforeNumber,
        b"inc" | b"corp" | b"co" | b"ltd" | b"bros" | b"jr" | b"sr" | b"vs" | b"etc"
        | b"approx" | b"dept" | b"univ" | b"assn" => Abbrev::Ambiguous,
        _ => return None,
    })
}

/// `No`/`Nos` in any case: only an abbreviation before a number (else it's the word "no").
pub(crate) fn is_number_prefix(word: &str) -> bool {
    word.eq_ignore_ascii_case("no") || word.eq_ignore_ascii_case("nos")
}

/// Classify the word that precedes a period (`word` excludes that period):
/// dotted abbreviations (`U.S`, `a.m`, `J.R.R`, `Ph.D`) and single capital initials (`W`)
/// are [`Abbrev::Ambiguous`]; otherwise the table in [`lookup`] decides.
pub(crate) fn classify_word(word: &str) -> Option<Abbrev> {
    if word.contains('.') {
        return is_dotted(word).then_some(Abbrev::Ambiguous);
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return Some(Abbrev::Ambiguous);
        }
    }
    lookup(word)
}

/// `U.S`, `a.m`, `J.R.R`, `Ph.D`: letters in short (1-3) segments separated by single periods.
pub(crate) fn is_dotted(word: &str) -> bool {
    let mut seg = 0usize;
    let mut segments = 0usize;
    for c in word.chars() {
        if c == '.' {
            if seg == 0 {
                return false;
            }
            segments += 1;
            seg = 0;
        } else if c.is_alphabetic() {
            seg += 1;
            if seg > 3 {
                return false;
            }
        } else {
            return false;
        }
    }
    seg > 0 && segments >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(lookup("Gen"), Some(Abbrev::Title));
        assert_eq!(lookup("LT"), Some(Abbrev::Title));
        assert_eq!(lookup("Sept"), Some(Abbrev::BeforeNumber));
        assert_eq!(lookup("Inc"), Some(Abbrev::Ambiguous));
        assert_eq!(lookup("said"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("ministers"), None);
        assert_eq!(lookup("é"), None);
    }

    #[test]
    fn words() {
        assert_eq!(classify_word("U.S"), Some(Abbrev::Ambiguous));
        assert_eq!(classify_word("a.m"), Some(Abbrev::Ambiguous));
        assert_eq!(classify_word("J.R.R"), Some(Abbrev::Ambiguous));
        assert_eq!(classify_word("W"), Some(Abbrev::Ambiguous));
        assert_eq!(classify_word("w"), None);
        assert_eq!(classify_word("2.5"), None);
        assert_eq!(classify_word("Col"), Some(Abbrev::Title));
        assert_eq!(classify_word("example.com"), None);
    }
}
