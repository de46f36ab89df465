//! Compiling PETRARCH dictionaries (verbs, actors, agents, discards) into the lookup
//! structures the engine codes with.
//!
//! * **Phrases** (actors, agents) are indexed by their first word; a phrase is a list of
//!   upper-case words, each remembering whether a blank (other words may come between) or
//!   an underscore (the next word follows at once) joins it to the next one.
//! * **Verbs**: every form of every member verb of a block (the base, the listed irregular
//!   forms, or the regular `-S`/`-ED`/`-ING` forms of the verb word) points to the verb's
//!   entry; a multi-word verb (`+CORDON_OFF`, `WIRE_+TAP`) also records the words that must
//!   stand right before and after the verb word.
//! * **Patterns**: synsets and `{ a | b }` alternatives are expanded at compile time into
//!   plain sequences, so that "longest first" compares what actually matches; every
//!   expansion is split at `*` into its pre-verb part and its post-verb part.

use std::collections::HashMap;

use dyad_dict::formats::actors::{pack, ActorFile, DatedCode};
use dyad_dict::formats::agents::{AgentFile, AgentPosition, Plural};
use dyad_dict::formats::discards::DiscardFile;
use dyad_dict::formats::pattern::{CodeKind, CodeSpec, Synset, Token, VerbPhrase};
use dyad_dict::formats::petrarch_verbs::{TransformTerm, VerbDictionary};

/// Most expansions a single pattern may give (synsets times synsets…).
const MAX_EXPANSIONS: usize = 4096;

/// A dictionary phrase: words and, between consecutive words, whether others may intervene.
#[derive(Clone, Debug)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    /// `gap[k]`: words may come between `words[k]` and `words[k + 1]` (a blank in the file).
    pub gap: Vec<bool>,
}

/// Splits `HAMAS WING`, `PRESIDENT_GEORGE_W._BUSH`, `ARNOR_` into a [`Phrase`].
pub(crate) fn phrase_of(s: &str) -> Option<Phrase> {
    let mut words = Vec::new();
    let mut gap = Vec::new();
    let mut cur = String::new();
    let mut sep_blank = false;
    let mut pending_sep = false;
    for ch in s.trim().chars() {
        if ch == '_' || ch.is_whitespace() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur).to_uppercase());
                pending_sep = true;
                sep_blank = false;
            }
            if ch.is_whitespace() && pending_sep {
                sep_blank = true;
            }
            continue;
        }
        if pending_sep && !words.is_empty() {
            gap.push(sep_blank);
            pending_sep = false;
        }
        cur.push(ch);
    }
    if !cur.is_empty() {
        words.push(cur.to_uppercase());
    }
    if words.is_empty() {
        return None;
    }
    gap.truncate(words.len() - 1);
    while gap.len() < words.len() - 1 {
        gap.push(false);
    }
    Some(Phrase { words, gap })
}

/// Phrases indexed by first word, longest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhraseIndex {
    map: HashMap<String, Vec<(Phrase, usize)>>,
}

impl PhraseIndex {
    fn add(&mut self, p: Phrase, id: usize) {
        self.map
            .entry(p.words[0].clone())
            .or_default()
            .push((p, id));
    }

    fn finish(&mut self) {
        for v in self.map.values_mut() {
            // stable: file order among phrases of one length
            v.sort_by_key(|x| std::cmp::Reverse(x.0.words.len()));
        }
    }

    pub fn starting_with(&self, w: &str) -> &[(Phrase, usize)] {
        self.map.get(w).map_or(&[], |v| v.as_slice())
    }

    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }
}

/// An actor: its codes in file order.
#[derive(Clone, Debug)]
pub(crate) struct ActorRec {
    pub codes: Vec<DatedCode>,
}

impl ActorRec {
    /// The code valid on `date` (`yyyymmdd`): the first restriction that holds, else the
    /// first unrestricted code, else `---`.
    pub fn code_on(&self, date: u32) -> &str {
        let mut default = None;
        for c in &self.codes {
            if c.from.is_none() && c.to.is_none() {
                if default.is_none() {
                    default = Some(c.code.as_str());
                }
                continue;
            }
            let after = c.from.is_none_or(|f| date >= pack(f));
            let before = c.to.is_none_or(|t| date <= pack(t));
            if after && before {
                return &c.code;
            }
        }
        default.unwrap_or("---")
    }
}

/// An agent: `~GOV` (suffix) or `NGO~` (prefix).
#[derive(Clone, Debug)]
pub(crate) struct AgentRec {
    pub code: String,
    pub prefix: bool,
}

/// One element of a compiled pattern (verb excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum El {
    /// A word; `adj`: the next element follows at once.
    Word(String, bool),
    /// `$`, `+`, `%`, `^`.
    Source(bool),
    Target(bool),
    Compound(bool),
    Skip(bool),
    /// PETRARCH-2 `{MOD ... HEAD}`.
    Np {
        mods: Vec<String>,
        head: String,
    },
    /// PETRARCH-2 `(PREP ...)`.
    Pp {
        prep: String,
        inner: Vec<El>,
    },
}

impl El {
    pub fn adj(&self) -> bool {
        match self {
            El::Word(_, a) | El::Source(a) | El::Target(a) | El::Compound(a) | El::Skip(a) => *a,
            El::Np { .. } | El::Pp { .. } => false,
        }
    }

    fn set_adj(&mut self, v: bool) {
        match self {
            El::Word(_, a) | El::Source(a) | El::Target(a) | El::Compound(a) | El::Skip(a) => {
                *a = v
            }
            El::Np { .. } | El::Pp { .. } => {}
        }
    }

    fn words(&self) -> usize {
        match self {
            El::Word(..) => 1,
            El::Np { mods, .. } => mods.len() + 1,
            El::Pp { inner, .. } => 1 + inner.iter().map(El::words).sum::<usize>(),
            _ => 0,
        }
    }
}

/// A compiled pattern (one expansion of one pattern line).
#[derive(Clone, Debug)]
pub(crate) struct PatternC {
    /// Elements before `*`, in sentence order.
    pub upper: Vec<El>,
    /// `*_`: the first post-verb element follows the verb at once.
    pub verb_adj: bool,
    /// Elements after `*`.
    pub lower: Vec<El>,
    pub code: CodeSpec,
    /// Number of words: longer patterns are tried first.
    pub words: usize,
    /// For messages: `file:line`.
    pub rule: String,
    /// File order (ties keep it).
    pub order: usize,
    /// Position in the global try order (longest first, then file order).
    pub rank: usize,
}

/// A member verb of a block.
#[derive(Clone, Debug)]
pub(crate) struct VerbRec {
    pub code: Option<CodeSpec>,
    pub block: usize,
    pub name: String,
}

/// A verb form: the verb word plus the words around it of a multi-word verb.
#[derive(Clone, Debug)]
pub(crate) struct VerbForm {
    pub pre: Vec<String>,
    pub post: Vec<String>,
    pub verb: usize,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct BlockC {
    /// The header's name, upper case (`SAY`, `ATTACK`): transformations refer to it.
    pub name: String,
    pub patterns: Vec<usize>,
}

/// A PETRARCH-2 transformation of the shape `~ x (y z INNER) OUTER = r s CODE`: a verb of
/// block OUTER whose source is `x` and whose object holds an event `y z` of block INNER
/// (`Q`: any block) becomes the event `r s CODE` (`Q`: the inner event's code). Actor
/// variables are lower-case letters; `.` is any actor and `_` no actor.
#[derive(Clone, Debug)]
pub(crate) struct TransformC {
    pub outer_source: String,
    pub inner_source: String,
    pub inner_target: String,
    pub inner_verb: String,
    pub outer_verb: String,
    pub result: [String; 3],
}

/// A discard phrase.
#[derive(Clone, Debug)]
pub(crate) struct DiscardC {
    /// Upper case, blanks normalised, with a leading blank.
    pub text: String,
    /// A trailing `_`: the phrase must end at a word boundary.
    pub whole: bool,
    pub story: bool,
    pub phrase: String,
}

/// One dictionary file, parsed.
#[derive(Clone, Debug)]
pub enum PetrDict {
    /// A verb file (PETRARCH-1 or PETRARCH-2 dialect).
    Verbs(String, VerbDictionary),
    Actors(String, ActorFile),
    Agents(String, AgentFile),
    Discards(String, DiscardFile),
}

/// All compiled dictionaries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dicts {
    pub actors: PhraseIndex,
    pub actor_recs: Vec<ActorRec>,
    pub agents: PhraseIndex,
    pub agent_recs: Vec<AgentRec>,
    pub verb_forms: HashMap<String, Vec<VerbForm>>,
    pub verbs: Vec<VerbRec>,
    pub blocks: Vec<BlockC>,
    pub patterns: Vec<PatternC>,
    pub discards: Vec<DiscardC>,
    pub transforms: Vec<TransformC>,
    pub notes: Vec<String>,
}

// ------------------------------------------------------------------------------------------
// inflection

fn is_vowel(c: u8) -> bool {
    matches!(c, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Regular plural of an upper-case word: `+S`, `Y` -> `IES`, `S`/`X`/`Z`/`CH`/`SH` + `ES`.
pub(crate) fn plural(w: &str) -> String {
    let b = w.as_bytes();
    let n = b.len();
    if n == 0 {
        return String::new();
    }
    if n >= 2 && b[n - 1] == b'Y' && !is_vowel(b[n - 2]) {
        return format!("{}IES", &w[..n - 1]);
    }
    if w.ends_with('S')
        || w.ends_with('X')
        || w.ends_with('Z')
        || w.ends_with("CH")
        || w.ends_with("SH")
    {
        return format!("{w}ES");
    }
    format!("{w}S")
}

/// Regular verb forms of an upper-case verb word (the word itself included).
pub(crate) fn verb_forms(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    let n = b.len();
    let mut out = vec![w.to_string()];
    if n < 2 || !w.bytes().all(|c| c.is_ascii_alphabetic()) {
        return out;
    }
    let last = b[n - 1];
    let cons_y = last == b'Y' && !is_vowel(b[n - 2]);
    // -S
    out.push(plural(w));
    // -ED
    if last == b'E' {
        out.push(format!("{w}D"));
    } else if cons_y {
        out.push(format!("{}IED", &w[..n - 1]));
    } else {
        out.push(format!("{w}ED"));
    }
    // -ING
    if w.ends_with("IE") {
        out.push(format!("{}YING", &w[..n - 2]));
    } else if last == b'E' && !w.ends_with("EE") && !w.ends_with("YE") && !w.ends_with("OE") {
        out.push(format!("{}ING", &w[..n - 1]));
    } else {
        out.push(format!("{w}ING"));
    }
    out.dedup();
    out
}

// ------------------------------------------------------------------------------------------
// compiling

impl Dicts {
    pub fn compile(files: &[PetrDict]) -> Dicts {
        let mut d = Dicts::default();
        for f in files {
            match f {
                PetrDict::Actors(name, af) => d.add_actors(name, af),
                PetrDict::Agents(name, af) => d.add_agents(name, af),
                PetrDict::Verbs(name, vd) => d.add_verbs(name, vd),
                PetrDict::Discards(_, df) => d.add_discards(df),
            }
        }
        d.actors.finish();
        d.agents.finish();
        // longest patterns first, file order among equals
        let mut order: Vec<usize> = (0..d.patterns.len()).collect();
        order.sort_by(|&a, &b| {
            d.patterns[b]
                .words
                .cmp(&d.patterns[a].words)
                .then(d.patterns[a].order.cmp(&d.patterns[b].order))
        });
        let mut rank = vec![0usize; d.patterns.len()];
        for (r, &p) in order.iter().enumerate() {
            rank[p] = r;
            d.patterns[p].rank = r;
        }
        for b in &mut d.blocks {
            b.patterns.sort_by_key(|&p| rank[p]);
        }
        d
    }

    fn add_actors(&mut self, _name: &str, af: &ActorFile) {
        for e in &af.entries {
            let id = self.actor_recs.len();
            self.actor_recs.push(ActorRec {
                codes: e.codes.clone(),
            });
            for p in &e.phrases {
                if let Some(ph) = phrase_of(p) {
                    self.actors.add(ph, id);
                }
            }
        }
    }

    fn add_agents(&mut self, _name: &str, af: &AgentFile) {
        for e in &af.entries {
            let id = self.agent_recs.len();
            self.agent_recs.push(AgentRec {
                code: e.code.code.to_uppercase(),
                prefix: e.code.position == AgentPosition::Prefix,
            });
            let expanded = af.expand(e);
            let substituted = e.phrase.contains('!');
            for p in &expanded {
                let Some(ph) = phrase_of(p) else { continue };
                if !substituted {
                    match &e.plural {
                        Plural::Regular => {
                            let mut pl = ph.clone();
                            if let Some(last) = pl.words.last_mut() {
                                *last = plural(last);
                            }
                            self.agents.add(pl, id);
                        }
                        Plural::Irregular(s) => {
                            if let Some(pl) = phrase_of(s) {
                                self.agents.add(pl, id);
                            }
                        }
                        Plural::None => {}
                    }
                }
                self.agents.add(ph, id);
            }
        }
    }

    fn add_discards(&mut self, df: &DiscardFile) {
        for e in &df.entries {
            let whole = e.phrase.ends_with('_');
            let words: Vec<String> = e
                .phrase
                .trim_end_matches('_')
                .split(|c: char| c.is_whitespace() || c == '_')
                .filter(|w| !w.is_empty())
                .map(|w| w.to_uppercase())
                .collect();
            if words.is_empty() {
                continue;
            }
            self.discards.push(DiscardC {
                text: format!(" {}", words.join(" ")),
                whole,
                story: e.story,
                phrase: e.phrase.clone(),
            });
        }
    }

    fn add_verbs(&mut self, name: &str, vd: &VerbDictionary) {
        let synsets: HashMap<&str, &Synset> =
            vd.synsets.iter().map(|s| (s.name.as_str(), s)).collect();
        for tr in &vd.transformations {
            match transform(&tr.pattern, &tr.result) {
                Some(t) => self.transforms.push(t),
                None => self.notes.push(format!(
                    "{name}:{}: transformation of an unsupported shape; skipped",
                    tr.line
                )),
            }
        }
        for blk in &vd.blocks {
            let bid = self.blocks.len();
            self.blocks.push(BlockC {
                name: blk.name.trim().to_uppercase(),
                patterns: Vec::new(),
            });
            for v in &blk.verbs {
                let vid = self.verbs.len();
                let code = v.code.clone().or_else(|| blk.code.clone());
                self.verbs.push(VerbRec {
                    code,
                    block: bid,
                    name: phrase_text(&v.phrase),
                });
                let mut forms: Vec<(Vec<String>, Vec<String>, String)> = Vec::new();
                let (pre, head, post) = split_verb(&v.phrase);
                match &v.forms {
                    Some(list) => {
                        forms.push((pre.clone(), post.clone(), head.clone()));
                        for f in list {
                            let (p, h, q) = split_verb(f);
                            if f.words.len() == 1 && v.phrase.words.len() > 1 {
                                // a bare form of a multi-word verb: keep the other words
                                forms.push((pre.clone(), post.clone(), h));
                            } else {
                                forms.push((p, q, h));
                            }
                        }
                    }
                    None => {
                        for h in verb_forms(&head) {
                            forms.push((pre.clone(), post.clone(), h));
                        }
                    }
                }
                for (p, q, h) in forms {
                    self.verb_forms.entry(h).or_default().push(VerbForm {
                        pre: p,
                        post: q,
                        verb: vid,
                    });
                }
            }
            for pat in &blk.patterns {
                let Some(code) = pat.code.clone() else {
                    self.notes
                        .push(format!("{name}:{}: pattern without a code", pat.line));
                    continue;
                };
                let mut exps = expand(&pat.tokens, &synsets, 0);
                if exps.len() > MAX_EXPANSIONS {
                    self.notes.push(format!(
                        "{name}:{}: {} expansions; only the first {MAX_EXPANSIONS} are used",
                        pat.line,
                        exps.len()
                    ));
                    exps.truncate(MAX_EXPANSIONS);
                }
                for seq in exps {
                    let Some(vpos) = seq.iter().position(|x| matches!(x, Item::Verb(_))) else {
                        continue;
                    };
                    let verb_adj = matches!(seq[vpos], Item::Verb(true));
                    let upper: Vec<El> = seq[..vpos].iter().filter_map(Item::el).collect();
                    let lower: Vec<El> = seq[vpos + 1..].iter().filter_map(Item::el).collect();
                    let words = upper.iter().chain(lower.iter()).map(El::words).sum();
                    let pid = self.patterns.len();
                    self.patterns.push(PatternC {
                        upper,
                        verb_adj,
                        lower,
                        code: code.clone(),
                        words,
                        rule: format!("{name}:{}", pat.line),
                        order: pid,
                        rank: 0,
                    });
                    self.blocks[bid].patterns.push(pid);
                }
            }
        }
    }

    /// Number of actor phrases, agent phrases, verb forms and patterns (for summaries).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.actors.len(),
            self.agents.len(),
            self.verb_forms.values().map(Vec::len).sum(),
            self.patterns.len(),
        )
    }
}

/// Reads `x (y z INNER) OUTER = r s CODE`.
fn transform(pattern: &[TransformTerm], result: &[String]) -> Option<TransformC> {
    let atom = |t: &TransformTerm| match t {
        TransformTerm::Atom(a) => Some(a.clone()),
        TransformTerm::Group(_) => None,
    };
    let [x, TransformTerm::Group(inner), outer] = pattern else {
        return None;
    };
    let [y, z, v] = inner.as_slice() else {
        return None;
    };
    let [r, s, c] = result else {
        return None;
    };
    Some(TransformC {
        outer_source: atom(x)?,
        inner_source: atom(y)?,
        inner_target: atom(z)?,
        inner_verb: atom(v)?.to_uppercase(),
        outer_verb: atom(outer)?.to_uppercase(),
        result: [r.clone(), s.clone(), c.clone()],
    })
}

fn phrase_text(v: &VerbPhrase) -> String {
    v.words
        .iter()
        .map(|w| w.text.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// (words before the verb word, the verb word, words after it), upper case.
fn split_verb(v: &VerbPhrase) -> (Vec<String>, String, Vec<String>) {
    let up: Vec<String> = v.words.iter().map(|w| w.text.to_uppercase()).collect();
    let h = v.head.min(up.len().saturating_sub(1));
    (
        up[..h].to_vec(),
        up.get(h).cloned().unwrap_or_default(),
        up.get(h + 1..).unwrap_or(&[]).to_vec(),
    )
}

/// A pattern element during expansion: an [`El`] or the verb.
#[derive(Clone, Debug)]
enum Item {
    El(El),
    Verb(bool),
}

impl Item {
    fn el(&self) -> Option<El> {
        match self {
            Item::El(e) => Some(e.clone()),
            Item::Verb(_) => None,
        }
    }

    fn set_adj(&mut self, v: bool) {
        match self {
            Item::El(e) => e.set_adj(v),
            Item::Verb(a) => *a = v,
        }
    }
}

/// Expands a token sequence into plain item sequences (synsets and alternatives unfolded).
fn expand(tokens: &[Token], syn: &HashMap<&str, &Synset>, depth: usize) -> Vec<Vec<Item>> {
    let mut out: Vec<Vec<Item>> = vec![Vec::new()];
    for t in tokens {
        let alts: Vec<Vec<Item>> = token_alternatives(t, syn, depth);
        if alts.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::with_capacity(out.len() * alts.len());
        'outer: for prefix in &out {
            for a in &alts {
                if next.len() >= MAX_EXPANSIONS * 4 {
                    break 'outer;
                }
                let mut s = prefix.clone();
                s.extend(a.iter().cloned());
                next.push(s);
            }
        }
        out = next;
    }
    out
}

fn token_alternatives(t: &Token, syn: &HashMap<&str, &Synset>, depth: usize) -> Vec<Vec<Item>> {
    match t {
        Token::Word(w) => vec![vec![Item::El(El::Word(
            w.text.to_uppercase(),
            w.adjacent_next || w.tilde,
        ))]],
        Token::Verb { adjacent_next } => vec![vec![Item::Verb(*adjacent_next)]],
        Token::Source { adjacent_next } => vec![vec![Item::El(El::Source(*adjacent_next))]],
        Token::Target { adjacent_next } => vec![vec![Item::El(El::Target(*adjacent_next))]],
        Token::Compound { adjacent_next } => vec![vec![Item::El(El::Compound(*adjacent_next))]],
        Token::Skip { adjacent_next } => vec![vec![Item::El(El::Skip(*adjacent_next))]],
        Token::Synset {
            name,
            adjacent_next,
        } => {
            let Some(s) = syn.get(name.as_str()) else {
                return Vec::new();
            };
            if depth > 6 {
                return Vec::new();
            }
            let mut v = Vec::new();
            for m in &s.members {
                for mut e in expand(&m.tokens, syn, depth + 1) {
                    if e.is_empty() {
                        continue;
                    }
                    let plural_ok =
                        !s.no_plural && matches!(m.tokens.last(), Some(Token::Word(w)) if w.stem);
                    if let Some(last) = e.last_mut() {
                        last.set_adj(*adjacent_next);
                    }
                    if plural_ok {
                        if let Some(Item::El(El::Word(w, a))) = e.last() {
                            let mut p = e.clone();
                            let n = p.len();
                            p[n - 1] = Item::El(El::Word(plural(w), *a));
                            v.push(e);
                            v.push(p);
                            continue;
                        }
                    }
                    v.push(e);
                }
            }
            v
        }
        Token::Alternatives {
            options,
            adjacent_next,
        } => {
            let mut v = Vec::new();
            for o in options {
                for mut e in expand(o, syn, depth + 1) {
                    if let Some(last) = e.last_mut() {
                        last.set_adj(*adjacent_next);
                    }
                    v.push(e);
                }
            }
            v
        }
        Token::NounPhrase(ts) => {
            // each element is a word or a synset of (usually one-word) members
            let mut seqs: Vec<Vec<String>> = vec![Vec::new()];
            for x in ts {
                let words: Vec<String> = match x {
                    Token::Word(w) => vec![w.text.to_uppercase()],
                    Token::Synset { name, .. } => syn
                        .get(name.as_str())
                        .map(|s| {
                            let mut ws = Vec::new();
                            for m in &s.members {
                                let mw: Vec<String> = m
                                    .tokens
                                    .iter()
                                    .filter_map(|t| match t {
                                        Token::Word(w) => Some(w.text.to_uppercase()),
                                        _ => None,
                                    })
                                    .collect();
                                if !mw.is_empty() {
                                    let j = mw.join(" ");
                                    if !s.no_plural {
                                        ws.push(plural(&j));
                                    }
                                    ws.push(j);
                                }
                            }
                            ws
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                let mut next = Vec::new();
                for s in &seqs {
                    for w in &words {
                        if next.len() > MAX_EXPANSIONS {
                            break;
                        }
                        let mut s2 = s.clone();
                        s2.push(w.clone());
                        next.push(s2);
                    }
                }
                seqs = next;
            }
            seqs.into_iter()
                .filter_map(|mut s| {
                    let head = s.pop()?;
                    // a multi-word last element: its last word is the head
                    let mut hw: Vec<String> = head.split(' ').map(str::to_string).collect();
                    let h = hw.pop()?;
                    let mut mods: Vec<String> = Vec::new();
                    for m in s {
                        mods.extend(m.split(' ').map(str::to_string));
                    }
                    mods.extend(hw);
                    Some(vec![Item::El(El::Np { mods, head: h })])
                })
                .collect()
        }
        Token::Prep(ts) => {
            let Some(Token::Word(p)) = ts.first() else {
                return Vec::new();
            };
            let prep = p.text.to_uppercase();
            expand(&ts[1..], syn, depth + 1)
                .into_iter()
                .map(|inner| {
                    vec![Item::El(El::Pp {
                        prep: prep.clone(),
                        inner: inner.iter().filter_map(Item::el).collect(),
                    })]
                })
                .collect()
        }
    }
}

/// Whether a code kind yields an event.
pub(crate) fn codes_event(c: &CodeSpec) -> bool {
    matches!(c.kind, CodeKind::Code(_) | CodeKind::Paired(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        let p = phrase_of("RADAGAST THE_BROWN").unwrap();
        assert_eq!(p.words, vec!["RADAGAST", "THE", "BROWN"]);
        assert_eq!(p.gap, vec![true, false]);
        let p = phrase_of("ARNOR_").unwrap();
        assert_eq!(p.words, vec!["ARNOR"]);
        assert!(p.gap.is_empty());
        assert!(phrase_of(" _ ").is_none());
    }

    #[test]
    fn inflections() {
        assert_eq!(
            verb_forms("DEPART"),
            vec!["DEPART", "DEPARTS", "DEPARTED", "DEPARTING"]
        );
        assert_eq!(
            verb_forms("DEPLORE"),
            vec!["DEPLORE", "DEPLORES", "DEPLORED", "DEPLORING"]
        );
        assert_eq!(
            verb_forms("DENY"),
            vec!["DENY", "DENIES", "DENIED", "DENYING"]
        );
        assert_eq!(plural("CONGRESS"), "CONGRESSES");
        assert_eq!(plural("AUTHORITY"), "AUTHORITIES");
        assert_eq!(plural("DAY"), "DAYS");
    }
}
