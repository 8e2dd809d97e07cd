"""GeoJSON and CSV exports read back with GDAL (pyogrio) and csv, checked against the store."""

from __future__ import annotations

import csv
import json
import math
import struct
from datetime import date

import pandas as pd
import pyogrio.raw
import pytest

from geodata.export import EXPORT_COLUMNS, to_feature_collection, write_csv, write_geojson
from geodata.filters import IncidentFilter
from geodata.model import Article, Incident, Mention, Place
from geodata.store import IncidentStore

HOMS = Place("169577", "Homs", "city", "SY", "Homs", 775404, 34.72682, 36.72339)
KHARKIV = Place("706483", "Kharkiv", "city", "UA", "Kharkivs'ka Oblast'", 1430885, 49.98081, 36.25272, 12.5)
SYRIA = Place("163843", "Syria", "country", "SY", "", 22933531, 35.0, 38.0, 300.0)


def _incident(place: Place | None, event: str, snippet: str, **kw) -> Incident:
    m = Mention(place.name if place else "the front", 0, 4, place=place, confidence=0.75,
                geo_precision=3 if place is SYRIA else 1)
    return Incident(event, kw.pop("sub", ""), m, snippet, **kw)


@pytest.fixture
def store(tmp_path):
    """Four incidents from five reports in three articles: one reported twice, one without a place,
    one undated, text with commas, quotes, newlines and non-ASCII."""
    path = tmp_path / "incidents.db"
    with IncidentStore(path) as s:
        homs = dict(date_start=date(2024, 3, 1), date_end=date(2024, 3, 1), date_precision="day")
        s.add_article(
            Article("Shelling in Homs killed 4.", title="Homs shelled", url="https://a.test/1",
                    source="Wire", published=date(2024, 3, 2)),
            [], [_incident(HOMS, "Explosions/Remote violence", "Shelling in Homs killed 4.", fatalities=4,
                           sub="Shelling/artillery/missile attack", **homs),
                 _incident(None, "Battles", "Fighting on \"the front\", officials said.", fatalities=None)])
        s.add_article(
            Article("Homs: 6 dead after shelling.", title="Six dead", url="https://b.test/2",
                    source="Agence", published=date(2024, 3, 1)),
            [], [_incident(HOMS, "Explosions/Remote violence", "6 dead, many hurt,\nin Homs", fatalities=6, **homs)])
        s.add_article(
            Article("Протест у Харкові; protest in Syria.", title="Харків protest", url="", source="Блог"),
            [], [_incident(KHARKIV, "Protests", "Протест у Харкові", sub="Peaceful protest",
                           date_start=date(2024, 2, 1), date_end=date(2024, 2, 29), date_precision="month",
                           fatalities=0),
                 _incident(SYRIA, "Protests", "protest in Syria")])
        yield s


def _same(a, b) -> bool:
    """Equal, treating None/NaN as one 'missing' and allowing float round-off in GDAL."""
    missing = lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA  # noqa: E731
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return float(a) == pytest.approx(float(b), rel=1e-12)
    return str(a) == str(b)


def test_geojson_read_back_with_gdal_matches_the_store_property_by_property(store, tmp_path):
    frame = store.incidents_frame()
    out = tmp_path / "incidents.geojson"
    with out.open("w", encoding="utf-8") as fp:
        assert write_geojson(frame, fp) == 3  # the incident without a place is left out

    # DATE_AS_STRING: keep GDAL from turning our ISO strings into its own date type.
    meta, _, geometry, fields = pyogrio.raw.read(out, DATE_AS_STRING=True)
    assert meta["geometry_type"] == "Point" and meta["crs"] == "EPSG:4326"
    assert list(meta["fields"]) == EXPORT_COLUMNS
    by_id = frame.set_index("id").to_dict("index")
    seen = set()
    for i, wkb in enumerate(geometry):
        props = {name: values[i] for name, values in zip(meta["fields"], fields)}
        expected = {"id": props["id"], **by_id[props["id"]]}
        for column in EXPORT_COLUMNS:
            assert _same(props[column], expected[column]), (props["id"], column, props[column], expected[column])
        _, _, x, y = struct.unpack("<BIdd", wkb)  # little-endian WKB Point
        assert (x, y) == (expected["lon"], expected["lat"])  # GeoJSON order: lon, lat
        seen.add(props["id"])
    assert seen == set(frame.dropna(subset=["lat"])["id"])


def test_feature_collection_types_nulls_and_coordinate_order(store):
    fc = to_feature_collection(store.incidents_frame())
    json.dumps(fc, allow_nan=False)  # no NaN anywhere
    props = {f["properties"]["place"]: f for f in fc["features"]}
    homs = props["Homs"]
    assert homs["geometry"] == {"type": "Point", "coordinates": [HOMS.lon, HOMS.lat]}
    p = homs["properties"]
    assert list(p) == EXPORT_COLUMNS
    assert (p["fatalities"], p["n_sources"], p["geo_precision"]) == (6, 2, 1)
    assert all(type(p[c]) is int for c in ("fatalities", "n_sources", "geo_precision"))
    # The earliest-published report supplies title, url, source, published and snippet.
    assert (p["title"], p["url"], p["published"], p["snippet"]) == (
        "Six dead", "https://b.test/2", "2024-03-01", "6 dead, many hurt,\nin Homs")
    syria = props["Syria"]["properties"]
    assert (syria["date_start"], syria["date_end"], syria["fatalities"], syria["published"]) == (None,) * 4
    assert syria["geo_precision"] == 3 and syria["radius_km"] == 300.0
    assert props["Kharkiv"]["properties"]["admin1"] == "Kharkivs'ka Oblast'"
    assert "the front" not in props


def test_csv_has_the_same_columns_and_rows_as_geojson(store, tmp_path):
    frame = store.incidents_frame()
    path = tmp_path / "incidents.csv"
    with path.open("w", encoding="utf-8", newline="") as fp:
        assert write_csv(frame, fp) == 3
    with path.open(encoding="utf-8", newline="") as fp:
        reader = csv.reader(fp)
        header, rows = next(reader), list(reader)
    assert header == EXPORT_COLUMNS
    features = [f["properties"] for f in to_feature_collection(frame)["features"]]
    assert len(rows) == len(features) == 3
    for row, props in zip(rows, features):
        for column, cell in zip(header, row):
            value = props[column]
            assert cell == ("" if value is None else repr(value) if isinstance(value, float) else str(value)), column
    # pandas reads it back to the same located rows, newline-in-snippet and Cyrillic included.
    back = pd.read_csv(path, keep_default_na=False, na_values=[""])
    located = frame.dropna(subset=["lat"]).reset_index(drop=True)
    assert back["snippet"].tolist() == located["snippet"].tolist()
    assert back["lon"].tolist() == located["lon"].tolist()
    assert "Блог" in back["source"].tolist()


def test_a_filtered_frame_exports_only_its_rows(store):
    fc = to_feature_collection(store.incidents_frame(IncidentFilter(countries=("UA",))))
    assert [f["properties"]["place"] for f in fc["features"]] == ["Kharkiv"]


def test_a_frame_without_the_export_columns_is_refused():
    with pytest.raises(ValueError, match="lacks export columns.*'n_sources'"):
        to_feature_collection(pd.DataFrame({c: [] for c in EXPORT_COLUMNS if c != "n_sources"}))
