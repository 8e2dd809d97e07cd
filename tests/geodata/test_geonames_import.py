"""Loading GeoNames dumps into a copy of the built gazetteer."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.errors import GazetteerBuildError, GazetteerMissing
from geodata.gazetteer import Gazetteer
from geodata.geonames_import import feature_class, import_geonames
from ingest.cli.main import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
DUMP = FIXTURES / "sample_geonames.txt"
ALTERNATES = FIXTURES / "sample_alternate_names.txt"


@pytest.fixture
def gaz_copy(gazetteer, tmp_path) -> Path:
    """A private copy of the built gazetteer that an import may change."""
    return Path(shutil.copyfile(gazetteer.path, tmp_path / "gazetteer.sqlite"))


def _count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM place").fetchone()[0]


def _zip(src: Path, dest: Path, member: str) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(src, member)
        zf.writestr("readme.txt", "GeoNames readme, not data")
    return dest


def test_feature_classes_map_from_geonames_codes():
    assert feature_class("P", "PPLC") == "city"
    assert feature_class("A", "PCLI") == "country"
    assert (feature_class("A", "ADM1"), feature_class("A", "ADM2"), feature_class("A", "ADM3")) == ("admin1", "admin2", None)
    assert (feature_class("H", "LK"), feature_class("T", "MT"), feature_class("S", "HTL")) == ("water", "landform", None)


def test_import_adds_new_places_with_their_latin_names(gaz_copy):
    before = _count(gaz_copy)
    assert import_geonames(DUMP, path=gaz_copy) == 6          # the hotel row is skipped
    assert _count(gaz_copy) == before + 4                     # Aleppo and its governorate already existed
    gaz = Gazetteer(gaz_copy)
    village = gaz.lookup("Tal Qaramel")[0]
    assert (village.id, village.feature_class, village.country_code, village.admin1) == ("99000001", "city", "SY", "Aleppo")
    assert (village.lat, village.lon, village.population) == (36.38722, 37.27417, 2300)
    assert gaz.lookup("تل قرامل") == []
    lake = gaz.lookup("Lake Qaramel")[0]
    assert lake.feature_class == "water" and lake.radius_km > 0
    assert gaz.lookup("Mount Sabeen")[0].feature_class == "landform"
    assert gaz.lookup("Qaramel Grand Hotel") == []


def test_import_updates_known_records_without_losing_the_builds_estimates(gazetteer, gaz_copy):
    before = gazetteer.get("170062")
    import_geonames(DUMP, path=gaz_copy)
    gaz = Gazetteer(gaz_copy)
    assert [p.id for p in gaz.lookup("Aleppo", country="SY", feature_classes={"city"})] == ["170063"]
    governorate = gaz.get("170062")
    assert governorate.name == before.name == "Aleppo"       # the dump's local name becomes an alias
    assert (governorate.population, governorate.radius_km) == (before.population, before.radius_km)
    assert gaz.lookup("Muhafazat Halab")[0].id == "170062"


def test_zipped_dump_and_alternate_names(gaz_copy, tmp_path):
    dump = _zip(DUMP, tmp_path / "SY.zip", "SY.txt")
    alternates = _zip(ALTERNATES, tmp_path / "alternateNamesV2.zip", "alternateNamesV2.txt")
    assert import_geonames(dump, alternates, path=gaz_copy) == 6
    gaz = Gazetteer(gaz_copy)
    assert gaz.lookup("Tel Qaramel")[0].id == "99000001"     # from the alternate names file
    assert gaz.lookup("Halab ash-Shahba")[0].id == "170063"
    assert gaz.lookup("Kafr Subayn") == []                   # historic name: skipped
    assert gaz.lookup("Q1234567") == [] and gaz.lookup("Not In The Gazetteer") == []
    info = gaz.info()
    assert info["imports"][-1]["file"] == "SY.zip" and info["imports"][-1]["names_added"] == 2


def test_importing_twice_changes_nothing(gaz_copy):
    import_geonames(DUMP, ALTERNATES, path=gaz_copy)
    n = _count(gaz_copy)
    import_geonames(DUMP, ALTERNATES, path=gaz_copy)
    assert _count(gaz_copy) == n
    assert len(Gazetteer(gaz_copy).lookup("Tell Qaramel")) == 1


def test_a_malformed_dump_is_refused_with_its_line_and_changes_nothing(gaz_copy, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(DUMP.read_text(encoding="utf-8") + "12345\tOnly\tthree columns\n", encoding="utf-8")
    before = _count(gaz_copy)
    with pytest.raises(GazetteerBuildError, match=r"bad\.txt:8: 3 tab-separated columns"):
        import_geonames(bad, path=gaz_copy)
    assert _count(gaz_copy) == before
    assert Gazetteer(gaz_copy).lookup("Tell Qaramel") == []


def test_import_needs_a_built_gazetteer(tmp_path):
    with pytest.raises(GazetteerMissing, match="gazetteer build"):
        import_geonames(DUMP, path=tmp_path / "none.sqlite")


def test_cli_import_geonames(gaz_copy, monkeypatch):
    monkeypatch.setenv("INCIDENT_ATLAS_GAZETTEER", str(gaz_copy))
    runner = CliRunner()
    result = runner.invoke(cli, ["gazetteer", "import-geonames", str(DUMP), "--alternate-names", str(ALTERNATES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "6"
    found = runner.invoke(cli, ["gazetteer", "lookup", "Tel Qaramel", "--json"])
    assert '"id": "99000001"' in found.stdout
    missing = runner.invoke(cli, ["gazetteer", "import-geonames", "no-such-file.zip"])
    assert missing.exit_code == 2 and "does not exist" in missing.output and "Traceback" not in missing.output
