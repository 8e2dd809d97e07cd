"""Geocoders: the offline one against the real gazetteer, Nominatim against a local fake server."""

from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geodata.errors import ConfigError, GeocoderError
from geodata.geocoders import OfflineGeocoder, make_geocoder


@pytest.fixture(scope="module")
def offline(gazetteer) -> OfflineGeocoder:
    return OfflineGeocoder(gazetteer)


def test_offline_geocoder_speaks_geopy(offline):
    assert isinstance(offline, Geocoder)
    loc = offline.geocode("Aleppo")
    assert isinstance(loc, Location)
    assert loc.address == "Aleppo, Syria"
    assert loc.point.latitude == pytest.approx(36.2, abs=0.1) and loc.point.longitude == pytest.approx(37.16, abs=0.1)
    assert loc.raw["id"] == "170063" and loc.raw["feature_class"] == "city" and loc.raw["radius_km"] == 0


@pytest.mark.parametrize(("query", "country", "admin1"), [
    ("Aleppo, Syria", "SY", "Aleppo"),
    ("Tripoli, Lebanon", "LB", "North"),
    ("Springfield, Illinois", "US", "Illinois"),
    ("Springfield, IL", "US", "Illinois"),        # a state code, not Israel
    ("Springfield, Illinois, USA", "US", "Illinois"),
    ("Paris, Texas", "US", "Texas"),
    ("Haifa, IL", "IL", "Haifa"),
    ("Aleppo, northern Syria", "SY", "Aleppo"),   # an unknown hint narrows nothing
])
def test_comma_hints_pick_the_country_and_province(offline, query, country, admin1):
    raw = offline.geocode(query).raw
    assert (raw["country_code"], raw["admin1"]) == (country, admin1)


def test_a_hint_that_contradicts_every_candidate_gives_none(offline):
    assert offline.geocode("Springfield, Syria") is None
    assert offline.geocode("Qwxzyville") is None


def test_all_candidates_and_country_codes(offline):
    many = offline.geocode("Tripoli", exactly_one=False)
    assert [loc.raw["country_code"] for loc in many[:2]] == ["LY", "LY"]   # the city, then its district
    assert "LB" in {loc.raw["country_code"] for loc in many}
    assert offline.geocode("Tripoli", country_codes="LB").raw["country_code"] == "LB"
    assert offline.geocode("Tripoli", country_codes=["GR", "LB"], exactly_one=False)[0].raw["country_code"] == "LB"
    assert offline.geocode("Aleppo", country_codes=["FR"]) is None


def test_regions_carry_their_extent(offline):
    gulf = offline.geocode("the Persian Gulf")
    assert gulf.raw["feature_class"] == "water" and gulf.raw["radius_km"] > 100


def test_make_geocoder_offline_and_bad_names(gazetteer, tmp_path):
    geocode = make_geocoder("offline", cache_dir=tmp_path)
    assert geocode("Damascus").raw["country_code"] == "SY"
    with pytest.raises(ConfigError, match="'google'"):
        make_geocoder("google", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="not an http"):
        make_geocoder("nominatim", cache_dir=tmp_path, url="ftp://example.invalid")


def _nominatim(url, cache_dir):
    return make_geocoder("nominatim", cache_dir=cache_dir, url=url, user_agent="incident-atlas-tests",
                         min_delay_seconds=0, max_retries=0, timeout=5)


def test_nominatim_answers_are_cached_on_disk(fake_nominatim, tmp_path):
    geocode = _nominatim(fake_nominatim.url, tmp_path)
    loc = geocode("Aleppo")
    assert loc.address == "Aleppo, Syria" and loc.latitude == pytest.approx(36.2021)
    assert len(fake_nominatim.requests) == 1
    sent = fake_nominatim.requests[0]
    assert sent["path"] == "/search" and sent["params"]["q"] == "Aleppo" and sent["agent"] == "incident-atlas-tests"

    again = _nominatim(fake_nominatim.url, tmp_path)("  aleppo ")   # a new process would see the same file
    assert again.raw == loc.raw and again.latitude == loc.latitude
    assert len(fake_nominatim.requests) == 1


def test_nominatim_misses_are_cached_too(fake_nominatim, tmp_path):
    geocode = _nominatim(fake_nominatim.url, tmp_path)
    assert geocode("Nowhere Really") is None
    assert geocode("Nowhere Really") is None
    assert len(fake_nominatim.requests) == 1


def test_nominatim_failures_raise_and_are_not_cached(fake_nominatim, tmp_path):
    geocode = _nominatim(fake_nominatim.url, tmp_path)
    fake_nominatim.fail = True
    with pytest.raises(GeocoderError, match="Aleppo"):
        geocode("Aleppo")
    fake_nominatim.fail = False
    assert geocode("Aleppo").address == "Aleppo, Syria"
    assert len(fake_nominatim.requests) == 2
