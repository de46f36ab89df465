//! ACLED event types and sub-event types, spelled as ACLED spells them, and the rule that
//! derives them from a CAMEO code, the PLOVER mode and the actors' sectors.

use crate::AcledInfo;

/// ACLED's six event types.
pub const EVENT_TYPES: [&str; 6] = [
    "Battles",
    "Protests",
    "Riots",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
];

/// ACLED's 25 sub-event types, each with its event type.
pub const SUB_EVENT_TYPES: [(&str, &str); 25] = [
    ("Armed clash", "Battles"),
    ("Government regains territory", "Battles"),
    ("Non-state actor overtakes territory", "Battles"),
    ("Peaceful protest", "Protests"),
    ("Protest with intervention", "Protests"),
    ("Excessive force against protesters", "Protests"),
    ("Violent demonstration", "Riots"),
    ("Mob violence", "Riots"),
    ("Chemical weapon", "Explosions/Remote violence"),
    ("Air/drone strike", "Explosions/Remote violence"),
    ("Suicide bomb", "Explosions/Remote violence"),
    (
        "Shelling/artillery/missile attack",
        "Explosions/Remote violence",
    ),
    (
        "Remote explosive/landmine/IED",
        "Explosions/Remote violence",
    ),
    ("Grenade", "Explosions/Remote violence"),
    ("Sexual violence", "Violence against civilians"),
    ("Attack", "Violence against civilians"),
    (
        "Abduction/forced disappearance",
        "Violence against civilians",
    ),
    ("Agreement", "Strategic developments"),
    ("Arrests", "Strategic developments"),
    ("Change to group/activity", "Strategic developments"),
    ("Disrupted weapons use", "Strategic developments"),
    ("Headquarters or base established", "Strategic developments"),
    ("Looting/property destruction", "Strategic developments"),
    (
        "Non-violent transfer of territory",
        "Strategic developments",
    ),
    ("Other", "Strategic developments"),
];

/// Sectors of people who do not bear arms: violence against them is violence against civilians.
fn is_civilian(sector: Option<&str>) -> bool {
    matches!(
        sector,
        Some("CVL" | "REF" | "MED" | "EDU" | "HLH" | "REL" | "HRI" | "NGO" | "LAB" | "BUS" | "AGR")
    )
}

/// Sectors of the state's own forces and offices.
fn is_state(sector: Option<&str>) -> bool {
    matches!(sector, Some("GOV" | "MIL" | "COP" | "SPY" | "JUD" | "LEG"))
}

fn sub(sub_event: &'static str) -> AcledInfo {
    let event = SUB_EVENT_TYPES
        .iter()
        .find(|(s, _)| *s == sub_event)
        .map(|(_, e)| e.to_string());
    AcledInfo {
        event_type: event,
        sub_event_type: Some(sub_event.to_string()),
    }
}

/// The ACLED type of an event, or empty fields where none fits (most verbal events).
///
/// `mode` is the PLOVER mode when known ("aerial", "drone", "artillery", ...).
pub fn classify(
    cameo: &str,
    mode: Option<&str>,
    source_sector: Option<&str>,
    target_sector: Option<&str>,
) -> AcledInfo {
    let against_civilians = is_civilian(target_sector);
    match mode {
        Some("aerial" | "drone") => return sub("Air/drone strike"),
        Some("artillery" | "missile") => return sub("Shelling/artillery/missile attack"),
        Some("chemical") => return sub("Chemical weapon"),
        _ => {}
    }
    let c = cameo;
    if c == "195" || c.starts_with("195") {
        sub("Air/drone strike")
    } else if c == "194" {
        sub("Shelling/artillery/missile attack")
    } else if c == "1831" {
        sub("Suicide bomb")
    } else if c.starts_with("183") {
        sub("Remote explosive/landmine/IED")
    } else if c == "181" {
        sub("Abduction/forced disappearance")
    } else if c == "1821" {
        sub("Sexual violence")
    } else if c == "192" {
        if is_state(source_sector) {
            sub("Government regains territory")
        } else {
            sub("Non-state actor overtakes territory")
        }
    } else if c.starts_with("19") || c.starts_with("20") || c.starts_with("18") {
        if against_civilians || c.starts_with("20") || c.starts_with("18") {
            sub("Attack")
        } else {
            sub("Armed clash")
        }
    } else if c == "145" || c.starts_with("145") {
        sub("Violent demonstration")
    } else if c.starts_with("14") {
        sub("Peaceful protest")
    } else if c == "173" {
        sub("Arrests")
    } else if c == "171" || c == "1711" || c == "1712" {
        sub("Looting/property destruction")
    } else if c == "057" || c == "0871" || c.starts_with("087") && c != "0874" {
        sub("Agreement")
    } else if c == "0874" {
        sub("Non-violent transfer of territory")
    } else {
        AcledInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_acleds() {
        for (s, e) in SUB_EVENT_TYPES {
            assert!(EVENT_TYPES.contains(&e), "{s}");
        }
    }

    #[test]
    fn rules() {
        let t = |c, m, s, t| classify(c, m, s, t).sub_event_type;
        assert_eq!(
            t("195", None, Some("MIL"), Some("REB")).as_deref(),
            Some("Air/drone strike")
        );
        assert_eq!(
            t("190", Some("drone"), None, None).as_deref(),
            Some("Air/drone strike")
        );
        assert_eq!(
            t("190", None, Some("REB"), Some("CVL")).as_deref(),
            Some("Attack")
        );
        assert_eq!(
            t("193", None, Some("MIL"), Some("REB")).as_deref(),
            Some("Armed clash")
        );
        assert_eq!(
            t("141", None, Some("OPP"), None).as_deref(),
            Some("Peaceful protest")
        );
        assert_eq!(
            t("145", None, None, None).as_deref(),
            Some("Violent demonstration")
        );
        assert_eq!(t("1831", None, None, None).as_deref(), Some("Suicide bomb"));
        assert_eq!(t("010", None, None, None), None);
    }
}
