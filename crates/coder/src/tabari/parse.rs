//! TABARI's parser: roots, nouns, compounds, subordinate clauses, clauses, pronouns,
//! discards and complexity, on an array of word cells with head and tail tags.
//!
//! The cells mirror TABARI's `syntArray`: one per word, then a `Halt` cell, then (when a
//! previous sentence forwards actors) the forwarded cells. Tags mark where multi-word
//! structures begin (head) and end (tail). Reads past the end give an empty cell, never a
//! panic.

use super::compile::{TabariEngine, WT};
use super::index::{has_bit, set_bit};
use super::lex::{self, Kind, Words};
use super::options::{TabariOptions, MAX_LEX};
use super::{Date, Forward};

/// Tag kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TagK {
    W(WT),
    Clause,
    Compound,
    Subord,
    NullTag,
    /// A dereferenced pronoun: the cell it refers to (`u32` keeps a tag at 12 bytes).
    Ref(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tag {
    pub k: TagK,
    pub idx: u32,
}

/// How many tags a cell keeps without allocating (most cells have none, one or two).
const INLINE_TAGS: usize = 3;

/// The head or the tail tags of a cell, in the order they were added, with a bit set of
/// their kinds (most look-ups are for a kind the cell does not have).
#[derive(Clone, Debug)]
pub(crate) struct TagList {
    n: u8,
    /// Bit [`kind_bit`] of every tag's kind.
    mask: u32,
    inline: [Tag; INLINE_TAGS],
    more: Vec<Tag>,
}

/// The bit of a tag kind in [`TagList`]'s mask.
#[inline]
fn kind_bit(k: TagK) -> u32 {
    let b = match k {
        TagK::W(wt) => wt as u32,
        TagK::Clause => 20,
        TagK::Compound => 21,
        TagK::Subord => 22,
        TagK::NullTag => 23,
        TagK::Ref(_) => 24,
    };
    1 << b
}

impl TagList {
    const EMPTY: TagList = TagList {
        n: 0,
        mask: 0,
        inline: [Tag {
            k: TagK::NullTag,
            idx: 0,
        }; INLINE_TAGS],
        more: Vec::new(),
    };

    #[inline]
    fn clear(&mut self) {
        self.n = 0;
        self.mask = 0;
        self.more.clear();
    }

    pub fn push(&mut self, t: Tag) {
        self.mask |= kind_bit(t.k);
        match self.inline.get_mut(self.n as usize) {
            Some(slot) => {
                *slot = t;
                self.n += 1;
            }
            None => self.more.push(t),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.inline
            .get(..self.n as usize)
            .unwrap_or(&[])
            .iter()
            .chain(self.more.iter())
    }

    /// Whether a tag of kind `k` may be here (exact for kinds without a payload).
    #[inline]
    pub fn may_have(&self, k: TagK) -> bool {
        self.mask & kind_bit(k) != 0
    }

    /// The first tag of kind `k` that `f` accepts.
    #[inline]
    pub fn find(&self, k: TagK, f: impl Fn(&Tag) -> bool) -> Option<&Tag> {
        if !self.may_have(k) {
            return None;
        }
        let inline = self.inline.get(..self.n as usize).unwrap_or(&[]);
        for t in inline {
            if t.k == k && f(t) {
                return Some(t);
            }
        }
        self.more.iter().find(|t| t.k == k && f(t))
    }

    /// Changes the kind of the first tag of kind `old` to `new`.
    pub fn change(&mut self, old: TagK, new: TagK) {
        let inline = self.inline.get_mut(..self.n as usize).unwrap_or(&mut []);
        let Some(t) = inline
            .iter_mut()
            .chain(self.more.iter_mut())
            .find(|t| t.k == old)
        else {
            return;
        };
        t.k = new;
        self.mask = self.iter().fold(0, |m, t| m | kind_bit(t.k));
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub wtype: WT,
    pub iroot: Option<u32>,
    /// Literals matched by the word, shortest first, with "whole word" flags: a range of
    /// `Sent::lit_buf`.
    pub lits: (u32, u32),
    pub head: TagList,
    pub tail: TagList,
    /// Part of a syntactic compound.
    pub compd: bool,
    /// Capitalised in mid-sentence.
    pub mid_cap: bool,
    /// Index of the word in `Sent::words`, if the cell is a word.
    pub word: Option<usize>,
}

static NULL_CELL: Cell = Cell {
    wtype: WT::Null,
    iroot: None,
    lits: (0, 0),
    head: TagList::EMPTY,
    tail: TagList::EMPTY,
    compd: false,
    mid_cap: false,
    word: None,
};

impl Cell {
    /// The cell of word `k` (what [`Cell::new`] and a few fields give), in place.
    #[inline]
    fn reset(&mut self, wtype: WT, lits: (u32, u32), mid_cap: bool, k: usize) {
        self.wtype = wtype;
        self.iroot = None;
        self.lits = lits;
        self.head.clear();
        self.tail.clear();
        self.compd = false;
        self.mid_cap = mid_cap;
        self.word = Some(k);
    }

    fn new(wtype: WT) -> Cell {
        Cell {
            wtype,
            iroot: None,
            lits: (0, 0),
            head: TagList::EMPTY,
            tail: TagList::EMPTY,
            compd: false,
            mid_cap: false,
            word: None,
        }
    }
}

/// A cell kept for forwarding to the next sentence.
#[derive(Clone, Debug)]
pub(crate) struct ForwardCell {
    pub iroot: Option<u32>,
    pub wtype: WT,
    pub compd: bool,
    pub head: Vec<TagK>,
    pub tail: Vec<TagK>,
}

/// A parsed sentence.
pub(crate) struct Sent<'e> {
    pub eng: &'e TabariEngine,
    pub words: Words,
    pub cells: Vec<Cell>,
    /// Number of words (`iSynt`): `cells[n]` is the `Halt` cell.
    pub n: usize,
    pub date: Date,
    pub has_clauses: bool,
    pub discard: bool,
    pub complex: Option<String>,
    pub error: Option<String>,
    pub forw_actor: Option<usize>,
    pub forw_compd: Option<usize>,
    pub can_forward: bool,
    /// Parsed with `events_only` and no verb was found: the markup was not done.
    pub no_verb: bool,
    /// Every literal of every word, as a bit set over literal ids (for [`Sent::has_all`]).
    /// Only the bits of `lit_buf` are set (they are cleared when the sentence is dropped).
    pub present: Vec<u64>,
    /// The literals of all cells (see [`Cell::lits`]).
    pub lit_buf: Vec<(u32, bool)>,
    /// Work buffers (re-used).
    pub scratch: Scratch,
    /// The thread's word types and their literals.
    vocab: Vocab,
}

impl<'e> Sent<'e> {
    #[inline]
    pub fn cell(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&NULL_CELL)
    }

    #[inline]
    pub fn wt(&self, i: usize) -> WT {
        self.cell(i).wtype
    }

    /// `wt` for a possibly negative index.
    #[inline]
    pub fn wti(&self, i: isize) -> WT {
        if i < 0 {
            WT::Null
        } else {
            self.wt(i as usize)
        }
    }

    fn set_wt(&mut self, i: usize, w: WT) {
        if let Some(c) = self.cells.get_mut(i) {
            c.wtype = w;
        }
    }

    #[inline]
    pub fn iroot(&self, i: usize) -> Option<u32> {
        self.cell(i).iroot
    }

    #[inline]
    pub fn has_head(&self, i: usize, k: TagK) -> bool {
        match k {
            TagK::Ref(_) => self.cell(i).head.find(k, |_| true).is_some(),
            _ => self.cell(i).head.may_have(k), // exact for kinds without a payload
        }
    }

    #[inline]
    pub fn head_idx(&self, i: usize, k: TagK) -> Option<u32> {
        self.cell(i).head.find(k, |_| true).map(|t| t.idx)
    }

    #[inline]
    pub fn has_tail(&self, i: usize, k: TagK) -> bool {
        match k {
            TagK::Ref(_) => self.cell(i).tail.find(k, |_| true).is_some(),
            _ => self.cell(i).tail.may_have(k), // exact for kinds without a payload
        }
    }

    #[inline]
    pub fn has_tail_idx(&self, i: usize, k: TagK, idx: u32) -> bool {
        self.cell(i).tail.find(k, |t| t.idx == idx).is_some()
    }

    /// TABARI's `checkTailTag`: the indexed head at `i` has its tail within the sentence.
    pub fn check_tail_tag(&self, i: usize, k: TagK) -> bool {
        match self.head_idx(i, k) {
            Some(idx) => (i + 1..=self.n).any(|l| self.has_tail_idx(l, k, idx)),
            None => false,
        }
    }

    fn add_head(&mut self, i: usize, k: TagK, idx: u32) {
        if let Some(c) = self.cells.get_mut(i) {
            c.head.push(Tag { k, idx });
        }
    }

    fn add_tail(&mut self, i: usize, k: TagK, idx: u32) {
        if let Some(c) = self.cells.get_mut(i) {
            c.tail.push(Tag { k, idx });
        }
    }

    fn change_head(&mut self, i: usize, old: TagK, new: TagK) {
        if let Some(c) = self.cells.get_mut(i) {
            c.head.change(old, new);
        }
    }

    fn change_tail(&mut self, i: usize, old: TagK, new: TagK) {
        if let Some(c) = self.cells.get_mut(i) {
            c.tail.change(old, new);
        }
    }

    /// The cell a dereferenced pronoun refers to.
    pub fn reference(&self, i: usize) -> Option<usize> {
        let head = &self.cell(i).head;
        if !head.may_have(TagK::Ref(0)) {
            return None;
        }
        head.iter().find_map(|t| match t.k {
            TagK::Ref(r) => Some(r as usize),
            _ => None,
        })
    }

    /// Whether every literal of `lits` (sorted) is a literal of some word of the sentence.
    pub fn has_all(&self, lits: &[u32]) -> bool {
        lits.iter().all(|&l| has_bit(&self.present, l as usize))
    }

    /// The literals of cell `i`: those that are prefixes of its word, shortest first, each
    /// with whether it is the whole word.
    #[inline]
    pub fn lits(&self, i: usize) -> &[(u32, bool)] {
        let (a, b) = self.cell(i).lits;
        self.lit_buf.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn has_lit(&self, i: usize, lit: u32) -> bool {
        self.lits(i).iter().any(|&(l, _)| l == lit)
    }

    /// 0 not in the word's literals, 1 a prefix of the word, 2 the whole word.
    pub fn lit_match(&self, i: usize, lit: u32) -> u8 {
        match self.lits(i).iter().find(|&&(l, _)| l == lit) {
            Some(&(_, true)) => 2,
            Some(&(_, false)) => 1,
            None => 0,
        }
    }

    /// TABARI's `skipSegment`: when `*i` heads a segment of kind `k`, moves past its tail.
    #[inline]
    fn skip_segment(&self, i: &mut usize, k: TagK) -> bool {
        if !self.cell(*i).head.may_have(k) {
            return false; // the usual case, without a search
        }
        let Some(idx) = self.head_idx(*i, k) else {
            return false;
        };
        while !self.has_tail_idx(*i, k, idx) {
            if *i >= self.n {
                break;
            }
            *i += 1;
        }
        *i += 1;
        true
    }

    /// Byte span of the words of cells `a..=b` in the sentence (`None` for cells that are
    /// not words).
    pub fn span(&self, a: usize, b: usize) -> Option<[usize; 2]> {
        let wa = self.cell(a).word?;
        let wb = self.cell(b.max(a)).word.unwrap_or(wa);
        let s = self.words.list.get(wa)?.start;
        let e = self.words.list.get(wb)?.end;
        Some([s, e.max(s)])
    }
}

/// The buffers of a sentence, kept by each thread from one sentence to the next (a parse
/// then allocates almost nothing).
#[derive(Default)]
struct Buffers {
    words: Words,
    cells: Vec<Cell>,
    present: Vec<u64>,
    lit_buf: Vec<(u32, bool)>,
    scratch: Scratch,
    vocab: Vocab,
}

/// The literals of the word types this thread has met, for one engine. A word's literals
/// depend only on its lower-cased text and the engine, and news text is mostly words it
/// has used before (Zipf: a few thousand types make most of the tokens, and a vocabulary of
/// a few hundred thousand types covers nearly all of a year of wire copy), so a word type
/// walks [`super::index::LiteralTrie`] once instead of at every token: one hash probe
/// replaces a chain of dependent reads through a trie of several megabytes.
#[derive(Default)]
pub(crate) struct Vocab {
    /// The engine the entries belong to ([`TabariEngine::id`]; 0 before the first word).
    engine: u64,
    /// Word (its bytes, zero-padded, as one number: see [`Vocab::key`]) → its range of
    /// `lits`. Unlike the compiler's maps (`index::FastMap`, keyed by dictionary entries),
    /// this one is keyed by the input's words, so its hasher is seeded at random: text
    /// crafted to collide cannot slow the coder down.
    map: std::collections::HashMap<u128, (u32, u32), foldhash::fast::RandomState>,
    lits: Vec<(u32, bool)>,
}

impl Vocab {
    /// Word types kept; when full, the vocabulary starts again (about 10 MB at most).
    const MAX_TYPES: usize = 1 << 18;

    /// A word of at most 15 bytes (nearly every word of news text) as one number: its bytes,
    /// zero-padded, then its length (so that even words with zero bytes stay apart).
    #[inline]
    fn key(word: &str) -> Option<u128> {
        let b = word.as_bytes();
        if b.len() > 15 {
            return None;
        }
        let mut k = [0u8; 16];
        k.get_mut(..b.len())?.copy_from_slice(b);
        k[15] = b.len() as u8;
        Some(u128::from_le_bytes(k))
    }

    /// [`TabariEngine::literals_into`], through the vocabulary.
    #[inline]
    fn literals_into(&mut self, eng: &TabariEngine, word: &str, out: &mut Vec<(u32, bool)>) {
        // longer words are looked up every time
        let Some(key) = Self::key(word) else {
            return eng.literals_into(word, out);
        };
        if self.engine != eng.id() {
            self.clear();
            self.engine = eng.id();
        }
        if let Some(&(a, b)) = self.map.get(&key) {
            out.extend_from_slice(self.lits.get(a as usize..b as usize).unwrap_or(&[]));
            return;
        }
        let from = out.len();
        eng.literals_into(word, out);
        if self.map.len() >= Self::MAX_TYPES || self.lits.len() >= u32::MAX as usize / 2 {
            self.clear();
        }
        let a = self.lits.len() as u32;
        self.lits.extend_from_slice(out.get(from..).unwrap_or(&[]));
        self.map.insert(key, (a, self.lits.len() as u32));
    }

    fn clear(&mut self) {
        self.map.clear();
        self.lits.clear();
    }
}

/// Work buffers of the parser and the coder.
#[derive(Default)]
pub(crate) struct Scratch {
    pub cands: Vec<super::index::RootEntry>,
    pub cur: Vec<usize>,
    pub best: Vec<usize>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

fn take_buffers() -> Buffers {
    BUFFERS
        .try_with(|b| b.try_borrow_mut().ok().and_then(|mut b| b.take()))
        .ok()
        .flatten()
        .unwrap_or_default()
}

impl Drop for Sent<'_> {
    fn drop(&mut self) {
        // the cells are kept: the next sentence resets them in place
        let cells = std::mem::take(&mut self.cells);
        for &(l, _) in &self.lit_buf {
            if let Some(w) = self.present.get_mut(l as usize / 64) {
                *w = 0;
            }
        }
        let b = Buffers {
            words: std::mem::take(&mut self.words),
            cells,
            present: std::mem::take(&mut self.present),
            lit_buf: std::mem::take(&mut self.lit_buf),
            scratch: std::mem::take(&mut self.scratch),
            vocab: std::mem::take(&mut self.vocab),
        };
        let _ = BUFFERS.try_with(|slot| {
            if let Ok(mut slot) = slot.try_borrow_mut() {
                *slot = Some(b);
            }
        });
    }
}

/// Parses a sentence. `prev` is what the previous sentence of the story forwards (used only
/// when `can_forward`).
pub(crate) fn parse<'e>(
    eng: &'e TabariEngine,
    text: &str,
    date: Date,
    opts: &TabariOptions,
    prev: Option<&Forward>,
    can_forward: bool,
) -> Sent<'e> {
    parse_with(eng, text, date, opts, prev, can_forward, false)
}

/// [`parse`]; with `events_only`, a sentence whose roots include no verb is not marked up:
/// it cannot give an event (events come only from verb heads, which only root matching
/// adds), so the parse stops after root matching with [`Sent::no_verb`] set.
pub(crate) fn parse_with<'e>(
    eng: &'e TabariEngine,
    text: &str,
    date: Date,
    opts: &TabariOptions,
    prev: Option<&Forward>,
    can_forward: bool,
    events_only: bool,
) -> Sent<'e> {
    let mut b = take_buffers();
    lex::words_into(text, &mut b.words);
    let mut words = b.words;
    let all_caps = words.all_caps;
    if words.list.len() > MAX_LEX - 2 {
        words.list.truncate(MAX_LEX - 2);
    }
    b.lit_buf.clear();
    let mut s = Sent {
        eng,
        words,
        cells: b.cells,
        n: 0,
        date,
        has_clauses: false,
        discard: false,
        complex: None,
        error: None,
        forw_actor: None,
        forw_compd: None,
        can_forward: can_forward && prev.is_some(),
        no_verb: false,
        present: b.present,
        lit_buf: b.lit_buf,
        scratch: b.scratch,
        vocab: b.vocab,
    };
    if s.words.list.is_empty() {
        s.error = Some("Input error: no text in record".to_string());
        s.cells.clear();
        return s;
    }
    if s.words.list.len() - 1 < opts.min_lex {
        s.error = Some("Input error: too few words in sentence".to_string());
        s.cells.clear();
        return s;
    }
    s.make_cells(all_caps);
    if s.can_forward {
        if let Some(f) = prev {
            s.set_forward(f);
        }
    }
    let has_verb = s.make_synt();
    if events_only && !has_verb {
        s.no_verb = true;
        return s;
    }
    s.mark_nouns();
    if opts.convert_agents {
        s.convert_agents();
    }
    s.mark_compound();
    s.mark_subordinate(opts);
    s.null_subordinate();
    s.mark_clauses();
    s.dereference_pronouns();
    s.check_discards();
    if !s.discard {
        s.evaluate_complexity(opts);
    }
    s
}

impl<'e> Sent<'e> {
    fn make_cells(&mut self, all_caps: bool) {
        let mut first = true;
        let mut cells = std::mem::take(&mut self.cells);
        cells.reserve((self.words.list.len() + 1).saturating_sub(cells.len()));
        let mut lit_buf = std::mem::take(&mut self.lit_buf);
        lit_buf.reserve(self.words.list.len() * 4);
        for (k, w) in self.words.list.iter().enumerate() {
            let mut mid_cap = false;
            if !all_caps && w.capital && w.kind == Kind::Word {
                if first {
                    first = false;
                } else {
                    mid_cap = true;
                }
            }
            let mut wtype = WT::Null;
            let mut lits = (0, 0);
            match w.kind {
                Kind::Comma => wtype = WT::Comma,
                Kind::Quote => {}
                Kind::Word => {
                    let text = self.words.text(k);
                    let a = lit_buf.len() as u32;
                    self.vocab.literals_into(self.eng, text, &mut lit_buf);
                    lits = (a, lit_buf.len() as u32);
                    if a == lits.1 && text.starts_with(|ch: char| ch.is_ascii_digit()) {
                        wtype = WT::Number;
                    }
                }
            }
            // the previous sentence's cells are reset in place (a cell is too big to copy
            // for free)
            match cells.get_mut(k) {
                Some(c) => c.reset(wtype, lits, mid_cap, k),
                None => cells.push(Cell {
                    wtype,
                    lits,
                    mid_cap,
                    word: Some(k),
                    ..Cell::new(WT::Null)
                }),
            }
        }
        cells.truncate(self.words.list.len());
        self.lit_buf = lit_buf;
        self.n = cells.len();
        cells.push(Cell::new(WT::Halt));
        self.cells = cells;
        let words = self.eng.lits.len().div_ceil(64);
        if self.present.len() < words {
            self.present.resize(words, 0);
        }
        for &(l, _) in &self.lit_buf {
            set_bit(&mut self.present, l as usize);
        }
    }

    /// TABARI's `setForward`: copies the first compound or actor of the previous sentence
    /// after the `Halt` cell.
    fn set_forward(&mut self, f: &Forward) {
        let base = self.cells.len();
        for c in &f.cells {
            let mut cell = Cell::new(c.wtype);
            cell.iroot = c.iroot;
            cell.compd = c.compd;
            for k in &c.head {
                cell.head.push(Tag { k: *k, idx: 0 });
            }
            for k in &c.tail {
                cell.tail.push(Tag { k: *k, idx: 0 });
            }
            self.cells.push(cell);
        }
        self.forw_actor = f.actor.map(|a| a + base);
        self.forw_compd = f.compound.map(|a| a + base);
    }

    /// What this sentence forwards to the next one.
    pub fn forward(&self) -> Option<Forward> {
        if self.error.is_some() {
            return None;
        }
        let mut f = Forward::default();
        let mut p = 0usize;
        while f.actor.is_none() && f.compound.is_none() && p < self.n {
            if self.has_head(p, TagK::Compound) {
                f.compound = Some(f.cells.len());
                let mut first = true;
                while p < self.n {
                    let c = self.cell(p);
                    let mut head = Vec::new();
                    let mut tail = Vec::new();
                    if first {
                        head.push(TagK::Compound);
                        first = false;
                    }
                    if self.has_head(p, TagK::W(WT::Actor)) {
                        head.push(TagK::W(WT::Actor));
                    }
                    if self.has_tail(p, TagK::W(WT::Actor)) {
                        tail.push(TagK::W(WT::Actor));
                    }
                    f.cells.push(ForwardCell {
                        iroot: c.iroot,
                        wtype: c.wtype,
                        compd: true,
                        head,
                        tail,
                    });
                    if self.has_tail(p, TagK::Compound) {
                        break;
                    }
                    p += 1;
                }
                if let Some(last) = f.cells.last_mut() {
                    last.tail.push(TagK::Compound);
                }
            }
            if f.actor.is_none()
                && self.has_head(p, TagK::W(WT::Actor))
                && !self.has_head(p, TagK::W(WT::Pronoun))
            {
                f.actor = Some(f.cells.len());
                let c = self.cell(p);
                f.cells.push(ForwardCell {
                    iroot: c.iroot,
                    wtype: c.wtype,
                    compd: false,
                    head: vec![TagK::W(WT::Actor)],
                    tail: vec![TagK::W(WT::Actor)],
                });
            }
            p += 1;
        }
        if f.compound.is_none() {
            f.compound = f.actor;
        }
        Some(f)
    }

    /// TABARI's `matchLex`: matches a root phrase at `begin`. Returns the number of matched
    /// characters; the matched cells are left in `matched`.
    fn match_lex(
        &self,
        phrase: &[(u32, u16)],
        wtype: WT,
        begin: usize,
        matched: &mut Vec<usize>,
    ) -> Option<usize> {
        use super::compile::{EQUAL, PARTIAL_BIT, SKIP_BIT};
        matched.clear();
        let mut plex = begin;
        let mut fskip = false;
        let mut fmatch = false;
        let mut nmatch = 0usize;
        let mut k = 0usize;
        while k < phrase.len() && plex < self.n {
            fmatch = false;
            if self.wt(plex) == WT::Comma {
                return None;
            }
            let (lit, conn) = phrase[k];
            let lit_len = self.eng.lit_len(lit);
            if self.lits(plex).iter().any(|&(l, _)| l == lit) {
                fmatch = true;
                nmatch += lit_len;
            }
            if !fmatch {
                if fskip {
                    plex += 1;
                    continue;
                }
                return None;
            }
            matched.push(plex);
            let word = self.cell(plex).word.map_or("", |w| self.words.text(w));
            if lit_len < word.len() && conn & SKIP_BIT == 0 {
                if conn == EQUAL {
                    return None;
                }
                let suffix = word.get(lit_len..).unwrap_or("");
                let last = k + 1 == phrase.len();
                match wtype {
                    WT::Actor | WT::Agent | WT::Noun => {
                        if !last {
                            return None;
                        }
                        match suffix {
                            "s" => return Some(nmatch + 1),
                            "'s" | "es" => return Some(nmatch + 2),
                            _ => {}
                        }
                    }
                    WT::Verb => {
                        if !last {
                            return None;
                        }
                        let lit_e = self
                            .eng
                            .lits
                            .get(lit as usize)
                            .is_some_and(|l| l.ends_with('e'));
                        match suffix {
                            "s" => return Some(nmatch + 1),
                            "ed" | "es" | "en" => return Some(nmatch + 2),
                            "ing" => return Some(nmatch + 3),
                            "d" if lit_e => return Some(nmatch + 1),
                            _ => {}
                        }
                    }
                    _ => {}
                }
                return None;
            }
            fskip = conn & PARTIAL_BIT != 0;
            plex += 1;
            k += 1;
        }
        if k < phrase.len() {
            return None;
        }
        if fmatch {
            Some(nmatch)
        } else {
            None
        }
    }

    /// TABARI's `makeSynt`: at each untyped word, the root with the most matched characters
    /// (the first in dictionary order among equals). Only the roots the next word allows are
    /// tried (see [`super::index::RootIndex`]). Returns whether a verb root was found.
    fn make_synt(&mut self) -> bool {
        let mut has_verb = false;
        let mut cands = std::mem::take(&mut self.scratch.cands);
        let mut cur = std::mem::take(&mut self.scratch.cur);
        let mut best_cells = std::mem::take(&mut self.scratch.best);
        let index = &self.eng.root_index;
        for i in 0..self.n {
            if self.wt(i) != WT::Null || self.lits(i).is_empty() {
                continue;
            }
            let mut best: Option<(usize, u32, WT)> = None;
            for &(lit, _) in self.lits(i) {
                let found = index.candidates(lit, self.lits(i + 1), &mut cands);
                for e in found {
                    if let Some(nm) = self.match_lex(index.phrase(e), e.wtype, i, &mut cur) {
                        if best.is_none_or(|b| nm > b.0) {
                            best = Some((nm, e.root, e.wtype));
                            std::mem::swap(&mut best_cells, &mut cur);
                        }
                    }
                }
            }
            if let Some((_, root, wt)) = best {
                has_verb |= wt == WT::Verb;
                if let Some(c) = self.cells.get_mut(i) {
                    c.iroot = Some(root);
                }
                self.add_head(i, TagK::W(wt), 1);
                for &m in &best_cells {
                    self.set_wt(m, wt);
                }
                if let Some(&last) = best_cells.last() {
                    self.add_tail(last, TagK::W(wt), 1);
                }
            }
        }
        self.scratch.cands = cands;
        self.scratch.cur = cur;
        self.scratch.best = best_cells;
        has_verb
    }

    /// TABARI's `markNouns`: verbs after a determiner or capitalised mid-sentence become
    /// nouns; null-coded actors become nouns.
    fn mark_nouns(&mut self) {
        let verb = TagK::W(WT::Verb);
        let noun = TagK::W(WT::Noun);
        let actor = TagK::W(WT::Actor);
        let mut i = 0usize;
        while i < self.n {
            if self.wt(i) == WT::Verb && i > 0 {
                if self.wt(i - 1) == WT::Determ || self.cell(i).mid_cap {
                    self.set_wt(i, WT::Noun);
                    if let Some(idx) = self.head_idx(i, verb) {
                        self.change_head(i, verb, noun);
                        let mut a = i;
                        while !self.has_tail_idx(a, verb, idx) {
                            a += 1;
                            if a >= self.n {
                                a -= 1;
                                break;
                            }
                            if self.wt(a) == WT::Verb && !self.has_head(a, verb) {
                                self.set_wt(a, WT::Noun);
                            }
                        }
                        self.change_tail(a, verb, noun);
                    }
                }
            } else if let Some(idx) = self.head_idx(i, actor) {
                let null = self
                    .iroot(i)
                    .is_some_and(|r| self.eng.is_null_actor(r, self.date));
                if null {
                    self.change_head(i, actor, noun);
                    self.set_wt(i, WT::Noun);
                    while !self.has_tail_idx(i, actor, idx) {
                        i += 1;
                        if i >= self.n {
                            i -= 1;
                            break;
                        }
                        if self.wt(i) == WT::Actor && !self.has_head(i, actor) {
                            self.set_wt(i, WT::Noun);
                        }
                    }
                    self.change_tail(i, actor, noun);
                }
            }
            i += 1;
        }
    }

    /// TABARI's `convertAgents` (`SET: CONVERT AGENT = TRUE`).
    fn convert_agents(&mut self) {
        let agent = TagK::W(WT::Agent);
        let mut a = 0usize;
        while a < self.n {
            if self.wt(a) == WT::Agent {
                let idx = self.head_idx(a, agent).unwrap_or(0);
                let actor_before = a > 0
                    && (self.wt(a - 1) == WT::Actor
                        || self.has_tail(a - 1, TagK::W(WT::Actor))
                        || self.iroot(a - 1) == Some(self.eng.root_former));
                let h = a;
                let mut broken = false;
                while !self.has_tail_idx(a, agent, idx) {
                    a += 1;
                    if a >= self.n {
                        broken = true;
                        break;
                    }
                }
                if broken {
                    self.error = Some("Parser error: no tail tag on agent".to_string());
                    a = self.n;
                } else if !actor_before {
                    let mut convert = true;
                    if a + 1 < self.n && self.has_head(a + 1, TagK::W(WT::Actor)) {
                        convert = false;
                    }
                    if convert
                        && a + 2 < self.n
                        && self.wt(a + 1) == WT::Prep
                        && self.wt(a + 2) == WT::Actor
                    {
                        convert = false;
                    }
                    if convert {
                        self.set_wt(h, WT::Actor);
                        self.change_head(h, agent, TagK::W(WT::Actor));
                        self.change_tail(a, agent, TagK::W(WT::Actor));
                    }
                }
            }
            a += 1;
        }
    }

    /// TABARI's `markCompound`: `<actor> AND <actor>`, `<actor> , <actor> AND <actor>`
    /// (also `NOR`), across determiners and adjectives.
    fn mark_compound(&mut self) {
        let actor = TagK::W(WT::Actor);
        let mut cmpindex = 1u32;
        let mut need_connect = false;
        let mut p = 0usize;
        while p < self.n {
            if self.wt(p) == WT::Conj
                && (self.has_lit(p, self.eng.lit_and) || self.has_lit(p, self.eng.lit_nor))
            {
                let mut pend: Option<usize> = None;
                let mut pset: Option<usize> = None;
                let mut a = p + 1;
                while matches!(self.wt(a), WT::Actor | WT::Determ | WT::Adjctv) {
                    if self.wt(a) == WT::Actor && self.has_head(a, actor) {
                        while !self.has_tail(a, actor) && a < self.n {
                            a += 1;
                        }
                        pend = Some(a);
                    }
                    a += 1;
                }
                let Some(pend) = pend else {
                    p += 1;
                    continue;
                };
                let mut b = p as isize;
                while b >= 0
                    && matches!(
                        self.wti(b),
                        WT::Actor | WT::Conj | WT::Comma | WT::Determ | WT::Adjctv
                    )
                {
                    let w = self.wti(b);
                    if matches!(w, WT::Conj | WT::Comma) {
                        need_connect = false;
                    }
                    if w == WT::Actor {
                        if need_connect {
                            break;
                        }
                        while b > 0 && !self.has_head(b as usize, actor) {
                            b -= 1;
                        }
                        pset = Some(b as usize);
                        need_connect = true;
                    }
                    b -= 1;
                }
                if let Some(set) = pset {
                    self.add_head(set, TagK::Compound, cmpindex);
                    self.add_tail(pend, TagK::Compound, cmpindex);
                    for q in set..=pend.min(self.n) {
                        if let Some(idx) = self.head_idx(q, TagK::Compound) {
                            if idx < cmpindex {
                                let mut loc = q;
                                while loc < self.n && !self.has_tail_idx(loc, TagK::Compound, idx) {
                                    loc += 1;
                                }
                                if loc < self.n {
                                    self.change_head(q, TagK::Compound, TagK::NullTag);
                                    self.change_tail(loc, TagK::Compound, TagK::NullTag);
                                }
                            }
                        }
                    }
                    cmpindex += 1;
                    for q in set..=pend.min(self.n.saturating_sub(1)) {
                        if let Some(c) = self.cells.get_mut(q) {
                            c.compd = true;
                        }
                    }
                }
            }
            p += 1;
        }
    }

    /// TABARI's `markSubordinate`: comma-delimited clauses of the lengths in the options.
    fn mark_subordinate(&mut self, o: &TabariOptions) {
        let mut p = 0usize;
        let mut sub = 1u32;
        while p < self.n {
            if self.skip_segment(&mut p, TagK::Compound) {
                continue;
            }
            if self.wt(p) == WT::Comma {
                let start = p;
                if p >= o.min_beg_subord && p <= o.max_beg_subord && start > 0 {
                    self.add_head(0, TagK::Subord, sub);
                    self.add_tail(start - 1, TagK::Subord, sub);
                    sub += 1;
                }
                p += 1;
                while self.wt(p) != WT::Comma && p < self.n {
                    if self.skip_segment(&mut p, TagK::Compound) {
                        continue;
                    }
                    p += 1;
                }
                let inner = p.saturating_sub(start + 1);
                if p >= self.n {
                    if inner >= o.min_end_subord && inner <= o.max_end_subord {
                        self.add_head(start, TagK::Subord, sub);
                        self.add_tail(self.n - 1, TagK::Subord, sub);
                    }
                    return;
                }
                if self.wt(p) == WT::Comma && inner >= o.min_subord && inner <= o.max_subord {
                    self.add_head(start, TagK::Subord, sub);
                    self.add_tail(p, TagK::Subord, sub);
                    sub += 1;
                }
            }
            if p < self.n {
                p += 1;
            }
        }
    }

    /// TABARI's `nullSubordinate`: everything inside a subordinate clause is nulled, and
    /// structures that cross its boundary lose their tags.
    fn null_subordinate(&mut self) {
        if self.has_head(0, TagK::Subord) {
            self.set_wt(0, WT::Null);
        }
        let mut p = 0usize;
        while p < self.n {
            if self.has_head(p, TagK::Subord) {
                loop {
                    p += 1;
                    if p >= self.n {
                        return;
                    }
                    self.set_wt(p, WT::Null);
                    let heads = self.cell(p).head.clone();
                    for k in heads.iter().map(|t| t.k) {
                        if k == TagK::NullTag {
                            continue;
                        }
                        let mut a = p;
                        while !self.has_tail(a, k) && a < self.n {
                            a += 1;
                        }
                        if a >= self.n {
                            return;
                        }
                        self.set_wt(p, WT::NullTag);
                        self.change_head(p, k, TagK::NullTag);
                        self.change_tail(a, k, TagK::NullTag);
                    }
                    let tails = self.cell(p).tail.clone();
                    for k in tails.iter().map(|t| t.k) {
                        if k == TagK::NullTag || k == TagK::Subord {
                            continue;
                        }
                        let mut a = p;
                        while !self.has_head(a, k) && a > 0 {
                            a -= 1;
                        }
                        if a == 0 && !self.has_head(0, k) {
                            return;
                        }
                        self.change_tail(p, k, TagK::NullTag);
                        self.change_head(a, k, TagK::NullTag);
                        self.set_wt(a, WT::NullTag);
                    }
                    if self.has_tail(p, TagK::Subord) {
                        break;
                    }
                }
            }
            p += 1;
        }
    }

    /// TABARI's `markClauses`: clauses split at conjunctions, except in
    /// `<noun> <conj> <adj>* <noun>` and `<adj> <conj> <adj>`.
    fn mark_clauses(&mut self) {
        let mut ci = 1u32;
        self.has_clauses = false;
        self.add_head(0, TagK::Clause, ci);
        let mut p = 0usize;
        while p < self.n {
            if self.skip_segment(&mut p, TagK::Compound) {
                continue;
            }
            if self.skip_segment(&mut p, TagK::Subord) {
                continue;
            }
            if self.wt(p) == WT::Conj && p > 0 && self.wt(p + 1) != WT::Halt {
                let mut not_phrase = true;
                if self.wt(p - 1) == WT::Noun {
                    let mut a = p + 1;
                    while self.wt(a) == WT::Adjctv {
                        a += 1;
                    }
                    if self.wt(a) == WT::Noun {
                        not_phrase = false;
                        p = a;
                    }
                }
                if p > 0 && self.wt(p - 1) == WT::Adjctv && self.wt(p + 1) == WT::Adjctv {
                    not_phrase = false;
                    p += 1;
                }
                if not_phrase {
                    self.has_clauses = true;
                    self.add_tail(p - 1, TagK::Clause, ci);
                    ci += 1;
                    self.add_head(p + 1, TagK::Clause, ci);
                    p += 1;
                }
            }
            p += 1;
        }
        let last = p.min(self.n).saturating_sub(1);
        self.add_tail(last, TagK::Clause, ci);
    }

    /// TABARI's `dereferencePronouns`: HE, HIM, SHE, HER, IT take the first non-compound
    /// actor before them; THEM, THEIR, THEY the first compound before them, else the first
    /// actor; with forwarding, the previous sentence's actor or compound.
    fn dereference_pronouns(&mut self) {
        let actor = TagK::W(WT::Actor);
        for p in 0..self.n {
            if self.wt(p) != WT::Pronoun {
                continue;
            }
            let Some(root) = self.iroot(p) else {
                continue;
            };
            let first = self
                .eng
                .roots
                .get(root as usize)
                .and_then(|r| r.phrase.first())
                .and_then(|e| match e.e {
                    super::compile::Elem::Lit(l) => self.eng.lits.get(l as usize),
                    _ => None,
                })
                .map_or("", String::as_str);
            let singular = matches!(first, "he" | "him" | "she" | "her" | "it");
            let plural = matches!(first, "them" | "their" | "they");
            let mut idx: Option<usize> = None;
            if singular {
                let mut a = 0usize;
                while a < p {
                    while a < p && self.wt(a) != WT::Actor {
                        a += 1;
                    }
                    if a >= p {
                        break;
                    }
                    if let Some(ci) = self.head_idx(a, TagK::Compound) {
                        loop {
                            a += 1;
                            if a >= self.n || self.has_tail_idx(a, TagK::Compound, ci) {
                                break;
                            }
                        }
                        a += 1;
                    } else if !self.has_head(a, actor) {
                        a += 1;
                    } else {
                        idx = Some(a);
                        break;
                    }
                }
                if idx.is_none() && self.can_forward {
                    idx = self.forw_actor;
                }
            } else if plural {
                let mut a = 0usize;
                while a < p {
                    while a < p && self.wt(a) != WT::Actor {
                        a += 1;
                    }
                    if a >= p {
                        break;
                    }
                    if self.has_head(a, TagK::Compound) {
                        idx = Some(a);
                        break;
                    } else if idx.is_none() {
                        idx = Some(a);
                    }
                    a += 1;
                }
                if idx.is_none() && self.can_forward {
                    idx = self.forw_compd;
                }
            }
            if let Some(r) = idx {
                self.set_wt(p, WT::Actor);
                self.add_head(p, actor, 1);
                self.add_tail(p, actor, 1);
                let r = u32::try_from(r).unwrap_or(u32::MAX);
                self.add_head(p, TagK::Ref(r), 0);
                self.add_tail(p, TagK::Ref(r), 0);
            }
        }
    }

    /// TABARI's `checkDiscards`: a root whose code is `###`.
    fn check_discards(&mut self) {
        self.discard = (0..self.n).any(|p| {
            self.iroot(p)
                .is_some_and(|r| self.eng.is_discard_root(r, self.date))
        });
    }

    /// TABARI's `evaluateComplexity` for the `COMPLEX:` conditions.
    fn evaluate_complexity(&mut self, o: &TabariOptions) {
        let c = &o.complex;
        if c.verbs == 0
            && c.actors == 0
            && c.pronouns == 0
            && c.conj == 0
            && c.late_verb == 0
            && !c.pre_act
            && !c.post_act
            && !c.no_verb
        {
            return; // no condition (TABARI's default): nothing to count
        }
        let verb = TagK::W(WT::Verb);
        let count_tags = |s: &Self, k: TagK| {
            let mut n = 0;
            let mut p = 0usize;
            while p < s.n {
                if s.skip_segment(&mut p, TagK::Subord) {
                    continue;
                }
                if s.has_head(p, k) {
                    n += 1;
                }
                p += 1;
            }
            n
        };
        let n_verb = count_tags(self, verb);
        let mut reasons: Vec<String> = Vec::new();
        let mut check_value = |limit: usize, value: usize, what: &str| {
            if limit > 0 && value >= limit {
                reasons.push(format!("{what}({value}) >= {limit}"));
            }
        };
        check_value(c.verbs, n_verb, "verbs");
        if c.actors > 0 {
            check_value(c.actors, count_tags(self, TagK::W(WT::Actor)), "actors");
        }
        if c.pronouns > 0 {
            let mut n = 0;
            let mut p = 0usize;
            while p < self.n {
                if self.skip_segment(&mut p, TagK::Subord) {
                    continue;
                }
                if self.wt(p) == WT::Pronoun {
                    n += 1;
                }
                p += 1;
            }
            check_value(c.pronouns, n, "pronouns");
        }
        if c.conj > 0 {
            let mut n = 0;
            let mut k = 0usize;
            while k < self.n {
                if self.has_head(k, TagK::Compound) {
                    while !self.has_tail(k, TagK::Compound) && k < self.n {
                        k += 1;
                    }
                    k += 1;
                }
                if self.wt(k) == WT::Conj {
                    n += 1;
                }
                k += 1;
            }
            check_value(c.conj, n, "conjunctions");
        }
        // first non-null verb outside subordinate clauses
        let mut iverb = 0usize;
        while iverb < self.n {
            if self.skip_segment(&mut iverb, TagK::Subord) {
                continue;
            }
            if self.wt(iverb) == WT::Verb
                && self.has_head(iverb, verb)
                && !self.iroot(iverb).is_some_and(|r| self.eng.is_null_verb(r))
            {
                break;
            }
            iverb += 1;
        }
        if c.late_verb > 0 {
            if n_verb > 0 {
                check_value(c.late_verb, iverb, "verb position");
            } else if !c.no_verb {
                check_value(c.late_verb, 0, "verb missing");
            }
        }
        let actor_between = |s: &Self, from: usize, to: usize| {
            let mut k = from;
            while k < to && k < s.n {
                if s.skip_segment(&mut k, TagK::Subord) {
                    continue;
                }
                if s.wt(k) == WT::Actor {
                    return true;
                }
                k += 1;
            }
            false
        };
        if c.pre_act && !actor_between(self, 0, iverb) {
            reasons.push("No actor before verb".to_string());
        }
        if c.post_act && !actor_between(self, iverb + 1, self.n) {
            reasons.push("No actor after verb".to_string());
        }
        if c.no_verb && n_verb == 0 {
            reasons.push("No verb".to_string());
        }
        if !reasons.is_empty() {
            self.complex = Some(format!("Complex text: {}", reasons.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Vocab;

    #[test]
    fn vocabulary_keys_tell_words_apart() {
        let words = [
            "",
            "a",
            "ab",
            "ab\0",
            "ab\0\0",
            "\0ab",
            "ba",
            "fifteen-bytes!!",
        ];
        let keys: Vec<u128> = words.iter().filter_map(|w| Vocab::key(w)).collect();
        assert_eq!(keys.len(), words.len());
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // longer words are not kept
        assert_eq!(Vocab::key("sixteen-bytes!!!"), None);
        assert_eq!(Vocab::key("internationalisation"), None);
    }
}
