//! The phrase coder: one automaton pass per sentence finds actors, agents and triggers; small
//! positional rules then attach a source and a target to each trigger.

use std::collections::HashMap;
use std::ops::Range;

use dyad_dict::{
    pack_date, ActorRole, Dictionary, Hit, PackedDate, PhraseMatch, TriggerEntry, TriggerKind,
};
use dyad_model::{Article, DatePrecision, Event, EventActor, Evidence, Period, Quantity, Trigger};
use dyad_text::Tokens;

use crate::{Coded, Coder};

/// The first coding engine: dictionary phrases and positional argument rules.
pub struct PhraseCoder {
    dict: Dictionary,
}

impl PhraseCoder {
    pub fn new(dict: Dictionary) -> Self {
        Self { dict }
    }

    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }
}

/// An actor or agent phrase found in the sentence.
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: usize,
    end: usize,
    hit: Hit,
}

/// A resolved actor mention: one or more adjacent pieces ("Iraqi Prime Minister Sudani").
#[derive(Clone, Debug)]
struct Mention {
    start: usize,
    end: usize,
    code: String,
    country: Option<String>,
    name: String,
    /// Only a place name after "in", "near", ...: a fallback target, never a source.
    place_only: bool,
    /// Named after "according to": the speaker of a report, not a party to it.
    attribution: bool,
    /// A country named only by its adjective, with no agent ("American").
    bare_adjective: bool,
}

/// What a sentence reports beyond its events: figures and casualties.
#[derive(Default)]
struct Facts {
    quantities: Vec<Quantity>,
    /// People reported killed, for violent events.
    deaths: Option<u32>,
}

#[derive(Clone, Copy, Debug)]
struct TriggerSpan<'d> {
    start: usize,
    end: usize,
    entry: &'d TriggerEntry,
    /// The CAMEO code to give: the entry's, or its intent form for announced acts.
    code: &'d str,
    /// Where the head of a gapped trigger ends ("rejected ... proposal": after "rejected"); the
    /// target may stand in the gap.
    head_end: usize,
    /// Where the tail of a gapped trigger begins (`end` for other triggers): a sector word in
    /// the tail ("paused all military aid") belongs to the trigger, not to a party.
    tail_start: usize,
    /// A refused cooperative act ("refused to lift the ban", "will not accept"), coded as the
    /// rejection (CAMEO 12): its negation is the event, not a reason to drop it.
    refusal: bool,
}

const NEGATORS: &[&str] = &[
    "not", "n't", "never", "no", "without", "denied", "deny", "denies", "denying", "rejected",
    "ceased", "ceases", "stopped", "halted", "ended", "refused", "refuses", "nor",
];
const DENIALS: &[&str] = &[
    "denied",
    "deny",
    "denies",
    "denying",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "refuted",
    "disputed",
];
const INTENT: &[&str] = &[
    "threatened",
    "threatens",
    "threaten",
    "threatening",
    "vowed",
    "vows",
    "vow",
    "pledged",
    "pledges",
    "plans",
    "planned",
    "planning",
    "intends",
    "intended",
    "ready",
    "willing",
    "prepared",
    "preparing",
    "aims",
    "seeks",
    "sought",
    "wants",
    "wanted",
    "hopes",
    "offered",
    "offers",
    "promised",
    "promises",
    "agreed",
    "agrees",
    "decided",
    "refused",
    "set",
    "poised",
    "due",
    "going",
    "asked",
    "urged",
    "called",
];
const NATURAL: &[&str] = &[
    "hurricane",
    "typhoon",
    "cyclone",
    "earthquake",
    "quake",
    "flood",
    "floods",
    "flooding",
    "storm",
    "tornado",
    "landslide",
    "landslides",
    "wildfire",
    "wildfires",
    "drought",
    "tsunami",
    "avalanche",
    "heatwave",
    "eruption",
    "volcano",
    "disease",
    "outbreak",
    "epidemic",
    "cholera",
];
/// Verbs that refuse the act they govern ("refused to", "declined to").
const REFUSALS: &[&str] = &[
    "refused",
    "refuses",
    "refuse",
    "refusing",
    "declined",
    "declines",
    "decline",
    "declining",
];
/// Words that make the act a possibility or a forecast by others ("is expected to visit").
const MODALS: &[&str] = &[
    "could", "might", "may", "if", "unless", "whether", "expected", "likely", "unlikely", "must",
];
/// Verbs and nouns that report speech.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "declared",
    "declares",
    "reiterated",
    "insisted",
    "insists",
    "stressed",
    "warned",
    "warns",
    "told",
    "tells",
    "concluded",
    "announced",
    "added",
    "argued",
    "reminder",
    "statement",
    "believes",
    "maintained",
];
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "his", "her", "its", "their", "our", "this", "that", "these", "those", "'s",
    "recent", "new", "fresh", "further", "several", "many", "two", "three", "more", "latest",
    "deadly", "major", "any", "of", "such",
];
const PREPOSITIONS: &[&str] = &[
    "in",
    "of",
    "for",
    "on",
    "after",
    "against",
    "amid",
    "with",
    "by",
    "from",
    "over",
    "about",
    "during",
    "following",
    "despite",
    "into",
    "than",
    "like",
];
const BE: &[&str] = &[
    "was", "were", "is", "are", "been", "being", "be", "got", "get",
];
const TARGET_PREPS: &[&str] = &[
    "on",
    "against",
    "targeting",
    "at",
    "into",
    "with",
    "between",
    "upon",
    "toward",
    "towards",
    "to",
];
const PLACE_PREPS: &[&str] = &[
    "in",
    "along",
    "near",
    "at",
    "outside",
    "from",
    "across",
    "inside",
    "throughout",
    "around",
];
const MODIFIER_SUFFIXES: &[&str] = &[
    "backed",
    "aligned",
    "linked",
    "led",
    "allied",
    "supported",
    "funded",
    "based",
    "born",
    "made",
    "brokered",
    "sponsored",
    "affiliated",
];
const CLAUSE_BREAKS: &[&str] = &[";", ":", "\"", "(", ")"];

/// Words that may stand between a country and its agent without changing who is meant.
const AGENT_ADJECTIVES: &[&str] = &[
    "transitional",
    "interim",
    "caretaker",
    "provisional",
    "ruling",
    "new",
    "former",
    "federal",
    "central",
    "national",
    "top",
    "senior",
    "elected",
    "outgoing",
    "incoming",
    "acting",
];

/// Nouns that, after "pro-Iran" or "Iran-backed", name armed groups.
const GROUP_NOUNS: &[&str] = &[
    "groups", "group", "factions", "faction", "proxies", "proxy", "elements", "outfits",
];

/// What a violent act does to its victims, as the verb whose subject the act's noun is ("the
/// strike killed ...", "the attack resulted in the deaths of ...").
const OUTCOME_VERBS: &[&str] = &[
    "killed",
    "kills",
    "wounded",
    "wounds",
    "injured",
    "injures",
    "hit",
    "hits",
    "struck",
    "targeted",
    "targets",
    "destroyed",
    "resulted",
    "claimed",
    "left",
];
/// Words that open a subordinate clause: a verb's object does not reach past them.
const SUBORDINATORS: &[&str] = &[
    "after", "before", "while", "when", "because", "despite", "amid", "although", "though",
    "whereas", "unless", "if", "until",
];
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "led", "held", "made", "hit", "shot", "struck", "run", "won", "fought", "brought", "met",
    "sent", "built", "caught", "told", "found", "kept", "set", "put", "seen", "done", "begun",
];
/// Nouns of unconfirmed report: "reports that", "claims that".
const HEARSAY: &[&str] = &[
    "reports",
    "report",
    "claims",
    "allegations",
    "rumours",
    "rumors",
    "speculation",
    "suggestions",
];
/// Words before a hearsay noun that make it a noun.
const HEARSAY_BEFORE: &[&str] = &[
    "on",
    "about",
    "amid",
    "of",
    "the",
    "unconfirmed",
    "media",
    "press",
    "news",
    "despite",
    "following",
    "after",
    "denied",
    "to",
    "by",
    "these",
    "such",
    "rejected",
    "dismissed",
];
/// Nouns whose infinitive names an aim, not a deed: "a request to extradite" (an attempt or a
/// bid is a deed: "an attempt to assassinate").
const AIM_NOUNS: &[&str] = &[
    "request",
    "requests",
    "proposal",
    "proposals",
    "plea",
    "appeal",
    "appeals",
    "invitation",
    "permission",
    "pressure",
    "push",
    "call",
    "calls",
    "offer",
    "motion",
    "resolution",
    "deadline",
    "ultimatum",
];
/// Nouns of a proposed settlement, whose backer is its author.
const PROPOSALS: &[&str] = &[
    "proposal",
    "plan",
    "initiative",
    "resolution",
    "truce",
    "ceasefire",
    "deal",
    "draft",
    "framework",
    "roadmap",
    "peace",
];
/// Nouns of a place named by its country's adjective ("the Pakistani city of Quetta").
const PLACE_NOUNS: &[&str] = &[
    "city", "town", "village", "province", "region", "district", "capital", "state", "county",
    "port", "border", "coast",
];
/// Words of direction before a place ("in central Nairobi", "in northern Burkina Faso").
const DIRECTIONS: &[&str] = &[
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north",
    "south",
    "east",
    "west",
];
/// Verbs of asking another party to act ("asked India to extradite").
const ASKING: &[&str] = &["asked", "asks", "ask", "asking", "requested", "requests"];
/// Verbs that present a noun as a reaction drawn ("drawing condemnation from Qatar").
const DRAWING: &[&str] = &[
    "drawing",
    "drew",
    "draws",
    "sparking",
    "sparked",
    "prompting",
    "prompted",
    "triggering",
    "triggered",
    "provoking",
    "provoked",
    "earning",
    "earned",
];
/// Prepositions whose object is not the subject of the verb that follows.
const OBJECT_PREPS: &[&str] = &[
    "at", "to", "with", "against", "on", "into", "toward", "towards", "for", "from", "by", "about",
    "over", "under", "between", "among", "than", "like",
];
/// Possessives that make a sector word the subject's own ("its troops", "their forces").
const POSSESSIVES: &[&str] = &["its", "their", "his", "her", "our"];

impl Coder for PhraseCoder {
    fn code(&self, article: &Article) -> Coded {
        let date = article.date.as_deref().and_then(pack_date);
        let civil: Option<jiff::civil::Date> = article.date.as_deref().and_then(|d| d.parse().ok());
        let ranges = dyad_text::sentences(&article.text);
        let mut out = Coded {
            events: Vec::new(),
            sentences: ranges.len(),
        };
        let mut tokens = Tokens::default();
        let mut matches = Vec::new();
        let geo = dyad_geo::gazetteer();
        // The countries the article is about, most salient first, as sentences reveal them.
        let mut context = dyad_geo::Context::default();
        for (i, r) in ranges.into_iter().enumerate() {
            tokens.fill(&article.text, r.clone());
            self.dict.find(&article.text, &tokens, &mut matches);
            let toponyms = geo.find(&article.text, &tokens);
            context.add_mentions(geo, &toponyms);
            let all_caps = !article.text[r.clone()].chars().any(char::is_lowercase);
            let times = crate::when::find(&tokens, civil);
            let sentence = Sentence {
                article,
                index: i as u32 + 1,
                range: r,
                tokens: &tokens,
                date,
                all_caps,
                times,
                place_country: None,
                toponyms,
                context: &context,
            };
            self.code_sentence(&sentence, &matches, &mut out.events);
        }
        out
    }
}

struct Sentence<'a> {
    article: &'a Article,
    index: u32,
    range: Range<usize>,
    tokens: &'a Tokens,
    date: Option<PackedDate>,
    /// The sentence is written in capitals (a headline, or TABARI-style input).
    all_caps: bool,
    /// Time expressions in the sentence, resolved against the article date.
    times: Vec<crate::when::TimeExpr>,
    /// The country of the first place named after "in", "near", ... (set once mentions are
    /// known).
    place_country: Option<String>,
    /// Place names in the sentence (gazetteer matches), and what the article says so far
    /// about where it is.
    toponyms: Vec<dyad_geo::Toponym>,
    context: &'a dyad_geo::Context,
}

impl Sentence<'_> {
    fn norm(&self, i: usize) -> &str {
        self.tokens.norm_of(i)
    }

    fn is(&self, i: usize, words: &[&str]) -> bool {
        i < self.tokens.tokens.len() && words.contains(&self.norm(i))
    }

    /// Byte span of tokens `[start, end)` relative to the sentence start.
    fn span(&self, start: usize, end: usize) -> [usize; 2] {
        let t = &self.tokens.tokens;
        [
            t[start].start - self.range.start,
            t[end - 1].end - self.range.start,
        ]
    }

    fn text_of(&self, start: usize, end: usize) -> &str {
        let t = &self.tokens.tokens;
        &self.article.text[t[start].start..t[end - 1].end]
    }
}

impl PhraseCoder {
    fn code_sentence(&self, s: &Sentence, matches: &[PhraseMatch], events: &mut Vec<Event>) {
        let n = s.tokens.tokens.len();
        if n == 0 {
            return;
        }
        // Questions code nothing.
        if s.norm(n - 1) == "?" || (n >= 2 && s.norm(n - 2) == "?") {
            return;
        }
        let (pieces, triggers) = self.select(s, matches);
        let mentions = self.mentions(s, &pieces);
        let place_country = mentions
            .iter()
            .filter(|m| m.place_only)
            .find_map(|m| m.country.clone());
        let s = &Sentence {
            place_country,
            times: s.times.clone(),
            range: s.range.clone(),
            toponyms: s.toponyms.clone(),
            ..*s
        };
        let facts = self.facts(s, &mentions);
        let first = events.len();
        // The subject of the last verb, for coordinated verbs ("accused X and cut ties with Y")
        // and participle clauses ("attacked militants, killing four fighters").
        let mut last_source: Option<&Mention> = None;
        let mut last_root: Option<&str> = None;
        // Where the noun triggers' events start (evidence offsets).
        let mut noun_triggers: Vec<usize> = Vec::new();
        let demand = self.demand_by_must(s, &mentions, &facts);
        // What a speaker says someone must do has not been done.
        let must = (0..n)
            .find(|&i| s.is(i, &["must"]))
            .filter(|&k| (0..k).any(|i| s.is(i, SPEECH) || s.is(i, &["that"])));
        for t in &triggers {
            if must.is_some_and(|k| t.start > k) {
                continue;
            }
            let participle = t.entry.kind == TriggerKind::Verb
                && t.start > 0
                && s.is(t.start - 1, &[","])
                && s.norm(t.start).ends_with("ing");
            let coordinated = participle
                || (t.entry.kind == TriggerKind::Verb
                    && t.start > 0
                    && s.is(t.start - 1, &["and", "but", "then"]));
            // "destroyed 40 bombers in drone strikes": a noun naming the means of the verb
            // before it has that verb's subject.
            let instrument = t.entry.kind == TriggerKind::Noun && {
                let mut i = t.start;
                while i > 0
                    && (s.is(i - 1, DETERMINERS)
                        || s.tokens.tokens[i - 1].flags & dyad_text::NUMBER != 0
                        || s.is(i - 1, &["drone", "air", "missile", "rocket", "artillery"]))
                {
                    i -= 1;
                }
                i > 0 && s.is(i - 1, &["in", "with", "through", "using"])
            };
            // Only the means of a deed: "denied any role in the rocket attack" is no deed.
            let instrument =
                instrument && last_root.is_some_and(|r: &str| ("14"..="20").contains(&r));
            let mut inherited = if coordinated || instrument {
                last_source
            } else {
                None
            };
            // "boarded Philippine boats and seized rifles": a verb after "and" with no verb
            // before it acts as the clause's subject did, on the party named before "and".
            let mut object_hint = None;
            if inherited.is_none()
                && t.entry.kind == TriggerKind::Verb
                && t.start > 0
                && s.is(t.start - 1, &["and"])
            {
                let left = clause_start(s, t.start);
                let usable = |m: &&Mention| {
                    !m.place_only && !m.attribution && !m.bare_adjective && m.end < t.start
                };
                let first = mentions.iter().filter(usable).find(|m| m.start >= left);
                let last = mentions.iter().filter(usable).rfind(|m| m.start >= left);
                if let (Some(f), Some(l)) = (first, last) {
                    if !std::ptr::eq(f, l) && l.end + 1 < t.start {
                        inherited = Some(f);
                        object_hint = Some(l);
                    }
                }
            }
            let (new_events, source) =
                self.events_for(s, t, &mentions, &facts, inherited, object_hint);
            if t.entry.kind == TriggerKind::Verb && source.is_some() {
                last_source = source;
                last_root = t.entry.code.get(..2);
            }
            if t.entry.kind == TriggerKind::Noun {
                noun_triggers.extend(new_events.iter().map(|e| e.evidence.trigger.start));
            }
            let violent = |root: &str| matches!(root, "18" | "19" | "20");
            for e in new_events {
                // "attacked militants, killing twelve": the killing is the attack's outcome
                // (its toll is already on the attack), not a second event.
                let outcome = participle
                    && violent(&e.cameo.root)
                    && events[first..].iter().any(|o| {
                        violent(&o.cameo.root)
                            && o.source.as_ref().map(|a| &a.code)
                                == e.source.as_ref().map(|a| &a.code)
                    });
                if outcome {
                    continue;
                }
                // "A U.S. drone strike killed a commander": the killing is what the strike
                // did. The strike keeps its toll and takes the victim as its target.
                if t.entry.kind == TriggerKind::Verb && !participle && violent(&e.cameo.root) {
                    let act = events[first..].iter_mut().find(|o| {
                        violent(&o.cameo.root)
                            && o.evidence.trigger.end <= e.evidence.trigger.start
                            && o.source.as_ref().map(|a| &a.code)
                                == e.source.as_ref().map(|a| &a.code)
                            && noun_triggers.contains(&o.evidence.trigger.start)
                    });
                    if let Some(act) = act {
                        if act.target.is_none() {
                            act.target = e.target.clone();
                            act.evidence.target_span = e.evidence.target_span;
                        }
                        continue;
                    }
                }
                let dup = events[first..].iter().any(|o| {
                    o.cameo.code == e.cameo.code
                        && o.source.as_ref().map(|a| &a.code) == e.source.as_ref().map(|a| &a.code)
                        && o.target.as_ref().map(|a| &a.code) == e.target.as_ref().map(|a| &a.code)
                });
                if !dup {
                    events.push(e);
                }
            }
        }
        // "Russia said that Sudan must return the helicopter": what a speaker says another
        // party must do is a demand (CAMEO 10) on that party; the act itself is not coded.
        if let Some((_, e)) = demand {
            let dup = events[first..].iter().any(|o| {
                o.cameo.code.starts_with("10")
                    && o.source.as_ref().map(|a| &a.code) == e.source.as_ref().map(|a| &a.code)
            });
            if !dup {
                events.push(e);
            }
        }
        // "Sudani also called for immediate dialogue ... in Iraq": an appeal, request or
        // demand whose only other party is the speaker's own country (where it is to happen)
        // is addressed to the counterpart the same speaker last addressed in the article, if
        // any; otherwise it has no target.
        for i in first..events.len() {
            let e = &events[i];
            let (Some(src), Some(tg)) = (e.source.as_ref(), e.target.as_ref()) else {
                continue;
            };
            // A government's or army's own country (bare) is where it acts; rebels and
            // opposition do address their state ("the PKK ... against Turkey").
            let state = matches!(
                src.sector.as_deref(),
                Some("GOV" | "MIL" | "COP" | "LEG" | "JUD")
            );
            let own = state
                && src.country.is_some()
                && Some(&tg.code) == src.country.as_ref()
                && src.code != tg.code;
            if !own || !matches!(e.cameo.root.as_str(), "02" | "03" | "04" | "10") {
                continue;
            }
            let counterpart = events[..first]
                .iter()
                .rev()
                .find(|o| {
                    o.source.as_ref().map(|a| &a.code) == Some(&src.code)
                        && o.target
                            .as_ref()
                            .is_some_and(|t| t.country.is_some() && t.country != src.country)
                })
                .and_then(|o| o.target.clone());
            let how = if counterpart.is_some() {
                "target: the speaker's counterpart earlier in the article (its own country is the venue)"
            } else {
                "no target: the speaker's own country is the venue"
            };
            let mut e = events[i].clone();
            e.target = counterpart;
            let (cameo, plover, acled) = dyad_model::schemes(
                &e.cameo.code,
                e.plover.mode.as_deref(),
                e.source.as_ref().and_then(|a| a.sector.as_deref()),
                e.target.as_ref().and_then(|a| a.sector.as_deref()),
            );
            (e.cameo, e.plover, e.acled) = (cameo, plover, acled);
            e.event_id = Event::compute_id(
                &s.article.id,
                s.index,
                (e.evidence.trigger.start, e.evidence.trigger.end),
                &e.cameo.code,
                e.source.as_ref().map(|a| a.code.as_str()),
                e.target.as_ref().map(|a| a.code.as_str()),
            );
            e.evidence.target_span = None;
            e.evidence.rule = format!("{} | {how}", e.evidence.rule);
            events[i] = e;
        }
        // Plain statements (010) are subordinate: kept only when nothing else in the sentence
        // codes (CAMEO 1.1b3, 010).
        if events[first..]
            .iter()
            .any(|e| !is_plain_statement(&e.cameo.code))
        {
            let mut i = first;
            while i < events.len() {
                if is_plain_statement(&events[i].cameo.code) {
                    events.remove(i);
                } else {
                    i += 1;
                }
            }
        }
    }

    /// A demand voiced as "X said (that) Y must ...": X's demand on Y.
    fn demand_by_must(
        &self,
        s: &Sentence,
        mentions: &[Mention],
        facts: &Facts,
    ) -> Option<(usize, Event)> {
        let n = s.tokens.tokens.len();
        let k = (0..n).find(|&i| s.is(i, &["must"]))?;
        // Reported: a speech verb or "that" before it.
        let reported = (0..k).any(|i| s.is(i, SPEECH) || s.is(i, &["that"]));
        if !reported {
            return None;
        }
        let usable = |m: &&Mention| !m.attribution && !m.place_only && !m.bare_adjective;
        let addressee = mentions
            .iter()
            .filter(usable)
            .rfind(|m| m.end <= k && !(m.end..k).any(|i| s.is(i, CLAUSE_BREAKS)))?;
        let speaker = mentions.iter().filter(usable).find(|m| {
            m.end <= addressee.start
                && (m.end..addressee.start).any(|i| s.is(i, SPEECH) || s.is(i, &["that"]))
        })?;
        // "Netanyahu said Israel must fight on": a speaker's own country is no addressee.
        if speaker.code == addressee.code
            || speaker.country.as_deref() == Some(addressee.code.as_str())
        {
            return None;
        }
        let entry = self
            .dict
            .triggers
            .iter()
            .find(|e| e.code == "100" && e.kind == TriggerKind::Verb && e.tail.is_none())?;
        let t = TriggerSpan {
            start: k,
            end: k + 1,
            entry,
            code: "100",
            head_end: k + 1,
            tail_start: k + 1,
            refusal: false,
        };
        Some((
            k,
            self.build(
                s,
                &t,
                Some(speaker),
                Some(addressee),
                facts,
                "'must' in reported speech: the speaker demands it of the party named before it",
            ),
        ))
    }

    /// Choose non-overlapping actor/agent pieces (longest first) and trigger spans that do not
    /// overlap them.
    fn select<'d>(
        &'d self,
        s: &Sentence,
        matches: &[PhraseMatch<'d>],
    ) -> (Vec<Piece>, Vec<TriggerSpan<'d>>) {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut covered = 0usize;
        for m in matches {
            if m.start < covered {
                continue;
            }
            // Names are capitalised: "Polish troops" but not "polish the floor".
            let first = &s.tokens.tokens[m.start];
            let proper = !m.phrase.capitalized
                || first.flags & dyad_text::CAPITALIZED != 0
                || s.all_caps
                || !s.article.text[first.start..first.end].starts_with(|c: char| c.is_alphabetic());
            let hit = m
                .phrase
                .hits
                .iter()
                .find(|h| proper && matches!(h, Hit::Actor { .. }))
                .or_else(|| {
                    m.phrase
                        .hits
                        .iter()
                        .find(|h| matches!(h, Hit::Agent { .. }))
                });
            // "military exercises", "general strike": a sector word inside a longer trigger
            // phrase belongs to the trigger.
            let inside_trigger = matches!(hit, Some(Hit::Agent { .. }))
                && matches.iter().any(|t| {
                    t.start <= m.start
                        && t.end >= m.end
                        && t.end - t.start > m.end - m.start
                        && t.phrase
                            .hits
                            .iter()
                            .any(|h| matches!(h, Hit::Trigger { .. }))
                });
            if inside_trigger {
                continue;
            }
            if let Some(&hit) = hit {
                pieces.push(Piece {
                    start: m.start,
                    end: m.end,
                    hit,
                });
                covered = m.end;
            }
        }
        let mut triggers = Vec::new();
        let mut covered = 0usize;
        for m in matches {
            if m.start < covered || pieces.iter().any(|p| p.start < m.end && m.start < p.end) {
                continue;
            }
            let ids: Vec<u32> = m
                .phrase
                .hits
                .iter()
                .filter_map(|h| match h {
                    Hit::Trigger { id } => Some(*id),
                    _ => None,
                })
                .collect();
            if ids.is_empty() {
                continue;
            }
            let all: Vec<&TriggerEntry> = ids
                .iter()
                .filter_map(|&id| self.dict.triggers.get(id as usize))
                .collect();
            // Gapped triggers whose tail follows win over the bare head; the others drop out.
            let mut tail_end = None;
            let with_tail: Vec<&TriggerEntry> = all
                .iter()
                .copied()
                .filter(|e| match &e.tail {
                    Some(tail) => match self.tail_at(s, m.end, tail) {
                        Some(end) => {
                            tail_end = Some(tail_end.map_or(end, |x: usize| x.min(end)));
                            true
                        }
                        None => false,
                    },
                    None => false,
                })
                .collect();
            let entries: Vec<&TriggerEntry> = if with_tail.is_empty() {
                all.into_iter().filter(|e| e.tail.is_none()).collect()
            } else {
                with_tail
            };
            if entries.is_empty() {
                continue;
            }
            // "called on Thursday for": the "on" belongs to the date, not to "call on".
            if m.end - m.start > 1
                && s.is(m.end - 1, &["on", "in", "at", "for"])
                && s.times.iter().any(|t| t.start == m.end)
            {
                continue;
            }
            // A capitalised word inside a sentence is a name, not a trigger ("Islamic State").
            let flags = s.tokens.tokens[m.start].flags;
            if m.start > 0 && flags & dyad_text::CAPITALIZED != 0 && !s.all_caps {
                continue;
            }
            let want_noun = self.reads_as_noun(s, m.start, &pieces);
            let kind = if want_noun {
                TriggerKind::Noun
            } else {
                TriggerKind::Verb
            };
            // A verb form read as a noun ("the state", "to attacks") is no trigger unless
            // the dictionary has the noun too; a noun-only trigger in verb position still is.
            let entry = entries.iter().find(|e| e.kind == kind).or_else(|| {
                entries
                    .iter()
                    .find(|e| e.kind == TriggerKind::Noun && kind == TriggerKind::Verb)
            });
            if let Some(entry) = entry {
                let end = if entry.tail.is_some() {
                    tail_end.unwrap_or(m.end)
                } else {
                    m.end
                };
                let tail_start = match &entry.tail {
                    Some(tail) => end.saturating_sub(tail.split_whitespace().count()),
                    None => end,
                };
                triggers.push(TriggerSpan {
                    refusal: false,
                    start: m.start,
                    end,
                    entry,
                    code: &entry.code,
                    head_end: m.end,
                    tail_start,
                });
                covered = end;
            }
        }
        let _ = s;
        (pieces, triggers)
    }

    /// The token just past a gapped trigger's tail, if the tail starts within the gap after
    /// token `from`.
    fn tail_at(&self, s: &Sentence, from: usize, tail: &str) -> Option<usize> {
        let toks = &s.tokens.tokens;
        let words = tail.trim().split(' ').count();
        let last = (from + dyad_dict::TAIL_GAP).min(toks.len());
        (from..last).find_map(|i| {
            let a = toks[i].norm_start as usize - 1;
            let end_tok = i + words;
            (end_tok <= toks.len() && s.tokens.norm.get(a..)?.starts_with(tail)).then_some(end_tok)
        })
    }

    /// Does the word at `i` read as a noun? After a determiner, a number or an adjective of
    /// nationality ("the attack", "two strikes", "Israeli strikes").
    fn reads_as_noun(&self, s: &Sentence, i: usize, pieces: &[Piece]) -> bool {
        if i == 0 {
            return false;
        }
        if s.is(i - 1, DETERMINERS) || s.is(i - 1, PREPOSITIONS) {
            return true;
        }
        // "to attack" is an infinitive; "to attacks" a noun after a preposition.
        if s.norm(i - 1) == "to" {
            let w = s.norm(i);
            return w.ends_with('s') && !w.ends_with("ss");
        }
        if s.tokens.tokens[i - 1].flags & dyad_text::NUMBER != 0 {
            return true;
        }
        pieces.iter().any(|p| {
            p.end == i
                && matches!(
                    p.hit,
                    Hit::Actor {
                        role: ActorRole::Adjective,
                        ..
                    }
                )
        }) || (pieces.iter().any(|p| p.end == i)
            && s.norm(i).ends_with('s')
            && s.is(i + 1, &["on", "against", "targeting"]))
    }

    fn mentions(&self, s: &Sentence, pieces: &[Piece]) -> Vec<Mention> {
        let mut groups: Vec<Vec<Piece>> = Vec::new();
        // Modifiers that may name armed groups: (where the phrase starts, the word after).
        let mut patrons: Vec<(usize, usize)> = Vec::new();
        for p in pieces {
            // "pro-Iran", "anti-U.S.", "Iran-backed": the actor is a modifier, not a party.
            let prefixed = p.start >= 2
                && s.norm(p.start - 1) == "-"
                && s.is(p.start - 2, &["pro", "anti", "non", "post", "ex"]);
            // "U.S.-led coalition" still names the leader; "Iran-backed militias" does not.
            // "a U.S.-backed proposal" names the proposal's author, who is a party to its
            // rejection or acceptance.
            let suffixed = s.is(p.end, &["-"])
                && s.is(p.end + 1, MODIFIER_SUFFIXES)
                && s.norm(p.end + 1) != "led"
                && !(p.end + 2..p.end + 4).any(|i| s.is(i, PROPOSALS));
            if prefixed && s.is(p.start - 2, &["pro"]) {
                patrons.push((p.start - 2, p.end));
            } else if suffixed {
                patrons.push((p.start, p.end + 2));
            }
            if prefixed || suffixed {
                continue;
            }
            match groups.last_mut() {
                // "Mali's transitional government", "Sudan's ruling military council": a
                // descriptive word between the country and the agent keeps them one actor.
                Some(g)
                    if g.last().is_some_and(|q| {
                        q.end == p.start
                            || (q.end + 1 == p.start
                                && (s.norm(q.end) == "'s" || s.is(q.end, AGENT_ADJECTIVES)))
                            || (q.end + 2 == p.start
                                && s.norm(q.end) == "'s"
                                && s.is(q.end + 1, AGENT_ADJECTIVES))
                    }) =>
                {
                    g.push(*p)
                }
                _ => groups.push(vec![*p]),
            }
        }
        let mut out: Vec<Mention> = groups.iter().filter_map(|g| self.mention(s, g)).collect();
        // "pro-Iran groups", "Iran-backed factions": a modifier actor before a bare group noun
        // names armed groups (their country comes from "in Iraq" below, when given).
        for (start, noun) in patrons {
            if !s.is(noun, GROUP_NOUNS) || pieces.iter().any(|q| q.start == noun) {
                continue;
            }
            let end = noun + 1;
            if out.iter().any(|m| m.start < end && start < m.end) {
                continue;
            }
            out.push(Mention {
                start,
                end,
                code: "UAF".to_string(),
                country: None,
                name: s.text_of(start, end).to_string(),
                place_only: false,
                attribution: false,
                bare_adjective: false,
            });
        }
        out.sort_by_key(|m| m.start);
        // "in Davos, Switzerland": a place in apposition to a place is a place; so is the
        // next member of a list of places ("from Canada and Mexico").
        for i in 1..out.len() {
            if out[i - 1].place_only
                && out[i].start == out[i - 1].end + 1
                && s.is(out[i - 1].end, &[",", "and"])
                && out[i].code.len() == 3
            {
                out[i].place_only = true;
            }
        }
        // "American and coalition forces": a lone adjective before "and" takes the agent of
        // the phrase that follows.
        for i in 0..out.len() {
            if !out[i].bare_adjective {
                continue;
            }
            let end = out[i].end;
            if !s.is(end, &["and", ",", "or"]) {
                continue;
            }
            if let Some(next) = out.get(i + 1) {
                if next.start <= end + 3 && next.country.is_none() && next.code.len() >= 3 {
                    let sector = next.code.clone();
                    let m = &mut out[i];
                    m.code.push_str(&sector);
                    m.bare_adjective = false;
                }
            }
        }
        // An agent alone followed by "in/of Iraq" takes that country ("police in Kenya").
        for i in 0..out.len().saturating_sub(1) {
            let (a, b) = (&out[i], &out[i + 1]);
            // Also through "the": "the mayor of the Mexican city of Uruapan".
            let linked = b.start == a.end + 1 || b.start == a.end + 2 && s.is(a.end + 1, &["the"]);
            if a.country.is_none()
                && !a.code.starts_with("IGO")
                && linked
                && s.is(a.end, &["in", "of", "from"])
                && b.code.len() == 3
            {
                if let Some(c) = b.country.clone() {
                    let m = &mut out[i];
                    m.code = format!("{c}{}", m.code);
                    m.country = Some(c);
                }
            }
        }
        out
    }

    fn mention(&self, s: &Sentence, g: &[Piece]) -> Option<Mention> {
        let start = g.first()?.start;
        let end = g.last()?.end;
        let mut country: Option<String> = None;
        let mut named: Option<(String, String)> = None;
        let mut sectors: Vec<&str> = Vec::new();
        let mut only_adjective = true;
        let mut only_city = true;
        let mut only_places = true;
        for p in g {
            match p.hit {
                Hit::Actor { id, role } => {
                    let Some(a) = self.dict.actors.get(id as usize) else {
                        continue;
                    };
                    if role != ActorRole::Adjective {
                        only_adjective = false;
                    }
                    if role != ActorRole::City {
                        only_city = false;
                    }
                    if !matches!(role, ActorRole::City | ActorRole::Name)
                        || a.code_on(s.date).is_some_and(|c| c.len() > 3)
                    {
                        only_places = false;
                    }
                    if country.is_none() {
                        country = a.country.clone();
                    }
                    if let Some(code) = a.code_on(s.date) {
                        let better = match &named {
                            None => true,
                            Some((c, _)) => code.len() > c.len(),
                        };
                        if better {
                            named = Some((code.to_string(), a.name.clone()));
                        }
                    }
                }
                Hit::Agent { id } => {
                    only_adjective = false;
                    only_city = false;
                    only_places = false;
                    if let Some(a) = self.dict.agents.get(id as usize) {
                        if !sectors.contains(&a.sector.as_str()) {
                            sectors.push(&a.sector);
                        }
                    }
                }
                Hit::Trigger { .. } => {}
            }
        }
        let (code, name) = match (named, country.as_deref()) {
            (Some((code, name)), _) if code.len() > 3 || sectors.is_empty() => (code, name),
            (named, Some(c)) => {
                // "deposed President Mohamed Bazoum" keeps the person's name.
                let base = named
                    .map(|(_, n)| n)
                    .unwrap_or_else(|| self.dict.country_name(c).unwrap_or(c).to_string());
                let code = format!("{c}{}", sectors.iter().take(2).copied().collect::<String>());
                (code, base)
            }
            (Some((code, name)), None) => (code, name),
            (None, None) => {
                let code: String = sectors.iter().take(2).copied().collect();
                (code, s.text_of(start, end).to_string())
            }
        };
        let country =
            if code.starts_with("IGO") || code.starts_with("IMG") || code.starts_with("NGO") {
                None
            } else {
                country
            };
        // "in Mosul", and "in Davos, Switzerland" where the town is not in the dictionary.
        let place_prep = (start > 0 && s.is(start - 1, PLACE_PREPS))
            || (start > 1 && s.is(start - 1, DIRECTIONS) && s.is(start - 2, PLACE_PREPS))
            || (start > 1 && s.is(start - 1, &["the", "a", "an"]) && s.is(start - 2, PLACE_PREPS))
            || (start >= 3
                && s.norm(start - 1) == ","
                && s.tokens.tokens[start - 2].flags & dyad_text::CAPITALIZED != 0
                && s.is(start - 3, PLACE_PREPS));
        let attribution =
            start >= 2 && s.norm(start - 1) == "to" && s.norm(start - 2) == "according";
        Some(Mention {
            start,
            end,
            code,
            country,
            name,
            // "in the Pakistani city of Quetta" names a place by its country's adjective.
            // "in Nigeria's Niger state": places named one within the other.
            place_only: place_prep
                && (only_city
                    || g.len() == 1 && !only_adjective
                    || g.len() > 1 && only_places
                    || only_adjective && s.is(end, PLACE_NOUNS)),
            attribution,
            // "American" before "and"/"," or at the end names no one yet; "Ukrainian
            // prisoners" names Ukrainians.
            bare_adjective: only_adjective
                && !(end < s.tokens.tokens.len()
                    && s.tokens.tokens[end].flags & dyad_text::PUNCT == 0
                    && !s.is(end, &["and", "or", "-"]))
                // "an Egyptian-backed proposal" names Egypt.
                && !(s.is(end, &["-"])
                    && s.is(end + 1, MODIFIER_SUFFIXES)
                    && (end + 2..end + 4).any(|i| s.is(i, PROPOSALS))),
        })
    }

    /// Figures in the sentence, with the country, period and source the text gives them.
    fn facts(&self, s: &Sentence, mentions: &[Mention]) -> Facts {
        let counts = crate::count::find(s.tokens, &s.article.text);
        if counts.is_empty() {
            return Facts::default();
        }
        let period = s.times.iter().find(|t| t.until.is_some()).map(|t| Period {
            start: t.date.to_string(),
            end: t.until.map(|u| u.to_string()).unwrap_or_default(),
        });
        let attributed_to = mentions.iter().find(|m| m.attribution).map(|m| {
            let text = s.text_of(m.start, m.end);
            text.strip_prefix("the ")
                .or_else(|| text.strip_prefix("The "))
                .unwrap_or(text)
                .to_string()
        });
        let mut facts = Facts::default();
        // Days and years inside a date are not counts.
        let in_date = |c: &crate::count::Count| {
            s.times
                .iter()
                .any(|t| c.start < t.end && t.start < c.end.max(c.start + 1))
        };
        let kept: Vec<&crate::count::Count> = counts.iter().filter(|c| !in_date(c)).collect();
        facts.deaths = crate::count::casualties(kept.iter().copied()).dead;
        for c in kept {
            // "53 in Iraq": the country right after the figure.
            let country = mentions
                .iter()
                .find(|m| m.start == c.end + 1 && s.is(c.end, &["in"]) && m.code.len() == 3)
                .and_then(|m| m.country.clone());
            facts.quantities.push(Quantity {
                value: c.value,
                unit: c.unit.clone(),
                qualifier: c.qualifier.to_string(),
                text: s.text_of(c.start, c.end.max(c.start + 1)).to_string(),
                country,
                period: period.clone(),
                attributed_to: attributed_to.clone(),
            });
        }
        facts
    }

    fn events_for<'m>(
        &self,
        s: &Sentence,
        t: &TriggerSpan,
        mentions: &'m [Mention],
        facts: &Facts,
        inherited: Option<&'m Mention>,
        object_hint: Option<&'m Mention>,
    ) -> (Vec<Event>, Option<&'m Mention>) {
        // "will visit", "agreed to provide aid", "is ready to withdraw": an announced act is
        // coded as the intent (CAMEO 03x, PLOVER AGREE) when it is cooperative, as a threat
        // (13x) when it is a cutback or coercion, and not at all when it is force, which its
        // own verb ("threatened") codes.
        let refused;
        let t = match self
            .refused(s, t)
            .then(|| reject_code(&t.entry.code))
            .flatten()
        {
            Some(code) => {
                refused = TriggerSpan {
                    code,
                    refusal: true,
                    ..*t
                };
                &refused
            }
            None => t,
        };
        // "Bangladesh asked India to extradite Hasina": an act asked of another party is the
        // asker's appeal (CAMEO 02) to that party, not the party's act or intent.
        if let Some((asker, asked)) = self.asked(s, t, mentions) {
            let code = appeal_code(&t.entry.code);
            let t = TriggerSpan { code, ..*t };
            return (
                vec![self.build(
                    s,
                    &t,
                    Some(asker),
                    Some(asked),
                    facts,
                    "asked to: the asker appeals to the party asked",
                )],
                Some(asker),
            );
        }
        let announced;
        let t = if !t.refusal && self.announced(s, t) {
            let Some(code) = intent_code(&t.entry.code) else {
                return (Vec::new(), None);
            };
            announced = TriggerSpan { code, ..*t };
            &announced
        } else {
            t
        };
        let Some((source, target, how)) = self.arguments(s, t, mentions, inherited) else {
            return (Vec::new(), None);
        };
        let target =
            target.or(object_hint.filter(|o| source.is_some_and(|src| src.code != o.code)));
        // The kind of violence follows from who uses it and how (protesters riot, a bomb
        // bombs, a gunman's shooting is not combat, killing hundreds of civilians is a
        // massacre).
        let recoded;
        let t = match recode(s, t, source, target, facts) {
            Some(code) => {
                recoded = TriggerSpan { code, ..*t };
                &recoded
            }
            None => t,
        };
        // "threatened to annex ... if France went ahead": a threat is aimed at the party whose
        // act it is meant to deter.
        let target = if t.code.starts_with("13") {
            (t.end..s.tokens.tokens.len())
                .find(|&i| s.is(i, &["if", "unless"]))
                .and_then(|i| {
                    mentions.iter().find(|m| {
                        m.start > i && m.start <= i + 2 && !m.place_only && !m.attribution
                    })
                })
                .filter(|m| source.is_none_or(|src| src.code != m.code))
                // Not the addressee of the threat ("warned Finland that ... if NATO ..."),
                // only the object of the threatened act ("threatened to annex X if ...").
                .filter(|_| target.is_none_or(|tg| (t.start..tg.start).any(|i| s.is(i, &["to"]))))
                .or(target)
        } else {
            target
        };
        // "declared martial law", "imposed a curfew": administrative sanctions with no one
        // named fall on the source's own country.
        let home;
        let target = match (target, source) {
            (None, Some(src)) if t.code.starts_with("172") => match &src.country {
                Some(c) => {
                    home = Mention {
                        code: c.clone(),
                        name: self.dict.country_name(c).unwrap_or(c).to_string(),
                        place_only: false,
                        attribution: false,
                        bare_adjective: false,
                        ..src.clone()
                    };
                    Some(&home)
                }
                None => None,
            },
            _ => target,
        };
        // Plain statements (010) are events only when someone makes them about someone; the
        // specific ones (pessimism, optimism, declining comment, claiming responsibility,
        // condolences ...) need only their speaker.
        if t.code.starts_with("01")
            && if is_plain_statement(t.code) {
                target.is_none() || (source.is_none() && t.entry.kind == TriggerKind::Noun)
            } else {
                source.is_none()
            }
        {
            return (Vec::new(), source);
        }
        // "China and Brazil signed ...": a compound subject acts as one; with no target each
        // member acts on the other.
        // "Mali, Burkina Faso and Niger", "Argentina and the United States".
        let mut partners: Vec<&Mention> = Vec::new();
        if let Some(src) = source {
            let mut head = src;
            while let Some(m) = mentions.iter().rev().find(|m| {
                let gap_ok = (m.end + 1 == head.start && s.is(m.end, &["and", ","]))
                    || (m.end + 2 == head.start
                        && s.is(m.end, &["and", ","])
                        && s.is(m.end + 1, &["the", "allied", "other", "fellow"]));
                gap_ok && !m.place_only && !m.attribution && m.code != src.code
            }) {
                if partners.iter().any(|p| std::ptr::eq(*p, m)) || partners.len() >= 6 {
                    break;
                }
                partners.push(m);
                head = m;
            }
        }
        let partner = partners.first().copied();
        // A compound subject meets in a place; the place is not its counterpart.
        let target = if partner.is_some() {
            target.filter(|t| !t.place_only)
        } else {
            target
        };
        // "accused Israel and Iran": a compound target is acted on by each source.
        let target_partner = target.and_then(|tg| {
            mentions.iter().find(|m| {
                m.start == tg.end + 1
                    && s.is(tg.end, &["and", ","])
                    && !m.attribution
                    && m.code != tg.code
                    && source.is_none_or(|src| src.code != m.code)
            })
        });
        let mut out = Vec::new();
        if let Some(tp) = target_partner {
            out.push(self.build(s, t, source, Some(tp), facts, how));
        }
        // Members of the compound beyond the first two act like the first.
        for extra in partners.iter().skip(1) {
            match target {
                Some(tg) => out.push(self.build(s, t, Some(extra), Some(tg), facts, how)),
                None => {
                    if let Some(src) = source {
                        out.push(self.build(s, t, Some(extra), Some(src), facts, how));
                    }
                }
            }
        }
        match (partner, target) {
            (Some(p), None) => {
                out.push(self.build(
                    s,
                    t,
                    Some(p),
                    source,
                    facts,
                    "compound subject: each member acts on the other",
                ));
                out.push(self.build(
                    s,
                    t,
                    source,
                    Some(p),
                    facts,
                    "compound subject: each member acts on the other",
                ));
            }
            (Some(p), Some(tg)) => {
                out.push(self.build(s, t, Some(p), Some(tg), facts, how));
                out.push(self.build(s, t, source, Some(tg), facts, how));
            }
            (None, _) => out.push(self.build(s, t, source, target, facts, how)),
        }
        (out, source)
    }

    /// "X asked Y to <act>": the asker and the party asked, when the trigger is the act.
    fn asked<'m>(
        &self,
        s: &Sentence,
        t: &TriggerSpan,
        mentions: &'m [Mention],
    ) -> Option<(&'m Mention, &'m Mention)> {
        if t.entry.kind != TriggerKind::Verb || t.start < 3 || !s.is(t.start - 1, &["to"]) {
            return None;
        }
        let from = clause_start(s, t.start);
        let i = (from..t.start).rfind(|&i| s.is(i, ASKING))?;
        let usable = |m: &&Mention| !m.attribution && !m.place_only && !m.bare_adjective;
        let asked = mentions
            .iter()
            .filter(usable)
            .find(|m| m.start > i && m.end < t.start)?;
        // "asked Y to <act>" directly, or through one more request ("to order Israel to halt").
        let tos = (asked.end..t.start).filter(|&j| s.is(j, &["to"])).count();
        if !s.is(asked.end, &["to"]) || tos > 2 {
            return None;
        }
        let asker = mentions
            .iter()
            .filter(usable)
            .rfind(|m| m.end <= i && m.start >= from)?;
        (asker.code != asked.code).then_some((asker, asked))
    }

    /// Is the trigger an act announced rather than done: after "will", "would", or an intent
    /// verb with "to" ("threatened to", "plans to", "agreed to") in its clause?
    /// "refused to lift", "declined to meet", "will not accept", "would not meet their
    /// demands": the act is refused, in the words just before it and in its own clause.
    fn refused(&self, s: &Sentence, t: &TriggerSpan) -> bool {
        let clause_start = clause_start(s, t.start);
        let near = t.start.saturating_sub(4).max(clause_start);
        (near..t.start).any(|i| {
            (s.is(i, REFUSALS) && s.is(i + 1, &["to"]))
                || (s.is(i, &["will", "would", "wo", "shall"])
                    && s.is(i + 1, &["not", "n't", "never"]))
        })
    }

    fn announced(&self, s: &Sentence, t: &TriggerSpan) -> bool {
        let clause_start = clause_start(s, t.start);
        let near = t.start.saturating_sub(3).max(clause_start);
        (near..t.start).any(|i| s.is(i, &["will", "would", "'ll", "shall"]))
            || (clause_start..t.start)
                .any(|i| s.is(i, INTENT) && (i + 1..t.start).any(|j| s.is(j, &["to"])))
    }

    /// The source and target of a trigger, and the rule that found them.
    fn arguments<'m>(
        &self,
        s: &Sentence,
        t: &TriggerSpan,
        mentions: &'m [Mention],
        inherited: Option<&'m Mention>,
    ) -> Option<(Option<&'m Mention>, Option<&'m Mention>, &'static str)> {
        // Negation, modality and conditionals in the words just before the trigger.
        let lo = t.start.saturating_sub(4);
        for i in lo..t.start {
            if (!t.refusal && s.is(i, NEGATORS)) || s.is(i, MODALS) {
                return None;
            }
        }
        // "denied that its troops were fighting", "rejected claims that the group attacked":
        // what a denial reports did not happen.
        let denied = (0..t.start).any(|i| {
            s.is(i, DENIALS)
                && (i + 1..t.start).any(|j| {
                    s.is(
                        j,
                        &["that", "claims", "reports", "allegations", "accusations"],
                    )
                })
        });
        if denied {
            return None;
        }
        // "declined to comment on reports that Putin would meet Trump": what unconfirmed
        // reports say is not reported as fact.
        // Only the noun ("comment on reports that", "amid claims that"); "the army reports
        // that 40 were killed" reports it.
        let hearsay = (1..t.start).any(|i| {
            s.is(i - 1, HEARSAY_BEFORE)
                && s.is(i, HEARSAY)
                && s.is(i + 1, &["that"])
                && !(i + 2..t.start).any(|j| s.is(j, CLAUSE_BREAKS))
        });
        if hearsay {
            return None;
        }
        // "any request from Washington to extradite", "in a bid to seize": an act named as the
        // aim of a request, plan or attempt has not happened.
        if t.entry.kind == TriggerKind::Verb
            && t.start >= 2
            && s.is(t.start - 1, &["to"])
            && (t.start.saturating_sub(6)..t.start - 1).any(|i| s.is(i, AIM_NOUNS))
            && !(t.start.saturating_sub(6)..t.start - 1)
                .any(|i| s.is(i, CLAUSE_BREAKS) || s.is(i, &[","]))
        {
            return None;
        }
        // "despite the U.S. warnings": a conceded circumstance, not the news.
        if t.entry.kind == TriggerKind::Noun {
            let mut i = t.start;
            while i > 0
                && (s.is(i - 1, DETERMINERS)
                    || mentions.iter().any(|m| m.end == i)
                    || s.tokens.tokens[i - 1].flags & dyad_text::CAPITALIZED == 0
                        && !s.is(i - 1, PREPOSITIONS)
                        && i + 3 > t.start)
            {
                i = mentions
                    .iter()
                    .find(|m| m.end == i)
                    .map_or(i - 1, |m| m.start);
            }
            if i > 0 && s.is(i - 1, &["despite"]) {
                return None;
            }
        }
        if (0..t.start).any(|i| s.is(i, &["if", "unless"])) || s.is(0, &["should", "were", "had"]) {
            return None;
        }
        // "threatened to strike", "plans to visit", "is expected to sign": an intent or a
        // threat is coded by its own verb, not as the act it announces.
        let clause_start = clause_start(s, t.start);
        // Storms and earthquakes kill and destroy, but they are not actors.
        if t.entry.code.starts_with(['1', '2']) && (clause_start..t.start).any(|i| s.is(i, NATURAL))
        {
            return None;
        }
        let usable = |m: &&Mention| !m.attribution && !m.bare_adjective;
        let mut passive_voice = false;
        let (source, target, how) = match t.entry.kind {
            TriggerKind::Verb => {
                let after_be = t.start > 0
                    && (s.is(t.start - 1, BE) || (t.start > 1 && s.is(t.start - 2, BE)));
                // "was attacked", and irregular participles followed by "by" ("was hit by").
                // After a form of "be", any verb form but the "-ing" one is a participle:
                // "was attacked", "was shot", "were hit by".
                let passive = after_be && is_participle(s.norm(t.start), &t.entry.rule);
                passive_voice = passive;
                // The subject's clause begins after the last clause break; a parenthesis
                // ("Hizbollah (Party of God) group declared") is stepped over.
                let left = {
                    let mut i = t.start;
                    let mut depth = 0usize;
                    loop {
                        if i == 0 {
                            break 0;
                        }
                        i -= 1;
                        if s.is(i, &[")"]) {
                            depth += 1;
                        } else if s.is(i, &["("]) && depth > 0 {
                            depth -= 1;
                        } else if depth == 0 && s.is(i, CLAUSE_BREAKS) {
                            break i + 1;
                        }
                    }
                };
                // The object ends at a clause break, at a participle clause (", killing
                // twelve") and at a subordinate clause ("after talks in Doha").
                let far = (t.end..s.tokens.tokens.len())
                    .find(|&i| s.is(i, CLAUSE_BREAKS) || s.is(i, SUBORDINATORS))
                    .unwrap_or(s.tokens.tokens.len());
                let right = (t.end..far)
                    .find(|&i| s.is(i, &[","]) && s.norm(i + 1).ends_with("ing"))
                    .unwrap_or(far);
                // The subject: the nearest actor before the verb that is not the object of a
                // preposition ("filed a case at the ICJ accusing ..."), else the nearest;
                // "the U.N. envoy for Syria visited" is the envoy.
                // "protesters who threw stones": the subject of a relative clause is the
                // phrase before "who".
                let relative = (t.start >= 2 && s.is(t.start - 1, &["who", "which", "that"]))
                    .then(|| {
                        mentions
                            .iter()
                            .find(|m| m.end == t.start - 1 && usable(m) && !m.place_only)
                    })
                    .flatten();
                let before = inherited.or(relative).or_else(|| {
                    let candidates = || {
                        mentions.iter().filter(|m| {
                            usable(m) && m.end <= t.start && m.start >= left && !m.place_only
                        })
                    };
                    let head = candidates()
                        .rfind(|m| !after_prep(s, m.start, OBJECT_PREPS))
                        .or_else(|| candidates().next_back())?;
                    let owner = (head.start >= 2 && s.is(head.start - 1, &["for"]))
                        .then(|| candidates().find(|o| o.end + 1 == head.start))
                        .flatten();
                    Some(owner.unwrap_or(head))
                });
                let after_by = mentions.iter().filter(usable).find(|m| {
                    m.start > t.end && m.start <= t.end + 2 && s.is(m.start - 1, &["by"])
                });
                if passive && after_by.is_some() {
                    (
                        after_by,
                        before,
                        "passive: source after 'by', target before the verb",
                    )
                } else if passive {
                    (None, before, "passive: target before the verb")
                } else {
                    let src_code = before.map(|m| m.code.as_str());
                    let ends = first_by_end(mentions);
                    let mut after: Vec<&Mention> = mentions
                        .iter()
                        .filter(usable)
                        .filter(|m| m.start >= t.head_end && m.end <= far)
                        // A sector word inside a gapped trigger's tail modifies the trigger's
                        // noun ("paused all military aid"); the tail's own last word is its
                        // object ("executed 223 villagers").
                        .filter(|m| !(m.start >= t.tail_start && m.end < t.end))
                        // ", Human Rights Watch said": the speaker, not a party.
                        .filter(|m| !s.is(m.end, &["said", "says", "told", "added", "reported"]))
                        .filter(|m| !agent_of_passive(s, mentions, &ends, m) && !ally(s, m))
                        .filter(|m| !own_possession(s, m))
                        .filter(|m| {
                            Some(m.code.as_str()) != src_code
                                || before.is_some_and(|b| b.name != m.name && b.code.len() > 3)
                        })
                        .collect();
                    // A participle clause (", wounding Trump") names the victim only when the
                    // clause before it names no one; and then not people at large.
                    if after.iter().any(|m| m.end <= right && !m.place_only) {
                        after.retain(|m| m.end <= right);
                    } else {
                        after.retain(|m| {
                            m.end <= right || !m.place_only && mention_sector(m) != "CVL"
                        });
                    }
                    let mut target = after
                        .iter()
                        .find(|m| !m.place_only)
                        .or_else(|| after.first())
                        .copied();
                    // "extradited a Russian national ... to the United States": the receiving
                    // state is the target of an extradition (CAMEO 063).
                    if t.code.starts_with("063") {
                        if let Some(to) = after
                            .iter()
                            .find(|m| after_prep(s, m.start, &["to"]) && m.country.is_some())
                        {
                            target = Some(to);
                        }
                    }
                    // "sent troops to Estonia", "lift all U.S. sanctions on Syria": when the
                    // object is the source's own (its forces, its country), the party the act
                    // is directed to is the one after "to", "into" or "on".
                    let own = |m: &Mention| {
                        m.country.is_none()
                            && !m.code.starts_with("IGO")
                            && !m.code.starts_with("NGO")
                            || (m.country.is_some()
                                && before.and_then(|b| b.country.as_ref()) == m.country.as_ref())
                    };
                    if let (Some(tg), Some(src)) = (target, before) {
                        if src.country.is_some() && own(tg) {
                            if let Some(other) = after.iter().find(|m| {
                                m.start > tg.start
                                    && m.country.is_some()
                                    && m.country != src.country
                                    && after_prep(
                                        s,
                                        m.start,
                                        &["to", "into", "on", "toward", "towards"],
                                    )
                            }) {
                                target = Some(other);
                            }
                        }
                    }
                    (
                        before,
                        target,
                        "source: actor before the verb; target: actor after it",
                    )
                }
            }
            TriggerKind::Noun => {
                let adjacent = mentions
                    .iter()
                    .filter(usable)
                    .find(|m| m.end == t.start || (m.end + 1 == t.start && s.norm(m.end) == "'s"));
                let by = mentions.iter().filter(usable).find(|m| {
                    m.start > t.end && m.start <= t.end + 2 && s.is(m.start - 1, &["by"])
                });
                // "struck Hamas leaders in Doha, drawing sharp condemnation from Qatar": the
                // reaction drawn comes from the party after "from" and is aimed at the subject.
                let drawn = adjacent.is_none()
                    && (t.start.saturating_sub(3)..t.start).any(|i| s.is(i, DRAWING));
                if drawn {
                    let from = mentions.iter().filter(usable).find(|m| {
                        m.start > t.end && m.start <= t.end + 2 && s.is(m.start - 1, &["from"])
                    });
                    let subject = mentions
                        .iter()
                        .filter(usable)
                        .find(|m| !m.place_only && m.end <= t.start);
                    if let (Some(f), Some(sub)) = (from, subject) {
                        if f.code != sub.code {
                            return Some((
                                Some(f),
                                Some(sub),
                                "noun drawn as a reaction: source after 'from', target the subject",
                            ));
                        }
                    }
                }
                let source = adjacent.or(by).or(inherited);
                let src_code = source.map(|m| m.code.as_str());
                let stop = (t.end..(t.end + 14).min(s.tokens.tokens.len()))
                    .find(|&i| s.is(i, CLAUSE_BREAKS))
                    .unwrap_or((t.end + 14).min(s.tokens.tokens.len()));
                let target = (t.end..stop)
                    .filter(|&i| s.is(i, TARGET_PREPS))
                    .find_map(|i| {
                        mentions.iter().filter(usable).find(|m| {
                            m.start > i && m.start <= i + 6 && Some(m.code.as_str()) != src_code
                        })
                    });
                // "A U.S. drone strike (in early January) killed / resulted in the deaths of
                // a commander of Harakat al-Nujaba": a violent noun with no target is the
                // subject of what it did, and that verb's object is the target.
                let target = target.or_else(|| {
                    if !t.entry.code.starts_with(['1', '2']) {
                        return None;
                    }
                    let n = s.tokens.tokens.len();
                    let end = (t.end..n)
                        .find(|&i| s.is(i, CLAUSE_BREAKS) || s.is(i, SUBORDINATORS))
                        .unwrap_or(n);
                    let verb = (t.end..end.min(t.end + 6)).find(|&i| s.is(i, OUTCOME_VERBS))?;
                    // A named party ("a member of Harakat al-Nujaba") before a bare agent ("a
                    // military commander").
                    let victims = || {
                        mentions.iter().filter(usable).filter(move |m| {
                            m.start > verb
                                && m.end <= end
                                && m.start <= verb + 12
                                && !m.place_only
                                && Some(m.code.as_str()) != src_code
                        })
                    };
                    victims()
                        .find(|m| m.country.is_some())
                        .or_else(|| victims().next())
                });
                (
                    source,
                    target,
                    "noun: source before it or after 'by'; target after 'on/against'",
                )
            }
        };
        if source.is_none() && target.is_none() {
            return None;
        }
        // "the siege of Mariupol ... at the Venice festival", "a battle for market share in
        // India": a noun with no author and only a place is a topic, not an event.
        // A noun is a topic only after "about" ("a documentary about the siege"); "there was a
        // bomb attack at the market" reports an attack by someone unnamed.
        let topic = match t.entry.kind {
            TriggerKind::Noun => {
                let mut i = t.start;
                while i > 0 && s.is(i - 1, DETERMINERS) {
                    i -= 1;
                }
                i > 0 && s.is(i - 1, &["about"])
            }
            TriggerKind::Verb => !passive_voice,
        };
        if source.is_none() && target.is_some_and(|m| m.place_only) && topic {
            return None;
        }
        let target = target.filter(|tg| {
            source.is_none_or(|sr| sr.code != tg.code || (sr.name != tg.name && sr.code.len() > 3))
        });
        Some((source, target, how))
    }

    fn build(
        &self,
        s: &Sentence,
        t: &TriggerSpan,
        source: Option<&Mention>,
        target: Option<&Mention>,
        facts: &Facts,
        how: &str,
    ) -> Event {
        // Military force used by a country named alone is its military's.
        let military = t.code.starts_with("19") || t.code.starts_with("20");
        // An actor named only by its sector ("civilians", "gunmen") belongs to the country
        // where the event happened, else to the country of the other party.
        let stateless = |m: &Mention| {
            m.country.is_none()
                && !(m.start > 0 && s.is(m.start - 1, &["foreign", "international", "western"]))
                && !["IGO", "IMG", "NGO"].iter().any(|p| m.code.starts_with(p))
        };
        let other_country = |m: &Mention| {
            let other = if std::ptr::eq(m, source.unwrap_or(m)) {
                target
            } else {
                source
            };
            other
                .filter(|o| !stateless(o))
                .and_then(|o| o.country.clone())
        };
        let actor = |m: &Mention, is_source: bool| {
            let (mut code, country) = if stateless(m) {
                match s.place_country.clone().or_else(|| other_country(m)) {
                    Some(c) => (format!("{c}{}", m.code), Some(c)),
                    None => (m.code.clone(), None),
                }
            } else {
                (m.code.clone(), m.country.clone())
            };
            if is_source && military && country.as_deref() == Some(code.as_str()) {
                code.push_str("MIL");
            }
            let sector = sector_of(&code, country.as_deref());
            EventActor {
                text: s.text_of(m.start, m.end).to_string(),
                code,
                country,
                sector,
                name: m.name.clone(),
            }
        };
        let source_span = source.map(|m| s.span(m.start, m.end));
        let target_span = target.map(|m| s.span(m.start, m.end));
        let source = source.map(|m| actor(m, true));
        let target = target.map(|m| actor(m, false));
        let trigger_text = s.text_of(t.start, t.end);
        let mode_hint = trigger_text
            .to_lowercase()
            .contains("drone")
            .then_some("drone");
        let (cameo, plover, acled) = dyad_model::schemes(
            t.code,
            mode_hint,
            source.as_ref().and_then(|a| a.sector.as_deref()),
            target.as_ref().and_then(|a| a.sector.as_deref()),
        );
        // The event's own time expression, else the article date.
        let (date, date_precision) = match crate::when::for_trigger(&s.times, t.start, t.end) {
            Some(te) => (Some(te.date.to_string()), Some(te.precision)),
            None => (
                s.article.date.clone(),
                s.article.date.as_ref().map(|_| DatePrecision::Day),
            ),
        };
        let tspan = s.span(t.start, t.end);
        let event_id = Event::compute_id(
            &s.article.id,
            s.index,
            (tspan[0], tspan[1]),
            t.code,
            source.as_ref().map(|a| a.code.as_str()),
            target.as_ref().map(|a| a.code.as_str()),
        );
        Event {
            event_id,
            article_id: s.article.id.clone(),
            sentence: s.index,
            date,
            date_precision,
            cameo,
            plover,
            acled,
            location: self.location(s, t, source.as_ref(), target.as_ref()),
            fatalities: if military || t.code.starts_with("18") {
                facts.deaths
            } else {
                None
            },
            quantities: facts.quantities.clone(),
            evidence: Evidence {
                text: s.article.text[s.range.clone()].to_string(),
                trigger: Trigger {
                    text: trigger_text.to_string(),
                    start: tspan[0],
                    end: tspan[1],
                },
                source_span,
                target_span,
                rule: format!("{} | {how}", t.entry.rule),
            },
            source,
            target,
        }
    }
}

impl PhraseCoder {
    /// Where the event happened: the place its clause names ("in", "near", "at" ...), nearest
    /// after the trigger, else before it; else the country of the place the sentence names,
    /// else the target's country, else the article's first country, else the source's.
    fn location(
        &self,
        s: &Sentence,
        t: &TriggerSpan,
        source: Option<&EventActor>,
        target: Option<&EventActor>,
    ) -> Option<dyad_model::Location> {
        let geo = dyad_geo::gazetteer();
        // A place is where an event happened when the text says so: "in", "near", "at",
        // "outside" ... before it, not "pro-Iran" or "U.S.-led".
        let usable = |tp: &&dyad_geo::Toponym| {
            let i = tp.tokens.start;
            !tp.qualifier
                && (tp.near
                    || (i > 0 && s.is(i - 1, PLACE_PREPS))
                    || (i > 1 && s.is(i - 1, &["the"]) && s.is(i - 2, PLACE_PREPS))
                    || (i > 1
                        && s.is(i - 1, &["'s"])
                        && s.toponyms.iter().any(|o| o.tokens.end + 1 == i)))
        };
        let after = s
            .toponyms
            .iter()
            .filter(usable)
            .find(|tp| tp.tokens.start >= t.end);
        let before = s
            .toponyms
            .iter()
            .filter(usable)
            .rfind(|tp| tp.tokens.end <= t.start);
        for tp in after.into_iter().chain(before) {
            if let Some(p) = geo.resolve(tp, s.context) {
                return Some(dyad_model::Location {
                    name: p.name.clone(),
                    country: p.country.clone(),
                    admin1: p.admin1.clone(),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                    geonames_id: (p.geonames_id != 0).then_some(p.geonames_id),
                    precision: p.precision.to_string(),
                    near: tp.near,
                });
            }
        }
        let country = s
            .place_country
            .clone()
            .or_else(|| target.and_then(|a| a.country.clone()))
            .or_else(|| s.context.countries.first().cloned())
            .or_else(|| source.and_then(|a| a.country.clone()))?;
        let p = geo.country(&country)?;
        Some(dyad_model::Location {
            name: p.name.clone(),
            country: p.country.clone(),
            admin1: None,
            lat: Some(p.lat),
            lon: Some(p.lon),
            geonames_id: (p.geonames_id != 0).then_some(p.geonames_id),
            precision: "country".to_string(),
            near: false,
        })
    }
}

fn sector_of(code: &str, country: Option<&str>) -> Option<String> {
    let rest = match country {
        Some(c) => code.strip_prefix(c)?,
        None if code.starts_with("IGO") || code.starts_with("IMG") || code.starts_with("NGO") => {
            return None
        }
        None => code,
    };
    rest.get(..3).map(str::to_string)
}

/// Is the mention the agent of a participle or passive ("talks mediated by Qatar and
/// Turkey", "a ceremony hosted by Rubio")? Such a mention is no target of an active verb.
/// The index of the first mention (in `mentions`' order) ending at each token position.
fn first_by_end(mentions: &[Mention]) -> HashMap<usize, usize> {
    let mut out = HashMap::with_capacity(mentions.len());
    for (i, m) in mentions.iter().enumerate() {
        out.entry(m.end).or_insert(i);
    }
    out
}

/// `ends` is [`first_by_end`] of `mentions`.
fn agent_of_passive(
    s: &Sentence,
    mentions: &[Mention],
    ends: &HashMap<usize, usize>,
    m: &Mention,
) -> bool {
    let mut m = m;
    loop {
        let by = if m.start > 0 && s.is(m.start - 1, &["by"]) {
            Some(m.start - 1)
        } else if m.start > 1 && s.is(m.start - 1, &["the"]) && s.is(m.start - 2, &["by"]) {
            Some(m.start - 2)
        } else {
            None
        };
        // Only after a participle: "attack by the United States" names the attack's author.
        if let Some(b) = by {
            return b > 0 && {
                let w = s.norm(b - 1);
                w.ends_with("ed") || w.ends_with("en") || IRREGULAR_PARTICIPLES.contains(&w)
            };
        }
        // A member of a compound after "by": "by Qatar and Turkey", "by Qatar and the UAE"
        // (the first such mention in `mentions`' order: whether one qualifies depends only
        // on where it ends).
        let joined = |end: usize| s.is(end, &["and", ","]);
        let direct = (m.start > 0)
            .then(|| m.start - 1)
            .filter(|&e| joined(e))
            .and_then(|e| ends.get(&e));
        let through_the = (m.start > 1)
            .then(|| m.start - 2)
            .filter(|&e| joined(e) && s.is(e + 1, &["the"]))
            .and_then(|e| ends.get(&e));
        let Some(&prev) = direct.into_iter().chain(through_the).min() else {
            return false;
        };
        m = &mentions[prev];
    }
}

/// Does the phrase at `i` follow one of `preps`, directly or through "the"?
fn after_prep(s: &Sentence, i: usize, preps: &[&str]) -> bool {
    i > 0 && s.is(i - 1, preps) || i > 1 && s.is(i - 1, &["the"]) && s.is(i - 2, preps)
}

/// A mention after "alongside" fights on the subject's side, not against it.
fn ally(s: &Sentence, m: &Mention) -> bool {
    m.start > 0 && s.is(m.start - 1, &["alongside"])
}

/// A sector word after a possessive ("its military", "their troops") is the subject's own.
fn own_possession(s: &Sentence, m: &Mention) -> bool {
    m.country.is_none()
        && !m.code.starts_with("IGO")
        && !m.code.starts_with("NGO")
        && m.start > 0
        && s.is(m.start - 1, POSSESSIVES)
}

/// Is `word` the past participle of the trigger's verb: "-ed", or the participle its
/// dictionary spec writes out ("strike|struck|struck", "shoot dead|shot|shot")?
fn is_participle(word: &str, rule: &str) -> bool {
    if word.ends_with("ed") {
        return true;
    }
    let spec = rule
        .split_once("verb \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(spec, _)| spec);
    spec.split('|')
        .nth(2)
        .is_some_and(|p| p.split_whitespace().next() == Some(word))
}

/// The sector of a mention's code, or its whole code when it has no country.
fn mention_sector(m: &Mention) -> &str {
    match &m.country {
        Some(c) => m.code.strip_prefix(c.as_str()).unwrap_or(""),
        None => &m.code,
    }
}

fn words<'a>(s: &'a Sentence, r: Range<usize>) -> impl Iterator<Item = &'a str> + 'a {
    r.map(move |i| s.norm(i))
}

/// A more specific code for a violent event, from its actors and wording: protesters'
/// violence is a riot (145); violence by a bomb is a bombing (183); a gunman's shooting is
/// unconventional violence (18), not combat (19); killing hundreds of civilians is a mass
/// killing (202).
fn recode(
    s: &Sentence,
    t: &TriggerSpan,
    source: Option<&Mention>,
    target: Option<&Mention>,
    facts: &Facts,
) -> Option<&'static str> {
    let root = t.code.get(..2)?;
    let igo = target.is_some_and(|m| {
        m.code.starts_with("IGO") || m.code.starts_with("NGO") || m.code.starts_with("IMG")
    });
    // Leaving an organisation is reducing relations with it (16), not a military retreat;
    // banning an international agency expels a foreign presence (166).
    if t.code.starts_with("087") && igo && target.is_some_and(|m| !m.code.starts_with("IMG")) {
        return Some("160");
    }
    if t.code.starts_with("172") && igo {
        return Some("166");
    }
    // "handed over suspected Islamic State members to Iraq": judicial cooperation (063).
    if t.code == "084"
        && s.text_of(t.start, t.end).to_lowercase().starts_with("hand")
        && words(s, t.end..(t.end + 6).min(s.tokens.tokens.len())).any(|w| {
            matches!(
                w,
                "suspects"
                    | "suspect"
                    | "suspected"
                    | "fugitive"
                    | "fugitives"
                    | "accused"
                    | "wanted"
            )
        })
    {
        return Some("063");
    }
    // "deployed 400 police officers to Haiti to lead a security mission": forces sent to
    // another country on a mission protect or keep the peace (074).
    if root == "15"
        && target.is_some_and(|tg| {
            tg.country.is_some()
                && source.is_some_and(|src| src.country.is_some() && src.country != tg.country)
        })
        && words(s, t.end..s.tokens.tokens.len()).any(|w| {
            matches!(
                w,
                "mission"
                    | "peacekeeping"
                    | "peacekeepers"
                    | "protect"
                    | "stabilisation"
                    | "stabilization"
            )
        })
    {
        return Some("074");
    }
    if !matches!(root, "17" | "18" | "19") {
        return None;
    }
    let combatant_source = source.is_some_and(|m| {
        matches!(mention_sector(m), "MIL" | "REB" | "UAF" | "INS") || m.code.ends_with("REB")
    });
    // Armed forces seizing a town, a base or a headquarters occupy it (192).
    if t.code == "171"
        && combatant_source
        && words(s, t.end..(t.end + 8).min(s.tokens.tokens.len())).any(|w| {
            matches!(
                w,
                "headquarters"
                    | "base"
                    | "bases"
                    | "town"
                    | "towns"
                    | "city"
                    | "village"
                    | "villages"
                    | "airport"
                    | "territory"
                    | "positions"
                    | "outpost"
                    | "barracks"
                    | "garrison"
                    | "capital"
                    | "control"
            )
        })
    {
        return Some("192");
    }
    let source_words =
        |list: &[&str]| source.is_some_and(|m| words(s, m.start..m.end).any(|w| list.contains(&w)));
    if source_words(&[
        "protesters",
        "protester",
        "protestors",
        "demonstrators",
        "rioters",
        "mob",
        "crowd",
        "crowds",
    ]) && t.code != "181"
    {
        return Some("145");
    }
    // "U.S. strikes against pro-Iran groups", "Israeli strikes on Rafah": a state's or an
    // army's strikes, as a noun, are air, drone or missile strikes (CAMEO 195), not combat.
    if t.code == "190"
        && t.entry.kind == TriggerKind::Noun
        && matches!(s.norm(t.start), "strike" | "strikes")
        && source
            .is_some_and(|m| m.country.is_some() && matches!(mention_sector(m), "" | "GOV" | "MIL"))
    {
        return Some("195");
    }
    let plain = matches!(t.code, "190" | "193" | "180" | "182" | "186" | "1712");
    if plain {
        let subject: Vec<&str> = words(s, clause_start(s, t.start)..t.start).collect();
        let has = |w: &[&str]| subject.iter().any(|x| w.contains(x));
        if has(&[
            "bomb",
            "explosive",
            "explosives",
            "blast",
            "explosion",
            "ied",
            "bombs",
        ]) || has(&["suicide"]) && has(&["bomber", "bombers"])
        {
            return Some(if has(&["suicide"]) {
                "1831"
            } else if has(&["car", "vehicle", "truck"]) {
                "1832"
            } else if has(&["roadside"]) {
                "1833"
            } else {
                "183"
            });
        }
    }
    let combatant = |m: &Mention| matches!(mention_sector(m), "MIL" | "REB" | "UAF" | "INS");
    let trigger = s.text_of(t.start, t.end).to_lowercase();
    let killing = [
        "kill",
        "execut",
        "slaughter",
        "shot dead",
        "shoot dead",
        "murder",
        "massacr",
    ]
    .iter()
    .any(|k| trigger.starts_with(k));
    let many = facts.deaths.is_some_and(|d| d >= 100)
        || words(s, t.end..(t.end + 4).min(s.tokens.tokens.len()))
            .any(|w| matches!(w, "hundreds" | "thousands"));
    if killing && many && target.is_some_and(|m| !combatant(m)) {
        return Some("202");
    }
    if matches!(t.code, "190" | "193") {
        let irregular = source_words(&[
            "gunman",
            "gunmen",
            "assailant",
            "assailants",
            "attacker",
            "attackers",
        ]);
        // "A presidential hopeful was shot": no one named shooting at a non-combatant.
        let unnamed = source.is_none() && t.code == "193" && target.is_some_and(|m| !combatant(m));
        if irregular || unnamed {
            return Some("180");
        }
    }
    None
}

/// A plain statement (CAMEO 010 and its root), as opposed to the specific 011-019 forms.
fn is_plain_statement(code: &str) -> bool {
    matches!(code, "01" | "010")
}

/// Where the clause of the token at `at` begins: after the last clause break or comma before it.
fn clause_start(s: &Sentence, at: usize) -> usize {
    (0..at)
        .rev()
        .find(|&i| s.is(i, CLAUSE_BREAKS) || s.is(i, &[","]))
        .map_or(0, |i| i + 1)
}

/// The rejection of a refused cooperative act (CAMEO 12); `None` for acts whose refusal is
/// not an event of its own (statements, conflict).
fn reject_code(code: &str) -> Option<&'static str> {
    let c = match code {
        "081" | "0811" | "0812" | "0813" | "0814" => "1241",
        "082" => "1242",
        "083" | "0831" | "0832" | "0833" | "0834" => "123",
        "084" | "0841" | "0842" => "1243",
        "085" => "1244",
        "086" | "0861" | "0862" | "0863" => "1245",
        "087" | "0871" | "0872" | "0873" | "0874" => "1246",
        "061" => "1211",
        "062" => "1212",
        "057" => "127",
        _ => match code.get(..2)? {
            "03" => "127",
            "04" => "125",
            "05" => "120",
            "06" => "121",
            "07" => "121",
            "08" => "124",
            _ => return None,
        },
    };
    Some(c)
}

/// The appeal (CAMEO 02) for an act asked of another party.
fn appeal_code(code: &str) -> &'static str {
    match code {
        "061" => "0211",
        "062" => "0212",
        "063" => "0213",
        "064" => "0214",
        "081" => "0251",
        "082" => "0252",
        "083" => "024",
        "084" | "0841" | "0842" => "0253",
        "085" => "0254",
        "086" | "0861" | "0862" | "0863" => "0255",
        "087" | "0871" | "0872" | "0873" | "0874" => "0256",
        "045" => "028",
        _ => match code.get(..2) {
            Some("04") => "026",
            Some("05") => "022",
            Some("06") => "021",
            Some("07") => "023",
            Some("08") => "025",
            _ => "020",
        },
    }
}

/// The intent form of an announced act: cooperation becomes the matching 03x code, cutbacks
/// and coercion the matching threat (13x); force gives nothing (its own verb, "threatened",
/// codes it); words (statements, demands, criticism) stay as they are.
fn intent_code(code: &str) -> Option<&'static str> {
    let c = match code {
        "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        "081" => "0351",
        "084" | "0841" | "0842" => "0353",
        "085" => "0354",
        "086" => "0355",
        "087" | "0871" | "0872" | "0873" | "0874" => "0356",
        "061" => "0311",
        "062" => "0312",
        "063" => "0313",
        "064" => "0314",
        // Announced cutbacks and coercion are threats (CAMEO 13, PLOVER THREATEN): "plans to
        // impose restrictions", "will cut aid", "is ready to expel the envoy".
        "160" | "161" | "166" | "1661" | "1662" | "1663" => "1313",
        "162" | "1621" | "1622" | "1623" => "1311",
        "163" => "1312",
        "164" => "134",
        "165" => "135",
        "172" => "132",
        "1721" => "1321",
        "1722" => "1322",
        "1723" => "1323",
        "1724" => "1324",
        "170" | "171" | "1711" | "173" | "174" => "130",
        "175" => "137",
        "191" => "1381",
        "192" => "1382",
        "204" | "2041" | "2042" => "1385",
        // "said they would boycott all contact", "will strike unless": announced dissent
        "143" | "1431" | "1432" | "1433" | "1434" | "144" | "1441" | "1442" | "1443" | "1444" => {
            "133"
        }
        _ => match code.get(..2)? {
            "04" => "036",
            "05" => "032",
            "06" => "031",
            "07" => "033",
            "08" => "035",
            "01" | "02" | "03" | "10" | "11" | "12" | "13" | "14" => {
                return dyad_model::cameo::lookup(code).map(|c| c.code);
            }
            _ => return None,
        },
    };
    Some(c)
}
