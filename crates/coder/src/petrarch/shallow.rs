//! A shallow parser for plain text, so that the engine can code sentences that come
//! without a Treebank parse.
//!
//! It is deliberately simple: a tokeniser close to the Penn Treebank's (`'s` and `n't`
//! split off, abbreviations kept), a part-of-speech guesser that knows English function
//! words and asks the verb dictionary which words can be verbs, and a chunker that builds
//! the tree shapes the coder reads: noun phrases (with one level of `of`/`in`/`from`
//! attachment and `A, B and C` lists), prepositional phrases, verb chains
//! (`will not wire tap`), embedded clauses (`that …`, `to …`, `X can …`), coordinated verb
//! phrases (`condemned … and promised …`) and a trailing reporting clause (`…, officials
//! said`), which becomes its own clause.

use super::dict::Dicts;
use super::tree::Tree;

const DET: &[&str] = &[
    "THE", "A", "AN", "THIS", "THESE", "THOSE", "EACH", "EVERY", "SOME", "ANY", "NO", "ALL",
    "BOTH", "ANOTHER", "SUCH", "NEITHER", "EITHER",
];
const POSSESSIVE: &[&str] = &["ITS", "HIS", "HER", "THEIR", "OUR", "MY", "YOUR"];
const PRONOUN: &[&str] = &[
    "HE", "SHE", "IT", "THEY", "WE", "I", "YOU", "HIM", "THEM", "US", "ME", "ONE",
];
const PREP: &[&str] = &[
    "OF",
    "IN",
    "ON",
    "AT",
    "BY",
    "FOR",
    "WITH",
    "FROM",
    "INTO",
    "ONTO",
    "AGAINST",
    "ABOUT",
    "OVER",
    "UNDER",
    "AFTER",
    "BEFORE",
    "DURING",
    "SINCE",
    "BETWEEN",
    "AMONG",
    "THROUGH",
    "TOWARD",
    "TOWARDS",
    "NEAR",
    "WITHOUT",
    "WITHIN",
    "ACROSS",
    "ALONG",
    "AROUND",
    "UPON",
    "VIA",
    "DESPITE",
    "AMID",
    "PER",
    "UNTIL",
    "BEYOND",
    "BEHIND",
    "OUTSIDE",
    "INSIDE",
    "FOLLOWING",
    "AMONGST",
    "TO",
];
const CONJ: &[&str] = &["AND", "OR", "NOR", "BUT"];
const MODAL: &[&str] = &[
    "WILL", "WOULD", "CAN", "COULD", "MAY", "MIGHT", "MUST", "SHALL", "SHOULD", "WO", "CA",
];
const AUX: &[&str] = &[
    "BE", "IS", "ARE", "WAS", "WERE", "BEEN", "BEING", "AM", "HAS", "HAVE", "HAD", "HAVING", "DO",
    "DOES", "DID",
];
const ADVERB: &[&str] = &[
    "NOT",
    "N'T",
    "NEVER",
    "ALSO",
    "AGAIN",
    "NOW",
    "STILL",
    "ALREADY",
    "JUST",
    "EVEN",
    "EVER",
    "SOON",
    "THEN",
    "YET",
    "VERY",
    "TOO",
    "ALMOST",
    "RECENTLY",
    "LATER",
    "EARLIER",
    "TODAY",
    "YESTERDAY",
    "TOMORROW",
    "HERE",
    "THERE",
    "ABOUT",
];
/// Nouns of time: `next week`, `last month`, `Thursday` alone are not actors.
const TIME_NOUN: &[&str] = &[
    "WEEK",
    "WEEKS",
    "MONTH",
    "MONTHS",
    "YEAR",
    "YEARS",
    "WEEKEND",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "NIGHT",
    "DAY",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];
const TIME_MOD: &[&str] = &["NEXT", "LAST", "THIS", "EARLY", "LATE", "EARLIER", "LATER"];

/// Irregular past forms that are verbs even after an adjective.
const PAST: &[&str] = &[
    "SAID", "MET", "LEFT", "TOLD", "SENT", "HELD", "MADE", "TOOK", "GAVE", "WENT", "CAME", "SAW",
    "FOUGHT", "STRUCK", "SHOT", "KEPT", "BROKE", "SOUGHT", "BROUGHT", "WON", "LOST",
];
/// Endings of words read as adjectives when nothing else is known.
const ADJ_SUFFIX: &[&str] = &["IC", "OUS", "IVE", "FUL", "ARIAN", "ARY", "ABLE", "IBLE"];
const SUBORD: &[&str] = &[
    "THAT", "WHETHER", "IF", "BECAUSE", "WHILE", "WHEN", "ALTHOUGH", "THOUGH", "AS", "WHERE",
    "WHICH", "WHO", "UNLESS",
];

/// A token with its guessed tag.
#[derive(Clone, Debug)]
struct T {
    text: String,
    upper: String,
    span: [usize; 2],
    tag: &'static str,
}

/// Splits a sentence into Treebank-like tokens with byte spans.
fn tokenize(s: &str) -> Vec<(String, [usize; 2])> {
    let mut out = Vec::new();
    let push = |a: usize, b: usize, out: &mut Vec<(String, [usize; 2])>| {
        if a < b {
            if let Some(w) = s.get(a..b) {
                out.push((w.to_string(), [a, b]));
            }
        }
    };
    for (start, word) in split_ws(s) {
        let end = start + word.len();
        let mut a = start;
        let mut b = end;
        // leading punctuation
        let mut lead = Vec::new();
        while a < b {
            let c = s[a..b].chars().next().unwrap_or(' ');
            if matches!(c, '"' | '(' | '[' | '{' | '\'' | '`' | '“' | '‘') {
                lead.push((a, a + c.len_utf8()));
                a += c.len_utf8();
            } else {
                break;
            }
        }
        // trailing punctuation
        let mut trail = Vec::new();
        while b > a {
            let c = s[a..b].chars().next_back().unwrap_or(' ');
            // keep the dot of abbreviations (`U.S.`)
            let is_final_dot = c == '.' && !s[a..b - 1].contains('.');
            if matches!(
                c,
                '"' | ')' | ']' | '}' | ',' | ';' | ':' | '!' | '?' | '”' | '’'
            ) || (c == '.' && is_final_dot)
                || (c == '\'' && b - a > 1 && !s[a..b].to_ascii_lowercase().ends_with("s'"))
            {
                trail.push((b - c.len_utf8(), b));
                b -= c.len_utf8();
            } else {
                break;
            }
        }
        for (x, y) in lead {
            push(x, y, &mut out);
        }
        // clitics
        let core = &s[a..b];
        let lower = core.to_ascii_lowercase();
        if lower.ends_with("n't") && core.len() > 3 {
            let cut = b - 3;
            push(a, cut, &mut out);
            push(cut, b, &mut out);
        } else if (lower.ends_with("'s") || lower.ends_with("’s")) && core.len() > 2 {
            let k = core.len() - if lower.ends_with("’s") { 4 } else { 2 };
            push(a, a + k, &mut out);
            push(a + k, b, &mut out);
        } else if lower.ends_with("s'") && core.len() > 2 {
            push(a, b - 1, &mut out);
            push(b - 1, b, &mut out);
        } else {
            push(a, b, &mut out);
        }
        for (x, y) in trail.into_iter().rev() {
            push(x, y, &mut out);
        }
    }
    out
}

fn split_ws(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || c == '_' {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

fn in_list(l: &[&str], w: &str) -> bool {
    l.contains(&w)
}

/// Guesses tags.
fn tag(toks: &[(String, [usize; 2])], d: &Dicts) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(toks.len());
    for (i, (w, span)) in toks.iter().enumerate() {
        let up = w.to_uppercase();
        let up = match up.as_str() {
            "’S" => "'S".to_string(),
            "N’T" => "N'T".to_string(),
            _ => up,
        };
        let prev = out.last().map(|t: &T| t.tag).unwrap_or("");
        let prev_word = out.last().map(|t: &T| t.upper.as_str()).unwrap_or("");
        let cap = w.chars().next().is_some_and(|c| c.is_uppercase());
        let tag: &'static str = if !w.chars().any(|c| c.is_alphanumeric()) {
            match w.as_str() {
                "," => ",",
                "." | "!" | "?" => ".",
                ":" | ";" | "--" | "-" => ":",
                "(" | "[" => "-LRB-",
                ")" | "]" => "-RRB-",
                "'" => "POS",
                _ => "``",
            }
        } else if up == "'S" {
            // "it's" is a verb, "Gondor's" a possessive
            if prev == "PRP" {
                "VBZ"
            } else {
                "POS"
            }
        } else if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            "CD"
        } else if up == "TO" {
            "TO"
        } else if in_list(MODAL, &up) && !(cap && i > 0) {
            "MD"
        } else if in_list(AUX, &up) {
            match up.as_str() {
                "IS" | "HAS" | "DOES" => "VBZ",
                "WAS" | "WERE" | "HAD" | "DID" => "VBD",
                "BEEN" => "VBN",
                "BEING" | "HAVING" => "VBG",
                "BE" => "VB",
                _ => "VBP",
            }
        } else if in_list(DET, &up) {
            "DT"
        } else if in_list(POSSESSIVE, &up) {
            "PRP$"
        } else if in_list(PRONOUN, &up) {
            "PRP"
        } else if in_list(CONJ, &up) {
            "CC"
        } else if up == "THAT" || up == "WHETHER" {
            "IN"
        } else if in_list(SUBORD, &up) && !in_list(PREP, &up) {
            "WDT"
        } else if in_list(PREP, &up) && !(up == "ABOUT" && next_is_to(toks, i)) {
            "IN"
        } else if in_list(ADVERB, &up) || (up.ends_with("LY") && up.len() > 4 && !cap) {
            "RB"
        } else if cap && i > 0 && !(prev == "." || prev == "``") {
            "NNP"
        } else {
            let verbish = d.verb_forms.contains_key(&up)
                || (up.ends_with("ED") && up.len() > 4)
                || (prev == "TO" && !cap)
                || (up.ends_with("ING")
                    && up.len() > 5
                    && matches!(prev, "VBZ" | "VBD" | "VBP" | "VB" | "VBN" | "MD"));
            // past forms stay verbs after an adjective (`a senior official said`)
            let past = up.ends_with("ED") || in_list(PAST, &up);
            let noun_context = matches!(prev, "DT" | "PRP$" | "POS" | "CD")
                || (prev == "JJ" && !past)
                || (prev == "IN" && prev_word != "TO");
            if verbish && !noun_context && (i > 0 || !cap || d.verb_forms.contains_key(&up)) {
                if prev == "TO" || prev == "MD" {
                    "VB"
                } else if up.ends_with("ING") {
                    "VBG"
                } else if matches!(prev, "VBZ" | "VBD" | "VBP" | "VBN" | "VBG" | "VB" | "RB")
                    && out.iter().rev().take(3).any(|t| in_list(AUX, &t.upper))
                {
                    "VBN"
                } else if up.ends_with('S') && !up.ends_with("SS") {
                    "VBZ"
                } else {
                    "VBD"
                }
            } else if cap {
                "NNP"
            } else if ADJ_SUFFIX.iter().any(|x| up.ends_with(x)) {
                "JJ"
            } else if up.ends_with('S') && !up.ends_with("SS") && up.len() > 3 {
                "NNS"
            } else {
                "NN"
            }
        };
        out.push(T {
            text: w.clone(),
            upper: up,
            span: *span,
            tag,
        });
    }
    out
}

fn next_is_to(toks: &[(String, [usize; 2])], i: usize) -> bool {
    toks.get(i + 1)
        .is_some_and(|(w, _)| w.eq_ignore_ascii_case("to"))
}

fn is_verb(tag: &str) -> bool {
    tag.starts_with("VB") || tag == "MD"
}

fn np_tag(tag: &str) -> bool {
    tag.starts_with("NN")
        || tag.starts_with("JJ")
        || matches!(tag, "DT" | "PRP$" | "PRP" | "CD" | "POS")
}

struct P<'a> {
    toks: &'a [T],
    tree: Tree,
    depth: usize,
}

impl P<'_> {
    fn leaf(&mut self, parent: usize, i: usize) {
        let t = &self.toks[i];
        self.tree.leaf(parent, t.tag, &t.text, Some(t.span));
    }

    fn verb_start(&self, i: usize) -> bool {
        let j = self.skip_adverbs(i);
        self.toks.get(j).is_some_and(|t| is_verb(t.tag))
    }

    /// The first position from `i` that is not an adverb (`heavily and unjustly`).
    fn skip_adverbs(&self, i: usize) -> usize {
        let mut j = i;
        while let Some(t) = self.toks.get(j) {
            let rb_cc_rb = t.tag == "CC"
                && j > i
                && self.toks[j - 1].tag == "RB"
                && self.toks.get(j + 1).is_some_and(|n| n.tag == "RB");
            if t.tag == "RB" || rb_cc_rb {
                j += 1;
            } else {
                break;
            }
        }
        j
    }

    /// Length of a time expression at `i` (`next week`, `Thursday`), 0 when none.
    fn time_at(&self, i: usize) -> usize {
        let Some(t) = self.toks.get(i) else { return 0 };
        if in_list(TIME_MOD, &t.upper)
            && self
                .toks
                .get(i + 1)
                .is_some_and(|n| in_list(TIME_NOUN, &n.upper))
        {
            2
        } else if in_list(TIME_NOUN, &t.upper) && t.tag == "NNP" {
            1
        } else {
            0
        }
    }

    /// End of the noun chunk starting at `i` (== `i` when there is none).
    fn chunk_end(&self, i: usize, end: usize) -> usize {
        let mut k = i;
        while k < end {
            let tag = self.toks[k].tag;
            if k > i && self.time_at(k) > 0 {
                break;
            }
            if np_tag(tag) {
                k += 1;
                continue;
            }
            // coordinated adjectives: `awful and evil minister`
            if tag == "CC"
                && k > i
                && self.toks[k - 1].tag.starts_with("JJ")
                && k + 1 < end
                && np_tag(self.toks[k + 1].tag)
            {
                k += 1;
                continue;
            }
            // lists: noun , noun / noun and noun
            if (tag == "," || tag == "CC") && k > i && self.toks[k - 1].tag.starts_with("NN") {
                let mut j = k + 1;
                let mut conj = tag == "CC";
                if j < end && self.toks[j].tag == "CC" {
                    j += 1;
                    conj = true;
                }
                if j < end && np_tag(self.toks[j].tag) && self.toks[j].tag != "POS" {
                    // `, officials said`: not a list, the subject of a new clause
                    let e = self.chunk_end_simple(j, end);
                    if !conj && self.verb_start(e) {
                        break;
                    }
                    k = j;
                    continue;
                }
            }
            break;
        }
        k
    }

    fn chunk_end_simple(&self, i: usize, end: usize) -> usize {
        let mut k = i;
        while k < end && np_tag(self.toks[k].tag) {
            k += 1;
        }
        k
    }

    /// A noun phrase from `i`, with one `of`/`in`/`from` attachment.
    fn np(&mut self, parent: usize, i: usize, end: usize) -> usize {
        let e = self.chunk_end(i, end).max(i + 1).min(end);
        let attach = e + 1 < end
            && matches!(self.toks[e].upper.as_str(), "OF" | "IN" | "FROM")
            && np_tag(self.toks[e + 1].tag);
        if attach {
            // `A and the government of B`: the phrase belongs to the last conjunct
            let last_cc = (i + 1..e).rev().find(|&k| {
                self.toks[k].tag == "CC"
                    && self.toks[k - 1].tag.starts_with("NN")
                    && self.toks[k + 1].tag == "DT"
            });
            let list = match last_cc {
                Some(c) => {
                    let list = self.tree.open("NP", Some(parent));
                    let first = self.tree.open("NP", Some(list));
                    for k in i..c {
                        self.leaf(first, k);
                    }
                    self.tree.close(first);
                    self.leaf(list, c);
                    Some((list, c + 1))
                }
                None => None,
            };
            let (host, from) = list.unwrap_or((parent, i));
            let outer = self.tree.open("NP", Some(host));
            let inner = self.tree.open("NP", Some(outer));
            for k in from..e {
                self.leaf(inner, k);
            }
            self.tree.close(inner);
            let pp = self.tree.open("PP", Some(outer));
            self.leaf(pp, e);
            // chained phrases nest: `the Gondor of [the Prince of Dol Amroth]`
            let e2 = if self.depth < 30 {
                self.depth += 1;
                let e2 = self.np(pp, e + 1, end);
                self.depth -= 1;
                e2
            } else {
                let e2 = self.chunk_end(e + 1, end).max(e + 2).min(end);
                let n2 = self.tree.open("NP", Some(pp));
                for k in e + 1..e2 {
                    self.leaf(n2, k);
                }
                self.tree.close(n2);
                e2
            };
            self.tree.close(pp);
            self.tree.close(outer);
            if let Some((l, _)) = list {
                self.tree.close(l);
            }
            return e2;
        }
        let n = self.tree.open("NP", Some(parent));
        for k in i..e {
            self.leaf(n, k);
        }
        self.tree.close(n);
        e
    }

    /// One constituent (noun phrase, prepositional phrase or word) from `i`.
    fn constituent(&mut self, parent: usize, i: usize, end: usize) -> usize {
        let t = &self.toks[i];
        if (t.tag == "IN" || t.tag == "TO") && i + 1 < end && np_tag(self.toks[i + 1].tag) {
            let pp = self.tree.open("PP", Some(parent));
            self.leaf(pp, i);
            let e = self.np(pp, i + 1, end);
            self.tree.close(pp);
            return e;
        }
        let time = self.time_at(i);
        if time > 0 && i + time <= end {
            let n = self.tree.open("NP-TMP", Some(parent));
            for k in i..i + time {
                self.leaf(n, k);
            }
            self.tree.close(n);
            return i + time;
        }
        if np_tag(t.tag) && t.tag != "POS" {
            return self.np(parent, i, end);
        }
        self.leaf(parent, i);
        i + 1
    }

    /// A clause from `i` to `end`: subject constituents, then verb phrases.
    fn clause(&mut self, parent: usize, label: &str, i: usize, end: usize) -> usize {
        let s = self.tree.open(label, Some(parent));
        let mut i = i;
        while i < end && !self.verb_start(i) {
            i = self.constituent(s, i, end);
        }
        while i < end {
            i = self.verb_phrase(s, i, end);
            // coordinated verb phrase
            if i < end && self.toks[i].tag == "CC" && self.verb_start(i + 1) {
                self.leaf(s, i);
                i += 1;
                continue;
            }
            if i < end
                && self.toks[i].tag == ","
                && i + 2 < end
                && self.toks[i + 1].tag == "CC"
                && self.verb_start(i + 2)
            {
                self.leaf(s, i);
                self.leaf(s, i + 1);
                i += 2;
                continue;
            }
            while i < end && !self.verb_start(i) {
                i = self.constituent(s, i, end);
            }
        }
        self.tree.close(s);
        i
    }

    /// A verb chain and what follows it, up to a coordinating conjunction before another
    /// verb.
    fn verb_phrase(&mut self, parent: usize, i: usize, end: usize) -> usize {
        self.depth += 1;
        let vp = self.tree.open("VP", Some(parent));
        let mut cur = vp;
        let mut i = i;
        // the chain: auxiliaries, adverbs, the main verb
        while i < end {
            let tag = self.toks[i].tag;
            if tag == "RB"
                || (tag == "CC" && self.skip_adverbs(i) == i && i + 1 < end && {
                    let j = self.skip_adverbs(i + 1);
                    j > i + 1 && j < end && is_verb(self.toks[j].tag)
                })
            {
                self.leaf(cur, i);
                i += 1;
                continue;
            }
            if is_verb(tag) {
                self.leaf(cur, i);
                i += 1;
                // skip adverbs to see whether another verb follows
                let j = self.skip_adverbs(i).min(end);
                if j < end && (is_verb(self.toks[j].tag) || self.toks[j].tag == "TO") {
                    while i < j {
                        self.leaf(cur, i);
                        i += 1;
                    }
                    if self.toks[i].tag == "TO" && self.verb_start(i + 1) {
                        let s = self.tree.open("S", Some(cur));
                        let inner = self.tree.open("VP", Some(s));
                        self.leaf(inner, i);
                        i += 1;
                        let e = self.verb_phrase(inner, i, end);
                        self.tree.close(inner);
                        self.tree.close(s);
                        i = e;
                        break;
                    }
                    let next = self.tree.open("VP", Some(cur));
                    self.tree.close(cur);
                    cur = next;
                    continue;
                }
                break;
            }
            break;
        }
        // complements
        while i < end && self.depth < 30 {
            let t = &self.toks[i];
            if t.tag == "CC" && self.verb_start(i + 1) {
                break;
            }
            if t.tag == "," && i + 1 < end && self.toks[i + 1].tag == "CC" && self.verb_start(i + 2)
            {
                break;
            }
            if t.tag == "TO" && self.verb_start(i + 1) {
                let s = self.tree.open("S", Some(cur));
                let inner = self.tree.open("VP", Some(s));
                self.leaf(inner, i);
                let e = self.verb_phrase(inner, i + 1, end);
                self.tree.close(inner);
                self.tree.close(s);
                i = e;
                continue;
            }
            if (t.tag == "WDT" || (t.tag == "IN" && t.upper == "THAT")) && i + 1 < end {
                let sbar = self.tree.open("SBAR", Some(cur));
                self.leaf(sbar, i);
                let e = self.clause(sbar, "S", i + 1, end);
                self.tree.close(sbar);
                i = e;
                continue;
            }
            // a noun phrase followed by a verb: an embedded clause
            if np_tag(t.tag) && t.tag != "POS" {
                let e = self.chunk_end(i, end);
                if e < end && self.verb_start(e) && !matches!(self.toks[e].tag, "VBG" | "VBN") {
                    let e2 = self.clause(cur, "S", i, end);
                    i = e2;
                    continue;
                }
            }
            if self.verb_start(i) {
                let e = self.verb_phrase(cur, i, end);
                i = e;
                continue;
            }
            i = self.constituent(cur, i, end);
        }
        self.tree.close(cur);
        if cur != vp {
            // close the outer chain nodes
            let mut n = self.tree.nodes[cur].parent;
            while let Some(p) = n {
                self.tree.close(p);
                if p == vp {
                    break;
                }
                n = self.tree.nodes[p].parent;
            }
        }
        self.depth -= 1;
        i
    }
}

/// Parses one sentence of plain text into a tree.
pub(crate) fn parse(text: &str, d: &Dicts) -> Tree {
    let raw = tokenize(text);
    let toks = tag(&raw, d);
    let mut p = P {
        toks: &toks,
        tree: Tree::default(),
        depth: 0,
    };
    let root = p.tree.open("ROOT", None);
    let top = p.tree.open("S", Some(root));
    let n = toks.len();
    // a trailing reporting clause (", officials said") is a clause of its own
    let mut cuts: Vec<usize> = Vec::new();
    for k in 0..n {
        if toks[k].tag == "," {
            let e = p.chunk_end(k + 1, n);
            if e > k + 1 && p.verb_start(e) && toks[..k].iter().any(|t| is_verb(t.tag)) {
                cuts.push(k);
            }
        }
    }
    let mut a = 0;
    for &c in &cuts {
        if c > a {
            p.clause(top, "S", a, c);
        }
        p.leaf(top, c);
        a = c + 1;
    }
    let last_end = if n > 0 && toks[n - 1].tag == "." {
        n - 1
    } else {
        n
    };
    if last_end > a {
        p.clause(top, "S", a, last_end);
    }
    for k in last_end.max(a)..n {
        p.leaf(top, k);
    }
    p.tree.close(top);
    p.tree.close(root);
    p.tree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t: Vec<String> =
            tokenize("Gondor's army didn't attack the U.S. embassy, officials said.")
                .into_iter()
                .map(|x| x.0)
                .collect();
        assert_eq!(
            t,
            vec![
                "Gondor",
                "'s",
                "army",
                "did",
                "n't",
                "attack",
                "the",
                "U.S.",
                "embassy",
                ",",
                "officials",
                "said",
                "."
            ]
        );
    }
}
