"""Small frozen value objects shared by every layer.

Coordinate order is named everywhere: fields are `lat` and `lon`; `__geo_interface__`
is GeoJSON, so it is (lon, lat). Leaflet wants [lat, lon]; use `latlon` for it.
Each object validates itself and quotes the bad value.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# "site": a landmark inside a town (the White House, Tahrir Square), from geodata/data/sites.csv.
FEATURE_CLASSES = ("country", "admin1", "admin2", "city", "region", "water", "landform", "site")

# ACLED geo_precision: 1 = the exact town/site, 2 = near a town or within a small area
# (district), 3 = a larger region (province, country, sea).
GEO_PRECISION_EXACT, GEO_PRECISION_NEAR, GEO_PRECISION_REGION = 1, 2, 3

# Date precision, coarsest last. ACLED's time_precision 1/2/3 maps to day/week/month.
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")


def _check_latlon(lat: float, lon: float, what: str) -> None:
    if not (-90.0 <= lat <= 90.0) or math.isnan(lat):
        raise ValueError(f"{what}: latitude {lat!r} is outside -90..90")
    if not (-180.0 <= lon <= 180.0) or math.isnan(lon):
        raise ValueError(f"{what}: longitude {lon!r} is outside -180..180")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer record.

    `id` is the GeoNames id as a string where there is one ("658225"), otherwise a stable
    project id ("atlas:golan-heights", "csc:SY-02"). `radius_km` is the rough extent of the
    feature (0 for a point such as a village), so a map can draw imprecision honestly.

    Examples
    --------
    >>> p = Place("658225", "Helsinki", "city", "FI", "Uusimaa", 658864, 60.16952, 24.93545)
    >>> p.__geo_interface__["coordinates"]
    (24.93545, 60.16952)
    """

    id: str
    name: str
    feature_class: str
    country_code: str
    admin1: str
    population: int
    lat: float
    lon: float
    radius_km: float = 0.0

    def __post_init__(self) -> None:
        if self.feature_class not in FEATURE_CLASSES:
            raise ValueError(
                f"Place {self.name!r}: feature_class {self.feature_class!r} is not one of {FEATURE_CLASSES}"
            )
        _check_latlon(self.lat, self.lon, f"Place {self.name!r}")

    @property
    def latlon(self) -> tuple[float, float]:
        """(lat, lon), the order Leaflet and geopy use."""
        return (self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored candidate kept for review: why the resolver chose what it chose."""

    place_id: str
    name: str
    feature_class: str
    country_code: str
    lat: float
    lon: float
    score: float


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in an article, with its resolution (or None if abstained).

    `start`/`end` are Python str offsets into the article text. `kind` is "place" for a
    toponym and "demonym" for "Iranian"-style mentions of a country (never event locations).
    """

    text: str
    start: int
    end: int
    kind: str = "place"
    label: str = ""
    place: Place | None = None
    confidence: float = 0.0
    geo_precision: int = GEO_PRECISION_REGION
    candidates: tuple[Candidate, ...] = ()
    sentence: int = -1

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Mention {self.text!r}: bad span {self.start}..{self.end}")
        if self.kind not in ("place", "demonym"):
            raise ValueError(f"Mention {self.text!r}: kind {self.kind!r} is not 'place' or 'demonym'")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a file, a feed, a URL or a row.

    `origin` names where it came from, for error messages ("feed.xml", "batch.jsonl:12").
    `published` is None when unknown: relative dates then stay unresolved.
    """

    text: str
    title: str = ""
    url: str = ""
    source: str = ""
    published: date | None = None
    origin: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        """sha256 of the normalised text: the same story re-read is the same article."""
        normalised = " ".join(self.text.split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Incident:
    """An event an article reports, located and dated.

    `date_start`/`date_end` bound the event (equal for a known day); `date_precision`
    is one of DATE_PRECISIONS. Ongoing events with no day have both None and
    precision "unknown". `mention` is the place the event sentence points to.
    """

    event_type: str
    sub_event_type: str
    mention: Mention
    snippet: str
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    date_text: str = ""
    fatalities: int | None = None
    sentence: int = -1
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.date_precision not in DATE_PRECISIONS:
            raise ValueError(f"Incident: date_precision {self.date_precision!r} not in {DATE_PRECISIONS}")
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValueError(f"Incident: date_end {self.date_end} is before date_start {self.date_start}")
        if self.fatalities is not None and self.fatalities < 0:
            raise ValueError(f"Incident: fatalities {self.fatalities!r} is negative")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        place = self.mention.place
        if place is None:
            return {"type": "Point", "coordinates": ()}
        return place.__geo_interface__


def as_date(value: date | datetime | None) -> date | None:
    """Drop the time part: incidents are dated to the day at best."""
    if isinstance(value, datetime):
        return value.date()
    return value


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km (the EUPEG metric's).

    The one distance function of the project: the resolver, the gazetteer build, events and
    the evaluation scorer all use it, so "within 161 km" means the same everywhere.

    Examples
    --------
    >>> round(haversine_km(60.1695, 24.9354, 59.4370, 24.7536))
    82
    >>> round(haversine_km(0.0, 0.0, 0.0, 1.0), 3)
    111.195
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
