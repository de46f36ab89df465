//! TABARI's coder: verbs in clauses, the pattern matcher, source and target rules, events.
//!
//! The matcher follows TABARI's `checkPattern` state machine: the part of a pattern after
//! `*` is matched forward from the end of the verb ("upper" match), the part before it
//! backward from the start of the verb ("lower" match). Each element is matched in "full"
//! (whole word) or "partial" (prefix) mode and with or without skipping words, as its
//! connectors say; alternatives `{ a | b }` are tried in order, without backtracking once
//! an option has matched.

use std::borrow::Cow;

use super::compile::{
    Elem, Ev, EvSpec, PElem, PatCode, RootData, TabariEngine, TimeCode, C_BLANK, C_COMPLEX,
    C_DISCARD, C_NULL, PARTIAL_BIT, SKIP_BIT, SYN_BIT, WT,
};
use super::options::{CodeMode, TabariOptions};
use super::parse::{Sent, TagK};
use super::{Date, Outcome, TabariEvent};

/// Where the default actors are "found".
const DEFAULT_LOC: usize = usize::MAX;
/// TABARI's `MAX_EVENTS`.
const MAX_EVENTS: usize = 64;

/// An actor as the coder holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Act {
    actor: u32,
    agent: u32,
    /// Coded compound (`[FRO/BIL/SAM]`): the actor set + 1.
    index: u32,
    at: usize,
    root: Option<u32>,
}

impl Act {
    const EMPTY: Act = Act {
        actor: 0,
        agent: 0,
        index: 0,
        at: 0,
        root: None,
    };

    fn is_empty(&self) -> bool {
        self.actor == 0 && self.agent == 0 && self.index == 0
    }

    fn same(&self, o: &Act) -> bool {
        self.actor == o.actor && self.agent == o.agent && self.index == o.index
    }
}

#[derive(Clone, Debug)]
struct EvRec<'e> {
    source: u32,
    srcagt: u32,
    srcidx: u32,
    srcloc: usize,
    target: u32,
    taragt: u32,
    taridx: u32,
    tarloc: usize,
    event: u32,
    sub: bool,
    dom: bool,
    isevt: bool,
    evtloc: usize,
    rule: &'e str,
}

/// The matcher's state (TABARI's `checkPattern` globals).
struct M<'e> {
    pat: &'e [PElem],
    pt: isize,
    loc: isize,
    is_high: bool,
    fskip: bool,
    full: bool,
    fcond: bool,
    cond_loc: isize,
    cond_len: i32,
    cond_fskip: bool,
    lenalt: i32,
}

impl<'e> M<'e> {
    fn elem_at(&self, i: isize) -> PElem {
        if i < 0 {
            // before the pattern: TABARI reads the previous phrase's end marker
            return PElem {
                e: Elem::End,
                conn: 0,
            };
        }
        self.pat.get(i as usize).copied().unwrap_or(PElem {
            e: Elem::End,
            conn: 0,
        })
    }

    fn cur(&self) -> PElem {
        self.elem_at(self.pt)
    }
}

pub(crate) struct CodeResult {
    pub outcome: Outcome,
    pub events: Vec<TabariEvent>,
    pub date: Date,
}

pub(crate) struct Coder<'a, 'e> {
    s: &'a Sent<'e>,
    e: &'e TabariEngine,
    o: &'a TabariOptions,
    date: Date,
    extra_codes: Vec<String>,
    default_src: u32,
    default_tgt: u32,
    events: Vec<EvRec<'e>>,
    src: Act,
    tgt: Act,
    reg_src: bool,
    reg_tgt: bool,
    passive: bool,
    istart: usize,
    iend: usize,
    first_clause: bool,
    m: M<'e>,
    index_source: Option<usize>,
    index_target: Option<usize>,
    index_compound: Option<usize>,
    has_discard: bool,
    has_complex: bool,
    discard: bool,
    complex: Option<String>,
    /// Candidate patterns of a verb (re-used).
    pat_buf: Vec<u32>,
}

thread_local! {
    /// The candidate-pattern buffer, re-used from one sentence to the next.
    static PAT_BUF: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Drop for Coder<'_, '_> {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.pat_buf);
        let _ = PAT_BUF.try_with(|b| {
            if let Ok(mut b) = b.try_borrow_mut() {
                *b = buf;
            }
        });
    }
}

impl<'a, 'e> Coder<'a, 'e> {
    pub fn new(s: &'a Sent<'e>, o: &'a TabariOptions) -> Self {
        let e = s.eng;
        let mut c = Coder {
            s,
            e,
            o,
            date: s.date,
            extra_codes: Vec::new(),
            default_src: 0,
            default_tgt: 0,
            events: Vec::new(),
            src: Act::EMPTY,
            tgt: Act::EMPTY,
            reg_src: false,
            reg_tgt: false,
            passive: false,
            istart: 0,
            iend: 0,
            first_clause: true,
            m: M {
                pat: &[],
                pt: 0,
                loc: 0,
                is_high: true,
                fskip: false,
                full: true,
                fcond: false,
                cond_loc: 0,
                cond_len: 0,
                cond_fskip: false,
                lenalt: 0,
            },
            index_source: None,
            index_target: None,
            index_compound: None,
            has_discard: false,
            has_complex: false,
            discard: s.discard,
            complex: s.complex.clone(),
            pat_buf: PAT_BUF
                .try_with(|b| b.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)))
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default(),
        };
        if let Some(d) = &o.default_source {
            c.default_src = c.extra_code(d);
        }
        if let Some(d) = &o.default_target {
            c.default_tgt = c.extra_code(d);
        }
        c
    }

    fn extra_code(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.e.codes.iter().position(|c| c == s).as_ref() {
            return i as u32;
        }
        self.extra_codes.push(s.to_string());
        (self.e.codes.len() + self.extra_codes.len() - 1) as u32
    }

    fn code_str(&self, i: u32) -> &str {
        let i = i as usize;
        if i < self.e.codes.len() {
            &self.e.codes[i]
        } else {
            self.extra_codes
                .get(i - self.e.codes.len())
                .map_or("", String::as_str)
        }
    }

    /// TABARI's `codeEvents`.
    pub fn code(mut self, time_on: bool) -> CodeResult {
        if let Some(err) = &self.s.error {
            return self.finish(Outcome::InputError(Cow::Owned(err.clone())), Vec::new());
        }
        if time_on {
            self.check_time();
        }
        if self.discard {
            return self.finish(
                Outcome::Discard(Cow::Borrowed("Discard code found in text")),
                Vec::new(),
            );
        }
        if let Some(c) = self.complex.clone() {
            return self.finish(Outcome::Complex(Cow::Owned(c)), Vec::new());
        }
        self.check_verbs();
        if self.events.is_empty() {
            return self.finish(
                Outcome::NoEvents(Cow::Borrowed("No events found in text")),
                Vec::new(),
            );
        }
        self.evaluate_events();
        if self.events.is_empty() {
            return self.finish(
                Outcome::NoEvents(Cow::Borrowed("Only null events found in text")),
                Vec::new(),
            );
        }
        if self.has_discard {
            return self.finish(
                Outcome::Discard(Cow::Borrowed("Discard code found in verb pattern")),
                Vec::new(),
            );
        }
        if self.has_complex {
            return self.finish(
                Outcome::Complex(Cow::Borrowed("Complex code found in verb pattern")),
                Vec::new(),
            );
        }
        self.expand_compound_codes();
        let out = self.event_strings();
        if out.is_empty() {
            return self.finish(
                Outcome::NoEvents(Cow::Borrowed("No valid events found in text")),
                Vec::new(),
            );
        }
        self.finish(Outcome::Coded, out)
    }

    fn finish(self, outcome: Outcome, events: Vec<TabariEvent>) -> CodeResult {
        CodeResult {
            outcome,
            events,
            date: self.date,
        }
    }

    // --------------------------------------------------------------------------------------
    // time

    /// TABARI's `checkTime`: the first time phrase (or one of its patterns) that is not
    /// null shifts the date, discards or makes the sentence complex.
    fn check_time(&mut self) {
        let s = self.s;
        self.istart = 0;
        self.iend = s.n.saturating_sub(1);
        let mut index = 0usize;
        while index < s.n {
            if s.has_head(index, TagK::W(WT::Time)) {
                let set = s
                    .iroot(index)
                    .and_then(|r| self.e.roots.get(r as usize))
                    .and_then(|r| match r.data {
                        RootData::Time(t) => self.e.time_sets.get(t),
                        _ => None,
                    });
                if let Some(set) = set {
                    for p in &set.patterns {
                        if self.check_pattern(&p.elems, index, WT::Time) && self.shift_date(p.code)
                        {
                            return;
                        }
                    }
                    if self.shift_date(set.code) {
                        return;
                    }
                    while !s.has_tail(index, TagK::W(WT::Time)) && index < s.n {
                        index += 1;
                    }
                }
            }
            index += 1;
        }
    }

    fn shift_date(&mut self, code: PatCode) -> bool {
        match code {
            PatCode::Time(TimeCode::Shift(n)) => {
                self.date = Date::from_days(self.date.to_days() + n);
                true
            }
            PatCode::Time(TimeCode::Discard) => {
                self.discard = true;
                true
            }
            PatCode::Time(TimeCode::Complex) => {
                self.complex = Some("Complex text: Complex code in time-shift phrase".to_string());
                true
            }
            _ => false,
        }
    }

    // --------------------------------------------------------------------------------------
    // actors

    /// TABARI's `getActorStructCodes`: the codes of the actor root at `loc` (following
    /// dereferenced pronouns), on the current date.
    fn actor_codes(&self, mut loc: usize) -> Act {
        let s = self.s;
        let mut guard = 0;
        while s.has_head(loc, TagK::W(WT::Pronoun)) && guard < 8 {
            match s.reference(loc) {
                Some(r) => loc = r,
                None => break,
            }
            guard += 1;
        }
        let Some(root) = s.iroot(loc) else {
            return Act::EMPTY;
        };
        let mut a = Act {
            actor: 0,
            agent: 0,
            index: 0,
            at: loc,
            root: Some(root),
        };
        match self.e.roots.get(root as usize).map(|r| r.data) {
            Some(RootData::Actor(set)) => {
                if let Some(m) = self.e.actor_codes(set, self.date) {
                    if let Some(&(actor, agent)) = m.first() {
                        a.actor = actor;
                        a.agent = agent;
                    }
                    if m.len() > 1 {
                        a.index = set as u32 + 1;
                    }
                }
            }
            Some(RootData::Agent(code)) => a.actor = code,
            _ => {}
        }
        a
    }

    fn is_former(&self, i: isize) -> bool {
        i >= 0
            && self.s.wti(i) == WT::Adjctv
            && self.s.iroot(i as usize) == Some(self.e.root_former)
    }

    fn agent_code(&self, i: usize) -> u32 {
        match self
            .s
            .iroot(i)
            .and_then(|r| self.e.roots.get(r as usize))
            .map(|r| r.data)
        {
            Some(RootData::Agent(c)) => c,
            _ => 0,
        }
    }

    /// TABARI's `findAgent`: an agent right after the actor, else right before it (across
    /// `IN`/`OF`); `FORMER` next to them makes the agent `~ELI`.
    fn find_agent(&self, loc: usize, a: &mut Act) {
        let s = self.s;
        let agent = TagK::W(WT::Agent);
        let mut tloc = self.actor_tail(loc) as isize;
        let li = loc as isize;
        let mut former = false;
        if self.is_former(tloc + 1) {
            former = true;
            tloc += 1;
        }
        if li > 0 && !former && self.is_former(li - 1) {
            former = true;
        }
        let after = (tloc + 1) as usize;
        if s.wt(after) == WT::Agent && s.has_head(after, agent) {
            a.agent = if former {
                self.e.code_elite
            } else {
                self.agent_code(after)
            };
            return;
        }
        let mut l = li;
        if s.wti(l - 1) == WT::Prep {
            l -= 1;
        }
        if s.wti(l - 1) == WT::Agent && l >= 1 && s.has_tail((l - 1) as usize, agent) {
            let mut st = l - 1;
            while st >= 0 && !s.has_head(st as usize, agent) {
                st -= 1;
            }
            if st >= 0 {
                if st > 0 && !former && self.is_former(st - 1) {
                    former = true;
                }
                a.agent = if former {
                    self.e.code_elite
                } else {
                    self.agent_code(st as usize)
                };
                return;
            }
        }
        a.agent = 0;
    }

    /// TABARI's `findActor`: the next actor head at or after `loc` in the clause.
    fn find_actor(&self, mut loc: usize) -> Option<(usize, Act)> {
        let s = self.s;
        while loc <= self.iend && loc < s.n {
            if s.wt(loc) == WT::Actor && s.has_head(loc, TagK::W(WT::Actor)) {
                let mut a = self.actor_codes(loc);
                self.find_agent(loc, &mut a);
                return Some((loc, a));
            }
            loc += 1;
        }
        None
    }

    /// TABARI's `backActor`: the actor at or before `loc` in the clause. Returns where the
    /// search should go on (before the actor's head, or before the pronoun that referred to
    /// it) and the actor.
    fn back_actor(&self, loc: isize) -> Option<(isize, Act)> {
        let s = self.s;
        let mut loc = loc;
        while loc >= self.istart as isize && loc >= 0 {
            if s.wt(loc as usize) == WT::Actor {
                let (head, found) = self.actor_head(loc as usize);
                if !found {
                    return None;
                }
                let mut a = self.actor_codes(head);
                self.find_agent(head, &mut a);
                return Some(((head as isize).min(loc) - 1, a));
            }
            loc -= 1;
        }
        None
    }

    /// TABARI's `getActorHead` (following a dereferenced pronoun).
    fn actor_head(&self, loc: usize) -> (usize, bool) {
        let s = self.s;
        let mut loc = loc;
        if s.has_head(loc, TagK::W(WT::Pronoun)) {
            loc = s.reference(loc).unwrap_or(0);
        }
        let mut st = loc as isize;
        while st >= 0 && !s.has_head(st as usize, TagK::W(WT::Actor)) {
            st -= 1;
        }
        if st < 0 {
            (loc, false)
        } else {
            (st as usize, true)
        }
    }

    /// TABARI's `getActorTail`.
    fn actor_tail(&self, loc: usize) -> usize {
        let s = self.s;
        if s.has_head(loc, TagK::W(WT::Pronoun)) {
            return loc;
        }
        let mut l = loc;
        while l < self.iend && !s.has_tail(l, TagK::W(WT::Actor)) {
            l += 1;
        }
        l
    }

    fn set_default_source(&mut self) {
        self.src = Act {
            actor: self.default_src,
            agent: 0,
            index: 0,
            at: DEFAULT_LOC,
            root: None,
        };
        self.reg_src = true;
    }

    fn set_default_target(&mut self) {
        self.tgt = Act {
            actor: self.default_tgt,
            agent: 0,
            index: 0,
            at: DEFAULT_LOC,
            root: None,
        };
        self.reg_tgt = true;
    }

    /// TABARI's `getRegularSource`: the first actor of the clause that is not the target.
    fn regular_source(&mut self, index: usize) {
        let mut loc = self.istart;
        while let Some((at, a)) = self.find_actor(loc) {
            if self.o.default_prior && at > index && self.o.default_source.is_some() {
                self.set_default_source();
                return;
            }
            if !a.same(&self.tgt) {
                self.src = a;
                self.reg_src = true;
                return;
            }
            loc = at + 1;
        }
        if self.o.default_source.is_some() {
            self.set_default_source();
        }
    }

    /// TABARI's `getRegularTarget`: the first actor after the verb that is not the source,
    /// else (unless `AFTER`) the last one before it; a compound source is its own target.
    fn regular_target(&mut self, index: usize) {
        let mut loc = index + 1;
        while let Some((at, a)) = self.find_actor(loc) {
            if !a.same(&self.src) {
                self.tgt = a;
                self.reg_tgt = true;
                return;
            }
            loc = at + 1;
        }
        if self.o.default_after && self.o.default_target.is_some() {
            self.set_default_target();
            return;
        }
        let mut l = index as isize - 1;
        while let Some((next, a)) = self.back_actor(l) {
            if !a.same(&self.src) {
                self.tgt = a;
                return;
            }
            l = next;
        }
        if self.src.index != 0 || self.s.cell(self.src.at).compd {
            self.tgt = self.src;
        } else if self.o.default_source.is_some() && self.o.default_target.is_some() {
            self.set_default_target();
        }
    }

    /// TABARI's `checkPassive`: `BY` within three words after the verb and `WAS`/`WERE`/
    /// `BEEN` one or two words before it.
    fn check_passive(&mut self, index: usize) -> bool {
        let s = self.s;
        if !(1..=3).any(|k| s.wt(index + k) == WT::Byword) {
            return false;
        }
        let p = (index >= 1 && s.wt(index - 1) == WT::Auxil)
            || (index >= 2 && s.wt(index - 2) == WT::Auxil);
        if p {
            self.passive = true;
        }
        p
    }

    // --------------------------------------------------------------------------------------
    // verbs

    /// TABARI's `checkVerbs`: the verbs of each clause, until the first non-subordinate
    /// event (per clause or per sentence) unless `CODE ALL`.
    fn check_verbs(&mut self) {
        let s = self.s;
        self.src = Act::EMPTY;
        self.passive = false;
        self.first_clause = true;
        let mode = self.o.code_mode;
        let mut start_event = 0usize;
        while self.clause_bounds() {
            if self.iend < self.istart + 2 {
                continue;
            }
            if self.istart > 0 && s.has_head(self.istart, TagK::W(WT::Actor)) {
                self.src = self.actor_codes(self.istart);
            }
            self.tgt = Act::EMPTY;
            let mut index = self.istart;
            let mut got = false;
            if mode == CodeMode::Clause {
                start_event = self.events.len();
            }
            while index <= self.iend {
                if let Some(idx) = s.head_idx(index, TagK::Subord) {
                    while !s.has_tail_idx(index, TagK::Subord, idx) && index < s.n {
                        index += 1;
                    }
                    index += 1;
                    continue;
                }
                if s.has_head(index, TagK::W(WT::Verb)) {
                    self.do_verb(index);
                    if mode != CodeMode::All {
                        let found = self
                            .events
                            .iter()
                            .skip(start_event)
                            .any(|e| e.isevt && !e.sub);
                        if found {
                            got = true;
                            if mode == CodeMode::Sentence {
                                return;
                            }
                        }
                    }
                }
                if got {
                    break;
                }
                index += 1;
            }
        }
    }

    /// TABARI's `setClauseBounds`.
    fn clause_bounds(&mut self) -> bool {
        let s = self.s;
        let last = s.n.saturating_sub(1);
        if !s.has_clauses || self.o.ignore_conj {
            if !self.first_clause {
                return false;
            }
            self.first_clause = false;
            self.istart = 0;
            self.iend = last;
            return true;
        }
        if self.first_clause {
            self.first_clause = false;
            self.istart = 0;
        } else {
            let mut st = self.iend + 1;
            while st <= last && !s.has_head(st, TagK::Clause) {
                st += 1;
            }
            if st > last {
                return false;
            }
            self.istart = st;
        }
        let mut e = self.istart;
        while !s.has_tail(e, TagK::Clause) && e < s.n {
            e += 1;
        }
        self.iend = e.min(last);
        true
    }

    /// TABARI's `doVerb`: the verb's patterns longest first; a pattern with alternatives
    /// keeps looking for a longer match; the verb's own code when no pattern matches.
    fn do_verb(&mut self, index: usize) {
        let s = self.s;
        self.tgt = Act::EMPTY;
        if self.passive {
            self.src = Act::EMPTY;
            self.passive = false;
        }
        let Some(set) = s
            .iroot(index)
            .and_then(|r| self.e.roots.get(r as usize))
            .and_then(|r| match r.data {
                RootData::Verb(v) => self.e.verb_sets.get(v),
                _ => None,
            })
        else {
            return;
        };
        let mut got_pat = false;
        let mut got_alt = false;
        let old_n = self.events.len();
        let mut maxlen = 0i32;
        // With a pattern index, only the patterns whose key literal the sentence has are
        // tried (the others would fail); they come in pattern order.
        let mut cands = std::mem::take(&mut self.pat_buf);
        cands.clear();
        let brute = super::index::brute_force();
        let pindex = set.index.as_ref().filter(|_| !brute);
        if let Some(ix) = pindex {
            ix.candidates(&s.lit_buf, &mut cands);
        }
        let tried = if pindex.is_some() {
            cands.len()
        } else {
            set.patterns.len()
        };
        let mut last: Option<usize> = None;
        let mut broke = false;
        for t in 0..tried {
            let k = if pindex.is_some() {
                cands.get(t).map_or(usize::MAX, |&c| c as usize)
            } else {
                t
            };
            let Some(p) = set.patterns.get(k) else {
                continue;
            };
            last = Some(k);
            if got_alt && p.length <= maxlen {
                broke = true;
                got_pat = true;
                break;
            }
            if !brute && !s.has_all(&p.required) {
                continue; // it cannot match: trying it would fail
            }
            self.index_source = None;
            self.index_target = None;
            self.index_compound = None;
            if !self.check_pattern(&p.elems, index, WT::Verb) {
                continue;
            }
            let mut make = false;
            if self.m.lenalt != 0 {
                got_alt = true;
                if p.length + self.m.lenalt > maxlen {
                    make = true;
                    maxlen = p.length - p.maxalt + self.m.lenalt;
                }
            } else {
                got_alt = false;
                got_pat = true;
                make = true;
            }
            if make {
                if let Some(i) = self.index_source {
                    let mut a = self.actor_codes(i);
                    self.find_agent(i, &mut a);
                    self.src = a;
                }
                if let Some(i) = self.index_target {
                    let mut a = self.actor_codes(i);
                    self.find_agent(i, &mut a);
                    self.tgt = a;
                }
                if let Some(i) = self.index_compound {
                    self.src = self.actor_codes(i);
                    self.tgt = self.actor_codes(i);
                }
                self.events.truncate(old_n);
                self.make_event(p.code, index, &p.rule);
            }
            if got_pat {
                broke = true;
                break;
            }
        }
        self.pat_buf = cands;
        if !broke && got_alt && pindex.is_some() {
            // the patterns after the last one tried were skipped: the first of them no
            // longer than the best match would have stopped the search
            let after = last.map_or(0, |j| j + 1);
            if after < set.patterns.len() && set.patterns.last().is_some_and(|p| p.length <= maxlen)
            {
                got_pat = true;
            }
        }
        if !got_pat {
            self.index_source = None;
            self.index_target = None;
            self.index_compound = None;
            self.make_event(set.code, index, &set.rule);
        }
    }

    /// TABARI's `makeEvent`.
    fn make_event(&mut self, code: PatCode, index: usize, rule: &'e str) {
        let PatCode::Event(spec) = code else {
            return;
        };
        if spec.is_null() {
            return;
        }
        if self.src.is_empty() {
            self.regular_source(index);
        }
        if self.tgt.is_empty() {
            self.regular_target(index);
        }
        if self.src.is_empty() || self.tgt.is_empty() {
            return;
        }
        if self.reg_src && self.reg_tgt && self.check_passive(index) {
            std::mem::swap(&mut self.src, &mut self.tgt);
        }
        let s = self.s;
        let src_c = s.cell(self.src.at).compd;
        let tgt_c = s.cell(self.tgt.at).compd;
        if !src_c && !tgt_c {
            let (a, b) = (self.src, self.tgt);
            self.put_event(spec, index, a, b, rule);
        } else if !self.expand_syntactic(spec, index, rule) {
            return;
        }
        if !self.reg_src {
            self.src = Act::EMPTY;
        }
        if !self.reg_tgt {
            self.tgt = Act::EMPTY;
        }
    }

    /// The events of a syntactic compound source and/or target. `false` when the compound
    /// tags do not correspond (TABARI then stops).
    fn expand_syntactic(&mut self, spec: EvSpec, index: usize, rule: &'e str) -> bool {
        let s = self.s;
        let actor = TagK::W(WT::Actor);
        let mut cmpd_src =
            s.cell(self.src.at).compd && s.check_tail_tag(self.src.at, TagK::Compound);
        let mut idx_src = self.src.at;
        loop {
            let tsrc = if idx_src == DEFAULT_LOC {
                self.src
            } else {
                let mut a = self.actor_codes(idx_src);
                self.find_agent(idx_src, &mut a);
                a
            };
            let mut cmpd_tgt =
                s.cell(self.tgt.at).compd && s.check_tail_tag(self.tgt.at, TagK::Compound);
            let mut idx_tgt = self.tgt.at;
            loop {
                let ttgt = if idx_tgt == DEFAULT_LOC {
                    self.tgt
                } else {
                    let mut a = self.actor_codes(idx_tgt);
                    self.find_agent(idx_tgt, &mut a);
                    a
                };
                self.put_event(spec, index, tsrc, ttgt, rule);
                if !cmpd_tgt {
                    break;
                }
                let Some(next) = self.next_member(idx_tgt) else {
                    return false;
                };
                idx_tgt = next;
                let mut ka = idx_tgt;
                while !s.has_tail(ka, actor) {
                    ka += 1;
                    if ka >= s.n {
                        return false;
                    }
                }
                if s.has_tail(ka, TagK::Compound) {
                    cmpd_tgt = false;
                }
            }
            if !cmpd_src {
                break;
            }
            let Some(next) = self.next_member(idx_src) else {
                return false;
            };
            idx_src = next;
            let mut ka = idx_src;
            while !s.has_tail(ka, actor) {
                ka += 1;
                if ka >= s.n {
                    return false;
                }
            }
            if s.has_tail(ka, TagK::Compound) {
                cmpd_src = false;
            }
        }
        true
    }

    /// The next actor head of a compound after `i`.
    fn next_member(&self, i: usize) -> Option<usize> {
        let s = self.s;
        let mut k = i + 1;
        while s.iroot(k).is_none() || s.wt(k) != WT::Actor {
            k += 1;
            if k >= s.n {
                return None;
            }
        }
        Some(k)
    }

    /// TABARI's `putEvent`: the event and, for a paired code, the reversed event.
    fn put_event(&mut self, spec: EvSpec, index: usize, a: Act, b: Act, rule: &'e str) {
        let mk = |ev: Ev, s: &Act, t: &Act| EvRec {
            source: s.actor,
            srcagt: s.agent,
            srcidx: s.index,
            srcloc: s.at,
            target: t.actor,
            taragt: t.agent,
            taridx: t.index,
            tarloc: t.at,
            event: ev.code,
            sub: ev.sub,
            dom: ev.dom,
            isevt: true,
            evtloc: index,
            rule,
        };
        if let Some(f) = spec.first {
            if self.events.len() < MAX_EVENTS {
                self.events.push(mk(f, &a, &b));
            }
        }
        if let Some(p) = spec.pair {
            if self.events.len() < MAX_EVENTS {
                self.events.push(mk(p, &b, &a));
            }
        }
    }

    // --------------------------------------------------------------------------------------
    // the pattern matcher

    /// TABARI's `checkPattern` for the pattern `elems` of the root at `loc`.
    fn check_pattern(&mut self, elems: &'e [PElem], loc: usize, wtype: WT) -> bool {
        let s = self.s;
        self.m.lenalt = 0;
        self.m.fcond = false;
        self.m.pat = elems;
        let Some(pverb) = elems.iter().position(|x| x.e == Elem::Verb) else {
            return false;
        };
        self.m.pt = pverb as isize;
        let mut l = loc;
        while s.wt(l) != WT::Halt && !s.has_tail(l, TagK::W(wtype)) && l < s.n {
            l += 1;
        }
        self.m.loc = l as isize;
        // upper match
        self.m.is_high = true;
        let mut state = self.next_check();
        while state == 2 {
            let cur = self.m.cur();
            let result = if cur.conn & SYN_BIT != 0 {
                self.comp_synset()
            } else {
                if cur.e == Elem::Open {
                    self.init_condit();
                }
                self.comp_target()
            };
            state = self.state_check(result);
            if state == 0 && self.m.fcond {
                self.cond_check(&mut state);
            }
        }
        if state == 0 {
            return false;
        }
        if pverb == 0 {
            return true;
        }
        // lower match
        self.m.is_high = false;
        self.m.pt = pverb as isize;
        self.m.loc = loc as isize;
        state = self.next_check();
        while state == 2 {
            let cur = self.m.cur();
            let result = if cur.conn & SYN_BIT != 0 {
                self.save_state();
                let r = loop {
                    let r = self.comp_synset();
                    if r != 0 || self.continue_check() == 0 {
                        break r;
                    }
                };
                if r == 0 {
                    self.m.fcond = false;
                    self.restore_state();
                }
                r
            } else {
                if cur.e == Elem::Close {
                    self.init_condit();
                }
                self.comp_target()
            };
            state = self.state_check(result);
            if state == 0 && self.m.fcond {
                self.cond_check(&mut state);
            }
        }
        state != 0
    }

    fn save_state(&mut self) {
        self.m.fcond = true;
        self.m.cond_loc = self.m.loc;
        self.m.cond_len = self.m.lenalt;
        self.m.cond_fskip = self.m.fskip;
    }

    fn restore_state(&mut self) {
        self.m.loc = self.m.cond_loc;
        self.m.lenalt = self.m.cond_len;
        self.m.fskip = self.m.cond_fskip;
    }

    fn init_condit(&mut self) {
        self.save_state();
        if self.m.is_high {
            self.m.pt += 1;
        } else {
            self.m.pt -= 1;
        }
    }

    /// TABARI's `condCheck`: the current option failed; try the next one.
    fn cond_check(&mut self, state: &mut i32) {
        if self.m.is_high {
            loop {
                match self.m.cur().e {
                    Elem::Or => break,
                    Elem::Close | Elem::End => return,
                    _ => self.m.pt += 1,
                }
            }
        } else {
            loop {
                if self.m.pt < 0 {
                    return;
                }
                match self.m.cur().e {
                    Elem::Or => break,
                    Elem::Open => return,
                    _ => self.m.pt -= 1,
                }
            }
        }
        self.restore_state();
        if self.m.is_high {
            self.m.pt += 1;
        } else {
            self.m.pt -= 1;
        }
        self.m.full = self.m.cur().conn & PARTIAL_BIT == 0;
        *state = 2;
    }

    /// TABARI's `compSynset`: any member of the synset matches here.
    fn comp_synset(&mut self) -> i32 {
        let Elem::Synset(id) = self.m.cur().e else {
            return 0;
        };
        let Some(members) = self.e.synsets.get(id as usize) else {
            return 0;
        };
        for p in members {
            let r = self.check_sub_pattern(&p.elems);
            if r != 0 {
                return r;
            }
        }
        0
    }

    /// TABARI's `checksubPattern`: a synset member at the current position, in the current
    /// direction, starting with the current modes. The position is restored afterwards.
    fn check_sub_pattern(&mut self, elems: &'e [PElem]) -> i32 {
        let save_pat = self.m.pat;
        let save_pt = self.m.pt;
        let save_loc = self.m.loc;
        self.m.pat = elems;
        self.m.pt = 0;
        let mut state = 2;
        if self.m.is_high {
            while state == 2 {
                let result = if self.m.cur().conn & SYN_BIT != 0 {
                    self.comp_synset()
                } else {
                    self.comp_target()
                };
                state = self.state_check(result);
            }
        } else {
            while state == 2 {
                let result = if self.m.cur().conn & SYN_BIT != 0 {
                    self.save_state();
                    let r = loop {
                        let r = self.comp_synset();
                        if r != 0 || self.continue_check() == 0 {
                            break r;
                        }
                    };
                    if r == 0 {
                        self.m.fcond = false;
                        self.restore_state();
                    }
                    r
                } else {
                    self.comp_target()
                };
                state = self.state_check(result);
            }
        }
        self.m.pat = save_pat;
        self.m.pt = save_pt;
        self.m.loc = save_loc;
        if state != 0 {
            2
        } else {
            0
        }
    }

    /// TABARI's `compTarget`: 0 no match, 1 partial, 2 exact (or an actor).
    fn comp_target(&mut self) -> i32 {
        let s = self.s;
        if self.m.loc < 0 {
            return 0;
        }
        let loc = self.m.loc as usize;
        let cur = self.m.cur();
        let actor_here = s.wt(loc) == WT::Actor;
        let mut fmatch = false;
        match cur.e {
            Elem::Lit(l) => {
                let r = s.lit_match(loc, l);
                if r > 0 && self.m.fcond {
                    self.m.lenalt += self.e.lit_len(l) as i32;
                }
                return r as i32;
            }
            Elem::Source if actor_here => {
                let (h, f) = self.actor_head(loc);
                fmatch = f;
                self.index_source = Some(h);
            }
            Elem::Target if actor_here => {
                let (h, f) = self.actor_head(loc);
                fmatch = f;
                self.index_target = Some(h);
            }
            Elem::Skip if actor_here => {
                if self.m.is_high {
                    let (_, f) = self.actor_head(loc);
                    fmatch = f;
                    if f {
                        self.m.loc = self.actor_tail(loc) as isize;
                    }
                } else {
                    let (h, f) = self.actor_head(loc);
                    fmatch = f;
                    self.m.loc = h as isize;
                }
            }
            Elem::Compound
                if s.has_head(loc, TagK::Compound) && s.check_tail_tag(loc, TagK::Compound) =>
            {
                self.index_compound = Some(loc);
                fmatch = true;
            }
            _ => {}
        }
        if fmatch {
            2
        } else {
            0
        }
    }

    /// TABARI's `continueCheck`: move in the text, same element.
    fn continue_check(&mut self) -> i32 {
        if self.m.is_high {
            self.m.loc += 1;
            if self.m.loc > self.iend as isize {
                return 0;
            }
        } else {
            self.m.loc -= 1;
            if self.m.loc < 0 {
                return 0;
            }
        }
        2
    }

    /// TABARI's `nextCheck`: next element and next word. 0 end of text, 1 end of pattern,
    /// 2 continue.
    fn next_check(&mut self) -> i32 {
        if self.m.is_high {
            if self.m.fcond {
                let next = self.m.elem_at(self.m.pt + 1).e;
                if matches!(next, Elem::Or | Elem::Close) {
                    self.m.fcond = false;
                    while !matches!(self.m.cur().e, Elem::Close | Elem::End) {
                        self.m.pt += 1;
                    }
                }
            }
            self.m.fskip = self.m.cur().conn & SKIP_BIT != 0;
            self.m.pt += 1;
            if self.m.cur().e == Elem::End {
                return 1;
            }
            self.m.loc += 1;
            if self.m.loc > self.iend as isize {
                return 0;
            }
        } else {
            self.m.pt -= 1;
            if self.m.pt < 0 {
                return 1;
            }
            if self.m.fcond && matches!(self.m.cur().e, Elem::Or | Elem::Open) {
                self.m.fcond = false;
                while self.m.pt >= 0 && self.m.cur().e != Elem::Open {
                    self.m.pt -= 1;
                }
                self.m.pt -= 1;
            }
            self.m.fskip = self.m.cur().conn & SKIP_BIT != 0;
            self.m.loc -= 1;
            if self.m.loc < 0 {
                return 0;
            }
        }
        self.m.full = self.m.cur().conn & PARTIAL_BIT == 0;
        2
    }

    /// TABARI's `stateCheck`: 0 failed, 1 succeeded, 2 continue.
    fn state_check(&mut self, result: i32) -> i32 {
        let ok = if self.m.full {
            result == 2
        } else {
            result != 0
        };
        if ok {
            self.next_check()
        } else if self.m.fskip {
            self.continue_check()
        } else {
            0
        }
    }

    // --------------------------------------------------------------------------------------
    // events

    /// TABARI's `evaluateEvents`: null, discard, complex, dominant and subordinate codes.
    fn evaluate_events(&mut self) {
        let mut non_sub = false;
        let mut has_dom = false;
        let mut has_null = false;
        for ev in self.events.iter_mut() {
            if ev.event == C_NULL {
                ev.isevt = false;
                ev.sub = true;
                has_null = true;
            }
            if ev.event == C_DISCARD {
                self.has_discard = true;
                break;
            }
            if ev.event == C_COMPLEX || ev.source == C_COMPLEX || ev.target == C_COMPLEX {
                self.has_complex = true;
                break;
            }
            if ev.dom {
                has_dom = true;
                non_sub = true;
                break;
            }
            if !non_sub && !ev.sub {
                non_sub = true;
            }
        }
        if has_dom {
            for ev in self.events.iter_mut() {
                if !ev.dom {
                    ev.isevt = false;
                }
            }
        } else if non_sub {
            for ev in self.events.iter_mut() {
                if ev.sub {
                    ev.isevt = false;
                }
            }
        }
        if has_dom || non_sub || has_null {
            self.events.retain(|e| e.isevt);
        }
    }

    fn members(&self, index: u32) -> Vec<(u32, u32)> {
        if index == 0 {
            return Vec::new();
        }
        self.e
            .actor_codes(index as usize - 1, self.date)
            .map(<[_]>::to_vec)
            .unwrap_or_default()
    }

    /// TABARI's `expandCompoundCodes`: one event per member of a coded compound
    /// (`[FRO/BIL/SAM]`), sources first, then targets.
    fn expand_compound_codes(&mut self) {
        let mut out: Vec<EvRec<'e>> = Vec::with_capacity(self.events.len());
        let events = std::mem::take(&mut self.events);
        for mut ev in events {
            if ev.srcidx != 0 {
                let m = self.members(ev.srcidx);
                ev.srcidx = 0;
                if let Some(&(a, g)) = m.first() {
                    ev.source = a;
                    ev.srcagt = g;
                }
                out.push(ev.clone());
                for &(a, g) in m.iter().skip(1) {
                    let mut c = ev.clone();
                    c.source = a;
                    c.srcagt = g;
                    out.push(c);
                }
            } else {
                out.push(ev);
            }
        }
        let mut fin: Vec<EvRec<'e>> = Vec::with_capacity(out.len());
        for mut ev in out {
            if ev.taridx != 0 {
                let m = self.members(ev.taridx);
                ev.taridx = 0;
                if let Some(&(a, g)) = m.first() {
                    ev.target = a;
                    ev.taragt = g;
                }
                fin.push(ev.clone());
                for &(a, g) in m.iter().skip(1) {
                    let mut c = ev.clone();
                    c.target = a;
                    c.taragt = g;
                    if self.same_actors(&c) || fin.iter().any(|x| dup(x, &c)) {
                        continue;
                    }
                    fin.push(c);
                }
            } else {
                fin.push(ev);
            }
        }
        self.events = fin;
    }

    /// TABARI's `checkSameActors`: null or special codes, or source = target.
    fn same_actors(&self, e: &EvRec<'_>) -> bool {
        if e.source <= C_BLANK || e.target <= C_BLANK {
            return true;
        }
        if self.o.same_actors {
            return false;
        }
        e.source == e.target && e.srcagt == e.taragt
    }

    /// TABARI's `addCompositeCode`: actor code plus agent code.
    fn composite(&self, actor: u32, agent: u32) -> String {
        let act = self.code_str(actor);
        if agent == 0 {
            return act.to_string();
        }
        let agt = self.code_str(agent);
        if let Some(suffix) = agt.strip_prefix('~') {
            let mut s = act.to_string();
            let aligned = act.find(suffix).is_some_and(|p| p % 3 == 0);
            if !aligned {
                s.push_str(suffix);
            }
            s
        } else {
            let prefix = agt.strip_suffix('~').unwrap_or(agt);
            let aligned = act.find(prefix).is_some_and(|p| p % 3 == 0);
            if aligned {
                act.to_string()
            } else {
                format!("{prefix}{act}")
            }
        }
    }

    /// TABARI's `makeEventStrings`: drops same-actor and duplicate events.
    fn event_strings(&self) -> Vec<TabariEvent> {
        let mut out = Vec::new();
        let mut kept: Vec<&EvRec<'e>> = Vec::new();
        for ev in &self.events {
            if self.same_actors(ev) || kept.iter().any(|k| dup(k, ev)) {
                continue;
            }
            kept.push(ev);
            out.push(TabariEvent {
                source: self.composite(ev.source, ev.srcagt),
                target: self.composite(ev.target, ev.taragt),
                code: self.code_str(ev.event).to_string(),
                verb_span: self.span_of(ev.evtloc, TagK::W(WT::Verb)),
                source_span: self.span_of(ev.srcloc, TagK::W(WT::Actor)),
                target_span: self.span_of(ev.tarloc, TagK::W(WT::Actor)),
                rule: ev.rule.to_string(),
            });
        }
        out
    }

    /// The text span of the root at `loc` (up to its tail tag of kind `k`).
    fn span_of(&self, loc: usize, k: TagK) -> Option<[usize; 2]> {
        let s = self.s;
        if loc >= s.n {
            return None;
        }
        let mut t = loc;
        while t + 1 < s.n && !s.has_tail(t, k) {
            t += 1;
        }
        if !s.has_tail(t, k) {
            t = loc;
        }
        s.span(loc, t)
    }
}

fn dup(a: &EvRec<'_>, b: &EvRec<'_>) -> bool {
    a.source == b.source
        && a.srcagt == b.srcagt
        && a.target == b.target
        && a.taragt == b.taragt
        && a.event == b.event
}
