//! The compiled dictionary: one phrase automaton and the entries its phrases point to.

use std::collections::HashMap;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use dyad_text::Tokens;

use crate::{BuildError, PackedDate};

/// A code that holds only within a date range (inclusive bounds; `None` is open).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<PackedDate>,
    pub to: Option<PackedDate>,
}

impl DatedCode {
    pub fn holds_on(&self, date: Option<PackedDate>) -> bool {
        match date {
            None => self.from.is_none() && self.to.is_none(),
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// A named actor: a country, a person, a group or an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorEntry {
    pub name: String,
    /// ISO 3166-1 alpha-3, or `None` (international bodies, transnational groups).
    pub country: Option<String>,
    /// Codes, each possibly limited to dates. The first that holds on the article date wins;
    /// when none holds the actor takes its country alone.
    pub codes: Vec<DatedCode>,
}

impl ActorEntry {
    /// The actor's code on a date.
    pub fn code_on(&self, date: Option<PackedDate>) -> Option<&str> {
        self.codes
            .iter()
            .find(|c| c.holds_on(date))
            .map(|c| c.code.as_str())
            .or(self.country.as_deref())
    }
}

/// A sector noun that combines with a country ("troops" -> MIL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentEntry {
    pub sector: String,
}

/// What kind of trigger a phrase is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TriggerKind {
    Verb,
    Noun,
}

/// An event trigger: a verb form or a noun, with its CAMEO code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerEntry {
    pub code: String,
    pub kind: TriggerKind,
    /// The dictionary entry as written, for `evidence.rule`.
    pub rule: String,
    /// For a gapped phrase ("fire ... missiles at"): the normalised words that must follow
    /// within [`TAIL_GAP`] tokens of the head (" missiles at ").
    pub tail: Option<String>,
}

/// How many tokens may stand between the head and the tail of a gapped trigger.
pub const TAIL_GAP: usize = 6;

/// How a phrase names an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorRole {
    /// The actor's own name ("Iraq", "Hamas", "Sudani").
    Name,
    /// An adjective ("Iraqi"): combines with a following agent.
    Adjective,
    /// A people noun ("Iraqis").
    Demonym,
    /// A capital or seat of government standing in for the government ("Baghdad", "the Kremlin").
    Capital,
    /// A city: names the country, as a place.
    City,
}

/// One meaning of a phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hit {
    Actor { id: u32, role: ActorRole },
    Agent { id: u32 },
    Trigger { id: u32 },
}

/// A phrase of the automaton and its meanings.
#[derive(Clone, Debug, Default)]
pub struct Phrase {
    pub hits: Vec<Hit>,
    /// Number of tokens in the phrase.
    pub len: u16,
    /// Match only where the text has the phrase in capitals ("US" but not "us").
    pub case_sensitive: bool,
    /// Every source wrote the phrase capitalised ("Poland", not "al-Qaeda"): as a name it
    /// should be capitalised in the text too.
    pub capitalized: bool,
}

/// A phrase found in a sentence: tokens `[start, end)`.
#[derive(Clone, Copy, Debug)]
pub struct PhraseMatch<'d> {
    pub start: usize,
    pub end: usize,
    pub phrase: &'d Phrase,
}

/// Collects entries and compiles them into a [`Dictionary`].
#[derive(Default)]
pub struct DictionaryBuilder {
    phrases: HashMap<String, Phrase>,
    actors: Vec<ActorEntry>,
    agents: Vec<AgentEntry>,
    agent_ids: HashMap<String, u32>,
    triggers: Vec<TriggerEntry>,
    country_names: HashMap<String, String>,
}

impl DictionaryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn add_phrase(&mut self, text: &str, hit: Hit) {
        let norm = dyad_text::normalize_phrase(text);
        if norm.trim().is_empty() {
            return;
        }
        let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
        let case_sensitive = !text.contains('.')
            && !text.contains(' ')
            && (2..=4).contains(&letters.len())
            && letters.iter().all(|c| c.is_uppercase());
        let len = norm.trim().split(' ').count().min(u16::MAX as usize) as u16;
        let capitalized = text
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
        let entry = self.phrases.entry(norm).or_default();
        entry.capitalized = if entry.hits.is_empty() {
            capitalized
        } else {
            entry.capitalized && capitalized
        };
        entry.len = len;
        // A phrase is case-sensitive only if every source of it asks so.
        entry.case_sensitive = if entry.hits.is_empty() {
            case_sensitive
        } else {
            entry.case_sensitive && case_sensitive
        };
        if !entry.hits.contains(&hit) {
            entry.hits.push(hit);
        }
    }

    /// Add an actor with the phrases that name it in each role; returns its id.
    pub fn add_actor(&mut self, actor: ActorEntry, phrases: &[(&str, ActorRole)]) -> u32 {
        let id = self.actors.len() as u32;
        if let Some(c) = &actor.country {
            if actor.codes.first().is_some_and(|d| &d.code == c) {
                self.country_names
                    .entry(c.clone())
                    .or_insert_with(|| actor.name.clone());
            }
        }
        self.actors.push(actor);
        for (p, role) in phrases {
            self.add_phrase(p, Hit::Actor { id, role: *role });
        }
        id
    }

    /// Add agent phrases for a sector.
    pub fn add_agent(&mut self, sector: &str, phrases: &[&str]) {
        let id = match self.agent_ids.get(sector) {
            Some(&id) => id,
            None => {
                let id = self.agents.len() as u32;
                self.agents.push(AgentEntry {
                    sector: sector.to_string(),
                });
                self.agent_ids.insert(sector.to_string(), id);
                id
            }
        };
        for p in phrases {
            self.add_phrase(p, Hit::Agent { id });
        }
    }

    /// Add a trigger and the surface forms that fire it.
    pub fn add_trigger(&mut self, trigger: TriggerEntry, forms: &[String]) {
        let id = self.triggers.len() as u32;
        self.triggers.push(trigger);
        for f in forms {
            self.add_phrase(f, Hit::Trigger { id });
        }
    }

    /// Compile the automaton.
    pub fn build(self) -> Result<Dictionary, BuildError> {
        let mut keys: Vec<(String, Phrase)> = self.phrases.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let matcher: DoubleArrayAhoCorasick<u32> = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(
                keys.iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.as_str(), i as u32)),
            )
            .map_err(|e| BuildError::Automaton(e.to_string()))?;
        Ok(Dictionary {
            matcher,
            phrases: keys.into_iter().map(|(_, p)| p).collect(),
            actors: self.actors,
            agents: self.agents,
            triggers: self.triggers,
            country_names: self.country_names,
        })
    }
}

/// A compiled dictionary. Immutable; share it by reference across threads.
pub struct Dictionary {
    matcher: DoubleArrayAhoCorasick<u32>,
    phrases: Vec<Phrase>,
    pub actors: Vec<ActorEntry>,
    pub agents: Vec<AgentEntry>,
    pub triggers: Vec<TriggerEntry>,
    country_names: HashMap<String, String>,
}

impl Dictionary {
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// The readable name of a country code, if the dictionary knows it.
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.country_names.get(iso3).map(String::as_str)
    }

    /// Every dictionary phrase found in the sentence, as token ranges, in order of start then
    /// length (longest first). Case-sensitive phrases are checked against the original text.
    pub fn find<'d>(&'d self, text: &str, tokens: &Tokens, out: &mut Vec<PhraseMatch<'d>>) {
        out.clear();
        for m in self.matcher.find_overlapping_iter(tokens.norm.as_bytes()) {
            let Some(phrase) = self.phrases.get(m.value() as usize) else {
                continue;
            };
            // Patterns are " w1 w2 ": the match starts at the space before w1.
            let (Some(start), Some(end)) = (
                tokens.token_starting_at(m.start() + 1),
                tokens.token_ending_at(m.end() - 1),
            ) else {
                continue;
            };
            if phrase.case_sensitive
                && !tokens.tokens[start..=end].iter().all(|t| {
                    text.get(t.start..t.end)
                        .is_some_and(|s| s.chars().all(|c| !c.is_lowercase()))
                })
            {
                continue;
            }
            out.push(PhraseMatch {
                start,
                end: end + 1,
                phrase,
            });
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    }
}
