//! Constituency trees: Penn Treebank bracketed parses (`(ROOT (S (NP (NNP Arnor)) ...))`)
//! read into an arena, with the token span of every node.

/// One node of a tree: a phrase (`NP`, `VP`, `S`, …) or a pre-terminal (`NNP`, `VBD`, …)
/// whose token is [`Node::tok`].
#[derive(Clone, Debug)]
pub struct Node {
    /// The label without function tags (`NP-TMP` is kept as `NP-TMP`: it is *not* a noun
    /// phrase for actor purposes; `-LRB-` stays `-LRB-`).
    pub label: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Token span `[first, end)`.
    pub first: usize,
    pub end: usize,
    /// The token of a pre-terminal.
    pub tok: Option<usize>,
}

/// One word of the sentence.
#[derive(Clone, Debug)]
pub struct Tok {
    /// The word as the parse (or the text) gives it, PTB escapes undone (`-LRB-` -> `(`).
    pub text: String,
    /// Upper case: what dictionaries match.
    pub upper: String,
    /// The part of speech (`NNP`, `VBD`, `,`).
    pub pos: String,
    /// The pre-terminal node.
    pub node: usize,
    /// Byte span in the sentence text, when known (shallow parses of plain text).
    pub span: Option<[usize; 2]>,
}

/// A parsed sentence: node 0 is the root.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub toks: Vec<Tok>,
}

/// Why a bracketed parse could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeError {
    Empty,
    /// `(` and `)` do not balance, or a bracket is misplaced.
    Unbalanced(String),
    TooDeep,
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TreeError::Empty => write!(f, "empty parse"),
            TreeError::Unbalanced(s) => write!(f, "unbalanced parse: {s}"),
            TreeError::TooDeep => write!(f, "parse nested too deeply"),
        }
    }
}

const MAX_DEPTH: usize = 500;

fn unescape(w: &str) -> String {
    match w {
        "-LRB-" | "-LCB-" | "-LSB-" => "(".to_string(),
        "-RRB-" | "-RCB-" | "-RSB-" => ")".to_string(),
        "``" | "''" => "\"".to_string(),
        _ => w.to_string(),
    }
}

/// Strips function tags and indices: `NP-SBJ-1` -> `NP`; keeps `NP-TMP` (temporal noun
/// phrases are not actors) and labels that start with `-` (`-LRB-`).
fn clean_label(l: &str) -> String {
    let l = l.trim_end_matches(['.', ',']);
    if l.starts_with('-') || l.is_empty() {
        return l.to_string();
    }
    let mut parts = l.split(['-', '=']);
    let base = parts.next().unwrap_or("");
    if parts.any(|p| p == "TMP") && base == "NP" {
        return "NP-TMP".to_string();
    }
    base.to_string()
}

impl Tree {
    /// Reads a Penn Treebank bracketed parse. Whitespace and line breaks are free.
    pub fn parse_ptb(s: &str) -> Result<Tree, TreeError> {
        // lexemes: `(`, `)`, atoms
        let mut lex: Vec<&str> = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() {
                i += 1;
            } else if c == b'(' || c == b')' {
                lex.push(&s[i..i + 1]);
                i += 1;
            } else {
                let st = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'(' && b[i] != b')' {
                    i += 1;
                }
                lex.push(&s[st..i]);
            }
        }
        if lex.is_empty() {
            return Err(TreeError::Empty);
        }
        let mut t = Tree::default();
        let mut stack: Vec<usize> = Vec::new();
        let mut k = 0;
        let mut closed_root = false;
        while k < lex.len() {
            match lex[k] {
                "(" => {
                    if closed_root {
                        return Err(TreeError::Unbalanced("text after the tree".into()));
                    }
                    if stack.len() > MAX_DEPTH {
                        return Err(TreeError::TooDeep);
                    }
                    // label (may be missing: `( (S ...))`)
                    let (label, step) = match lex.get(k + 1) {
                        Some(&l) if l != "(" && l != ")" => (l, 2),
                        _ => ("", 1),
                    };
                    // pre-terminal: `(POS word)`
                    if step == 2 {
                        if let (Some(&w), Some(&")")) = (lex.get(k + 2), lex.get(k + 3)) {
                            if w != "(" && w != ")" {
                                let id = t.nodes.len();
                                let tok = t.toks.len();
                                t.nodes.push(Node {
                                    label: label.to_string(),
                                    parent: stack.last().copied(),
                                    children: Vec::new(),
                                    first: tok,
                                    end: tok + 1,
                                    tok: Some(tok),
                                });
                                let text = unescape(w);
                                t.toks.push(Tok {
                                    upper: text.to_uppercase(),
                                    text,
                                    pos: label.to_string(),
                                    node: id,
                                    span: None,
                                });
                                if let Some(&p) = stack.last() {
                                    t.nodes[p].children.push(id);
                                } else {
                                    return Err(TreeError::Unbalanced(
                                        "word outside any phrase".into(),
                                    ));
                                }
                                k += 4;
                                continue;
                            }
                        }
                    }
                    let id = t.nodes.len();
                    t.nodes.push(Node {
                        label: clean_label(label),
                        parent: stack.last().copied(),
                        children: Vec::new(),
                        first: t.toks.len(),
                        end: t.toks.len(),
                        tok: None,
                    });
                    if let Some(&p) = stack.last() {
                        t.nodes[p].children.push(id);
                    }
                    stack.push(id);
                    k += step;
                }
                ")" => {
                    let Some(id) = stack.pop() else {
                        return Err(TreeError::Unbalanced("`)` without `(`".into()));
                    };
                    t.nodes[id].end = t.toks.len();
                    if stack.is_empty() {
                        closed_root = true;
                    }
                    k += 1;
                }
                w => {
                    // a bare word inside a phrase: give it the label `X`
                    let Some(&p) = stack.last() else {
                        return Err(TreeError::Unbalanced(format!("stray `{w}`")));
                    };
                    let id = t.nodes.len();
                    let tok = t.toks.len();
                    t.nodes.push(Node {
                        label: "X".into(),
                        parent: Some(p),
                        children: Vec::new(),
                        first: tok,
                        end: tok + 1,
                        tok: Some(tok),
                    });
                    let text = unescape(w);
                    t.toks.push(Tok {
                        upper: text.to_uppercase(),
                        text,
                        pos: "X".into(),
                        node: id,
                        span: None,
                    });
                    t.nodes[p].children.push(id);
                    k += 1;
                }
            }
        }
        if !stack.is_empty() {
            return Err(TreeError::Unbalanced(format!(
                "{} `(` not closed",
                stack.len()
            )));
        }
        if t.toks.is_empty() {
            return Err(TreeError::Empty);
        }
        Ok(t)
    }

    /// Builds a tree from nested builder calls (used by the shallow parser).
    pub(crate) fn open(&mut self, label: &str, parent: Option<usize>) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            label: label.to_string(),
            parent,
            children: Vec::new(),
            first: self.toks.len(),
            end: self.toks.len(),
            tok: None,
        });
        if let Some(p) = parent {
            self.nodes[p].children.push(id);
        }
        id
    }

    pub(crate) fn close(&mut self, id: usize) {
        self.nodes[id].end = self.toks.len();
    }

    pub(crate) fn leaf(&mut self, parent: usize, pos: &str, text: &str, span: Option<[usize; 2]>) {
        let id = self.nodes.len();
        let tok = self.toks.len();
        self.nodes.push(Node {
            label: pos.to_string(),
            parent: Some(parent),
            children: Vec::new(),
            first: tok,
            end: tok + 1,
            tok: Some(tok),
        });
        self.nodes[parent].children.push(id);
        self.toks.push(Tok {
            upper: text.to_uppercase(),
            text: text.to_string(),
            pos: pos.to_string(),
            node: id,
            span,
        });
    }

    /// Whether node `n` is a pre-terminal.
    pub fn is_leaf(&self, n: usize) -> bool {
        self.nodes[n].tok.is_some()
    }

    /// The label of node `n`.
    pub fn label(&self, n: usize) -> &str {
        &self.nodes[n].label
    }

    /// Ancestors of node `n`, nearest first (excluding `n`).
    pub fn ancestors(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = self.nodes[n].parent;
        std::iter::from_fn(move || {
            let c = cur?;
            cur = self.nodes[c].parent;
            Some(c)
        })
    }

    /// The words of the sentence joined by blanks (for messages).
    pub fn words(&self) -> String {
        self.toks
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Whether a label is a clause-level constituent (a closed one before a verb hides its
/// words from that verb's subject search).
pub(crate) fn is_clause(label: &str) -> bool {
    matches!(
        label,
        "S" | "SBAR" | "SBARQ" | "SINV" | "SQ" | "VP" | "PRN" | "FRAG" | "RRC"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_parse() {
        let t = Tree::parse_ptb(
            "(ROOT (S (NP (NNP Arnor)) (VP (VBD left) (NP-TMP (NN today))) (. .)))",
        )
        .unwrap();
        assert_eq!(t.toks.len(), 4);
        assert_eq!(t.toks[1].upper, "LEFT");
        assert_eq!(t.toks[1].pos, "VBD");
        let np = t.toks[0].node;
        assert_eq!(t.label(t.nodes[np].parent.unwrap()), "NP");
        assert!(t.nodes.iter().any(|n| n.label == "NP-TMP"));
        assert_eq!(t.nodes[0].end, 4);
    }

    #[test]
    fn rejects_unbalanced() {
        assert!(matches!(
            Tree::parse_ptb("(ROOT (S (NP (NNP A)) (VP (VBD b)))"),
            Err(TreeError::Unbalanced(_))
        ));
        assert!(matches!(
            Tree::parse_ptb("(ROOT (S (NP (NNP A))) (VP (VBD b))))"),
            Err(TreeError::Unbalanced(_))
        ));
        assert!(matches!(Tree::parse_ptb("  "), Err(TreeError::Empty)));
    }
}
