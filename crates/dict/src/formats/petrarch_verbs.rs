//! PETRARCH verb files: PETRARCH-1 (`CAMEO.verbpatterns.150430.txt`,
//! `PETR.Validate.verbs.txt`) and PETRARCH-2 (`CAMEO.2.0.txt`, UD-PETRARCH's validation verbs).
//!
//! ```text
//! ####### SYNONYM SETS #######        section markers (optional)
//! &NAME  / &NAME_                      synset (`_`: no plurals), then `+member` lines
//! ####### VERB PATTERNS #######
//! --- DESCRIPTION [code] ---           block header (older files: `### NAME ###`)
//! VERB {FORM1 FORM2} [code]            member verbs; `+` marks the verb word of a multi-word
//! +CORDON_OFF {+CORDONED_OFF}          verb (`+BEEF_UP`, `WIRE_+TAP`)
//! - pattern [code] # comment           patterns of the block
//!                                      a blank line ends the block
//! ######## TRANSFORMATIONS ##########  (PETRARCH-2)
//! ~ a (a b ATTACK) SAY = a b 015
//! ```
//!
//! The two dialects differ in their pattern syntax: PETRARCH-2 has `{W1 W2 HEAD}` noun phrases
//! and `(PREP X)` prepositional phrases ([`Token::NounPhrase`], [`Token::Prep`]); in PETRARCH-1
//! `{ a | b }` are TABARI alternatives (PETRARCH-1 itself skipped such patterns). [`parse`]
//! detects the dialect ([`detect_dialect`]); [`parse_dialect`] forces it.
//!
//! Comments: `#` / `;` to the end of the line, and XML comments `<!-- ... -->`.

use super::lex::{
    bracket_groups, comment_string, is_end_mark, last_bracket, show, split_comment, Bracket, Diags,
    Line, Lines,
};
use super::pattern::{
    check_synsets, parse_code, parse_pattern_content, parse_synset_head, parse_synset_member,
    parse_verb_phrase,
};
pub use super::pattern::{
    CodeKind, CodeSpec, Pattern, Synset, SynsetMember, Token, VerbPhrase, Word,
};
use super::Diagnostic;

/// Which PETRARCH pattern language a file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    Petrarch1,
    Petrarch2,
}

/// A parsed PETRARCH verb file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbDictionary {
    pub dialect: Dialect,
    pub synsets: Vec<Synset>,
    pub blocks: Vec<VerbBlock>,
    /// PETRARCH-2 `~` lines.
    pub transformations: Vec<Transformation>,
}

impl VerbDictionary {
    /// Every pattern of every block.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.blocks.iter().flat_map(|b| b.patterns.iter())
    }
}

/// A verb block: header, member verbs, patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbBlock {
    /// The header's description as written: `ABANDON`, `EXPLAIN_VERBAL`, `LASH OUT`.
    pub name: String,
    /// The header's code: the default for every member verb without its own code. `None`
    /// when the header has none (PETRARCH then uses `---`).
    pub code: Option<CodeSpec>,
    pub verbs: Vec<VerbEntry>,
    pub patterns: Vec<Pattern>,
    pub line: usize,
    pub comment: Option<String>,
}

/// A member verb line: `SAY {SAYS SAID SAYING} [010] # comment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbEntry {
    pub phrase: VerbPhrase,
    /// `{...}`: when present, *all* forms (nothing is generated); `Some(vec![])` for `{}`.
    pub forms: Option<Vec<VerbPhrase>>,
    pub code: Option<CodeSpec>,
    pub line: usize,
    pub comment: Option<String>,
}

/// A PETRARCH-2 transformation `~ a (a b ATTACK) SAY = a b 015`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transformation {
    /// The left side, a postfix tree: `[Atom("a"), Group([a, b, ATTACK]), Atom("SAY")]`.
    /// Lower-case atoms are actor variables (`.` unspecified, `_` absent), upper-case ones
    /// verbs (`Q` any verb); atoms are kept as written.
    pub pattern: Vec<TransformTerm>,
    /// The right side as written: source, target, code (`["a", "b", "015"]`).
    pub result: Vec<String>,
    pub line: usize,
    pub comment: Option<String>,
}

/// One element of a transformation's left side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransformTerm {
    Atom(String),
    Group(Vec<TransformTerm>),
}

/// Guesses the dialect: PETRARCH-2 when a pattern line holds `(` or a `{...}` without `|`, or
/// the file has a TRANSFORMATIONS section; PETRARCH-1 otherwise.
pub fn detect_dialect(text: &str) -> Dialect {
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("###") && t.to_ascii_uppercase().contains("TRANSFORMATION") {
            return Dialect::Petrarch2;
        }
        if t.starts_with('-') && !t.starts_with("---") {
            let (c, _) = split_comment(t);
            if c.contains('(') || (c.contains('{') && !c.contains('|')) {
                return Dialect::Petrarch2;
            }
        }
    }
    Dialect::Petrarch1
}

/// Parses a PETRARCH verb file, detecting its dialect.
pub fn parse(text: &str, file: &str) -> (VerbDictionary, Vec<Diagnostic>) {
    parse_dialect(text, file, detect_dialect(text))
}

/// Parses a PETRARCH verb file in the given dialect.
pub fn parse_dialect(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> (VerbDictionary, Vec<Diagnostic>) {
    let p2 = dialect == Dialect::Petrarch2;
    let mut d = Diags::new(file);
    let mut lines = Lines::new(text, true);
    let mut vd = VerbDictionary {
        dialect,
        synsets: Vec::new(),
        blocks: Vec::new(),
        transformations: Vec::new(),
    };
    let mut block_open = false;
    let mut in_synset = false;
    let mut warnings = Vec::new();

    while let Some(Line { no, text: raw }) = lines.next_line(&mut d) {
        let t = raw.trim();
        if t.is_empty() {
            block_open = false;
            in_synset = false;
            continue;
        }
        if is_end_mark(raw) {
            break;
        }
        if t.len() > 6 && t.starts_with("###") && t.ends_with("###") {
            let inner = t.trim_matches('#').trim();
            if !inner.is_empty() {
                let upper = inner.to_ascii_uppercase();
                in_synset = false;
                if upper.contains("SYNONYM")
                    || upper.contains("VERB PATTERN")
                    || upper.contains("TRANSFORMATION")
                {
                    block_open = false;
                } else {
                    // old-style block header `### NAME ###`
                    vd.blocks.push(header(inner, no, None, &mut d));
                    block_open = true;
                }
                continue;
            }
        }
        if raw.starts_with('#') {
            continue;
        }
        let (content, comment) = split_comment(raw);
        let c = content.trim();
        if c.is_empty() {
            continue;
        }
        if c.starts_with("---") {
            // `---  DISGRACE   [110]---  ---` also occurs: drop every trailing dash
            let inner = c
                .trim_start_matches('-')
                .trim_end_matches(|ch: char| ch == '-' || ch.is_whitespace());
            vd.blocks
                .push(header(inner, no, comment_string(comment), &mut d));
            block_open = true;
            in_synset = false;
            continue;
        }
        match c.as_bytes()[0] {
            b'-' => {
                in_synset = false;
                let block = if block_open {
                    vd.blocks.last_mut()
                } else {
                    None
                };
                let Some(block) = block else {
                    d.push(
                        no,
                        format!("pattern outside a verb block; skipped: `{}`", show(c)),
                    );
                    continue;
                };
                match parse_pattern_content(&c[1..], p2, false, &mut warnings) {
                    Ok((tokens, code)) => block.patterns.push(Pattern {
                        tokens,
                        code,
                        line: no,
                        comment: comment_string(comment),
                    }),
                    Err(e) => d.push(no, format!("{e}; pattern skipped: `{}`", show(c))),
                }
                flush(&mut warnings, no, &mut d);
            }
            b'&' => {
                block_open = false;
                let head = parse_synset_head(&c[1..], no, &mut warnings);
                flush(&mut warnings, no, &mut d);
                match head {
                    Ok(s) => {
                        vd.synsets.push(s);
                        in_synset = true;
                    }
                    Err(e) => {
                        d.push(no, format!("{e}; skipped"));
                        in_synset = false;
                    }
                }
            }
            b'+' if in_synset => {
                match parse_synset_member(&c[1..], no, p2, &mut warnings) {
                    Ok(m) => {
                        if let Some(s) = vd.synsets.last_mut() {
                            s.members.push(m);
                        }
                    }
                    Err(e) => d.push(no, format!("{e}; member skipped: `{}`", show(c))),
                }
                flush(&mut warnings, no, &mut d);
            }
            b'~' => {
                in_synset = false;
                match transformation(&c[1..]) {
                    Ok((pattern, result)) => vd.transformations.push(Transformation {
                        pattern,
                        result,
                        line: no,
                        comment: comment_string(comment),
                    }),
                    Err(e) => d.push(no, format!("{e}; transformation skipped: `{}`", show(c))),
                }
            }
            _ => {
                in_synset = false;
                let block = if block_open {
                    vd.blocks.last_mut()
                } else {
                    None
                };
                let Some(block) = block else {
                    d.push(
                        no,
                        format!("verb outside a verb block; skipped: `{}`", show(c)),
                    );
                    continue;
                };
                if let Some(v) = verb_entry(c, no, comment, &mut d) {
                    block.verbs.push(v);
                }
            }
        }
    }
    lines.finish(&mut d);
    check_synsets(&vd.synsets, vd.patterns(), &mut d);
    (vd, d.finish())
}

fn flush(warnings: &mut Vec<String>, no: usize, d: &mut Diags) {
    for w in warnings.drain(..) {
        d.push(no, w);
    }
}

/// A block from a header's inside (`NAME [code]`).
fn header(inner: &str, no: usize, comment: Option<String>, d: &mut Diags) -> VerbBlock {
    let g = bracket_groups(inner);
    let name = g.head.trim().to_string();
    if name.is_empty() {
        d.push(no, "verb block header without a name");
    }
    if g.unclosed {
        d.push(no, "`[` without `]` in block header; ignored");
    }
    for j in &g.junk {
        d.push(no, format!("`{j}` in block header ignored"));
    }
    if g.groups.len() > 1 {
        d.push(
            no,
            format!(
                "block header with {} codes; only the first, `[{}]`, is used",
                g.groups.len(),
                g.groups[0].trim()
            ),
        );
    }
    let code = g
        .groups
        .first()
        .and_then(|inner| match parse_code(inner, false) {
            Ok((c, w)) => {
                if let Some(w) = w {
                    d.push(no, w);
                }
                Some(c)
            }
            Err(e) => {
                d.push(no, format!("{e} in block header; block has no code"));
                None
            }
        });
    VerbBlock {
        name,
        code,
        verbs: Vec::new(),
        patterns: Vec::new(),
        line: no,
        comment,
    }
}

/// A member verb line. The `{forms}` may also come after the code (`SNUB [111] {SNUBS ...}`).
fn verb_entry(c: &str, no: usize, comment: Option<&str>, d: &mut Diags) -> Option<VerbEntry> {
    let mut forms = None;
    let mut rest = c;
    let joined: String;
    if let Some(open) = c.find('{') {
        let Some(rel) = c[open + 1..].find('}') else {
            d.push(
                no,
                format!("`{{` without `}}`; verb skipped: `{}`", show(c)),
            );
            return None;
        };
        let close = open + 1 + rel;
        let mut list = Vec::new();
        for item in c[open + 1..close].split_whitespace() {
            match parse_verb_phrase(item) {
                Ok(f) => list.push(f),
                Err(e) => d.push(no, format!("{e}; form skipped")),
            }
        }
        forms = Some(list);
        joined = format!("{} {}", &c[..open], &c[close + 1..]);
        rest = &joined;
    }
    let (main, code) = match last_bracket(rest) {
        Bracket::None => (rest, None),
        Bracket::Unclosed => {
            d.push(no, format!("`[` without `]`; verb skipped: `{}`", show(c)));
            return None;
        }
        Bracket::Found {
            before,
            inner,
            after,
        } => match parse_code(inner, false) {
            Ok((code, w)) => {
                if let Some(w) = w {
                    d.push(no, w);
                }
                if !after.trim().is_empty() {
                    d.push(no, format!("`{}` after the code ignored", after.trim()));
                }
                (before, Some(code))
            }
            Err(e) => {
                d.push(no, format!("{e}; verb skipped: `{}`", show(c)));
                return None;
            }
        },
    };
    match parse_verb_phrase(main) {
        Ok(phrase) => Some(VerbEntry {
            phrase,
            forms,
            code,
            line: no,
            comment: comment_string(comment),
        }),
        Err(e) => {
            d.push(no, format!("{e}; verb skipped"));
            None
        }
    }
}

/// Parses the part of a transformation line after `~`.
fn transformation(s: &str) -> Result<(Vec<TransformTerm>, Vec<String>), String> {
    let (lhs, rhs) = s
        .split_once('=')
        .ok_or_else(|| "transformation without `=`".to_string())?;
    let result: Vec<String> = rhs.split_whitespace().map(str::to_string).collect();
    if result.is_empty() {
        return Err("transformation without a result".to_string());
    }
    let mut stack: Vec<Vec<TransformTerm>> = vec![Vec::new()];
    let mut atom_start: Option<usize> = None;
    let flush_atom =
        |stack: &mut Vec<Vec<TransformTerm>>, start: &mut Option<usize>, end: usize| {
            if let Some(st) = start.take() {
                if let Some(top) = stack.last_mut() {
                    top.push(TransformTerm::Atom(lhs[st..end].to_string()));
                }
            }
        };
    for (i, ch) in lhs.char_indices() {
        match ch {
            '(' => {
                flush_atom(&mut stack, &mut atom_start, i);
                if stack.len() > 16 {
                    return Err("transformation nested too deeply".to_string());
                }
                stack.push(Vec::new());
            }
            ')' => {
                flush_atom(&mut stack, &mut atom_start, i);
                if stack.len() < 2 {
                    return Err("stray `)` in transformation".to_string());
                }
                let group = stack.pop().unwrap_or_default();
                if let Some(top) = stack.last_mut() {
                    top.push(TransformTerm::Group(group));
                }
            }
            c if c.is_whitespace() => flush_atom(&mut stack, &mut atom_start, i),
            _ => {
                if atom_start.is_none() {
                    atom_start = Some(i);
                }
            }
        }
    }
    flush_atom(&mut stack, &mut atom_start, lhs.len());
    if stack.len() != 1 {
        return Err("`(` without `)` in transformation".to_string());
    }
    let pattern = stack.pop().unwrap_or_default();
    if pattern.is_empty() {
        return Err("transformation without a pattern".to_string());
    }
    Ok((pattern, result))
}
