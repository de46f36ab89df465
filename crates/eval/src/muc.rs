//! The MUC-3/4 terrorism corpus (`muc34/{dev,tst1,tst2}`): upper-case news reports, each
//! starting with an id line (`DEV-MUC3-0001 (NOSC)`, `TST1-MUC3-0001`) and a dateline
//! (`SAN SALVADOR, 3 JAN 90 -- …`), and answer keys (`key-*`) with one or more templates per
//! report. A template is 25 numbered slots (TASKDOC `template-doc-part1`); its `MESSAGE:
//! TEMPLATE` and `INCIDENT: TYPE` are `*` when the report holds no relevant incident,
//! `OPTIONAL` marks doubtful incidents, `/` separates alternative fills, `?` marks an optional
//! fill, quoted strings are text from the report, and a `SET FILL: "STRING"` line
//! cross-references a fill to a target string.
//!
//! Scoring, per report: incident detection (the key has at least one incident template,
//! optional ones included; we detect one when we code at least one violent event, see
//! [`is_violent`]), then on detected true positives: incident type, perpetrator organisation,
//! location country, deepest location and deaths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dyad_model::{Article, Event};
use serde_json::{Map, Value};

use crate::countries::iso3_of_name;
use crate::metrics::{num, show_opt, Prf, Ratio};
use crate::table::Table;
use crate::{norm_name, read_text, EvalError, Skips};

/// The MUC incident types, and the CAMEO codes (prefixes) of ours that stand for each.
/// A code takes the types of its longest matching prefix, so `18` means "the rest of 18":
/// 180 irregular violence, 182x physical attack, 185/186 assassination.
///
/// | MUC type             | CAMEO codes                                   |
/// |----------------------|-----------------------------------------------|
/// | ATTACK (and MURDER)  | 18 (180, 182x, 185, 186), 19, 20, 1712        |
/// | BOMBING              | 183, 1831-1834                                |
/// | KIDNAPPING           | 181, 184 (hostage-taking and detention)       |
/// | HIJACKING            | 181                                           |
/// | ARSON                | 171, 1712 (property destroyed: set on fire)   |
/// | ROBBERY              | 171, 1711 (property seized)                   |
/// | FORCED WORK STOPPAGE | 143 (strikes; not violent, never detected)    |
///
/// MUC files aerial bombing as ATTACK (TASKDOC slot 4), as our 195 is; MURDER was folded
/// into ATTACK in the v7 keys (older keys are read the same way); sabotage of
/// infrastructure is an ATTACK in MUC, so 1712 (destroy property) counts as ATTACK or ARSON.
pub const MUC_TYPE_CODES: &[(&str, &[&str])] = &[
    ("ATTACK", &["18", "19", "20", "1712"]),
    ("BOMBING", &["183"]),
    ("KIDNAPPING", &["181", "184"]),
    ("HIJACKING", &["181"]),
    ("ARSON", &["171", "1712"]),
    ("ROBBERY", &["171", "1711"]),
    ("FORCED WORK STOPPAGE", &["143"]),
];

/// The MUC types a CAMEO code stands for (longest matching prefix in [`MUC_TYPE_CODES`]).
pub fn muc_types(code: &str) -> Vec<&'static str> {
    let best = MUC_TYPE_CODES
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .filter(|p| code.starts_with(**p))
        .map(|p| p.len())
        .max();
    let Some(best) = best else {
        return Vec::new();
    };
    MUC_TYPE_CODES
        .iter()
        .filter(|(_, ps)| ps.iter().any(|p| p.len() == best && code.starts_with(*p)))
        .map(|(t, _)| *t)
        .collect()
}

/// A violent incident as MUC counts them: CAMEO roots 18 (unconventional violence: abduction,
/// assault, bombing, assassination), 19 (military force), 20 (mass violence), and 171x
/// (seizing or destroying property).
pub fn is_violent(code: &str) -> bool {
    matches!(code.get(..2), Some("18" | "19" | "20")) || code.starts_with("171")
}

/// One news report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MucDoc {
    /// `DEV-MUC3-0001` (the id line without its source in parentheses).
    pub id: String,
    pub text: String,
    /// The dateline's date, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// Where a key places an incident.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyLocation {
    /// ISO3 codes of the country (one per alternative the table knows).
    pub countries: Vec<String>,
    /// The most specific place name of each alternative, upper case, type removed
    /// (`EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)` →
    /// `SAN LUIS DE LA REINA`; the country itself when nothing more is given).
    pub deepest: Vec<String>,
}

/// One relevant incident template of a key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template {
    pub doc: String,
    pub optional: bool,
    /// Incident types, alternatives included, MURDER read as ATTACK.
    pub types: Vec<String>,
    pub location: KeyLocation,
    /// PERP: ORGANIZATION ID strings, alternatives included.
    pub perp_orgs: Vec<String>,
    /// Deaths the key gives: the HUM TGT: NUMBER of every target whose HUM TGT: EFFECT OF
    /// INCIDENT is DEATH, summed; 0 for NO DEATH / NO INJURY OR DEATH; None when no effect is
    /// given or a dead target's number is not a plain count (PLURAL, ranges, ~N).
    pub deaths: Option<u32>,
}

/// Slot names by number, as the keys write them (TASKDOC section 2.0).
const SLOTS: [&str; 25] = [
    "MESSAGE: ID",
    "MESSAGE: TEMPLATE",
    "INCIDENT: DATE",
    "INCIDENT: LOCATION",
    "INCIDENT: TYPE",
    "INCIDENT: STAGE OF EXECUTION",
    "INCIDENT: INSTRUMENT ID",
    "INCIDENT: INSTRUMENT TYPE",
    "PERP: INCIDENT CATEGORY",
    "PERP: INDIVIDUAL ID",
    "PERP: ORGANIZATION ID",
    "PERP: ORGANIZATION CONFIDENCE",
    "PHYS TGT: ID",
    "PHYS TGT: TYPE",
    "PHYS TGT: NUMBER",
    "PHYS TGT: FOREIGN NATION",
    "PHYS TGT: EFFECT OF INCIDENT",
    "PHYS TGT: TOTAL NUMBER",
    "HUM TGT: NAME",
    "HUM TGT: DESCRIPTION",
    "HUM TGT: TYPE",
    "HUM TGT: NUMBER",
    "HUM TGT: FOREIGN NATION",
    "HUM TGT: EFFECT OF INCIDENT",
    "HUM TGT: TOTAL NUMBER",
];

/// The strings inside double quotes (`\"` is an escaped quote).
pub fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (&mut cur, c) {
            (Some(buf), '\\') => {
                if let Some(n) = chars.next() {
                    buf.push(n);
                }
            }
            (Some(_), '"') => out.extend(cur.take()),
            (Some(buf), c) => buf.push(c),
            (None, '"') => cur = Some(String::new()),
            (None, _) => {}
        }
    }
    out
}

/// Split at `sep` where not inside parentheses or quotes.
fn split_top<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_quote, mut start) = (0i32, false, 0);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => in_quote = !in_quote,
            b'(' if !in_quote => depth += 1,
            b')' if !in_quote => depth -= 1,
            _ => {}
        }
        if depth == 0 && !in_quote && s[i..].starts_with(sep) {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// A fill without its optional mark `?`.
fn unmark(s: &str) -> &str {
    s.trim().trim_start_matches('?').trim()
}

/// A place without its trailing `(TYPE)`.
fn strip_type(s: &str) -> String {
    let mut s = s.trim();
    while s.ends_with(')') {
        let mut depth = 0;
        let mut cut = None;
        for (i, c) in s.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        cut = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        match cut {
            Some(i) => s = s[..i].trim_end(),
            None => break,
        }
    }
    norm_name(s)
}

/// `(EL SALVADOR: ZARAGOZA (TOWN))` → `EL SALVADOR: ZARAGOZA (TOWN)`: drop parentheses that
/// wrap the whole fill.
fn unwrap_parens(s: &str) -> &str {
    if !s.starts_with('(') {
        return s;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return if i == s.len() - 1 { s[1..i].trim() } else { s };
                }
            }
            _ => {}
        }
    }
    // Unbalanced ("(EL SALVADOR"): drop the opening parenthesis.
    s[1..].trim()
}

/// Read a LOCATION fill.
pub fn parse_location(fill: &str) -> KeyLocation {
    let mut loc = KeyLocation::default();
    let v = unmark(fill);
    if v.is_empty() || v == "-" || v == "*" {
        return loc;
    }
    for alt in split_top(v, "/") {
        let alt = unwrap_parens(alt.trim());
        let comps: Vec<&str> = split_top(alt, ":").into_iter().map(str::trim).collect();
        let Some(first) = comps.first() else { continue };
        let country = strip_type(first);
        if let Some(c) = iso3_of_name(&country) {
            if !loc.countries.iter().any(|x| x == c) {
                loc.countries.push(c.to_string());
            }
        }
        if let Some(last) = comps.last() {
            // "CUCUTA (CITY) - CAMPANARIO (REGION)": the incident lies between two places.
            for place in split_top(last, " - ") {
                let p = strip_type(place);
                if !p.is_empty() && !loc.deepest.contains(&p) {
                    loc.deepest.push(p);
                }
            }
        }
    }
    loc
}

/// A plain count (`12`, `? 1`, the first of `1 / PLURAL`); None for PLURAL, ranges, `~N`.
fn count(fill: &str) -> Option<u32> {
    let first = split_top(unmark(fill), "/").into_iter().next()?;
    let first = first.trim();
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    first.parse().ok()
}

/// `SET FILL: "A" / "B"` → (set fills, cross-referenced strings).
fn set_and_refs(fill: &str) -> (Vec<String>, Vec<String>) {
    let parts = split_top(fill, ":");
    let set = parts[0];
    let refs = if parts.len() > 1 {
        quoted(&parts[1..].join(":"))
    } else {
        Vec::new()
    };
    let sets = set
        .split('/')
        .map(|s| norm_name(unmark(s)))
        .filter(|s| !s.is_empty())
        .collect();
    (sets, refs)
}

fn deaths(numbers: &[String], effects: &[String]) -> Option<u32> {
    let effects: Vec<(Vec<String>, Vec<String>)> = effects
        .iter()
        .map(|f| unmark(f))
        .filter(|f| !f.is_empty() && *f != "-" && *f != "*")
        .map(set_and_refs)
        .collect();
    if effects.is_empty() {
        return None;
    }
    let numbers: Vec<(Vec<String>, Vec<String>)> = numbers
        .iter()
        .map(|f| {
            let parts = split_top(f, ":");
            let refs = if parts.len() > 1 {
                quoted(&parts[1..].join(":"))
            } else {
                Vec::new()
            };
            (vec![parts[0].to_string()], refs)
        })
        .collect();
    let dead: Vec<&Vec<String>> = effects
        .iter()
        .filter(|(sets, _)| sets.iter().any(|s| s == "DEATH"))
        .map(|(_, refs)| refs)
        .collect();
    if dead.is_empty() {
        let none = effects.iter().any(|(sets, _)| {
            sets.iter()
                .any(|s| s == "NO DEATH" || s == "NO INJURY OR DEATH")
        });
        return none.then_some(0);
    }
    let mut used = BTreeSet::new();
    let mut total = 0u32;
    for refs in dead {
        let i = numbers
            .iter()
            .position(|(_, nrefs)| nrefs.iter().any(|r| r != "-" && refs.contains(r)))?;
        if used.insert(i) {
            total = total.saturating_add(count(&numbers[i].0[0])?);
        }
    }
    Some(total)
}

/// A raw template: fills per slot number.
type RawTemplate = BTreeMap<usize, Vec<String>>;

fn raw_templates(key: &str) -> Vec<RawTemplate> {
    let mut out: Vec<RawTemplate> = Vec::new();
    let mut slot: Option<usize> = None;
    for line in key.lines() {
        if line.trim_start().starts_with(';') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with(|c: char| c.is_ascii_digit()) {
            let Some((n, rest)) = line.split_once('.') else {
                slot = None;
                continue;
            };
            let Ok(n) = n.trim().parse::<usize>() else {
                slot = None;
                continue;
            };
            let rest = rest.trim_start();
            let value = match SLOTS.get(n) {
                Some(name) if rest.starts_with(name) => rest[name.len()..].trim(),
                _ => rest.split_once("  ").map_or("", |(_, v)| v).trim(),
            };
            if n == 0 {
                out.push(RawTemplate::new());
            }
            if let Some(t) = out.last_mut() {
                t.entry(n).or_default().push(value.to_string());
                slot = Some(n);
            }
        } else if let (Some(n), Some(t)) = (slot, out.last_mut()) {
            t.entry(n).or_default().push(line.trim().to_string());
        }
    }
    out
}

/// Answer keys, by report id: the relevant templates (an empty list for a report whose key
/// says "no relevant incident").
pub fn parse_keys(key: &str, skips: &mut Skips) -> BTreeMap<String, Vec<Template>> {
    let mut keys: BTreeMap<String, Vec<Template>> = BTreeMap::new();
    for raw in raw_templates(key) {
        let first = |n: usize| raw.get(&n).and_then(|v| v.first()).map(String::as_str);
        let Some(doc) = first(0).and_then(|v| v.split_whitespace().next()) else {
            skips.add("key template without a message id");
            continue;
        };
        let entry = keys.entry(doc.to_string()).or_default();
        let number = first(1).unwrap_or("*");
        let types: Vec<String> = first(4)
            .unwrap_or("*")
            .split('/')
            .map(|t| norm_name(unmark(t)))
            .filter(|t| !t.is_empty() && t != "*" && t != "-")
            .map(|t| if t == "MURDER" { "ATTACK".into() } else { t })
            .collect();
        if number.trim() == "*" || types.is_empty() {
            continue;
        }
        let all = |n: usize| raw.get(&n).cloned().unwrap_or_default();
        let mut perp_orgs: Vec<String> = Vec::new();
        for f in all(10) {
            for q in quoted(&f) {
                // `"\"THE EXTRADITABLES\""`: the quotes are not part of the name.
                let q = norm_name(q.trim_matches(|c: char| c == '"' || c.is_whitespace()));
                if !q.is_empty() && q != "-" && !perp_orgs.contains(&q) {
                    perp_orgs.push(q);
                }
            }
        }
        entry.push(Template {
            doc: doc.to_string(),
            optional: number.contains("OPTIONAL"),
            types,
            location: parse_location(first(3).unwrap_or("-")),
            perp_orgs,
            deaths: deaths(&all(21), &all(23)),
        });
    }
    keys
}

/// `DEV-MUC3-0001 (NOSC)` → `DEV-MUC3-0001`.
fn doc_id(line: &str) -> Option<String> {
    let tok = line.split_whitespace().next()?;
    let rest = line[tok.len()..].trim();
    let parts: Vec<&str> = tok.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].bytes().all(|b| b.is_ascii_alphanumeric())
        && parts[1].starts_with("MUC")
        && parts[2].len() == 4
        && parts[2].bytes().all(|b| b.is_ascii_digit())
        && (rest.is_empty() || rest.starts_with('('));
    (ok && !line.starts_with(char::is_whitespace)).then(|| tok.to_string())
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// The date of a dateline (`SAN SALVADOR, 3 JAN 90 -- …` → `1990-01-03`).
pub fn dateline_date(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let head = line.split("--").next()?;
    let toks: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    toks.windows(3).find_map(|w| {
        let day: u32 = w[0].parse().ok().filter(|d| (1..=31).contains(d))?;
        let month = MONTHS.iter().position(|m| w[1].eq_ignore_ascii_case(m))? + 1;
        let yy = w[2]
            .get(..2)
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
        let yy: u32 = yy.parse().ok()?;
        let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
        Some(format!("{year:04}-{month:02}-{day:02}"))
    })
}

/// Split a text file into reports.
pub fn parse_docs(text: &str) -> Vec<MucDoc> {
    let mut docs: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(id) = doc_id(line) {
            docs.push((id, Vec::new()));
        } else if let Some((_, body)) = docs.last_mut() {
            body.push(line);
        }
    }
    docs.into_iter()
        .map(|(id, body)| {
            let text = body.join("\n").trim().to_string();
            let date = dateline_date(&text);
            MucDoc { id, text, date }
        })
        .collect()
}

/// One part of the corpus (dev, tst1, tst2): reports and their keys.
#[derive(Clone, Debug, Default)]
pub struct MucSplit {
    pub name: String,
    /// Reports that have a key, in file order.
    pub docs: Vec<MucDoc>,
    pub keys: BTreeMap<String, Vec<Template>>,
    pub skips: Skips,
}

impl MucSplit {
    /// Read `dir`: the texts are the files named `{name}-*`, the keys `key-*`.
    pub fn load(dir: &Path, name: &str) -> Result<Self, EvalError> {
        if !dir.is_dir() {
            return Err(EvalError::Missing(dir.to_path_buf()));
        }
        let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        files.sort();
        let prefix = format!("{name}-");
        let texts: Vec<&String> = files.iter().filter(|f| f.starts_with(&prefix)).collect();
        let keys: Vec<&String> = files.iter().filter(|f| f.starts_with("key-")).collect();
        if texts.is_empty() {
            return Err(EvalError::Missing(dir.join(format!("{prefix}*"))));
        }
        if keys.is_empty() {
            return Err(EvalError::Missing(dir.join("key-*")));
        }
        let mut text = String::new();
        for f in texts {
            text.push_str(&read_text(&dir.join(f))?);
            text.push('\n');
        }
        let mut key = String::new();
        for f in keys {
            key.push_str(&read_text(&dir.join(f))?);
            key.push('\n');
        }
        Ok(Self::parse(name, &text, &key))
    }

    /// Build a split from the concatenated texts and keys.
    pub fn parse(name: &str, text: &str, key: &str) -> Self {
        let mut skips = Skips::default();
        let keys = parse_keys(key, &mut skips);
        let mut seen = BTreeSet::new();
        let mut docs = Vec::new();
        for d in parse_docs(text) {
            if !seen.insert(d.id.clone()) {
                skips.add("report id repeated");
            } else if !keys.contains_key(&d.id) {
                skips.add("report without an answer key");
            } else if d.text.is_empty() {
                skips.add("report without text");
            } else {
                docs.push(d);
            }
        }
        for id in keys.keys() {
            if !seen.contains(id) {
                skips.add("answer key without a report");
            }
        }
        MucSplit {
            name: name.to_string(),
            docs,
            keys,
            skips,
        }
    }

    pub fn articles(&self) -> Vec<Article> {
        self.docs
            .iter()
            .map(|d| Article {
                id: d.id.clone(),
                text: d.text.clone(),
                date: d.date.clone(),
                language: Some("en".into()),
                ..Default::default()
            })
            .collect()
    }

    /// Score the events coded for each report (`coded[i]` for `docs[i]`).
    pub fn score(&self, coded: &[Option<Vec<Event>>]) -> MucSplitReport {
        let mut r = MucSplitReport {
            name: self.name.clone(),
            skips: self.skips.clone(),
            ..Default::default()
        };
        for (i, d) in self.docs.iter().enumerate() {
            let templates = self.keys.get(&d.id).map_or(&[][..], Vec::as_slice);
            match coded.get(i) {
                Some(Some(events)) => r.add(templates, events),
                _ => r.skips.add("coder failed"),
            }
        }
        r
    }
}

/// Upper-case words (letters and digits).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// Whether `inner`'s words occur, in a row, among `outer`'s.
fn contains_words(outer: &[String], inner: &[String]) -> bool {
    !inner.is_empty() && outer.windows(inner.len()).any(|w| w == inner)
}

/// Whether one of our source actors names a key's perpetrator organisation: the words of
/// either occur in a row in the other, ignoring case ("FMLN" in "TERRORISTS OF THE FMLN";
/// "CAR" is not in "MEDELLIN CARTEL"). Ours must have a word that is not a function word.
fn org_match(ours: &str, key: &str) -> bool {
    const FUNCTION: [&str; 5] = ["THE", "OF", "A", "AN", "AND"];
    let (o, k) = (words(ours), words(key));
    if o.iter().all(|w| FUNCTION.contains(&w.as_str())) {
        return false;
    }
    contains_words(&k, &o) || contains_words(&o, &k)
}

/// The figures for one split.
#[derive(Clone, Debug, Default)]
pub struct MucSplitReport {
    pub name: String,
    pub documents: usize,
    pub skips: Skips,
    /// Reports whose key lists an incident.
    pub incident_documents: usize,
    /// … of which every incident is OPTIONAL.
    pub optional_only: usize,
    /// Reports where we coded a violent event.
    pub detected_documents: usize,
    pub detection: Prf,
    /// On true positives: our first violent event's type is one of the key's.
    pub incident_type: Ratio,
    /// On true positives whose key names an organisation.
    pub perp_org: Ratio,
    /// On true positives whose key location has a known country.
    pub location_country: Ratio,
    /// On true positives: our location name is the key's most specific place.
    pub location_deepest: Ratio,
    /// True positives where one of our violent events has a location at all.
    pub location_filled: usize,
    /// On true positives whose key gives one or more deaths.
    pub deaths: Ratio,
    /// Recall by key incident type: reports with an incident of the type, and detected.
    pub recall_by_type: BTreeMap<String, Ratio>,
}

impl MucSplitReport {
    /// Score one report: its relevant templates and our events.
    pub fn add(&mut self, templates: &[Template], events: &[Event]) {
        self.documents += 1;
        let violent: Vec<&Event> = events
            .iter()
            .filter(|e| is_violent(&e.cameo.code))
            .collect();
        let gold = !templates.is_empty();
        let ours = !violent.is_empty();
        self.detection.add(gold, ours);
        if gold {
            self.incident_documents += 1;
            if templates.iter().all(|t| t.optional) {
                self.optional_only += 1;
            }
            let types: BTreeSet<&str> = templates
                .iter()
                .flat_map(|t| t.types.iter().map(String::as_str))
                .collect();
            for t in types {
                self.recall_by_type
                    .entry(t.to_string())
                    .or_default()
                    .add(ours);
            }
        }
        if ours {
            self.detected_documents += 1;
        }
        if !(gold && ours) {
            return;
        }

        let key_types: BTreeSet<&str> = templates
            .iter()
            .flat_map(|t| t.types.iter().map(String::as_str))
            .collect();
        let first = violent[0];
        self.incident_type.add(
            muc_types(&first.cameo.code)
                .iter()
                .any(|t| key_types.contains(t)),
        );

        let orgs: Vec<&str> = templates
            .iter()
            .flat_map(|t| t.perp_orgs.iter().map(String::as_str))
            .collect();
        if !orgs.is_empty() {
            let hit = violent.iter().filter_map(|e| e.source.as_ref()).any(|a| {
                orgs.iter()
                    .any(|k| org_match(&a.text, k) || org_match(&a.name, k))
            });
            self.perp_org.add(hit);
        }

        let loc = violent.iter().find_map(|e| e.location.as_ref());
        if loc.is_some() {
            self.location_filled += 1;
        }
        let countries: BTreeSet<&str> = templates
            .iter()
            .flat_map(|t| t.location.countries.iter().map(String::as_str))
            .collect();
        if !countries.is_empty() {
            self.location_country.add(
                loc.and_then(|l| l.country.as_deref())
                    .is_some_and(|c| countries.contains(c)),
            );
        }
        let deepest: BTreeSet<&str> = templates
            .iter()
            .flat_map(|t| t.location.deepest.iter().map(String::as_str))
            .collect();
        if !deepest.is_empty() {
            self.location_deepest
                .add(loc.is_some_and(|l| deepest.contains(norm_name(&l.name).as_str())));
        }

        let dead: BTreeSet<u32> = templates
            .iter()
            .filter_map(|t| t.deaths)
            .filter(|n| *n > 0)
            .collect();
        if !dead.is_empty() {
            self.deaths.add(
                violent
                    .iter()
                    .filter_map(|e| e.fatalities)
                    .any(|n| dead.contains(&n)),
            );
        }
    }

    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("documents".into(), self.documents.into());
        m.insert("skipped".into(), self.skips.total().into());
        m.insert("skipped_reasons".into(), self.skips.json());
        m.insert("incident_documents".into(), self.incident_documents.into());
        m.insert("optional_only_documents".into(), self.optional_only.into());
        m.insert("detected_documents".into(), self.detected_documents.into());
        m.insert(
            "detection_precision".into(),
            num(self.detection.precision()),
        );
        m.insert("detection_recall".into(), num(self.detection.recall()));
        m.insert("detection_f1".into(), num(self.detection.f1()));
        m.insert("tp".into(), self.detection.tp.into());
        m.insert("fp".into(), self.detection.fp.into());
        m.insert("fn".into(), self.detection.fn_.into());
        self.incident_type.put(&mut m, "type");
        self.perp_org.put(&mut m, "perp_org");
        self.location_country.put(&mut m, "location_country");
        self.location_deepest.put(&mut m, "location_deepest");
        m.insert("location_filled".into(), self.location_filled.into());
        self.deaths.put(&mut m, "deaths");
        let by_type: Map<String, Value> = self
            .recall_by_type
            .iter()
            .map(|(t, r)| {
                let mut o = Map::new();
                o.insert("documents".into(), r.scored.into());
                o.insert("detected".into(), r.correct.into());
                o.insert("recall".into(), num(r.value()));
                (t.clone(), Value::from(o))
            })
            .collect();
        m.insert("recall_by_type".into(), by_type.into());
        m.into()
    }
}

/// Every split, in the order given.
#[derive(Clone, Debug, Default)]
pub struct MucSet {
    pub splits: Vec<MucSplit>,
}

impl MucSet {
    /// Load `dir/{dev,tst1,tst2}` (or the names given).
    pub fn load(dir: &Path, names: &[&str]) -> Result<Self, EvalError> {
        if !dir.is_dir() {
            return Err(EvalError::Missing(dir.to_path_buf()));
        }
        let splits = names
            .iter()
            .map(|n| MucSplit::load(&dir.join(n), n))
            .collect::<Result<_, _>>()?;
        Ok(MucSet { splits })
    }

    /// Every split's articles, one after the other.
    pub fn articles(&self) -> Vec<Article> {
        self.splits.iter().flat_map(MucSplit::articles).collect()
    }

    /// Score events coded for [`MucSet::articles`], in the same order.
    pub fn score(&self, coded: &[Option<Vec<Event>>]) -> MucReport {
        let mut start = 0;
        let mut splits = Vec::new();
        for s in &self.splits {
            let end = (start + s.docs.len()).min(coded.len());
            splits.push(s.score(coded.get(start..end).unwrap_or(&[])));
            start = end;
        }
        MucReport { splits }
    }
}

/// The figures for the MUC set: one report per split.
#[derive(Clone, Debug, Default)]
pub struct MucReport {
    pub splits: Vec<MucSplitReport>,
}

impl MucReport {
    /// One JSON object: `{"set":"muc","documents":…,"splits":{"dev":{…},…}}`.
    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("set".into(), "muc".into());
        m.insert(
            "documents".into(),
            self.splits
                .iter()
                .map(|s| s.documents)
                .sum::<usize>()
                .into(),
        );
        let splits: Map<String, Value> = self
            .splits
            .iter()
            .map(|s| (s.name.clone(), s.json()))
            .collect();
        m.insert("splits".into(), splits.into());
        m.into()
    }

    pub fn table(&self) -> String {
        let mut out = String::from("== MUC-3/4: incident detection per report ==\n");
        let mut t = Table::new(&[
            "split", "reports", "incident", "detected", "P", "R", "F1", "type", "perp org",
            "country", "deepest", "deaths",
        ]);
        for s in &self.splits {
            t.row(vec![
                s.name.clone(),
                s.documents.to_string(),
                s.incident_documents.to_string(),
                s.detected_documents.to_string(),
                show_opt(s.detection.precision()),
                show_opt(s.detection.recall()),
                show_opt(s.detection.f1()),
                s.incident_type.show(),
                s.perp_org.show(),
                s.location_country.show(),
                s.location_deepest.show(),
                s.deaths.show(),
            ]);
        }
        out.push_str(&t.render());
        for s in &self.splits {
            let line = s.skips.line();
            if !line.is_empty() {
                out.push_str(&format!("{}: {line}\n", s.name));
            }
            out.push_str(&format!(
                "{}: {} incident reports are OPTIONAL only; {} of {} true positives have a location\n",
                s.name,
                s.optional_only,
                s.location_filled,
                s.detection.tp
            ));
        }
        out.push_str("\nrecall by key incident type (reports detected / reports with the type)\n");
        let types: BTreeSet<&String> = self
            .splits
            .iter()
            .flat_map(|s| s.recall_by_type.keys())
            .collect();
        let mut header = vec!["type"];
        header.extend(self.splits.iter().map(|s| s.name.as_str()));
        let mut t = Table::new(&header);
        for ty in types {
            let mut row = vec![ty.clone()];
            for s in &self.splits {
                row.push(s.recall_by_type.get(ty).map_or("-".into(), Ratio::show));
            }
            t.row(row);
        }
        out.push_str(&t.render());
        out.push_str("\ntypes: ");
        let map: Vec<String> = MUC_TYPE_CODES
            .iter()
            .map(|(t, cs)| format!("{t} = {}", cs.join(",")))
            .collect();
        out.push_str(&map.join("; "));
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{actor, event, located};

    const TEXT: &str = "\
DEV-MUC3-0001 (NOSC)

   SAN SALVADOR, 3 JAN 90 -- [REPORT] ABOUT 50 PEASANTS HAVE BEEN KIDNAPPED BY
TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN].

DEV-MUC3-0002 (NOSC)

   LIMA, 12 FEB 90 (EFE) -- [TEXT] THE MINISTER SPOKE ABOUT THE ECONOMY.

DEV-MUC3-0003  (BBN)

   BOGOTA, 20 MAR 90 -- [TEXT] A BOMB EXPLODED AT A BANK, KILLING TWO PEOPLE.
DEV-MUC3-0004 (GE)

   NO CITY, NO DATE -- NOTHING.
";

    const KEY: &str = r#"
;;; a comment
0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               1
3.  INCIDENT: LOCATION              EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)
4.  INCIDENT: TYPE                  KIDNAPPING
10. PERP: ORGANIZATION ID           "FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"
                                    "\"THE EXTRADITABLES\"" / "THE EXTRADITABLES"
18. HUM TGT: NAME                   -
19. HUM TGT: DESCRIPTION            "PEASANTS"
21. HUM TGT: NUMBER                 50: "PEASANTS"
23. HUM TGT: EFFECT OF INCIDENT     -

0.  MESSAGE: ID                     DEV-MUC3-0002 (NCCOSC)
1.  MESSAGE: TEMPLATE               *
4.  INCIDENT: TYPE                  *

0.  MESSAGE: ID                     DEV-MUC3-0003 (NCCOSC)
1.  MESSAGE: TEMPLATE               1 (OPTIONAL)
3.  INCIDENT: LOCATION              (COLOMBIA: BOGOTA (CITY)) / (COLOMBIA: PEREIRA (CITY) - BELEN DE UMBRIA (TOWN))
4.  INCIDENT: TYPE                  BOMBING / ATTACK
10. PERP: ORGANIZATION ID           -
18. HUM TGT: NAME                   "JUAN PEREZ"
19. HUM TGT: DESCRIPTION            "GUARD": "JUAN PEREZ"
                                    "PEOPLE"
21. HUM TGT: NUMBER                 1: "JUAN PEREZ"
                                    1: "PEOPLE"
23. HUM TGT: EFFECT OF INCIDENT     DEATH: "JUAN PEREZ"
                                    ? DEATH: "PEOPLE"

0.  MESSAGE: ID                     DEV-MUC3-0005 (NCCOSC)
1.  MESSAGE: TEMPLATE               1
4.  INCIDENT: TYPE                  MURDER
"#;

    #[test]
    fn reports_and_dates() {
        let docs = parse_docs(TEXT);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "DEV-MUC3-0001",
                "DEV-MUC3-0002",
                "DEV-MUC3-0003",
                "DEV-MUC3-0004"
            ]
        );
        assert_eq!(docs[0].date.as_deref(), Some("1990-01-03"));
        assert_eq!(docs[1].date.as_deref(), Some("1990-02-12"));
        assert_eq!(docs[3].date, None);
        assert!(docs[0].text.starts_with("SAN SALVADOR, 3 JAN 90"));
        assert!(docs[0].text.contains("[FMLN]."));
    }

    #[test]
    fn keys() {
        let mut skips = Skips::default();
        let k = parse_keys(KEY, &mut skips);
        assert_eq!(k.len(), 4);
        assert!(k["DEV-MUC3-0002"].is_empty());
        let t1 = &k["DEV-MUC3-0001"][0];
        assert_eq!(t1.types, ["KIDNAPPING"]);
        assert!(!t1.optional);
        assert_eq!(t1.location.countries, ["SLV"]);
        assert_eq!(t1.location.deepest, ["SAN LUIS DE LA REINA"]);
        assert_eq!(
            t1.perp_orgs,
            [
                "FARABUNDO MARTI NATIONAL LIBERATION FRONT",
                "FMLN",
                "THE EXTRADITABLES"
            ]
        );
        assert_eq!(t1.deaths, None);
        let t3 = &k["DEV-MUC3-0003"][0];
        assert!(t3.optional);
        assert_eq!(t3.types, ["BOMBING", "ATTACK"]);
        assert_eq!(t3.location.countries, ["COL"]);
        assert_eq!(
            t3.location.deepest,
            ["BOGOTA", "PEREIRA", "BELEN DE UMBRIA"]
        );
        assert!(t3.perp_orgs.is_empty());
        assert_eq!(t3.deaths, Some(2));
        assert_eq!(k["DEV-MUC3-0005"][0].types, ["ATTACK"]);
    }

    #[test]
    fn location_forms() {
        let l = parse_location("EL SALVADOR");
        assert_eq!(
            (l.countries, l.deepest),
            (vec!["SLV".into()], vec!["EL SALVADOR".into()])
        );
        let l = parse_location("COLOMBIA: URABA (REGION / CITY)");
        assert_eq!(l.deepest, ["URABA"]);
        let l = parse_location("? HONDURAS");
        assert_eq!(l.countries, ["HND"]);
        let l = parse_location("COLOMBIA / VENEZUELA");
        assert_eq!(l.countries, ["COL", "VEN"]);
        let l = parse_location("PERU: LIMA (CITY): MIRAFLORES (NEIGHBORHOOD)");
        assert_eq!(l.deepest, ["MIRAFLORES"]);
        assert_eq!(parse_location("-"), KeyLocation::default());
    }

    #[test]
    fn death_counts() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            deaths(&s(&["3: \"MEN\""]), &s(&["DEATH: \"MEN\""])),
            Some(3)
        );
        assert_eq!(
            deaths(&s(&["PLURAL: \"MEN\""]), &s(&["DEATH: \"MEN\""])),
            None
        );
        assert_eq!(
            deaths(&s(&["-"]), &s(&["NO INJURY OR DEATH: \"-\""])),
            Some(0)
        );
        assert_eq!(deaths(&s(&["2: \"A\""]), &s(&["INJURY: \"A\""])), None);
        assert_eq!(deaths(&s(&["-"]), &s(&["-"])), None);
        // Both effects refer to the same count: counted once.
        assert_eq!(
            deaths(
                &s(&["4: \"A\" / \"B\""]),
                &s(&["DEATH: \"A\"", "DEATH: \"B\""])
            ),
            Some(4)
        );
        assert_eq!(
            quoted(r#""\"SANTO TOMAS\" FARM" / "FARM""#),
            ["\"SANTO TOMAS\" FARM", "FARM"]
        );
    }

    #[test]
    fn organisation_names() {
        assert!(org_match("terrorists of the FMLN", "FMLN"));
        assert!(org_match("Shining Path", "SHINING PATH OF PERU"));
        assert!(org_match(
            "MANUEL RODRIGUEZ PATRIOTIC FRONT",
            "MANUEL RODRIGUEZ PATRIOTIC FRONT"
        ));
        assert!(!org_match("CAR", "MEDELLIN CARTEL"));
        assert!(!org_match("the", "THE EXTRADITABLES"));
        assert!(!org_match("", "FMLN"));
    }

    #[test]
    fn type_table() {
        assert_eq!(muc_types("1831"), ["BOMBING"]);
        assert_eq!(muc_types("182"), ["ATTACK"]);
        assert_eq!(muc_types("18"), ["ATTACK"]);
        assert_eq!(muc_types("181"), ["KIDNAPPING", "HIJACKING"]);
        assert_eq!(muc_types("1712"), ["ATTACK", "ARSON"]);
        assert_eq!(muc_types("1711"), ["ROBBERY"]);
        assert_eq!(muc_types("195"), ["ATTACK"]);
        assert!(muc_types("042").is_empty());
        assert!(is_violent("1823") && is_violent("20") && is_violent("1711"));
        assert!(!is_violent("173") && !is_violent("145") && !is_violent("01"));
    }

    #[test]
    fn scores_split() {
        let split = MucSplit::parse("dev", TEXT, KEY);
        // 0004 has no key; the key of 0005 has no report.
        assert_eq!(split.docs.len(), 3);
        assert_eq!(split.skips.0["report without an answer key"], 1);
        assert_eq!(split.skips.0["answer key without a report"], 1);
        assert_eq!(split.articles()[0].date.as_deref(), Some("1990-01-03"));

        let mut fmln = actor("SLVREB", "TERRORISTS OF THE FMLN");
        fmln.name = "FMLN".into();
        let coded = vec![
            // 0001: a kidnapping by the FMLN in San Luis de la Reina.
            Some(vec![located(
                event("181", Some(fmln), None),
                "San Luis de la Reina",
                "SLV",
            )]),
            // 0002: a violent event where the key has none: a false positive.
            Some(vec![event("190", None, None)]),
            // 0003: an assault (ATTACK is among BOMBING / ATTACK), two dead, in Bogota, Peru.
            Some(vec![{
                let mut e = located(event("1823", None, None), "Bogota", "PER");
                e.fatalities = Some(2);
                e
            }]),
        ];
        let r = split.score(&coded);
        assert_eq!(r.documents, 3);
        assert_eq!(r.incident_documents, 2);
        assert_eq!(r.optional_only, 1);
        assert_eq!((r.detection.tp, r.detection.fp, r.detection.fn_), (2, 1, 0));
        assert_eq!(
            r.incident_type,
            Ratio {
                correct: 2,
                scored: 2
            }
        );
        assert_eq!(
            r.perp_org,
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
            r.location_deepest,
            Ratio {
                correct: 2,
                scored: 2
            }
        );
        assert_eq!(r.location_filled, 2);
        assert_eq!(
            r.deaths,
            Ratio {
                correct: 1,
                scored: 1
            }
        );
        assert_eq!(
            r.recall_by_type["BOMBING"],
            Ratio {
                correct: 1,
                scored: 1
            }
        );

        let set = MucSet {
            splits: vec![split],
        };
        let j = set.score(&coded).json();
        assert_eq!(j["set"], "muc");
        assert_eq!(j["splits"]["dev"]["tp"], 2);
        assert_eq!(j["splits"]["dev"]["detection_recall"], 1.0);
        let t = set.score(&coded).table();
        assert!(t.contains("dev"), "{t}");
    }

    #[test]
    fn failed_coding_is_skipped() {
        let split = MucSplit::parse("dev", TEXT, KEY);
        let r = split.score(&[None]);
        assert_eq!(r.documents, 0);
        assert_eq!(r.skips.0["coder failed"], 3);
    }
}
