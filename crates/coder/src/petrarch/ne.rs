//! Noun phrases as actors.
//!
//! An **entity** (PETRARCH's "NE") is a noun phrase that is flat enough to name one actor or
//! a list of actors: an `NP` whose nested structure goes at most one prepositional phrase
//! deep and holds no clause (`Osgiliath soldiers in south Ithilen`, `the ambassadors of
//! Arnor, Osgiliath and Gondor`, `Ithilen and the government of Gondor`). Deeper noun
//! phrases are not entities themselves; their parts are.
//!
//! Inside an entity, actor and agent phrases are found left to right, longest first (a
//! phrase may run across the entity's parts, `the Prince of Dol Amroth`). The entity's
//! **members** (one code each) then follow its structure:
//!
//! * a list (`A, B and C`, `A and the government of B`) gives the members of each part;
//! * a head with a prepositional phrase (`the government of Gondor`, `soldiers from
//!   Gondor`, `lawmakers in A and B`) is the head when the head names an actor, else the
//!   actors of the phrase combined with the head's agents (`GONGOV`, `GONMIL`,
//!   `ALEG`, `BLEG`);
//! * anything else is read flat: split at conjunctions between nouns (`Danish media and
//!   government`), each part taking its first actor and all its agents; a part with agents
//!   but no actor inherits the actor (and modifier agents) of the first part (`DNKMED`,
//!   `DNKGOV`).
//!
//! A member's code is its actor's code on the sentence date (or `---`), with each agent
//! code added after it (`~GOV`) or before it (`NGO~`), three letters at a time, skipping
//! codes already present on a three-letter boundary (`USAGOV` + `~GOV` stays `USAGOV`).

use super::dict::Dicts;
use super::tree::Tree;

/// One entity of a sentence.
#[derive(Clone, Debug)]
pub(crate) struct Ne {
    pub node: usize,
    /// Token span `[first, end)`.
    pub first: usize,
    pub end: usize,
    /// Member codes (at least one; `---` when nothing is known).
    pub members: Vec<String>,
    /// Whether the entity names at least one actor or agent.
    pub coded: bool,
}

impl Ne {
    pub fn compound(&self) -> bool {
        self.members.len() > 1
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Actor(usize),
    Agent(usize),
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Clone, Debug, Default)]
struct Mem {
    actor: Option<usize>,
    /// Later actors of the same part (`Chinese President Xi`): one that refines the first
    /// actor's code (`CHN` -> `CHNGOV`) replaces it.
    more: Vec<usize>,
    agents: Vec<usize>,
    /// Token span of the member (for new actors).
    first: usize,
    end: usize,
}

/// Finds the entities of a tree.
pub(crate) fn entities(
    t: &Tree,
    d: &Dicts,
    date: u32,
    new_actor_length: usize,
    deleted: &[bool],
) -> Vec<Ne> {
    let mut nodes = Vec::new();
    find(t, 0, &mut nodes);
    let mut out = Vec::new();
    for n in nodes {
        let (first, end) = (t.nodes[n].first, t.nodes[n].end);
        if first >= end || (first..end).all(|k| deleted.get(k).copied().unwrap_or(false)) {
            continue;
        }
        let hits = find_hits(t, d, first, end);
        let mems = members(t, n, &hits);
        let mut codes: Vec<String> = Vec::new();
        let single = mems.len() == 1;
        for m in &mems {
            let c = member_code(d, m, date);
            if c == "---" && new_actor_length > 0 {
                // an unknown noun phrase may become an actor named by its words
                let (a, b) = if single {
                    (first, end)
                } else {
                    (m.first, m.end)
                };
                let words: Vec<&str> = (a..b)
                    .filter(|&k| is_word(&t.toks[k].pos))
                    .map(|k| t.toks[k].upper.as_str())
                    .collect();
                if !words.is_empty() && words.len() <= new_actor_length {
                    codes.push(format!("\"{}\"", words.join(" ")));
                    continue;
                }
            }
            // a coded compound actor (`ELR/GAL`) stands for each of its members
            codes.extend(c.split('/').filter(|x| !x.is_empty()).map(str::to_string));
        }
        let coded = codes.iter().any(|c| c != "---");
        if coded {
            codes.retain(|c| c != "---");
        }
        let mut uniq: Vec<String> = Vec::new();
        for c in codes {
            if !uniq.contains(&c) {
                uniq.push(c);
            }
        }
        if uniq.is_empty() {
            uniq.push("---".to_string());
        }
        out.push(Ne {
            node: n,
            first,
            end,
            members: uniq,
            coded,
        });
    }
    out
}

fn is_word(pos: &str) -> bool {
    pos != "POS" && pos.chars().any(|c| c.is_ascii_alphanumeric())
}

fn is_noun(pos: &str) -> bool {
    pos.starts_with("NN") || pos == "PRP" || pos == "CD"
}

fn is_np(label: &str) -> bool {
    matches!(label, "NP" | "NX" | "NML")
}

/// Collects entity nodes: the highest noun phrases that are flat enough.
fn find(t: &Tree, n: usize, out: &mut Vec<usize>) {
    if t.is_leaf(n) {
        return;
    }
    if is_np(t.label(n)) && depth(t, n, 0).is_some_and(|d| d <= 1) {
        out.push(n);
        return;
    }
    for &c in &t.nodes[n].children {
        find(t, c, out);
    }
}

/// How many prepositional phrases deep a noun phrase goes; `None` when it holds a clause
/// or anything else that is not part of a name.
fn depth(t: &Tree, n: usize, guard: usize) -> Option<u32> {
    if guard > 40 {
        return None;
    }
    let mut d = 0;
    for &c in &t.nodes[n].children {
        if t.is_leaf(c) {
            continue;
        }
        let l = t.label(c);
        if is_np(l) {
            d = d.max(depth(t, c, guard + 1)?);
        } else if l == "PP" {
            let mut nps = 0;
            for &g in &t.nodes[c].children {
                if t.is_leaf(g) {
                    continue;
                }
                if is_np(t.label(g)) {
                    nps += 1;
                    d = d.max(depth(t, g, guard + 1)? + 1);
                } else {
                    return None;
                }
            }
            if nps != 1 {
                return None;
            }
        } else if matches!(l, "ADJP" | "QP" | "ADVP" | "NAC" | "UCP" | "PRN" | "CONJP") {
            if !flat(t, c, guard + 1) {
                return None;
            }
        } else {
            return None;
        }
    }
    Some(d)
}

/// Only words and word-level phrases below.
fn flat(t: &Tree, n: usize, guard: usize) -> bool {
    if guard > 40 {
        return false;
    }
    t.nodes[n].children.iter().all(|&c| {
        t.is_leaf(c)
            || (matches!(t.label(c), "ADJP" | "QP" | "ADVP" | "NAC" | "CONJP")
                && flat(t, c, guard + 1))
    })
}

/// Tokens that may come between the words of a blank-separated dictionary phrase.
fn skippable(pos: &str) -> bool {
    pos.starts_with("JJ")
        || pos.starts_with("NN")
        || pos == "VBN"
        || pos == "VBG"
        || pos == "CD"
        || pos.starts_with("RB")
}

/// Length (tokens) of a phrase match starting at `i`, or `None`.
fn match_phrase(t: &Tree, p: &super::dict::Phrase, i: usize, end: usize) -> Option<usize> {
    let mut k = i;
    for (j, w) in p.words.iter().enumerate() {
        if j > 0 {
            let mut tries = if p.gap[j - 1] { 3 } else { 1 };
            loop {
                if k >= end {
                    return None;
                }
                if &t.toks[k].upper == w {
                    break;
                }
                tries -= 1;
                if tries == 0 || !skippable(&t.toks[k].pos) {
                    return None;
                }
                k += 1;
            }
        } else if k >= end || &t.toks[k].upper != w {
            return None;
        }
        k += 1;
    }
    Some(k - i)
}

/// Actor and agent phrases in `[first, end)`, left to right, longest first.
fn find_hits(t: &Tree, d: &Dicts, first: usize, end: usize) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = first;
    while i < end {
        let w = &t.toks[i].upper;
        let mut best: Option<(usize, Kind)> = None;
        for (p, id) in d.actors.starting_with(w) {
            if let Some(n) = match_phrase(t, p, i, end) {
                if best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, Kind::Actor(*id)));
                }
            }
        }
        for (p, id) in d.agents.starting_with(w) {
            if let Some(n) = match_phrase(t, p, i, end) {
                if best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, Kind::Agent(*id)));
                }
            }
        }
        match best {
            Some((n, kind)) => {
                hits.push(Hit {
                    start: i,
                    end: i + n,
                    kind,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    hits
}

/// The members of noun phrase `n`.
fn members(t: &Tree, n: usize, hits: &[Hit]) -> Vec<Mem> {
    members_at(t, n, hits, 0)
}

fn members_at(t: &Tree, n: usize, hits: &[Hit], guard: usize) -> Vec<Mem> {
    let node = &t.nodes[n];
    if guard > 40 || t.is_leaf(n) {
        return flat_members(t, node.first, node.end, hits);
    }
    let kids = &node.children;
    let np_kids: Vec<usize> = kids
        .iter()
        .copied()
        .filter(|&c| !t.is_leaf(c) && is_np(t.label(c)))
        .collect();
    let has_cc = kids.iter().any(|&c| matches!(t.label(c), "CC" | "CONJP"));
    if has_cc && np_kids.len() >= 2 {
        let mut out = Vec::new();
        for &c in kids {
            if t.is_leaf(c) {
                let pos = t.label(c);
                if is_noun(pos) && pos != "CD" {
                    out.extend(flat_members(t, t.nodes[c].first, t.nodes[c].end, hits));
                }
            } else if is_np(t.label(c)) {
                out.extend(members_at(t, c, hits, guard + 1));
            }
        }
        return out;
    }
    let first_np = kids
        .first()
        .copied()
        .filter(|&c| !t.is_leaf(c) && is_np(t.label(c)));
    let pp = kids
        .iter()
        .copied()
        .find(|&c| !t.is_leaf(c) && t.label(c) == "PP");
    if let (Some(h), Some(pp)) = (first_np, pp) {
        let head = members_at(t, h, hits, guard + 1);
        if head.iter().any(|m| m.actor.is_some()) {
            return head;
        }
        let inner = t.nodes[pp]
            .children
            .iter()
            .copied()
            .find(|&g| !t.is_leaf(g) && is_np(t.label(g)));
        if let Some(inner) = inner {
            let p = members_at(t, inner, hits, guard + 1);
            if p.iter().any(|m| m.actor.is_some()) {
                let mut out = Vec::new();
                for hm in &head {
                    for pm in p.iter().filter(|m| m.actor.is_some()) {
                        let mut agents = hm.agents.clone();
                        agents.extend(pm.agents.iter().copied());
                        out.push(Mem {
                            actor: pm.actor,
                            more: pm.more.clone(),
                            agents,
                            first: hm.first.min(pm.first),
                            end: hm.end.max(pm.end),
                        });
                    }
                }
                return out;
            }
        }
        return head;
    }
    flat_members(t, node.first, node.end, hits)
}

/// Members of a flat run of tokens: split at conjunctions (and list commas) between nouns.
fn flat_members(t: &Tree, first: usize, end: usize, hits: &[Hit]) -> Vec<Mem> {
    let mut cuts: Vec<usize> = Vec::new();
    let noun_before = |k: usize| k > first && is_noun(&t.toks[k - 1].pos);
    // a list conjunction: after a noun, or after the comma of `A, B, and C`
    let list_cc = |k: usize| {
        t.toks[k].pos == "CC"
            && (noun_before(k) || (k > first + 1 && t.toks[k - 1].pos == "," && noun_before(k - 1)))
    };
    let has_cc = (first..end).any(list_cc);
    for k in first..end {
        let pos = t.toks[k].pos.as_str();
        if (list_cc(k) || (pos == "," && has_cc)) && noun_before(k) {
            cuts.push(k);
        } else if list_cc(k) && cuts.last() == Some(&(k - 1)) {
            // `, and`: one cut
            cuts.push(k);
        }
    }
    let mut segs: Vec<(usize, usize)> = Vec::new();
    let mut a = first;
    for &c in &cuts {
        if c > a {
            segs.push((a, c));
        }
        a = c + 1;
    }
    if end > a {
        segs.push((a, end));
    }
    if segs.is_empty() {
        segs.push((first, end));
    }
    let mut out: Vec<Mem> = segs
        .iter()
        .map(|&(a, b)| {
            let mut m = Mem {
                first: a,
                end: b,
                ..Mem::default()
            };
            for h in hits.iter().filter(|h| h.start >= a && h.start < b) {
                match h.kind {
                    Kind::Actor(id) => {
                        if m.actor.is_none() {
                            m.actor = Some(id);
                        } else {
                            m.more.push(id);
                        }
                    }
                    Kind::Agent(id) => m.agents.push(id),
                }
            }
            m
        })
        .collect();
    if out.len() > 1 {
        // a part with agents but no actor takes the first part's actor and modifiers
        let (a0, b0) = segs[0];
        let lead_actor = out[0].actor;
        let lead_mods: Vec<usize> = hits
            .iter()
            .filter(|h| h.start >= a0 && h.end < b0 && matches!(h.kind, Kind::Agent(_)))
            .filter_map(|h| match h.kind {
                Kind::Agent(id) => Some(id),
                Kind::Actor(_) => None,
            })
            .collect();
        if lead_actor.is_some() {
            for m in out.iter_mut().skip(1) {
                if m.actor.is_none() && !m.agents.is_empty() {
                    m.actor = lead_actor;
                    let mut ag = lead_mods.clone();
                    ag.extend(m.agents.iter().copied());
                    m.agents = ag;
                }
            }
        }
    }
    out
}

/// The code of a member on `date`.
fn member_code(d: &Dicts, m: &Mem, date: u32) -> String {
    let mut code = match m.actor {
        Some(a) => d.actor_recs[a].code_on(date).to_string(),
        None => "---".to_string(),
    };
    for &a in &m.more {
        let c = d.actor_recs[a].code_on(date);
        if c.len() > code.len() && c.starts_with(code.as_str()) && code != "---" {
            code = c.to_string();
        }
    }
    for &g in &m.agents {
        let ag = &d.agent_recs[g];
        code = add_agent(&code, &ag.code, ag.prefix);
    }
    code
}

/// Adds an agent code to an actor code, three letters at a time, skipping triples already
/// present on a three-letter boundary.
pub(crate) fn add_agent(code: &str, agent: &str, prefix: bool) -> String {
    let has = |c: &str, tri: &str| {
        let b = c.as_bytes();
        (0..b.len() / 3).any(|k| c.get(k * 3..k * 3 + 3) == Some(tri))
    };
    let mut add = String::new();
    let mut k = 0;
    while k < agent.len() {
        let tri = agent.get(k..(k + 3).min(agent.len())).unwrap_or("");
        if !has(code, tri) && !has(&add, tri) {
            add.push_str(tri);
        }
        k += 3;
    }
    if prefix {
        format!("{add}{code}")
    } else {
        format!("{code}{add}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_join_codes() {
        assert_eq!(add_agent("ARN", "GOVFRM", false), "ARNGOVFRM");
        assert_eq!(add_agent("USAGOV", "GOV", false), "USAGOV");
        assert_eq!(add_agent("HGWGOVMED", "GOVMED", false), "HGWGOVMED");
        assert_eq!(add_agent("ARN", "NGO", true), "NGOARN");
        assert_eq!(add_agent("---", "GOV", false), "---GOV");
    }
}
