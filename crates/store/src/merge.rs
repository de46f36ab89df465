//! The dedup rule, defined here and nowhere else: when two coded events are reports of one
//! event.

use serde::{Deserialize, Serialize};

/// When two mentions (coded events of any articles) report the same event. See
/// ARCHITECTURE.md, "The event store".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeRule {
    /// Merge at all. Off, every coded event is its own stored event.
    pub enabled: bool,
    /// Days either side of a day-precision date still taken as the same day.
    pub day_tolerance: i64,
    /// Two precise places (city or finer) further apart than this are different places.
    pub max_distance_km: f64,
    /// A report naming no place matches one that names a place.
    pub missing_place_matches: bool,
}

impl Default for MergeRule {
    fn default() -> Self {
        MergeRule {
            enabled: true,
            day_tolerance: 0,
            max_distance_km: 25.0,
            missing_place_matches: true,
        }
    }
}

/// Parse `YYYY-MM-DD` (or the date part of an RFC 3339 timestamp) to days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    // The common case by hand: ingest formats a date for every event it stores.
    let y = y as u32;
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        10,
        m / 10,
        m % 10,
        10,
        d / 10,
        d % 10,
    ];
    digits
        .iter()
        .map(|&c| {
            if c == 10 {
                '-'
            } else {
                char::from(b'0' + c as u8)
            }
        })
        .collect()
}

/// The day number of the Monday of the ISO week holding day `z`.
pub fn week_start(z: i64) -> i64 {
    // 1970-01-01 was a Thursday: Monday is 3 days before.
    z - (z + 3).rem_euclid(7)
}

/// What the rule looks at in a mention: everything else of the event is ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchKey {
    /// Blocking key: CAMEO root, source country/sector, target country/sector. Only mentions
    /// with equal keys are compared at all.
    pub key: String,
    /// The days the date may stand for: `[first, last]`, from its precision; None if undated.
    pub days: Option<(i64, i64)>,
    pub place: Option<Place>,
}

/// The place of a mention, as the rule sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub geonames_id: Option<i64>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// City or finer (`point`, `city`, `admin2`): distance decides.
    pub precise: bool,
}

impl MatchKey {
    /// The match key of a contract event.
    pub fn of(e: &dyad_model::Event) -> MatchKey {
        // `root|source|target`, an actor being `country|sector` (its code when it has no
        // country; `-|-` when there is none).
        let mut key = String::with_capacity(e.cameo.root.len() + 24);
        key.push_str(&e.cameo.root);
        for a in [&e.source, &e.target] {
            key.push('|');
            match a {
                None => key.push_str("-|-"),
                Some(a) => {
                    key.push_str(a.country.as_deref().unwrap_or(&a.code));
                    key.push('|');
                    key.push_str(a.sector.as_deref().unwrap_or(""));
                }
            }
        }
        let days = e
            .date
            .as_deref()
            .and_then(parse_date)
            .map(|d| date_range(d, e.date_precision));
        let place = e.location.as_ref().map(|l| Place {
            geonames_id: l.geonames_id.map(|g| g as i64),
            country: l.country.clone(),
            lat: l.lat,
            lon: l.lon,
            precise: matches!(l.precision.as_str(), "point" | "city" | "admin2"),
        });
        MatchKey { key, days, place }
    }
}

/// The days a date of this precision may stand for.
pub fn date_range(day: i64, precision: Option<dyad_model::DatePrecision>) -> (i64, i64) {
    use dyad_model::DatePrecision::*;
    match precision {
        None | Some(Day) => (day, day),
        Some(Week) => {
            let s = week_start(day);
            (s, s + 6)
        }
        Some(Month) => {
            let (y, m, _) = civil_from_days(day);
            let first = days_from_civil(y, m, 1);
            (first, first + days_in_month(y, m) as i64 - 1)
        }
        Some(Year) => {
            let (y, _, _) = civil_from_days(day);
            (days_from_civil(y, 1, 1), days_from_civil(y, 12, 31))
        }
    }
}

impl MergeRule {
    /// The widest gap, in days, between two ranges the rule may still match: candidates are
    /// looked up within it.
    pub fn window(&self) -> i64 {
        self.day_tolerance.max(0)
    }

    /// Do `a` and `b` report the same event? `Some(reason)` when they do.
    pub fn matches(&self, a: &MatchKey, b: &MatchKey) -> Option<String> {
        let why = self.test(a, b)?;
        let tol = self.window();
        let date = match why.date {
            DateWhy::SameDay => "same day".to_string(),
            DateWhy::Overlapping => "overlapping dates".to_string(),
            DateWhy::Within => format!("dates within {tol} day(s)"),
        };
        let place = match why.place {
            PlaceWhy::Neither => "neither names a place".to_string(),
            PlaceWhy::OneMissing => "one names no place".to_string(),
            PlaceWhy::Geonames(g) => format!("same place (geonames {g})"),
            PlaceWhy::Km(km) => format!("places {km:.0} km apart"),
            PlaceWhy::Country => format!(
                "same country {} (a place is coarse)",
                a.place
                    .as_ref()
                    .and_then(|p| p.country.as_deref())
                    .unwrap_or("")
            ),
        };
        let root = a.key.split('|').next().unwrap_or("");
        Some(format!(
            "same CAMEO root {root}, same source and target country and sector, {date}, {place}"
        ))
    }

    /// [`MergeRule::matches`] without its reason: nothing allocated.
    pub fn is_match(&self, a: &MatchKey, b: &MatchKey) -> bool {
        self.test(a, b).is_some()
    }

    fn test(&self, a: &MatchKey, b: &MatchKey) -> Option<Why> {
        if !self.enabled || a.key != b.key {
            return None;
        }
        let ((a0, a1), (b0, b1)) = (a.days?, b.days?);
        let tol = self.window();
        if a0 > b1 + tol || b0 > a1 + tol {
            return None;
        }
        let date = if (a0, a1) == (b0, b1) && a0 == a1 {
            DateWhy::SameDay
        } else if a0 <= b1 && b0 <= a1 {
            DateWhy::Overlapping
        } else {
            DateWhy::Within
        };
        let place = match (&a.place, &b.place) {
            (None, None) => PlaceWhy::Neither,
            (None, Some(_)) | (Some(_), None) => {
                if !self.missing_place_matches {
                    return None;
                }
                PlaceWhy::OneMissing
            }
            (Some(p), Some(q)) => self.same_place(p, q)?,
        };
        Some(Why { date, place })
    }

    fn same_place(&self, p: &Place, q: &Place) -> Option<PlaceWhy> {
        if let Some(g) = p.geonames_id.filter(|_| p.geonames_id == q.geonames_id) {
            return Some(PlaceWhy::Geonames(g));
        }
        if p.precise && q.precise {
            if let (Some(a), Some(b), Some(c), Some(d)) = (p.lat, p.lon, q.lat, q.lon) {
                let km = haversine_km(a, b, c, d);
                if km <= self.max_distance_km {
                    return Some(PlaceWhy::Km(km));
                }
            }
            return None;
        }
        // At least one place is coarse (admin1, country, region): the same country will do.
        if p.country.is_some() && p.country == q.country {
            return Some(PlaceWhy::Country);
        }
        None
    }
}

/// Why two match keys match ([`MergeRule::matches`] words it).
#[derive(Clone, Copy)]
struct Why {
    date: DateWhy,
    place: PlaceWhy,
}

#[derive(Clone, Copy)]
enum DateWhy {
    SameDay,
    Overlapping,
    Within,
}

#[derive(Clone, Copy)]
enum PlaceWhy {
    Neither,
    OneMissing,
    Geonames(i64),
    Km(f64),
    Country,
}

/// Match keys that are equal in every field the rule reads are matched alike by it (against
/// any key, and against each other as against themselves). `groups` puts the indices of
/// `keys` into such classes, each in index order, the classes in the order of their first
/// index: a rule's work over many copies of one report is then done once per class.
pub fn groups<'k>(keys: impl IntoIterator<Item = &'k MatchKey>) -> Vec<Vec<usize>> {
    use std::collections::HashMap;
    type Sig<'k> = (
        &'k str,
        Option<(i64, i64)>,
        Option<(Option<i64>, Option<&'k str>, Option<u64>, Option<u64>, bool)>,
    );
    let mut at: HashMap<Sig<'k>, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, k) in keys.into_iter().enumerate() {
        let sig = (
            k.key.as_str(),
            k.days,
            k.place.as_ref().map(|p| {
                (
                    p.geonames_id,
                    p.country.as_deref(),
                    p.lat.map(f64::to_bits),
                    p.lon.map(f64::to_bits),
                    p.precise,
                )
            }),
        );
        let g = *at.entry(sig).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[g].push(i);
    }
    out
}

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in [
            "1970-01-01",
            "2024-02-29",
            "2023-12-31",
            "1999-03-01",
            "2100-02-28",
        ] {
            assert_eq!(format_day(parse_date(s).unwrap()), s);
        }
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("junk"), None);
        assert_eq!(parse_date("2024-01-04T10:00:00Z"), parse_date("2024-01-04"));
        // 2024-01-04 was a Thursday; its week starts on Monday 2024-01-01.
        assert_eq!(
            format_day(week_start(parse_date("2024-01-04").unwrap())),
            "2024-01-01"
        );
        assert_eq!(
            format_day(week_start(parse_date("2024-01-07").unwrap())),
            "2024-01-01"
        );
    }

    #[test]
    fn match_key_text_is_root_and_actors() {
        let old = |e: &dyad_model::Event| {
            let actor = |a: &Option<dyad_model::EventActor>| match a {
                None => "-|-".to_string(),
                Some(a) => format!(
                    "{}|{}",
                    a.country.as_deref().unwrap_or(&a.code),
                    a.sector.as_deref().unwrap_or("")
                ),
            };
            format!("{}|{}|{}", e.cameo.root, actor(&e.source), actor(&e.target))
        };
        for (_, events) in crate::bench::synthetic(0, 20) {
            for (i, mut e) in events.into_iter().enumerate() {
                match i {
                    1 => e.source = None,
                    2 => {
                        if let Some(t) = e.target.as_mut() {
                            t.country = None;
                            t.sector = None;
                        }
                    }
                    3 => e.target = None,
                    _ => {}
                }
                assert_eq!(MatchKey::of(&e).key, old(&e));
            }
        }
    }

    #[test]
    fn format_day_writes_what_format_wrote() {
        // Years 0 to 9999 are written by hand; others (and the edges) as before.
        let first = days_from_civil(-2, 1, 1);
        let last = days_from_civil(10_001, 12, 31);
        for z in (first..=last).step_by(97).chain([first, last, 0, -1]) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(format_day(z), format!("{y:04}-{m:02}-{d:02}"), "day {z}");
        }
    }

    fn key(day: &str, prec: Option<dyad_model::DatePrecision>, place: Option<Place>) -> MatchKey {
        MatchKey {
            key: "19|USA|MIL|IRQ|REB".into(),
            days: Some(date_range(parse_date(day).unwrap(), prec)),
            place,
        }
    }

    fn city(id: i64, lat: f64, lon: f64) -> Option<Place> {
        Some(Place {
            geonames_id: Some(id),
            country: Some("IRQ".into()),
            lat: Some(lat),
            lon: Some(lon),
            precise: true,
        })
    }

    #[test]
    fn rule_table() {
        use dyad_model::DatePrecision::*;
        let r = MergeRule::default();
        let baghdad = city(98182, 33.34, 44.40);
        let basra = city(99532, 30.51, 47.81);
        let near_baghdad = city(1, 33.30, 44.30);
        let cases = [
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-04", Some(Day), baghdad.clone()),
                true,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-05", Some(Day), baghdad.clone()),
                false,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-04", Some(Day), basra.clone()),
                false,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-04", Some(Day), near_baghdad),
                true,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-04", Some(Day), None),
                true,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-20", Some(Month), None),
                true,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-02-20", Some(Month), None),
                false,
            ),
            (
                key("2024-01-04", Some(Day), baghdad.clone()),
                key("2024-01-02", Some(Week), basra),
                false,
            ),
        ];
        for (i, (a, b, want)) in cases.iter().enumerate() {
            assert_eq!(r.matches(a, b).is_some(), *want, "case {i}");
            assert_eq!(r.matches(b, a).is_some(), *want, "case {i} reversed");
        }
        let mut other = key("2024-01-04", Some(Day), None);
        other.key = "19|USA|MIL|SYR|REB".into();
        assert!(r
            .matches(&key("2024-01-04", Some(Day), None), &other)
            .is_none());
        let tolerant = MergeRule {
            day_tolerance: 1,
            ..MergeRule::default()
        };
        assert!(tolerant
            .matches(
                &key("2024-01-04", Some(Day), None),
                &key("2024-01-05", Some(Day), None)
            )
            .is_some());
    }
}
