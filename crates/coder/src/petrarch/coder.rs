//! Coding one parsed sentence: entities, verbs, patterns, sources and targets, events.
//!
//! For each verb of the tree (a `VB*` word directly under a `VP`) that the verb dictionary
//! knows (one-word or multi-word: the longest form whose neighbouring words are there), two
//! word sequences are built:
//!
//! * the **pre-verb** sequence: the words before the verb, except those inside a clause
//!   (`S`, `SBAR`, `VP`, `PRN`, …) that closes before it, unless that clause sits inside a
//!   noun phrase (a relative clause stays with its noun). So "A condemned X and promised
//!   Y" does not see X when coding *promised*, and a preceding quotation is not the
//!   subject of *said*;
//! * the **post-verb** sequence: the rest of the verb's `VP`.
//!
//! Entities appear in both as the words they are made of followed by one *unit* marker.
//! `$`, `+` and `%` match the nearest coded unit in their direction (`%` only a compound),
//! `^` the nearest unit of any kind; words match words, with `_` requiring adjacency.
//! The verb's patterns are tried longest first (expanded synsets count their words); the
//! first one that matches gives the code and the actors it names.
//!
//! Actors a pattern does not name come from the defaults:
//! * **source**: the first coded entity of the pre-verb sequence inside the verb's own
//!   clause, else the first one before the verb (entities in a clause-level prepositional
//!   phrase, `On X, he said`, are not subjects), else the first uncoded one;
//! * **target**: the first coded entity after the verb whose codes differ from the source's,
//!   else the first uncoded one after it; with a `$` after the verb (`recalled its envoy
//!   from $`) the subject is the target;
//! * a **passive** verb (`was opposed by X`) takes its source from the `BY` phrase and its
//!   target from the subject;
//! * a **compound** source with no coded target acts on itself (`A and B met`: A–B, B–A);
//! * no entity at all on one side: nothing is coded (even without `require_dyad`).
//!
//! Compound entities give one event per member pair (self-pairs dropped); a paired code
//! `[A:B]` gives source→target A and target→source B. A verb with an event code that is not
//! subordinate claims its verb phrase: the verbs inside are not coded on their own, except
//! through the verb file's transformations (see the module documentation).

use dyad_dict::formats::pattern::{CodeKind, CodeSpec};

use super::dict::{codes_event, Dicts, El, VerbForm};
use super::ne::{entities, Ne};
use super::tree::{is_clause, Tree};
use super::{Outcome, PetrEvent, PetrarchOptions};

/// An item of a verb's sequences: a word (token index) or an entity unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum It {
    W(usize),
    U(usize),
}

#[derive(Clone, Copy, Debug, Default)]
struct Binds {
    source: Option<usize>,
    target: Option<usize>,
    /// A `%` unit, and whether it was before the verb.
    compound: Option<(usize, bool)>,
}

pub(crate) struct SentenceCoder<'a> {
    t: &'a Tree,
    d: &'a Dicts,
    o: &'a PetrarchOptions,
    nes: Vec<Ne>,
    /// The entity whose last token is at each index.
    ne_by_end: Vec<Option<usize>>,
    deleted: Vec<bool>,
    pub trace: Vec<String>,
    tracing: bool,
}

/// What coding one verb gives.
#[derive(Default)]
struct VerbOut {
    /// Events kept (`require_dyad` applied).
    events: Vec<PetrEvent>,
    /// Every source/target pairing, kept or not (what transformations look at).
    raw: Vec<PetrEvent>,
    /// The verb has an event code that is not subordinate: the verbs inside its verb
    /// phrase are not coded on their own.
    claimed: bool,
    /// The verb's block name.
    block: String,
    /// The source codes and tokens.
    source: Vec<String>,
    source_toks: Option<(usize, usize)>,
    verb: (usize, usize),
}

/// What coding a sentence gives.
pub(crate) struct Coded {
    pub outcome: Outcome,
    pub events: Vec<PetrEvent>,
    pub trace: Vec<String>,
}

/// Binds a transformation variable: `.` is any actor, `_` no actor, a letter the same
/// actor wherever it appears.
fn bind_var<'v>(vars: &mut Vec<(&'v str, &'v str)>, var: &'v str, val: &'v str) -> bool {
    match var {
        "." => true,
        "_" => val == "---",
        _ => match vars.iter().find(|(v, _)| *v == var) {
            Some((_, x)) => *x == val,
            None => {
                vars.push((var, val));
                true
            }
        },
    }
}

const BE: &[&str] = &["BE", "IS", "ARE", "WAS", "WERE", "BEEN", "BEING", "AM"];

impl<'a> SentenceCoder<'a> {
    pub fn code(
        t: &'a Tree,
        d: &'a Dicts,
        o: &'a PetrarchOptions,
        date: u32,
        tracing: bool,
    ) -> Coded {
        let n = t.toks.len();
        let mut sc = SentenceCoder {
            t,
            d,
            o,
            nes: Vec::new(),
            ne_by_end: vec![None; n],
            deleted: vec![false; n],
            trace: Vec::new(),
            tracing,
        };
        sc.delete_comma_clauses();
        sc.nes = entities(t, d, date, o.new_actor_length, &sc.deleted);
        for (i, ne) in sc.nes.iter().enumerate() {
            if ne.end > 0 && ne.end <= n {
                sc.ne_by_end[ne.end - 1] = Some(i);
            }
        }
        if tracing {
            for ne in &sc.nes {
                let words: Vec<&str> = (ne.first..ne.end)
                    .map(|k| t.toks[k].text.as_str())
                    .collect();
                sc.trace.push(format!(
                    "entity [{}] -> {}{}",
                    words.join(" "),
                    ne.members.join("/"),
                    if ne.coded { "" } else { " (uncoded)" }
                ));
            }
            let del: Vec<&str> = (0..n)
                .filter(|&k| sc.deleted[k])
                .map(|k| t.toks[k].text.as_str())
                .collect();
            if !del.is_empty() {
                sc.trace
                    .push(format!("comma clauses dropped: {}", del.join(" ")));
            }
        }
        // each verb in sentence order; a verb inside the verb phrase of a verb that claimed
        // it is only coded for the transformations of its claimer
        let transforms = !d.transforms.is_empty();
        let mut owner: Vec<Option<usize>> = vec![None; n];
        let mut outs: Vec<(VerbOut, Option<usize>)> = Vec::new();
        for k in 0..n {
            if sc.deleted[k] {
                continue;
            }
            let nested_in = owner[k];
            if nested_in.is_some() && !transforms {
                continue;
            }
            let tok = &t.toks[k];
            if !tok.pos.starts_with("VB") {
                continue;
            }
            let Some(p) = t.nodes[tok.node].parent.filter(|&p| t.label(p) == "VP") else {
                continue;
            };
            let out = sc.code_verb(k, p);
            let idx = outs.len();
            if out.claimed {
                for o in owner.iter_mut().take(t.nodes[p].end.min(n)).skip(k + 1) {
                    if o.is_none() {
                        *o = Some(nested_in.unwrap_or(idx));
                    }
                }
            }
            outs.push((out, nested_in));
        }
        let mut events: Vec<PetrEvent> = Vec::new();
        for (i, (out, nested_in)) in outs.iter().enumerate() {
            if nested_in.is_some() {
                continue;
            }
            let inner: Vec<(&str, &PetrEvent)> = outs
                .iter()
                .filter(|(_, p)| *p == Some(i))
                .flat_map(|(o, _)| o.raw.iter().map(move |e| (o.block.as_str(), e)))
                .collect();
            match sc.transform(out, &inner) {
                Some(evs) => events.extend(evs),
                None => events.extend(out.events.iter().cloned()),
            }
        }
        // subordinate codes only when nothing else was found
        if events.iter().any(|e| !e.subordinate) {
            events.retain(|e| !e.subordinate);
        }
        let mut uniq: Vec<PetrEvent> = Vec::new();
        for e in events {
            if !uniq
                .iter()
                .any(|u| u.source == e.source && u.target == e.target && u.code == e.code)
            {
                uniq.push(e);
            }
        }
        let outcome = if uniq.is_empty() {
            Outcome::NoEvents
        } else {
            Outcome::Coded
        };
        Coded {
            outcome,
            events: uniq,
            trace: sc.trace,
        }
    }

    // --------------------------------------------------------------------------------------
    // comma-delimited clauses

    fn delete_comma_clauses(&mut self) {
        let t = self.t;
        let o = self.o;
        let n = t.toks.len();
        let commas: Vec<usize> = (0..n)
            .filter(|&k| {
                t.toks[k].pos == ","
                    && t.nodes[t.toks[k].node]
                        .parent
                        .is_none_or(|p| !matches!(t.label(p), "NP" | "NX" | "NML" | "QP" | "ADJP"))
            })
            .collect();
        if commas.is_empty() {
            return;
        }
        let words = |a: usize, b: usize| -> usize {
            (a..b)
                .filter(|&k| t.toks[k].upper.chars().any(|c| c.is_alphanumeric()))
                .count()
        };
        let del = |a: usize, b: usize, min: usize, max: usize, deleted: &mut Vec<bool>| {
            if max == 0 || a >= b {
                return;
            }
            let w = words(a, b);
            if w >= min && w <= max {
                for x in deleted.iter_mut().take(b).skip(a) {
                    *x = true;
                }
            }
        };
        let mut deleted = std::mem::take(&mut self.deleted);
        del(0, commas[0], o.comma_bmin, o.comma_bmax, &mut deleted);
        if commas.len() >= 2 {
            for w in commas.windows(2) {
                del(w[0] + 1, w[1], o.comma_min, o.comma_max, &mut deleted);
            }
            let last = commas[commas.len() - 1];
            del(last + 1, n, o.comma_emin, o.comma_emax, &mut deleted);
        }
        self.deleted = deleted;
    }

    // --------------------------------------------------------------------------------------
    // verbs

    /// The dictionary entry for the verb at token `k`: the longest form whose words around
    /// the verb word are there.
    fn lookup(&self, k: usize) -> Option<(Vec<&'a VerbForm>, usize, usize)> {
        let t = self.t;
        let forms = self.d.verb_forms.get(&t.toks[k].upper)?;
        let fits = |f: &VerbForm| -> bool {
            if f.pre.len() > k || k + 1 + f.post.len() > t.toks.len() {
                return false;
            }
            f.pre
                .iter()
                .enumerate()
                .all(|(j, w)| &t.toks[k - f.pre.len() + j].upper == w)
                && f.post
                    .iter()
                    .enumerate()
                    .all(|(j, w)| &t.toks[k + 1 + j].upper == w)
        };
        let best = forms
            .iter()
            .filter(|f| fits(f))
            .map(|f| f.pre.len() + f.post.len())
            .max()?;
        let chosen: Vec<&VerbForm> = forms
            .iter()
            .filter(|f| fits(f) && f.pre.len() + f.post.len() == best)
            .collect();
        let f0 = chosen[0];
        Some((chosen.clone(), k - f0.pre.len(), k + 1 + f0.post.len()))
    }

    /// Whether token `k` is hidden from a verb starting at `vstart`: inside a clause that
    /// closes before it.
    fn hidden(&self, k: usize, vstart: usize) -> bool {
        let t = self.t;
        // clauses inside a noun phrase (relative clauses) do not hide its words
        let top_np = t
            .ancestors(t.toks[k].node)
            .filter(|&a| matches!(t.label(a), "NP" | "NX" | "NML"))
            .last();
        let from = top_np.unwrap_or(t.toks[k].node);
        t.ancestors(from)
            .any(|a| is_clause(t.label(a)) && t.nodes[a].end <= vstart)
    }

    /// Whether entity `u` lies in a prepositional phrase of a clause (`On X, he said`):
    /// such entities are not subjects.
    fn in_clause_pp(&self, u: usize) -> bool {
        let t = self.t;
        let n = self.nes[u].node;
        let mut prev_pp = false;
        for a in t.ancestors(n) {
            let l = t.label(a);
            if prev_pp && (is_clause(l) || l == "ROOT") {
                return true;
            }
            if matches!(l, "NP" | "NX" | "NML") {
                return false;
            }
            prev_pp = l == "PP";
        }
        false
    }

    /// The innermost clause (`S`, `SINV`, `SQ`) holding token `k`.
    fn clause_of(&self, k: usize) -> Option<usize> {
        let t = self.t;
        t.ancestors(t.toks[k].node)
            .find(|&a| matches!(t.label(a), "S" | "SINV" | "SQ"))
    }

    fn ne_ending_at(&self, k: usize) -> Option<usize> {
        self.ne_by_end.get(k).copied().flatten()
    }

    fn upper_seq(&self, vstart: usize) -> Vec<It> {
        let mut out = Vec::new();
        for k in 0..vstart {
            let shown = !self.deleted[k] && !self.hidden(k, vstart);
            if shown {
                out.push(It::W(k));
            }
            if let Some(ne) = self.ne_ending_at(k) {
                let nef = &self.nes[ne];
                if (nef.first..nef.end).any(|j| !self.deleted[j] && !self.hidden(j, vstart)) {
                    out.push(It::U(ne));
                }
            }
        }
        // an entity that runs into the words of a multi-word verb (`Gondor wire | tapped`)
        if let Some(ne) = self
            .nes
            .iter()
            .position(|ne| ne.first < vstart && ne.end > vstart)
        {
            out.push(It::U(ne));
        }
        out
    }

    fn lower_seq(&self, vend: usize, end: usize) -> Vec<It> {
        let mut out = Vec::new();
        for k in vend..end {
            if !self.deleted[k] {
                out.push(It::W(k));
            }
            if let Some(ne) = self.ne_ending_at(k) {
                if self.nes[ne].first >= vend && !(self.nes[ne].first..=k).all(|j| self.deleted[j])
                {
                    out.push(It::U(ne));
                }
            }
        }
        out
    }

    fn show(&self, seq: &[It]) -> String {
        seq.iter()
            .map(|i| match *i {
                It::W(k) => self.t.toks[k].text.clone(),
                It::U(u) => format!("<{}>", self.nes[u].members.join("/")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn is_passive(&self, vstart: usize) -> bool {
        let t = self.t;
        if t.toks[vstart].pos != "VBN" {
            return false;
        }
        let mut k = vstart;
        while k > 0 {
            k -= 1;
            let p = t.toks[k].pos.as_str();
            if p.starts_with("RB") || p == "CC" {
                continue;
            }
            return (p.starts_with("VB") || p == "MD") && BE.contains(&t.toks[k].upper.as_str());
        }
        false
    }

    /// Codes the verb at token `k` (under verb phrase `vp`): its events, and whether it
    /// claims its verb phrase (an event code that is not subordinate), so that the verbs
    /// inside are not coded on their own.
    fn code_verb(&mut self, k: usize, vp: usize) -> VerbOut {
        let Some((forms, vstart, vend)) = self.lookup(k) else {
            return VerbOut::default();
        };
        let d = self.d;
        let t = self.t;
        let vp_end = t.nodes[vp].end.max(vend);
        let upper = self.upper_seq(vstart);
        let lower = self.lower_seq(vend, vp_end);
        // patterns of every block the verb belongs to, in try order
        let mut pats: Vec<usize> = Vec::new();
        for f in &forms {
            for &p in &d.blocks[d.verbs[f.verb].block].patterns {
                if !pats.contains(&p) {
                    pats.push(p);
                }
            }
        }
        pats.sort_by_key(|&p| d.patterns[p].rank);
        let verb = &d.verbs[forms[forms.len() - 1].verb];
        let mut chosen: Option<(CodeSpec, Binds, String)> = None;
        for &p in &pats {
            let pat = &d.patterns[p];
            let mut b = Binds::default();
            if self.match_pattern(
                pat.upper.as_slice(),
                pat.verb_adj,
                &pat.lower,
                &upper,
                &lower,
                &mut b,
            ) {
                chosen = Some((pat.code.clone(), b, format!("{} {}", pat.rule, verb.name)));
                break;
            }
        }
        let (code, binds, rule) = match chosen {
            Some(c) => c,
            None => match &verb.code {
                Some(c) => (c.clone(), Binds::default(), format!("verb {}", verb.name)),
                None => return VerbOut::default(),
            },
        };
        if self.tracing {
            self.trace.push(format!(
                "verb {} [{}]: before: {} | after: {} => {:?} by {}",
                t.toks[k].text,
                verb.name,
                self.show(&upper),
                self.show(&lower),
                code.kind,
                rule
            ));
        }
        if !codes_event(&code) {
            return VerbOut::default();
        }
        let mut vo = VerbOut {
            claimed: !code.subordinate,
            block: d.blocks[verb.block].name.clone(),
            verb: (vstart, vend),
            ..VerbOut::default()
        };
        // actors
        let upper_units: Vec<usize> = upper
            .iter()
            .filter_map(|i| match i {
                It::U(u) => Some(*u),
                _ => None,
            })
            .collect();
        let lower_units: Vec<usize> = lower
            .iter()
            .filter_map(|i| match i {
                It::U(u) => Some(*u),
                _ => None,
            })
            .collect();
        let clause = self.clause_of(vstart);
        let exclude = binds.target;
        let default_source = || -> Option<usize> {
            let cands: Vec<usize> = upper_units
                .iter()
                .copied()
                .filter(|&u| Some(u) != exclude && !self.in_clause_pp(u))
                .collect();
            // the verb's own clause first, then the whole sentence before the verb
            let own = clause.and_then(|c| {
                let (a, b) = (t.nodes[c].first, t.nodes[c].end);
                cands
                    .iter()
                    .copied()
                    .find(|&u| self.nes[u].coded && self.nes[u].first >= a && self.nes[u].end <= b)
            });
            own.or_else(|| cands.iter().copied().find(|&u| self.nes[u].coded))
                .or_else(|| cands.first().copied())
        };
        let mut both: Option<usize> = None;
        let mut source = binds.source;
        let mut target = binds.target;
        match binds.compound {
            Some((u, true)) if source.is_none() && target.is_none() => both = Some(u),
            Some((u, true)) if source.is_none() => source = Some(u),
            Some((u, false)) if target.is_none() => target = Some(u),
            _ => {}
        }
        let explicit = binds.source.is_some() || binds.target.is_some() || binds.compound.is_some();
        if both.is_none() {
            // passive voice: `X was opposed by Y` is Y acting on X
            if !explicit && self.is_passive(vstart) {
                let by = lower
                    .iter()
                    .position(|i| matches!(i, It::W(w) if t.toks[*w].upper == "BY"));
                let agent = by.and_then(|by| {
                    lower[by..].iter().find_map(|i| match i {
                        It::U(u) => Some(*u),
                        _ => None,
                    })
                });
                if let Some(a) = agent {
                    source = Some(a);
                    target = default_source();
                }
            }
            if source.is_none() {
                source = default_source().filter(|&u| Some(u) != target);
            } else if target.is_none() && binds.source.is_some_and(|s| lower_units.contains(&s)) {
                // a source named after the verb (`recalled its envoy from $`): the subject
                // is the target
                target = default_source().filter(|&u| Some(u) != source);
            }
            if target.is_none() {
                let src_m = source.map(|s| self.nes[s].members.clone());
                let differs =
                    |u: usize| Some(u) != source && Some(&self.nes[u].members) != src_m.as_ref();
                target = lower_units
                    .iter()
                    .copied()
                    .find(|&u| self.nes[u].coded && differs(u))
                    .or_else(|| lower_units.iter().copied().find(|&u| Some(u) != source));
            }
        }
        // a compound source with no coded target acts on itself (`A and B met`)
        if both.is_none() {
            if let Some(s) = source {
                let tgt_coded = target.is_some_and(|g| self.nes[g].coded);
                if self.nes[s].compound() && !tgt_coded && binds.target.is_none() {
                    both = Some(s);
                }
            }
        }
        // no actor at all on one side: nothing to code
        let one_sided = both.is_none() && (source.is_none() || target.is_none());
        if one_sided && source.is_none() && target.is_none() {
            return vo;
        }
        let none = vec!["---".to_string()];
        let (src_codes, tgt_codes) = match both {
            Some(u) => (self.nes[u].members.clone(), self.nes[u].members.clone()),
            None => (
                source.map_or(none.clone(), |u| self.nes[u].members.clone()),
                target.map_or(none.clone(), |u| self.nes[u].members.clone()),
            ),
        };
        let (fwd, back) = match &code.kind {
            CodeKind::Code(c) => (Some(c.clone()), None),
            CodeKind::Paired(a, b) => (a.clone(), b.clone()),
            _ => (None, None),
        };
        let span = |u: Option<usize>| u.map(|u| (self.nes[u].first, self.nes[u].end));
        let (sspan, tspan) = match both {
            Some(u) => (span(Some(u)), span(Some(u))),
            None => (span(source), span(target)),
        };
        vo.source = src_codes.clone();
        vo.source_toks = sspan;
        for s in &src_codes {
            for g in &tgt_codes {
                if s == g {
                    continue;
                }
                for (c, a, b, sa, ta) in [(&fwd, s, g, sspan, tspan), (&back, g, s, tspan, sspan)] {
                    let Some(c) = c else { continue };
                    let ev = PetrEvent {
                        source: a.clone(),
                        target: b.clone(),
                        code: c.clone(),
                        subordinate: code.subordinate,
                        verb: (vstart, vend),
                        source_toks: sa,
                        target_toks: ta,
                        rule: rule.clone(),
                    };
                    if !one_sided && self.keep(a, b) {
                        vo.events.push(ev.clone());
                    }
                    vo.raw.push(ev);
                }
            }
        }
        vo
    }

    /// Applies the verb dictionary's transformations to a verb and the events of the verbs
    /// inside its verb phrase; `None` when none applies.
    fn transform(&self, outer: &VerbOut, inner: &[(&str, &PetrEvent)]) -> Option<Vec<PetrEvent>> {
        if inner.is_empty() || self.d.transforms.is_empty() {
            return None;
        }
        let none = vec!["---".to_string()];
        let sources = if outer.source.is_empty() {
            &none
        } else {
            &outer.source
        };
        let mut out: Vec<PetrEvent> = Vec::new();
        for (block, ie) in inner {
            for a in sources {
                for tr in &self.d.transforms {
                    if tr.outer_verb != outer.block
                        || (tr.inner_verb != "Q" && tr.inner_verb != *block)
                    {
                        continue;
                    }
                    let mut vars: Vec<(&str, &str)> = Vec::new();
                    if !(bind_var(&mut vars, &tr.outer_source, a)
                        && bind_var(&mut vars, &tr.inner_source, &ie.source)
                        && bind_var(&mut vars, &tr.inner_target, &ie.target))
                    {
                        continue;
                    }
                    let get = |var: &str| -> String {
                        vars.iter()
                            .find(|(v, _)| *v == var)
                            .map_or("---".to_string(), |(_, x)| x.to_string())
                    };
                    let (src, tgt) = (get(&tr.result[0]), get(&tr.result[1]));
                    let code = if tr.result[2] == "Q" {
                        ie.code.clone()
                    } else {
                        tr.result[2].clone()
                    };
                    if src == tgt || !self.keep(&src, &tgt) {
                        continue;
                    }
                    out.push(PetrEvent {
                        source: src,
                        target: tgt,
                        code,
                        subordinate: false,
                        verb: outer.verb,
                        source_toks: outer.source_toks,
                        target_toks: ie.target_toks,
                        rule: format!(
                            "transformation {} ({} {} {}) {} <- {}",
                            tr.outer_source,
                            tr.inner_source,
                            tr.inner_target,
                            tr.inner_verb,
                            tr.outer_verb,
                            ie.rule
                        ),
                    });
                    break;
                }
            }
        }
        if out.is_empty() {
            None
        } else {
            Some(out)
        }
    }

    /// Whether an event with these actors is kept (`require_dyad`).
    fn keep(&self, s: &str, g: &str) -> bool {
        if self.o.require_dyad {
            s != "---" && g != "---" && !s.is_empty() && !g.is_empty()
        } else {
            !(s == "---" && g == "---")
        }
    }

    // --------------------------------------------------------------------------------------
    // pattern matching

    #[allow(clippy::too_many_arguments)]
    fn match_pattern(
        &self,
        upper_els: &[El],
        verb_adj: bool,
        lower_els: &[El],
        upper: &[It],
        lower: &[It],
        b: &mut Binds,
    ) -> bool {
        let mut b2 = *b;
        if !self.up(upper_els, upper, upper.len(), &mut b2) {
            return false;
        }
        let mut b3 = b2;
        if !self.down(lower_els, lower, 0, verb_adj, &mut b3) {
            return false;
        }
        *b = b3;
        true
    }

    /// Matches `els` (pre-verb elements) backwards, each before position `lim` of `seq`.
    fn up(&self, els: &[El], seq: &[It], lim: usize, b: &mut Binds) -> bool {
        let Some((e, rest)) = els.split_last() else {
            return true;
        };
        let t = self.t;
        let adj = e.adj();
        match e {
            El::Word(w, _) => {
                let mut j = lim;
                while j > 0 {
                    j -= 1;
                    match seq[j] {
                        It::W(k) => {
                            if &t.toks[k].upper == w {
                                let mut bb = *b;
                                if self.up(rest, seq, j, &mut bb) {
                                    *b = bb;
                                    return true;
                                }
                            }
                            if adj {
                                return false;
                            }
                        }
                        It::U(_) => {}
                    }
                }
                false
            }
            El::Source(_) | El::Target(_) | El::Compound(_) | El::Skip(_) => {
                let mut j = lim;
                while j > 0 {
                    j -= 1;
                    if let It::U(u) = seq[j] {
                        // `$` and `+` name actors: uncoded noun phrases are passed over
                        if !matches!(e, El::Skip(_)) && !self.nes[u].coded {
                            continue;
                        }
                        if adj && j + 1 != lim {
                            return false;
                        }
                        let mut bb = *b;
                        match e {
                            El::Source(_) => bb.source = Some(u),
                            El::Target(_) => bb.target = Some(u),
                            El::Compound(_) => {
                                if !self.nes[u].compound() {
                                    return false;
                                }
                                bb.compound = Some((u, true));
                            }
                            _ => {}
                        }
                        if self.up(rest, seq, j, &mut bb) {
                            *b = bb;
                            return true;
                        }
                        return false;
                    }
                }
                false
            }
            El::Np { mods, head } => {
                let mut j = lim;
                while j > 0 {
                    j -= 1;
                    if let It::W(k) = seq[j] {
                        if &t.toks[k].upper == head && self.np_mods(k, mods) {
                            let mut bb = *b;
                            if self.up(rest, seq, j, &mut bb) {
                                *b = bb;
                                return true;
                            }
                        }
                    }
                }
                false
            }
            El::Pp { prep, inner } => {
                let mut j = lim;
                while j > 0 {
                    j -= 1;
                    if let It::W(k) = seq[j] {
                        if &t.toks[k].upper == prep {
                            let pend = self.pp_end(k, seq, j).min(lim);
                            let mut bb = *b;
                            if self.down(inner, &seq[..pend], j + 1, false, &mut bb)
                                && self.up(rest, seq, j, &mut bb)
                            {
                                *b = bb;
                                return true;
                            }
                        }
                    }
                }
                false
            }
        }
    }

    /// Matches `els` (post-verb elements) forwards from position `pos`; `adj`: the first
    /// element must come first.
    fn down(&self, els: &[El], seq: &[It], pos: usize, adj: bool, b: &mut Binds) -> bool {
        let Some((e, rest)) = els.split_first() else {
            return true;
        };
        let t = self.t;
        let next_adj = e.adj();
        match e {
            El::Word(w, _) => {
                for j in pos..seq.len() {
                    if let It::W(k) = seq[j] {
                        if &t.toks[k].upper == w {
                            let mut bb = *b;
                            if self.down(rest, seq, j + 1, next_adj, &mut bb) {
                                *b = bb;
                                return true;
                            }
                        }
                        if adj {
                            return false;
                        }
                    }
                }
                false
            }
            El::Source(_) | El::Target(_) | El::Compound(_) | El::Skip(_) => {
                for j in pos..seq.len() {
                    if let It::U(u) = seq[j] {
                        if !matches!(e, El::Skip(_)) && !self.nes[u].coded {
                            continue;
                        }
                        if adj {
                            // the entity must start right here
                            let ne = &self.nes[u];
                            let ok = seq[pos..j].iter().all(|i| match i {
                                It::W(k) => *k >= ne.first && *k < ne.end,
                                It::U(_) => false,
                            });
                            if !ok {
                                return false;
                            }
                        }
                        let mut bb = *b;
                        match e {
                            El::Source(_) => bb.source = Some(u),
                            El::Target(_) => bb.target = Some(u),
                            El::Compound(_) => {
                                if !self.nes[u].compound() {
                                    return false;
                                }
                                bb.compound = Some((u, false));
                            }
                            _ => {}
                        }
                        if self.down(rest, seq, j + 1, next_adj, &mut bb) {
                            *b = bb;
                            return true;
                        }
                        return false;
                    }
                }
                false
            }
            El::Np { mods, head } => {
                for j in pos..seq.len() {
                    if let It::W(k) = seq[j] {
                        if &t.toks[k].upper == head && self.np_mods(k, mods) {
                            let mut bb = *b;
                            if self.down(rest, seq, j + 1, false, &mut bb) {
                                *b = bb;
                                return true;
                            }
                        }
                    }
                }
                false
            }
            El::Pp { prep, inner } => {
                for j in pos..seq.len() {
                    if let It::W(k) = seq[j] {
                        if &t.toks[k].upper == prep {
                            let pend = self.pp_end(k, seq, j);
                            let mut bb = *b;
                            if self.down(inner, &seq[..pend], j + 1, false, &mut bb)
                                && self.down(rest, seq, j + 1, false, &mut bb)
                            {
                                *b = bb;
                                return true;
                            }
                        }
                    }
                }
                false
            }
        }
    }

    /// Whether the modifiers `mods` come, in order, before head token `k` in its noun
    /// phrase.
    fn np_mods(&self, k: usize, mods: &[String]) -> bool {
        if mods.is_empty() {
            return true;
        }
        let t = self.t;
        let np = t
            .ancestors(t.toks[k].node)
            .find(|&a| matches!(t.label(a), "NP" | "NX" | "NML"));
        let first = np.map_or(k, |a| t.nodes[a].first);
        let mut m = mods.len();
        let mut j = k;
        while j > first && m > 0 {
            j -= 1;
            if t.toks[j].upper == mods[m - 1] {
                m -= 1;
            }
        }
        m == 0
    }

    /// The sequence position where the prepositional phrase of preposition token `k`
    /// (at position `j`) ends.
    fn pp_end(&self, k: usize, seq: &[It], j: usize) -> usize {
        let t = self.t;
        let pp = t.nodes[t.toks[k].node]
            .parent
            .filter(|&p| t.label(p) == "PP");
        let Some(pp) = pp else {
            return seq.len();
        };
        let end = t.nodes[pp].end;
        let mut x = j + 1;
        while x < seq.len() {
            let inside = match seq[x] {
                It::W(w) => w < end,
                It::U(u) => self.nes[u].end <= end,
            };
            if !inside {
                break;
            }
            x += 1;
        }
        x
    }
}
