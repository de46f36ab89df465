//! TABARI `.options` files (`Validate.options`, `TABARI.Demo.options`, `CAMEO.09b5.options`).
//!
//! ```text
//! // comment
//! COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN
//! SET: SKIP RECORDS = FALSE
//! SET: CODE BY SENTENCE
//! OUTPUT: ACTOR MATCH ID
//! LABEL: 010=YIELD
//! DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER
//! DEFAULT: OFF
//! FORWARD: ^^*****NNN*SSS DOC OFF
//! ~~~~~                                   end of file
//! ```
//!
//! Unknown commands are kept as [`OptionCommand::Other`]. [`parse_command`] parses one
//! command, e.g. from a validation record's `{ OPTION: SET: TIME SHIFT = FALSE }`.

use super::lex::{show, Diags, Line, Lines};
use super::Diagnostic;

/// A parsed options file: its commands in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionsFile {
    pub commands: Vec<OptionLine>,
}

impl OptionsFile {
    /// The `LABEL:` lines as (code, text).
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.commands.iter().filter_map(|c| match &c.command {
            OptionCommand::Label { code, text } => Some((code.as_str(), text.as_str())),
            _ => None,
        })
    }

    /// The value of the last `SET: name [= value]` for `name` (case-insensitive): `Some(None)`
    /// for a switch without `=`.
    pub fn set(&self, name: &str) -> Option<Option<&str>> {
        self.commands.iter().rev().find_map(|c| match &c.command {
            OptionCommand::Set { name: n, value } if n.eq_ignore_ascii_case(name) => {
                Some(value.as_deref())
            }
            _ => None,
        })
    }
}

/// One command with its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionLine {
    pub command: OptionCommand,
    pub line: usize,
}

/// An options command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionCommand {
    /// `COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN`.
    Complex(Vec<ComplexCondition>),
    /// `SET: NAME = VALUE` or `SET: NAME` (name and value trimmed, as written).
    Set { name: String, value: Option<String> },
    /// `LABEL: CODE=TEXT`.
    Label { code: String, text: String },
    /// `OUTPUT: FIELD FIELD ...`.
    Output(Vec<String>),
    /// `DEFAULT: ...`.
    Default(DefaultActors),
    /// `FORWARD: template KEYWORD ...`: the template and the words after it.
    Forward { template: String, args: Vec<String> },
    /// Any other `KEY: value` (key upper-cased, value trimmed).
    Other { key: String, value: String },
}

/// `VERBS[5]` -> name `VERBS`, argument `5`; `EXPLAIN` -> no argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplexCondition {
    pub name: String,
    pub arg: Option<String>,
}

/// `DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER` / `DEFAULT: OFF`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefaultActors {
    /// `DEFAULT: OFF`.
    pub off: bool,
    pub source: Option<DefaultActor>,
    pub target: Option<DefaultActor>,
}

/// A default actor: its code and the modifier words that follow it (`PRIOR`, `AFTER`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultActor {
    pub code: String,
    pub modifiers: Vec<String>,
}

/// Parses an options file. `file` is used in diagnostics only.
pub fn parse(text: &str, file: &str) -> (OptionsFile, Vec<Diagnostic>) {
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, false);
    let mut f = OptionsFile::default();
    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let t = raw.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if t.starts_with('~') {
            break; // `~~~~~`, `~FINISH`: end of file
        }
        match parse_command(t) {
            Ok(command) => f.commands.push(OptionLine { command, line: no }),
            Err(e) => d.push(no, format!("{e}; skipped: `{}`", show(t))),
        }
    }
    (f, d.finish())
}

/// Parses one command (`SET: CODE ALL`). A trailing `// comment` is ignored.
pub fn parse_command(s: &str) -> Result<OptionCommand, String> {
    let s = match s.find("//") {
        Some(i) => &s[..i],
        None => s,
    };
    let (key, value) = s
        .split_once(':')
        .ok_or_else(|| "expected `COMMAND: value`".to_string())?;
    let key = key.trim().to_ascii_uppercase();
    let value = value.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err("expected `COMMAND: value`".to_string());
    }
    Ok(match key.as_str() {
        "COMPLEX" => OptionCommand::Complex(
            value
                .split_whitespace()
                .map(|w| match w.split_once('[') {
                    Some((name, arg)) => ComplexCondition {
                        name: name.to_string(),
                        arg: Some(arg.trim_end_matches(']').to_string()),
                    },
                    None => ComplexCondition {
                        name: w.to_string(),
                        arg: None,
                    },
                })
                .collect(),
        ),
        "SET" => {
            if value.is_empty() {
                return Err("`SET:` without an option".to_string());
            }
            match value.split_once('=') {
                Some((n, v)) => OptionCommand::Set {
                    name: n.trim().to_string(),
                    value: Some(v.trim().to_string()),
                },
                None => OptionCommand::Set {
                    name: value.to_string(),
                    value: None,
                },
            }
        }
        "LABEL" => {
            let (code, text) = value
                .split_once('=')
                .ok_or_else(|| "`LABEL:` without `=`".to_string())?;
            let code = code.trim();
            if code.is_empty() {
                return Err("`LABEL:` without a code".to_string());
            }
            OptionCommand::Label {
                code: code.to_string(),
                text: text.trim().to_string(),
            }
        }
        "OUTPUT" => OptionCommand::Output(value.split_whitespace().map(str::to_string).collect()),
        "DEFAULT" => OptionCommand::Default(default_actors(value)?),
        "FORWARD" => {
            let mut it = value.split_whitespace();
            let template = it
                .next()
                .ok_or_else(|| "`FORWARD:` without a template".to_string())?
                .to_string();
            OptionCommand::Forward {
                template,
                args: it.map(str::to_string).collect(),
            }
        }
        _ => OptionCommand::Other {
            key,
            value: value.to_string(),
        },
    })
}

fn default_actors(value: &str) -> Result<DefaultActors, String> {
    let mut out = DefaultActors::default();
    let mut slot: Option<bool> = None; // Some(true) = source, Some(false) = target
    let mut words = value.split_whitespace();
    while let Some(w) = words.next() {
        let up = w.to_ascii_uppercase();
        match up.as_str() {
            "OFF" if slot.is_none() => out.off = true,
            "SOURCE" | "TARGET" => {
                let code = words
                    .next()
                    .and_then(|c| c.strip_prefix('['))
                    .and_then(|c| c.strip_suffix(']'))
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| format!("`{up}` without `[CODE]` in DEFAULT"))?;
                let actor = Some(DefaultActor {
                    code: code.to_string(),
                    modifiers: Vec::new(),
                });
                if up == "SOURCE" {
                    out.source = actor;
                    slot = Some(true);
                } else {
                    out.target = actor;
                    slot = Some(false);
                }
            }
            _ => {
                let actor = match slot {
                    Some(true) => out.source.as_mut(),
                    Some(false) => out.target.as_mut(),
                    None => None,
                };
                match actor {
                    Some(a) => a.modifiers.push(w.to_string()),
                    None => return Err(format!("unexpected `{w}` in DEFAULT")),
                }
            }
        }
    }
    if !out.off && out.source.is_none() && out.target.is_none() {
        return Err("empty DEFAULT".to_string());
    }
    Ok(out)
}
