//! `dyad validate` on PETRARCH unit-test files: the field's suites (read from
//! `../shared/anchors` when it is there) and our small invented suite in `testdata/petrarch`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// petrarch2's `PETR.UnitTest.records.xml`: records that must pass, coded from their Treebank
/// parses (the measured level; CI fails if it drops), and the records counted.
const PETRARCH2_MIN_PASSED: usize = 273;
const PETRARCH2_RECORDS: usize = 279;
/// The same suite coded from its text alone (the shallow parser plain articles go through).
const PETRARCH2_TEXT_MIN_PASSED: usize = 259;
/// PETRARCH classic's 281-record version (older agent dictionary semantics).
const CLASSIC_MIN_PASSED: usize = 263;
const CLASSIC_RECORDS: usize = 276;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `dyad validate ARGS` and returns stdout, which must end with `passed N of M`.
fn validate(args: &[&str], suite: &Path) -> (String, usize, usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("validate")
        .args(args)
        .arg(suite)
        .output()
        .expect("run dyad");
    assert!(
        out.status.success(),
        "dyad validate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let last = stdout.lines().last().unwrap_or("").to_string();
    let rest = last
        .strip_prefix("passed ")
        .unwrap_or_else(|| panic!("last line is not `passed N of M`: {last:?}"));
    let (n, m) = rest.split_once(" of ").expect("`passed N of M`");
    (stdout.clone(), n.parse().expect("N"), m.parse().expect("M"))
}

fn anchors(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/anchors").join(rel);
    if p.exists() {
        Some(p)
    } else {
        println!("skipped: ../shared/anchors not found");
        None
    }
}

#[test]
fn petrarch2_unit_tests_from_parses() {
    let Some(suite) = anchors("petrarch2/PETR.UnitTest.records.xml") else {
        return;
    };
    let (stdout, n, m) = validate(&[], &suite);
    println!("petrarch2 unit tests: passed {n} of {m}");
    assert_eq!(m, PETRARCH2_RECORDS, "records counted");
    assert!(
        n >= PETRARCH2_MIN_PASSED,
        "passed {n} of {m}, expected at least {PETRARCH2_MIN_PASSED}\n{stdout}"
    );
    // every record is reported, failures with their diff
    let reported = stdout
        .lines()
        .filter(|l| l.starts_with("PASS ") || l.starts_with("FAIL "))
        .count();
    assert_eq!(reported, m);
    assert!(stdout.lines().any(|l| l == "PASS DEMO-00"));
}

#[test]
fn petrarch2_unit_tests_from_text() {
    let Some(suite) = anchors("petrarch2/PETR.UnitTest.records.xml") else {
        return;
    };
    let (stdout, n, m) = validate(&["--no-parse"], &suite);
    println!("petrarch2 unit tests, text only: passed {n} of {m}");
    assert_eq!(m, PETRARCH2_RECORDS);
    assert!(
        n >= PETRARCH2_TEXT_MIN_PASSED,
        "passed {n} of {m}, expected at least {PETRARCH2_TEXT_MIN_PASSED}\n{stdout}"
    );
}

#[test]
fn petrarch_classic_unit_tests() {
    let Some(suite) = anchors("petrarch-classic/PETR.UnitTest.records.xml") else {
        return;
    };
    let (stdout, n, m) = validate(&[], &suite);
    println!("PETRARCH classic unit tests: passed {n} of {m}");
    assert_eq!(m, CLASSIC_RECORDS);
    assert!(
        n >= CLASSIC_MIN_PASSED,
        "passed {n} of {m}, expected at least {CLASSIC_MIN_PASSED}\n{stdout}"
    );
}

#[test]
fn invented_petrarch_suite() {
    let (stdout, n, m) = validate(&[], &repo().join("testdata/petrarch/Test.records.xml"));
    // P-08 fails on purpose; P-OFF is not a test record
    assert_eq!((n, m), (7, 8), "{stdout}");
    for line in [
        "PASS P-01",
        "PASS P-02",
        "PASS P-03",
        "PASS P-04",
        "PASS P-05",
        "PASS P-06",
        "PASS P-07",
        "FAIL P-08",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "no `{line}` in\n{stdout}"
        );
    }
    assert!(stdout.contains("missing VEL / TRK / 051; unexpected VEL / TRK / 052"));
    assert!(stdout.contains("2 <Config> changes applied"));
    assert!(!stdout.contains("P-OFF"));
    // --verbose shows the engine's trace
    let (verbose, _, _) = validate(
        &["--verbose"],
        &repo().join("testdata/petrarch/Test.records.xml"),
    );
    assert!(
        verbose.contains("trace: verb praised [PRAISE]"),
        "{verbose}"
    );
}
