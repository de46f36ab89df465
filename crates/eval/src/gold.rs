//! Our own gold coding cases, `testdata/coding/*.toml`, with the semantics of the coder's
//! `tests/gold.rs`: every expected event must be coded (CAMEO code or prefix, actor code
//! prefixes, `"-"` = no actor); when `exact` is set or no event is expected, every coded event
//! must be expected or have an `allow`ed code prefix.

use std::collections::BTreeMap;
use std::path::Path;

use dyad_model::{Article, Event, EventActor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::metrics::{num, show_opt, Ratio};
use crate::table::Table;
use crate::{read_text, EvalError, Skips};

/// One expected event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Expected {
    /// CAMEO code, or a prefix of it.
    pub code: String,
    /// Actor code prefix; absent or `""` = not checked, `"-"` = no actor.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
}

/// One case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct GoldCase {
    #[serde(skip)]
    pub file: String,
    pub name: String,
    pub text: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub exact: bool,
    #[serde(default)]
    pub events: Vec<Expected>,
    #[serde(default)]
    pub allow: Vec<String>,
}

impl GoldCase {
    /// The CAMEO roots the case is about (`none` for cases that expect no event).
    pub fn roots(&self) -> Vec<String> {
        let mut roots: Vec<String> = self
            .events
            .iter()
            .map(|e| e.code.get(..2).unwrap_or(&e.code).to_string())
            .collect();
        roots.sort();
        roots.dedup();
        if roots.is_empty() {
            roots.push("none".into());
        }
        roots
    }

    /// What is wrong with the coded events; empty when the case passes.
    pub fn problems(&self, got: &[Event]) -> Vec<String> {
        let mut problems = Vec::new();
        for w in &self.events {
            if !got.iter().any(|e| matches(w, e)) {
                problems.push(format!(
                    "missing {} {} -> {}",
                    w.code,
                    w.source.as_deref().unwrap_or("*"),
                    w.target.as_deref().unwrap_or("*")
                ));
            }
        }
        if self.exact || self.events.is_empty() {
            for e in got {
                let allowed = self
                    .allow
                    .iter()
                    .any(|a| e.cameo.code.starts_with(a.as_str()));
                if !allowed && !self.events.iter().any(|w| matches(w, e)) {
                    problems.push(format!(
                        "unexpected {} {} -> {}",
                        e.cameo.code,
                        e.source.as_ref().map_or("-", |a| a.code.as_str()),
                        e.target.as_ref().map_or("-", |a| a.code.as_str())
                    ));
                }
            }
        }
        problems
    }
}

fn actor_ok(want: &Option<String>, got: &Option<EventActor>) -> bool {
    match (want.as_deref(), got) {
        (None | Some(""), _) => true,
        (Some("-"), None) => true,
        (Some("-"), Some(_)) => false,
        (Some(w), Some(a)) => a.code.starts_with(w),
        (Some(_), None) => false,
    }
}

fn matches(want: &Expected, e: &Event) -> bool {
    e.cameo.code.starts_with(&want.code)
        && actor_ok(&want.source, &e.source)
        && actor_ok(&want.target, &e.target)
}

/// Every case of a folder.
#[derive(Clone, Debug, Default)]
pub struct GoldSet {
    pub cases: Vec<GoldCase>,
    pub skips: Skips,
}

impl GoldSet {
    /// Read every `*.toml` of `dir`, in name order.
    pub fn load(dir: &Path) -> Result<Self, EvalError> {
        if !dir.is_dir() {
            return Err(EvalError::Missing(dir.to_path_buf()));
        }
        let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(EvalError::Missing(dir.join("*.toml")));
        }
        let mut set = GoldSet::default();
        for p in paths {
            let name = p
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into());
            set.add_file(&name, &read_text(&p)?);
        }
        Ok(set)
    }

    /// Add the cases of one file; a case that does not read is skipped and counted.
    pub fn add_file(&mut self, file: &str, text: &str) {
        let doc: toml::Table = match toml::from_str(text) {
            Ok(d) => d,
            Err(_) => {
                self.skips.add("file is not valid TOML");
                return;
            }
        };
        let Some(toml::Value::Array(cases)) = doc.get("case") else {
            self.skips.add("file without [[case]]");
            return;
        };
        for c in cases {
            match GoldCase::deserialize(c.clone()) {
                Ok(mut case) => {
                    case.file = file.to_string();
                    self.cases.push(case);
                }
                Err(_) => self.skips.add("case without name/text or with odd fields"),
            }
        }
    }

    pub fn articles(&self) -> Vec<Article> {
        self.cases
            .iter()
            .map(|c| Article {
                id: c.name.clone(),
                text: c.text.clone(),
                date: c.date.clone(),
                ..Default::default()
            })
            .collect()
    }

    pub fn score(&self, coded: &[Option<Vec<Event>>]) -> GoldReport {
        let mut r = GoldReport {
            skips: self.skips.clone(),
            ..Default::default()
        };
        for (i, case) in self.cases.iter().enumerate() {
            let Some(Some(events)) = coded.get(i) else {
                r.skips.add("coder failed");
                continue;
            };
            let problems = case.problems(events);
            let ok = problems.is_empty();
            r.overall.add(ok);
            for root in case.roots() {
                r.per_root.entry(root).or_default().add(ok);
            }
            if !ok {
                r.failures.push(format!(
                    "{}: {}: {}",
                    case.file,
                    case.name,
                    problems.join("; ")
                ));
            }
        }
        r
    }
}

/// Failing cases listed in the readable report (the JSON lists them all).
const SHOWN_FAILURES: usize = 25;

/// Pass rates.
#[derive(Clone, Debug, Default)]
pub struct GoldReport {
    pub overall: Ratio,
    pub per_root: BTreeMap<String, Ratio>,
    pub skips: Skips,
    /// `file: case: problems` for every failing case.
    pub failures: Vec<String>,
}

impl GoldReport {
    /// One JSON object: `{"set":"gold","cases":…,"passed":…,"pass_rate":…,"per_root":{…}}`.
    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("set".into(), "gold".into());
        m.insert("cases".into(), self.overall.scored.into());
        m.insert("passed".into(), self.overall.correct.into());
        m.insert("pass_rate".into(), num(self.overall.value()));
        m.insert("skipped".into(), self.skips.total().into());
        m.insert("skipped_reasons".into(), self.skips.json());
        let roots: Map<String, Value> = self
            .per_root
            .iter()
            .map(|(k, r)| {
                let mut o = Map::new();
                o.insert("cases".into(), r.scored.into());
                o.insert("passed".into(), r.correct.into());
                o.insert("pass_rate".into(), num(r.value()));
                (k.clone(), Value::from(o))
            })
            .collect();
        m.insert("per_root".into(), roots.into());
        m.insert(
            "failures".into(),
            self.failures
                .iter()
                .map(|f| Value::from(f.as_str()))
                .collect(),
        );
        m.into()
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "== gold cases (testdata/coding): passed {} of {} ({}) ==\n",
            self.overall.correct,
            self.overall.scored,
            show_opt(self.overall.value())
        );
        let skips = self.skips.line();
        if !skips.is_empty() {
            out.push_str(&skips);
            out.push('\n');
        }
        let mut t = Table::new(&["CAMEO root", "cases", "passed", "pass rate"]);
        for (root, r) in &self.per_root {
            t.row(vec![
                root.clone(),
                r.scored.to_string(),
                r.correct.to_string(),
                show_opt(r.value()),
            ]);
        }
        out.push_str(&t.render());
        for f in self.failures.iter().take(SHOWN_FAILURES) {
            out.push_str(&format!("FAIL {f}\n"));
        }
        if self.failures.len() > SHOWN_FAILURES {
            out.push_str(&format!(
                "… and {} more failures (--json lists them all)\n",
                self.failures.len() - SHOWN_FAILURES
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{actor, event};

    const CASES: &str = r#"
[[case]]
name = "attack"
text = "Israeli troops attacked Hamas fighters."
events = [{ code = "19", source = "ISRMIL", target = "PSE" }]

[[case]]
name = "nothing"
text = "Will China invade Taiwan?"
exact = true

[[case]]
name = "denial"
text = "Iran denied sending weapons."
exact = true
allow = ["01"]

[[case]]
name = "odd"
events = []
"#;

    #[test]
    fn parses_and_scores() {
        let mut set = GoldSet::default();
        set.add_file("a.toml", CASES);
        set.add_file("b.toml", "not = [toml");
        assert_eq!(set.cases.len(), 3);
        assert_eq!(set.skips.total(), 2);
        assert_eq!(set.cases[0].roots(), ["19"]);
        assert_eq!(set.cases[1].roots(), ["none"]);
        assert_eq!(
            set.articles()[0].text,
            "Israeli troops attacked Hamas fighters."
        );

        let coded = vec![
            Some(vec![event(
                "190",
                Some(actor("ISRMIL", "troops")),
                Some(actor("PSEREB", "Hamas")),
            )]),
            Some(vec![event("138", None, None)]),
            Some(vec![event("016", None, None)]),
        ];
        let r = set.score(&coded);
        assert_eq!(
            r.overall,
            Ratio {
                correct: 2,
                scored: 3
            }
        );
        assert_eq!(
            r.per_root["19"],
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(
            r.per_root["none"],
            Ratio {
                correct: 1,
                scored: 2
            }
        );
        assert_eq!(r.failures.len(), 1);
        assert!(r.failures[0].contains("unexpected 138"), "{:?}", r.failures);
        let j = r.json();
        assert_eq!(j["set"], "gold");
        assert_eq!(j["passed"], 2);
        assert!(r.table().contains("FAIL a.toml: nothing"));
    }

    #[test]
    fn actor_rules() {
        let w = Expected {
            code: "19".into(),
            source: Some("-".into()),
            target: Some("".into()),
        };
        assert!(matches(&w, &event("190", None, Some(actor("USA", "US")))));
        assert!(!matches(&w, &event("190", Some(actor("USA", "US")), None)));
        assert!(!matches(&w, &event("180", None, None)));
    }
}
