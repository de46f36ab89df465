//! Coding one sentence, and the [`Coder`] implementation that turns TABARI events into
//! contract events.

use std::borrow::Cow;

use dyad_model::{Article, DatePrecision, Event, EventActor, Evidence, Trigger};

use super::coder::Coder as Engine;
use super::compile::TabariEngine;
use super::options::TabariOptions;
use super::{parse, Date, Forward, Outcome, SentenceCoding, TabariEvent};
use crate::{Coded, Coder};

impl TabariEngine {
    /// Codes one sentence (one TABARI record) on `date`. `prev` is what the previous
    /// sentence of the same story forwards; pass it only when forwarding applies (the
    /// `FORWARD` option is on and the sentences are consecutive).
    pub fn code_sentence(
        &self,
        text: &str,
        date: Date,
        opts: &TabariOptions,
        prev: Option<&Forward>,
    ) -> SentenceCoding {
        self.code_one(text, date, opts, prev, true, false)
    }

    /// [`TabariEngine::code_sentence`]; what the sentence forwards is only worked out when
    /// `want_forward`. With `events_only` (and no forwarding wanted), a sentence without a
    /// verb is not coded further: its outcome is `NoEvents` whatever TABARI would have said
    /// (discard, complexity), which only matters to callers that report outcomes.
    fn code_one(
        &self,
        text: &str,
        date: Date,
        opts: &TabariOptions,
        prev: Option<&Forward>,
        want_forward: bool,
        events_only: bool,
    ) -> SentenceCoding {
        let can_forward = opts.use_forward && prev.is_some();
        let events_only = events_only && !want_forward;
        let sent = parse::parse_with(self, text, date, opts, prev, can_forward, events_only);
        if sent.no_verb {
            return SentenceCoding {
                outcome: Outcome::NoEvents(Cow::Borrowed("No events found in text")),
                events: Vec::new(),
                date: Some(date),
                forward: None,
            };
        }
        let forward = if want_forward { sent.forward() } else { None };
        let time_on = opts.time_shift.unwrap_or(self.has_time);
        let r = Engine::new(&sent, opts).code(time_on);
        SentenceCoding {
            outcome: r.outcome,
            events: r.events,
            date: Some(r.date),
            forward,
        }
    }

    /// Whether the verbs files have a `<TIME>` section (TABARI then shifts dates unless
    /// `SET: TIME SHIFT = FALSE`).
    pub fn has_time_phrases(&self) -> bool {
        self.has_time
    }

    /// What the engine holds: roots (actors, agents, verbs and their forms, nouns,
    /// adjectives, time phrases, built-in words), verbs, verb patterns and literals.
    pub fn counts(&self) -> EngineCounts {
        EngineCounts {
            roots: self.roots.len(),
            verbs: self.verb_sets.len(),
            patterns: self.verb_sets.iter().map(|v| v.patterns.len()).sum(),
            literals: self.lits.len(),
        }
    }
}

/// See [`TabariEngine::counts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineCounts {
    pub roots: usize,
    pub verbs: usize,
    pub patterns: usize,
    pub literals: usize,
}

/// The TABARI engine behind the [`Coder`] interface: each sentence of an article is coded
/// as a TABARI record dated with the article's date (today's date is never used: an
/// article without a date is coded on 2000-01-01, which only matters for dated actor
/// codes).
///
/// Events follow the output contract: sentences count from 1, and the event code is a
/// CAMEO code. A dictionary code that CAMEO does not have is read as its longest prefix
/// that CAMEO has (`0330` as `033`, `174K` as `174`; the rule says so), and an event whose
/// code has no such prefix (`903`, `X`) is left out.
pub struct TabariCoder {
    engine: TabariEngine,
    options: TabariOptions,
}

impl std::fmt::Debug for TabariCoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TabariCoder")
            .field("engine", &self.engine)
            .field("options", &self.options)
            .finish()
    }
}

impl TabariCoder {
    pub fn new(engine: TabariEngine, options: TabariOptions) -> TabariCoder {
        TabariCoder { engine, options }
    }

    pub fn engine(&self) -> &TabariEngine {
        &self.engine
    }

    pub fn options(&self) -> &TabariOptions {
        &self.options
    }
}

/// The TABARI coder splits with [`dyad_text::sentences_rules_only`]: our own rules (news
/// titles, months, initials, dotted and corporate abbreviations, quotes, datelines) without
/// sentencex, whose proposals the default splitter starts from. Those proposals cost a fifth
/// of this coder's time, and TABARI-format dictionaries were written for sentences one by
/// one, not for sentencex's extra knowledge, which also errs the other way: its list of
/// abbreviations keeps `ore.` (Oregon) open, so `... iron ore. Brazil praised ...` stayed one
/// sentence.
fn split(text: &str) -> Vec<std::ops::Range<usize>> {
    dyad_text::sentences_rules_only(text)
}

impl Coder for TabariCoder {
    fn code(&self, article: &Article) -> Coded {
        self.code_split(article, split(&article.text))
    }

    /// Splits every article into sentences first, then codes them: the splitter and the
    /// engine each run with their own code in the instruction cache.
    fn code_many(&self, articles: &[Article]) -> Vec<Coded> {
        let splits: Vec<_> = articles.iter().map(|a| split(&a.text)).collect();
        articles
            .iter()
            .zip(splits)
            .map(|(a, s)| self.code_split(a, s))
            .collect()
    }
}

impl TabariCoder {
    /// Codes an article split into the sentences `sents`.
    fn code_split(&self, article: &Article, sents: Vec<std::ops::Range<usize>>) -> Coded {
        let date = article
            .date
            .as_deref()
            .and_then(Date::parse_iso)
            .unwrap_or(Date::new(2000, 1, 1));
        let mut events = Vec::new();
        let mut prev: Option<Forward> = None;
        for (k, range) in sents.iter().enumerate() {
            let Some(text) = article.text.get(range.clone()) else {
                continue;
            };
            let fwd = if self.options.use_forward {
                prev.as_ref()
            } else {
                None
            };
            let coding = self.engine.code_one(
                text,
                date,
                &self.options,
                fwd,
                self.options.use_forward,
                true,
            );
            if self.options.use_forward {
                prev = coding.forward.clone();
            }
            if coding.outcome != Outcome::Coded {
                continue;
            }
            let day = coding.date.unwrap_or(date);
            for ev in coding.events {
                if let Some(e) = to_event(article, k as u32 + 1, text, day, ev) {
                    events.push(e);
                }
            }
        }
        Coded {
            events,
            sentences: sents.len(),
        }
    }
}

fn actor(code: String, text: &str, span: Option<[usize; 2]>, sentence: &str) -> EventActor {
    let words = span
        .and_then(|[a, b]| sentence.get(a..b))
        .unwrap_or(text)
        .to_string();
    let is_country = code.len() >= 3
        && code.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
        && !matches!(&code[..3], "IGO" | "NGO" | "IMG" | "MNC" | "NGM");
    let country = is_country.then(|| code[..3].to_string());
    let sector = if is_country {
        code.get(3..6).map(str::to_string)
    } else {
        None
    };
    EventActor {
        name: words.clone(),
        text: words,
        code,
        country,
        sector,
    }
}

/// The longest prefix of a dictionary code that is a CAMEO code (`None`: no prefix is).
fn cameo_code(code: &str) -> Option<&str> {
    let mut c = code;
    while !c.is_empty() {
        if dyad_model::cameo::lookup(c).is_some() {
            return Some(c);
        }
        c = c.char_indices().last().and_then(|(i, _)| c.get(..i))?;
    }
    None
}

/// The contract event of a TABARI event in sentence `sentence` (counted from 1); `None`
/// when its code is not CAMEO (see [`TabariCoder`]).
fn to_event(
    article: &Article,
    sentence: u32,
    text: &str,
    day: Date,
    ev: TabariEvent,
) -> Option<Event> {
    let code = cameo_code(&ev.code)?;
    let rule = if code == ev.code {
        ev.rule
    } else {
        format!("{} (code {} read as {code})", ev.rule, ev.code)
    };
    let [ts, te] = ev.verb_span.unwrap_or([0, 0]);
    let event_id = Event::compute_id(
        &article.id,
        sentence,
        (ts, te),
        code,
        Some(&ev.source),
        Some(&ev.target),
    );
    let source = actor(ev.source, "", ev.source_span, text);
    let target = actor(ev.target, "", ev.target_span, text);
    let trigger_text = text.get(ts..te).unwrap_or("").to_string();
    let (cameo, plover, acled) = dyad_model::schemes(
        code,
        None,
        source.sector.as_deref(),
        target.sector.as_deref(),
    );
    Some(Event {
        event_id,
        article_id: article.id.clone(),
        sentence,
        date: Some(day.iso()),
        date_precision: Some(DatePrecision::Day),
        cameo,
        plover,
        acled,
        location: None,
        fatalities: None,
        quantities: Vec::new(),
        evidence: Evidence {
            text: text.to_string(),
            trigger: Trigger {
                text: trigger_text,
                start: ts,
                end: te,
            },
            source_span: ev.source_span,
            target_span: ev.target_span,
            rule,
        },
        source: Some(source),
        target: Some(target),
    })
}
