//! The engine's look-up structures for the hot path: the literal trie (which literals a word
//! starts with), the root index (which roots a word may start) and the pattern index (which
//! patterns of a verb the sentence may match). They only narrow down what the matchers try,
//! in the order they would have tried it: coding gives exactly what trying everything gives.

use super::compile::{Elem, PElem, Pat, Root, PARTIAL_BIT, WT};

// ------------------------------------------------------------------------------------------
// testing the indexes

#[cfg(test)]
thread_local! {
    static BRUTE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether bit `i` is set in a bit set kept as 64-bit words (`false` past its end).
#[inline]
pub(crate) fn has_bit(words: &[u64], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Sets bit `i` of a bit set kept as 64-bit words (nothing past its end).
#[inline]
pub(crate) fn set_bit(words: &mut [u64], i: usize) {
    if let Some(w) = words.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

/// In tests: code as if there were no indexes (every root that starts with a word's
/// literal, every pattern of a verb), to check that the indexes change nothing.
#[cfg(test)]
pub(crate) fn set_brute_force(on: bool) {
    BRUTE.with(|b| b.set(on));
}

/// Whether the indexes are bypassed (never, outside tests).
#[inline]
pub(crate) fn brute_force() -> bool {
    #[cfg(test)]
    {
        BRUTE.with(|b| b.get())
    }
    #[cfg(not(test))]
    {
        false
    }
}

// ------------------------------------------------------------------------------------------
// hashing

/// A fast hasher for the compiler's maps (short strings, phrases of a few ids): a
/// multiply-rotate mix per word of input, finished with a 64-bit avalanche.
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

// ------------------------------------------------------------------------------------------
// literals

/// A byte trie of the literals: walking a word's bytes from the root meets, in order, every
/// literal that is a prefix of the word (TABARI's literals are prefixes: `NEGOTIAT` matches
/// `negotiations`). A double array: the child of slot `s` by byte `c` is slot
/// `base(s) + c` when that slot's parent is `s`, so each step reads one slot.
#[derive(Clone, Debug, Default)]
pub(crate) struct LiteralTrie {
    slots: Vec<Slot>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    base: u32,
    /// The parent slot + 1 (0: free).
    check: u32,
    /// The literal + 1 (0: none).
    value: u32,
}

/// Which slots of a double array are taken, with a fast search for the next free one (a
/// second bit level marks the full words).
#[derive(Default)]
struct FreeMap {
    words: Vec<u64>,
    /// Bit `w`: `words[w]` is full.
    full: Vec<u64>,
}

impl FreeMap {
    fn is_taken(&self, i: usize) -> bool {
        has_bit(&self.words, i)
    }

    fn take(&mut self, i: usize) {
        let w = i / 64;
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
            self.full.resize(w / 64 + 1, 0);
        }
        self.words[w] |= 1 << (i % 64);
        if self.words[w] == u64::MAX {
            self.full[w / 64] |= 1 << (w % 64);
        }
    }

    /// The first free slot at or after `i`.
    fn next_free(&self, i: usize) -> usize {
        let mut w = i / 64;
        // within the word of `i`
        if let Some(&bits) = self.words.get(w) {
            let free = !bits & (!0u64 << (i % 64));
            if free != 0 {
                return w * 64 + free.trailing_zeros() as usize;
            }
            w += 1;
        } else {
            return i;
        }
        // then the first word that is not full
        loop {
            let Some(&f) = self.full.get(w / 64) else {
                return (w * 64).max(i);
            };
            let open = !f & (!0u64 << (w % 64));
            if open == 0 {
                w = (w / 64 + 1) * 64;
                continue;
            }
            let ww = (w / 64) * 64 + open.trailing_zeros() as usize;
            match self.words.get(ww) {
                Some(&bits) => return ww * 64 + (!bits).trailing_zeros() as usize,
                None => return (ww * 64).max(i),
            }
        }
    }
}

/// The trie as sorted edge lists, built first.
#[derive(Default)]
struct EdgeTrie {
    /// Per node: `[first edge, end of edges, literal + 1]`.
    nodes: Vec<[u32; 3]>,
    labels: Vec<u8>,
    targets: Vec<u32>,
}

impl EdgeTrie {
    /// Builds the node of the keys `lo..hi` (sorted, sharing their first `depth` bytes).
    fn node(&mut self, keys: &[&[u8]], ids: &[u32], mut lo: usize, hi: usize, depth: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push([0, 0, 0]);
        if lo < hi && keys[lo].len() == depth {
            self.nodes[id as usize][2] = ids[lo] + 1;
            lo += 1;
        }
        // the children: one per distinct byte at `depth` (edges first, then the subtrees)
        let first = self.labels.len();
        let mut i = lo;
        while i < hi {
            let b = keys[i][depth];
            self.labels.push(b);
            self.targets.push(0);
            while i < hi && keys[i][depth] == b {
                i += 1;
            }
        }
        self.nodes[id as usize][0] = first as u32;
        self.nodes[id as usize][1] = self.labels.len() as u32;
        let mut i = lo;
        let mut k = first;
        while i < hi {
            let b = keys[i][depth];
            let mut j = i + 1;
            while j < hi && keys[j][depth] == b {
                j += 1;
            }
            let child = self.node(keys, ids, i, j, depth + 1);
            self.targets[k] = child;
            k += 1;
            i = j;
        }
        id
    }
}

impl LiteralTrie {
    /// The trie of `lits` (literal `i` is `lits[i]`).
    pub fn build(lits: &[String]) -> LiteralTrie {
        let mut sorted: Vec<(&[u8], u32)> = lits
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_bytes(), i as u32))
            .collect();
        sorted.sort_unstable();
        sorted.dedup_by(|a, b| a.0 == b.0);
        let keys: Vec<&[u8]> = sorted.iter().map(|&(k, _)| k).collect();
        let order: Vec<u32> = sorted.iter().map(|&(_, i)| i).collect();
        let mut et = EdgeTrie::default();
        et.nodes.reserve(keys.len() * 4);
        et.labels.reserve(keys.len() * 4);
        et.targets.reserve(keys.len() * 4);
        et.node(&keys, &order, 0, keys.len(), 0);

        // place the nodes breadth first, each family at the first base where it fits
        let mut slots: Vec<Slot> = vec![Slot::default(); 1024];
        let mut used = FreeMap::default();
        used.take(0); // the root
        slots[0].check = u32::MAX;
        slots[0].value = et.nodes.first().map_or(0, |n| n[2]);
        let mut queue = std::collections::VecDeque::from([(0u32, 0usize)]);
        while let Some((tn, s)) = queue.pop_front() {
            let Some(&[a, z, _]) = et.nodes.get(tn as usize) else {
                continue;
            };
            let (a, z) = (a as usize, z as usize);
            if a == z {
                continue;
            }
            let labels = &et.labels[a..z];
            let lo = labels[0] as usize;
            // candidate bases: those that put the first label on a free slot; a family that
            // fits none of the first few goes to the end (a little space for a fast build)
            let mut p = used.next_free(lo + 1);
            let mut tries = 0;
            let b = loop {
                let b = p - lo;
                if labels.iter().all(|&c| !used.is_taken(b + c as usize)) {
                    break b;
                }
                tries += 1;
                if tries > 16 {
                    break used.words.len() * 64 + 1;
                }
                p = used.next_free(p + 1);
            };
            let top = b + *labels.last().unwrap_or(&0) as usize;
            if slots.len() <= top {
                slots.resize((top + 1).max(slots.len() * 2), Slot::default());
            }
            slots[s].base = b as u32;
            for (k, &c) in labels.iter().enumerate() {
                let t = b + c as usize;
                let child = et.targets[a + k];
                used.take(t);
                slots[t].check = s as u32 + 1;
                slots[t].value = et.nodes.get(child as usize).map_or(0, |n| n[2]);
                queue.push_back((child, t));
            }
        }
        while slots.last().is_some_and(|x| x.check == 0) {
            slots.pop();
        }
        LiteralTrie { slots }
    }

    /// Calls `f(literal, length in bytes)` for every literal that is a prefix of `word`,
    /// shortest first.
    #[inline]
    pub fn prefixes(&self, word: &[u8], mut f: impl FnMut(u32, usize)) {
        let Some(root) = self.slots.first() else {
            return;
        };
        if root.value != 0 {
            f(root.value - 1, 0);
        }
        let mut s = 0usize;
        let mut base = root.base as usize;
        for (k, &c) in word.iter().enumerate() {
            let t = base + c as usize;
            match self.slots.get(t) {
                Some(x) if x.check as usize == s + 1 => {
                    if x.value != 0 {
                        f(x.value - 1, k + 1);
                    }
                    s = t;
                    base = x.base as usize;
                }
                _ => return,
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// roots

/// The roots a word may start, by the literal they start with. A root whose first
/// connector does not let words intervene (`A_B`, `A=B`; `A~_B` is partial and may skip)
/// only matches when its second literal is one of the next word's: such roots are kept by
/// (first, second) literal, so that root matching only tries the roots the next word allows
/// (the others fail at their second element, see `parse::Sent::match_lex`).
///
/// The entries carry what matching a root needs (its type, its phrase as `(literal,
/// connector)` pairs in an arena laid out in index order), so that trying the candidates of
/// a word reads memory that is close together.
#[derive(Clone, Debug, Default)]
pub(crate) struct RootIndex {
    /// Bit set over literal ids: the literals some root starts with. Most literals of a
    /// sentence's words start none, and this small set (a bit a literal) answers for them
    /// without reading `by_lit` (16 bytes a literal, mostly out of cache).
    starts: Vec<u64>,
    /// Per literal id: `any` range, then `pairs` range.
    by_lit: Vec<[u32; 4]>,
    /// Roots tried whatever the next word: one-literal roots and roots whose second literal
    /// may come after other words. Dictionary order within a literal.
    any: Vec<RootEntry>,
    /// The second literal of each entry of `pairs`.
    pair_keys: Vec<u32>,
    /// Per literal id: a 64-bit signature of its `pair_keys` ([`sig_bit`]), which turns
    /// away most of the next word's literals without a search.
    pair_sig: Vec<u64>,
    /// Roots tried when the next word has their second literal, sorted by (second literal,
    /// root) within a literal.
    pairs: Vec<RootEntry>,
    /// The phrases of the entries: `(literal, connector)`.
    elems: Vec<(u32, u16)>,
}

/// A literal's bit in a 64-bit signature of a set of literals (`RootIndex::pair_sig`).
#[inline]
fn sig_bit(l: u32) -> u64 {
    1 << (l.wrapping_mul(0x9E37_79B9) >> 26)
}

/// A root as root matching needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RootEntry {
    pub root: u32,
    /// Start of its phrase in `RootIndex::elems`.
    start: u32,
    len: u16,
    pub wtype: WT,
}

impl RootIndex {
    pub fn build(roots: &[Root], n_lits: usize) -> RootIndex {
        // (root, second literal when the root goes by pairs)
        let mut any: Vec<Vec<u32>> = vec![Vec::new(); n_lits];
        let mut pairs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_lits];
        for (id, r) in roots.iter().enumerate() {
            let id = id as u32;
            // root phrases are literals only (`TabariEngine::phrase`)
            if r.phrase.iter().any(|e| !matches!(e.e, Elem::Lit(_))) {
                continue;
            }
            let Some(PElem {
                e: Elem::Lit(first),
                conn,
            }) = r.phrase.first().copied()
            else {
                continue;
            };
            match r.phrase.get(1) {
                Some(PElem {
                    e: Elem::Lit(second),
                    ..
                }) if conn & PARTIAL_BIT == 0 => {
                    if let Some(p) = pairs.get_mut(first as usize) {
                        p.push((*second, id));
                    }
                }
                _ => {
                    if let Some(a) = any.get_mut(first as usize) {
                        a.push(id);
                    }
                }
            }
        }
        let mut idx = RootIndex {
            by_lit: Vec::with_capacity(n_lits),
            ..RootIndex::default()
        };
        let entry = |elems: &mut Vec<(u32, u16)>, id: u32| -> RootEntry {
            let r = &roots[id as usize];
            let start = elems.len() as u32;
            elems.extend(r.phrase.iter().map(|e| match e.e {
                Elem::Lit(l) => (l, e.conn),
                _ => (u32::MAX, e.conn),
            }));
            RootEntry {
                root: id,
                start,
                len: r.phrase.len().min(u16::MAX as usize) as u16,
                wtype: r.wtype,
            }
        };
        for (a, mut p) in any.into_iter().zip(pairs) {
            p.sort_unstable();
            let a0 = idx.any.len() as u32;
            for id in a {
                let e = entry(&mut idx.elems, id);
                idx.any.push(e);
            }
            let p0 = idx.pairs.len() as u32;
            let mut sig = 0;
            for (second, id) in p {
                let e = entry(&mut idx.elems, id);
                idx.pairs.push(e);
                idx.pair_keys.push(second);
                sig |= sig_bit(second);
            }
            idx.pair_sig.push(sig);
            idx.by_lit
                .push([a0, idx.any.len() as u32, p0, idx.pairs.len() as u32]);
        }
        idx.starts = vec![0; n_lits.div_ceil(64)];
        for (l, &[a0, a1, p0, p1]) in idx.by_lit.iter().enumerate() {
            if a0 != a1 || p0 != p1 {
                set_bit(&mut idx.starts, l);
            }
        }
        idx
    }

    /// The phrase of an entry: `(literal, connector)` pairs.
    #[inline]
    pub fn phrase(&self, e: &RootEntry) -> &[(u32, u16)] {
        let a = e.start as usize;
        self.elems.get(a..a + e.len as usize).unwrap_or(&[])
    }

    /// The roots starting with `lit` that a word whose next word has the literals `next`
    /// may start, in dictionary order (in `out` when they must be gathered).
    #[inline]
    pub fn candidates<'a>(
        &'a self,
        lit: u32,
        next: &[(u32, bool)],
        out: &'a mut Vec<RootEntry>,
    ) -> &'a [RootEntry] {
        out.clear();
        if !has_bit(&self.starts, lit as usize) {
            return out;
        }
        let Some(&[a0, a1, p0, p1]) = self.by_lit.get(lit as usize) else {
            return out;
        };
        let any = self.any.get(a0 as usize..a1 as usize).unwrap_or(&[]);
        let (p0, p1) = (p0 as usize, p1 as usize);
        let pairs = self.pairs.get(p0..p1).unwrap_or(&[]);
        if brute_force() {
            // every root that starts with `lit`
            out.extend_from_slice(any);
            out.extend_from_slice(pairs);
            out.sort_unstable_by_key(|e| e.root);
            return out;
        }
        if pairs.is_empty() {
            return any;
        }
        let keys = self.pair_keys.get(p0..p1).unwrap_or(&[]);
        // the pairs the next word allows: with a single source (the usual case) its slice
        // is the answer, nothing is copied
        let mut first: Option<&'a [RootEntry]> = (!any.is_empty()).then_some(any);
        let mut sources = usize::from(!any.is_empty());
        let sig = self.pair_sig.get(lit as usize).copied().unwrap_or(!0);
        for &(l2, _) in next {
            if sig & sig_bit(l2) == 0 {
                continue;
            }
            let lo = if keys.len() <= 8 {
                keys.iter().position(|&k| k >= l2).unwrap_or(keys.len())
            } else {
                keys.partition_point(|&k| k < l2)
            };
            let n = keys
                .get(lo..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&k| k == l2)
                .count();
            if n == 0 {
                continue;
            }
            let found = pairs.get(lo..lo + n).unwrap_or(&[]);
            sources += 1;
            match sources {
                1 => first = Some(found),
                2 => {
                    out.extend_from_slice(first.unwrap_or(&[]));
                    out.extend_from_slice(found);
                }
                _ => out.extend_from_slice(found),
            }
        }
        match sources {
            0 => out,
            1 => first.unwrap_or(&[]),
            _ => {
                out.sort_unstable_by_key(|e| e.root);
                out
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// patterns

/// The literals a pattern cannot match without: each must be among the literals of some
/// word of the sentence, or `checkPattern` fails. These are the literals outside `{...}`:
/// after the verb always; before the verb unless that part has a synset (after whose match
/// TABARI's backward matcher keeps its "in alternatives" state) and an `|` further left (to
/// which the matcher may jump when a later element fails, abandoning that element). Nothing
/// for nested alternatives. Skipping a pattern whose required literals are not all in the
/// sentence gives the same result as trying it.
pub(crate) fn required_literals(elems: &[PElem]) -> Box<[u32]> {
    let pverb = elems.iter().position(|x| x.e == Elem::Verb);
    let lower = &elems[..pverb.unwrap_or(0)];
    let lower_synset = lower.iter().any(|x| matches!(x.e, Elem::Synset(_)));
    let mut out = Vec::new();
    let mut depth = 0u32;
    let mut or_seen = false;
    for (k, el) in elems.iter().enumerate() {
        match el.e {
            Elem::Open => {
                depth += 1;
                if depth > 1 {
                    return Box::new([]);
                }
            }
            Elem::Close => depth = depth.saturating_sub(1),
            Elem::Or if pverb.is_some_and(|v| k < v) => or_seen = true,
            Elem::Lit(l) if depth == 0 => {
                let in_lower = pverb.is_some_and(|v| k < v);
                if !(in_lower && lower_synset && or_seen) {
                    out.push(l);
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out.into_boxed_slice()
}

/// The patterns of a verb by one of their required literals, so that a verb with many
/// patterns (`SAY` has more than a thousand) only tries those whose literal the sentence
/// has.
#[derive(Clone, Debug, Default)]
pub(crate) struct PatternIndex {
    /// `(literal, pattern)`, sorted: each pattern with required literals appears once,
    /// under its longest one (long literals are the rare words).
    keyed: Vec<(u32, u32)>,
    /// Patterns without required literals, in order.
    free: Vec<u32>,
    /// A Bloom filter of the key literals (one hash): most of a sentence's literals are
    /// rejected without a search of `keyed`.
    bloom: Vec<u64>,
    /// `32 - log2(bits of bloom)`.
    shift: u32,
}

/// Below this many patterns a verb tries them all (with the required-literal check). Tests
/// index every verb with a few patterns, so that the index is exercised on small
/// dictionaries.
pub(crate) const PATTERN_INDEX_MIN: usize = if cfg!(test) { 2 } else { 12 };

impl PatternIndex {
    pub fn build(patterns: &[Pat], lit_len: impl Fn(u32) -> usize) -> PatternIndex {
        let mut ix = PatternIndex::default();
        for (k, p) in patterns.iter().enumerate() {
            let mut key: Option<u32> = None;
            for &l in p.required.iter() {
                if key.is_none_or(|b| lit_len(l) > lit_len(b)) {
                    key = Some(l);
                }
            }
            match key {
                Some(l) => ix.keyed.push((l, k as u32)),
                None => ix.free.push(k as u32),
            }
        }
        ix.keyed.sort_unstable();
        let mut keys: Vec<u32> = ix.keyed.iter().map(|&(l, _)| l).collect();
        keys.dedup();
        let bits = (keys.len() * 16).next_power_of_two().clamp(64, 1 << 16);
        ix.shift = 32 - bits.trailing_zeros();
        ix.bloom = vec![0u64; bits / 64];
        for &l in &keys {
            let h = ix.hash(l);
            set_bit(&mut ix.bloom, h);
        }
        ix
    }

    #[inline]
    fn hash(&self, l: u32) -> usize {
        (l.wrapping_mul(0x9E37_79B9) >> self.shift) as usize
    }

    /// The patterns whose key literal is one of `lits` and those without required literals,
    /// in pattern order, into `out`.
    pub fn candidates(&self, lits: &[(u32, bool)], out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.free);
        let before = out.len();
        for &(l, _) in lits {
            let h = self.hash(l);
            if !has_bit(&self.bloom, h) {
                continue;
            }
            let lo = self.keyed.partition_point(|&(k, _)| k < l);
            for &(k, p) in self.keyed.get(lo..).unwrap_or(&[]) {
                if k != l {
                    break;
                }
                out.push(p);
            }
        }
        if out.len() > before {
            out.sort_unstable();
            out.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trie_finds_every_prefix_shortest_first() {
        let lits: Vec<String> = [
            "a",
            "ab",
            "abc",
            "abd",
            "b",
            "ba",
            "negotiat",
            "negotiation",
            "u.s.",
            "l'",
            "l'e",
            "été",
            "ét",
            "zz",
            "$",
            "1",
            "12",
            "123",
            "x-y",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let trie = LiteralTrie::build(&lits);
        let words = [
            "a",
            "abcd",
            "abd",
            "abx",
            "b",
            "bab",
            "negotiations",
            "negotiat",
            "u.s.",
            "l'est",
            "été",
            "étés",
            "zzz",
            "$5",
            "1234",
            "x-y",
            "",
            "q",
            "ab",
            "négociation",
        ];
        for w in words {
            let mut got = Vec::new();
            trie.prefixes(w.as_bytes(), |l, n| got.push((l, n)));
            let mut want: Vec<(u32, usize)> = lits
                .iter()
                .enumerate()
                .filter(|(_, l)| w.starts_with(l.as_str()))
                .map(|(i, l)| (i as u32, l.len()))
                .collect();
            want.sort_by_key(|&(_, n)| n);
            assert_eq!(got, want, "{w}");
        }
        // a large trie: many families placed at once
        let many: Vec<String> = (0..5000).map(|i| format!("w{}x{}", i % 97, i)).collect();
        let trie = LiteralTrie::build(&many);
        for (i, l) in many.iter().enumerate() {
            let mut got = Vec::new();
            trie.prefixes(l.as_bytes(), |k, n| got.push((k, n)));
            assert!(got.contains(&(i as u32, l.len())), "{l}");
        }
    }

    #[test]
    fn free_map_finds_the_next_free_slot() {
        let mut m = FreeMap::default();
        for i in 0..200 {
            if i != 70 && i != 150 {
                m.take(i);
            }
        }
        assert_eq!(m.next_free(0), 70);
        assert_eq!(m.next_free(71), 150);
        assert_eq!(m.next_free(151), 200);
        assert_eq!(m.next_free(5000), 5000);
        for i in 200..64 * 70 {
            m.take(i);
        }
        assert_eq!(m.next_free(151), 64 * 70);
    }

    fn lit(l: u32, conn: u16) -> PElem {
        PElem {
            e: Elem::Lit(l),
            conn,
        }
    }

    fn el(e: Elem) -> PElem {
        PElem { e, conn: 0 }
    }

    #[test]
    fn required_literals_leave_out_what_may_be_skipped() {
        // `- A * B { C | D } E`: A, B and E are required, C and D are not
        let p = [
            lit(1, 0),
            el(Elem::Verb),
            lit(2, 0),
            el(Elem::Open),
            lit(3, 0),
            el(Elem::Or),
            lit(4, 0),
            el(Elem::Close),
            lit(5, 0),
            el(Elem::End),
        ];
        assert_eq!(&*required_literals(&p), &[1, 2, 5]);
        // before the verb, a synset and an earlier `|`: the matcher may jump over A
        let p = [
            el(Elem::Open),
            lit(3, 0),
            el(Elem::Or),
            lit(4, 0),
            el(Elem::Close),
            lit(1, 0),
            el(Elem::Synset(0)),
            el(Elem::Verb),
            lit(2, 0),
            el(Elem::End),
        ];
        assert_eq!(&*required_literals(&p), &[2]);
        // nested alternatives: nothing is required
        let p = [
            el(Elem::Verb),
            el(Elem::Open),
            el(Elem::Open),
            lit(3, 0),
            el(Elem::Close),
            el(Elem::Close),
            lit(2, 0),
            el(Elem::End),
        ];
        assert!(required_literals(&p).is_empty());
    }
}
