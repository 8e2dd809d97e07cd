"""Fixtures for the dashboard tests: small real SQLite stores filled through the store API."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # atlas_browser helpers

from dashboard.synthetic import make_rows  # noqa: E402
from geodata.store import IncidentStore  # noqa: E402

XSS_TITLE = '<img src=x onerror="window.__atlasXss=1">Shelling <b>reported</b>'
SPECIAL_ROWS = [
    # A week-long event: the timeline must count it on each of its days.
    {"id": "span-week", "event_type": "Battles", "date_start": "2024-02-05", "date_end": "2024-02-11",
     "date_precision": "week", "fatalities": 12, "place": "Idlib", "country": "SY", "geo_precision": 2,
     "lat": 35.93, "lon": 36.63, "radius_km": 10.0, "title": "Week of fighting around Idlib",
     "snippet": "Fighting continued all week.", "source": "Reuters", "url": "https://news.example.org/idlib"},
    # Script in a title: it must stay text everywhere.
    {"id": "xss", "event_type": "Explosions/Remote violence", "date_start": "2024-02-20",
     "date_end": "2024-02-20", "date_precision": "day", "fatalities": 0, "place": "Gaza", "country": "PS",
     "geo_precision": 1, "lat": 31.52, "lon": 34.45, "title": XSS_TITLE,
     "snippet": "<script>window.__atlasXss=2</script> snippet text", "source": "AP",
     "url": "javascript:window.__atlasXss=3"},
    # Country-level only: drawn as an area, not a point.
    {"id": "region", "event_type": "Protests", "date_start": "2024-03-01", "date_end": "2024-03-01",
     "date_precision": "day", "place": "Iran", "country": "IR", "geo_precision": 3, "lat": 32.0,
     "lon": 53.0, "radius_km": 800.0, "title": "Protests across Iran", "source": "BBC"},
    # Undated, and without coordinates.
    {"id": "undated", "event_type": "Riots", "date_precision": "unknown", "place": "Lagos", "country": "NG",
     "geo_precision": 1, "lat": 6.45, "lon": 3.39, "title": "Riots in Lagos, date unknown", "source": "AFP"},
    {"id": "nowhere", "event_type": "Riots", "date_start": "2024-02-01", "date_end": "2024-02-01",
     "date_precision": "day", "place": "somewhere", "title": "An unlocated riot", "source": "AFP"},
]


def fill_store(path: Path, n: int = 400) -> Path:
    with IncidentStore(path) as store:
        store.add_incident_rows(make_rows(n, seed=7, days=120) + SPECIAL_ROWS)
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 400 synthetic incidents over 120 days plus five special cases."""
    return fill_store(tmp_path_factory.mktemp("store") / "incidents.db")
