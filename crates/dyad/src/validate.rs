//! `dyad validate SUITE`: runs a validation suite of the field (sentences with the events
//! they must give) through the TABARI engine (TABARI projects and their JSON form) or the
//! PETRARCH engine (PETRARCH unit-test XML files) and reports what passes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use dyad_coder::petrarch::{Outcome as PetrOutcome, PetrDict, PetrarchEngine, PetrarchOptions};
use dyad_coder::tabari::{Date, DictFile, Forward, Outcome, TabariEngine, TabariOptions};
use dyad_dict::formats::{
    self, actors, agents, discards, options, petrarch_verbs, project, tabari_verbs,
};

const HELP: &str = "\
SUITE is one of:
  *.project           a TABARI project (Validate.project): its actors, verbs, agents and
                      options files, and its text file of records (`YYMMDD ID` header, text,
                      then `/* ... */` with the expected `{ SRC / TGT / CODE }` lines)
  *.jsonl             the JSON form of such records (`*.derived.jsonl`, the files it names
                      sit beside it)
  *.xml               a PETRARCH unit-test file (`PETR.UnitTest.records.xml`): records with
                      their Treebank parses and expected `<EventCoding>`s, coded by the
                      PETRARCH engine with the dictionaries its <Environment> names
                      (beside the file); `<Config>` records change options as they come

Counting rule (the M of `passed N of M`): a record counts when it comes before the stop
record (FINAL-01) and expects something: at least one `{ SRC / TGT / CODE }` line or a
special code `{---}` (no event), `{###}` (discard), `{+++}` (complex). Not counted:
option records (`{ OPTION: ... }`, applied after the record), records with no expectation,
and records whose first expectation is marked `-{...}` (TABARI never checks those).

PETRARCH files: every `sentence=true` (or `valid=true`) record counts; it passes when the
events coded equal its `<EventCoding>` triples (a multiset), or nothing is coded for
`noevents=True` or no `<EventCoding>`, or coding stops with the `error=...` it names.

TABARI: a record passes when the events coded are the expected ones (as a multiset, order aside);
with a `-{...}` marker after some lines, those lines must be coded and more events are
allowed. A special code passes when nothing is coded for that reason. With `SET: TIME SHIFT`
on, the date after the first `}` must be the (shifted) event date.";

/// Arguments of `dyad validate`.
#[derive(Args, Debug)]
#[command(after_long_help = HELP)]
pub struct ValidateArgs {
    /// The suite: a TABARI `.project`, a `.derived.jsonl`, or a PETRARCH unit-test `.xml`.
    pub suite: PathBuf,
    /// Also print the text, the expected and the coded events of passing records (and,
    /// for PETRARCH suites, the engine's trace: entities, verbs, sequences, rules).
    #[arg(long)]
    pub verbose: bool,
    /// PETRARCH suites: ignore the records' Treebank parses and code their text with the
    /// engine's own shallow parser (as plain articles are coded).
    #[arg(long)]
    pub no_parse: bool,
}

/// One expected event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Triple {
    source: String,
    target: String,
    code: String,
}

impl std::fmt::Display for Triple {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {} / {}", self.source, self.target, self.code)
    }
}

/// What a record expects.
#[derive(Clone, Debug, Default)]
struct Expect {
    /// Checked triples (before a `-{` marker).
    triples: Vec<Triple>,
    /// A `-{` marker follows the checked triples: more events are allowed.
    open: bool,
    /// The first expectation is a `-{` marker: nothing is checked.
    unchecked: bool,
    /// Special codes anywhere in the verification text (TABARI searches the text).
    no_event: bool,
    discard: bool,
    complex: bool,
    /// Option commands (an option record).
    options: Vec<String>,
    /// The date after the first `}` (checked when time shifting is on).
    date: Option<String>,
    /// Any verification block at all.
    any: bool,
}

/// One suite record.
struct Record {
    id: String,
    /// The header line after the date (for FORWARD story and sentence numbers).
    header_rest: String,
    date: Option<Date>,
    text: String,
    expect: Expect,
}

pub fn run(args: ValidateArgs) -> Result<u8> {
    let path = &args.suite;
    let name = path.to_string_lossy().to_ascii_lowercase();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if name.ends_with(".xml") {
        run_petrarch(path, args.verbose, args.no_parse, &mut out)?;
    } else if name.ends_with(".jsonl") || name.ends_with(".json") {
        let suite = load_jsonl(path)?;
        run_tabari(suite, args.verbose, &mut out)?;
    } else {
        let suite = load_project(path)?;
        run_tabari(suite, args.verbose, &mut out)?;
    }
    out.flush()?;
    Ok(0)
}

// ------------------------------------------------------------------------------------------
// loading

struct Suite {
    engine: TabariEngine,
    options: TabariOptions,
    /// Records are read lazily: `SET: YYYY` changes how the next headers are read.
    source: RecordSource,
}

enum RecordSource {
    Text(Vec<String>),
    Json(Vec<Record>),
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(formats::decode(&bytes).into_owned())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads and parses a dictionary file of the given kind.
fn load_dict(kind: &str, path: &Path) -> Result<DictFile> {
    let text = read_text(path)?;
    let name = file_name(path);
    Ok(match kind {
        "actors" => DictFile::Actors(name.clone(), actors::parse(&text, &name).0),
        "verbs" => DictFile::Verbs(name.clone(), tabari_verbs::parse(&text, &name).0),
        _ => DictFile::Agents(name.clone(), agents::parse(&text, &name).0),
    })
}

fn load_project(path: &Path) -> Result<Suite> {
    let text = read_text(path)?;
    let (proj, _) = project::parse(&text, &file_name(path));
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut dicts = Vec::new();
    let mut opts = TabariOptions::default();
    let mut texts = Vec::new();
    for f in &proj.files {
        let p = dir.join(f.path.trim());
        match f.kind.as_str() {
            "actorsfile" => dicts.push(load_dict("actors", &p)?),
            "verbsfile" => dicts.push(load_dict("verbs", &p)?),
            "agentsfile" => dicts.push(load_dict("agents", &p)?),
            "optionsfile" => {
                let t = read_text(&p)?;
                opts = TabariOptions::from_file(&options::parse(&t, &file_name(&p)).0);
            }
            "textfile" => texts.push(p),
            _ => {}
        }
    }
    if texts.is_empty() {
        bail!("{}: the project names no <textfile>", path.display());
    }
    let mut lines = Vec::new();
    for t in &texts {
        lines.extend(
            read_text(t)?
                .lines()
                .map(|l| l.trim_end_matches('\r').to_string()),
        );
        lines.push(String::new());
    }
    Ok(Suite {
        engine: TabariEngine::compile(&dicts),
        options: opts,
        source: RecordSource::Text(lines),
    })
}

fn load_jsonl(path: &Path) -> Result<Suite> {
    let text = read_text(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut dicts = Vec::new();
    let mut opts = TabariOptions::default();
    let mut records = Vec::new();
    for (no, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", path.display(), no + 1))?;
        if v.get("_header").and_then(|h| h.as_bool()) == Some(true) {
            for (key, kind) in [
                ("actors", "actors"),
                ("verbs", "verbs"),
                ("agents", "agents"),
            ] {
                if let Some(f) = v.get(key).and_then(|x| x.as_str()) {
                    dicts.push(load_dict(kind, &dir.join(f))?);
                }
            }
            if let Some(f) = v.get("options").and_then(|x| x.as_str()) {
                let t = read_text(&dir.join(f))?;
                opts = TabariOptions::from_file(&options::parse(&t, f).0);
            }
            continue;
        }
        records.push(json_record(&v));
    }
    if dicts.is_empty() {
        bail!("{}: no header line naming the dictionaries", path.display());
    }
    Ok(Suite {
        engine: TabariEngine::compile(&dicts),
        options: opts,
        source: RecordSource::Json(records),
    })
}

fn json_record(v: &serde_json::Value) -> Record {
    let s = |x: Option<&serde_json::Value>| x.and_then(|y| y.as_str()).unwrap_or("").to_string();
    let id = s(v.get("id"));
    let date_s = s(v.get("date"));
    let e = v.get("expected");
    let mut ex = Expect::default();
    if let Some(e) = e {
        let mut first = true;
        for ev in e
            .get("events")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            ex.any = true;
            let unchecked = ev.get("unchecked").and_then(|u| u.as_bool()) == Some(true);
            if unchecked {
                if first {
                    ex.unchecked = true;
                }
                ex.open = true;
                break;
            }
            first = false;
            if ex.date.is_none() {
                ex.date = ev.get("date").and_then(|d| d.as_str()).map(str::to_string);
            }
            ex.triples.push(Triple {
                source: s(ev.get("source")),
                target: s(ev.get("target")),
                code: s(ev.get("code")),
            });
        }
        for sp in e
            .get("special")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            match sp.as_str().unwrap_or("") {
                "---" => ex.no_event = true,
                "###" => ex.discard = true,
                "+++" => ex.complex = true,
                _ => continue,
            }
            ex.any = true;
        }
        for o in e
            .get("options")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(o) = o.as_str() {
                ex.options.push(o.to_string());
            }
        }
    }
    // an `{ OPTION: ...` without its `}` ends up in the note
    if ex.options.is_empty() && !ex.any {
        let note = s(v.get("note"));
        if note.contains("OPTION:") {
            ex.options = parse_expect(&format!("/* {note}")).options;
        }
    }
    let date = Date::parse_tabari(&date_s, date_s.len() >= 8);
    Record {
        header_rest: format!("  {id}"),
        id,
        date,
        text: s(v.get("text")),
        expect: ex,
    }
}

// ------------------------------------------------------------------------------------------
// TABARI records

/// TABARI's MAX_SENTENCE: longer records are truncated.
const MAX_SENTENCE: usize = 2048;

/// Reads the next record from `lines` at `*pos` as TABARI does: skip to a line that starts
/// with a digit (the header: date then id), then text lines until an empty line. A record
/// with an invalid date is skipped.
fn next_text_record(lines: &[String], pos: &mut usize, four_digit: bool) -> Option<Record> {
    loop {
        while *pos < lines.len() && !lines[*pos].starts_with(|c: char| c.is_ascii_digit()) {
            *pos += 1;
        }
        if *pos >= lines.len() {
            return None;
        }
        let header = lines[*pos].clone();
        *pos += 1;
        let dlen = if four_digit { 8 } else { 6 };
        let date_s: String = header.chars().take(dlen).collect();
        let rest: String = header.chars().skip(dlen).collect();
        let date = Date::parse_tabari(&date_s, four_digit);
        let mut text = String::new();
        let mut truncated = false;
        while *pos < lines.len() && !lines[*pos].is_empty() {
            if !truncated {
                let l = &lines[*pos];
                text.push_str(l);
                if !l.ends_with(' ') {
                    text.push(' ');
                }
                if text.len() >= MAX_SENTENCE {
                    let mut cut = MAX_SENTENCE - 23;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                    text.push_str(" [STORY TRUNCATED...] ");
                    truncated = true;
                }
            }
            *pos += 1;
        }
        if date.is_none() {
            continue; // TABARI skips records with an invalid date
        }
        let id = rest.trim().to_string();
        let expect = parse_expect(&text);
        return Some(Record {
            id,
            header_rest: rest,
            date,
            text,
            expect,
        });
    }
}

/// The verification part of a record: the `{...}` blocks after the first `/*`.
fn parse_expect(text: &str) -> Expect {
    let mut ex = Expect::default();
    let Some(c) = text.find("/*") else {
        return ex;
    };
    let ver = &text[c + 2..];
    let Some(first) = ver.find('{') else {
        return ex;
    };
    let from_first = &ver[first..];
    if from_first.contains("OPTION:") {
        let mut rest = from_first;
        while let Some(k) = rest.find("OPTION:") {
            let after = &rest[k + "OPTION:".len()..];
            let end = after.find('}').unwrap_or(after.len());
            let cmd = after[..end].trim();
            let cmd = cmd.strip_suffix("*/").unwrap_or(cmd).trim();
            ex.options.push(cmd.to_string());
            rest = &after[end..];
        }
        return ex;
    }
    ex.no_event = from_first.contains("---");
    ex.discard = from_first.contains("###");
    ex.complex = from_first.contains("+++");
    // date: the first run of digits after the first `}`
    if let Some(close) = from_first.find('}') {
        let digits: String = from_first[close..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if !digits.is_empty() {
            ex.date = Some(digits);
        }
    }
    let b = ver.as_bytes();
    let mut i = first;
    let mut first_block = true;
    while let Some(k) = ver[i..].find('{') {
        let open = i + k;
        let stop = open > 0 && b[open - 1] == b'-';
        let end = ver[open..].find('}').map_or(ver.len(), |e| open + e);
        let inner = ver[open + 1..end].trim();
        i = end.min(ver.len());
        if i < ver.len() {
            i += 1;
        }
        if inner.is_empty() {
            continue;
        }
        ex.any = true;
        if stop {
            if first_block {
                ex.unchecked = true;
            }
            ex.open = true;
            break;
        }
        first_block = false;
        let parts: Vec<&str> = inner.split('/').map(str::trim).collect();
        if parts.len() >= 3 {
            let code = parts[2].split_whitespace().next().unwrap_or("");
            ex.triples.push(Triple {
                source: parts[0].to_string(),
                target: parts[1].to_string(),
                code: code.to_string(),
            });
        }
    }
    ex
}

/// The text TABARI codes: the record without its `/* ... */` comments.
fn coding_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find("/*") {
        out.push_str(&rest[..k]);
        match rest[k + 2..].find("*/") {
            Some(e) => rest = &rest[k + 2 + e + 2..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The story and sentence numbers of a header under a FORWARD template (TABARI's
/// `readRecord`), or `None` when the header does not fit it.
fn story_and_seq(rec: &Record, o: &TabariOptions) -> Option<(String, i64)> {
    let f = o.forward.as_ref()?;
    let h: Vec<char> = rec.header_rest.chars().collect();
    if h.len() <= f.id_loc {
        return None;
    }
    let take = |a: usize, n: usize| -> String { h.iter().skip(a).take(n).collect() };
    let story = f
        .story
        .map(|(s, n)| take(f.id_loc + s, n))
        .unwrap_or_default();
    let seq = f
        .sentence
        .map(|(s, n)| take(s, n))
        .and_then(|s| {
            let d: String = s
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            d.parse::<i64>().ok()
        })
        .unwrap_or(0);
    Some((story, seq))
}

// ------------------------------------------------------------------------------------------
// running

#[derive(Default)]
struct Tally {
    passed: usize,
    counted: usize,
    failed: Vec<String>,
    unchecked: usize,
    option_records: usize,
}

fn run_tabari(mut suite: Suite, verbose: bool, out: &mut impl Write) -> Result<()> {
    let engine = &suite.engine;
    let mut opts = suite.options.clone();
    let mut tally = Tally::default();
    let mut pos = 0usize;
    let mut json_pos = 0usize;
    let mut prev: Option<Forward> = None;
    let mut last_story: Option<String> = None;
    let mut last_seq: i64 = -1;
    loop {
        let rec = match &mut suite.source {
            RecordSource::Text(lines) => next_text_record(lines, &mut pos, opts.four_digit_year),
            RecordSource::Json(recs) => {
                let r = recs.get_mut(json_pos).map(|r| Record {
                    id: std::mem::take(&mut r.id),
                    header_rest: std::mem::take(&mut r.header_rest),
                    date: r.date,
                    text: std::mem::take(&mut r.text),
                    expect: std::mem::take(&mut r.expect),
                });
                json_pos += 1;
                r
            }
        };
        let Some(rec) = rec else {
            break;
        };
        let Some(date) = rec.date else {
            continue;
        };
        // forwarding: consecutive sentences of one story
        let mut can_forward = false;
        if opts.use_forward {
            match story_and_seq(&rec, &opts) {
                Some((story, seq)) => {
                    if last_story.as_deref() != Some(story.as_str()) {
                        last_seq = -1;
                    }
                    can_forward = last_seq >= 0 && seq == last_seq + 1;
                    last_story = Some(story);
                    last_seq = seq;
                }
                None => {
                    last_seq = -1;
                }
            }
        }
        let text = coding_text(&rec.text);
        let coding = engine.code_sentence(
            &text,
            date,
            &opts,
            if can_forward { prev.as_ref() } else { None },
        );
        if coding.forward.is_some() {
            prev = coding.forward.clone();
        }
        let ex = &rec.expect;
        if !ex.options.is_empty() {
            for c in &ex.options {
                opts.apply_str(c);
            }
            tally.option_records += 1;
            if verbose {
                writeln!(out, "OPTION {}: {}", rec.id, ex.options.join("; "))?;
            }
            continue;
        }
        let stop_here = rec.id == "FINAL-01";
        if !ex.any || ex.unchecked {
            tally.unchecked += 1;
            if verbose {
                writeln!(out, "SKIP {} (nothing checked)", rec.id)?;
            }
            if stop_here {
                break;
            }
            continue;
        }
        tally.counted += 1;
        let time_on = opts.time_shift.unwrap_or(engine.has_time_phrases());
        let produced: Vec<Triple> = coding
            .events
            .iter()
            .map(|e| Triple {
                source: e.source.clone(),
                target: e.target.clone(),
                code: e.code.clone(),
            })
            .collect();
        let (ok, reason) = judge(ex, &coding.outcome, &produced, coding.date, time_on, &opts);
        if ok {
            tally.passed += 1;
            writeln!(out, "PASS {}", rec.id)?;
        } else {
            tally.failed.push(format!("{}: {}", rec.id, reason));
            writeln!(out, "FAIL {}", rec.id)?;
        }
        if !ok || verbose {
            let mut d = String::new();
            let _ = writeln!(
                d,
                "    text: {}",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            let _ = writeln!(d, "    outcome: {}", coding.outcome.describe());
            let mut exp: Vec<String> = ex.triples.iter().map(|t| t.to_string()).collect();
            if ex.open {
                exp.push("...".to_string());
            }
            for (flag, s) in [
                (ex.no_event, "{---}"),
                (ex.discard, "{###}"),
                (ex.complex, "{+++}"),
            ] {
                if flag {
                    exp.push(s.to_string());
                }
            }
            let _ = writeln!(d, "    expected: {}", exp.join("; "));
            let got: Vec<String> = coding
                .events
                .iter()
                .map(|e| format!("{} / {} / {}", e.source, e.target, e.code))
                .collect();
            let _ = writeln!(d, "    produced: {}", got.join("; "));
            if !ok {
                let _ = writeln!(d, "    reason: {reason}");
                for e in &coding.events {
                    let _ = writeln!(
                        d,
                        "    rule: {} / {} / {} <- {}",
                        e.source, e.target, e.code, e.rule
                    );
                }
            }
            write!(out, "{d}")?;
        }
        if stop_here {
            break;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} option records applied, {} records not checked (no expectation, or `-{{` first)",
        tally.option_records, tally.unchecked
    )?;
    if !tally.failed.is_empty() {
        writeln!(out, "failing records:")?;
        for f in &tally.failed {
            writeln!(out, "  {f}")?;
        }
    }
    let rate = if tally.counted == 0 {
        0.0
    } else {
        100.0 * tally.passed as f64 / tally.counted as f64
    };
    writeln!(out, "pass rate: {rate:.1}%")?;
    writeln!(out, "passed {} of {}", tally.passed, tally.counted)?;
    Ok(())
}

/// Whether what was coded is what the record expects, and why not.
fn judge(
    ex: &Expect,
    outcome: &Outcome,
    produced: &[Triple],
    date: Option<Date>,
    time_on: bool,
    opts: &TabariOptions,
) -> (bool, String) {
    match outcome {
        Outcome::Coded => {}
        Outcome::NoEvents(r) | Outcome::InputError(r) => {
            return if ex.no_event {
                (true, String::new())
            } else {
                (false, format!("nothing coded ({r})"))
            }
        }
        Outcome::Discard(r) => {
            return if ex.discard {
                (true, String::new())
            } else {
                (false, format!("discarded ({r})"))
            }
        }
        Outcome::Complex(r) => {
            return if ex.complex {
                (true, String::new())
            } else {
                (false, format!("complex ({r})"))
            }
        }
    }
    if ex.triples.is_empty() {
        let what = if ex.discard {
            "a discard"
        } else if ex.complex {
            "a complex record"
        } else {
            "no event"
        };
        return (false, format!("expected {what}, but events were coded"));
    }
    let mut want: HashMap<&Triple, usize> = HashMap::new();
    for t in &ex.triples {
        *want.entry(t).or_default() += 1;
    }
    let mut have: HashMap<&Triple, usize> = HashMap::new();
    for t in produced {
        *have.entry(t).or_default() += 1;
    }
    let missing: Vec<String> = want
        .iter()
        .filter(|(t, n)| have.get(*t).copied().unwrap_or(0) < **n)
        .map(|(t, _)| t.to_string())
        .collect();
    let extra: Vec<String> = have
        .iter()
        .filter(|(t, n)| want.get(*t).copied().unwrap_or(0) < **n)
        .map(|(t, _)| t.to_string())
        .collect();
    if !missing.is_empty() || (!ex.open && !extra.is_empty()) {
        let mut r = String::new();
        if !missing.is_empty() {
            r.push_str(&format!("missing {}", missing.join(", ")));
        }
        if !ex.open && !extra.is_empty() {
            if !r.is_empty() {
                r.push_str("; ");
            }
            r.push_str(&format!("unexpected {}", extra.join(", ")));
        }
        return (false, r);
    }
    if time_on {
        let got = date
            .map(|d| d.tabari(opts.four_digit_year))
            .unwrap_or_default();
        match &ex.date {
            Some(want) if got.contains(want.as_str()) => {}
            Some(want) => return (false, format!("date {got}, expected {want}")),
            None => {
                return (
                    false,
                    "time shifting is on and no date is expected".to_string(),
                )
            }
        }
    }
    (true, String::new())
}

// ------------------------------------------------------------------------------------------
// PETRARCH

/// One `<Sentence>` of a PETRARCH unit-test file.
struct PetrRecord {
    id: String,
    date: u32,
    /// `sentence="true"` (petrarch2) or `valid="true"` (PETRARCH classic).
    on: bool,
    text: String,
    parse: String,
    expect: PetrExpect,
}

/// What a PETRARCH record expects.
#[derive(Default)]
struct PetrExpect {
    triples: Vec<Triple>,
    /// `noevents="True"`.
    no_events: bool,
    /// `error="..."`: `dateline`, `bad_input_parse`, `sentencediscard`, `storydiscard`.
    error: Option<String>,
}

/// One step of a PETRARCH unit-test file, in file order.
enum PetrItem {
    Config(String, String),
    Record(Box<PetrRecord>),
}

/// Removes `<!-- ... -->` comments.
fn strip_xml_comments(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find("<!--") {
        clean.push_str(&rest[..k]);
        match rest[k..].find("-->") {
            Some(e) => rest = &rest[k + e + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    clean.push_str(rest);
    clean
}

/// Undoes the XML entities of text content.
fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The attributes of a tag's inside (`date = "1995" id ='X'`), names lower-cased.
fn xml_attrs(tag: &str) -> Vec<(String, String)> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // name
        while i < b.len() && !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let st = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
            i += 1;
        }
        let name = tag[st..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let q = b[i];
        if q != b'"' && q != b'\'' {
            continue;
        }
        i += 1;
        let vs = i;
        while i < b.len() && b[i] != q {
            i += 1;
        }
        let value = xml_unescape(&tag[vs..i.min(b.len())]);
        i += 1;
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The content of the first `<name>...</name>` in `s`.
fn element<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let a = s.find(&open)? + open.len();
    let b = s[a..].find(&close)? + a;
    Some(&s[a..b])
}

/// Reads a PETRARCH unit-test file: the dictionary names of its `<Environment>`, then
/// `<Config>` changes and `<Sentence>` records in file order.
fn read_petrarch_suite(text: &str) -> (Vec<(String, String)>, Vec<PetrItem>) {
    let clean = strip_xml_comments(text);
    let mut env = Vec::new();
    let mut body = clean.as_str();
    if let Some(e) = element(&clean, "Environment") {
        for key in ["Verbfile", "Actorfile", "Agentfile", "Discardfile"] {
            if let Some(v) = element(e, key) {
                env.push((key.to_string(), v.trim().to_string()));
            }
        }
        if let Some(k) = clean.find("</Environment>") {
            body = &clean[k..];
        }
    }
    let mut items = Vec::new();
    let mut rest = body;
    loop {
        let s = rest.find("<Sentence ");
        let c = rest.find("<Config ");
        let k = match (s, c) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        let tag_end = rest[k..].find('>').map_or(rest.len(), |e| k + e);
        let tag = &rest[k..tag_end];
        let attrs = xml_attrs(tag.split_once(' ').map_or("", |x| x.1));
        if c == Some(k) {
            if let (Some(o), Some(v)) = (attr(&attrs, "option"), attr(&attrs, "value")) {
                items.push(PetrItem::Config(o.to_string(), v.to_string()));
            }
            rest = &rest[tag_end.min(rest.len())..];
            continue;
        }
        let body_end = rest[tag_end..]
            .find("</Sentence>")
            .map_or(rest.len(), |e| tag_end + e);
        let inner = &rest[tag_end.min(body_end)..body_end];
        rest = &rest[body_end..];
        let on = attr(&attrs, "sentence")
            .or_else(|| attr(&attrs, "valid"))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let date = attr(&attrs, "date")
            .and_then(dyad_coder::petrarch::pack_date)
            .unwrap_or(20_000_101);
        let mut expect = PetrExpect::default();
        let mut from = 0;
        while let Some(e) = inner[from..].find("<EventCoding") {
            let a = from + e;
            let te = inner[a..].find('>').map_or(inner.len(), |x| a + x);
            let ea = xml_attrs(&inner[a + "<EventCoding".len()..te]);
            from = te;
            if attr(&ea, "noevents").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                expect.no_events = true;
            } else if let Some(err) = attr(&ea, "error") {
                expect.error = Some(err.to_string());
            } else if let Some(code) = attr(&ea, "eventcode") {
                expect.triples.push(Triple {
                    source: attr(&ea, "sourcecode").unwrap_or("---").to_string(),
                    target: attr(&ea, "targetcode").unwrap_or("---").to_string(),
                    code: code.to_string(),
                });
            }
        }
        let text = element(inner, "Text").map(xml_unescape).unwrap_or_default();
        let parse = element(inner, "Parse")
            .map(xml_unescape)
            .unwrap_or_default();
        items.push(PetrItem::Record(Box::new(PetrRecord {
            id: attr(&attrs, "id").unwrap_or("").to_string(),
            date,
            on,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            parse,
            expect,
        })));
    }
    (env, items)
}

/// Loads the dictionaries an `<Environment>` names (relative to the suite's folder).
fn load_petrarch_dicts(dir: &Path, env: &[(String, String)]) -> Result<Vec<PetrDict>> {
    let mut dicts = Vec::new();
    for (key, names) in env {
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let p = dir.join(name);
            let text = read_text(&p)?;
            let f = file_name(&p);
            dicts.push(match key.as_str() {
                "Verbfile" => PetrDict::Verbs(f.clone(), petrarch_verbs::parse(&text, &f).0),
                "Actorfile" => PetrDict::Actors(f.clone(), actors::parse(&text, &f).0),
                "Agentfile" => PetrDict::Agents(f.clone(), agents::parse(&text, &f).0),
                _ => PetrDict::Discards(f.clone(), discards::parse(&text, &f).0),
            });
        }
    }
    if !dicts.iter().any(|d| matches!(d, PetrDict::Verbs(..))) {
        bail!("the suite's <Environment> names no <Verbfile>");
    }
    Ok(dicts)
}

fn run_petrarch(path: &Path, verbose: bool, no_parse: bool, out: &mut impl Write) -> Result<()> {
    let text = read_text(path)?;
    let (env, items) = read_petrarch_suite(&text);
    let dir = path.parent().unwrap_or(Path::new("."));
    let engine = PetrarchEngine::compile(&load_petrarch_dicts(dir, &env)?);
    let mut opts = PetrarchOptions::default();
    let mut passed = 0usize;
    let mut counted = 0usize;
    let mut failed: Vec<String> = Vec::new();
    let mut configs = 0usize;
    for item in items {
        let rec = match item {
            PetrItem::Config(o, v) => {
                if opts.set(&o, &v) {
                    configs += 1;
                    if verbose {
                        writeln!(out, "CONFIG {o} = {v}")?;
                    }
                }
                continue;
            }
            PetrItem::Record(r) => r,
        };
        if !rec.on {
            if verbose {
                writeln!(out, "SKIP {} (not a test record)", rec.id)?;
            }
            continue;
        }
        counted += 1;
        let coding = if no_parse {
            engine.code_text(&rec.text, rec.date, &opts, verbose)
        } else {
            engine.code_parse(&rec.text, &rec.parse, rec.date, &opts, verbose)
        };
        let produced: Vec<Triple> = coding
            .events
            .iter()
            .map(|e| Triple {
                source: e.source.clone(),
                target: e.target.clone(),
                code: e.code.clone(),
            })
            .collect();
        let (ok, reason) = judge_petrarch(&rec.expect, &coding.outcome, &produced);
        if ok {
            passed += 1;
            writeln!(out, "PASS {}", rec.id)?;
        } else {
            failed.push(format!("{}: {}", rec.id, reason));
            writeln!(out, "FAIL {}", rec.id)?;
        }
        if !ok || verbose {
            let mut d = String::new();
            let _ = writeln!(d, "    text: {}", rec.text);
            let _ = writeln!(d, "    outcome: {}", coding.outcome.describe());
            let mut exp: Vec<String> = rec.expect.triples.iter().map(|t| t.to_string()).collect();
            if rec.expect.no_events || (exp.is_empty() && rec.expect.error.is_none()) {
                exp.push("no events".to_string());
            }
            if let Some(e) = &rec.expect.error {
                exp.push(format!("error {e}"));
            }
            let _ = writeln!(d, "    expected: {}", exp.join("; "));
            let got: Vec<String> = produced.iter().map(|t| t.to_string()).collect();
            let _ = writeln!(d, "    produced: {}", got.join("; "));
            if !ok {
                let _ = writeln!(d, "    reason: {reason}");
            }
            for e in &coding.events {
                let _ = writeln!(
                    d,
                    "    rule: {} / {} / {} <- {}",
                    e.source, e.target, e.code, e.rule
                );
            }
            for l in &coding.trace {
                let _ = writeln!(d, "    trace: {l}");
            }
            write!(out, "{d}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{configs} <Config> changes applied")?;
    if !failed.is_empty() {
        writeln!(out, "failing records:")?;
        for f in &failed {
            writeln!(out, "  {f}")?;
        }
    }
    let rate = if counted == 0 {
        0.0
    } else {
        100.0 * passed as f64 / counted as f64
    };
    writeln!(out, "pass rate: {rate:.1}%")?;
    writeln!(out, "passed {passed} of {counted}")?;
    Ok(())
}

/// Whether a PETRARCH record's coding is what it expects, and why not. Events compare as
/// multisets; a record with no `<EventCoding>` expects no events; an expected error passes
/// when coding stopped with that error.
fn judge_petrarch(ex: &PetrExpect, outcome: &PetrOutcome, produced: &[Triple]) -> (bool, String) {
    if let Some(err) = &ex.error {
        return match outcome.error_name() {
            Some(e) if e.eq_ignore_ascii_case(err) => (true, String::new()),
            _ => (
                false,
                format!("expected error {err}, got {}", outcome.describe()),
            ),
        };
    }
    if let Some(e) = outcome.error_name() {
        if !(ex.triples.is_empty()) {
            return (false, format!("{e} ({})", outcome.describe()));
        }
    }
    let mut want: HashMap<&Triple, usize> = HashMap::new();
    for t in &ex.triples {
        *want.entry(t).or_default() += 1;
    }
    let mut have: HashMap<&Triple, usize> = HashMap::new();
    for t in produced {
        *have.entry(t).or_default() += 1;
    }
    let mut missing: Vec<String> = want
        .iter()
        .filter(|(t, n)| have.get(*t).copied().unwrap_or(0) < **n)
        .map(|(t, _)| t.to_string())
        .collect();
    let mut extra: Vec<String> = have
        .iter()
        .filter(|(t, n)| want.get(*t).copied().unwrap_or(0) < **n)
        .map(|(t, _)| t.to_string())
        .collect();
    missing.sort();
    extra.sort();
    if missing.is_empty() && extra.is_empty() {
        return (true, String::new());
    }
    let mut r = Vec::new();
    if !missing.is_empty() {
        r.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        r.push(format!("unexpected {}", extra.join(", ")));
    }
    (false, r.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations() {
        let e =
            parse_expect("x /*\\n[note]\\n{ ARN / GON / 064 } 950103 \\n{ GON / ARN / 033 } */");
        assert_eq!(e.triples.len(), 2);
        assert_eq!(e.date.as_deref(), Some("950103"));
        // as in TABARI, the date is the first number after the first `}`
        let e = parse_expect("x /* [in {}] { ARN / GON / 064 } 950103 */");
        assert_eq!(e.triples.len(), 1);
        assert_eq!(e.date.as_deref(), Some("064"));
        assert!(!e.open && !e.unchecked);
        let e = parse_expect("x /*\\n-{ARN / GON / 064  } */");
        assert!(e.unchecked);
        let e = parse_expect("x /* { OPTION: SET: MINIMUM WORDS = 4  */");
        assert_eq!(e.options, vec!["SET: MINIMUM WORDS = 4"]);
        let e = parse_expect("x /* \\n{---} */");
        assert!(e.no_event && e.triples.is_empty() && e.any);
        assert_eq!(coding_text("a /* b */ c /* d"), "a  c ");
    }

    #[test]
    fn petrarch_records() {
        let a = xml_attrs(r#"date = "19950101" id ='X-1' category="A"  sentence="true""#);
        assert_eq!(attr(&a, "id"), Some("X-1"));
        assert_eq!(attr(&a, "date"), Some("19950101"));
        assert_eq!(attr(&a, "sentence"), Some("true"));
        let xml = r#"<Validation><!-- <Sentence id="C"> -->
<Environment><Verbfile>v.txt</Verbfile><Actorfile>a.txt, b.txt</Actorfile></Environment>
<Config option="require_dyad" value="false"></Config>
<Sentence date="19950102" id="R-1" sentence="true">
<!-- note -->
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding noevents = "True"></EventCoding>
<Text>
A &amp; B
</Text>
<Parse>(ROOT (S (NP (NNP A))))</Parse>
</Sentence>
<Sentence date="19950102" id="R-2" valid="false"><EventCoding error="dateline"></EventCoding>
<Text>x</Text><Parse>(X y)</Parse></Sentence>"#;
        let (env, items) = read_petrarch_suite(xml);
        assert_eq!(
            env[1],
            ("Actorfile".to_string(), "a.txt, b.txt".to_string())
        );
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], PetrItem::Config(o, v) if o == "require_dyad" && v == "false"));
        let PetrItem::Record(r) = &items[1] else {
            panic!("record expected")
        };
        assert_eq!((r.id.as_str(), r.date, r.on), ("R-1", 19_950_102, true));
        assert_eq!(r.text, "A & B");
        assert_eq!(r.expect.triples.len(), 1);
        assert!(r.expect.no_events);
        let PetrItem::Record(r) = &items[2] else {
            panic!("record expected")
        };
        assert!(!r.on);
        assert_eq!(r.expect.error.as_deref(), Some("dateline"));
    }
}
