//! Loading the embedded data into a [`Gazetteer`]. `build.rs` has already compiled
//! `data/gazetteer.tsv` (written by `scripts/build-gazetteer.py`; GeoNames data, CC BY 4.0, see
//! `data/ATTRIBUTION.md`): here the places are parsed and the automaton and candidate lists
//! decoded, which takes a few tens of milliseconds.

use std::collections::HashMap;

use daachorse::DoubleArrayAhoCorasick;

use crate::names::is_place;
use crate::{Gazetteer, KeyInfo, Kind, Place, NONE16, NONE32};

/// The place records, in file order, without their names.
static PLACES: &str = include_str!(concat!(env!("OUT_DIR"), "/places.tsv"));
/// The serialised automaton over the names' match keys.
static AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.daac"));
/// The number of names, then per automaton value: candidates start, count (u32 LE), flags.
static KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/keys.bin"));
/// Candidate lists: place index (u32 LE), high bit for a place's own name.
static CANDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cands.bin"));

fn feature(code: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "P.PPL", "P.PPLC", "A.ADM1", "A.PCLI", "S.AIRB", "S.AIRP", "S.INSM", "S.CMP", "S.PSTB",
        "S.HSP", "S.PS", "S.BDG", "S.DAM", "L.RGN", "H.SEA", "H.GULF", "H.STRT", "H.LK", "L.CONT",
    ];
    KNOWN.iter().find(|k| **k == code).copied().unwrap_or("")
}

fn precision(p: &str) -> &'static str {
    match p {
        "point" => "point",
        "region" => "region",
        "admin1" => "admin1",
        "country" => "country",
        _ => "city",
    }
}

fn country_of(places: &[Place], countries: &[u32], cix: u16) -> Option<String> {
    let at = *countries.get(cix as usize)?;
    places.get(at as usize)?.country.clone()
}

fn admin1_name(places: &[Place], admin1: &[u32], aix: u32) -> Option<String> {
    let at = *admin1.get(aix as usize)?;
    Some(places.get(at as usize)?.name.clone())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

pub(crate) fn load() -> Gazetteer {
    let mut places: Vec<Place> = Vec::with_capacity(PLACES.len() / 60);
    let mut countries: Vec<u32> = Vec::new();
    let mut iso2: HashMap<&str, u16> = HashMap::new();
    let mut iso3: HashMap<String, u16> = HashMap::new();
    let mut admin1: Vec<u32> = Vec::new();
    let mut admin1_by_key: HashMap<&str, u32> = HashMap::new();
    let mut skipped = 0usize;

    for line in PLACES.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if !is_place(&f) {
            skipped += 1;
            continue;
        }
        let ix = places.len() as u32;
        // Every place record is a place (build.rs numbers them so); a field that does not
        // parse is counted, never a reason to drop the record.
        let mut bad = false;
        let mut num = |s: &str| {
            s.parse::<f64>().unwrap_or_else(|_| {
                bad = true;
                0.0
            })
        };
        let place = match f[0] {
            "C" => {
                let cix = countries.len() as u16;
                countries.push(ix);
                iso2.insert(f[1], cix);
                iso3.insert(f[2].to_string(), cix);
                Place {
                    geonames_id: f[3].parse().unwrap_or(0),
                    name: f[4].to_string(),
                    country: Some(f[2].to_string()),
                    admin1: None,
                    lat: num(f[6]),
                    lon: num(f[7]),
                    population: f[5].parse().unwrap_or(0),
                    precision: "country",
                    feature: "A.PCLI",
                    kind: Kind::Country,
                    admin1_ix: NONE32,
                    country_ix: cix,
                }
            }
            "A" => {
                let cix = f[1]
                    .split('.')
                    .next()
                    .and_then(|cc| iso2.get(cc))
                    .copied()
                    .unwrap_or(NONE16);
                let aix = admin1.len() as u32;
                admin1.push(ix);
                admin1_by_key.insert(f[1], aix);
                Place {
                    geonames_id: f[2].parse().unwrap_or(0),
                    name: f[3].to_string(),
                    country: country_of(&places, &countries, cix),
                    admin1: Some(f[3].to_string()),
                    lat: num(f[5]),
                    lon: num(f[6]),
                    population: f[4].parse().unwrap_or(0),
                    precision: "admin1",
                    feature: "A.ADM1",
                    kind: Kind::Admin1,
                    admin1_ix: aix,
                    country_ix: cix,
                }
            }
            "P" => {
                let cix = iso2.get(f[4]).copied().unwrap_or(NONE16);
                let key = format!("{}.{}", f[4], f[5]);
                let aix = admin1_by_key.get(key.as_str()).copied().unwrap_or(NONE32);
                Place {
                    geonames_id: f[1].parse().unwrap_or(0),
                    name: f[2].to_string(),
                    country: country_of(&places, &countries, cix),
                    admin1: admin1_name(&places, &admin1, aix),
                    lat: num(f[7]),
                    lon: num(f[8]),
                    population: f[6].parse().unwrap_or(0),
                    precision: "city",
                    feature: feature(f[9]),
                    kind: Kind::City,
                    admin1_ix: aix,
                    country_ix: cix,
                }
            }
            _ => {
                let cix = iso3.get(f[2]).copied().unwrap_or(NONE16);
                let aix = admin1_by_key.get(f[3]).copied().unwrap_or(NONE32);
                Place {
                    geonames_id: f[9].parse().unwrap_or(0),
                    name: f[1].to_string(),
                    country: (cix != NONE16).then(|| f[2].to_string()),
                    admin1: admin1_name(&places, &admin1, aix),
                    lat: num(f[4]),
                    lon: num(f[5]),
                    population: 0,
                    precision: precision(f[6]),
                    feature: feature(f[7]),
                    kind: Kind::Supplement,
                    admin1_ix: aix,
                    country_ix: cix,
                }
            }
        };
        if bad || (place.kind != Kind::Supplement && place.country_ix == NONE16) {
            skipped += 1;
        }
        places.push(place);
    }
    places.shrink_to_fit();

    let n_names = KEYS
        .get(..8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_le_bytes) as usize;
    let keys: Vec<KeyInfo> = KEYS
        .get(8..)
        .unwrap_or_default()
        .chunks_exact(9)
        .map(|c| KeyInfo {
            start: u32_at(c, 0),
            len: u32_at(c, 4),
            flags: c[8],
        })
        .collect();
    let cands: Vec<u32> = CANDS.chunks_exact(4).map(|c| u32_at(c, 0)).collect();
    let (matcher, _) = DoubleArrayAhoCorasick::<u32>::deserialize(AUTOMATON)
        .expect("build.rs serialised a valid automaton");
    Gazetteer {
        places,
        countries,
        iso3,
        matcher,
        keys,
        cands,
        n_names,
        skipped,
    }
}
