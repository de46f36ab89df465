//! Query parameters: parsed strictly, checked before any reaches the store.
//!
//! Every endpoint names the parameters it takes; an unknown or repeated one is an
//! `unknown_parameter` error. Code-like values (CAMEO codes, actor codes, countries, PLOVER
//! types) must look like codes or the request is refused; free-text values (ACLED type,
//! admin1, article id, cursor) go to the store as bound parameters and are matched literally.

use std::collections::HashMap;

use dyad_store::{EventFilter, GroupKey, Page};

use crate::error::{ApiError, ErrorCode};

/// The filters every event endpoint takes (those of `dyad query`).
pub const FILTER_PARAMS: &[&str] = &[
    "date_from",
    "date_to",
    "cameo",
    "plover_type",
    "acled_type",
    "quad_class",
    "source",
    "target",
    "source_country",
    "target_country",
    "country",
    "admin1",
    "bbox",
    "article",
];

/// Longest free-text value accepted.
const MAX_TEXT: usize = 200;

/// The parsed query string of one request.
#[derive(Debug, Default)]
pub struct Params {
    values: HashMap<String, String>,
}

impl Params {
    /// Parse `raw` (the query string, without `?`), allowing only `allowed` names.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidParameter,
                    format!("malformed query string: {e}"),
                )
            })?;
        let mut values = HashMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::new(
                    ErrorCode::UnknownParameter,
                    format!(
                        "unknown parameter `{}`; this endpoint takes: {}",
                        truncate(&k),
                        allowed.join(", ")
                    ),
                ));
            }
            if values.insert(k.clone(), v).is_some() {
                return Err(ApiError::new(
                    ErrorCode::UnknownParameter,
                    format!("parameter `{k}` given more than once"),
                ));
            }
        }
        Ok(Params { values })
    }

    /// A value, with surrounding blanks trimmed; empty counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The event filter, every value checked.
    pub fn filter(&self) -> Result<EventFilter, ApiError> {
        let f = EventFilter {
            date_from: self.get("date_from").map(date("date_from")).transpose()?,
            date_to: self.get("date_to").map(date("date_to")).transpose()?,
            cameo: self.get("cameo").map(cameo).transpose()?,
            plover_type: self.get("plover_type").map(plover).transpose()?,
            acled_type: self.get("acled_type").map(text("acled_type")).transpose()?,
            quad_class: self.get("quad_class").map(quad_class).transpose()?,
            source: self.get("source").map(actor("source")).transpose()?,
            target: self.get("target").map(actor("target")).transpose()?,
            source_country: self
                .get("source_country")
                .map(country("source_country"))
                .transpose()?,
            target_country: self
                .get("target_country")
                .map(country("target_country"))
                .transpose()?,
            country: self.get("country").map(country("country")).transpose()?,
            admin1: self.get("admin1").map(text("admin1")).transpose()?,
            bbox: self.get("bbox").map(bbox).transpose()?,
            article: self.get("article").map(text("article")).transpose()?,
        };
        f.validate()?;
        Ok(f)
    }

    /// `limit` (1..=max, default `default`) and `cursor`.
    pub fn page(&self, default: usize, max: usize) -> Result<Page, ApiError> {
        Ok(Page {
            limit: self.limit(default, max)?,
            cursor: self.get("cursor").map(cursor).transpose()?,
        })
    }

    /// `limit` alone.
    pub fn limit(&self, default: usize, max: usize) -> Result<usize, ApiError> {
        self.number("limit", default, 1, max)
    }

    /// A whole number from `min` to `max` named `name` (`default` when it is not given).
    pub fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::invalid(
                    name,
                    format!("expected a whole number from {min} to {max}"),
                )),
            },
        }
    }

    /// `group_by`: a comma-separated list of keys, at most three, none twice.
    pub fn group_by(&self) -> Result<Vec<GroupKey>, ApiError> {
        let Some(v) = self.get("group_by") else {
            return Ok(Vec::new());
        };
        let keys = GroupKey::parse_list(v).map_err(|_| {
            ApiError::invalid(
                "group_by",
                format!(
                    "{:?}: expected keys among {}",
                    truncate(v),
                    GroupKey::ALL.map(GroupKey::name).join(", ")
                ),
            )
        })?;
        if keys.len() > 3 {
            return Err(ApiError::invalid("group_by", "at most three keys"));
        }
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) {
                return Err(ApiError::invalid("group_by", format!("`{k}` given twice")));
            }
        }
        Ok(keys)
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn date(name: &'static str) -> impl Fn(&str) -> Result<String, ApiError> {
    move |v| {
        let b = v.as_bytes();
        let ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if ok {
            Ok(v.to_string())
        } else {
            Err(ApiError::invalid(
                name,
                format!("{:?}: expected YYYY-MM-DD", truncate(v)),
            ))
        }
    }
}

fn cameo(v: &str) -> Result<String, ApiError> {
    if (1..=4).contains(&v.len()) && v.bytes().all(|c| c.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err(ApiError::invalid(
            "cameo",
            format!("{:?}: expected 1 to 4 digits", truncate(v)),
        ))
    }
}

fn plover(v: &str) -> Result<String, ApiError> {
    if v.len() <= 20 && v.bytes().all(|c| c.is_ascii_alphabetic() || c == b'_') {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(ApiError::invalid(
            "plover_type",
            format!("{:?}: expected a PLOVER type such as ASSAULT", truncate(v)),
        ))
    }
}

fn quad_class(v: &str) -> Result<u8, ApiError> {
    match v.parse::<u8>() {
        Ok(q @ 1..=4) => Ok(q),
        _ => Err(ApiError::invalid(
            "quad_class",
            format!("{:?}: expected 1, 2, 3 or 4", truncate(v)),
        )),
    }
}

fn actor(name: &'static str) -> impl Fn(&str) -> Result<String, ApiError> {
    move |v| {
        if v.len() <= 30 && v.bytes().all(|c| c.is_ascii_alphanumeric()) {
            Ok(v.to_ascii_uppercase())
        } else {
            Err(ApiError::invalid(
                name,
                format!(
                    "{:?}: expected an actor code (letters and digits, such as USAMIL)",
                    truncate(v)
                ),
            ))
        }
    }
}

fn country(name: &'static str) -> impl Fn(&str) -> Result<String, ApiError> {
    move |v| {
        if v.len() == 3 && v.bytes().all(|c| c.is_ascii_alphabetic()) {
            Ok(v.to_ascii_uppercase())
        } else {
            Err(ApiError::invalid(
                name,
                format!("{:?}: expected an ISO 3166-1 alpha-3 code", truncate(v)),
            ))
        }
    }
}

fn text(name: &'static str) -> impl Fn(&str) -> Result<String, ApiError> {
    move |v| {
        if v.chars().count() > MAX_TEXT || v.chars().any(char::is_control) {
            Err(ApiError::invalid(
                name,
                format!("at most {MAX_TEXT} characters, no control characters"),
            ))
        } else {
            Ok(v.to_string())
        }
    }
}

/// Cursors are opaque on the wire: the store's cursor, hex-encoded, so that whatever bytes
/// the store uses travel safely in a URL.
pub fn encode_cursor(c: &str) -> String {
    c.bytes().map(|b| format!("{b:02x}")).collect()
}

fn cursor(v: &str) -> Result<String, ApiError> {
    let bad = || {
        ApiError::invalid(
            "cursor",
            "not a cursor this server gave (pass next_cursor as it is)",
        )
    };
    if v.len() > 2000 || v.len() & 1 != 0 {
        return Err(bad());
    }
    let bytes = (0..v.len())
        .step_by(2)
        .map(|i| v.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)?;
    String::from_utf8(bytes).map_err(|_| bad())
}

fn bbox(v: &str) -> Result<[f64; 4], ApiError> {
    let err = || {
        ApiError::invalid(
            "bbox",
            format!(
                "{:?}: expected min_lon,min_lat,max_lon,max_lat",
                truncate(v)
            ),
        )
    };
    let parts: Vec<f64> = v
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| err())?;
    let [a, b, c, d] = parts[..] else {
        return Err(err());
    };
    let ok = [a, b, c, d].iter().all(|x| x.is_finite())
        && (-180.0..=180.0).contains(&a)
        && (-180.0..=180.0).contains(&c)
        && (-90.0..=90.0).contains(&b)
        && (-90.0..=90.0).contains(&d)
        && a <= c
        && b <= d;
    if ok {
        Ok([a, b, c, d])
    } else {
        Err(err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(q: &str) -> Result<EventFilter, ApiError> {
        Params::parse(Some(q), FILTER_PARAMS)?.filter()
    }

    #[test]
    fn filters_parse_and_normalise() {
        let f = filter("date_from=2024-01-01&cameo=19&source=usamil&country=irq&plover_type=assault&quad_class=4&bbox=30,20,50,40&admin1=Baghdad").unwrap();
        assert_eq!(f.date_from.as_deref(), Some("2024-01-01"));
        assert_eq!(f.cameo.as_deref(), Some("19"));
        assert_eq!(f.source.as_deref(), Some("USAMIL"));
        assert_eq!(f.country.as_deref(), Some("IRQ"));
        assert_eq!(f.plover_type.as_deref(), Some("ASSAULT"));
        assert_eq!(f.quad_class, Some(4));
        assert_eq!(f.bbox, Some([30.0, 20.0, 50.0, 40.0]));
        assert_eq!(f.admin1.as_deref(), Some("Baghdad"));
        assert_eq!(filter("").unwrap(), EventFilter::default());
        assert_eq!(filter("cameo=&country=").unwrap(), EventFilter::default());
    }

    #[test]
    fn bad_values_are_refused() {
        for (q, code) in [
            ("cameo=19x", ErrorCode::InvalidParameter),
            ("cameo=12345", ErrorCode::InvalidParameter),
            ("quad_class=5", ErrorCode::InvalidParameter),
            ("quad_class=-1", ErrorCode::InvalidParameter),
            ("date_from=2024-1-1", ErrorCode::InvalidParameter),
            ("country=IRAQ", ErrorCode::InvalidParameter),
            ("source=USA%27--", ErrorCode::InvalidParameter),
            ("bbox=1,2,3", ErrorCode::InvalidParameter),
            ("bbox=10,0,5,1", ErrorCode::InvalidParameter),
            ("bbox=NaN,0,5,1", ErrorCode::InvalidParameter),
            ("plover_type=A%20B", ErrorCode::InvalidParameter),
            ("admin1=%00", ErrorCode::InvalidParameter),
            ("nope=1", ErrorCode::UnknownParameter),
            ("cameo=1&cameo=2", ErrorCode::UnknownParameter),
        ] {
            assert_eq!(filter(q).unwrap_err().code, code, "{q}");
        }
    }

    #[test]
    fn cursors_round_trip() {
        let c = "2024-01-08\u{1f}abc";
        let q = format!("cursor={}", encode_cursor(c));
        let p = Params::parse(Some(&q), &["cursor"]).unwrap();
        assert_eq!(p.page(10, 100).unwrap().cursor.as_deref(), Some(c));
        for bad in ["zz", "abc", "%27", "ff"] {
            let q = format!("cursor={bad}");
            let p = Params::parse(Some(&q), &["cursor"]).unwrap();
            assert!(p.page(10, 100).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_and_group_keys() {
        let p = Params::parse(Some("limit=0"), &["limit"]).unwrap();
        assert!(p.limit(10, 100).is_err());
        let p = Params::parse(Some("limit=101"), &["limit"]).unwrap();
        assert!(p.limit(10, 100).is_err());
        let p = Params::parse(Some("limit=100"), &["limit"]).unwrap();
        assert_eq!(p.limit(10, 100).unwrap(), 100);
        let p = Params::parse(None, &["limit"]).unwrap();
        assert_eq!(p.limit(10, 100).unwrap(), 10);
        let p = Params::parse(Some("group_by=week,country"), &["group_by"]).unwrap();
        assert_eq!(
            p.group_by().unwrap(),
            vec![GroupKey::Week, GroupKey::Country]
        );
        for bad in ["week,week", "weeks", "day,week,month,root", "week;drop"] {
            let q = format!("group_by={bad}");
            let p = Params::parse(Some(&q), &["group_by"]).unwrap();
            assert!(p.group_by().is_err(), "{bad}");
        }
    }
}
