//! Line-level helpers shared by the parsers: line splitting, comments, brackets, diagnostics.

use super::Diagnostic;

/// Collects diagnostics for one file.
pub(crate) struct Diags {
    file: String,
    list: Vec<Diagnostic>,
}

impl Diags {
    pub(crate) fn new(file: &str) -> Self {
        Diags {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, line: usize, message: impl Into<String>) {
        self.list.push(Diagnostic {
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        self.list
    }
}

/// One physical line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// 1-based.
    pub no: usize,
    /// The line without its end (`\n`, `\r\n`) and, when the reader strips them, without XML
    /// comments.
    pub text: &'a str,
}

/// Iterates over the lines of a file, reporting invalid UTF-8 replacements and control
/// characters, and (optionally) skipping PETRARCH XML comments `<!-- ... -->`.
pub(crate) struct Lines<'a> {
    rest: &'a str,
    no: usize,
    done: bool,
    /// Whether the text contains anything worth checking per line (U+FFFD, control chars).
    suspicious: bool,
    xml: bool,
    in_xml: Option<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str, xml_comments: bool) -> Self {
        let suspicious = text.contains('\u{FFFD}')
            || text
                .bytes()
                .any(|b| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r');
        Lines {
            rest: text,
            no: 0,
            done: text.is_empty(),
            suspicious,
            xml: xml_comments,
            in_xml: None,
        }
    }

    fn next_physical(&mut self) -> Option<(usize, &'a str)> {
        if self.done {
            return None;
        }
        self.no += 1;
        let line = match self.rest.find('\n') {
            Some(i) => {
                let l = &self.rest[..i];
                self.rest = &self.rest[i + 1..];
                if self.rest.is_empty() {
                    self.done = true;
                }
                l
            }
            None => {
                self.done = true;
                self.rest
            }
        };
        Some((self.no, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// The next line, or `None` at the end of the text.
    pub(crate) fn next_line(&mut self, diags: &mut Diags) -> Option<Line<'a>> {
        loop {
            let (no, line) = self.next_physical()?;
            if self.suspicious {
                check_chars(no, line, diags);
            }
            if !self.xml {
                return Some(Line { no, text: line });
            }
            if self.in_xml.is_some() {
                if line.contains("-->") {
                    self.in_xml = None;
                }
                continue;
            }
            let trimmed = line.trim_start();
            if trimmed.starts_with("<!") {
                if !trimmed.contains("-->") {
                    self.in_xml = Some(no);
                }
                continue;
            }
            if let Some(i) = line.find("<!--") {
                if !line[i..].contains("-->") {
                    self.in_xml = Some(no);
                }
                return Some(Line {
                    no,
                    text: &line[..i],
                });
            }
            return Some(Line { no, text: line });
        }
    }

    /// Reports an XML comment left open at the end of the file.
    pub(crate) fn finish(&self, diags: &mut Diags) {
        if let Some(start) = self.in_xml {
            diags.push(start, "`<!--` comment is never closed by `-->`");
        }
    }
}

fn check_chars(no: usize, line: &str, diags: &mut Diags) {
    if line.contains('\u{FFFD}') {
        diags.push(
            no,
            "U+FFFD in line (invalid or damaged encoding); line read as is",
        );
    }
    if let Some(c) = line.chars().find(|&c| c < ' ' && c != '\t') {
        diags.push(
            no,
            format!(
                "control character U+{:04X} in line; line read as is",
                c as u32
            ),
        );
    }
}

/// Splits `s` at the first `#` or `;` that is not inside `[...]`.
/// Returns the content and the comment text (after the marker, trimmed).
pub(crate) fn split_comment(s: &str) -> (&str, Option<&str>) {
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'#' | b';' if depth == 0 => return (&s[..i], Some(s[i + 1..].trim())),
            _ => {}
        }
    }
    (s, None)
}

/// The comment as an owned string, `None` when absent or empty.
pub(crate) fn comment_string(c: Option<&str>) -> Option<String> {
    c.filter(|c| !c.is_empty()).map(str::to_string)
}

/// The last `[...]` group of `s`.
pub(crate) enum Bracket<'a> {
    /// No `[` at all.
    None,
    /// `before [inner] after`.
    Found {
        before: &'a str,
        inner: &'a str,
        after: &'a str,
    },
    /// A `[` without a `]` after it.
    Unclosed,
}

pub(crate) fn last_bracket(s: &str) -> Bracket<'_> {
    let Some(open) = s.rfind('[') else {
        return Bracket::None;
    };
    match s[open + 1..].find(']') {
        Some(rel) => {
            let close = open + 1 + rel;
            Bracket::Found {
                before: &s[..open],
                inner: &s[open + 1..close],
                after: &s[close + 1..],
            }
        }
        None => Bracket::Unclosed,
    }
}

/// Every `[...]` group of `s`, in order, with the text found between and around them.
pub(crate) struct Groups<'a> {
    /// Text before the first `[` (the phrase of an entry line).
    pub head: &'a str,
    pub groups: Vec<&'a str>,
    /// Non-blank text found after or between groups.
    pub junk: Vec<&'a str>,
    /// Whether a `[` was left unclosed.
    pub unclosed: bool,
}

pub(crate) fn bracket_groups(s: &str) -> Groups<'_> {
    let (head, mut rest) = match s.find('[') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut groups = Vec::new();
    let mut junk = Vec::new();
    let mut unclosed = false;
    while !rest.is_empty() {
        // `rest` starts with `[`
        match rest.find(']') {
            Some(close) => {
                groups.push(&rest[1..close]);
                let tail = &rest[close + 1..];
                match tail.find('[') {
                    Some(next) => {
                        if !tail[..next].trim().is_empty() {
                            junk.push(tail[..next].trim());
                        }
                        rest = &tail[next..];
                    }
                    None => {
                        if !tail.trim().is_empty() {
                            junk.push(tail.trim());
                        }
                        rest = "";
                    }
                }
            }
            None => {
                unclosed = true;
                rest = "";
            }
        }
    }
    Groups {
        head,
        groups,
        junk,
        unclosed,
    }
}

/// Whether `s` starts a TABARI end-of-file mark (`~FINISH`, `~~FINISH`) or PETRARCH's
/// `---STOP---`.
pub(crate) fn is_end_mark(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("---STOP---") {
        return true;
    }
    let t = t.trim_start_matches('~');
    t.len() < s.trim_start().len() && t.starts_with("FINISH")
}

/// Lower-cases ASCII cheaply, anything else correctly.
pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Abbreviates a line for a message.
pub(crate) fn show(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_brackets_only() {
        assert_eq!(split_comment("ABC [###] ; x"), ("ABC [###] ", Some("x")));
        assert_eq!(split_comment("#x"), ("", Some("x")));
        assert_eq!(split_comment("A ]] [B] # c"), ("A ]] [B] ", Some("c")));
    }

    #[test]
    fn lines_and_xml() {
        let mut d = Diags::new("f");
        let mut l = Lines::new("a\r\n<!-- x\ny -->\nb <!-- c -->\n<! -- d -->\ne", true);
        let mut got = Vec::new();
        while let Some(line) = l.next_line(&mut d) {
            got.push((line.no, line.text));
        }
        assert_eq!(got, vec![(1, "a"), (4, "b "), (6, "e")]);
        assert!(d.finish().is_empty());
    }

    #[test]
    fn groups() {
        let g = bracket_groups("X  [A 1-2] [B] junk [C");
        assert_eq!(g.head, "X  ");
        assert_eq!(g.groups, vec!["A 1-2", "B"]);
        assert_eq!(g.junk, vec!["junk"]);
        assert!(g.unclosed);
    }

    #[test]
    fn end_marks() {
        assert!(is_end_mark("~~FINISH 16:10"));
        assert!(is_end_mark("~FINISH"));
        assert!(is_end_mark("---STOP---"));
        assert!(!is_end_mark("FINISH"));
        assert!(!is_end_mark("~ a (b) X = a b 1"));
    }
}
