//! dyad's own English dictionaries, embedded in the binary: `crates/dict/data/*.toml`.
//! The format is documented in `crates/dict/data/README.md`.

use serde::Deserialize;

use crate::{
    inflect_verb, noun_plural, pack_date, ActorEntry, ActorRole, BuildError, DatedCode, Dictionary,
    DictionaryBuilder, TriggerEntry, TriggerKind,
};

/// The embedded files, by name.
pub const FILES: &[(&str, &str)] = &[
    ("countries.toml", include_str!("../data/countries.toml")),
    ("agents.toml", include_str!("../data/agents.toml")),
    ("actors_igos.toml", include_str!("../data/actors_igos.toml")),
    (
        "actors_groups.toml",
        include_str!("../data/actors_groups.toml"),
    ),
    (
        "actors_people.toml",
        include_str!("../data/actors_people.toml"),
    ),
    ("verbs.toml", include_str!("../data/verbs.toml")),
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    #[serde(default)]
    country: Vec<Country>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Country {
    code: String,
    name: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    adjectives: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    capitals: Vec<String>,
    #[serde(default)]
    cities: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AgentsFile {
    #[serde(default)]
    agent: Vec<Agent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Agent {
    sector: String,
    phrases: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActorsFile {
    #[serde(default)]
    actor: Vec<Actor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Actor {
    name: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    sector: Option<String>,
    phrases: Vec<String>,
    #[serde(default)]
    roles: Vec<Role>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Role {
    code: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct VerbsFile {
    #[serde(default)]
    verb: Vec<Verb>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Verb {
    code: String,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, BuildError> {
    toml::from_str(text).map_err(|e| BuildError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })
}

fn date(file: &str, entry: &str, s: Option<&str>) -> Result<Option<u32>, BuildError> {
    match s {
        None => Ok(None),
        Some(s) => pack_date(s).map(Some).ok_or_else(|| BuildError::Entry {
            file: file.to_string(),
            entry: entry.to_string(),
            message: format!("bad date {s:?}, want YYYY-MM-DD"),
        }),
    }
}

/// Add dictionary files in dyad's TOML format to a builder. `files` are `(name, text)` pairs
/// named like [`FILES`]; the name decides how a file is read.
pub fn add_files(b: &mut DictionaryBuilder, files: &[(&str, &str)]) -> Result<(), BuildError> {
    for (name, text) in files {
        let kind = name.rsplit('/').next().unwrap_or(name);
        if kind.starts_with("countries") {
            add_countries(b, name, parse(name, text)?);
        } else if kind.starts_with("agents") {
            for a in parse::<AgentsFile>(name, text)?.agent {
                let phrases: Vec<&str> = a.phrases.iter().map(String::as_str).collect();
                b.add_agent(&a.sector, &phrases);
            }
        } else if kind.starts_with("actors") {
            add_actors(b, name, parse(name, text)?)?;
        } else if kind.starts_with("verbs") {
            add_verbs(b, name, parse(name, text)?)?;
        } else {
            return Err(BuildError::Parse {
                file: name.to_string(),
                message: "unknown dictionary file kind (want countries, agents, actors or verbs)"
                    .into(),
            });
        }
    }
    Ok(())
}

fn add_countries(b: &mut DictionaryBuilder, _file: &str, f: CountriesFile) {
    for c in f.country {
        let mut phrases: Vec<(&str, ActorRole)> = Vec::new();
        phrases.extend(c.names.iter().map(|p| (p.as_str(), ActorRole::Name)));
        phrases.extend(
            c.adjectives
                .iter()
                .map(|p| (p.as_str(), ActorRole::Adjective)),
        );
        phrases.extend(c.demonyms.iter().map(|p| (p.as_str(), ActorRole::Demonym)));
        phrases.extend(c.cities.iter().map(|p| (p.as_str(), ActorRole::City)));
        b.add_actor(
            ActorEntry {
                name: c.name.clone(),
                country: Some(c.code.clone()),
                codes: vec![DatedCode {
                    code: c.code.clone(),
                    from: None,
                    to: None,
                }],
            },
            &phrases,
        );
        // The capital stands in for the government.
        let capitals: Vec<(&str, ActorRole)> = c
            .capitals
            .iter()
            .map(|p| (p.as_str(), ActorRole::Capital))
            .collect();
        if !capitals.is_empty() {
            b.add_actor(
                ActorEntry {
                    name: format!("{} (government)", c.name),
                    country: Some(c.code.clone()),
                    codes: vec![DatedCode {
                        code: format!("{}GOV", c.code),
                        from: None,
                        to: None,
                    }],
                },
                &capitals,
            );
        }
    }
}

fn add_actors(b: &mut DictionaryBuilder, file: &str, f: ActorsFile) -> Result<(), BuildError> {
    for a in f.actor {
        let mut codes = Vec::new();
        if let Some(code) = &a.code {
            codes.push(DatedCode {
                code: code.clone(),
                from: None,
                to: None,
            });
        } else if let (Some(c), Some(s)) = (&a.country, &a.sector) {
            codes.push(DatedCode {
                code: format!("{c}{s}"),
                from: None,
                to: None,
            });
        }
        for r in &a.roles {
            codes.push(DatedCode {
                code: r.code.clone(),
                from: date(file, &a.name, r.from.as_deref())?,
                to: date(file, &a.name, r.to.as_deref())?,
            });
        }
        if codes.is_empty() && a.country.is_none() {
            return Err(BuildError::Entry {
                file: file.to_string(),
                entry: a.name,
                message: "an actor needs a code, roles, or a country".into(),
            });
        }
        let country = a.country.clone().or_else(|| {
            a.code
                .as_deref()
                .filter(|c| !c.starts_with("IGO") && !c.starts_with("IMG") && !c.starts_with("NGO"))
                .and_then(|c| c.get(..3))
                .map(str::to_string)
        });
        let phrases: Vec<(&str, ActorRole)> = a
            .phrases
            .iter()
            .map(|p| (p.as_str(), ActorRole::Name))
            .collect();
        b.add_actor(
            ActorEntry {
                name: a.name.clone(),
                country,
                codes,
            },
            &phrases,
        );
    }
    Ok(())
}

fn add_verbs(b: &mut DictionaryBuilder, file: &str, f: VerbsFile) -> Result<(), BuildError> {
    for v in f.verb {
        if dyad_model::cameo::lookup(&v.code).is_none() {
            return Err(BuildError::Entry {
                file: file.to_string(),
                entry: v.code.clone(),
                message: "not a CAMEO 1.1b3 event code".into(),
            });
        }
        for spec in &v.verbs {
            // "fire ... missiles at": the head is inflected, the tail must follow it closely.
            let (head, tail) = match spec.split_once(" ... ") {
                Some((h, t)) => {
                    let (t, irregular) = match t.split_once('|') {
                        Some((t, rest)) => (t, format!("|{rest}")),
                        None => (t, String::new()),
                    };
                    (
                        format!("{h}{irregular}"),
                        Some(dyad_text::normalize_phrase(t)),
                    )
                }
                None => (spec.clone(), None),
            };
            b.add_trigger(
                TriggerEntry {
                    code: v.code.clone(),
                    kind: TriggerKind::Verb,
                    rule: format!("{file}: verb {spec:?} [{}]", v.code),
                    tail,
                },
                &inflect_verb(&head),
            );
        }
        for noun in &v.nouns {
            b.add_trigger(
                TriggerEntry {
                    code: v.code.clone(),
                    kind: TriggerKind::Noun,
                    rule: format!("{file}: noun {noun:?} [{}]", v.code),
                    tail: None,
                },
                &[noun.clone(), noun_plural(noun)],
            );
        }
    }
    Ok(())
}

/// Build the built-in dictionary.
pub fn dictionary() -> Result<Dictionary, BuildError> {
    let mut b = DictionaryBuilder::new();
    add_files(&mut b, FILES)?;
    b.build()
}
