"""One incident filter shared by the CLI export, the snapshot command and the dashboard.

The same `IncidentFilter` renders to a parameterised SQL WHERE clause (`to_sql`, used by
`IncidentStore`) and to a pure-Python predicate (`matches`, used by the dashboard on rows
it already holds and by the tests to cross-check the SQL). Both follow the same rules:

- dates: an incident spans ``[date_start, date_end]`` (a missing bound takes the other
  one's value). It matches a ``[start, end]`` window when the two spans OVERLAP, so a
  week-long event shows on every day of its week. Incidents with no date at all match only
  when no window is set.
- ``types``, ``countries``, ``sources``, ``geo_precision``, ``date_precision``: the value
  must be one of the given ones (an empty tuple means "any"). ``sources`` is checked
  against the incident's displayed source, that of its earliest-published article.
- ``bbox`` (west, south, east, north), degrees, inclusive: incidents without coordinates
  never match a bbox.
- ``min_fatalities``: ``fatalities >= n``; unknown fatalities never match.
- ``text``: case-insensitive substring of the snippet, the title or the place name. Case
  folding is ASCII-only, exactly as SQLite's ``LIKE`` does it, so both paths agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from geodata.model import DATE_PRECISIONS

# Columns `text` searches, in the incidents table and in export rows alike.
TEXT_COLUMNS = ("snippet", "title", "place")

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(s: str) -> str:
    # SQLite's LIKE folds only A-Z; folding more here would make matches() disagree with SQL.
    return s.translate(_ASCII_LOWER)


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT: anything a frame uses for 'no value'."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return True  # pd.NA raises in bool(); treat it as missing


def iso_date(value: Any) -> str | None:
    """A date-ish value as 'YYYY-MM-DD', the form the store keeps and compares; None if missing.

    Examples
    --------
    >>> iso_date(date(2024, 3, 1)), iso_date("2024-03-01"), iso_date(float("nan"))
    ('2024-03-01', '2024-03-01', None)
    """
    if _missing(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas.Timestamp
        return value.date().isoformat()
    return str(value)[:10]


def _as_tuple(values: Iterable[Any] | str | None) -> tuple[Any, ...]:
    if values is None:
        return ()
    if isinstance(values, (str, int)):
        return (values,)
    return tuple(values)


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents to show. Every field defaults to "no restriction".

    Parameters
    ----------
    start, end : date or None
        Date window, inclusive. Incidents whose span overlaps it match.
    types : tuple of str
        ACLED event types, e.g. ``("Battles",)``.
    countries : tuple of str
        ISO alpha-2 codes; normalised to upper case.
    sources : tuple of str
        Source names as stored on articles (``Article.source``).
    bbox : (west, south, east, north) or None
        Degrees; requires west <= east and south <= north (no antimeridian wrap).
    min_fatalities : int or None
        Keep incidents reporting at least this many deaths.
    geo_precision : tuple of int
        ACLED geo precision codes 1-3.
    date_precision : tuple of str
        Values of `geodata.model.DATE_PRECISIONS`.
    text : str or None
        Case-insensitive substring of snippet, title or place.

    Examples
    --------
    >>> from datetime import date
    >>> f = IncidentFilter(start=date(2024, 3, 1), end=date(2024, 3, 31), countries=("sy",))
    >>> f.countries
    ('SY',)
    >>> f.matches({"date_start": "2024-02-25", "date_end": "2024-03-02", "country": "SY"})
    True
    >>> where, params = f.to_sql()
    >>> params
    ['2024-03-01', '2024-03-31', 'SY']
    """

    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    geo_precision: tuple[int, ...] = ()
    date_precision: tuple[str, ...] = ()
    text: str | None = None

    def __post_init__(self) -> None:
        # Frozen, so normalise through object.__setattr__; callers may pass lists or a str.
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                put(name, value.date())
            elif value is not None and not isinstance(value, date):
                raise ValueError(f"IncidentFilter: {name} {value!r} is not a date")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"IncidentFilter: end {self.end} is before start {self.start}")

        put("types", tuple(str(t) for t in _as_tuple(self.types)))
        put("sources", tuple(str(s) for s in _as_tuple(self.sources)))
        countries = tuple(str(c).strip().upper() for c in _as_tuple(self.countries))
        for code in countries:
            if len(code) != 2 or not code.isalpha():
                raise ValueError(f"IncidentFilter: country {code!r} is not an ISO alpha-2 code such as 'SY'")
        put("countries", countries)

        precisions = _as_tuple(self.geo_precision)
        for p in precisions:
            if isinstance(p, bool) or not isinstance(p, int) or p not in (1, 2, 3):
                raise ValueError(f"IncidentFilter: geo_precision {p!r} is not 1, 2 or 3")
        put("geo_precision", tuple(precisions))
        dprec = tuple(_as_tuple(self.date_precision))
        for p in dprec:
            if p not in DATE_PRECISIONS:
                raise ValueError(f"IncidentFilter: date_precision {p!r} is not one of {DATE_PRECISIONS}")
        put("date_precision", dprec)

        if self.bbox is not None:
            bbox = tuple(self.bbox)
            if len(bbox) != 4:
                raise ValueError(f"IncidentFilter: bbox {self.bbox!r} needs 4 numbers: west, south, east, north")
            try:
                west, south, east, north = (float(v) for v in bbox)
            except (TypeError, ValueError) as err:
                raise ValueError(f"IncidentFilter: bbox {self.bbox!r} holds a value that is not a number") from err
            if any(math.isnan(v) for v in (west, south, east, north)):
                raise ValueError(f"IncidentFilter: bbox {self.bbox!r} holds NaN")
            if not (-180 <= west <= east <= 180):
                raise ValueError(
                    f"IncidentFilter: bbox {self.bbox!r} needs -180 <= west <= east <= 180 "
                    "(boxes across the antimeridian are not supported; use two filters)"
                )
            if not (-90 <= south <= north <= 90):
                raise ValueError(f"IncidentFilter: bbox {self.bbox!r} needs -90 <= south <= north <= 90")
            put("bbox", (west, south, east, north))

        if self.min_fatalities is not None:
            if isinstance(self.min_fatalities, bool) or not isinstance(self.min_fatalities, int):
                raise ValueError(f"IncidentFilter: min_fatalities {self.min_fatalities!r} is not an integer")
            if self.min_fatalities < 0:
                raise ValueError(f"IncidentFilter: min_fatalities {self.min_fatalities!r} is negative")
        if self.text is not None:
            text = str(self.text).strip()
            put("text", text or None)  # a blank search box means no search

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every incident through."""
        return all(getattr(self, f.name) in (None, ()) for f in fields(self))

    def to_sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause (without the keyword) over the incidents table, and its parameters.

        Values always travel as parameters, never inside the SQL text. The clause names the
        columns of the `incidents` table unqualified; it is ``"1"`` for an empty filter.

        Examples
        --------
        >>> IncidentFilter().to_sql()
        ('1', [])
        >>> IncidentFilter(types=("Battles", "Protests"), min_fatalities=1).to_sql()
        ('event_type IN (?, ?) AND fatalities >= ?', ['Battles', 'Protests', 1])
        """
        clauses: list[str] = []
        params: list[Any] = []
        # A missing bound takes the other's value, so a one-sided span is a single day.
        if self.start is not None:
            clauses.append("COALESCE(date_end, date_start) >= ?")
            params.append(self.start.isoformat())
        if self.end is not None:
            clauses.append("COALESCE(date_start, date_end) <= ?")
            params.append(self.end.isoformat())

        def one_of(column: str, values: tuple[Any, ...]) -> None:
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)

        one_of("event_type", self.types)
        one_of("country", self.countries)
        one_of("source", self.sources)
        one_of("geo_precision", self.geo_precision)
        one_of("date_precision", self.date_precision)
        if self.bbox is not None:
            west, south, east, north = self.bbox
            clauses.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
            params.extend([west, east, south, north])
        if self.min_fatalities is not None:
            clauses.append("fatalities >= ?")
            params.append(self.min_fatalities)
        if self.text:
            pattern = f"%{_like_escape(self.text)}%"
            clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in TEXT_COLUMNS) + ")")
            params.extend([pattern] * len(TEXT_COLUMNS))
        return (" AND ".join(clauses) or "1", params)

    def matches(self, row: Mapping[str, Any]) -> bool:
        """Whether one incident row (export column names) passes, in pure Python.

        Missing keys, None and NaN all count as "no value".

        Examples
        --------
        >>> f = IncidentFilter(bbox=(35.0, 32.0, 37.0, 34.0))
        >>> f.matches({"lat": 33.5, "lon": 36.3})
        True
        >>> f.matches({"lat": None, "lon": None})
        False
        """
        get = row.get
        if self.start is not None or self.end is not None:
            lo, hi = iso_date(get("date_start")), iso_date(get("date_end"))
            lo, hi = lo or hi, hi or lo
            if lo is None:
                return False
            if self.start is not None and hi < self.start.isoformat():
                return False
            if self.end is not None and lo > self.end.isoformat():
                return False

        for column, allowed in (
            ("event_type", self.types),
            ("country", self.countries),
            ("source", self.sources),
            ("date_precision", self.date_precision),
        ):
            if allowed and (_missing(get(column)) or get(column) not in allowed):
                return False
        if self.geo_precision:
            value = get("geo_precision")
            if _missing(value) or int(value) not in self.geo_precision:
                return False
        if self.bbox is not None:
            lat, lon = get("lat"), get("lon")
            if _missing(lat) or _missing(lon):
                return False
            west, south, east, north = self.bbox
            if not (west <= float(lon) <= east and south <= float(lat) <= north):
                return False
        if self.min_fatalities is not None:
            value = get("fatalities")
            if _missing(value) or int(value) < self.min_fatalities:
                return False
        if self.text:
            needle = _ascii_lower(self.text)
            if not any(
                not _missing(get(c)) and needle in _ascii_lower(str(get(c))) for c in TEXT_COLUMNS
            ):
                return False
        return True
