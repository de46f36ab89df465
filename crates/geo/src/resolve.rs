//! Place resolution: one candidate for a toponym, given the article's context.

use crate::{Gazetteer, Kind, Place, Toponym};

/// What the article tells about where it is: the countries it is about, most salient first
/// (the focus country, countries of its actors, countries named in it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// ISO 3166-1 alpha-3 codes.
    pub countries: Vec<String>,
}

impl Context {
    /// A context of these countries (ISO 3166-1 alpha-3), most salient first.
    pub fn new<I, S>(countries: I) -> Context
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut c = Context::default();
        for s in countries {
            c.add_country(s.into());
        }
        c
    }

    /// Add a country (after those already there; no duplicates).
    pub fn add_country(&mut self, iso3: String) {
        if !self.countries.contains(&iso3) {
            self.countries.push(iso3);
        }
    }

    /// Add the countries of co-mentioned places: countries named outright, qualifiers, and
    /// places that resolve with a clear lead ("Beirut" → LBN, which then resolves "Tripoli" to
    /// Lebanon's).
    pub fn add_mentions(&mut self, g: &Gazetteer, toponyms: &[Toponym]) {
        for t in toponyms.iter().filter(|t| !t.weak) {
            let mut found: Option<&str> = None;
            for &h in &t.hint {
                if let Some(c) = g.place(h).country.as_deref() {
                    found = Some(c);
                }
            }
            if found.is_none() {
                // A country named, or a place with a clear lead ("Beirut", not "Tripoli").
                if let Some((p, lead)) = g.ranked(t, self) {
                    if p.kind == Kind::Country || lead >= 2.0 {
                        found = p.country.as_deref();
                    }
                }
            }
            if let Some(c) = found {
                self.add_country(c.to_string());
            }
        }
    }

    fn weight(&self, country: Option<&str>) -> f64 {
        match country.and_then(|c| self.countries.iter().position(|x| x == c)) {
            Some(0) => 5.0,
            Some(_) => 3.0,
            None => 0.0,
        }
    }
}

impl Gazetteer {
    /// The best candidate of `t` given `context`, or `None` (no candidate, or a weak toponym
    /// with no candidate in the context's first, focus country).
    ///
    /// Scores, highest wins:
    /// - a qualifier that contains the candidate ("Comodoro Rivadavia (Chubut)"): +8;
    /// - a context country: +5 for the first (the article's focus), +3 for co-mentions;
    /// - log10 of the population (our supplement counts as ten million);
    /// - a country +3; a division -1 (-4 when a city inside it has the name: "Basra" is the
    ///   city), but with an administrative word ("Kirkuk province") a division +3, a city in
    ///   a division of that name +2, another city -0.5;
    /// - one of the place's own names (not a GeoNames alternate name) +1; a capital +0.5.
    pub fn resolve(&self, t: &Toponym, context: &Context) -> Option<&Place> {
        self.ranked(t, context).map(|r| r.0)
    }

    /// The best place, with its score's lead over the runner-up (infinite when alone).
    fn ranked(&self, t: &Toponym, context: &Context) -> Option<(&Place, f64)> {
        let mut best: Option<(f64, &Place)> = None;
        let mut second = f64::NEG_INFINITY;
        for (i, &id) in t.candidates.iter().enumerate() {
            let p = self.place(id);
            let mut s = match p.kind {
                Kind::Supplement => 6.0 + 1.0,
                _ => (p.population as f64 + 1.0).log10(),
            };
            s += match p.kind {
                Kind::Country => 3.0,
                Kind::Admin1 if t.admin_word => 3.0,
                // "Basra" is the city, not the governorate named after it.
                Kind::Admin1 if self.has_city_inside(t, p) => -4.0,
                Kind::Admin1 => -1.0,
                Kind::City if t.admin_word && self.city_in_same_name_admin1(p, t) => 2.0,
                Kind::City if t.admin_word => -0.5,
                Kind::City | Kind::Supplement => 0.0,
            };
            if t.main.get(i).copied().unwrap_or(true) {
                s += 1.0;
            }
            if p.feature == "P.PPLC" {
                s += 0.5;
            }
            let hinted = t.hint.iter().any(|&h| self.within(p, self.place(h)));
            if hinted {
                s += 8.0;
            }
            let w = context.weight(p.country.as_deref());
            s += w;
            // A weak toponym ("Police", "Justice") only in the article's focus country.
            if t.weak && w < 5.0 && !hinted {
                continue;
            }
            match best {
                Some(b) if s <= b.0 => second = second.max(s),
                _ => {
                    if let Some(b) = best {
                        second = second.max(b.0);
                    }
                    best = Some((s, p));
                }
            }
        }
        best.map(|b| (b.1, b.0 - second))
    }

    fn has_city_inside(&self, t: &Toponym, admin: &Place) -> bool {
        t.candidates.iter().any(|&c| {
            let p = self.place(c);
            p.kind == Kind::City && self.within(p, admin)
        })
    }

    fn city_in_same_name_admin1(&self, p: &Place, t: &Toponym) -> bool {
        // "Kirkuk province" and no division candidate: the city in the division of that name.
        t.candidates.iter().any(|&c| {
            let a = self.place(c);
            a.kind == Kind::Admin1 && self.within(p, a)
        }) || p
            .admin1
            .as_deref()
            .is_some_and(|a| crate::key::name_key(a) == crate::key::name_key(&t.text))
    }
}
