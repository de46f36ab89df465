//! Compiling parsed TABARI dictionaries: literals (one byte trie), roots (actors,
//! agents, verbs and their forms, nouns, adjectives, time phrases, built-in words) and verb
//! patterns flattened into TABARI's element/connector form.

use dyad_dict::formats::actors::{ActorFile, DatedCode};
use dyad_dict::formats::agents::{AgentFile, AgentPosition, Plural};
use dyad_dict::formats::pattern::{CodeKind, CodeSpec, Pattern, Token, Word};
use dyad_dict::formats::tabari_verbs::{VerbFile, VerbRoot};

use super::index::{
    has_bit, required_literals, set_bit, FastMap as HashMap, LiteralTrie, PatternIndex, RootIndex,
    PATTERN_INDEX_MIN,
};
use super::Date;

// ------------------------------------------------------------------------------------------
// connectors (TABARI's values: the bits are tested, not the values)

/// Exact match, next element adjacent (`A_B`).
pub(crate) const FULL_NEXT: u16 = 0x0000;
/// Partial (prefix) match, next element adjacent (`A~_B`).
pub(crate) const PART_NEXT: u16 = 0x4000;
/// Exact match, words may intervene (`A_ B`).
pub(crate) const FULL_SKIP: u16 = 0x0400;
/// Partial match, words may intervene (`A B`).
pub(crate) const PART_SKIP: u16 = 0x4400;
/// `A=`: no endings.
pub(crate) const EQUAL: u16 = 0x0010;
/// Synset reference followed by a blank / by `_`.
pub(crate) const SYN_FS: u16 = 0x0402;
pub(crate) const SYN_PN: u16 = 0x4002;
pub(crate) const PARTIAL_BIT: u16 = 0x4000;
pub(crate) const SKIP_BIT: u16 = 0x0400;
pub(crate) const SYN_BIT: u16 = 0x0002;

/// One element of a root phrase or a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Elem {
    /// End of the phrase.
    End,
    Lit(u32),
    Verb,
    Source,
    Target,
    Compound,
    Skip,
    Open,
    Or,
    Close,
    Synset(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PElem {
    pub e: Elem,
    pub conn: u16,
}

/// TABARI's word types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum WT {
    Null,
    Actor,
    Agent,
    Verb,
    Time,
    Determ,
    Noun,
    Adjctv,
    Auxil,
    Byword,
    Comma,
    Pronoun,
    Conj,
    Prep,
    Number,
    NullTag,
    Halt,
}

// ------------------------------------------------------------------------------------------
// codes

/// Code ids of the special codes (TABARI's order): `---`, `+++`, `###`, `***`.
pub(crate) const C_NULL: u32 = 1;
pub(crate) const C_COMPLEX: u32 = 2;
pub(crate) const C_DISCARD: u32 = 3;
pub(crate) const C_BLANK: u32 = 4;

/// One half of an event code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ev {
    pub code: u32,
    pub sub: bool,
    pub dom: bool,
}

/// An event code: the primary code and the optional paired code (`[A:B]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EvSpec {
    pub first: Option<Ev>,
    pub pair: Option<Ev>,
}

impl EvSpec {
    pub fn is_null(&self) -> bool {
        self.first
            .is_some_and(|e| e.code == C_NULL && !e.sub && !e.dom)
            && self.pair.is_none()
    }
}

/// A time code: a shift in days or a special code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeCode {
    Shift(i64),
    Null,
    Discard,
    Complex,
}

/// One date restriction of an actor and the codes it gives: (actor code, agent code).
#[derive(Clone, Debug)]
pub(crate) struct Restriction {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub members: Vec<(u32, u32)>,
}

impl Restriction {
    fn holds(&self, d: Date) -> bool {
        match (self.from, self.to) {
            (None, None) => true,
            (None, Some(t)) => d < t,
            (Some(f), None) => d > f,
            (Some(f), Some(t)) => d >= f && d <= t,
        }
    }
}

// ------------------------------------------------------------------------------------------
// patterns and roots

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pat {
    /// Elements, ending with [`Elem::End`].
    pub elems: Vec<PElem>,
    pub code: PatCode,
    /// TABARI's length (fixed characters + the longest alternatives), and the alternatives
    /// part of it.
    pub length: i32,
    pub maxalt: i32,
    /// `file:line pattern`, for `evidence.rule`.
    pub rule: String,
    /// Literals the pattern cannot match without (see [`required_literals`]), sorted.
    pub required: Box<[u32]>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum PatCode {
    Event(EvSpec),
    Time(TimeCode),
    None,
}

/// What a root carries besides its phrase.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RootData {
    None,
    /// Index into `actor_sets`.
    Actor(usize),
    /// Agent code id.
    Agent(u32),
    /// Index into `verb_sets`.
    Verb(usize),
    /// Index into `time_sets`.
    Time(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct Root {
    pub phrase: Vec<PElem>,
    pub wtype: WT,
    pub data: RootData,
}

/// A verb (or time phrase) with its code and patterns, shared by its forms.
#[derive(Clone, Debug)]
pub(crate) struct VerbSet {
    pub code: PatCode,
    /// Longest first; ties in file order.
    pub patterns: Vec<Pat>,
    pub rule: String,
    /// For verbs with many patterns: which ones a sentence may match.
    pub index: Option<PatternIndex>,
}

// ------------------------------------------------------------------------------------------
// the engine

/// One dictionary file of a project, in the project's order.
#[derive(Clone, Debug)]
pub enum DictFile {
    /// (file name, parsed file)
    Actors(String, ActorFile),
    Verbs(String, VerbFile),
    Agents(String, AgentFile),
}

/// Compiled TABARI dictionaries. Build once with [`TabariEngine::compile`]; immutable.
pub struct TabariEngine {
    /// Unique in the process (see [`TabariEngine::id`]).
    id: u64,
    pub(crate) lits: Vec<String>,
    pub(crate) lit_index: HashMap<String, u32>,
    /// The length of each literal in bytes (a compact copy for the hot path).
    lit_lens: Vec<u32>,
    /// Which literals a word starts with.
    pub(crate) trie: LiteralTrie,
    pub(crate) roots: Vec<Root>,
    /// Roots by the literal their phrase starts with (and the literal that must follow).
    pub(crate) root_index: RootIndex,
    /// While compiling: roots by the hash of their phrase, and the previous root with the
    /// same hash (emptied once compiled).
    root_by_hash: HashMap<u64, u32>,
    root_chain: Vec<Option<u32>>,
    pub(crate) actor_sets: Vec<Vec<Restriction>>,
    pub(crate) verb_sets: Vec<VerbSet>,
    pub(crate) time_sets: Vec<VerbSet>,
    /// Synset members (as patterns), longest first.
    pub(crate) synsets: Vec<Vec<Pat>>,
    pub(crate) synset_names: Vec<String>,
    pub(crate) codes: Vec<String>,
    code_index: HashMap<String, u32>,
    pub(crate) root_former: u32,
    pub(crate) has_time: bool,
    pub(crate) code_elite: u32,
    /// The literals `AND` and `NOR` (the conjunctions that make compounds).
    pub(crate) lit_and: u32,
    pub(crate) lit_nor: u32,
    /// Bit set over roots: those whose primary code is `###` on some date (the only ones
    /// [`TabariEngine::is_discard_root`] has to look at).
    may_discard: Vec<u64>,
    /// Problems found while compiling (skipped entries), `file:line: message`.
    pub diagnostics: Vec<String>,
}

impl std::fmt::Debug for TabariEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TabariEngine")
            .field("literals", &self.lits.len())
            .field("roots", &self.roots.len())
            .field("verbs", &self.verb_sets.len())
            .finish()
    }
}

/// TABARI's built-in words (RootsClass constructor), in its order.
const BUILTINS: &[(&str, WT)] = &[
    ("A_", WT::Determ),
    ("AN_", WT::Determ),
    ("THE_", WT::Determ),
    ("AND_", WT::Conj),
    ("NOR_", WT::Conj),
    ("BUT_", WT::Conj),
    ("OR_", WT::Conj),
    ("IN_", WT::Prep),
    ("OF_", WT::Prep),
    ("HE_", WT::Pronoun),
    ("HIM_", WT::Pronoun),
    ("SHE_", WT::Pronoun),
    ("HER_", WT::Pronoun),
    ("IT_", WT::Pronoun),
    ("THEM_", WT::Pronoun),
    ("THEIR_", WT::Pronoun),
    ("THEY_", WT::Pronoun),
    ("WERE_", WT::Auxil),
    ("WAS_", WT::Auxil),
    ("BEEN_", WT::Auxil),
    ("BY_", WT::Byword),
    ("FORMER_", WT::Adjctv),
];

impl TabariEngine {
    /// Compiles the dictionaries of a project, in the project's order (TABARI breaks ties
    /// between equally long matches by dictionary order).
    pub fn compile(files: &[DictFile]) -> TabariEngine {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut e = TabariEngine {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            lits: Vec::new(),
            lit_index: HashMap::default(),
            lit_lens: Vec::new(),
            trie: LiteralTrie::default(),
            roots: Vec::new(),
            root_index: RootIndex::default(),
            root_by_hash: HashMap::default(),
            root_chain: Vec::new(),
            actor_sets: Vec::new(),
            verb_sets: Vec::new(),
            time_sets: Vec::new(),
            synsets: Vec::new(),
            synset_names: Vec::new(),
            codes: vec![String::new()],
            code_index: HashMap::default(),
            root_former: 0,
            has_time: false,
            code_elite: 0,
            lit_and: 0,
            lit_nor: 0,
            may_discard: Vec::new(),
            diagnostics: Vec::new(),
        };
        for c in ["---", "+++", "###", "***"] {
            e.code(c);
        }
        e.code_elite = e.code("~ELI");
        for (text, wt) in BUILTINS {
            let phrase = e.phrase(text);
            let id = e.add_root(phrase, *wt, RootData::None);
            if *text == "FORMER_" {
                e.root_former = id;
            }
        }
        e.lit_and = e.lit("and");
        e.lit_nor = e.lit("nor");
        for f in files {
            match f {
                DictFile::Actors(name, af) => e.add_actors(name, af),
                DictFile::Verbs(name, vf) => e.add_verbs(name, vf),
                DictFile::Agents(name, af) => e.add_agents(name, af),
            }
        }
        e.root_by_hash = HashMap::default();
        e.root_chain = Vec::new();
        // the two look-up structures are independent: build them side by side
        let (root_index, trie) = std::thread::scope(|s| {
            let lits = &e.lits;
            let trie = s.spawn(move || LiteralTrie::build(lits));
            let root_index = RootIndex::build(&e.roots, e.lits.len());
            let trie = trie.join().unwrap_or_else(|_| LiteralTrie::build(lits));
            (root_index, trie)
        });
        e.root_index = root_index;
        e.trie = trie;
        e.may_discard = vec![0; e.roots.len().div_ceil(64)];
        for (i, r) in e.roots.iter().enumerate() {
            let discard = e.discard_code(r.data, None);
            if discard {
                set_bit(&mut e.may_discard, i);
            }
        }
        e
    }

    pub(crate) fn lit(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.lit_index.get(s) {
            return i;
        }
        let i = self.lits.len() as u32;
        self.lits.push(s.to_string());
        self.lit_lens.push(s.len() as u32);
        self.lit_index.insert(s.to_string(), i);
        i
    }

    pub(crate) fn code(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.code_index.get(s) {
            return i;
        }
        let i = self.codes.len() as u32;
        self.codes.push(s.to_string());
        self.code_index.insert(s.to_string(), i);
        i
    }

    /// The hash of a root phrase (for [`TabariEngine::has_root`]).
    fn phrase_hash(phrase: &[PElem]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = super::index::FastHasher::default();
        phrase.hash(&mut h);
        h.finish()
    }

    /// Whether a root has this phrase already (TABARI keeps the first).
    fn has_root(&self, phrase: &[PElem]) -> bool {
        let mut r = self.root_by_hash.get(&Self::phrase_hash(phrase)).copied();
        while let Some(id) = r {
            if self
                .roots
                .get(id as usize)
                .is_some_and(|x| x.phrase == phrase)
            {
                return true;
            }
            r = self.root_chain.get(id as usize).copied().flatten();
        }
        false
    }

    fn add_root(&mut self, phrase: Vec<PElem>, wtype: WT, data: RootData) -> u32 {
        let id = self.roots.len() as u32;
        let prev = self.root_by_hash.insert(Self::phrase_hash(&phrase), id);
        self.root_chain.push(prev);
        self.roots.push(Root {
            phrase,
            wtype,
            data,
        });
        id
    }

    /// TABARI's `Phrases::store` on a root phrase as written in a dictionary: upper case
    /// (here lower case), non-initial hyphens read as `_`, then split at ` `, `_`, `~`, `=`.
    pub(crate) fn phrase(&mut self, raw: &str) -> Vec<PElem> {
        let t = raw.trim();
        if t.is_ascii() {
            return self.phrase_ascii(t.as_bytes());
        }
        let mut s: String = t.to_lowercase();
        s = s
            .char_indices()
            .map(|(i, c)| if i > 0 && c == '-' { '_' } else { c })
            .collect();
        let b: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && b[i] == ' ' {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            let start = i;
            while i < b.len() && !matches!(b[i], ' ' | '_' | '~' | '=') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            let conn = if i >= b.len() {
                PART_SKIP
            } else {
                match b[i] {
                    ' ' => PART_SKIP,
                    '=' => EQUAL,
                    '~' => {
                        i += 1; // `~_`: the `_` goes with the `~`
                        PART_NEXT
                    }
                    _ => {
                        if b.get(i + 1) == Some(&' ') {
                            i += 1;
                            FULL_SKIP
                        } else {
                            FULL_NEXT
                        }
                    }
                }
            };
            i += 1;
            if !word.is_empty() {
                let l = self.lit(&word);
                out.push(PElem {
                    e: Elem::Lit(l),
                    conn,
                });
            }
        }
        out
    }

    /// [`TabariEngine::phrase`] for an ASCII phrase (trimmed): the same steps on bytes.
    fn phrase_ascii(&mut self, raw: &[u8]) -> Vec<PElem> {
        let b: Vec<u8> = raw
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if i > 0 && c == b'-' {
                    b'_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        let mut out = Vec::with_capacity(4);
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            let start = i;
            while i < b.len() && !matches!(b[i], b' ' | b'_' | b'~' | b'=') {
                i += 1;
            }
            let word = std::str::from_utf8(&b[start..i]).unwrap_or("");
            let conn = if i >= b.len() {
                PART_SKIP
            } else {
                match b[i] {
                    b' ' => PART_SKIP,
                    b'=' => EQUAL,
                    b'~' => {
                        i += 1; // `~_`: the `_` goes with the `~`
                        PART_NEXT
                    }
                    _ => {
                        if b.get(i + 1) == Some(&b' ') {
                            i += 1;
                            FULL_SKIP
                        } else {
                            FULL_NEXT
                        }
                    }
                }
            };
            i += 1;
            if !word.is_empty() {
                let l = self.lit(word);
                out.push(PElem {
                    e: Elem::Lit(l),
                    conn,
                });
            }
        }
        out
    }

    // --------------------------------------------------------------------------------------
    // actors

    fn add_actors(&mut self, file: &str, af: &ActorFile) {
        for n in &af.nouns {
            self.add_word(&n.phrase, WT::Noun, file, n.line);
        }
        for a in &af.adjectives {
            self.add_word(&a.phrase, WT::Adjctv, file, a.line);
        }
        for entry in &af.entries {
            let set = self.actor_set(&entry.codes);
            for p in &entry.phrases {
                let phrase = self.phrase(p);
                if phrase.is_empty() {
                    continue;
                }
                if self.has_root(&phrase) {
                    self.diagnostics.push(format!(
                        "{file}:{}: actor `{p}` duplicates an earlier root; skipped",
                        entry.line
                    ));
                    continue;
                }
                self.add_root(phrase, WT::Actor, RootData::Actor(set));
            }
        }
    }

    fn add_word(&mut self, raw: &str, wt: WT, file: &str, line: usize) {
        let phrase = self.phrase(raw);
        if phrase.is_empty() {
            return;
        }
        if self.has_root(&phrase) {
            self.diagnostics.push(format!(
                "{file}:{line}: `{raw}` duplicates an earlier root; skipped"
            ));
            return;
        }
        self.add_root(phrase, wt, RootData::None);
    }

    /// The restrictions of an actor, in order. TABARI adds a null default after a single
    /// dated code.
    fn actor_set(&mut self, codes: &[DatedCode]) -> usize {
        let mut set = Vec::new();
        for c in codes {
            let members = c
                .members()
                .map(|m| (self.code(m.trim()), 0u32))
                .collect::<Vec<_>>();
            let date = |d: Option<(u16, u8, u8)>| {
                d.map(|(y, m, dd)| Date::new(y as i32, m as u32, dd as u32))
            };
            set.push(Restriction {
                from: date(c.from),
                to: date(c.to),
                members,
            });
        }
        if set.len() == 1 && (set[0].from.is_some() || set[0].to.is_some()) {
            set.push(Restriction {
                from: None,
                to: None,
                members: vec![(C_NULL, 0)],
            });
        }
        self.actor_sets.push(set);
        self.actor_sets.len() - 1
    }

    /// The codes of an actor root on a date: `None` when no restriction holds.
    pub(crate) fn actor_codes(&self, set: usize, date: Date) -> Option<&[(u32, u32)]> {
        self.actor_sets
            .get(set)?
            .iter()
            .find(|r| r.holds(date))
            .map(|r| r.members.as_slice())
    }

    // --------------------------------------------------------------------------------------
    // agents

    fn add_agents(&mut self, file: &str, af: &AgentFile) {
        for entry in &af.entries {
            let code = match entry.code.position {
                AgentPosition::Suffix => format!("~{}", entry.code.code),
                AgentPosition::Prefix => format!("{}~", entry.code.code),
            };
            let code = self.code(&code);
            let mut phrases = af.expand(entry);
            if let Plural::Irregular(p) = &entry.plural {
                phrases.push(p.clone());
            }
            for p in phrases {
                let phrase = self.phrase(&p);
                if phrase.is_empty() {
                    continue;
                }
                if self.has_root(&phrase) {
                    self.diagnostics.push(format!(
                        "{file}:{}: agent `{p}` duplicates an earlier root; skipped",
                        entry.line
                    ));
                    continue;
                }
                self.add_root(phrase, WT::Agent, RootData::Agent(code));
            }
        }
    }

    // --------------------------------------------------------------------------------------
    // verbs

    fn add_verbs(&mut self, file: &str, vf: &VerbFile) {
        // synsets first: patterns refer to them by name
        let mut names: HashMap<String, u32> = HashMap::default();
        let base = self.synsets.len() as u32;
        for (k, s) in vf.synsets.iter().enumerate() {
            names.insert(s.name.clone(), base + k as u32);
            self.synsets.push(Vec::new());
            self.synset_names.push(s.name.clone());
        }
        for (k, s) in vf.synsets.iter().enumerate() {
            let mut members = Vec::new();
            for m in &s.members {
                if let Some(elems) = self.flatten(&m.tokens, &names) {
                    let (length, maxalt) = pattern_length(&elems, self);
                    members.push(Pat {
                        required: required_literals(&elems),
                        elems,
                        code: PatCode::None,
                        length,
                        maxalt,
                        rule: format!("{file}:{} &{}", m.line, s.name),
                    });
                }
            }
            sort_patterns(&mut members);
            if let Some(slot) = self.synsets.get_mut(base as usize + k) {
                *slot = members;
            }
        }
        for n in &vf.nouns {
            self.add_word(&n.phrase, WT::Noun, file, n.line);
        }
        for a in &vf.adjectives {
            self.add_word(&a.phrase, WT::Adjctv, file, a.line);
        }
        for t in &vf.time {
            self.has_time = true;
            let set = self.verb_set(file, t, &names, true);
            self.time_sets.push(set);
            let idx = self.time_sets.len() - 1;
            self.add_verb_root(file, t, WT::Time, RootData::Time(idx));
        }
        for r in &vf.roots {
            let set = self.verb_set(file, r, &names, false);
            self.verb_sets.push(set);
            let idx = self.verb_sets.len() - 1;
            self.add_verb_root(file, r, WT::Verb, RootData::Verb(idx));
        }
    }

    fn add_verb_root(&mut self, file: &str, r: &VerbRoot, wt: WT, data: RootData) {
        let text = if r.text.is_empty() {
            words_text(&r.phrase)
        } else {
            r.text.clone()
        };
        let phrase = self.phrase(&text);
        if phrase.is_empty() {
            return;
        }
        if self.has_root(&phrase) {
            self.diagnostics.push(format!(
                "{file}:{}: verb `{text}` duplicates an earlier root; skipped with its patterns",
                r.line
            ));
            return;
        }
        self.add_root(phrase, wt, data);
        for form in r.forms.iter().flatten() {
            let phrase = self.phrase(&words_text(form));
            if phrase.is_empty() {
                continue;
            }
            if self.has_root(&phrase) {
                self.diagnostics.push(format!(
                    "{file}:{}: verb form `{}` duplicates an earlier root; skipped",
                    r.line,
                    words_text(form)
                ));
                continue;
            }
            self.add_root(phrase, wt, data);
        }
    }

    fn verb_set(
        &mut self,
        file: &str,
        r: &VerbRoot,
        names: &HashMap<String, u32>,
        time: bool,
    ) -> VerbSet {
        let text = if r.text.is_empty() {
            words_text(&r.phrase)
        } else {
            r.text.clone()
        };
        let code = self.pat_code(r.code.as_ref(), time);
        let mut patterns = Vec::new();
        for p in &r.patterns {
            match self.pattern(file, p, names, time) {
                Some(pat) => patterns.push(pat),
                None => self.diagnostics.push(format!(
                    "{file}:{}: pattern not supported by the TABARI engine; skipped",
                    p.line
                )),
            }
        }
        sort_patterns(&mut patterns);
        let index = (patterns.len() >= PATTERN_INDEX_MIN)
            .then(|| PatternIndex::build(&patterns, |l| self.lit_len(l)));
        VerbSet {
            code,
            patterns,
            rule: format!("{file}:{} {}", r.line, text.to_uppercase()),
            index,
        }
    }

    fn pattern(
        &mut self,
        file: &str,
        p: &Pattern,
        names: &HashMap<String, u32>,
        time: bool,
    ) -> Option<Pat> {
        let elems = self.flatten(&p.tokens, names)?;
        let (length, maxalt) = pattern_length(&elems, self);
        Some(Pat {
            code: self.pat_code(p.code.as_ref(), time),
            required: required_literals(&elems),
            elems,
            length,
            maxalt,
            rule: format!("{file}:{} - {}", p.line, render(&p.tokens)),
        })
    }

    fn pat_code(&mut self, c: Option<&CodeSpec>, time: bool) -> PatCode {
        let Some(c) = c else {
            return if time {
                PatCode::Time(TimeCode::Null)
            } else {
                PatCode::Event(EvSpec {
                    first: Some(Ev {
                        code: C_NULL,
                        sub: false,
                        dom: false,
                    }),
                    pair: None,
                })
            };
        };
        let ev = |code: u32| Ev {
            code,
            sub: c.subordinate,
            dom: c.dominant,
        };
        match &c.kind {
            CodeKind::Shift(n) => PatCode::Time(TimeCode::Shift(*n as i64)),
            CodeKind::Null if time => PatCode::Time(TimeCode::Null),
            CodeKind::Discard if time => PatCode::Time(TimeCode::Discard),
            CodeKind::Complex if time => PatCode::Time(TimeCode::Complex),
            CodeKind::Null => PatCode::Event(EvSpec {
                first: Some(ev(C_NULL)),
                pair: None,
            }),
            CodeKind::Discard => PatCode::Event(EvSpec {
                first: Some(ev(C_DISCARD)),
                pair: None,
            }),
            CodeKind::Complex => PatCode::Event(EvSpec {
                first: Some(ev(C_COMPLEX)),
                pair: None,
            }),
            CodeKind::Code(s) => {
                let id = self.code(s);
                PatCode::Event(EvSpec {
                    first: Some(ev(id)),
                    pair: None,
                })
            }
            CodeKind::Paired(a, b) => {
                let first = a.as_ref().map(|s| {
                    let id = self.code(s);
                    ev(id)
                });
                let pair = b.as_ref().map(|s| {
                    let id = self.code(s);
                    ev(id)
                });
                PatCode::Event(EvSpec { first, pair })
            }
        }
    }

    /// Flattens pattern tokens into TABARI elements with connectors, ending with `End`.
    /// `None` for PETRARCH-2 tokens or undefined synsets.
    fn flatten(&mut self, tokens: &[Token], names: &HashMap<String, u32>) -> Option<Vec<PElem>> {
        let mut out = Vec::new();
        self.flatten_into(tokens, names, true, &mut out)?;
        out.push(PElem {
            e: Elem::End,
            conn: 0,
        });
        Some(out)
    }

    fn flatten_into(
        &mut self,
        tokens: &[Token],
        names: &HashMap<String, u32>,
        at_end: bool,
        out: &mut Vec<PElem>,
    ) -> Option<()> {
        let n = tokens.len();
        for (k, t) in tokens.iter().enumerate() {
            let last = at_end && k + 1 == n;
            let special = |adj: bool| if adj { FULL_NEXT } else { PART_SKIP };
            match t {
                Token::Word(w) => self.word_elems(w, last, out),
                Token::Verb { adjacent_next } => out.push(PElem {
                    e: Elem::Verb,
                    conn: special(*adjacent_next),
                }),
                Token::Source { adjacent_next } => out.push(PElem {
                    e: Elem::Source,
                    conn: special(*adjacent_next),
                }),
                Token::Target { adjacent_next } => out.push(PElem {
                    e: Elem::Target,
                    conn: special(*adjacent_next),
                }),
                Token::Compound { adjacent_next } => out.push(PElem {
                    e: Elem::Compound,
                    conn: special(*adjacent_next),
                }),
                Token::Skip { adjacent_next } => out.push(PElem {
                    e: Elem::Skip,
                    conn: special(*adjacent_next),
                }),
                Token::Synset {
                    name,
                    adjacent_next,
                } => {
                    let id = *names.get(name)?;
                    out.push(PElem {
                        e: Elem::Synset(id),
                        conn: if *adjacent_next { SYN_PN } else { SYN_FS },
                    });
                }
                Token::Alternatives {
                    options,
                    adjacent_next,
                } => {
                    out.push(PElem {
                        e: Elem::Open,
                        conn: PART_SKIP,
                    });
                    for (j, opt) in options.iter().enumerate() {
                        if j > 0 {
                            out.push(PElem {
                                e: Elem::Or,
                                conn: PART_SKIP,
                            });
                        }
                        self.flatten_into(opt, names, false, out)?;
                    }
                    out.push(PElem {
                        e: Elem::Close,
                        conn: special(*adjacent_next),
                    });
                }
                Token::NounPhrase(_) | Token::Prep(_) => return None,
            }
        }
        Some(())
    }

    /// A pattern word: internal hyphens are `_`; the connector after the last piece comes
    /// from the word's `_`, `~` and adjacency.
    fn word_elems(&mut self, w: &Word, last_of_phrase: bool, out: &mut Vec<PElem>) {
        let mut text = w.text.as_str();
        let mut trailing_hyphen = false;
        if text.len() > 1 && text.ends_with('-') {
            text = &text[..text.len() - 1];
            trailing_hyphen = true;
        }
        let pieces: Vec<&str> = text.split('-').filter(|p| !p.is_empty()).collect();
        let n = pieces.len();
        for (k, p) in pieces.iter().enumerate() {
            let conn = if k + 1 < n {
                FULL_NEXT
            } else if w.tilde {
                PART_NEXT
            } else if !w.stem || trailing_hyphen {
                if w.adjacent_next || last_of_phrase {
                    FULL_NEXT
                } else {
                    FULL_SKIP
                }
            } else {
                PART_SKIP
            };
            let l = self.lit(p);
            out.push(PElem {
                e: Elem::Lit(l),
                conn,
            });
        }
    }

    /// A number no other engine of the process has: what per-thread caches of an engine's
    /// results are keyed by (an engine is immutable once compiled).
    #[inline]
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Appends to `out` the literals that are prefixes of `word` (lower case), shortest
    /// first, each with whether it is the whole word. TABARI only compares literals whose
    /// first two characters hash like the word's, so a one-letter literal only matches a
    /// word whose second character is not a letter or digit.
    pub(crate) fn literals_into(&self, word: &str, out: &mut Vec<(u32, bool)>) {
        let from = out.len();
        let second = word.as_bytes().get(1);
        self.trie.prefixes(word.as_bytes(), |lit, len| {
            if len == 1 && second.is_some_and(|c| c.is_ascii_alphanumeric()) {
                return;
            }
            out.push((lit, len == word.len()));
        });
        // the trie meets the prefixes shortest first: the order TABARI wants
        debug_assert!(out
            .get(from..)
            .is_some_and(|m| m.is_sorted_by_key(|&(l, _)| self.lit_len(l))));
    }

    /// Every root phrase (actors, agents, verbs, nouns, time words) as its words joined by
    /// blanks, lower-cased: what a plain multi-string scan (`rg -F -f`) would have to find.
    /// Benchmarks compare the engine with such a scan.
    pub fn phrases(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.roots.len());
        for r in &self.roots {
            let words: Vec<&str> = r
                .phrase
                .iter()
                .filter_map(|p| match p.e {
                    Elem::Lit(l) => self.lits.get(l as usize).map(String::as_str),
                    _ => None,
                })
                .collect();
            if !words.is_empty() {
                out.push(words.join(" ").to_lowercase());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[inline]
    pub(crate) fn lit_len(&self, l: u32) -> usize {
        self.lit_lens.get(l as usize).map_or(0, |&n| n as usize)
    }

    /// Whether a root's primary code is a discard code (dates resolved).
    pub(crate) fn is_discard_root(&self, root: u32, date: Date) -> bool {
        if !has_bit(&self.may_discard, root as usize) {
            return false;
        }
        self.roots
            .get(root as usize)
            .is_some_and(|r| self.discard_code(r.data, Some(date)))
    }

    /// Whether a root's primary code is a discard code: on `date`, or (`None`) on some date.
    fn discard_code(&self, data: RootData, date: Option<Date>) -> bool {
        match data {
            RootData::Actor(set) => {
                let discard = |m: &[(u32, u32)]| m.first().is_some_and(|&(a, _)| a == C_DISCARD);
                match date {
                    Some(d) => self.actor_codes(set, d).is_some_and(discard),
                    None => self
                        .actor_sets
                        .get(set)
                        .is_some_and(|rs| rs.iter().any(|r| discard(&r.members))),
                }
            }
            RootData::Verb(v) => matches!(
                self.verb_sets.get(v).map(|s| s.code),
                Some(PatCode::Event(EvSpec {
                    first: Some(Ev {
                        code: C_DISCARD,
                        ..
                    }),
                    ..
                }))
            ),
            RootData::Time(t) => matches!(
                self.time_sets.get(t).map(|s| s.code),
                Some(PatCode::Time(TimeCode::Discard))
            ),
            _ => false,
        }
    }

    /// Whether an actor root's code on `date` is the null code.
    pub(crate) fn is_null_actor(&self, root: u32, date: Date) -> bool {
        match self.roots.get(root as usize).map(|r| r.data) {
            Some(RootData::Actor(set)) => self
                .actor_codes(set, date)
                .and_then(|m| m.first())
                .is_some_and(|&(a, _)| a == C_NULL),
            _ => false,
        }
    }

    /// Whether a verb root's primary code is the null code.
    pub(crate) fn is_null_verb(&self, root: u32) -> bool {
        match self.roots.get(root as usize).map(|r| r.data) {
            Some(RootData::Verb(v)) => matches!(
                self.verb_sets.get(v).map(|s| s.code),
                Some(PatCode::Event(ref e)) if e.is_null()
            ),
            _ => false,
        }
    }
}

fn sort_patterns(p: &mut [Pat]) {
    // stable: equal lengths keep file order (TABARI inserts after every pattern as long)
    p.sort_by_key(|b| std::cmp::Reverse(b.length));
}

/// TABARI's pattern length: letters, digits, apostrophes and underscores outside `{...}`,
/// plus the longest option of each `{...}` (returned separately as `maxalt`).
fn pattern_length(elems: &[PElem], e: &TabariEngine) -> (i32, i32) {
    let mut len = 0i32;
    let mut alt = 0i32;
    let mut in_alt = false;
    let mut opt = 0i32;
    let mut best = 0i32;
    for el in elems {
        let underscore = i32::from(
            matches!(el.conn, FULL_NEXT | FULL_SKIP | PART_NEXT | SYN_PN) && el.e != Elem::End,
        );
        let chars = match el.e {
            Elem::Lit(l) => e.lits.get(l as usize).map_or(0, |s| {
                s.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'')
                    .count()
            }) as i32,
            Elem::Synset(s) => e.synset_name_len(s),
            _ => 0,
        };
        match el.e {
            Elem::Open => {
                in_alt = true;
                opt = 0;
                best = 0;
            }
            Elem::Or => {
                best = best.max(opt);
                opt = 0;
            }
            Elem::Close => {
                best = best.max(opt);
                alt += best;
                in_alt = false;
                len += underscore;
            }
            _ if in_alt => opt += chars + underscore,
            _ => len += chars + underscore,
        }
    }
    (len + alt, alt)
}

impl TabariEngine {
    fn synset_name_len(&self, s: u32) -> i32 {
        self.synset_names.get(s as usize).map_or(0, |n| {
            n.chars().filter(|c| c.is_alphanumeric()).count() as i32
        })
    }
}

fn words_text(words: &[Word]) -> String {
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        s.push_str(&w.text);
        if w.tilde {
            s.push('~');
        }
        if !w.stem && !w.tilde {
            s.push('_');
        }
        if k + 1 < words.len() && !w.adjacent_next {
            s.push(' ');
        }
    }
    s
}

/// Pattern tokens back to text, for `evidence.rule`.
pub(crate) fn render(tokens: &[Token]) -> String {
    let mut s = String::new();
    for t in tokens {
        if !s.is_empty() && !s.ends_with('_') {
            s.push(' ');
        }
        let adj = t.adjacent_next();
        match t {
            Token::Word(w) => {
                s.push_str(&w.text.to_uppercase());
                if w.tilde {
                    s.push('~');
                }
                if !w.stem && !w.tilde && !adj {
                    s.push('_');
                }
            }
            Token::Verb { .. } => s.push('*'),
            Token::Source { .. } => s.push('$'),
            Token::Target { .. } => s.push('+'),
            Token::Compound { .. } => s.push('%'),
            Token::Skip { .. } => s.push('^'),
            Token::Synset { name, .. } => {
                s.push('&');
                s.push_str(name);
            }
            Token::Alternatives { options, .. } => {
                s.push_str("{ ");
                let opts: Vec<String> = options.iter().map(|o| render(o)).collect();
                s.push_str(&opts.join(" | "));
                s.push_str(" }");
            }
            Token::NounPhrase(t) | Token::Prep(t) => s.push_str(&render(t)),
        }
        if adj {
            s.push('_');
        }
    }
    s
}
