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
    CAMEO_CODES
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &CAMEO_CODES[i])
}

/// Every code, sorted by code string.
pub fn all() -> &'static [CameoCode] {
    CAMEO_CODES
}

include!("cameo_table.rs");
