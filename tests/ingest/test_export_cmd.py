"""`incident-atlas export` end to end on a real database file."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.export import EXPORT_COLUMNS
from geodata.model import Article, Incident, Mention, Place
from geodata.store import IncidentStore
from ingest.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]

PLACES = {
    "Homs": Place("169577", "Homs", "city", "SY", "Homs", 775404, 34.72682, 36.72339),
    "Aleppo": Place("170063", "Aleppo", "city", "SY", "Aleppo", 1602264, 36.20278, 37.15861),
    "Mosul": Place("99072", "Mosul", "city", "IQ", "Nineveh", 1739800, 36.335, 43.11889),
    "Kharkiv": Place("706483", "Kharkiv", "city", "UA", "Kharkiv", 1430885, 49.98081, 36.25272),
}


@pytest.fixture
def db(tmp_path) -> Path:
    """A store file with four located incidents (SY x2, IQ, UA) and one without a place."""
    path = tmp_path / "incidents.db"
    with IncidentStore(path) as store:
        for n, (name, event, day, dead) in enumerate([
            ("Homs", "Battles", date(2024, 3, 1), 3),
            ("Aleppo", "Protests", date(2024, 3, 5), 0),
            ("Mosul", "Explosions/Remote violence", date(2024, 3, 9), 12),
            ("Kharkiv", "Explosions/Remote violence", date(2024, 4, 2), None),
            (None, "Battles", None, 1),
        ]):
            place = PLACES.get(name)
            mention = Mention(name or "the front", 0, 4, place=place, confidence=0.9, geo_precision=1)
            incident = Incident(event, "", mention, f"Report {n} from {name}.", date_start=day, date_end=day,
                                date_precision="day" if day else "unknown", fatalities=dead)
            store.add_article(Article(f"Report {n} from {name}.", title=f"T{n}", url=f"https://n.test/{n}",
                                      source="Wire", published=date(2024, 4, 3)), [mention], [incident])
    return path


def run(*args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(cli, ["export", *args], catch_exceptions=False)


def test_geojson_goes_to_stdout_and_the_summary_to_stderr(db):
    result = run("--db", str(db))
    assert result.exit_code == 0, result.output
    fc = json.loads(result.stdout)
    assert fc["type"] == "FeatureCollection"
    assert sorted(f["properties"]["place"] for f in fc["features"]) == ["Aleppo", "Homs", "Kharkiv", "Mosul"]
    homs = next(f for f in fc["features"] if f["properties"]["place"] == "Homs")
    assert homs["geometry"]["coordinates"] == [36.72339, 34.72682]
    assert "exported 4 incidents to stdout as geojson (1 without coordinates left out)" in result.stderr


def test_filters_reach_the_query(db):
    def places(*args: str) -> list[str]:
        result = run("--db", str(db), "-o", "-", *args)
        assert result.exit_code == 0, result.output
        return sorted(f["properties"]["place"] for f in json.loads(result.stdout)["features"])

    # A box around Syria and northern Iraq, but not Kharkiv.
    assert places("--bbox", "35,32,44,38") == ["Aleppo", "Homs", "Mosul"]
    assert places("--bbox", "36.5, 34.5, 37, 35") == ["Homs"]
    assert places("--country", "sy", "--country", "IQ", "--min-fatalities", "1") == ["Homs", "Mosul"]
    assert places("--start", "2024-03-04", "--end", "2024-03-31") == ["Aleppo", "Mosul"]
    assert places("--type", "Explosions/Remote violence", "--search", "KHARKIV") == ["Kharkiv"]


def test_csv_to_a_file_refuses_to_overwrite_without_force(db, tmp_path):
    out = tmp_path / "out.csv"
    assert run("--db", str(db), "--format", "csv", "-o", str(out)).exit_code == 0
    with out.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.reader(fp))
    assert rows[0] == EXPORT_COLUMNS and len(rows) == 5

    result = run("--db", str(db), "--format", "csv", "-o", str(out), "--country", "UA")
    assert result.exit_code == 2
    assert "already exists; use --force" in result.stderr and "Traceback" not in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5  # untouched

    assert run("--db", str(db), "--format", "csv", "-o", str(out), "--country", "UA", "--force").exit_code == 0
    assert list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))[0]["place"] == "Kharkiv"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bbox", "35,32,44"], "'35,32,44' has 3 numbers"),
        (["--bbox", "a,b,c,d"], "'a,b,c,d' is not four comma-separated numbers"),
        (["--bbox", "44,32,35,38"], "bbox (44.0, 32.0, 35.0, 38.0)"),
        (["--start", "2024-03-10", "--end", "2024-03-01"], "end 2024-03-01 is before start 2024-03-10"),
        (["--start", "10/03/2024"], "'10/03/2024'"),
        (["--country", "Syria"], "'SYRIA' is not an ISO alpha-2 code"),
        (["--min-fatalities", "-2"], "-2"),
        (["--format", "kml"], "'kml'"),
    ],
)
def test_bad_options_are_usage_errors_not_tracebacks(db, args, message):
    result = run("--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_missing_database_is_reported_not_created(tmp_path):
    missing = tmp_path / "nope.db"
    result = run("--db", str(missing))
    assert result.exit_code == 1
    assert str(missing) in result.stderr and "ingest" in result.stderr
    assert not missing.exists()


def test_the_database_comes_from_the_environment(db):
    result = run("--format", "csv", env={"INCIDENT_ATLAS_DB": str(db)})
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5


def test_help_has_an_example():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "incident-atlas export --format" in result.output


def test_a_real_process_pipes_clean_geojson(db):
    """Only data on stdout, so `incident-atlas export > file` is valid GeoJSON."""
    env = {**os.environ, "INCIDENT_ATLAS_DB": str(db), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "ingest.cli.main", "export", "--country", "UA"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [f["properties"]["place"] for f in json.loads(proc.stdout)["features"]] == ["Kharkiv"]
    assert "exported 1 incidents" in proc.stderr
