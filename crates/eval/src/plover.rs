//! The PLOVER gold standard records (`plover_gsr/PLOVER_GSR_CAMEO.json`): a JSON array of
//! records, each one sentence (`text`) with its PLOVER `event`, optional `mode`, `source` and
//! `target` actor lists (`actorText`, `code` = ISO3 or IGO/NGO, `sector`), optional `eventLoc`
//! (`name`, sometimes `country code` in ISO2), `dead` and `injured` (strings of digits). The
//! first record is a `DOCUMENT` record that documents the file.
//!
//! Each record is coded as one article. "Our top event" is the first event with a PLOVER type;
//! a record with none counts as `NONE`.
//!
//! The records were coded in 2016 with PLOVER 0.5b1; our coder speaks the 2021 PLOVER of the
//! CAMEO→PLOVER table. Four event types were renamed or merged since, and a few modes; gold
//! labels are read through [`TYPE_ALIASES`] and [`MODE_ALIASES`] before comparison (the
//! `_strict` figures compare the raw labels).

use std::path::Path;

use dyad_model::{Article, Event, EventActor};
use serde_json::{Map, Value};

use crate::countries::{iso3_of_iso2, iso3_of_place, place_key};
use crate::metrics::{num, show_opt, Confusion, Ratio, NONE};
use crate::table::{key_values, Table};
use crate::{read_text, EvalError, Skips};

/// PLOVER 0.5b1 event types (gold) → the 2021 types our CAMEO table gives. 2021 PLOVER folds
/// the old FIGHT (conventional military force, CAMEO 19) into ASSAULT, renames DEMAND to
/// REQUEST and DISAPPROVE to ACCUSE, and makes INVESTIGATE (CAMEO 09) ACCUSE with mode
/// `investigate`. Every other type keeps its name.
pub const TYPE_ALIASES: &[(&str, &str)] = &[
    ("DEMAND", "REQUEST"),
    ("DISAPPROVE", "ACCUSE"),
    ("FIGHT", "ASSAULT"),
    ("INVESTIGATE", "ACCUSE"),
];

/// PLOVER 0.5b1 modes (gold) → 2021 modes (CAMEO→PLOVER 2021 table): organised and
/// spontaneous demonstrations are both `demo`, hunger and general strikes `hunger` and
/// `boycott`, riots `riot`, hosting a visit is `visit` (CAMEO 043), confiscating and
/// destroying property `seize` (CAMEO 171), detaining `arrest` (CAMEO 173).
pub const MODE_ALIASES: &[(&str, &str)] = &[
    ("confiscate", "seize"),
    ("demo-org", "demo"),
    ("demo-spon", "demo"),
    ("destroy", "seize"),
    ("detain", "arrest"),
    ("host", "visit"),
    ("riot-spon", "riot"),
    ("strike-gen", "boycott"),
    ("strike-hun", "hunger"),
];

/// A gold event type in 2021 PLOVER.
pub fn normalize_type(gold: &str) -> String {
    let t = gold.trim().to_ascii_uppercase();
    TYPE_ALIASES
        .iter()
        .find(|(old, _)| *old == t)
        .map_or(t, |(_, new)| new.to_string())
}

/// A gold mode in 2021 PLOVER.
pub fn normalize_mode(gold: &str) -> String {
    let m = gold.trim().to_ascii_lowercase();
    MODE_ALIASES
        .iter()
        .find(|(old, _)| *old == m)
        .map_or(m, |(_, new)| new.to_string())
}

/// One actor of a gold record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldActor {
    pub text: String,
    /// ISO3 country, or IGO/NGO/…, upper case; None when the record gives none.
    pub code: Option<String>,
    /// The primary sector: the first three letters, upper case (`CVLalb` → `CVL`); None when
    /// absent or `***`.
    pub sector: Option<String>,
}

/// Where the gold says the event happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldLocation {
    pub name: String,
    /// ISO3, from the record's ISO2 `country code` or from a name that is a country.
    pub country: Option<String>,
}

/// One usable gold record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PloverRecord {
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    /// The gold event type as written.
    pub event: String,
    pub mode: Option<String>,
    pub sources: Vec<GoldActor>,
    pub targets: Vec<GoldActor>,
    pub location: Option<GoldLocation>,
    pub dead: Option<u32>,
    pub injured: Option<u32>,
}

/// Location and casualty figures on the records where we coded an event (the incident was
/// detected), so that they measure placing and counting rather than detection.
#[derive(Clone, Debug, Default)]
pub struct Detected {
    pub location_country: Ratio,
    pub location_name: Ratio,
    pub dead: Ratio,
    pub injured: Ratio,
}

/// The parsed file.
#[derive(Clone, Debug, Default)]
pub struct PloverSet {
    pub records: Vec<PloverRecord>,
    pub skips: Skips,
}

fn str_field<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn count_field(o: &Map<String, Value>, k: &str) -> Option<u32> {
    match o.get(k)? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn actors(v: Option<&Value>) -> Vec<GoldActor> {
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(Value::as_object)
        .map(|o| GoldActor {
            text: str_field(o, "actorText").unwrap_or_default().to_string(),
            code: str_field(o, "code")
                .map(str::to_ascii_uppercase)
                .filter(|c| c.chars().all(|ch| ch.is_ascii_alphabetic())),
            sector: str_field(o, "sector")
                .and_then(|s| s.get(..3))
                .filter(|s| s.chars().all(|c| c.is_ascii_alphabetic()))
                .map(str::to_ascii_uppercase),
        })
        .collect()
}

fn location(v: Option<&Value>) -> Option<GoldLocation> {
    let o = v?.as_object()?;
    let name = str_field(o, "name")?.to_string();
    let country = str_field(o, "country code")
        .and_then(iso3_of_iso2)
        .or_else(|| iso3_of_place(&name))
        .map(str::to_string);
    Some(GoldLocation { name, country })
}

impl PloverSet {
    pub fn load(path: &Path) -> Result<Self, EvalError> {
        let text = read_text(path)?;
        Self::parse(&text).map_err(|message| EvalError::Format {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parse the JSON array; records that cannot be scored are skipped and counted.
    pub fn parse(json: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Array(items) = v else {
            return Err("not a JSON array of records".into());
        };
        let mut set = PloverSet::default();
        for (i, item) in items.iter().enumerate() {
            let Some(o) = item.as_object() else {
                set.skips.add("not a JSON object");
                continue;
            };
            let event = str_field(o, "event");
            if event == Some("DOCUMENT") {
                set.skips.add("DOCUMENT record (file documentation)");
                continue;
            }
            let Some(event) = event else {
                set.skips.add("no event type");
                continue;
            };
            let Some(text) = str_field(o, "text") else {
                set.skips.add("no text");
                continue;
            };
            set.records.push(PloverRecord {
                id: str_field(o, "id").map_or_else(|| format!("record {i}"), str::to_string),
                text: text.to_string(),
                date: str_field(o, "date").map(str::to_string),
                event: event.to_string(),
                mode: str_field(o, "mode").map(str::to_string),
                sources: actors(o.get("source")),
                targets: actors(o.get("target")),
                location: location(o.get("eventLoc")),
                dead: count_field(o, "dead"),
                injured: count_field(o, "injured"),
            });
        }
        Ok(set)
    }

    /// One article per record, in record order.
    pub fn articles(&self) -> Vec<Article> {
        self.records
            .iter()
            .map(|r| Article {
                id: r.id.clone(),
                text: r.text.clone(),
                date: r.date.clone(),
                language: Some("en".into()),
                ..Default::default()
            })
            .collect()
    }

    /// Score the events coded for each record (`coded[i]` for `records[i]`; `None` = the coder
    /// failed, which skips the record).
    pub fn score(&self, coded: &[Option<Vec<Event>>]) -> PloverReport {
        let mut r = PloverReport {
            skips: self.skips.clone(),
            ..Default::default()
        };
        for (i, rec) in self.records.iter().enumerate() {
            match coded.get(i) {
                Some(Some(events)) => r.add(rec, events),
                _ => r.skips.add("coder failed"),
            }
        }
        r
    }
}

/// The comparable country of one of our actors: its country, or the first three letters of
/// its code for actors without one (IGO, NGO, …), as the gold codes them.
fn our_country(a: &EventActor) -> Option<String> {
    a.country
        .clone()
        .or_else(|| a.code.get(..3).map(str::to_string))
        .map(|c| c.to_ascii_uppercase())
}

fn score_actor(
    country: &mut Ratio,
    sector: &mut Ratio,
    gold: &[GoldActor],
    ours: Option<&EventActor>,
) {
    let codes: Vec<&str> = gold.iter().filter_map(|a| a.code.as_deref()).collect();
    if !codes.is_empty() {
        let got = ours.and_then(our_country);
        country.add(got.is_some_and(|c| codes.contains(&c.as_str())));
    }
    let sectors: Vec<&str> = gold.iter().filter_map(|a| a.sector.as_deref()).collect();
    if !sectors.is_empty() {
        let got = ours.and_then(|a| a.sector.as_deref().map(str::to_ascii_uppercase));
        sector.add(got.is_some_and(|s| sectors.contains(&s.as_str())));
    }
}

/// The figures for the PLOVER set.
#[derive(Clone, Debug, Default)]
pub struct PloverReport {
    pub records: usize,
    pub skips: Skips,
    /// Records where we coded no event with a PLOVER type.
    pub no_event: usize,
    pub event_type: Ratio,
    pub event_type_strict: Ratio,
    pub mode: Ratio,
    pub mode_strict: Ratio,
    pub source_country: Ratio,
    pub target_country: Ratio,
    pub source_sector: Ratio,
    pub target_sector: Ratio,
    pub location_country: Ratio,
    /// The deepest level the gold gives: our place's name is the gold `eventLoc` name.
    pub location_name: Ratio,
    pub dead: Ratio,
    pub injured: Ratio,
    /// The same four on the detected incidents only: records where we coded an event.
    pub detected: Detected,
    /// Gold type (2021 names) × our top event's type.
    pub confusion: Confusion,
}

impl PloverReport {
    /// Score one record against the events coded from it.
    pub fn add(&mut self, rec: &PloverRecord, events: &[Event]) {
        self.records += 1;
        let top = events.iter().find(|e| e.plover.event_type.is_some());
        let ours = top
            .and_then(|e| e.plover.event_type.as_deref())
            .map(str::to_ascii_uppercase);
        if ours.is_none() {
            self.no_event += 1;
        }
        let gold = normalize_type(&rec.event);
        self.event_type.add(ours.as_deref() == Some(gold.as_str()));
        self.event_type_strict
            .add(ours.as_deref() == Some(rec.event.trim().to_ascii_uppercase().as_str()));
        self.confusion.add(&gold, ours.as_deref().unwrap_or(NONE));

        if let Some(m) = &rec.mode {
            let got = top
                .and_then(|e| e.plover.mode.as_deref())
                .map(str::to_ascii_lowercase);
            self.mode
                .add(got.as_deref() == Some(normalize_mode(m).as_str()));
            self.mode_strict
                .add(got.as_deref() == Some(m.trim().to_ascii_lowercase().as_str()));
        }

        score_actor(
            &mut self.source_country,
            &mut self.source_sector,
            &rec.sources,
            top.and_then(|e| e.source.as_ref()),
        );
        score_actor(
            &mut self.target_country,
            &mut self.target_sector,
            &rec.targets,
            top.and_then(|e| e.target.as_ref()),
        );

        // Location, dead and injured: from the first event that carries them (the coder may
        // put them on one event of the sentence only).
        let loc = events.iter().find_map(|e| e.location.as_ref());
        let detected = ours.is_some();
        let both = |all: &mut Ratio, det: &mut Ratio, ok: bool| {
            all.add(ok);
            if detected {
                det.add(ok);
            }
        };
        if let Some(g) = &rec.location {
            if let Some(gc) = &g.country {
                let ok = loc.and_then(|l| l.country.as_deref()) == Some(gc.as_str());
                both(
                    &mut self.location_country,
                    &mut self.detected.location_country,
                    ok,
                );
            }
            let ok = loc.is_some_and(|l| place_key(&l.name) == place_key(&g.name));
            both(
                &mut self.location_name,
                &mut self.detected.location_name,
                ok,
            );
        }
        if let Some(d) = rec.dead {
            let ok = events.iter().find_map(|e| e.fatalities) == Some(d);
            both(&mut self.dead, &mut self.detected.dead, ok);
        }
        if let Some(n) = rec.injured {
            let got = events
                .iter()
                .flat_map(|e| &e.quantities)
                .find(|q| q.unit.eq_ignore_ascii_case("injured"))
                .map(|q| q.value);
            both(
                &mut self.injured,
                &mut self.detected.injured,
                got == Some(f64::from(n)),
            );
        }
    }

    /// One JSON object: `{"set":"plover", …}`.
    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("set".into(), "plover".into());
        m.insert("records".into(), self.records.into());
        m.insert("skipped".into(), self.skips.total().into());
        m.insert("skipped_reasons".into(), self.skips.json());
        m.insert("no_event".into(), self.no_event.into());
        self.event_type.put(&mut m, "event_type");
        self.event_type_strict.put(&mut m, "event_type_strict");
        self.mode.put(&mut m, "mode");
        self.mode_strict.put(&mut m, "mode_strict");
        self.source_country.put(&mut m, "source_country");
        self.target_country.put(&mut m, "target_country");
        self.source_sector.put(&mut m, "source_sector");
        self.target_sector.put(&mut m, "target_sector");
        self.location_country.put(&mut m, "location_country");
        self.location_name.put(&mut m, "location_name");
        self.dead.put(&mut m, "dead");
        self.injured.put(&mut m, "injured");
        let d = &self.detected;
        d.location_country.put(&mut m, "detected_location_country");
        d.location_name.put(&mut m, "detected_location_name");
        d.dead.put(&mut m, "detected_dead");
        d.injured.put(&mut m, "detected_injured");
        m.insert("macro_f1".into(), num(self.confusion.macro_f1()));
        m.insert("confusion".into(), self.confusion.json());
        m.insert("per_class".into(), self.confusion.per_class_json());
        m.into()
    }

    /// The readable report: figures, confusion matrix, per-class precision/recall/F1.
    pub fn table(&self) -> String {
        let mut out = format!("== PLOVER gold records: {} scored ==\n", self.records);
        let skips = self.skips.line();
        if !skips.is_empty() {
            out.push_str(&skips);
            out.push('\n');
        }
        out.push_str(&key_values(
            "figure",
            &[
                ("event type (2021 names)", self.event_type.show()),
                (
                    "event type (raw gold labels)",
                    self.event_type_strict.show(),
                ),
                ("records with no event", self.no_event.to_string()),
                ("mode (2021 names)", self.mode.show()),
                ("mode (raw gold labels)", self.mode_strict.show()),
                ("source country", self.source_country.show()),
                ("target country", self.target_country.show()),
                ("source sector", self.source_sector.show()),
                ("target sector", self.target_sector.show()),
                ("location country", self.location_country.show()),
                ("location name (deepest level)", self.location_name.show()),
                ("dead exact", self.dead.show()),
                ("injured exact", self.injured.show()),
                (
                    "detected: location country",
                    self.detected.location_country.show(),
                ),
                (
                    "detected: location name (deepest)",
                    self.detected.location_name.show(),
                ),
                ("detected: dead exact", self.detected.dead.show()),
                ("detected: injured exact", self.detected.injured.show()),
                (
                    "macro F1 (gold classes)",
                    show_opt(self.confusion.macro_f1()),
                ),
            ],
        ));
        out.push_str("\nconfusion: rows gold type, columns our top event's type\n");
        let cols = self.confusion.our_labels();
        let abbrev: Vec<String> = cols.iter().map(|c| c.chars().take(4).collect()).collect();
        let mut header: Vec<&str> = vec!["gold \\ ours"];
        header.extend(abbrev.iter().map(String::as_str));
        header.push("total");
        let mut t = Table::new(&header);
        for g in self.confusion.gold_labels() {
            let mut row = vec![g.clone()];
            for c in &cols {
                let n = self.confusion.get(&g, c);
                row.push(if n == 0 { ".".into() } else { n.to_string() });
            }
            row.push(self.confusion.support(&g).to_string());
            t.row(row);
        }
        out.push_str(&t.render());
        out.push('\n');
        let mut t = Table::new(&["class", "support", "precision", "recall", "F1"]);
        for c in self.confusion.classes() {
            let p = self.confusion.prf(&c);
            t.row(vec![
                c.clone(),
                self.confusion.support(&c).to_string(),
                show_opt(p.precision()),
                show_opt(p.recall()),
                show_opt(p.f1()),
            ]);
        }
        out.push_str(&t.render());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{actor, event, injured, located};

    const RECORDS: &str = r#"[
      {"id": "DOC", "event": "DOCUMENT", "eventText": "docs"},
      {"id": "R1", "date": "2000-01-01", "event": "AGREE",
       "source": [{"actorText": "Hungarian", "code": "HUN", "sector": "GOV"},
                  {"actorText": "Romanian", "code": "ROU", "sector": "GOV"}],
       "target": "", "text": "Hungary and Romania agreed."},
      {"id": "R2", "event": "DEMAND", "mode": "",
       "source": [{"actorText": "UN", "code": "IGO"}],
       "target": [{"actorText": "rebels", "code": "SDN", "sector": "REBsna"}],
       "eventLoc": {"name": "Geneva", "country code": "CH"},
       "text": "The UN demanded that the rebels lay down arms in Geneva."},
      {"id": "R3", "event": "FIGHT", "mode": "heavy-weapons", "dead": "3", "injured": "2",
       "source": [{"actorText": "troops", "code": "ISR", "sector": "***"}],
       "eventLoc": {"name": "Lebanon"},
       "text": "Troops shelled the town, killing 3 and wounding 2."},
      {"id": "R4", "event": "PROTEST", "mode": "strike-hun", "text": "They went on hunger strike."},
      {"id": "R5", "event": "AGREE"},
      "odd",
      {"id": "R6", "event": "REJECT", "text": "Nothing here.", "dead": "several"}
    ]"#;

    #[test]
    fn parses_and_skips() {
        let set = PloverSet::parse(RECORDS).unwrap();
        assert_eq!(set.records.len(), 5);
        assert_eq!(set.skips.total(), 3);
        assert_eq!(set.skips.0["DOCUMENT record (file documentation)"], 1);
        assert_eq!(set.skips.0["no text"], 1);
        assert_eq!(set.skips.0["not a JSON object"], 1);
        let r1 = &set.records[0];
        assert_eq!(r1.date.as_deref(), Some("2000-01-01"));
        assert_eq!(r1.sources.len(), 2);
        assert!(r1.targets.is_empty());
        let r2 = &set.records[1];
        assert_eq!(r2.mode, None);
        assert_eq!(r2.targets[0].sector.as_deref(), Some("REB"));
        assert_eq!(
            r2.location.as_ref().unwrap().country.as_deref(),
            Some("CHE")
        );
        let r3 = &set.records[2];
        assert_eq!(r3.sources[0].sector, None);
        assert_eq!((r3.dead, r3.injured), (Some(3), Some(2)));
        assert_eq!(
            r3.location.as_ref().unwrap().country.as_deref(),
            Some("LBN")
        );
        assert_eq!(set.records[4].dead, None);
        assert!(PloverSet::parse("{}").is_err());
        assert!(PloverSet::parse("not json").is_err());
    }

    #[test]
    fn old_names_map_to_2021() {
        assert_eq!(normalize_type("FIGHT"), "ASSAULT");
        assert_eq!(normalize_type("demand"), "REQUEST");
        assert_eq!(normalize_type("AGREE"), "AGREE");
        assert_eq!(normalize_mode("strike-hun"), "hunger");
        assert_eq!(normalize_mode("visit"), "visit");
    }

    #[test]
    fn scores_records() {
        let set = PloverSet::parse(RECORDS).unwrap();
        let coded = vec![
            // R1: AGREE from HUN (no sector) — type and source country right, sector wrong.
            Some(vec![
                event("010", Some(actor("USA", "US")), None), // no PLOVER type: not the top
                event("030", Some(actor("HUN", "Hungary")), None),
            ]),
            // R2: REQUEST (gold DEMAND) from the UN to Sudanese rebels, located in Geneva.
            Some(vec![located(
                event(
                    "1041",
                    Some(actor("IGOUNO", "UN")),
                    Some(actor("SDNREB", "rebels")),
                ),
                "Geneva",
                "CHE",
            )]),
            // R3: ASSAULT with heavy weapons (gold FIGHT), 3 dead, 2 injured, wrong place.
            Some(vec![injured(
                {
                    let mut e = located(
                        event("194", Some(actor("ISRMIL", "troops")), None),
                        "Gaza",
                        "PSE",
                    );
                    e.fatalities = Some(3);
                    e
                },
                2.0,
            )]),
            // R4: nothing coded.
            Some(vec![]),
            // R5: the coder failed.
            None,
        ];
        let r = set.score(&coded);
        assert_eq!(r.records, 4);
        assert_eq!(r.skips.0["coder failed"], 1);
        assert_eq!(r.no_event, 1);
        assert_eq!(
            r.event_type,
            Ratio {
                correct: 3,
                scored: 4
            }
        );
        assert_eq!(
            r.event_type_strict,
            Ratio {
                correct: 1,
                scored: 4
            }
        );
        // R3 heavy-weapons (ours: 194 heavy-weapons), R4 hunger (ours: none).
        assert_eq!(
            r.mode,
            Ratio {
                correct: 1,
                scored: 2
            }
        );
        assert_eq!(
            r.source_country,
            Ratio {
                correct: 3,
                scored: 3
            }
        );
        assert_eq!(
            r.source_sector,
            Ratio {
                correct: 0,
                scored: 1
            }
        );
        assert_eq!(
            r.target_country,
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(
            r.target_sector,
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(
            r.location_country,
            Ratio {
                correct: 1,
                scored: 2
            }
        );
        assert_eq!(
            r.location_name,
            Ratio {
                correct: 1,
                scored: 2
            }
        );
        assert_eq!(
            r.dead,
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(
            r.injured,
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(r.confusion.get("PROTEST", NONE), 1);
        assert_eq!(r.confusion.get("ASSAULT", "ASSAULT"), 1);

        let j = r.json();
        assert_eq!(j["set"], "plover");
        assert_eq!(j["event_type_accuracy"], 0.75);
        assert_eq!(j["confusion"]["REQUEST"]["REQUEST"], 1);
        assert_eq!(j["per_class"]["AGREE"]["recall"], 1.0);
        let t = r.table();
        assert!(t.contains("event type (2021 names)"), "{t}");
        assert!(t.contains("NONE"), "{t}");
    }

    #[test]
    fn detected_incidents_only() {
        let set = PloverSet::parse(
            r#"[
          {"id": "A", "event": "FIGHT", "dead": "2", "eventLoc": {"name": "town of Rafah"},
           "text": "Troops shelled the town of Rafah, killing two."},
          {"id": "B", "event": "FIGHT", "dead": "5", "injured": "1",
           "eventLoc": {"name": "Gorazde"}, "text": "Five died in Gorazde."}
        ]"#,
        )
        .unwrap();
        // The gold place names a town without a country code: its country is known.
        assert_eq!(
            set.records[0].location.as_ref().unwrap().country.as_deref(),
            Some("PSE")
        );
        let mut shelled = located(
            event("194", Some(actor("ISRMIL", "troops")), None),
            "Rafah",
            "PSE",
        );
        shelled.fatalities = Some(2);
        // A is detected, placed and counted right; B is not detected at all.
        let r = set.score(&[Some(vec![shelled]), Some(vec![])]);
        let ratio = |correct, scored| Ratio { correct, scored };
        assert_eq!(r.location_country, ratio(1, 2));
        assert_eq!(r.location_name, ratio(1, 2));
        assert_eq!(r.dead, ratio(1, 2));
        assert_eq!(r.injured, ratio(0, 1));
        assert_eq!(r.detected.location_country, ratio(1, 1));
        assert_eq!(r.detected.location_name, ratio(1, 1));
        assert_eq!(r.detected.dead, ratio(1, 1));
        assert_eq!(r.detected.injured, ratio(0, 0));
        let j = r.json();
        assert_eq!(j["detected_dead_accuracy"], 1.0);
        assert_eq!(j["detected_injured_scored"], 0);
        assert!(r.table().contains("detected: location country"));
    }
}
