//! Export layouts of stored events: GDELT 2.0 event TSV, ACLED CSV, PLOVER JSON.

use std::io::{self, Write};

use dyad_model::EventActor;
use dyad_store::StoredEvent;
use serde_json::json;

/// GDELT 2.0's 61 event columns, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// A TSV field: tabs and newlines cannot appear in one.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn actor_cols(a: Option<&EventActor>) -> [String; 10] {
    let Some(a) = a else {
        return Default::default();
    };
    // Sectors after the country, three letters each: Type1..Type3.
    let rest = a.code.get(3..).unwrap_or("");
    let types: Vec<String> = (0..3)
        .map(|i| rest.get(i * 3..i * 3 + 3).unwrap_or("").to_string())
        .collect();
    [
        tsv(&a.code),
        tsv(&a.name.to_uppercase()),
        a.country.clone().unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        types[0].clone(),
        types[1].clone(),
        types[2].clone(),
    ]
}

/// GDELT's DATEADDED of a time in seconds since 1970: `YYYYMMDDHHMMSS`, UTC.
fn date_added(secs: i64) -> String {
    let day = secs.div_euclid(86_400);
    let t = secs.rem_euclid(86_400);
    let (y, m, d) = dyad_store::merge::civil_from_days(day);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// One event as a GDELT 2.0 event row. Our event id (hex) stands in GlobalEventID; country
/// columns of actors hold ISO alpha-3 (as CAMEO does); DATEADDED is when the store took the
/// article in and SOURCEURL the URL of the event's representative article; the geo country
/// and ADM codes (FIPS in GDELT), AvgTone and the actor geographies are left empty.
pub fn gdelt(e: &StoredEvent, out: &mut dyn Write) -> io::Result<()> {
    let ev = &e.event;
    let date = ev.date.as_deref().unwrap_or("");
    let (y, m, d) = (
        date.get(0..4).unwrap_or(""),
        date.get(5..7).unwrap_or(""),
        date.get(8..10).unwrap_or(""),
    );
    let fraction = dyad_store::merge::parse_date(date)
        .map(|day| {
            let (yy, _, _) = dyad_store::merge::civil_from_days(day);
            let jan1 = dyad_store::merge::days_from_civil(yy, 1, 1);
            format!("{:.4}", yy as f64 + (day - jan1) as f64 / 365.0)
        })
        .unwrap_or_default();
    let mut cols: Vec<String> = Vec::with_capacity(61);
    cols.push(ev.event_id.clone());
    cols.push(format!("{y}{m}{d}"));
    cols.push(format!("{y}{m}"));
    cols.push(y.to_string());
    cols.push(fraction);
    cols.extend(actor_cols(ev.source.as_ref()));
    cols.extend(actor_cols(ev.target.as_ref()));
    cols.push(if ev.sentence == 1 { "1" } else { "0" }.into());
    cols.push(ev.cameo.code.clone());
    cols.push(ev.cameo.code.chars().take(3).collect());
    cols.push(ev.cameo.root.clone());
    cols.push(ev.cameo.quad_class.to_string());
    cols.push(format!("{}", ev.cameo.goldstein));
    cols.push(e.num_mentions.to_string());
    cols.push(e.num_sources.to_string());
    cols.push(e.num_articles.to_string());
    cols.push(String::new()); // AvgTone
    for _ in 0..2 {
        cols.extend(std::iter::repeat_n(String::new(), 8));
    }
    match &ev.location {
        Some(l) => {
            let ty = match l.precision.as_str() {
                "country" | "region" => "1",
                "admin1" => "5",
                _ => "4",
            };
            cols.push(ty.into());
            cols.push(tsv(&l.name));
            cols.push(String::new());
            cols.push(String::new());
            cols.push(String::new());
            cols.push(l.lat.map(|v| v.to_string()).unwrap_or_default());
            cols.push(l.lon.map(|v| v.to_string()).unwrap_or_default());
            cols.push(l.geonames_id.map(|v| v.to_string()).unwrap_or_default());
        }
        None => cols.extend(std::iter::repeat_n(String::new(), 8)),
    }
    cols.push(e.date_added.map(date_added).unwrap_or_default());
    cols.push(e.source_url.as_deref().map(tsv).unwrap_or_default());
    debug_assert_eq!(cols.len(), GDELT_COLUMNS.len());
    writeln!(out, "{}", cols.join("\t"))
}

/// ACLED's CSV export columns.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One event as an ACLED row, if it has an ACLED type. `country` holds the ISO alpha-3 code
/// (ACLED writes the name); `source` is the representative article's source and `timestamp`
/// when the store took it in; `iso`, `region` and the interaction codes are left empty.
pub fn acled(e: &StoredEvent, out: &mut dyn Write) -> io::Result<()> {
    let ev = &e.event;
    let Some(event_type) = ev.acled.event_type.as_deref() else {
        return Ok(());
    };
    let disorder = match event_type {
        "Protests" | "Riots" => "Demonstrations",
        "Strategic developments" => "Strategic developments",
        _ => "Political violence",
    };
    let time_precision = match ev.date_precision {
        Some(dyad_model::DatePrecision::Day) | None => "1",
        Some(dyad_model::DatePrecision::Week) => "2",
        _ => "3",
    };
    let loc = ev.location.as_ref();
    let geo_precision = match loc.map(|l| l.precision.as_str()) {
        Some("point") | Some("city") if !loc.is_some_and(|l| l.near) => "1",
        Some("point") | Some("city") | Some("admin2") => "2",
        _ => "3",
    };
    let name = |a: Option<&EventActor>| a.map(|a| a.name.clone()).unwrap_or_default();
    let civilian = ev
        .target
        .as_ref()
        .and_then(|t| t.sector.as_deref())
        .is_some_and(|s| s == "CVL");
    let date = ev.date.clone().unwrap_or_default();
    let cols: Vec<String> = vec![
        ev.event_id.clone(),
        date.clone(),
        date.get(0..4).unwrap_or("").to_string(),
        time_precision.into(),
        disorder.into(),
        event_type.into(),
        ev.acled.sub_event_type.clone().unwrap_or_default(),
        name(ev.source.as_ref()),
        String::new(),
        String::new(),
        name(ev.target.as_ref()),
        String::new(),
        String::new(),
        String::new(),
        if civilian { "Civilian targeting" } else { "" }.into(),
        String::new(),
        String::new(),
        loc.and_then(|l| l.country.clone()).unwrap_or_default(),
        loc.and_then(|l| l.admin1.clone()).unwrap_or_default(),
        String::new(),
        String::new(),
        loc.map(|l| l.name.clone()).unwrap_or_default(),
        loc.and_then(|l| l.lat)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        loc.and_then(|l| l.lon)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        geo_precision.into(),
        e.article_source.clone().unwrap_or_default(),
        String::new(),
        ev.evidence.text.clone(),
        ev.fatalities.unwrap_or(0).to_string(),
        String::new(),
        e.date_added.map(|t| t.to_string()).unwrap_or_default(),
    ];
    let line: Vec<String> = cols.iter().map(|c| csv(c)).collect();
    writeln!(out, "{}", line.join(","))
}

/// One event as a PLOVER JSON record (the layout of PLOVER's gold standard records).
pub fn plover(e: &StoredEvent, out: &mut dyn Write) -> io::Result<()> {
    let ev = &e.event;
    let actor = |a: Option<&EventActor>| -> serde_json::Value {
        match a {
            Some(a) => json!([{
                "actorText": a.text,
                "code": a.code,
                "country": a.country,
                "sector": a.sector,
                "name": a.name,
            }]),
            None => json!([]),
        }
    };
    let rec = json!({
        "id": ev.event_id,
        "date": ev.date,
        "source": actor(ev.source.as_ref()),
        "target": actor(ev.target.as_ref()),
        "event": ev.plover.event_type,
        "mode": ev.plover.mode,
        "context": ev.plover.contexts.join(","),
        "eventText": ev.evidence.trigger.text,
        "text": ev.evidence.text,
        "location": ev.location.as_ref().map(|l| json!({
            "placeName": l.name,
            "country": l.country,
            "admin1": l.admin1,
            "lat": l.lat,
            "lon": l.lon,
            "geonamesID": l.geonames_id,
        })),
        "fatalities": ev.fatalities,
        "numMentions": e.num_mentions,
        "numSources": e.num_sources,
        "numArticles": e.num_articles,
        "storyID": ev.article_id,
        "language": "en",
        "coder": "dyad",
        "version": env!("CARGO_PKG_VERSION"),
    });
    serde_json::to_writer(&mut *out, &rec).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_added_is_gdelt_timestamp() {
        // 2024-01-19 13:05:09 UTC.
        assert_eq!(super::date_added(1_705_669_509), "20240119130509");
        assert_eq!(super::date_added(0), "19700101000000");
    }

    #[test]
    fn gdelt_has_61_columns() {
        assert_eq!(super::GDELT_COLUMNS.len(), 61);
    }
}
