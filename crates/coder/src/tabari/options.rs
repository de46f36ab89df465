//! TABARI's run-time options: what a `.options` file (and the validation suite's
//! `{ OPTION: ... }` commands) switch.

use dyad_dict::formats::options::{OptionCommand, OptionsFile};

/// `SET: CODE BY ...`: when to stop coding verbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CodeMode {
    /// Stop coding a clause at its first non-subordinate event (TABARI's default).
    #[default]
    Clause,
    /// Stop coding the sentence at its first non-subordinate event.
    Sentence,
    /// Code every verb.
    All,
}

/// `COMPLEX:` conditions (a zero limit is off).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComplexLimits {
    pub verbs: usize,
    pub actors: usize,
    pub pronouns: usize,
    pub conj: usize,
    pub late_verb: usize,
    /// `NOACTPRIOR`: complex when no actor comes before the first verb.
    pub pre_act: bool,
    /// `NOACTAFTER`: complex when no actor comes after the first verb.
    pub post_act: bool,
    /// `NOVERB`: complex when there is no verb.
    pub no_verb: bool,
}

/// `FORWARD:` record-id template: where the story and sentence numbers are in a record's
/// header line (after the date).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForwardSpec {
    pub id_loc: usize,
    pub id_len: usize,
    pub story: Option<(usize, usize)>,
    pub sentence: Option<(usize, usize)>,
}

/// The options TABARI's coder reads. [`TabariOptions::default`] is TABARI's default state
/// (before any `.options` file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabariOptions {
    pub code_mode: CodeMode,
    /// `SET: TIME SHIFT`: apply `<TIME>` phrases. `None` means "on when the verbs file has a
    /// `<TIME>` section" (TABARI's default).
    pub time_shift: Option<bool>,
    /// `SET: YYYY`: record dates have four-digit years.
    pub four_digit_year: bool,
    /// `SET: CONVERT AGENT`: an agent with no actor becomes the actor.
    pub convert_agents: bool,
    /// `SET: MINIMUM WORDS`, as TABARI keeps it: a sentence needs more than this many words
    /// (the command's value minus one).
    pub min_lex: usize,
    /// `COMMA:` limits for comma-delimited subordinate clauses: internal, initial (`B`),
    /// terminal (`E`).
    pub min_subord: usize,
    pub max_subord: usize,
    pub min_beg_subord: usize,
    pub max_beg_subord: usize,
    pub min_end_subord: usize,
    pub max_end_subord: usize,
    pub complex: ComplexLimits,
    /// `DEFAULT: SOURCE [X] PRIOR TARGET [Y] AFTER`.
    pub default_source: Option<String>,
    pub default_target: Option<String>,
    pub default_prior: bool,
    pub default_after: bool,
    /// `FORWARD:`: the record-id template, and whether pronouns may take actors forwarded
    /// from the previous sentence of the same story.
    pub forward: Option<ForwardSpec>,
    pub use_forward: bool,
    /// Allow events whose source and target are the same actor.
    pub same_actors: bool,
    /// Ignore conjunctions as clause boundaries.
    pub ignore_conj: bool,
}

/// TABARI's `MAX_LEX`: the most words in a sentence.
pub(crate) const MAX_LEX: usize = 128;

impl Default for TabariOptions {
    fn default() -> Self {
        TabariOptions {
            code_mode: CodeMode::Clause,
            time_shift: None,
            four_digit_year: false,
            convert_agents: false,
            min_lex: 7,
            min_subord: 2,
            max_subord: 10,
            min_beg_subord: MAX_LEX,
            max_beg_subord: 0,
            min_end_subord: 2,
            max_end_subord: 10,
            complex: ComplexLimits::default(),
            default_source: None,
            default_target: None,
            default_prior: false,
            default_after: false,
            forward: None,
            use_forward: false,
            same_actors: false,
            ignore_conj: false,
        }
    }
}

impl TabariOptions {
    /// The default options changed by every command of an `.options` file, in order.
    pub fn from_file(file: &OptionsFile) -> TabariOptions {
        let mut o = TabariOptions::default();
        for c in &file.commands {
            o.apply(&c.command);
        }
        o
    }

    /// Applies one command of the options language (an `.options` line or a validation
    /// record's `{ OPTION: ... }`) given as text, e.g. `SET: CODE ALL`. Returns `false` when
    /// the command cannot be read (it is then ignored, as TABARI does).
    pub fn apply_str(&mut self, command: &str) -> bool {
        match dyad_dict::formats::options::parse_command(command.trim()) {
            Ok(c) => self.apply(&c),
            Err(_) => false,
        }
    }

    /// Applies one parsed command. Returns `false` for a command that has no effect on
    /// coding (labels, output fields, unknown commands).
    pub fn apply(&mut self, command: &OptionCommand) -> bool {
        match command {
            OptionCommand::Set { name, value } => self.set(name, value.as_deref()),
            OptionCommand::Complex(conds) => {
                let line: Vec<String> = conds
                    .iter()
                    .map(|c| match &c.arg {
                        Some(a) => format!("{}[{}]", c.name, a),
                        None => c.name.clone(),
                    })
                    .collect();
                self.complex_line(&line.join(" ").to_ascii_uppercase());
                true
            }
            OptionCommand::Default(d) => {
                if d.off {
                    self.default_source = None;
                    self.default_target = None;
                    self.default_prior = false;
                    self.default_after = false;
                }
                let has = |w: &str| {
                    d.source
                        .iter()
                        .chain(d.target.iter())
                        .flat_map(|a| a.modifiers.iter())
                        .any(|m| m.eq_ignore_ascii_case(w))
                };
                if let Some(s) = &d.source {
                    self.default_source = Some(s.code.trim().to_string());
                    if has("PRIOR") {
                        self.default_prior = true;
                    }
                }
                if let Some(t) = &d.target {
                    self.default_target = Some(t.code.trim().to_string());
                    if has("AFTER") {
                        self.default_after = true;
                    }
                }
                true
            }
            OptionCommand::Forward { template, args } => {
                self.forward_cmd(template, args);
                true
            }
            OptionCommand::Other { key, value } if key == "COMMA" => {
                self.comma(&value.to_ascii_uppercase());
                true
            }
            _ => false,
        }
    }

    fn set(&mut self, name: &str, value: Option<&str>) -> bool {
        let line = match value {
            Some(v) => format!("{name} = {v}"),
            None => name.to_string(),
        }
        .to_ascii_uppercase();
        let boolean = || -> bool {
            match line.split_once('=') {
                Some((_, v)) => {
                    for ch in v.chars() {
                        if ch == 'T' {
                            return true;
                        }
                        if ch == 'F' {
                            return false;
                        }
                    }
                    true
                }
                None => true,
            }
        };
        if line.contains("CODE") {
            self.code_mode = if line.contains("SEN") {
                CodeMode::Sentence
            } else if line.contains("ALL") {
                CodeMode::All
            } else {
                CodeMode::Clause
            };
        } else if line.contains("YYYY") {
            self.four_digit_year = boolean();
        } else if line.contains("TIME") {
            self.time_shift = Some(boolean());
        } else if line.contains("CONV") {
            self.convert_agents = boolean();
        } else if line.contains("MINIM") {
            let n = first_number_after(&line, "MINIM").unwrap_or(0);
            self.min_lex = n.saturating_sub(1);
        } else {
            return false;
        }
        true
    }

    /// TABARI's `getCOMPLEX`: every limit is reset by each command.
    fn complex_line(&mut self, line: &str) {
        let mut c = ComplexLimits::default();
        let verbs = if let Some(rest) = line.strip_prefix('V') {
            first_number_after(&format!("X{rest}"), "XERBS")
        } else {
            first_number_after(line, " VERBS")
        };
        c.verbs = verbs.unwrap_or(0);
        c.actors = first_number_after(line, "ACTORS").unwrap_or(0);
        c.pronouns = first_number_after(line, "PRONOUNS").unwrap_or(0);
        c.conj = first_number_after(line, "CONJ").unwrap_or(0);
        c.late_verb = first_number_after(line, "LATEVERB").unwrap_or(0);
        c.pre_act = line.contains("ACTPRIOR");
        c.post_act = line.contains("ACTAFTER");
        c.no_verb = line.contains("NOVERB");
        self.complex = c;
    }

    /// TABARI's `getCOMMA`: `OFF` disables the subordinate clauses; otherwise each given
    /// limit replaces the current one.
    fn comma(&mut self, line: &str) {
        if line.contains("OFF") {
            self.min_subord = MAX_LEX;
            self.max_subord = 0;
            self.min_beg_subord = MAX_LEX;
            self.max_beg_subord = 0;
            self.min_end_subord = MAX_LEX;
            self.max_end_subord = 0;
            return;
        }
        let line = format!(" {line}");
        let set = |key: &str, v: &mut usize| {
            if let Some(n) = first_number_after(&line, key) {
                *v = n;
            }
        };
        set(" MIN", &mut self.min_subord);
        set(" MAX", &mut self.max_subord);
        set("BMIN", &mut self.min_beg_subord);
        set("BMAX", &mut self.max_beg_subord);
        set("EMIN", &mut self.min_end_subord);
        set("EMAX", &mut self.max_end_subord);
    }

    /// TABARI's `getFORWARD`.
    fn forward_cmd(&mut self, template: &str, args: &[String]) {
        let mut line = template.to_string();
        for a in args {
            line.push(' ');
            line.push_str(a);
        }
        let upper = line.to_ascii_uppercase();
        self.use_forward = upper.contains('S') && !upper.contains("OFF");
        let skip = template.bytes().take_while(|&b| b == b'^').count();
        if skip >= template.len() {
            return;
        }
        let id = &template[skip..];
        let find_run = |c: u8| -> Option<(usize, usize)> {
            let b = template.as_bytes();
            let start = b.iter().position(|&x| x == c)?;
            let len = b[start..].iter().take_while(|&&x| x == c).count();
            Some((start, len))
        };
        self.forward = Some(ForwardSpec {
            id_loc: skip,
            id_len: id.len(),
            story: find_run(b'N'),
            sentence: find_run(b'S'),
        });
    }
}

/// TABARI's `getInteger`: the first number after `key` in `line`.
fn first_number_after(line: &str, key: &str) -> Option<usize> {
    let at = line.find(key)? + key.len();
    let rest = &line[at..];
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    let digits: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        let mut o = TabariOptions::default();
        assert!(o.apply_str("SET: CODE ALL"));
        assert_eq!(o.code_mode, CodeMode::All);
        assert!(o.apply_str("COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN"));
        assert_eq!(o.complex.verbs, 5);
        assert_eq!(o.complex.conj, 4);
        assert!(o.complex.pre_act);
        assert!(o.apply_str("SET: MINIMUM WORDS = 4  */"));
        assert_eq!(o.min_lex, 3);
        assert!(o.apply_str("DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER"));
        assert_eq!(o.default_source.as_deref(), Some("DEFSRC"));
        assert!(o.default_prior && o.default_after);
        assert!(o.apply_str("DEFAULT: OFF"));
        assert!(o.default_source.is_none() && !o.default_prior);
        assert!(o.apply_str("COMMA: MIN = 4 MAX = 6 EMIN = 3 EMAX = 6 BMIN = 3 BMAX = 8"));
        assert_eq!(
            (
                o.min_subord,
                o.max_subord,
                o.min_end_subord,
                o.max_beg_subord
            ),
            (4, 6, 3, 8)
        );
        assert!(o.apply_str("FORWARD: ^^*****NNN*SSS"));
        let f = o.forward.clone().unwrap();
        assert_eq!(
            (f.id_loc, f.story, f.sentence),
            (2, Some((7, 3)), Some((11, 3)))
        );
        assert!(o.use_forward);
        assert!(o.apply_str("FORWARD: ^^*****NNN*SSS OFF"));
        assert!(!o.use_forward);
    }
}
