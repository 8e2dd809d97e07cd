"""Checks on the hand-written tables in geodata/data/ (csv module only, no gazetteer).

These are the mistakes a user would notice: a feature in the wrong place, a demonym
pointing at the wrong country, a code with no point to draw.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "geodata" / "data"
CODE = re.compile(r"^[A-Z]{2}$")


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


REGIONS = _rows("regions.csv")
SITES = _rows("sites.csv")
DEMONYMS = _rows("demonyms.csv")
ALIASES = _rows("country_aliases.csv")
POINTS = _rows("country_points.csv")


def _region(name: str) -> dict[str, str]:
    hits = [r for r in REGIONS[1] if r["name"] == name]
    assert len(hits) == 1, f"expected one region named {name!r}, found {len(hits)}"
    return hits[0]


def _names(row: dict[str, str]) -> list[str]:
    return [row["name"]] + [a for a in row["aliases"].split("|") if a]


# ---------------------------------------------------------------- format


@pytest.mark.parametrize(
    "table, columns",
    [
        (REGIONS, ["id", "name", "aliases", "kind", "country_code", "countries", "lat", "lon", "radius_km", "source"]),
        (SITES, ["id", "name", "aliases", "kind", "country_code", "countries", "lat", "lon", "radius_km", "source"]),
        (DEMONYMS, ["country_code", "demonym"]),
        (ALIASES, ["country_code", "alias"]),
        (POINTS, ["country_code", "lat", "lon", "radius_km", "source"]),
    ],
    ids=["regions", "sites", "demonyms", "country_aliases", "country_points"],
)
def test_columns_exactly(table, columns):
    fields, rows = table
    assert fields == columns
    assert rows, "table is empty"
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"line {i}: too many fields: {row}"
        assert all(v is not None for v in row.values()), f"line {i}: too few fields: {row}"
        for k, v in row.items():
            assert v == v.strip(), f"line {i}: {k} has surrounding whitespace: {v!r}"


def test_regions_count_and_kinds():
    rows = REGIONS[1]
    assert len(rows) >= 250
    kinds = {r["kind"] for r in rows}
    assert kinds <= {"region", "water", "landform"}, kinds
    assert {"region", "water", "landform"} <= kinds
    assert {r["kind"] for r in SITES[1]} == {"site"}


@pytest.mark.parametrize("name, city_lat, city_lon", [
    ("White House", 38.895, -77.036),      # Washington
    ("Moscow Kremlin", 55.756, 37.617),    # Moscow
    ("Tahrir Square", 30.044, 31.236),     # Cairo
    ("Temple Mount", 31.777, 35.235),      # Jerusalem's Old City
    ("Downing Street", 51.507, -0.128),    # London
    ("Disneyland", 33.835, -117.915),      # Anaheim
    ("Tiananmen Square", 39.904, 116.407), # Beijing
])
def test_site_points_lie_in_their_town(name, city_lat, city_lon):
    """A sign or digit slip would put a landmark in the sea or on another continent."""
    (row,) = [r for r in SITES[1] if r["name"] == name]
    assert _km(float(row["lat"]), float(row["lon"]), city_lat, city_lon) < 5


@pytest.mark.parametrize("table", [REGIONS, SITES, POINTS], ids=["regions", "sites", "country_points"])
def test_sources_and_coordinates(table):
    for row in table[1]:
        what = row.get("id") or row["country_code"]
        assert row["source"].strip(), f"{what}: empty source"
        lat, lon, radius = float(row["lat"]), float(row["lon"]), float(row["radius_km"])
        assert -90 <= lat <= 90, f"{what}: lat {lat}"
        assert -180 <= lon <= 180, f"{what}: lon {lon}"
        assert radius > 0, f"{what}: radius {radius}"


def test_region_ids_and_fields():
    ids = [r["id"] for r in REGIONS[1] + SITES[1]]
    assert len(ids) == len(set(ids)), "duplicate region ids"
    for r in REGIONS[1] + SITES[1]:
        assert re.fullmatch(r"atlas:[a-z0-9-]+|\d+", r["id"]), r["id"]
        assert r["name"], r["id"]
        assert "," not in r["aliases"], f"{r['id']}: comma in aliases"
        assert "||" not in r["aliases"] and not r["aliases"].startswith("|"), r["id"]
        assert r["country_code"] == "" or CODE.match(r["country_code"]), r["id"]
        countries = [c for c in r["countries"].split("|") if c]
        assert all(CODE.match(c) for c in countries), f"{r['id']}: {r['countries']!r}"
        if r["country_code"]:
            assert r["country_code"] in countries, f"{r['id']}: main country not in countries"


def test_region_names_unique_case_insensitive():
    seen: dict[str, str] = {}
    for r in REGIONS[1] + SITES[1]:
        for n in _names(r):
            key = n.lower()
            assert key not in seen or seen[key] == r["id"], f"{n!r} names both {seen.get(key)} and {r['id']}"
            seen[key] = r["id"]


def test_country_codes_well_formed_and_unique_points():
    codes = [r["country_code"] for r in POINTS[1]]
    assert len(codes) == len(set(codes)), "duplicate country points"
    assert all(CODE.match(c) for c in codes)
    assert len(codes) >= 245
    for r in DEMONYMS[1]:
        assert CODE.match(r["country_code"]) and r["demonym"], r
    for r in ALIASES[1]:
        assert CODE.match(r["country_code"]) and r["alias"], r


def test_demonyms_and_aliases_unique():
    for (fields, rows), col in ((DEMONYMS, "demonym"), (ALIASES, "alias")):
        forms = [r[col].lower() for r in rows]
        dupes = {f for f in forms if forms.count(f) > 1}
        assert not dupes, f"{col} listed twice: {sorted(dupes)}"


def test_every_code_used_has_a_point():
    pts = {r["country_code"] for r in POINTS[1]}
    used = {r["country_code"] for r in DEMONYMS[1]} | {r["country_code"] for r in ALIASES[1]}
    for r in REGIONS[1]:
        used |= {c for c in r["countries"].split("|") if c}
    assert used - pts == set()


# ---------------------------------------------------------------- spot checks


@pytest.mark.parametrize(
    "name, lat, lon, within_km",
    [
        ("Golan Heights", 33.00, 35.77, 30),
        ("Strait of Hormuz", 26.6, 56.3, 50),
        ("Gaza Strip", 31.42, 34.38, 20),
        ("West Bank", 31.9, 35.2, 60),
        ("Crimea", 45.3, 34.4, 80),
        ("Bab-el-Mandeb", 12.6, 43.3, 50),
        ("Kerch Strait", 45.3, 36.5, 40),
        ("Suez Canal", 30.6, 32.3, 90),
        ("Darfur", 13.5, 24.0, 200),
        ("Nagorno-Karabakh", 39.85, 46.7, 40),
        ("San Francisco Bay Area", 37.7, -122.2, 60),
    ],
)
def test_region_points(name, lat, lon, within_km):
    r = _region(name)
    d = _km(float(r["lat"]), float(r["lon"]), lat, lon)
    assert d <= within_km, f"{name} is {d:.0f} km from ({lat}, {lon})"


@pytest.mark.parametrize(
    "name, kind",
    [("Persian Gulf", "water"), ("Red Sea", "water"), ("Strait of Hormuz", "water"), ("Sinai Peninsula", "landform"),
     ("Himalayas", "landform"), ("Sahel", "region"), ("Golan Heights", "region")],
)
def test_region_kinds(name, kind):
    assert _region(name)["kind"] == kind


def test_political_entities():
    eu = _region("European Union")
    assert {"EU", "the EU"} <= set(_names(eu))
    assert _km(float(eu["lat"]), float(eu["lon"]), 50.85, 4.35) < 800  # in western Europe
    su = _region("Soviet Union")
    assert su["country_code"] == "RU" and "USSR" in _names(su)


@pytest.mark.parametrize(
    "code, lat, lon, within_km",
    [("US", 39.76, -98.5, 20), ("CN", 35.0, 104.0, 20), ("RU", 60.0, 100.0, 20), ("SY", 35.0, 38.0, 20),
     ("IQ", 33.0, 44.0, 20), ("IR", 32.0, 53.0, 20), ("IL", 31.5, 34.75, 20), ("GB", 54.75844, -2.69531, 20),
     ("FR", 46.0, 2.0, 20), ("DE", 51.5, 10.5, 20), ("BR", -10.0, -55.0, 20), ("AU", -25.0, 134.0, 20),
     ("CA", 60.10867, -113.64258, 20)],  # GeoNames' current point, as for every other country
)
def test_country_points(code, lat, lon, within_km):
    row = {r["country_code"]: r for r in POINTS[1]}[code]
    d = _km(float(row["lat"]), float(row["lon"]), lat, lon)
    assert d <= within_km, f"{code} point is {d:.0f} km from ({lat}, {lon})"


@pytest.mark.parametrize(
    "form, code",
    [("Iranian", "IR"), ("Iranians", "IR"), ("Syrian", "SY"), ("American", "US"), ("British", "GB"),
     ("Britons", "GB"), ("French", "FR"), ("Israeli", "IL"), ("Palestinians", "PS"), ("Chinese", "CN"),
     ("Ukrainian", "UA"), ("Russians", "RU")],
)
def test_demonyms(form, code):
    got = [r["country_code"] for r in DEMONYMS[1] if r["demonym"] == form]
    assert got == [code]


def test_no_stateless_demonyms():
    forms = {r["demonym"] for r in DEMONYMS[1]}
    assert not forms & {"Kurd", "Kurds", "Kurdish", "Arab", "Arabs"}


@pytest.mark.parametrize(
    "alias, code",
    [("USA", "US"), ("U.S.", "US"), ("the United States", "US"), ("UK", "GB"), ("Britain", "GB"),
     ("DRC", "CD"), ("Congo-Brazzaville", "CG"), ("Ivory Coast", "CI"), ("Burma", "MM"), ("Türkiye", "TR"),
     ("UAE", "AE"), ("Holland", "NL"), ("Eswatini", "SZ"), ("Swaziland", "SZ"), ("DPRK", "KP")],
)
def test_aliases(alias, code):
    got = [r["country_code"] for r in ALIASES[1] if r["alias"] == alias]
    assert got == [code]


def test_constituent_countries_are_not_country_aliases():
    aliases = {r["alias"] for r in ALIASES[1]}
    assert not aliases & {"England", "Scotland", "Wales", "Northern Ireland"}
