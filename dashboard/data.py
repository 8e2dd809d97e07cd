"""The dashboard's data layer: columns read once per process, filtered with NumPy.

Why: every slider move filters the whole store. Reading SQLite per move costs seconds at a
million incidents; a boolean mask over in-memory columns costs milliseconds. The columns
are a read-only snapshot keyed by the database file's identity (path, size and mtime of the
file and its WAL), so a new ingest is picked up on the next callback, and no per-user state
is kept on the server: callbacks get the filter spec from a dcc.Store and return results.

Filtering follows `geodata.filters.IncidentFilter` exactly (span overlap for dates, ASCII
case folding for text); free-text search runs the filter's own SQL, so the map, the table
and `incident-atlas export` select the same rows. Only incidents with coordinates are
shown, as in the exports.

Examples
--------
>>> from geodata.store import IncidentStore
>>> store = IncidentStore(":memory:")
>>> _ = store.add_incident_rows([
...     {"id": "a", "event_type": "Battles", "lat": 33.5, "lon": 36.3, "date_start": "2024-03-01",
...      "date_end": "2024-03-01", "date_precision": "day", "fatalities": 3, "geo_precision": 1},
...     {"id": "b", "event_type": "Protests", "lat": 30.0, "lon": 31.2, "date_start": "2024-03-05",
...      "date_end": "2024-03-09", "date_precision": "week", "geo_precision": 3, "radius_km": 50.0}])
>>> cols = columns_from_store(store, version="test")
>>> flt = filter_from_spec({"start": "2024-03-06", "end": "2024-03-31"})
>>> [str(i) for i in cols.ids[mask_for(cols, flt)]]
['b']
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geodata.export import EXPORT_COLUMNS
from geodata.filters import IncidentFilter
from geodata.model import DATE_PRECISIONS
from geodata.store import IncidentStore

from dashboard.palette import colors_for

# Above this many matching incidents the server sends grid cells instead of incidents:
# the browser then clusters cells, which keeps a million-incident view interactive.
POINT_LIMIT = 200_000
GRID_DEG = 0.25
EPOCH = date(1970, 1, 1)
NO_DAY = np.iinfo(np.int32).min  # "no date" in the int32 day columns
# Columns the table can sort on without going back to SQLite.
SORTABLE = ("date_start", "date_end", "event_type", "fatalities", "country", "geo_precision",
            "date_precision", "source")
# Table columns fetched per block from SQLite (everything but the coordinates).
TABLE_COLUMNS = [c for c in EXPORT_COLUMNS if c not in ("lat", "lon")]


def day_of(value: date | str | None) -> int | None:
    """Days since 1970-01-01 (the slider's unit).

    Examples
    --------
    >>> day_of("1970-01-02"), day_of(None)
    (1, None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return (value - EPOCH).days


def date_of(day: int) -> date:
    """Inverse of `day_of`.

    Examples
    --------
    >>> date_of(1)
    datetime.date(1970, 1, 2)
    """
    return EPOCH + timedelta(days=int(day))


@dataclass(frozen=True, eq=False)
class Columns:
    """A read-only, columnar snapshot of the located incidents of one store version.

    Categorical columns are codes into sorted vocabularies (``types[type_code[i]]``), dates
    are int32 days since 1970 with `NO_DAY` for unknown, numbers with no value are -1
    (fatalities) or 0 (geo precision). Rows keep the store's order (start date, then id).
    """

    version: str
    db_path: str
    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    radius_km: np.ndarray
    day_start: np.ndarray
    day_end: np.ndarray
    fatalities: np.ndarray
    geo_precision: np.ndarray
    type_code: np.ndarray
    types: tuple[str, ...]
    country_code: np.ndarray
    countries: tuple[str, ...]
    source_code: np.ndarray
    sources: tuple[str, ...]
    dprec_code: np.ndarray
    unlocated: int

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    @property
    def colors(self) -> list[str]:
        return colors_for(self.types)

    def day_range(self) -> tuple[int | None, int | None]:
        """First and last day any dated incident covers."""
        ok = self.day_start != NO_DAY
        if not ok.any():
            return (None, None)
        return (int(self.day_start[ok].min()), int(self.day_end[ok].max()))

    @property
    def row_of(self) -> dict[str, int]:
        return _row_index(self)


@lru_cache(maxsize=4)
def _row_index(cols: Columns) -> dict[str, int]:
    return {str(i): k for k, i in enumerate(cols.ids)}


def _codes(values: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Sorted vocabulary of the non-empty values, and int16 codes (-1 for missing).

    Hash-based (`pandas.factorize`): a million rows cost a fraction of a second and no
    fixed-width string copy, where ``np.unique`` on strings sorted them all.

    Examples
    --------
    >>> codes, vocab = _codes(np.array(["b", None, "a", "", "b"], dtype=object))
    >>> codes.tolist(), vocab
    ([1, -1, 0, -1, 1], ('a', 'b'))
    """
    raw, uniques = pd.factorize(values)  # None -> -1
    names = [str(u) for u in uniques]
    lut = np.full(len(names) + 1, -1, dtype=np.int16)  # indexed by raw code + 1
    vocab: list[str] = []
    for k in sorted(range(len(names)), key=names.__getitem__):
        if names[k] != "":
            lut[k + 1] = len(vocab)
            vocab.append(names[k])
    return lut[raw + 1], tuple(vocab)


def _precision_codes(values: np.ndarray) -> np.ndarray:
    """Index into DATE_PRECISIONS per row; anything else counts as the last ("unknown")."""
    raw, uniques = pd.factorize(values)
    last = len(DATE_PRECISIONS) - 1
    lut = np.array([last] + [DATE_PRECISIONS.index(u) if u in DATE_PRECISIONS else last for u in uniques],
                   dtype=np.int8)
    return lut[raw + 1]


def _days(values: np.ndarray) -> np.ndarray:
    days = values.astype("datetime64[D]")
    out = days.astype(np.int64)
    out[np.isnat(days)] = NO_DAY
    return out.astype(np.int32)


_READ = ["id", "date_start", "date_end", "date_precision", "event_type", "fatalities", "country",
         "geo_precision", "source", "lat", "lon", "radius_km"]


def columns_from_store(store: IncidentStore, *, version: str, db_path: str = "") -> Columns:
    """Read the columns the map and timeline need, with one SELECT (`incident_arrays`)."""
    a = store.incident_arrays(_READ)
    located = ~(np.isnan(a["lat"]) | np.isnan(a["lon"]))
    a = {k: v[located] for k, v in a.items()}
    start, end = _days(a["date_start"]), _days(a["date_end"])
    # A one-sided span is a single day (IncidentFilter's rule).
    start = np.where(start == NO_DAY, end, start)
    end = np.where(end == NO_DAY, start, end)
    type_code, types = _codes(a["event_type"])
    country_code, countries = _codes(a["country"])
    source_code, sources = _codes(a["source"])
    dprec = _precision_codes(a["date_precision"])
    fat = a["fatalities"]
    return Columns(
        version=version,
        db_path=db_path,
        ids=a["id"],
        lat=a["lat"].astype(np.float32),
        lon=a["lon"].astype(np.float32),
        radius_km=np.nan_to_num(a["radius_km"], nan=0.0).astype(np.float32),
        day_start=start,
        day_end=end,
        fatalities=np.where(np.isnan(fat), -1, fat).astype(np.int32),
        geo_precision=np.nan_to_num(a["geo_precision"], nan=0).astype(np.int8),
        type_code=type_code,
        types=types,
        country_code=country_code,
        countries=countries,
        source_code=source_code,
        sources=sources,
        dprec_code=dprec,
        unlocated=int((~located).sum()),
    )


def store_version(db_path: str | Path) -> str:
    """Identity of the store's current content: changes whenever SQLite writes.

    With WAL journaling commits land in ``-wal`` first, so its size and mtime count too.
    """
    parts = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(f"{db_path}{suffix}")
            parts.append(f"{st.st_size}.{st.st_mtime_ns}")
        except FileNotFoundError:
            parts.append("-")
    return "v" + "_".join(parts)


class _ColumnCache:
    """At most two snapshots (the current one and the one being replaced), per db path.

    Read-only values keyed by (path, version): no user's state lives here. The lock only
    stops two threads from reading the same new version from SQLite at once.
    """

    def __init__(self, size: int = 2) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], Columns] = OrderedDict()
        self._latest: dict[str, Columns] = {}
        self._lock = threading.Lock()

    def get(self, db_path: str | Path) -> Columns:
        path = str(Path(db_path).resolve())
        if not Path(path).exists():
            from geodata.errors import StoreError

            raise StoreError(f"{db_path}: no incident store there; ingest articles first "
                             "(incident-atlas ingest ... --db FILE) or check --db / INCIDENT_ATLAS_DB")
        key = (path, store_version(path))
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                return hit
            with IncidentStore(path, create=False) as store:
                cols = columns_from_store(store, version=key[1], db_path=path)
            # Any reader that closes the last connection (a text search, a popup's details)
            # checkpoints the WAL and so changes the files, not the incidents: the snapshot
            # keeps the version the open pages hold, or their next popup would ask for a reload.
            latest = self._latest.get(path)
            if latest is not None and _same_incidents(latest, cols):
                cols = latest
            self._latest[path] = cols
            # Opening the store may checkpoint the WAL: file under the version seen after it.
            self._items[key] = cols
            self._items[(path, store_version(path))] = cols
            while len(self._items) > self._size * 2:
                self._items.popitem(last=False)
            return cols


def _same_incidents(a: Columns, b: Columns) -> bool:
    """True when two snapshots hold the same rows with the same values (row numbers agree)."""
    if a.n != b.n or a.unlocated != b.unlocated or (a.types, a.countries, a.sources) != (b.types, b.countries, b.sources):
        return False
    arrays = ("ids", "lat", "lon", "radius_km", "day_start", "day_end", "fatalities", "geo_precision",
              "type_code", "country_code", "source_code", "dprec_code")
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in arrays)


_CACHE = _ColumnCache()


def load_columns(db_path: str | Path) -> Columns:
    """The columns of the store at `db_path`, read from SQLite only when it changed."""
    return _CACHE.get(db_path)


# --------------------------------------------------------------------------- filters

def filter_from_spec(spec: Mapping[str, Any] | None) -> IncidentFilter:
    """The `IncidentFilter` a dashboard filter spec (the dcc.Store's JSON) stands for.

    Examples
    --------
    >>> filter_from_spec({"types": ["Battles"], "min_fatalities": "2", "text": "  "})
    IncidentFilter(start=None, end=None, types=('Battles',), countries=(), sources=(), bbox=None, min_fatalities=2, geo_precision=(), date_precision=(), text=None)
    """
    spec = dict(spec or {})

    def d(key: str) -> date | None:
        value = spec.get(key)
        return date.fromisoformat(value[:10]) if value else None

    mf = spec.get("min_fatalities")
    min_fat = int(float(mf)) if mf not in (None, "") else None
    return IncidentFilter(
        start=d("start"),
        end=d("end"),
        types=tuple(spec.get("types") or ()),
        countries=tuple(spec.get("countries") or ()),
        sources=tuple(spec.get("sources") or ()),
        min_fatalities=min_fat if min_fat and min_fat > 0 else None,
        geo_precision=tuple(int(p) for p in spec.get("geo_precision") or ()),
        date_precision=tuple(spec.get("date_precision") or ()),
        text=spec.get("text") or None,
    )


def _one_of(codes: np.ndarray, vocab: Sequence[str], allowed: Sequence[str]) -> np.ndarray:
    wanted = [vocab.index(v) for v in allowed if v in vocab]
    return np.isin(codes, np.array(wanted, dtype=codes.dtype)) if wanted else np.zeros(codes.shape, bool)


@lru_cache(maxsize=32)
def _text_rows(db_path: str, version: str, text: str) -> np.ndarray:
    """Rows whose snippet, title or place contain `text`, by the filter's own SQL.

    Memoised per store version: the answer is a pure function of (store content, text).
    """
    cols = _CACHE.get(db_path)
    with IncidentStore(db_path, create=False) as store:
        ids = store.incident_arrays(["id"], IncidentFilter(text=text))["id"]
    row_of = cols.row_of
    rows = np.fromiter((row_of[i] for i in ids if i in row_of), dtype=np.int64)
    rows.setflags(write=False)
    return rows


def mask_for(cols: Columns, flt: IncidentFilter, *,
             text_rows: Callable[[str], np.ndarray] | None = None) -> np.ndarray:
    """Boolean mask of the rows passing `flt` (same rules as `IncidentFilter.matches`).

    `text_rows(text)` returns the row numbers matching a free-text search; by default the
    store's SQL answers it. ``bbox`` is honoured too, although the dashboard does not set it.
    """
    m = np.ones(cols.n, dtype=bool)
    if flt.start is not None or flt.end is not None:
        dated = cols.day_start != NO_DAY
        m &= dated
        if flt.start is not None:
            m &= cols.day_end >= day_of(flt.start)
        if flt.end is not None:
            m &= cols.day_start <= day_of(flt.end)
    if flt.types:
        m &= _one_of(cols.type_code, cols.types, flt.types)
    if flt.countries:
        m &= _one_of(cols.country_code, cols.countries, flt.countries)
    if flt.sources:
        m &= _one_of(cols.source_code, cols.sources, flt.sources)
    if flt.date_precision:
        wanted = [DATE_PRECISIONS.index(p) for p in flt.date_precision]
        m &= np.isin(cols.dprec_code, np.array(wanted, dtype=np.int8))
    if flt.geo_precision:
        m &= np.isin(cols.geo_precision, np.array(flt.geo_precision, dtype=np.int8))
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        m &= (cols.lon >= west) & (cols.lon <= east) & (cols.lat >= south) & (cols.lat <= north)
    if flt.min_fatalities is not None:
        m &= cols.fatalities >= flt.min_fatalities
    if flt.text:
        rows = text_rows(flt.text) if text_rows else _text_rows(cols.db_path, cols.version, flt.text)
        hit = np.zeros(cols.n, dtype=bool)
        hit[rows] = True
        m &= hit
    return m


# --------------------------------------------------------------------------- map payload

def _b64(array: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def map_arrays(cols: Columns, mask: np.ndarray, *, window: Sequence[str | None] | None = None,
               point_limit: int = POINT_LIMIT, grid_deg: float = GRID_DEG,
               with_days: bool = False) -> tuple[dict[str, Any], dict[str, tuple[np.ndarray, str]]]:
    """The filtered incidents as compact columns for the map: ``(meta, {name: (array, dtype)})``.

    Up to `point_limit` incidents go one by one (row number, lat, lon, type code,
    fatalities, geo precision, radius, and with `with_days` the first and last day, so the
    map can apply a date window itself); above it, counts per `grid_deg` cell (cell
    centre, count, most common type, summed fatalities), which the map clusters further.
    Dtypes are little-endian NumPy codes (``<f4``, ``u1``...).

    Examples
    --------
    >>> meta, arrays = map_arrays(demo_columns(3), np.ones(3, bool), with_days=True)
    >>> meta["mode"], meta["n"], sorted(arrays)
    ('points', 3, ['d0', 'd1', 'fat', 'lat', 'lon', 'prec', 'rad', 'row', 'type'])
    """
    rows = np.flatnonzero(mask)
    n = int(rows.size)
    meta: dict[str, Any] = {
        "version": cols.version,
        "n": n,
        "total": cols.n,
        "unlocated": cols.unlocated,
        "types": list(cols.types),
        "colors": cols.colors,
        "window": list(window) if window else None,
        "bounds": None,
    }
    type_code = np.maximum(cols.type_code, 0)  # -1 (no type) cannot happen: event_type is NOT NULL
    if n:
        lat, lon = cols.lat[rows], cols.lon[rows]
        meta["bounds"] = [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]
    if n <= point_limit:
        meta["mode"] = "points"
        arrays = {
            "row": (rows, "<u4"),
            "lat": (cols.lat[rows], "<f4"),
            "lon": (cols.lon[rows], "<f4"),
            "type": (type_code[rows], "u1"),
            "fat": (cols.fatalities[rows], "<i4"),
            "prec": (cols.geo_precision[rows], "u1"),
            "rad": (cols.radius_km[rows], "<f4"),
        }
        if with_days:
            arrays["d0"] = (cols.day_start[rows], "<i4")  # NO_DAY: undated
            arrays["d1"] = (cols.day_end[rows], "<i4")
        return meta, arrays
    # Grid aggregation: one bincount over a flattened cell index is O(n) and allocation-light.
    ncol = int(round(360 / grid_deg))
    nrow = int(round(180 / grid_deg))
    ci = np.clip(((cols.lon[rows] + 180.0) / grid_deg).astype(np.int32), 0, ncol - 1)
    cj = np.clip(((cols.lat[rows] + 90.0) / grid_deg).astype(np.int32), 0, nrow - 1)
    cell = cj.astype(np.int64) * ncol + ci
    used, inverse, counts = np.unique(cell, return_inverse=True, return_counts=True)
    ntypes = max(len(cols.types), 1)
    per_type = np.bincount(inverse * ntypes + type_code[rows], minlength=used.size * ntypes).reshape(used.size, ntypes)
    fat = np.bincount(inverse, weights=np.maximum(cols.fatalities[rows], 0), minlength=used.size)
    meta["mode"] = "grid"
    meta["cell_deg"] = grid_deg
    return meta, {
        "lat": ((used // ncol) * grid_deg - 90.0 + grid_deg / 2, "<f4"),
        "lon": ((used % ncol) * grid_deg - 180.0 + grid_deg / 2, "<f4"),
        "count": (counts, "<u4"),
        "type": (per_type.argmax(axis=1), "u1"),
        "fat": (np.minimum(fat, np.iinfo(np.int32).max), "<i4"),
    }


def map_payload(cols: Columns, mask: np.ndarray, *, window: Sequence[str | None] | None = None,
                point_limit: int = POINT_LIMIT, grid_deg: float = GRID_DEG) -> dict[str, Any]:
    """`map_arrays` as JSON: the columns as base64 strings (for snapshots, which inline it).

    Examples
    --------
    >>> cols = demo_columns(3)
    >>> p = map_payload(cols, np.ones(3, bool))
    >>> p["mode"], p["n"], sorted(p["cols"])
    ('points', 3, ['fat', 'lat', 'lon', 'prec', 'rad', 'row', 'type'])
    >>> map_payload(cols, np.ones(3, bool), point_limit=2)["mode"]
    'grid'
    """
    meta, arrays = map_arrays(cols, mask, window=window, point_limit=point_limit, grid_deg=grid_deg)
    meta["cols"] = {name: _b64(a, dtype) for name, (a, dtype) in arrays.items()}
    return meta


def pack_map_data(meta: Mapping[str, Any], arrays: Mapping[str, tuple[np.ndarray, str]]) -> bytes:
    """One binary message for the map: ``u32 header length, JSON header, columns``.

    The header is `meta` plus ``layout``: ``{name: [dtype, byte offset, length]}``, offsets
    counted from the end of the header and 8-aligned, so the browser takes typed-array views
    of the one ArrayBuffer without copying or base64 decoding.

    Examples
    --------
    >>> import json, struct
    >>> blob = pack_map_data({"n": 2}, {"lat": (np.array([1.5, 2.5]), "<f4")})
    >>> size = struct.unpack("<I", blob[:4])[0]
    >>> head = json.loads(blob[4:4 + size])
    >>> head["layout"], np.frombuffer(blob, "<f4", 2, 4 + size).tolist()
    ({'lat': ['<f4', 0, 2]}, [1.5, 2.5])
    """
    layout: dict[str, list[Any]] = {}
    parts: list[bytes] = []
    offset = 0
    for name, (array, dtype) in arrays.items():
        data = np.ascontiguousarray(array, dtype=dtype).tobytes()
        layout[name] = [dtype, offset, int(np.asarray(array).shape[0])]
        pad = (-len(data)) % 8
        parts.append(data + b"\0" * pad)
        offset += len(data) + pad
    head = json.dumps({**meta, "layout": layout}, separators=(",", ":"), allow_nan=False).encode("utf-8")
    head += b" " * ((-(4 + len(head))) % 8)  # columns start 8-aligned
    return struct.pack("<I", len(head)) + head + b"".join(parts)


def map_data(cols: Columns, spec: Mapping[str, Any] | None, *, point_limit: int = POINT_LIMIT) -> bytes:
    """What the map needs for one filter spec, packed (`pack_map_data`).

    When the incidents passing every filter but the date window are few enough
    (`point_limit`), the map gets all of them with their days (``client_window: true``)
    and applies the window itself: then a slider move needs no server request at all.
    Otherwise the server applies the window too (``client_window: false``), which for
    large sets means grid cells.

    Examples
    --------
    >>> import json, struct
    >>> blob = map_data(demo_columns(3), {"start": "2024-03-18", "end": "2024-03-18"})
    >>> head = json.loads(blob[4:4 + struct.unpack("<I", blob[:4])[0]])
    >>> head["client_window"], head["n"], head["window_days"]
    (True, 3, [19800, 19800])
    """
    spec = dict(spec or {})
    flt = filter_from_spec(spec)
    base_mask = mask_for(cols, dataclasses.replace(flt, start=None, end=None))
    window = [spec.get("start"), spec.get("end")] if (flt.start or flt.end) else None
    days = [day_of(flt.start), day_of(flt.end)] if window else None
    if int(base_mask.sum()) <= point_limit:
        meta, arrays = map_arrays(cols, base_mask, window=window, point_limit=point_limit, with_days=True)
        meta["client_window"] = True
    else:
        meta, arrays = map_arrays(cols, mask_for(cols, flt), window=window, point_limit=point_limit)
        meta["client_window"] = False
    meta["window_days"] = days
    return pack_map_data(meta, arrays)


# --------------------------------------------------------------------------- timeline

GRANULARITIES = ("day", "week", "month")


def auto_granularity(lo: int | None, hi: int | None) -> str:
    """Bins that give a readable histogram: days up to ~4 months, weeks up to ~3 years.

    Examples
    --------
    >>> auto_granularity(0, 30), auto_granularity(0, 400), auto_granularity(0, 3000)
    ('day', 'week', 'month')
    """
    if lo is None or hi is None:
        return "day"
    span = hi - lo
    return "day" if span <= 120 else "week" if span <= 3 * 366 else "month"


def bin_edges(lo: int, hi: int, granularity: str) -> np.ndarray:
    """Start day of each bin covering [lo, hi], plus the end (exclusive) as the last edge.

    Weeks start on Monday and months on the 1st, so bins line up with the calendar.
    """
    if granularity == "day":
        return np.arange(lo, hi + 2, dtype=np.int64)
    if granularity == "week":
        first = lo - (date_of(lo).weekday())
        return np.arange(first, hi + 8, 7, dtype=np.int64)
    d0 = date_of(lo).replace(day=1)
    edges = []
    y, m = d0.year, d0.month
    while True:
        day = day_of(date(y, m, 1))
        edges.append(day)
        if day > hi:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return np.array(edges, dtype=np.int64)


def histogram(cols: Columns, mask: np.ndarray, granularity: str,
              lo: int | None = None, hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Incidents per bin and type, counting each incident in EVERY bin its span overlaps.

    Returns ``(edges, counts)`` with ``counts[type, bin]``. Undated incidents are left out.
    A difference array per type makes it O(n + bins), however long the spans.

    Examples
    --------
    >>> cols = demo_columns(3)
    >>> edges, counts = histogram(cols, np.ones(3, bool), "day")
    >>> counts.sum(axis=0).tolist()
    [1, 2, 2, 1]
    """
    dlo, dhi = cols.day_range()
    lo = dlo if lo is None else lo
    hi = dhi if hi is None else hi
    ntypes = max(len(cols.types), 1)
    if lo is None or hi is None:
        return np.array([0, 1]), np.zeros((ntypes, 1), dtype=np.int64)
    edges = bin_edges(lo, hi, granularity)
    nbins = len(edges) - 1
    sel = mask & (cols.day_start != NO_DAY)
    first = np.searchsorted(edges, cols.day_start[sel], side="right") - 1
    last = np.searchsorted(edges, cols.day_end[sel], side="right") - 1
    first = np.clip(first, 0, nbins - 1)
    last = np.clip(last, 0, nbins - 1)
    t = np.maximum(cols.type_code[sel], 0).astype(np.int64)
    diff = np.zeros((ntypes, nbins + 1), dtype=np.int64)
    np.add.at(diff, (t, first), 1)
    np.add.at(diff, (t, last + 1), -1)
    return edges, np.cumsum(diff[:, :nbins], axis=1)


# --------------------------------------------------------------------------- table

def sorted_rows(cols: Columns, mask: np.ndarray, sort_model: Sequence[Mapping[str, str]] | None) -> np.ndarray:
    """Row numbers of the filtered set in the table's order (newest first by default).

    Examples
    --------
    >>> cols = demo_columns(3)
    >>> sorted_rows(cols, np.ones(3, bool), None).tolist()
    [2, 1, 0]
    >>> sorted_rows(cols, np.ones(3, bool), [{"colId": "fatalities", "sort": "asc"}]).tolist()
    [0, 1, 2]
    """
    rows = np.flatnonzero(mask)
    keys: list[np.ndarray] = []
    for item in reversed(list(sort_model or [])):
        col, direction = item.get("colId"), item.get("sort", "asc")
        if col not in SORTABLE:
            continue
        values = {
            "date_start": cols.day_start, "date_end": cols.day_end, "event_type": cols.type_code,
            "fatalities": cols.fatalities, "country": cols.country_code, "geo_precision": cols.geo_precision,
            "date_precision": cols.dprec_code, "source": cols.source_code,
        }[col][rows].astype(np.int64)
        keys.append(-values if direction == "desc" else values)
    if not keys:
        # Default: newest first; the stable store order breaks ties.
        return rows[np.argsort(-cols.day_start[rows].astype(np.int64), kind="stable")]
    # lexsort's LAST key is the primary one; keys were built from the sort model reversed.
    order = np.lexsort(keys)
    return rows[order]


def table_block(db_path: str | Path, cols: Columns, rows: np.ndarray) -> list[dict[str, Any]]:
    """Table rows (export columns, plus `row`) for a slice of row numbers, in that order.

    Text columns are fetched from SQLite by id for just this block, so the grid never
    ships the whole filtered set to the browser.
    """
    if rows.size == 0:
        return []
    ids = [str(cols.ids[r]) for r in rows]
    with IncidentStore(db_path, create=False) as store:
        found = {rec["id"]: rec for rec in store.incidents_by_id(ids, TABLE_COLUMNS)}
    out = []
    for r, i in zip(rows, ids):
        rec = found.get(i)
        if rec is not None:
            rec["row"] = int(r)
            rec["rid"] = str(r)  # AG Grid wants string row ids
            out.append(rec)
    return out


def incident_details(db_path: str | Path, cols: Columns, row: int) -> dict[str, Any] | None:
    """Everything a popup shows about one incident, with every reporting source."""
    if not 0 <= row < cols.n:
        return None
    iid = str(cols.ids[row])
    with IncidentStore(db_path, create=False) as store:
        found = store.incidents_by_id([iid], EXPORT_COLUMNS)
        if not found:
            return None
        rec = found[0]
        rec["sources"] = store.incident_sources(iid)
    if not rec["sources"] and (rec.get("url") or rec.get("source")):
        # Rows added without articles (add_incident_rows) carry their one source inline.
        rec["sources"] = [{"source": rec.get("source"), "url": rec.get("url"),
                           "title": rec.get("title"), "published": rec.get("published")}]
    rec["row"] = row
    return rec


# --------------------------------------------------------------------------- test helper

def demo_columns(n: int) -> Columns:
    """A tiny in-memory snapshot for doctests: n incidents on consecutive days, 2-day spans."""
    k = np.arange(n)
    start = (19800 + k).astype(np.int32)
    return Columns(
        version="demo", db_path="", ids=np.array([f"i{i}" for i in k], dtype=object),
        lat=(10 + k).astype(np.float32), lon=(20 + k).astype(np.float32),
        radius_km=np.zeros(n, np.float32), day_start=start, day_end=start + 1,
        fatalities=k.astype(np.int32), geo_precision=np.ones(n, np.int8),
        type_code=(k % 2).astype(np.int16), types=("Battles", "Protests"),
        country_code=np.zeros(n, np.int16), countries=("SY",),
        source_code=np.zeros(n, np.int16), sources=("Reuters",),
        dprec_code=np.zeros(n, np.int8), unlocated=0,
    )
