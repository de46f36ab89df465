//! Reading the data file's records: shared by `build.rs`, which compiles every name into the
//! match automaton, and by the loader, which numbers the places in the same order.
//!
//! Every place record (`C`, `A`, `P`, `S`, with their field counts) is one place, numbered
//! from 0 in file order; `N` records add names to a `P` place by GeoNames id; `W` records flag
//! names (see `scripts/build-gazetteer.py` for the format).

use std::collections::HashMap;

/// Name flag: the name is also an ordinary English word ("Split").
pub(crate) const COMMON: u8 = 1;
/// Name flag: the name is also a frequent first name ("Victoria").
pub(crate) const PERSON: u8 = 2;
/// Name flag: only in capitals ("US").
pub(crate) const EXACT: u8 = 4;

/// Is this record (split on tabs) a place?
pub(crate) fn is_place(f: &[&str]) -> bool {
    matches!(
        (f.first().copied(), f.len()),
        (Some("C"), 9) | (Some("A"), 8) | (Some("P"), 11) | (Some("S"), 10)
    )
}

#[cfg_attr(not(test), allow(dead_code))] // the library's tests check build.rs's output with it
/// Calls `name(place, name, main)` for every name of every place (`main`: one of the place's
/// own names, not a GeoNames alternate name) and `flag(name, flags)` for every flag record.
pub(crate) fn for_each_name(
    data: &str,
    mut name: impl FnMut(u32, &str, bool),
    mut flag: impl FnMut(&str, u8),
) {
    let mut ix = 0u32;
    let mut by_id: HashMap<&str, u32> = HashMap::new();
    let split = |list: &str, ix: u32, main: bool, name: &mut dyn FnMut(u32, &str, bool)| {
        for n in list.split('|').filter(|n| !n.is_empty()) {
            name(ix, n, main);
        }
    };
    for line in data.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if is_place(&f) {
            match f[0] {
                "C" => {
                    name(ix, f[4], true);
                    split(f[8], ix, true, &mut name);
                }
                "A" => {
                    name(ix, f[3], true);
                    split(f[7], ix, true, &mut name);
                }
                "P" => {
                    by_id.insert(f[1], ix);
                    for n in f[10].split('|').filter(|n| !n.is_empty()) {
                        name(ix, n, n == f[2] || n == f[3]);
                    }
                }
                _ => {
                    name(ix, f[1], true);
                    split(f[8], ix, true, &mut name);
                }
            }
            ix += 1;
        } else if f[0] == "N" && f.len() == 3 {
            if let Some(&at) = by_id.get(f[1]) {
                split(f[2], at, true, &mut name);
            }
        } else if f[0] == "W" && f.len() == 3 {
            let mut fl = 0;
            for c in f[2].chars() {
                fl |= match c {
                    'c' => COMMON,
                    'p' => PERSON,
                    'e' => EXACT,
                    _ => 0,
                };
            }
            flag(f[1], fl);
        }
    }
}
