"""Geocoders with geopy's interface: the offline gazetteer, or Nominatim when asked for.

`OfflineGeocoder` answers from the built gazetteer and never touches the network.
`make_geocoder("nominatim", ...)` is opt-in: geopy's Nominatim, throttled by geopy's
`RateLimiter` (wrapping, not subclassing) and fronted by an on-disk cache that also
remembers misses, so the same query is never sent twice.

Examples
--------
>>> from geodata.geocoders import OfflineGeocoder
>>> loc = OfflineGeocoder().geocode("Aleppo, Syria")   # doctest: +SKIP
>>> loc.address, loc.raw["feature_class"]                # doctest: +SKIP
('Aleppo, Syria', 'city')
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geodata import settings
from geodata.errors import ConfigError, GeocoderError
from geodata.gazetteer import Gazetteer, normalize_name
from geodata.model import Place

GeocodeFn = Callable[[str], "Location | None"]
_POOL = 100  # candidates read before country/admin1 filters; common names rarely have more


class OfflineGeocoder(Geocoder):
    """A geopy geocoder backed by the offline gazetteer.

    "Aleppo, Syria" and "Springfield, Illinois" style queries work: when the whole query
    is not a name, the text after the first comma is read as country and admin-1 hints.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to `Gazetteer()` (the built file at `settings.gazetteer_path()`).

    Examples
    --------
    >>> geo = OfflineGeocoder()                                   # doctest: +SKIP
    >>> geo.geocode("Tripoli", country_codes="LB").raw["admin1"]  # doctest: +SKIP
    'North'
    >>> [l.raw["country_code"] for l in geo.geocode("Tripoli", exactly_one=False)][:2]  # doctest: +SKIP
    ['LY', 'LB']
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__(user_agent=settings.get("user_agent"))
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """Locate `query`; like geopy, None when nothing matches.

        Parameters
        ----------
        query : str
            A place name, optionally followed by hints: "Aleppo, Syria", "Cook County, IL".
        exactly_one : bool
            Return the best Location, or a list of all candidates (best first).
        country_codes : str or iterable of str, optional
            ISO alpha-2 codes the answer must lie in.
        timeout : float, optional
            Accepted for interface compatibility; an offline lookup does not wait.

        Returns
        -------
        Location, list of Location, or None
            `raw` holds the `Place` fields (id, name, feature_class, country_code, ...).
        """
        if not isinstance(query, str):
            raise TypeError(f"OfflineGeocoder takes a string query, not {type(query).__name__}")
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        codes = {c.strip().upper() for c in country_codes or () if c.strip()}
        places = self._candidates(query, codes)
        if not places:
            return None
        if exactly_one:
            return self._location(places[0])
        return [self._location(p) for p in places]

    def _lookup(self, name: str, codes: set[str], **kw) -> list[Place]:
        gaz = self.gazetteer
        if len(codes) == 1:
            return gaz.lookup(name, country=next(iter(codes)), limit=_POOL, **kw)
        found = gaz.lookup(name, limit=_POOL, **kw)
        return [p for p in found if p.country_code in codes] if codes else found

    def _candidates(self, query: str, codes: set[str]) -> list[Place]:
        whole = self._lookup(query, codes)
        if whole or "," not in query:
            return whole
        head, *hints = [part.strip() for part in query.split(",") if part.strip()]
        found = self._lookup(head, codes)
        # Right to left, as addresses are written: "Springfield, Sangamon County, Illinois, USA".
        for hint in reversed(hints):
            kept = [p for p in found if self._hint_fits(p, hint)]
            if kept or self._is_known(hint):
                found = kept
            # else: a hint the gazetteer does not know ("northern Syria") narrows nothing.
        return found

    def _hint_fits(self, place: Place, hint: str) -> bool:
        """Does `hint` name the place's country or admin-1 ("Syria", "SY", "Illinois", "IL")?"""
        gaz = self.gazetteer
        country = gaz.country(place.country_code)
        norm = normalize_name(hint)
        if country is not None and (norm in (normalize_name(country.name), country.country_code.casefold())
                                    or country in gaz.lookup(hint, feature_classes=("country",), limit=3)):
            return True
        if place.admin1 and place.feature_class != "admin1":
            if norm == normalize_name(place.admin1):
                return True
            admin1 = gaz.admin1(place.country_code, hint)
            return admin1 is not None and admin1.name == place.admin1
        return False

    def _is_known(self, hint: str) -> bool:
        gaz = self.gazetteer
        return bool(gaz.lookup(hint, limit=1)) or (len(hint) in (2, 3) and gaz.country(hint) is not None)

    def _location(self, place: Place) -> Location:
        parts = [place.name]
        if place.admin1 and place.admin1 != place.name:
            parts.append(place.admin1)
        if place.feature_class != "country" and place.country_code:
            country = self.gazetteer.country(place.country_code)
            parts.append(country.name if country else place.country_code)
        return Location(", ".join(parts), (place.lat, place.lon), dataclasses.asdict(place))


class CachedGeocoder:
    """Wraps a `geocode(query)` callable with a SQLite cache in `cache_dir`; misses are cached too.

    Failures (timeouts, HTTP errors) are raised as GeocoderError and not cached, so a later
    run asks again.

    Examples
    --------
    >>> geocode = CachedGeocoder(lambda q: None, "/tmp/geo-cache", namespace="test")
    >>> geocode("Nowhere at all") is None
    True
    """

    def __init__(self, func: GeocodeFn, cache_dir: str | Path, *, namespace: str):
        self.func = func
        self.namespace = namespace
        self.geocoder: Geocoder | None = None  # the client behind `func`, when there is one
        self.cache_path = Path(cache_dir).expanduser() / "geocoder-cache.sqlite"
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS geocode (service TEXT NOT NULL, query TEXT NOT NULL,"
                         " result TEXT, fetched TEXT NOT NULL, PRIMARY KEY (service, query))")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.cache_path, timeout=30)

    @staticmethod
    def key(query: str) -> str:
        return " ".join(query.split()).casefold()

    def __call__(self, query: str) -> Location | None:
        key = self.key(query)
        with self._connect() as conn:
            row = conn.execute("SELECT result FROM geocode WHERE service = ? AND query = ?",
                               (self.namespace, key)).fetchone()
        if row is not None:
            if row[0] is None:
                return None
            d = json.loads(row[0])
            return Location(d["address"], (d["lat"], d["lon"]), d["raw"])
        try:
            loc = self.func(query)
        except GeopyError as err:
            raise GeocoderError(f"{self.namespace}: geocoding {query!r} failed: {err}") from err
        if isinstance(loc, list):
            loc = loc[0] if loc else None
        result = None if loc is None else json.dumps(
            {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw})
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO geocode VALUES (?, ?, ?, ?)",
                         (self.namespace, key, result, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        return loc


def make_geocoder(
    name: str = "offline",
    *,
    cache_dir: str | Path | None = None,
    url: str | None = None,
    user_agent: str | None = None,
    min_delay_seconds: float = 1.0,
    max_retries: int = 2,
    timeout: float = 10.0,
) -> GeocodeFn:
    """A `geocode(query) -> Location | None` callable.

    Parameters
    ----------
    name : {"offline", "nominatim"}
        offline answers from the gazetteer; nominatim asks a Nominatim server (opt-in).
    cache_dir : str or Path, optional
        Where the Nominatim cache lives (default `settings.cache_dir()`).
    url : str, optional
        Nominatim base URL such as "http://127.0.0.1:8080"; None uses geopy's default server.
    user_agent : str, optional
        Sent to Nominatim (default the `user_agent` setting); its usage policy requires one.
    min_delay_seconds, max_retries, timeout : float, int, float
        Throttling (Nominatim's policy is at most one request a second), retries on
        service errors and the per-request timeout.

    Raises
    ------
    ConfigError
        Unknown geocoder name or a URL that is not http(s).

    Examples
    --------
    >>> geocode = make_geocoder("offline")        # doctest: +SKIP
    >>> geocode("Aleppo, Syria").point.latitude   # doctest: +SKIP
    36.20278
    >>> geocode = make_geocoder("nominatim", url="http://127.0.0.1:8080", cache_dir="/tmp/c")  # doctest: +SKIP
    """
    if name == "offline":
        return OfflineGeocoder().geocode
    if name != "nominatim":
        raise ConfigError(f"geocoder {name!r} is unknown; use 'offline' or 'nominatim'")

    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    kwargs: dict = {}
    url = url if url is not None else (settings.get("nominatim_url") or None)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"Nominatim URL {url!r} is not an http(s) URL such as http://127.0.0.1:8080")
        kwargs = {"scheme": parts.scheme, "domain": parts.netloc + parts.path.rstrip("/")}
    nominatim = Nominatim(user_agent=user_agent or settings.get("user_agent"), timeout=timeout, **kwargs)
    throttled = RateLimiter(nominatim.geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
                            error_wait_seconds=max(min_delay_seconds, 0.0) * 2, swallow_exceptions=False)
    namespace = f"nominatim:{nominatim.domain}"
    cached = CachedGeocoder(throttled, cache_dir if cache_dir is not None else settings.cache_dir(),
                            namespace=namespace)
    cached.geocoder = nominatim
    return cached
