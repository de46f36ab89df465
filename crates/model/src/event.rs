use serde::{Deserialize, Serialize};

/// One article, as the contract's input record describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub text: String,
    /// Publication date, `YYYY-MM-DD` (normalised from RFC 3339 on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// How precisely an event's date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

/// An actor as it appears on an event: the text that named it and its resolved code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    /// The words in the sentence that named the actor.
    pub text: String,
    /// CAMEO-style actor code: country then sectors (`IRQGOV`, `USAMIL`, `IGOUNO`).
    pub code: String,
    /// ISO 3166-1 alpha-3, or null for actors with no country.
    pub country: Option<String>,
    /// The first sector code after the country (`GOV`, `MIL`, `REB`), or null.
    pub sector: Option<String>,
    /// A readable name for the actor.
    pub name: String,
}

/// The CAMEO coding of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CameoInfo {
    pub code: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f64,
}

/// The PLOVER coding of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PloverInfo {
    /// One of the 16 PLOVER event types in upper case, or null when the CAMEO code has none
    /// (public statements, 01x).
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub mode: Option<String>,
    pub contexts: Vec<String>,
}

/// The ACLED coding of an event: null fields where no ACLED type fits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AcledInfo {
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u64>,
    /// `point`, `city`, `admin2`, `admin1`, `country` or `region`.
    pub precision: String,
    /// The text put the event near the place, not in it ("near X", "outside X").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub near: bool,
}

/// A date range, `YYYY-MM-DD` inclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: String,
    pub end: String,
}

/// A number reported about an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: String,
    /// `exact`, `at_least`, `more_than`, `at_most` or `about`.
    pub qualifier: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
}

/// A byte span `[start, end)` into the sentence text.
pub type Span = [usize; 2];

/// The words that triggered the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Why the event was coded: the sentence, its spans (byte offsets into `text`) and the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub trigger: Trigger,
    pub source_span: Option<Span>,
    pub target_span: Option<Span>,
    pub rule: String,
}

/// One coded event: the contract's output record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_id: String,
    pub article_id: String,
    /// Number of the sentence in the article, the first being 1 (as GDELT counts).
    pub sentence: u32,
    pub date: Option<String>,
    pub date_precision: Option<DatePrecision>,
    pub source: Option<EventActor>,
    pub target: Option<EventActor>,
    pub cameo: CameoInfo,
    pub plover: PloverInfo,
    pub acled: AcledInfo,
    pub location: Option<Location>,
    pub fatalities: Option<u32>,
    pub quantities: Vec<Quantity>,
    pub evidence: Evidence,
}

impl Event {
    /// The stable event id: a hash of the article id, the sentence index, the trigger span and
    /// the codes. The same article coded with the same dictionaries gives the same id.
    pub fn compute_id(
        article_id: &str,
        sentence: u32,
        trigger: (usize, usize),
        cameo_code: &str,
        source_code: Option<&str>,
        target_code: Option<&str>,
    ) -> String {
        use xxhash_rust::xxh3::Xxh3;
        let mut h = Xxh3::new();
        for part in [
            article_id.as_bytes(),
            &sentence.to_le_bytes(),
            &(trigger.0 as u64).to_le_bytes(),
            &(trigger.1 as u64).to_le_bytes(),
            cameo_code.as_bytes(),
            source_code.unwrap_or("").as_bytes(),
            target_code.unwrap_or("").as_bytes(),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        // 32 lower-case hex digits, as `format!("{:032x}")` gives, without the formatter
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let d = h.digest128();
        (0..32)
            .map(|k| char::from(HEX[((d >> (124 - 4 * k)) & 0xf) as usize]))
            .collect()
    }
}

/// The CAMEO, PLOVER and ACLED codings of a CAMEO code, given the PLOVER mode the text shows
/// (a drone, an air strike) and the actors' sectors. A code outside CAMEO 1.1b3 (an old
/// dictionary's) keeps its first two digits as root, QuadClass 0 and no PLOVER or ACLED type.
pub fn schemes(
    code: &str,
    mode_hint: Option<&str>,
    source_sector: Option<&str>,
    target_sector: Option<&str>,
) -> (CameoInfo, PloverInfo, AcledInfo) {
    let info = crate::cameo::lookup(code);
    let cameo = CameoInfo {
        code: code.to_string(),
        root: info
            .map(|c| c.root().to_string())
            .unwrap_or_else(|| code.chars().take(2).collect()),
        quad_class: info.map_or(0, |c| c.quad_class),
        goldstein: info.map_or(0.0, |c| c.goldstein),
    };
    let plover = PloverInfo {
        event_type: info.and_then(|c| c.plover_type).map(str::to_string),
        mode: info.and_then(|c| c.plover_mode).map(str::to_string),
        contexts: info
            .map(|c| c.plover_contexts.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default(),
    };
    let acled = match info {
        Some(_) => crate::acled::classify(
            code,
            mode_hint.or(plover.mode.as_deref()),
            source_sector,
            target_sector,
        ),
        None => AcledInfo::default(),
    };
    (cameo, plover, acled)
}

#[cfg(test)]
mod tests {
    use super::Event;
    use xxhash_rust::xxh3::Xxh3;

    /// The id is the 128-bit hash of the parts, each preceded by its length, in 32 lower-case
    /// hex digits: ids stored by earlier versions must stay the same.
    #[test]
    fn event_id_is_the_hash_in_32_hex_digits() {
        let id = Event::compute_id("a1", 3, (10, 16), "190", Some("USAMIL"), None);
        let mut h = Xxh3::new();
        for part in [
            &b"a1"[..],
            &3u32.to_le_bytes(),
            &10u64.to_le_bytes(),
            &16u64.to_le_bytes(),
            b"190",
            b"USAMIL",
            b"",
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        assert_eq!(id, format!("{:032x}", h.digest128()));
        // leading zeros are kept
        assert_eq!(id.len(), 32);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
}
