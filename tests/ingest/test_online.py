"""--geocoder nominatim: places the gazetteer can't resolve are asked online (a local fake here)."""

from __future__ import annotations

from geodata.geocoders import make_geocoder
from geodata.model import Incident, Mention, Place
from ingest.online import fill_unresolved


def _geocode(url, tmp_path):
    return make_geocoder("nominatim", cache_dir=tmp_path, url=url, user_agent="incident-atlas-tests",
                         min_delay_seconds=0, max_retries=0, timeout=5)


def test_unresolved_mentions_and_their_incidents_get_the_online_answer(fake_nominatim, tmp_path):
    known = Place("170063", "Aleppo", "city", "SY", "Aleppo", 2098210, 36.20124, 37.16117)
    mentions = [Mention("Zorvania", 10, 18), Mention("Aleppo", 30, 36, place=known, confidence=0.9)]
    incidents = [Incident("Protests", "Peaceful protest", mentions[0], "Crowds marched in Zorvania.")]
    new_mentions, new_incidents, warnings = fill_unresolved(mentions, incidents, _geocode(fake_nominatim.url, tmp_path))
    assert not warnings
    zorvania = new_mentions[0].place
    assert (zorvania.name, zorvania.lat, zorvania.lon, zorvania.feature_class) == ("Zorvania", 10.5, 20.25, "city")
    assert new_incidents[0].mention.place == zorvania, "the incident moves to the geocoded place"
    assert new_mentions[1] is mentions[1], "resolved mentions are never sent online"
    assert [r["params"]["q"] for r in fake_nominatim.requests] == ["Zorvania"]


def test_a_failing_service_leaves_the_mention_unresolved_with_a_warning(fake_nominatim, tmp_path):
    fake_nominatim.fail = True
    mentions = [Mention("Zorvania", 0, 8)]
    new_mentions, _, warnings = fill_unresolved(mentions, [], _geocode(fake_nominatim.url, tmp_path))
    assert new_mentions[0].place is None
    assert warnings and "Zorvania" in warnings[0]
