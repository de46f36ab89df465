//! Small country tables for reading the gold labels: country names as the labelled sets spell
//! them, and ISO 3166-1 alpha-2 codes, to alpha-3. These read the *gold* side only; they are
//! deliberately independent of our dictionaries so that a dictionary change cannot change how
//! the gold is read.

/// Country names (upper case, as MUC keys and PLOVER `eventLoc` names give them) → ISO3.
/// Covers the nine MUC countries of interest and their neighbours named in the keys
/// (misspellings included), and the countries named as PLOVER event locations.
const NAMES: &[(&str, &str)] = &[
    // MUC: the nine countries of interest
    ("ARGENTINA", "ARG"),
    ("BOLIVIA", "BOL"),
    ("CHILE", "CHL"),
    ("COLOMBIA", "COL"),
    ("ECUADOR", "ECU"),
    ("EL SALVADOR", "SLV"),
    ("GUATEMALA", "GTM"),
    ("GUATAMALA", "GTM"),
    ("HONDURAS", "HND"),
    ("PERU", "PER"),
    // MUC: other countries in the keys' LOCATION and FOREIGN NATION slots
    ("BELIZE", "BLZ"),
    ("BRAZIL", "BRA"),
    ("COSTA RICA", "CRI"),
    ("CUBA", "CUB"),
    ("DOMINICAN REPUBLIC", "DOM"),
    ("HAITI", "HTI"),
    ("JAMAICA", "JAM"),
    ("MEXICO", "MEX"),
    ("NICARAGUA", "NIC"),
    ("PANAMA", "PAN"),
    ("PARAGUAY", "PRY"),
    ("URUGUAY", "URY"),
    ("VENEZUELA", "VEN"),
    ("SPAIN", "ESP"),
    ("UNITED STATES", "USA"),
    ("USA", "USA"),
    // PLOVER eventLoc names that are countries
    ("AFGHANISTAN", "AFG"),
    ("BOSNIA", "BIH"),
    ("BOSNIA AND HERZEGOVINA", "BIH"),
    ("BRITAIN", "GBR"),
    ("UNITED KINGDOM", "GBR"),
    ("CAMBODIA", "KHM"),
    ("FRANCE", "FRA"),
    ("GERMANY", "DEU"),
    ("GREECE", "GRC"),
    ("IRAN", "IRN"),
    ("IRAQ", "IRQ"),
    ("ISRAEL", "ISR"),
    ("LEBANON", "LBN"),
    ("MACEDONIA", "MKD"),
    ("MONTENEGRO", "MNE"),
    ("RUSSIA", "RUS"),
    ("SERBIA", "SRB"),
    ("SYRIA", "SYR"),
    ("THAILAND", "THA"),
    ("TURKEY", "TUR"),
];

/// Places below the country that PLOVER `eventLoc` names without a `country code` (upper
/// case, as `norm_name` gives them; "town of", "province of" ... already dropped), with the
/// country each lies in. Read off the gold records by hand; "Europe Bridge" (on the
/// French-German border) is left out as it lies in two.
const PLACES: &[(&str, &str)] = &[
    ("ALGERS", "DZA"),
    ("BASRA", "IRQ"),
    ("BEIRUT", "LBN"),
    ("GENOA", "ITA"),
    ("GORAZDE", "BIH"),
    ("HERAT", "AFG"),
    ("HONG KONG", "HKG"),
    ("JAFFNA PENINSULA", "LKA"),
    ("JERICHO", "PSE"),
    ("KABUL", "AFG"),
    ("KHATMANDU", "NPL"),
    ("KIRKUK", "IRQ"),
    ("LAGOS", "NGA"),
    ("RAFAH", "PSE"),
    ("SAMARRA", "IRQ"),
    ("SARAJEVO", "BIH"),
    ("SOROTI", "UGA"),
    ("TBILISI", "GEO"),
    ("WEST BANK", "PSE"),
];

/// A place name as the gold writes it, without its leading type ("town of Rafah" → "RAFAH",
/// "the West Bank" → "WEST BANK"), upper case.
pub fn place_key(name: &str) -> String {
    let mut n = crate::norm_name(name);
    for prefix in [
        "THE ",
        "TOWN OF ",
        "CITY OF ",
        "VILLAGE OF ",
        "PROVINCE OF ",
        "REGION OF ",
        "DISTRICT OF ",
    ] {
        if let Some(rest) = n.strip_prefix(prefix) {
            n = rest.to_string();
        }
    }
    n
}

/// The ISO3 code of the country a gold place name lies in: a country name itself, or one of
/// the places the PLOVER records name.
pub fn iso3_of_place(name: &str) -> Option<&'static str> {
    let key = place_key(name);
    iso3_of_name(&key).or_else(|| PLACES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
}

/// ISO 3166-1 alpha-2 → alpha-3 for the countries that appear in the sets (and their usual
/// neighbours).
const ISO2: &[(&str, &str)] = &[
    ("AF", "AFG"),
    ("AL", "ALB"),
    ("AR", "ARG"),
    ("BA", "BIH"),
    ("BO", "BOL"),
    ("BR", "BRA"),
    ("CH", "CHE"),
    ("CL", "CHL"),
    ("CN", "CHN"),
    ("CO", "COL"),
    ("CR", "CRI"),
    ("CU", "CUB"),
    ("DE", "DEU"),
    ("DZ", "DZA"),
    ("EC", "ECU"),
    ("EG", "EGY"),
    ("ES", "ESP"),
    ("FR", "FRA"),
    ("GB", "GBR"),
    ("GR", "GRC"),
    ("GT", "GTM"),
    ("HK", "HKG"),
    ("HN", "HND"),
    ("HR", "HRV"),
    ("ID", "IDN"),
    ("IL", "ISR"),
    ("IN", "IND"),
    ("IQ", "IRQ"),
    ("IR", "IRN"),
    ("IT", "ITA"),
    ("JO", "JOR"),
    ("JP", "JPN"),
    ("KH", "KHM"),
    ("KP", "PRK"),
    ("KR", "KOR"),
    ("LB", "LBN"),
    ("LK", "LKA"),
    ("LR", "LBR"),
    ("LY", "LBY"),
    ("ME", "MNE"),
    ("MK", "MKD"),
    ("MX", "MEX"),
    ("NG", "NGA"),
    ("NI", "NIC"),
    ("NP", "NPL"),
    ("PA", "PAN"),
    ("PE", "PER"),
    ("PK", "PAK"),
    ("PS", "PSE"),
    ("RS", "SRB"),
    ("RU", "RUS"),
    ("SD", "SDN"),
    ("SV", "SLV"),
    ("SY", "SYR"),
    ("TH", "THA"),
    ("TL", "TLS"),
    ("TR", "TUR"),
    ("UA", "UKR"),
    ("UG", "UGA"),
    ("US", "USA"),
    ("VE", "VEN"),
];

/// The ISO3 code of a country name (case and spacing ignored), if the table knows it.
pub fn iso3_of_name(name: &str) -> Option<&'static str> {
    let n = crate::norm_name(name);
    NAMES.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// The ISO3 code of an ISO2 code, if the table knows it.
pub fn iso3_of_iso2(code: &str) -> Option<&'static str> {
    let c = code.trim().to_ascii_uppercase();
    ISO2.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(iso3_of_name("El  salvador"), Some("SLV"));
        assert_eq!(iso3_of_name("GUATAMALA"), Some("GTM"));
        assert_eq!(iso3_of_name("Gorazde"), None);
        assert_eq!(iso3_of_iso2("ch"), Some("CHE"));
        assert_eq!(iso3_of_iso2("XX"), None);
        assert_eq!(iso3_of_place("Gorazde"), Some("BIH"));
        assert_eq!(iso3_of_place("town of Rafah"), Some("PSE"));
        assert_eq!(iso3_of_place("province of Herat"), Some("AFG"));
        assert_eq!(iso3_of_place("Serbia"), Some("SRB"));
        assert_eq!(iso3_of_place("Europe Bridge"), None);
        assert_eq!(place_key("the West Bank"), "WEST BANK");
    }
}
