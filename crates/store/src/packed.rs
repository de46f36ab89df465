//! A mention's contract JSON as SQLite stores it: LZ4-compressed against a fixed dictionary.
//!
//! A mention row is mostly its JSON (about 1 KB), and most of that is field names and a few
//! dozen values that every event repeats (`"date_precision":"day"`, `"acled":{"event_type":`).
//! LZ4 alone finds little to repeat within one small record (about 79% of its size); against a
//! dictionary of those repeated parts it is about 38%. Fewer bytes a row means fewer pages to
//! write, commit and checkpoint, and a smaller file.
//!
//! Stored form: a BLOB (PostgreSQL: `bytea`) whose first byte is the format ([`LZ4_DICT_V1`]),
//! then the JSON's length (u32, little-endian) and its LZ4 block compressed with [`DICT_V1`].
//! Rows written before packing hold the JSON as it is: text on SQLite (schema 4 and
//! earlier), UTF-8 bytes on PostgreSQL (schema 5 and earlier, moved to `bytea` by schema 6),
//! which start with `{`. [`crate::sql::Row::json`] reads all of them.
//!
//! [`DICT_V1`] must never change: stored rows can only be read with the dictionary they were
//! packed with. A new dictionary is a new format byte, next to this one.

use std::cell::RefCell;

use crate::{Result, StoreError};

/// The format byte of a JSON packed with [`DICT_V1`]. JSON as it is starts with `{`, never
/// with this byte.
pub const LZ4_DICT_V1: u8 = 1;

/// The dictionary: the skeleton of a contract event and the values events repeat most, as
/// `dyad code` writes them. Written for this store; never to be edited (see the module doc).
pub const DICT_V1: &str = concat!(
    r#""Battles","Armed clash","Violence against civilians","Attack","Explosions/Remote violence","#,
    r#""Air/drone strike","Shelling/artillery/missile attack","Remote explosive/landmine/IED","#,
    r#""Suicide bomb","Grenade","Abduction/forced disappearance","Sexual violence","#,
    r#""Protests","Peaceful protest","Protest with intervention","Excessive force against protesters","#,
    r#""Riots","Violent demonstration","Mob violence","Strategic developments","Agreement","Arrests","#,
    r#""Change to group/activity","Disrupted weapons use","Headquarters or base established","#,
    r#""Looting/property destruction","Non-violent transfer of territory","Other","#,
    r#""Government regains territory","Non-state actor overtakes territory","#,
    r#""ASSAULT","COERCE","MOBILIZE","PROTEST","THREATEN","ACCUSE","REJECT","REQUEST","SUPPORT","#,
    r#""CONSULT","COOPERATE","AID","RETREAT","SANCTION","AGREE","DEMAND","#,
    r#""disapprove","abduct","firearms","explosives","aerial","heavy-weapons","seize","arrest","#,
    r#""military","political","diplomatic","economic","humanitarian","terrorism","#,
    r#""GOV","MIL","REB","COP","CVL","OPP","BUS","MED","UAF","SPY","JUD","LEG","IGO","NGO","#,
    r#""IRQ","SYR","USA","ISR","PSE","IRN","YEM","UKR","RUS","AFG","PAK","NGA","SDN","#,
    r#""precision":"admin1","precision":"admin2","precision":"country","precision":"point","#,
    r#""date_precision":"week","date_precision":"month","date_precision":"year","#,
    r#""value":1.0,"unit":"people","qualifier":"at_least","qualifier":"about","#,
    r#""killed","wounded","attacks","soldiers","civilians","fighters","#,
    r#""rule":"verbs.toml: verb "," | source: actor before the verb; target: actor after it"#,
    r#"","rule":"tabari: ","rule":"petrarch: ","near":true,"#,
    r#"" said on Monday Tuesday Wednesday Thursday Friday Saturday Sunday, officials said."#,
    r#"{"event_id":"","article_id":"","sentence":1,"date":"2024-01-01","date_precision":"day","#,
    r#""source":{"text":"","code":"","country":"","sector":null,"name":""},"#,
    r#""target":{"text":"","code":"","country":"","sector":null,"name":""},"#,
    r#""cameo":{"code":"190","root":"19","quad_class":4,"goldstein":-10.0},"#,
    r#""plover":{"type":"ASSAULT","mode":null,"contexts":[]},"#,
    r#""acled":{"event_type":null,"sub_event_type":null},"#,
    r#""location":{"name":"","country":"","admin1":null,"lat":0.0,"lon":0.0,"#,
    r#""geonames_id":null,"precision":"city"},"fatalities":null,"quantities":[],"#,
    r#""evidence":{"text":"","trigger":{"text":"","start":0,"end":0},"#,
    r#""source_span":null,"target_span":null,"rule":""}}"#,
);

/// `json` packed: [`LZ4_DICT_V1`], its length and its LZ4 block; None for a text of 4 GiB or
/// more, which stays text. The block is written into a buffer kept by the thread and copied
/// out at its size: one allocation per value.
pub fn pack(json: &str) -> Option<Vec<u8>> {
    thread_local! {
        static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let len = u32::try_from(json.len()).ok()?;
    SCRATCH.with_borrow_mut(|scratch| {
        let need = lz4_flex::block::get_maximum_output_size(json.len());
        if scratch.len() < need {
            scratch.resize(need, 0);
        }
        let n =
            lz4_flex::block::compress_into_with_dict(json.as_bytes(), scratch, DICT_V1.as_bytes())
                .ok()?;
        let mut out = Vec::with_capacity(n + 5);
        out.push(LZ4_DICT_V1);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(scratch.get(..n)?);
        Some(out)
    })
}

/// The JSON text of a packed value; `what` names the row in an error.
pub fn unpack(bytes: &[u8], what: &str) -> Result<String> {
    let corrupt = |why: String| StoreError::Corrupt(format!("{what}: packed JSON: {why}"));
    match bytes.split_first() {
        Some((&LZ4_DICT_V1, body)) => {
            let (size, block) = match body.split_first_chunk::<4>() {
                Some((size, block)) => (u32::from_le_bytes(*size) as usize, block),
                None => return Err(corrupt("no length".into())),
            };
            // LZ4 expands a byte to at most 255: a larger length is damage, not a reason to
            // allocate it.
            if size > block.len().saturating_mul(255) + 16 {
                return Err(corrupt(format!("length {size} from {} bytes", block.len())));
            }
            let raw = lz4_flex::block::decompress_with_dict(block, size, DICT_V1.as_bytes())
                .map_err(|e| corrupt(e.to_string()))?;
            if raw.len() != size {
                return Err(corrupt(format!(
                    "{} bytes where {size} were stored",
                    raw.len()
                )));
            }
            String::from_utf8(raw).map_err(|e| corrupt(e.to_string()))
        }
        // JSON as it is, as PostgreSQL's rows from before packing are.
        Some((b'{', _)) => String::from_utf8(bytes.to_vec()).map_err(|e| corrupt(e.to_string())),
        Some((format, _)) => Err(corrupt(format!("unknown format {format}"))),
        None => Err(corrupt("empty".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_json_reads_back_the_same() {
        for json in [
            "",
            "{}",
            r#"{"event_id":"13646816f3c73f1121186ba0667715d8","article_id":"ex-001","sentence":1,"date":"2024-03-12","date_precision":"day","evidence":{"text":"Żółw — 🐢, \"quoted\""}}"#,
        ] {
            let packed = pack(json).unwrap();
            assert_eq!(packed[0], LZ4_DICT_V1);
            assert_eq!(unpack(&packed, "t").unwrap(), json);
        }
        // A long one (the thread's buffer grows), then a short one again (it is longer than
        // needed): each packs as on its own, the same bytes every time.
        let long: String = (0..20_000).map(|i| format!("{i:x}é ")).collect();
        let short = r#"{"event_id":"ab"}"#;
        let first = pack(short).unwrap();
        assert_eq!(unpack(&pack(&long).unwrap(), "t").unwrap(), long);
        assert_eq!(pack(short).unwrap(), first);
    }

    #[test]
    fn an_event_packs_to_well_under_half_its_size() {
        let json = r#"{"event_id":"2b4fd7c618d2de1f699520a9603b9d59","article_id":"wire-77","sentence":3,"date":"2024-02-04","date_precision":"day","source":{"text":"Gunmen","code":"NGAUAF","country":"NGA","sector":"UAF","name":"Gunmen"},"target":{"text":"villagers","code":"NGACVL","country":"NGA","sector":"CVL","name":"villagers"},"cameo":{"code":"181","root":"18","quad_class":4,"goldstein":-9.0},"plover":{"type":"ASSAULT","mode":"abduct","contexts":[]},"acled":{"event_type":"Violence against civilians","sub_event_type":"Abduction/forced disappearance"},"location":{"name":"Zamfara","country":"NGA","admin1":"Zamfara","lat":12.1,"lon":6.2,"geonames_id":2595344,"precision":"admin1"},"fatalities":null,"quantities":[],"evidence":{"text":"Gunmen abducted at least 20 villagers in Zamfara on Sunday, police said.","trigger":{"text":"abducted","start":7,"end":15},"source_span":[0,6],"target_span":[28,37],"rule":"verbs.toml: verb \"abduct\" [181] | source: actor before the verb; target: actor after it"}}"#;
        let packed = pack(json).unwrap();
        assert!(
            packed.len() * 2 < json.len(),
            "{} bytes packed from {}",
            packed.len(),
            json.len()
        );
    }

    #[test]
    fn damaged_values_are_errors_not_panics() {
        let packed = pack(r#"{"event_id":"x","evidence":{"text":"some text here"}}"#).unwrap();
        for cut in 0..packed.len() {
            let _ = unpack(&packed[..cut], "t");
        }
        let mut flipped = packed.clone();
        for i in 1..flipped.len() {
            flipped[i] ^= 0x5a;
            let _ = unpack(&flipped, "t");
            flipped[i] ^= 0x5a;
        }
        assert!(unpack(&[], "t").is_err());
        assert_eq!(unpack(br#"{"a":1}"#, "t").unwrap(), r#"{"a":1}"#);
        assert!(unpack(b"{\xff}", "t").is_err());
        assert!(unpack(&[9, 1, 2], "t").is_err());
        assert!(unpack(&[LZ4_DICT_V1, 200, 0, 0, 0, 1], "t").is_err());
        assert!(unpack(&[LZ4_DICT_V1, 255, 255, 255, 255, 0x10, 1], "t").is_err());
        assert!(unpack(&[LZ4_DICT_V1, 1, 0], "t").is_err());
    }

    /// Stored rows can only be read with the dictionary they were packed with.
    #[test]
    fn the_dictionary_never_changes() {
        assert_eq!(
            xxhash_rust::xxh3::xxh3_64(DICT_V1.as_bytes()),
            11762895501452348068,
            "DICT_V1 changed: add a new format byte and dictionary instead"
        );
    }
}
