"""Opt-in online geocoding of the places the offline gazetteer could not resolve.

With `--geocoder nominatim`, mentions the resolver abstained on are looked up with geopy's
Nominatim (rate-limited and cached on disk by `geodata.geocoders.make_geocoder`). It runs in
the parent process only, so the one-request-a-second limit holds however many workers parse.
Nothing here runs unless asked for: the default geocoder is the offline gazetteer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from geodata.errors import GeocoderError
from geodata.model import GEO_PRECISION_EXACT, GEO_PRECISION_REGION, Incident, Mention, Place

log = logging.getLogger(__name__)

# Nominatim's addresstype (or class) -> our feature classes; anything else is a city-level point.
_FEATURE_CLASS = {
    "country": "country",
    "state": "admin1", "province": "admin1", "region": "admin1",
    "county": "admin2", "state_district": "admin2", "district": "admin2",
    "water": "water", "sea": "water", "bay": "water", "strait": "water", "river": "water",
    "natural": "landform", "mountain_range": "landform", "peak": "landform", "valley": "landform",
}
ONLINE_CONFIDENCE = 0.5  # we cannot weigh Nominatim's single answer against context


def place_from_location(location) -> Place:
    """A `Place` from a geopy `Location` that Nominatim returned (its JSON is in `raw`)."""
    raw = location.raw or {}
    kind = raw.get("addresstype") or raw.get("type") or raw.get("class") or ""
    feature_class = _FEATURE_CLASS.get(kind, _FEATURE_CLASS.get(raw.get("class", ""), "city"))
    address = raw.get("address") or {}
    osm = f"osm:{raw.get('osm_type', 'x')}/{raw.get('osm_id', raw.get('place_id', ''))}"
    return Place(
        id=osm,
        name=raw.get("name") or str(location.address).split(",")[0],
        feature_class=feature_class,
        country_code=str(address.get("country_code", "")).upper(),
        admin1=str(address.get("state", "")),
        population=0,
        lat=float(location.latitude),
        lon=float(location.longitude),
        radius_km=_radius_km(raw.get("boundingbox")),
    )


def _radius_km(bbox) -> float:
    """Half the diagonal of Nominatim's [south, north, west, east] box, roughly, in km."""
    try:
        south, north, west, east = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return 0.0
    return round(((north - south) ** 2 + (east - west) ** 2) ** 0.5 * 111.0 / 2, 1)


def fill_unresolved(
    mentions: list[Mention], incidents: list[Incident], geocode: Callable[[str], object]
) -> tuple[list[Mention], list[Incident], list[str]]:
    """Geocode the place mentions with no place; return new lists and warnings.

    Incidents that point at a filled mention point at the filled copy. A service failure
    leaves the mention unresolved and becomes a warning naming the query.
    """
    filled: dict[tuple[int, int], Mention] = {}
    warnings: list[str] = []
    answers: dict[str, Place | None] = {}
    for m in mentions:
        if m.kind != "place" or m.place is not None:
            continue
        if m.text not in answers:
            try:
                location = geocode(m.text)
            except GeocoderError as err:
                warnings.append(f"online geocoder failed for {m.text!r}: {err}")
                location = None
            answers[m.text] = place_from_location(location) if location is not None else None
        place = answers[m.text]
        if place is not None:
            precision = GEO_PRECISION_EXACT if place.feature_class == "city" else GEO_PRECISION_REGION
            filled[(m.start, m.end)] = replace(m, place=place, confidence=ONLINE_CONFIDENCE, geo_precision=precision)
    if not filled:
        return mentions, incidents, warnings
    new_mentions = [filled.get((m.start, m.end), m) for m in mentions]
    new_incidents = [
        replace(i, mention=filled[(i.mention.start, i.mention.end)])
        if i.mention.place is None and (i.mention.start, i.mention.end) in filled else i
        for i in incidents
    ]
    return new_mentions, new_incidents, warnings
