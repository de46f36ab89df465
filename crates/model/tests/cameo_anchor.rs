//! Checks our CAMEO table (`dyad_model::cameo`) against the reference files in `../shared`:
//!
//! - `anchors/cameo/cameo_codes_1.1b3.csv`: the code list of the CAMEO 1.1b3 manual, joined with
//!   GDELT's Goldstein values and QuadClass (and, for codes the 2021 conversion lacks, the PLOVER
//!   type inherited from the parent code).
//! - `eval/plover_gsr/CAMEO2PLOVER-2021.txt`: the 2021 CAMEO->PLOVER conversion table.
//!
//! The files are read at run time. When they are not there (a checkout without `../shared`) the
//! test says so on stderr and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use dyad_model::cameo::{self, CameoCode};

const CSV_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/anchors/cameo/cameo_codes_1.1b3.csv"
);
const PLOVER_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/plover_gsr/CAMEO2PLOVER-2021.txt"
);

/// Codes where we deliberately differ from CAMEO2PLOVER-2021 in mode or context.
///
/// - 175 (violent repression): the conversion puts `pro_autocracy`, which is a PLOVER context,
///   in the mode slot (`ASSAULT, pro_autocracy, military`). We keep the type, give no mode, and
///   carry `pro_autocracy` as a context next to `military`.
const MODE_CONTEXT_EXCEPTIONS: &[&str] = &["175"];

/// Codes the conversion lists twice with different PLOVER types. We follow the first line.
///
/// - 08 (yield): listed as `CONCEDE` and again as `RETREAT` (heading of the 084-087 block).
///   We keep `CONCEDE`, the first line and the type of 080 "yield, other".
const CONFLICTING_DUPLICATES: &[&str] = &["08"];

/// Codes in the conversion that are not CAMEO 1.1b3 codes (the manual has no 1213 or 1214).
const NOT_IN_CAMEO: &[&str] = &["1213", "1214"];

/// One row of the reference CSV (only the columns we check).
struct RefCode {
    code: String,
    label: String,
    goldstein: f64,
    quadclass_gdelt: u8,
    plover_event: String,
}

/// One line of CAMEO2PLOVER-2021.txt. `mode` and `contexts` are None on a line that gives only
/// a type (the root headings), Some (possibly empty) when the line has all three fields.
#[derive(Clone, Debug, PartialEq)]
struct PloverLine {
    ty: String,
    mode: Option<String>,
    contexts: Option<Vec<String>>,
}

#[test]
fn table_matches_reference_files() {
    let (Ok(csv), Ok(plover)) = (
        fs::read_to_string(CSV_PATH),
        fs::read_to_string(PLOVER_PATH),
    ) else {
        eprintln!("skipped: ../shared/anchors not found");
        return;
    };
    let reference = parse_reference_csv(&csv);
    let conversion = parse_cameo2plover(&plover);
    let ours: BTreeMap<&str, &CameoCode> = cameo::all().iter().map(|c| (c.code, c)).collect();

    check_code_sets(&ours, &reference);
    check_goldstein_and_quad_class(&ours, &reference);
    check_labels_are_ours(&ours, &reference);
    check_plover(&ours, &reference, &conversion);
}

fn check_code_sets(ours: &BTreeMap<&str, &CameoCode>, reference: &[RefCode]) {
    let ours: BTreeSet<&str> = ours.keys().copied().collect();
    let theirs: BTreeSet<&str> = reference.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        theirs.len(),
        reference.len(),
        "reference CSV repeats a code"
    );
    let missing: Vec<_> = theirs.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&theirs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "code sets differ: missing from our table {missing:?}, not in the reference {extra:?}"
    );
}

fn check_goldstein_and_quad_class(ours: &BTreeMap<&str, &CameoCode>, reference: &[RefCode]) {
    let mut bad = Vec::new();
    for r in reference {
        let c = ours[r.code.as_str()];
        if c.goldstein != r.goldstein {
            bad.push(format!(
                "{}: goldstein {} (reference {})",
                r.code, c.goldstein, r.goldstein
            ));
        }
        if c.quad_class != r.quadclass_gdelt {
            bad.push(format!(
                "{}: quad_class {} (reference {})",
                r.code, c.quad_class, r.quadclass_gdelt
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Our labels are our own wording: none may repeat the manual's label.
fn check_labels_are_ours(ours: &BTreeMap<&str, &CameoCode>, reference: &[RefCode]) {
    let norm = |s: &str| {
        s.chars()
            .filter(|ch| ch.is_alphanumeric() || ch.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let copied: Vec<&str> = reference
        .iter()
        .filter(|r| norm(ours[r.code.as_str()].label) == norm(&r.label))
        .map(|r| r.code.as_str())
        .collect();
    assert!(
        copied.is_empty(),
        "labels copied from the manual: {copied:?}"
    );
}

fn check_plover(
    ours: &BTreeMap<&str, &CameoCode>,
    reference: &[RefCode],
    conversion: &BTreeMap<String, Vec<PloverLine>>,
) {
    let mut bad = Vec::new();

    // Duplicated lines: identical ones are harmless; conflicting ones must be the known list.
    let conflicting: Vec<&str> = conversion
        .iter()
        .filter(|(_, lines)| lines.iter().any(|l| l.ty != lines[0].ty))
        .map(|(code, _)| code.as_str())
        .collect();
    assert_eq!(
        conflicting, CONFLICTING_DUPLICATES,
        "conflicting duplicates"
    );

    // Conversion lines for codes outside CAMEO 1.1b3 must be the known list.
    let unknown: Vec<&str> = conversion
        .keys()
        .map(String::as_str)
        .filter(|code| !ours.contains_key(code))
        .collect();
    assert_eq!(unknown, NOT_IN_CAMEO, "conversion codes not in CAMEO 1.1b3");

    for (code, lines) in conversion {
        let Some(c) = ours.get(code.as_str()) else {
            continue;
        };
        let want = &lines[0];
        if c.plover_type != Some(want.ty.as_str()) {
            bad.push(format!(
                "{code}: type {:?} (reference {})",
                c.plover_type, want.ty
            ));
        }
        let mode_ctx_differs = want
            .mode
            .as_ref()
            .is_some_and(|m| c.plover_mode != (!m.is_empty()).then_some(m.as_str()))
            || want
                .contexts
                .as_ref()
                .is_some_and(|ctx| c.plover_contexts != ctx.as_slice());
        let excepted = MODE_CONTEXT_EXCEPTIONS.contains(&code.as_str());
        if mode_ctx_differs && !excepted {
            bad.push(format!(
                "{code}: mode {:?} contexts {:?} (reference {:?} {:?})",
                c.plover_mode, c.plover_contexts, want.mode, want.contexts
            ));
        }
        if excepted && !mode_ctx_differs {
            bad.push(format!(
                "{code}: listed as an exception but agrees with the reference; drop it"
            ));
        }
    }

    // Codes the conversion does not list: the type must be the one the reference CSV carries
    // (inherited from the parent code, or none for 01x and 02x).
    for r in reference {
        if conversion.contains_key(&r.code) {
            continue;
        }
        let c = ours[r.code.as_str()];
        let want = (!r.plover_event.is_empty()).then_some(r.plover_event.as_str());
        if c.plover_type != want {
            bad.push(format!(
                "{}: type {:?} (reference CSV {:?})",
                r.code, c.plover_type, want
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn parse_reference_csv(text: &str) -> Vec<RefCode> {
    let mut rows = text.lines().filter(|l| !l.trim().is_empty());
    let header = split_csv_line(rows.next().expect("empty CSV"));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("CSV has no column {name}"))
    };
    let (code, label, goldstein, quad, plover) = (
        col("code"),
        col("label_cameo_manual_1.1b3"),
        col("goldstein"),
        col("quadclass_gdelt"),
        col("plover_event"),
    );
    rows.map(|line| {
        let f = split_csv_line(line);
        assert_eq!(f.len(), header.len(), "bad CSV row: {line}");
        RefCode {
            code: f[code].clone(),
            label: f[label].clone(),
            goldstein: f[goldstein]
                .parse()
                .unwrap_or_else(|_| panic!("bad goldstein in: {line}")),
            quadclass_gdelt: f[quad]
                .parse()
                .unwrap_or_else(|_| panic!("bad quadclass in: {line}")),
            plover_event: f[plover].clone(),
        }
    })
    .collect()
}

/// Split one CSV line: fields may be quoted, a quoted field may hold commas, and `""` inside
/// quotes is one quote. (No field of this file spans lines.)
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(ch),
        }
    }
    assert!(!quoted, "unterminated quote in CSV line: {line}");
    fields.push(field);
    fields
}

/// Parse lines like `0311: AGREE,  ,   economic # comment`; contexts are separated by `;`.
fn parse_cameo2plover(text: &str) -> BTreeMap<String, Vec<PloverLine>> {
    let mut out: BTreeMap<String, Vec<PloverLine>> = BTreeMap::new();
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let Some((code, rest)) = line.split_once(':') else {
            continue;
        };
        let code = code.trim();
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let fields: Vec<&str> = rest.split(',').map(str::trim).collect();
        let entry = PloverLine {
            ty: fields[0].to_string(),
            mode: fields.get(1).map(|m| m.to_string()),
            contexts: fields.get(2).map(|ctx| {
                ctx.split(';')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect()
            }),
        };
        out.entry(code.to_string()).or_default().push(entry);
    }
    out
}

#[test]
fn csv_splitting_handles_quotes() {
    assert_eq!(
        split_csv_line(r#"010,01,"Make statement, not specified below",yes"#),
        ["010", "01", "Make statement, not specified below", "yes"]
    );
    assert_eq!(
        split_csv_line(r#"044,"Meet at a ""third"" location",,"#),
        ["044", r#"Meet at a "third" location"#, "", ""]
    );
}

#[test]
fn conversion_line_parsing() {
    let parsed = parse_cameo2plover(
        "# header\n03: AGREE\n0311: AGREE,  ,   economic # note\n094: ACCUSE, investigate, military; legal\n~~~~~\n",
    );
    assert_eq!(
        parsed["03"],
        [PloverLine {
            ty: "AGREE".into(),
            mode: None,
            contexts: None
        }]
    );
    assert_eq!(parsed["0311"][0].mode.as_deref(), Some(""));
    assert_eq!(
        parsed["094"][0].contexts.as_deref(),
        Some(&["military".to_string(), "legal".to_string()][..])
    );
}
