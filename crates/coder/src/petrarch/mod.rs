//! A PETRARCH-style coding engine: actors, agents and verb patterns read off a sentence's
//! constituency tree.
//!
//! PETRARCH codes a sentence from its Penn Treebank parse rather than from a flat string of
//! words. This engine does the same, with its own design:
//!
//! 1. **tree** (module `tree`): the parse (`(ROOT (S (NP …) (VP …)))`) becomes an arena of
//!    nodes over the sentence's tokens. Plain text without a parse goes through a shallow
//!    parser of our own (module `shallow`) that produces the same kind of tree.
//! 2. **checks**: a story or sentence discard phrase, a dateline, or an unreadable parse stop
//!    coding with their own [`Outcome`].
//! 3. **comma clauses**: comma-delimited stretches at clause level whose length (in words)
//!    lies within the configured bounds (`comma_min`/`comma_max` inside the sentence,
//!    `comma_bmin`/`comma_bmax` at its start, `comma_emin`/`comma_emax` at its end; a max of
//!    0 turns a kind off) are set aside.
//! 4. **entities** (module `ne`): flat noun phrases become entities whose members carry
//!    actor codes (dated), agents (`~GOV` after, `NGO~` before), lists (`A, B and C`),
//!    heads with `of`/`in`/`from` phrases (`the government of Gondor` = `GONGOV`), agents
//!    shared across a list (`Danish media and government`), and, with
//!    `new_actor_length` > 0, unknown short noun phrases as actors named by their words.
//! 5. **verbs and patterns** (module `coder`): every verb the dictionary knows (one-word or
//!    multi-word, regular or listed forms) is matched against its block's patterns, longest
//!    first, over the words before it and after it in its verb phrase. Both PETRARCH-1
//!    patterns (`- SAID + * TO $ [code]`: words, `$` source, `+` target, `%` compound, `^`
//!    skip, `_` adjacency, `&SYNSET`) and PETRARCH-2 five-slot patterns (pre-verb nouns,
//!    pre-verb `(PREP …)` phrases, `*`, post-verb nouns and `{MOD HEAD}` phrases, post-verb
//!    `(PREP …)` phrases) are read.
//! 6. **events**: the code (plain, paired `[A:B]`, subordinate `[A?]`), the source and target
//!    (from the pattern, or the defaults: subject before the verb, first coded entity after
//!    it; passive `BY` phrases swap them), compound actors expanded member by member,
//!    `require_dyad`, duplicates removed.
//!
//! **Verbs inside verbs.** A verb with an event code (not a subordinate `[code?]` one) claims
//! its verb phrase: the verbs inside it are not coded on their own (PETRARCH-1's behaviour:
//! "A restored ties … after crowds burned its embassy" codes *restored* only). When the verb
//! file has PETRARCH-2 `~` transformations (`~ a (b . ATTACK) SAY = a b 112`), the events of
//! those inner verbs are matched against them instead: "A said B attacked C" becomes
//! `A B 112`; when no transformation applies, the outer verb's own events stand.
//!
//! The engine does no I/O and is deterministic: [`PetrarchEngine::compile`] the parsed
//! dictionaries once, then code with [`PetrarchEngine::code_parse`] (a sentence with its
//! Treebank parse), [`PetrarchEngine::code_text`] (plain text), or through
//! [`PetrarchCoder`], which implements [`crate::Coder`].

mod coder;
mod dict;
mod ne;
mod shallow;
mod tree;

use dyad_model::{
    acled, cameo, AcledInfo, Article, CameoInfo, DatePrecision, Event, EventActor, Evidence,
    PloverInfo, Trigger,
};

pub use dict::PetrDict;
pub use tree::{Node, Tok, Tree, TreeError};

use crate::{Coded, Coder};

/// Coding options (PETRARCH's `PETR_config.ini` names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PetrarchOptions {
    /// Events need a coded source and a coded target (default true).
    pub require_dyad: bool,
    /// Unknown noun phrases of at most this many words become actors named by their
    /// words (`"THE MINISTRY OF MAGIC"`); 0 turns this off (default).
    pub new_actor_length: usize,
    pub comma_min: usize,
    pub comma_max: usize,
    pub comma_bmin: usize,
    pub comma_bmax: usize,
    pub comma_emin: usize,
    pub comma_emax: usize,
}

impl Default for PetrarchOptions {
    fn default() -> Self {
        PetrarchOptions {
            require_dyad: true,
            new_actor_length: 0,
            comma_min: 2,
            comma_max: 8,
            comma_bmin: 0,
            comma_bmax: 0,
            comma_emin: 2,
            comma_emax: 8,
        }
    }
}

impl PetrarchOptions {
    /// Sets an option by its configuration name; `false` when the name or value is not
    /// understood.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let v = value.trim();
        let num = || v.parse::<usize>().ok();
        let flag = || match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        };
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "require_dyad" => {
                return flag().map(|b| self.require_dyad = b).is_some();
            }
            "new_actor_length" => &mut self.new_actor_length,
            "comma_min" => &mut self.comma_min,
            "comma_max" => &mut self.comma_max,
            "comma_bmin" => &mut self.comma_bmin,
            "comma_bmax" => &mut self.comma_bmax,
            "comma_emin" => &mut self.comma_emin,
            "comma_emax" => &mut self.comma_emax,
            _ => return false,
        };
        match num() {
            Some(n) => {
                *slot = n;
                true
            }
            None => false,
        }
    }
}

/// How coding a sentence ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Events were coded.
    Coded,
    /// Nothing to code.
    NoEvents,
    /// A sentence discard phrase (the phrase).
    SentenceDiscard(String),
    /// A story discard phrase: the whole story is skipped.
    StoryDiscard(String),
    /// The sentence starts with a dateline (`CITY: -- ...`).
    Dateline,
    /// The parse could not be read.
    BadParse(String),
}

impl Outcome {
    /// PETRARCH's name for an error outcome (`sentencediscard`, `storydiscard`, `dateline`,
    /// `bad_input_parse`), `None` for [`Outcome::Coded`] and [`Outcome::NoEvents`].
    pub fn error_name(&self) -> Option<&'static str> {
        match self {
            Outcome::SentenceDiscard(_) => Some("sentencediscard"),
            Outcome::StoryDiscard(_) => Some("storydiscard"),
            Outcome::Dateline => Some("dateline"),
            Outcome::BadParse(_) => Some("bad_input_parse"),
            Outcome::Coded | Outcome::NoEvents => None,
        }
    }

    /// A one-line description.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Coded => "coded".into(),
            Outcome::NoEvents => "no events".into(),
            Outcome::SentenceDiscard(p) => format!("sentence discard `{p}`"),
            Outcome::StoryDiscard(p) => format!("story discard `{p}`"),
            Outcome::Dateline => "dateline".into(),
            Outcome::BadParse(e) => format!("bad parse: {e}"),
        }
    }
}

/// One coded event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PetrEvent {
    /// Source and target codes (`ARNGOV`, `---GOV`, `"THE MINISTRY OF MAGIC"`).
    pub source: String,
    pub target: String,
    /// The event code as the dictionary writes it (`064`, `075A`).
    pub code: String,
    /// From a subordinate `[code?]`.
    pub subordinate: bool,
    /// Token span `[start, end)` of the verb (multi-word verbs included).
    pub verb: (usize, usize),
    /// Token spans of the source and target entities.
    pub source_toks: Option<(usize, usize)>,
    pub target_toks: Option<(usize, usize)>,
    /// The pattern (`file:line VERB`) or the verb that gave the code.
    pub rule: String,
}

/// What coding one sentence gives.
#[derive(Clone, Debug)]
pub struct PetrCoding {
    pub outcome: Outcome,
    pub events: Vec<PetrEvent>,
    /// The tree that was coded (absent when the parse could not be read).
    pub tree: Option<Tree>,
    /// With tracing on: the entities, and each dictionary verb's sequences and result.
    pub trace: Vec<String>,
}

impl PetrCoding {
    /// A sentence that stopped before its verbs were coded: its outcome and no events.
    fn uncoded(outcome: Outcome, tree: Option<Tree>) -> PetrCoding {
        PetrCoding {
            outcome,
            events: Vec::new(),
            tree,
            trace: Vec::new(),
        }
    }
}

/// Compiled PETRARCH dictionaries.
#[derive(Clone, Debug)]
pub struct PetrarchEngine {
    d: dict::Dicts,
}

impl PetrarchEngine {
    /// Compiles parsed dictionary files (verbs in either PETRARCH dialect, actors, agents,
    /// discards; several of each kind may be given).
    pub fn compile(files: &[PetrDict]) -> PetrarchEngine {
        PetrarchEngine {
            d: dict::Dicts::compile(files),
        }
    }

    /// Problems met while compiling (patterns without a code, too many expansions).
    pub fn notes(&self) -> &[String] {
        &self.d.notes
    }

    /// Actor phrases, agent phrases, verb forms, pattern expansions.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        self.d.counts()
    }

    /// The story discard phrase found in `text`, if any.
    pub fn story_discard(&self, text: &str) -> Option<String> {
        self.discard(text, true)
    }

    fn discard(&self, text: &str, story: bool) -> Option<String> {
        let norm: String = format!(
            " {} ",
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        )
        .to_uppercase();
        for dc in self.d.discards.iter().filter(|x| x.story == story) {
            let mut from = 0;
            while let Some(k) = norm[from..].find(&dc.text) {
                let end = from + k + dc.text.len();
                let ok = !dc.whole
                    || norm[end..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                if ok {
                    return Some(dc.phrase.clone());
                }
                from = from + k + 1;
            }
        }
        None
    }

    /// Codes a sentence with its Penn Treebank parse. `date` is `yyyymmdd`.
    pub fn code_parse(
        &self,
        text: &str,
        parse: &str,
        date: u32,
        opts: &PetrarchOptions,
        trace: bool,
    ) -> PetrCoding {
        if let Some(o) = self.pre_checks(text) {
            return PetrCoding::uncoded(o, None);
        }
        match Tree::parse_ptb(parse) {
            Ok(t) => self.code_tree(t, date, opts, trace),
            Err(e) => PetrCoding::uncoded(Outcome::BadParse(e.to_string()), None),
        }
    }

    /// Codes a sentence of plain text (parsed with the built-in shallow parser).
    pub fn code_text(
        &self,
        text: &str,
        date: u32,
        opts: &PetrarchOptions,
        trace: bool,
    ) -> PetrCoding {
        if let Some(o) = self.pre_checks(text) {
            return PetrCoding::uncoded(o, None);
        }
        let t = shallow::parse(text, &self.d);
        if t.toks.is_empty() {
            return PetrCoding::uncoded(Outcome::NoEvents, Some(t));
        }
        self.code_tree(t, date, opts, trace)
    }

    /// The shallow parse of a sentence of plain text, as a tree.
    pub fn shallow_parse(&self, text: &str) -> Tree {
        shallow::parse(text, &self.d)
    }

    /// Codes a tree.
    pub fn code_tree(&self, t: Tree, date: u32, opts: &PetrarchOptions, trace: bool) -> PetrCoding {
        let c = coder::SentenceCoder::code(&t, &self.d, opts, date, trace);
        PetrCoding {
            outcome: c.outcome,
            events: c.events,
            tree: Some(t),
            trace: c.trace,
        }
    }

    fn pre_checks(&self, text: &str) -> Option<Outcome> {
        if let Some(p) = self.discard(text, true) {
            return Some(Outcome::StoryDiscard(p));
        }
        if let Some(p) = self.discard(text, false) {
            return Some(Outcome::SentenceDiscard(p));
        }
        if is_dateline(text) {
            return Some(Outcome::Dateline);
        }
        None
    }
}

/// A dateline: the sentence opens with upper-case words ended by `:` or `--`
/// (`CEBU CITY: -- Cordova ...`).
fn is_dateline(text: &str) -> bool {
    for (k, w) in text.split_whitespace().take(6).enumerate() {
        let letters = w.trim_end_matches(':');
        let upper = letters.chars().any(|c| c.is_alphabetic())
            && !letters.chars().any(|c| c.is_lowercase());
        if w == "--" {
            return k > 0;
        }
        if !upper {
            return false;
        }
        if w.ends_with(':') || w.ends_with("--") {
            return true;
        }
    }
    false
}

/// Packs an ISO date (`2024-01-05`, also `20240105`) as `yyyymmdd`.
pub fn pack_date(s: &str) -> Option<u32> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 8 {
        return None;
    }
    let y: u32 = digits.get(0..4)?.parse().ok()?;
    let m: u32 = digits.get(4..6)?.parse().ok()?;
    let d: u32 = digits.get(6..8)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(y * 10_000 + m * 100 + d)
}

/// The PETRARCH engine behind the [`Coder`] interface: every sentence of an article is
/// parsed with the shallow parser and coded on the article's date (an article without a
/// date is coded on 2000-01-01, which only matters for dated actor codes). A story discard
/// phrase anywhere in the article drops all of its events.
#[derive(Clone, Debug)]
pub struct PetrarchCoder {
    engine: PetrarchEngine,
    options: PetrarchOptions,
}

impl PetrarchCoder {
    pub fn new(engine: PetrarchEngine, options: PetrarchOptions) -> PetrarchCoder {
        PetrarchCoder { engine, options }
    }

    pub fn engine(&self) -> &PetrarchEngine {
        &self.engine
    }

    pub fn options(&self) -> &PetrarchOptions {
        &self.options
    }
}

impl Coder for PetrarchCoder {
    fn code(&self, article: &Article) -> Coded {
        let sents = dyad_text::sentences(&article.text);
        if self.engine.story_discard(&article.text).is_some() {
            return Coded {
                events: Vec::new(),
                sentences: sents.len(),
            };
        }
        let date = article
            .date
            .as_deref()
            .and_then(pack_date)
            .unwrap_or(20_000_101);
        let iso = format!(
            "{:04}-{:02}-{:02}",
            date / 10_000,
            date / 100 % 100,
            date % 100
        );
        let mut events = Vec::new();
        for (k, range) in sents.iter().enumerate() {
            let Some(text) = article.text.get(range.clone()) else {
                continue;
            };
            let c = self.engine.code_text(text, date, &self.options, false);
            let Some(tree) = &c.tree else { continue };
            for ev in &c.events {
                events.push(to_event(article, k as u32 + 1, text, &iso, tree, ev));
            }
        }
        Coded {
            events,
            sentences: sents.len(),
        }
    }
}

/// Byte span in the sentence of a token span.
fn byte_span(tree: &Tree, toks: Option<(usize, usize)>) -> Option<[usize; 2]> {
    let (a, b) = toks?;
    if a >= b {
        return None;
    }
    let s = tree.toks.get(a)?.span?;
    let e = tree.toks.get(b - 1)?.span?;
    Some([s[0], e[1]])
}

fn actor(code: &str, span: Option<[usize; 2]>, sentence: &str) -> EventActor {
    let words = span
        .and_then(|[a, b]| sentence.get(a..b))
        .unwrap_or("")
        .to_string();
    let is_country = code.len() >= 3
        && code.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
        && !matches!(&code[..3], "IGO" | "NGO" | "IMG" | "MNC" | "NGM");
    EventActor {
        name: words.clone(),
        text: words,
        code: code.to_string(),
        country: is_country.then(|| code[..3].to_string()),
        sector: if is_country {
            code.get(3..6).map(str::to_string)
        } else {
            None
        },
    }
}

fn to_event(
    article: &Article,
    sentence: u32,
    text: &str,
    iso: &str,
    tree: &Tree,
    ev: &PetrEvent,
) -> Event {
    let info = cameo::lookup(&ev.code);
    let root = info
        .map(|c| c.root().to_string())
        .unwrap_or_else(|| ev.code.chars().take(2).collect());
    let sspan = byte_span(tree, ev.source_toks);
    let tspan = byte_span(tree, ev.target_toks);
    let source = actor(&ev.source, sspan, text);
    let target = actor(&ev.target, tspan, text);
    let [ts, te] = byte_span(tree, Some(ev.verb)).unwrap_or([0, 0]);
    let plover = PloverInfo {
        event_type: info.and_then(|c| c.plover_type).map(str::to_string),
        mode: info.and_then(|c| c.plover_mode).map(str::to_string),
        contexts: info
            .map(|c| c.plover_contexts.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default(),
    };
    let acled = if info.is_some() {
        acled::classify(
            &ev.code,
            plover.mode.as_deref(),
            source.sector.as_deref(),
            target.sector.as_deref(),
        )
    } else {
        AcledInfo::default()
    };
    Event {
        event_id: Event::compute_id(
            &article.id,
            sentence,
            (ts, te),
            &ev.code,
            Some(&ev.source),
            Some(&ev.target),
        ),
        article_id: article.id.clone(),
        sentence,
        date: Some(iso.to_string()),
        date_precision: Some(DatePrecision::Day),
        cameo: CameoInfo {
            code: ev.code.clone(),
            root,
            quad_class: info.map_or(0, |c| c.quad_class),
            goldstein: info.map_or(0.0, |c| c.goldstein),
        },
        plover,
        acled,
        location: None,
        fatalities: None,
        quantities: Vec::new(),
        evidence: Evidence {
            text: text.to_string(),
            trigger: Trigger {
                text: text.get(ts..te).unwrap_or("").to_string(),
                start: ts,
                end: te,
            },
            source_span: sspan,
            target_span: tspan,
            rule: ev.rule.clone(),
        },
        source: Some(source),
        target: Some(target),
    }
}

#[cfg(test)]
mod tests;
