"""The reference article (shared/samples/summit_airstrike_article.txt), end to end.

Runs the real Geoparser on the built gazetteer (`make test` builds it first), published
2018-07-17, and checks the incidents listed in shared/samples/README.md.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from geodata.model import GEO_PRECISION_NEAR, Article, Incident
from ingest.geoparse import Geoparser

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "summit_airstrike_article.txt"
PUBLISHED = date(2018, 7, 17)
HELSINKI, ALEPPO, GOLAN = (60.1695, 24.9354), (36.2021, 37.1343), (33.00, 35.77)
JERUSALEM = (31.7683, 35.2137)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, a)), (map(math.radians, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def at(incidents: list[Incident], point: tuple[float, float]) -> list[Incident]:
    return [i for i in incidents if i.mention.place and km(i.mention.place.latlon, point) <= 30]


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


@pytest.fixture(scope="module")
def incidents(geoparser) -> list[Incident]:
    text = SAMPLE.read_text(encoding="utf-8")
    _, found = geoparser.parse_article(Article(text, published=PUBLISHED))
    return found


def test_summit_in_helsinki_on_monday(incidents):
    [summit] = at(incidents, HELSINKI)
    assert summit.event_type == "Strategic developments"
    assert summit.sub_event_type in ("Diplomatic meeting", "Agreement")
    assert (summit.date_start, summit.date_end, summit.date_precision) == (date(2018, 7, 16), date(2018, 7, 16), "day")
    assert not summit.fatalities


def test_airstrike_near_aleppo_on_sunday_night_killed_22(incidents):
    [strike] = at(incidents, ALEPPO)
    assert (strike.event_type, strike.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (strike.date_start, strike.date_end, strike.date_precision) == (date(2018, 7, 15), date(2018, 7, 15), "day")
    assert strike.fatalities == 22
    assert strike.mention.geo_precision >= GEO_PRECISION_NEAR  # "outside of Aleppo"
    assert "22 people" in strike.snippet


def test_advance_near_golan_heights_has_no_invented_day(incidents):
    [advance] = at(incidents, GOLAN)
    assert advance.event_type == "Battles"
    assert (advance.date_start, advance.date_end, advance.date_precision) == (None, None, "unknown")


def test_nothing_at_jerusalem(incidents):
    assert at(incidents, JERUSALEM) == []


def test_backer_countries_are_not_incident_places(incidents):
    countries = {i.mention.place.country_code for i in incidents if i.mention.place.feature_class == "country"}
    assert not countries & {"RU", "US", "IR"}
    assert len(incidents) == 3, [(i.sub_event_type, i.mention.text) for i in incidents]


def test_without_publication_date_the_days_stay_open(geoparser):
    text = SAMPLE.read_text(encoding="utf-8")
    _, found = geoparser.parse_article(Article(text))
    assert found and all(i.date_start is None and i.date_precision == "unknown" for i in found)
    [summit] = at(found, HELSINKI)
    assert any("needs a publication date" in note for note in summit.notes)
