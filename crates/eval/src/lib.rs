//! dyad's evaluation: reads labelled sets written by people outside the project, codes them with
//! a [`Coder`] and scores what comes out.
//!
//! - [`plover`]: the PLOVER gold standard records (one sentence each, PLOVER event, mode,
//!   actors with country and sector, location, dead and injured);
//! - [`muc`]: the MUC-3/4 terrorism corpus (news reports and answer-key templates);
//! - [`gold`]: our own gold coding cases in `testdata/coding/*.toml`.
//!
//! Each set is loaded into a `…Set`, which gives the [`Article`]s to code; its `score` takes the
//! events coded for each article (`None` when the coder failed on it) and returns a report with
//! a readable `table()` and a `json()` object. Coding is left to the caller so that it can run in
//! parallel; [`code_one`] codes one article and turns a coder panic into `None`.
//!
//! Parsers never panic on odd records: they skip them and count the reason ([`Skips`]).

pub mod countries;
pub mod gold;
pub mod metrics;
pub mod muc;
pub mod plover;
pub mod table;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use dyad_coder::{Coder, PhraseCoder};
use dyad_model::{Article, Event};

/// What can stop an evaluation.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or folder the set needs is not there.
    #[error("required file missing: {}", .0.display())]
    Missing(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is there but cannot be read as the set's format at all (a single odd record
    /// is skipped, not an error).
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("built-in dictionary: {0}")]
    Dictionary(#[from] dyad_dict::BuildError),
}

/// Read a whole file, telling a missing file from other I/O errors.
pub(crate) fn read_text(path: &Path) -> Result<String, EvalError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(EvalError::Missing(path.to_path_buf()))
        }
        Err(source) => Err(EvalError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Records left out of a set, counted by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skips(pub BTreeMap<String, usize>);

impl Skips {
    pub fn add(&mut self, reason: impl Into<String>) {
        *self.0.entry(reason.into()).or_default() += 1;
    }
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
    /// `{"reason": count, …}`.
    pub fn json(&self) -> serde_json::Value {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(*v)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
    /// One readable line, empty when nothing was skipped.
    pub fn line(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{v} {k}")).collect();
        format!("skipped {}: {}", self.total(), parts.join("; "))
    }
}

/// The coder every figure is measured with: the phrase coder on the built-in dictionary.
pub fn builtin_coder() -> Result<PhraseCoder, EvalError> {
    Ok(PhraseCoder::new(dyad_dict::builtin::dictionary()?))
}

/// Code one article; `None` when the coder panicked on it (counted as a skipped record).
pub fn code_one(coder: &dyn Coder, article: &Article) -> Option<Vec<Event>> {
    catch_unwind(AssertUnwindSafe(|| coder.code(article).events)).ok()
}

/// Code articles one after the other (callers that want threads map [`code_one`] themselves).
pub fn code_all(coder: &dyn Coder, articles: &[Article]) -> Vec<Option<Vec<Event>>> {
    articles.iter().map(|a| code_one(coder, a)).collect()
}

/// A report object as one line of JSON with its `set` key first, then the plain figures, then
/// the nested objects and lists (each group in name order), so that lines read and diff well
/// between commits.
pub fn json_line(v: &serde_json::Value) -> String {
    let Some(obj) = v.as_object() else {
        return v.to_string();
    };
    let mut parts = Vec::with_capacity(obj.len());
    if let Some(set) = obj.get("set") {
        parts.push(format!("\"set\":{set}"));
    }
    for nested in [false, true] {
        for (k, val) in obj.iter().filter(|(k, _)| *k != "set") {
            if (val.is_object() || val.is_array()) == nested {
                parts.push(format!("{}:{val}", serde_json::Value::from(k.as_str())));
            }
        }
    }
    format!("{{{}}}", parts.join(","))
}

/// Upper-case ASCII and collapse runs of white space, for comparing names.
pub(crate) fn norm_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_line_puts_set_first() {
        let v = serde_json::json!({"a": {"x": [1, 2]}, "set": "muc", "b": 1});
        let line = json_line(&v);
        assert_eq!(line, r#"{"set":"muc","b":1,"a":{"x":[1,2]}}"#);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn skips_count_reasons() {
        let mut s = Skips::default();
        assert_eq!(s.line(), "");
        s.add("no text");
        s.add("no text");
        s.add("odd");
        assert_eq!(s.total(), 3);
        assert_eq!(s.line(), "skipped 3: 2 no text; 1 odd");
        assert_eq!(s.json()["no text"], 2);
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Hand-built events for the unit tests.
    use dyad_model::{
        cameo, AcledInfo, CameoInfo, Event, EventActor, Evidence, Location, PloverInfo, Quantity,
        Trigger,
    };

    pub fn actor(code: &str, text: &str) -> EventActor {
        let country = code.get(..3).filter(|c| *c != "IGO").map(str::to_string);
        EventActor {
            text: text.into(),
            code: code.into(),
            country,
            sector: code.get(3..6).map(str::to_string),
            name: text.into(),
        }
    }

    /// An event with the given CAMEO code; PLOVER type and mode come from our CAMEO table.
    pub fn event(code: &str, source: Option<EventActor>, target: Option<EventActor>) -> Event {
        let c = cameo::lookup(code).expect("known CAMEO code");
        Event {
            event_id: String::new(),
            article_id: "a".into(),
            sentence: 1,
            date: None,
            date_precision: None,
            source,
            target,
            cameo: CameoInfo {
                code: code.into(),
                root: c.root().into(),
                quad_class: c.quad_class,
                goldstein: c.goldstein,
            },
            plover: PloverInfo {
                event_type: c.plover_type.map(str::to_string),
                mode: c.plover_mode.map(str::to_string),
                contexts: Vec::new(),
            },
            acled: AcledInfo::default(),
            location: None,
            fatalities: None,
            quantities: Vec::new(),
            evidence: Evidence {
                text: String::new(),
                trigger: Trigger {
                    text: String::new(),
                    start: 0,
                    end: 0,
                },
                source_span: None,
                target_span: None,
                rule: String::new(),
            },
        }
    }

    pub fn located(mut e: Event, name: &str, country: &str) -> Event {
        e.location = Some(Location {
            name: name.into(),
            country: Some(country.into()),
            admin1: None,
            lat: None,
            lon: None,
            geonames_id: None,
            precision: "city".into(),
            near: false,
        });
        e
    }

    pub fn injured(mut e: Event, n: f64) -> Event {
        e.quantities.push(Quantity {
            value: n,
            unit: "injured".into(),
            qualifier: "exact".into(),
            text: String::new(),
            country: None,
            period: None,
            attributed_to: None,
        });
        e
    }
}
