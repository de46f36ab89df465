//! Our own table of CAMEO 1.1b3 event codes, written from the CAMEO codebook as facts: label,
//! Goldstein score, QuadClass, and the CAMEO→PLOVER mapping.

/// One CAMEO event code and its metadata.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CameoCode {
    /// The code: two digits for a root ("19"), three ("195") or four ("0874") below it.
    pub code: &'static str,
    /// A short label in our words.
    pub label: &'static str,
    /// Goldstein conflict-cooperation score, -10.0 to +10.0.
    pub goldstein: f64,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// PLOVER event type in upper case, or None where PLOVER has none (01x statements).
    pub plover_type: Option<&'static str>,
    /// PLOVER mode, lower case, if the code implies one.
    pub plover_mode: Option<&'static str>,
    /// PLOVER contexts the code implies.
    pub plover_contexts: &'static [&'static str],
}

impl CameoCode {
    /// The two-digit root of the code.
    pub fn root(&self) -> &'static str {
        &self.code[..2]
    }
}

/// Look a code up. Codes are strings, leading zeros kept ("010", "0874").
pub fn lookup(code: &str) -> Option<&'static CameoCode> {
    // Every code is at most four bytes: as a number of those bytes, zero-padded (which keeps
    // the table's byte order), a code is found by comparing integers. Coders look up every
    // event's code, and comparing strings cost 3% of a TABARI coding run.
    static KEYS: std::sync::LazyLock<Box<[u32]>> =
        std::sync::LazyLock::new(|| CAMEO_CODES.iter().map(|c| key(c.code)).collect());
    // (a NUL byte would read as padding)
    if code.len() > 4 || code.bytes().any(|b| b == 0) {
        return None;
    }
    KEYS.binary_search(&key(code))
        .ok()
        .and_then(|i| CAMEO_CODES.get(i))
}

/// A code of at most four bytes as a number: its bytes, zero-padded, most significant first.
fn key(code: &str) -> u32 {
    let mut k = [0u8; 4];
    for (slot, b) in k.iter_mut().zip(code.bytes()) {
        *slot = b;
    }
    u32::from_be_bytes(k)
}

/// Every code, sorted by code string.
pub fn all() -> &'static [CameoCode] {
    CAMEO_CODES
}

include!("cameo_table.rs");

#[cfg(test)]
mod tests {
    use super::*;

    /// The 16 PLOVER event types.
    const PLOVER_TYPES: [&str; 16] = [
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ];

    /// GDELT's QuadClass by root: 01-05 verbal cooperation, 06-09 material cooperation
    /// (GDELT puts 09 "investigate" here), 10-14 verbal conflict, 15-20 material conflict.
    fn gdelt_quad_class(root: &str) -> u8 {
        match root {
            "01" | "02" | "03" | "04" | "05" => 1,
            "06" | "07" | "08" | "09" => 2,
            "10" | "11" | "12" | "13" | "14" => 3,
            "15" | "16" | "17" | "18" | "19" | "20" => 4,
            _ => panic!("not a CAMEO root: {root}"),
        }
    }

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in CAMEO_CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} must sort strictly before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn codes_are_digits_of_the_right_length() {
        for c in all() {
            assert!(
                matches!(c.code.len(), 2..=4) && c.code.bytes().all(|b| b.is_ascii_digit()),
                "bad code {:?}",
                c.code
            );
            assert!(!c.label.is_empty(), "{} has no label", c.code);
        }
    }

    #[test]
    fn twenty_roots() {
        let roots: Vec<&str> = all()
            .iter()
            .filter(|c| c.code.len() == 2)
            .map(|c| c.code)
            .collect();
        let expected: Vec<String> = (1..=20).map(|r| format!("{r:02}")).collect();
        assert_eq!(roots, expected);
    }

    #[test]
    fn every_code_has_its_root_and_parent() {
        for c in all() {
            assert!(lookup(c.root()).is_some(), "{}: root missing", c.code);
            if c.code.len() > 2 {
                let parent = &c.code[..c.code.len() - 1];
                let p =
                    lookup(parent).unwrap_or_else(|| panic!("{}: parent {parent} missing", c.code));
                assert!(c.code.starts_with(p.code));
            }
        }
    }

    #[test]
    fn lookup_finds_every_code_and_nothing_else() {
        for c in all() {
            assert_eq!(lookup(c.code).map(|f| f.code), Some(c.code));
        }
        for missing in [
            "", "0", "00", "21", "1", "0100", "1213", "199", "abc", "01\0", "19\0\0", "01000",
            "19510",
        ] {
            assert!(lookup(missing).is_none(), "{missing:?} should not be found");
        }
        let c = lookup("0874").unwrap();
        assert_eq!((c.goldstein, c.quad_class), (10.0, 2));
    }

    #[test]
    fn goldstein_in_range() {
        for c in all() {
            assert!(
                (-10.0..=10.0).contains(&c.goldstein),
                "{}: goldstein {}",
                c.code,
                c.goldstein
            );
        }
    }

    #[test]
    fn quad_class_follows_root() {
        for c in all() {
            assert_eq!(c.quad_class, gdelt_quad_class(c.root()), "{}", c.code);
        }
    }

    #[test]
    fn plover_fields_are_well_formed() {
        for c in all() {
            match c.plover_type {
                Some(t) => assert!(PLOVER_TYPES.contains(&t), "{}: {t}", c.code),
                None => {
                    // Only public statements (01) and appeals (02) lack a PLOVER type.
                    assert!(matches!(c.root(), "01" | "02"), "{}: no type", c.code);
                    assert!(c.plover_mode.is_none() && c.plover_contexts.is_empty());
                }
            }
            let lower = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
            };
            if let Some(m) = c.plover_mode {
                assert!(lower(m), "{}: mode {m:?}", c.code);
            }
            for ctx in c.plover_contexts {
                assert!(lower(ctx), "{}: context {ctx:?}", c.code);
            }
        }
    }
}
