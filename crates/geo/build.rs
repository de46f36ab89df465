//! Compiles `data/gazetteer.tsv` at build time, so that loading at run time is only decoding:
//! - `places.tsv`: the place records without their names (what the loader parses);
//! - `names.daac`: the daachorse automaton over every name's match key (names normalised by
//!   `dyad_text::normalize_phrase` and folded by `src/key.rs`, the same code that folds
//!   sentences at run time), serialised;
//! - `keys.bin`: for each automaton value, its candidate list and name flags;
//!   `cands.bin`: the candidate lists (place index, high bit set for a place's own name).
//!
//! Everything is rebuilt when the data, the key code or dyad-text change.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

#[allow(dead_code)]
#[path = "src/key.rs"]
mod key;
#[allow(dead_code)]
#[path = "src/names.rs"]
mod names;

const MAIN: u32 = 1 << 31;

fn main() {
    for f in [
        "data/gazetteer.tsv",
        "src/key.rs",
        "src/names.rs",
        "build.rs",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    let data = std::fs::read_to_string("data/gazetteer.tsv").expect("data/gazetteer.tsv");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    // Places without their names.
    let mut places = String::with_capacity(data.len() / 2);
    for line in data.lines() {
        let mut f: Vec<&str> = line.split('\t').collect();
        if names::is_place(&f) {
            let names_field = match f[0] {
                "C" => 8,
                "A" => 7,
                "P" => 10,
                _ => 8,
            };
            f[names_field] = "";
            places.push_str(&f.join("\t"));
            places.push('\n');
        }
    }
    std::fs::write(out.join("places.tsv"), places).expect("write places.tsv");

    // Names: key -> candidates.
    let mut by_key: HashMap<String, Vec<u32>> = HashMap::with_capacity(250_000);
    let mut flags: Vec<(String, u8)> = Vec::new();
    let mut n_names = 0u64;
    names::for_each_name(
        &data,
        |place, name, main| {
            let k = key::name_key(name);
            if k.is_empty() {
                return;
            }
            n_names += 1;
            let v = by_key.entry(k).or_default();
            match v.iter_mut().find(|c| **c & !MAIN == place) {
                Some(c) => *c |= if main { MAIN } else { 0 },
                None => v.push(place | if main { MAIN } else { 0 }),
            }
        },
        |name, fl| flags.push((key::name_key(name), fl)),
    );
    let mut keys: Vec<(String, Vec<u32>)> = by_key.into_iter().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut key_flags = vec![0u8; keys.len()];
    for (k, fl) in flags {
        if let Ok(i) = keys.binary_search_by(|e| e.0.as_str().cmp(&k)) {
            key_flags[i] |= fl;
        }
    }
    let mut keys_bin = Vec::with_capacity(8 + keys.len() * 9);
    keys_bin.extend_from_slice(&n_names.to_le_bytes());
    let mut cands_bin = Vec::new();
    let mut start = 0u32;
    for (i, (_, v)) in keys.iter().enumerate() {
        keys_bin.extend_from_slice(&start.to_le_bytes());
        keys_bin.extend_from_slice(&(v.len() as u32).to_le_bytes());
        keys_bin.push(key_flags[i]);
        for c in v {
            cands_bin.extend_from_slice(&c.to_le_bytes());
        }
        start += v.len() as u32;
    }
    std::fs::write(out.join("keys.bin"), keys_bin).expect("write keys.bin");
    std::fs::write(out.join("cands.bin"), cands_bin).expect("write cands.bin");

    let matcher: DoubleArrayAhoCorasick<u32> = DoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build_with_values(
            keys.iter()
                .enumerate()
                .map(|(i, (k, _))| (k.as_str(), i as u32)),
        )
        .expect("the gazetteer's names make a valid automaton");
    let mut f = std::fs::File::create(out.join("names.daac")).expect("create names.daac");
    f.write_all(&matcher.serialize()).expect("write names.daac");
}
