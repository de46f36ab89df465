//! TABARI `.project` files (`Validate.project`, `TABARI.Demo.project`).
//!
//! ```text
//! Validation file for TABARI, 31 March 2000        description (first line)
//! <actorsfile>  TABARI.Demo.actors                 a file of the project
//! <verbsfile>   TABARI.Demo.verbs
//! <coder> VALDT
//! <session 1> <coder ***> <date Fri 31 Mar 2000> <start 21:33> ...   session log
//! ```

use super::lex::{show, Diags, Line, Lines};
use super::Diagnostic;

/// A parsed project file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFile {
    /// The first line when it is not a tag.
    pub description: Option<String>,
    /// `<kind> path` lines other than `<coder>`, in file order.
    pub files: Vec<ProjectEntry>,
    /// `<coder> NAME`.
    pub coder: Option<String>,
    pub sessions: Vec<Session>,
}

/// `<actorsfile> TABARI.Demo.actors`: `kind` is the tag name lower-cased without `<>`
/// (`actorsfile`, `verbsfile`, `optionsfile`, `agentsfile`, `textfile`, `eventfile`,
/// `errorfile`, `problemfile`, …), `path` as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectEntry {
    pub kind: String,
    pub path: String,
    pub line: usize,
}

/// A session-log line: `<session 7> <coder pas> <date ...> ...` as (key, value) pairs
/// (keys lower-cased, values as written; the first pair is `("session", "7")`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub fields: Vec<(String, String)>,
    pub line: usize,
}

impl ProjectFile {
    /// Paths of the given kind (`"actorsfile"`, …), in file order.
    pub fn paths<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .iter()
            .filter(move |e| e.kind == kind)
            .map(|e| e.path.as_str())
    }
    pub fn actors(&self) -> impl Iterator<Item = &str> {
        self.paths("actorsfile")
    }
    pub fn verbs(&self) -> impl Iterator<Item = &str> {
        self.paths("verbsfile")
    }
    pub fn agents(&self) -> impl Iterator<Item = &str> {
        self.paths("agentsfile")
    }
    pub fn options(&self) -> impl Iterator<Item = &str> {
        self.paths("optionsfile")
    }
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.paths("textfile")
    }
}

/// Parses a project file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (ProjectFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, false);
    let mut p = ProjectFile::default();
    let mut first = true;
    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let was_first = std::mem::replace(&mut first, false);
        if !t.starts_with('<') {
            if was_first {
                p.description = Some(t.to_string());
            } else {
                d.push(
                    no,
                    format!("line is not a `<tag>` line; skipped: `{}`", show(t)),
                );
            }
            continue;
        }
        let Some(close) = t.find('>') else {
            d.push(no, format!("`<` without `>`; skipped: `{}`", show(t)));
            continue;
        };
        let tag = t[1..close].trim();
        if tag.contains(char::is_whitespace) {
            // session log: `<key value> <key value> ...`
            let mut fields = Vec::new();
            let mut rest = t;
            let mut ok = true;
            while let Some(open) = rest.find('<') {
                let Some(end) = rest[open..].find('>') else {
                    ok = false;
                    break;
                };
                let inner = rest[open + 1..open + end].trim();
                let (k, v) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
                fields.push((k.to_ascii_lowercase(), v.trim().to_string()));
                rest = &rest[open + end + 1..];
            }
            if !ok {
                d.push(no, "`<` without `>` in session line; rest ignored");
            }
            p.sessions.push(Session { fields, line: no });
            continue;
        }
        let kind = tag.to_ascii_lowercase();
        let value = t[close + 1..].trim();
        if kind == "coder" {
            p.coder = Some(value.to_string());
            continue;
        }
        if value.is_empty() {
            d.push(no, format!("`<{tag}>` without a value; skipped"));
            continue;
        }
        p.files.push(ProjectEntry {
            kind,
            path: value.to_string(),
            line: no,
        });
    }
    (p, d.finish())
}
