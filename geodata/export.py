"""GeoJSON (RFC 7946) and CSV exports of incident frames, with the same columns everywhere.

Rows without coordinates are left out of BOTH formats. RFC 7946 allows a null geometry,
but many mapping tools reject or silently misplace such features, and dropping them from
the CSV too keeps the two files row-for-row identical. Callers get the count of rows
written and should tell the user how many were left out (the CLI says so on stderr).
"""

from __future__ import annotations

import csv
import json
import math
from typing import Any, TextIO

import pandas as pd

# The shared column order (docs/architecture.md): GeoJSON properties, CSV, the store's
# incidents_frame and the dashboard table.
EXPORT_COLUMNS: list[str] = [
    "id", "date_start", "date_end", "date_precision", "event_type", "sub_event_type",
    "fatalities", "place", "country", "admin1", "feature_class", "geo_precision",
    "confidence", "snippet", "title", "url", "source", "published", "n_sources",
    "lat", "lon", "radius_km",
]

# Column kinds, so that an empty frame has the same dtypes as a full one and JSON gets
# ints as ints. Everything else is text.
INT_COLUMNS = ("fatalities", "geo_precision", "n_sources")
FLOAT_COLUMNS = ("confidence", "lat", "lon", "radius_km")


def _json_value(value: Any) -> Any:
    """A frame cell as a JSON value: NaN/NA/None -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def located(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` that have both lat and lon, in EXPORT_COLUMNS order.

    Examples
    --------
    >>> f = pd.DataFrame({c: [None, None] for c in EXPORT_COLUMNS})
    >>> f.loc[0, ["lat", "lon"]] = [33.5, 36.3]
    >>> len(located(f))
    1
    """
    missing = [c for c in EXPORT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"incident frame lacks export columns {missing}; build it with IncidentStore.incidents_frame()")
    keep = frame["lat"].notna() & frame["lon"].notna()
    return frame.loc[keep, EXPORT_COLUMNS]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for values in located(frame).itertuples(index=False, name=None):
        row = {c: _json_value(v) for c, v in zip(EXPORT_COLUMNS, values)}
        for c in INT_COLUMNS:
            if row[c] is not None:
                row[c] = int(row[c])
        for c in FLOAT_COLUMNS:
            if row[c] is not None:
                row[c] = float(row[c])
        rows.append(row)
    return rows


def to_feature_collection(frame: pd.DataFrame) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: one Point feature per located incident.

    The geometry is ``[lon, lat]`` (GeoJSON order); the properties are every export column,
    lat and lon included, with missing values as null and counts as integers.

    Examples
    --------
    >>> f = pd.DataFrame([{c: None for c in EXPORT_COLUMNS}])
    >>> f.loc[0, ["id", "lat", "lon", "n_sources"]] = ["abc", 33.5, 36.3, 2]
    >>> fc = to_feature_collection(f)
    >>> fc["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [36.3, 33.5]}
    >>> fc["features"][0]["properties"]["n_sources"]
    2
    """
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": row,
        }
        for row in _records(frame)
    ]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(frame: pd.DataFrame, fp: TextIO) -> int:
    """Write `frame` as a GeoJSON FeatureCollection to the text stream `fp`.

    Returns the number of features written (rows without coordinates are left out).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> write_geojson(pd.DataFrame(columns=EXPORT_COLUMNS), buf)
    0
    >>> json.loads(buf.getvalue())["type"]
    'FeatureCollection'
    """
    fc = to_feature_collection(frame)
    # allow_nan=False: a NaN that slipped through would be invalid JSON, better to fail loudly.
    json.dump(fc, fp, ensure_ascii=False, allow_nan=False)
    fp.write("\n")
    return len(fc["features"])


def write_csv(frame: pd.DataFrame, fp: TextIO) -> int:
    """Write `frame` as CSV with a header of EXPORT_COLUMNS to `fp` (open it with newline="").

    Missing values are empty cells; rows without coordinates are left out, as in GeoJSON.
    Returns the number of data rows written.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> write_csv(pd.DataFrame(columns=EXPORT_COLUMNS), buf)
    0
    >>> buf.getvalue().splitlines()[0].split(",")[:3]
    ['id', 'date_start', 'date_end']
    """
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    rows = _records(frame)
    for row in rows:
        # repr() of a float round-trips exactly; str(None) would write "None".
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row.values()])
    return len(rows)
