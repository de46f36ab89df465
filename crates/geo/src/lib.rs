//! dyad's embedded gazetteer: recognising place names in news sentences and resolving them
//! to GeoNames places.
//!
//! The data ships inside the binary (nothing is downloaded at run time): every GeoNames place
//! of 5000 people or more with a bounded set of Latin-script alternate names, the first-level
//! administrative divisions, the countries and continents, and our own supplement of places
//! news names and GeoNames packages lack (military bases, border crossings, airports, regions
//! such as the Gaza Strip or Darfur). `scripts/build-gazetteer.py` rebuilds the committed
//! `data/gazetteer.tsv` (7 MB) from registry packages (see `data/ATTRIBUTION.md`: GeoNames data,
//! CC BY 4.0); `build.rs` compiles it into the name automaton at build time.
//!
//! [`gazetteer()`] loads it once, on first use (decoding only: about 0.1 s, 30 MB). Then, per
//! sentence:
//! 1. [`Gazetteer::find`] runs one automaton pass over the sentence's normalised tokens and
//!    returns the [`Toponym`]s: token range, candidate places, whether the text said "near X",
//!    and any qualifier ("Comodoro Rivadavia (Chubut)", "Kirkuk province"). False friends are
//!    filtered: place names that are ordinary words ("Split", "Nice", "Mobile") count only when
//!    capitalised, not sentence-initial and backed by a locative ("in Split") or a qualifier,
//!    first names ("Victoria") not sentence-initially, and no name right after a title
//!    ("President", "Mr.") or inside a longer capitalised name ("Washington Post").
//! 2. [`Gazetteer::resolve`] picks one candidate given a [`Context`] (the countries the article
//!    is about; [`Context::add_mentions`] adds those the sentences name): qualifiers first,
//!    then context countries, then population and kind.
//!
//! Names and sentences meet in one normal form: `dyad_text`'s normalised tokens, then folded
//! alike (diacritics, inner apostrophes and periods, and hyphens dropped), so "Deir ez-Zor" in
//! text finds "Deir Ez Zor" in the data and "Krakow" finds "Kraków". Text in capitals (wire
//! copy) is read with its own, stricter rules, since case says nothing there.
//!
//! ```
//! use dyad_geo::{gazetteer, Context};
//!
//! let g = gazetteer();
//! let text = "A drone struck a base near Erbil, and protesters gathered in Tripoli.";
//! let toks = dyad_text::tokenize(text);
//! let found = g.find(text, &toks);
//! assert_eq!(found.len(), 2);
//! assert!(found[0].near);
//! let ctx = Context::new(["LBN"]);
//! let tripoli = g.resolve(&found[1], &ctx).unwrap();
//! assert_eq!((tripoli.country.as_deref(), tripoli.precision), (Some("LBN"), "city"));
//! let libya = g.resolve(&found[1], &Context::default()).unwrap();
//! assert_eq!(libya.country.as_deref(), Some("LBY"));
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use daachorse::DoubleArrayAhoCorasick;

mod data;
mod find;
mod key;
mod names;
mod resolve;

pub use resolve::Context;

pub(crate) const MAIN: u32 = 1 << 31;
pub(crate) const NONE32: u32 = u32::MAX;
pub(crate) const NONE16: u16 = u16::MAX;

/// A place of the gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// GeoNames id; 0 for places with none (our supplement, and admin1 divisions whose
    /// GeoNames id the packages do not give: all but the US states).
    pub geonames_id: u64,
    pub name: String,
    /// ISO 3166-1 alpha-3 country; `None` for regions spanning countries ("Sahel", "Red Sea").
    pub country: Option<String>,
    /// Name of the first-level division ("Baghdad", "Chubut", "California").
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames population (for an admin1 division: the sum of its towns of 5000+; 0 for the
    /// supplement).
    pub population: u64,
    /// `"city"`, `"admin1"`, `"country"`, `"region"` or `"point"`, spelled as the event
    /// contract's `location.precision`.
    pub precision: &'static str,
    /// GeoNames-style feature class and code: `"P.PPL"`, `"P.PPLC"` (capital), `"A.ADM1"`,
    /// `"A.PCLI"` (country), `"S.AIRB"` (air base), `"S.PSTB"` (border post), `"L.RGN"`, ...
    pub feature: &'static str,
    pub(crate) kind: Kind,
    pub(crate) admin1_ix: u32,
    pub(crate) country_ix: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Country,
    Admin1,
    City,
    Supplement,
}

/// Index of a place in the [`Gazetteer`] (see [`Gazetteer::place`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// A place name found in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Toponym {
    /// Token indices (into the sentence's [`dyad_text::Tokens`]), end exclusive.
    pub tokens: Range<usize>,
    /// Byte offsets into the original text.
    pub span: Range<usize>,
    /// The words as written.
    pub text: String,
    /// Every place this name may be, in gazetteer order (resolve with [`Gazetteer::resolve`]).
    pub candidates: Vec<PlaceId>,
    /// The text placed the event near the place, not in it: "near X", "outside X",
    /// "north of X", "on the outskirts of X", "10 km from X".
    pub near: bool,
    /// Followed (or preceded) by an administrative word: "Kirkuk province", "the province of
    /// Kirkuk": prefer the division.
    pub admin_word: bool,
    /// Divisions or countries the text gives as qualifiers: "Comodoro Rivadavia (Chubut)",
    /// "Paris, Texas", "Syria's Deir ez-Zor".
    pub hint: Vec<PlaceId>,
    /// This toponym is itself such a qualifier of the previous one (the "Chubut" of
    /// "Comodoro Rivadavia (Chubut)"); a caller placing events may skip it.
    pub qualifier: bool,
    /// The name is also an ordinary English word and nothing in the sentence marks it as a
    /// place: [`Gazetteer::resolve`] accepts it only inside the context countries.
    pub weak: bool,
    /// For each candidate: matched by one of the place's own names (not an alternate name).
    pub(crate) main: Vec<bool>,
}

pub(crate) struct KeyInfo {
    start: u32,
    len: u32,
    flags: u8,
}

/// The loaded gazetteer. Immutable; share it by reference (see [`gazetteer()`]).
pub struct Gazetteer {
    places: Vec<Place>,
    /// Place index of each country, by `Place::country_ix`.
    countries: Vec<u32>,
    iso3: HashMap<String, u16>,
    matcher: DoubleArrayAhoCorasick<u32>,
    keys: Vec<KeyInfo>,
    /// Candidates of each key: place index, `| MAIN` when the key is one of the place's own
    /// names (not a GeoNames alternate name).
    cands: Vec<u32>,
    n_names: usize,
    #[cfg_attr(not(test), allow(dead_code))]
    skipped: usize,
}

/// The embedded gazetteer, loaded on first use (tens of milliseconds: `build.rs` compiled it)
/// and shared.
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(data::load)
}

impl Gazetteer {
    /// The place of an id from [`Toponym::candidates`] or [`Toponym::hint`].
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// The country with this ISO 3166-1 alpha-3 code ("IRQ").
    pub fn country(&self, iso3: &str) -> Option<&Place> {
        let cix = *self.iso3.get(iso3)?;
        Some(&self.places[self.countries[cix as usize] as usize])
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Always false: the embedded data has places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Number of (place, name) pairs loaded, and of distinct match keys.
    pub fn names(&self) -> (usize, usize) {
        (self.n_names, self.keys.len())
    }

    /// Heap bytes held by the loaded gazetteer (places, strings, automaton, tables), not
    /// counting the embedded data itself (which lives in the binary's read-only data).
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let strings: usize = self
            .places
            .iter()
            .map(|p| {
                p.name.capacity()
                    + p.country.as_ref().map_or(0, String::capacity)
                    + p.admin1.as_ref().map_or(0, String::capacity)
            })
            .sum();
        self.places.capacity() * size_of::<Place>()
            + strings
            + self.countries.capacity() * 4
            + self.iso3.capacity() * (size_of::<String>() + 2 + 8)
            + self.iso3.keys().map(String::capacity).sum::<usize>()
            + self.matcher.heap_bytes()
            + self.keys.capacity() * size_of::<KeyInfo>()
            + self.cands.capacity() * 4
    }

    pub(crate) fn key_cands(&self, key: u32) -> (&[u32], u8) {
        let k = &self.keys[key as usize];
        (
            &self.cands[k.start as usize..(k.start + k.len) as usize],
            k.flags,
        )
    }

    /// Is `p` inside the division or country `h`?
    pub(crate) fn within(&self, p: &Place, h: &Place) -> bool {
        match h.kind {
            Kind::Country => p.country_ix == h.country_ix && p.country_ix != NONE16,
            Kind::Admin1 => p.admin1_ix == h.admin1_ix && p.admin1_ix != NONE32,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_everything() {
        let g = gazetteer();
        assert_eq!(g.skipped, 0, "malformed records in data/gazetteer.tsv");
        assert!(g.len() > 70_000, "{} places", g.len());
        let (names, keys) = g.names();
        assert!(
            names > 150_000 && keys > 120_000,
            "{names} names, {keys} keys"
        );
        let iraq = g.country("IRQ").unwrap();
        assert_eq!((iraq.name.as_str(), iraq.geonames_id), ("Iraq", 99237));
        assert_eq!(iraq.precision, "country");
        assert!(g.country("XXX").is_none());
        let kinds = |k: Kind| g.places.iter().filter(|p| p.kind == k).count();
        assert!(kinds(Kind::Country) > 240);
        assert!(kinds(Kind::Admin1) > 3000);
        assert!(kinds(Kind::Supplement) >= 50);
        // Every city knows its country; nearly all know their admin1 name.
        let cities: Vec<&Place> = g.places.iter().filter(|p| p.kind == Kind::City).collect();
        assert!(cities.iter().all(|p| p.country.is_some()));
        let with_admin1 = cities.iter().filter(|p| p.admin1.is_some()).count();
        assert!(with_admin1 * 100 > cities.len() * 95, "{with_admin1}");
        let baghdad = g.places.iter().find(|p| p.geonames_id == 98182).unwrap();
        assert_eq!(baghdad.admin1.as_deref(), Some("Baghdad"));
        assert_eq!(baghdad.feature, "P.PPLC");
    }

    /// build.rs and the loader number places alike: every name of the data (one in 25, for
    /// speed) finds its own place through the automaton.
    #[test]
    fn every_name_finds_its_place() {
        let g = gazetteer();
        let data = include_str!("../data/gazetteer.tsv");
        let mut n = 0;
        let mut missing = Vec::new();
        names::for_each_name(
            data,
            |place, name, _| {
                n += 1;
                if n % 25 != 0 {
                    return;
                }
                let key = key::name_key(name);
                let found = g.matcher.find_overlapping_iter(&key).any(|m| {
                    m.start() == 0
                        && m.end() == key.len()
                        && g.key_cands(m.value()).0.iter().any(|&c| c & !MAIN == place)
                });
                if !found && !key.is_empty() {
                    missing.push(format!("{name} ({})", g.places[place as usize].name));
                }
            },
            |_, _| {},
        );
        assert!(n > 150_000, "{n} names");
        assert!(
            missing.is_empty(),
            "{} not found: {:?}",
            missing.len(),
            &missing[..missing.len().min(10)]
        );
    }

    #[test]
    fn memory_is_bounded() {
        let g = gazetteer();
        let m = g.memory_bytes();
        // The goal is 150 MB; this data needs far less.
        assert!(m > 10_000_000 && m < 150_000_000, "{m} bytes");
    }
}
