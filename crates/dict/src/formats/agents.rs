//! Agent dictionaries: TABARI `.agents` (`Validate.agents`) and PETRARCH agent files
//! (`Phoenix.agents.txt`, `PLOVER_agents.txt`, `PETR.Validate.agents.txt`).
//!
//! ```text
//! !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON     substitution set
//! PRESIDENT [~GOVPRS]                          agent code appended after the actor code
//! HUMAN_RIGHTS_BODY [NGO~]                     agent code put before the actor code
//! THIEF {THIEVES} [~CRM]                       irregular plural
//! POLICE {} [~COP]                             no plural
//! CONGRESS!PERSON! [~LEG]                      expanded once per value of !PERSON!
//! ```
//!
//! Entries without a code are reported and skipped (as PETRARCH does). A code closed by `}`
//! instead of `]` (`[~ENV}`) is accepted and reported.

use std::collections::HashSet;

use super::lex::{show, split_comment, Diags, Line, Lines};
use super::Diagnostic;

/// A parsed agent file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentFile {
    pub substitutions: Vec<Substitution>,
    pub entries: Vec<AgentEntry>,
}

/// `!NAME! = A, B, C`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// Without the `!`s, as written (`PERSON`).
    pub name: String,
    /// The values, trimmed, as written.
    pub values: Vec<String>,
    pub line: usize,
}

/// One agent phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentEntry {
    /// As written, trimmed: `PRESIDENT_`, `CHIEF EXECUTIVE`, `CONGRESS!PERSON!`.
    pub phrase: String,
    pub plural: Plural,
    pub code: AgentCode,
    pub line: usize,
}

/// The plural of an agent phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plural {
    /// No `{...}`: the regular plural is generated (+S, Y->IES, SS->ES).
    Regular,
    /// `{}`: no plural form.
    None,
    /// `{THIEVES}`: this irregular plural (the braces' content, trimmed, as written).
    Irregular(String),
}

/// An agent code: `[~GOV]` or `[NGO~]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgentCode {
    /// The code without `~`, as written: `GOVPRS`.
    pub code: String,
    pub position: AgentPosition,
}

/// Where the agent code goes relative to the actor code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentPosition {
    /// `[~CODE]`: after the actor code (ISR + ~GOV -> ISRGOV).
    Suffix,
    /// `[CODE~]`: before the actor code.
    Prefix,
}

impl AgentFile {
    /// The phrases an entry stands for once its `!NAME!` markers are replaced by each value of
    /// their substitution set (every combination when there are several markers). An entry
    /// without markers gives its phrase; a marker with no set gives nothing.
    pub fn expand(&self, entry: &AgentEntry) -> Vec<String> {
        let mut out = Vec::new();
        self.expand_into(&entry.phrase, 0, &mut out);
        out
    }

    fn expand_into(&self, phrase: &str, depth: usize, out: &mut Vec<String>) {
        let Some((pre, name, post)) = first_marker(phrase) else {
            out.push(phrase.to_string());
            return;
        };
        if depth > 4 {
            return;
        }
        if let Some(set) = self.substitutions.iter().rev().find(|s| s.name == name) {
            for v in &set.values {
                self.expand_into(&format!("{pre}{v}{post}"), depth + 1, out);
            }
        }
    }
}

/// Splits `a!NAME!b` into (`a`, `NAME`, `b`).
fn first_marker(s: &str) -> Option<(&str, &str, &str)> {
    let i = s.find('!')?;
    let j = s[i + 1..].find('!')? + i + 1;
    Some((&s[..i], &s[i + 1..j], &s[j + 1..]))
}

/// Parses an agent file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (AgentFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, true);
    let mut af = AgentFile::default();

    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        if super::lex::is_end_mark(raw) {
            break;
        }
        let (content, _) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        if c.starts_with('!') && c.contains('=') && !c.contains('[') {
            match substitution(c, no) {
                Ok(s) => af.substitutions.push(s),
                Err(e) => d.push(no, format!("{e}; skipped")),
            }
            continue;
        }
        match entry(c, no, &mut d) {
            Ok(e) => af.entries.push(e),
            Err(e) => d.push(no, format!("{e}; skipped: `{}`", show(c))),
        }
    }
    lines.finish(&mut d);

    let names: HashSet<&str> = af.substitutions.iter().map(|s| s.name.as_str()).collect();
    for e in &af.entries {
        let mut rest = e.phrase.as_str();
        while let Some((_, name, post)) = first_marker(rest) {
            if !names.contains(name) {
                d.push(e.line, format!("undefined substitution marker `!{name}!`"));
            }
            rest = post;
        }
        if rest.contains('!') {
            d.push(e.line, "unpaired `!` in agent phrase");
        }
    }
    (af, d.finish())
}

fn substitution(c: &str, no: usize) -> Result<Substitution, String> {
    let (lhs, rhs) = c.split_once('=').ok_or("substitution without `=`")?;
    let lhs = lhs.trim();
    let name = lhs
        .strip_prefix('!')
        .and_then(|r| r.strip_suffix('!'))
        .filter(|n| !n.is_empty() && !n.contains('!'))
        .ok_or_else(|| format!("malformed substitution marker `{lhs}`"))?;
    let values: Vec<String> = rhs
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect();
    if values.is_empty() {
        return Err(format!("substitution `{lhs}` without values"));
    }
    Ok(Substitution {
        name: name.to_string(),
        values,
        line: no,
    })
}

fn entry(c: &str, no: usize, d: &mut Diags) -> Result<AgentEntry, String> {
    let open = c.find('[').ok_or("agent without a code")?;
    let after_open = &c[open + 1..];
    let (inner, tail) = match after_open.find(']') {
        Some(k) => (&after_open[..k], &after_open[k + 1..]),
        None => match after_open.find('}') {
            Some(k) => {
                d.push(
                    no,
                    format!(
                        "code closed by `}}`: `[{}}}`; read as `[{}]`",
                        &after_open[..k],
                        &after_open[..k]
                    ),
                );
                (&after_open[..k], &after_open[k + 1..])
            }
            None => return Err("`[` without `]`".to_string()),
        },
    };
    let tail = tail.trim();
    if !tail.is_empty() {
        d.push(no, format!("`{tail}` after the code ignored"));
    }
    let code = agent_code(inner.trim(), no, d)?;
    let head = &c[..open];
    let (phrase, plural) = match head.find('{') {
        None => (head.trim(), Plural::Regular),
        Some(b) => {
            let Some(k) = head[b + 1..].find('}') else {
                return Err("`{` without `}`".to_string());
            };
            let inside = head[b + 1..b + 1 + k].trim();
            let after = head[b + 2 + k..].trim();
            if !after.is_empty() {
                d.push(no, format!("`{after}` after the plural ignored"));
            }
            let plural = if inside.is_empty() {
                Plural::None
            } else {
                Plural::Irregular(inside.to_string())
            };
            (head[..b].trim(), plural)
        }
    };
    if phrase.is_empty() {
        return Err("agent code without a phrase".to_string());
    }
    if phrase.contains(['[', ']', '}']) {
        return Err("stray bracket in agent phrase".to_string());
    }
    Ok(AgentEntry {
        phrase: phrase.to_string(),
        plural,
        code,
        line: no,
    })
}

fn agent_code(t: &str, no: usize, d: &mut Diags) -> Result<AgentCode, String> {
    let (code, position) = if let Some(r) = t.strip_prefix('~') {
        (r.trim(), AgentPosition::Suffix)
    } else if let Some(r) = t.strip_suffix('~') {
        (r.trim(), AgentPosition::Prefix)
    } else {
        d.push(
            no,
            format!("agent code `[{t}]` without `~`; read as `[~{t}]`"),
        );
        (t, AgentPosition::Suffix)
    };
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("malformed agent code `[{t}]`"));
    }
    Ok(AgentCode {
        code: code.to_string(),
        position,
    })
}
