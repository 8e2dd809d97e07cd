"""The dashboard's data layer and callback functions, called directly (no browser)."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner

from dashboard.callbacks.export import export_text
from dashboard.callbacks.table import position_of, rows_response
from dashboard.callbacks.timeline import histogram_figure
from dashboard.data import (NO_DAY, day_of, filter_from_spec, histogram, load_columns, map_data, map_payload,
                            mask_for, sorted_rows)
from geodata.filters import IncidentFilter
from geodata.store import IncidentStore

SPECS = [
    {},
    {"start": "2024-02-08", "end": "2024-02-09"},
    {"types": ["Battles", "Protests"], "countries": ["SY", "IR"]},
    {"min_fatalities": 2, "geo_precision": [1, 2]},
    {"date_precision": ["week"], "sources": ["Reuters"]},
    {"text": "IDLIB"},
    {"text": "synthetic report 1", "start": "2024-01-10", "end": "2024-03-01"},
]


def _decode(payload, name, dtype):
    return np.frombuffer(base64.b64decode(payload["cols"][name]), dtype=dtype)


@pytest.mark.parametrize("spec", SPECS)
def test_mask_selects_the_same_incidents_as_the_store_sql(store_path, spec):
    cols = load_columns(store_path)
    flt = filter_from_spec(spec)
    mine = set(cols.ids[mask_for(cols, flt)])
    with IncidentStore(store_path) as store:
        frame = store.incidents_frame(flt)
    sql = set(frame.loc[frame["lat"].notna(), "id"])
    assert mine == sql and (spec or mine)


def test_window_uses_span_overlap(store_path):
    cols = load_columns(store_path)
    ids = set(cols.ids[mask_for(cols, filter_from_spec({"start": "2024-02-11", "end": "2024-02-11"}))])
    assert "span-week" in ids  # started on the 5th, still going on the 11th
    assert "undated" not in ids


def test_undated_incidents_show_only_without_a_window(store_path):
    cols = load_columns(store_path)
    assert "undated" in set(cols.ids[mask_for(cols, IncidentFilter())])
    assert "nowhere" not in set(cols.ids)  # no coordinates: not on the map, as in exports
    assert cols.unlocated == 1


def unpack(blob: bytes) -> tuple[dict, dict]:
    """The map's binary message as (header, {column: array}), as the browser reads it."""
    size = int.from_bytes(blob[:4], "little")
    head = json.loads(blob[4:4 + size])
    base = 4 + size
    assert base % 8 == 0
    arrays = {name: np.frombuffer(blob, dtype, count, base + offset)
              for name, (dtype, offset, count) in head["layout"].items()}
    return head, arrays


def test_map_data_carries_the_filtered_points(store_path):
    cols = load_columns(store_path)
    head, a = unpack(map_data(cols, {"types": ["Battles"]}))
    assert head["mode"] == "points" and head["n"] == len(a["row"]) > 0 and head["client_window"]
    assert {cols.types[t] for t in a["type"]} == {"Battles"}
    np.testing.assert_allclose(a["lat"], cols.lat[a["row"]])
    assert head["total"] == cols.n and head["unlocated"] == 1


@pytest.mark.parametrize("spec", [s for s in SPECS if s.get("start")] + [{"start": "2024-01-20", "end": "2024-01-20"}])
def test_the_maps_own_window_selects_what_the_server_would(store_path, spec):
    """With client_window the map filters by d0/d1 itself: the same rows as mask_for."""
    cols = load_columns(store_path)
    head, a = unpack(map_data(cols, spec))
    assert head["client_window"]
    lo, hi = head["window_days"]
    assert (lo, hi) == (day_of(spec["start"]), day_of(spec["end"]))
    in_window = (a["d0"] != NO_DAY) & (a["d0"] <= hi) & (a["d1"] >= lo)  # atlas_map.js applyWindow
    expected = np.flatnonzero(mask_for(cols, filter_from_spec(spec)))
    assert sorted(a["row"][in_window]) == sorted(expected.tolist())
    assert head["n"] >= in_window.sum()  # everything but the window


def test_large_sets_get_the_window_from_the_server(store_path):
    cols = load_columns(store_path)
    spec = {"start": "2024-02-01", "end": "2024-02-10"}
    head, a = unpack(map_data(cols, spec, point_limit=50))  # the whole store is "large" here
    assert not head["client_window"] and "d0" not in a
    assert head["n"] == mask_for(cols, filter_from_spec(spec)).sum()
    head, a = unpack(map_data(cols, {}, point_limit=50))
    assert head["mode"] == "grid" and a["count"].sum() == cols.n


def test_payload_aggregates_to_a_grid_above_the_limit(store_path):
    cols = load_columns(store_path)
    payload = map_payload(cols, np.ones(cols.n, bool), point_limit=10, grid_deg=1.0)
    counts = _decode(payload, "count", "<u4")
    assert payload["mode"] == "grid" and counts.sum() == cols.n
    assert len(counts) < cols.n


def test_histogram_counts_a_span_in_every_bin_it_covers(store_path):
    cols = load_columns(store_path)
    only = cols.ids == "span-week"
    edges, counts = histogram(cols, only, "day")
    per_day = counts.sum(axis=0)
    assert per_day.sum() == 7
    first = int(np.flatnonzero(per_day)[0])
    assert edges[first] == day_of("2024-02-05")
    _, weekly = histogram(cols, only, "week")
    assert weekly.sum() == 1  # Monday 5th to Sunday 11th is one ISO week


def test_histogram_figure_stacks_types_and_respects_filters(store_path):
    cols = load_columns(store_path)
    fig = histogram_figure(cols, mask_for(cols, filter_from_spec({"types": ["Riots"]})), "week")
    assert [t["name"] for t in fig["data"]] == ["Riots"]
    assert fig["layout"]["barmode"] == "stack"
    dated_riots = ((cols.type_code == cols.types.index("Riots")) & (cols.day_start != NO_DAY)).sum()
    assert sum(fig["data"][0]["y"]) >= dated_riots


def test_table_blocks_are_sorted_and_complete(store_path):
    spec = {"countries": ["SY"]}
    first = rows_response(str(store_path), spec, {"startRow": 0, "endRow": 50,
                                                  "sortModel": [{"colId": "fatalities", "sort": "desc"}]})
    fats = [r["fatalities"] if r["fatalities"] is not None else -1 for r in first["rowData"]]
    assert fats == sorted(fats, reverse=True)
    assert all(r["country"] == "SY" for r in first["rowData"])
    everything = rows_response(str(store_path), spec, {"startRow": 0, "endRow": 10_000})
    assert len(everything["rowData"]) == everything["rowCount"] == first["rowCount"]


def test_position_of_finds_the_row_the_table_shows(store_path):
    cols = load_columns(store_path)
    row = cols.row_of["span-week"]
    pos = position_of(str(store_path), {}, row, None)
    block = rows_response(str(store_path), {}, {"startRow": pos, "endRow": pos + 1})
    assert block["rowData"][0]["id"] == "span-week"
    assert position_of(str(store_path), {"types": ["Riots"]}, row, None) is None


def test_default_table_order_is_newest_first(store_path):
    cols = load_columns(store_path)
    order = sorted_rows(cols, np.ones(cols.n, bool), None)
    starts = cols.day_start[order]
    dated = starts[starts != NO_DAY]
    assert (np.diff(dated) <= 0).all()


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_dashboard_download_equals_the_export_command(store_path, fmt, tmp_path):
    from ingest.cli.export_cmd import command as export_command

    spec = {"types": ["Battles", "Riots"], "start": "2024-02-01", "end": "2024-03-15", "min_fatalities": 1}
    mine = export_text(str(store_path), spec, fmt)
    out = tmp_path / f"cli.{fmt}"
    result = CliRunner().invoke(export_command, [
        "--db", str(store_path), "-f", fmt, "-o", str(out), "--type", "Battles", "--type", "Riots",
        "--start", "2024-02-01", "--end", "2024-03-15", "--min-fatalities", "1"])
    assert result.exit_code == 0, result.output
    assert mine == out.read_text(encoding="utf-8")
    if fmt == "geojson":
        cols = load_columns(store_path)
        shown = set(cols.ids[mask_for(cols, filter_from_spec(spec))])
        assert {f["properties"]["id"] for f in json.loads(mine)["features"]} == shown


def test_filter_spec_round_trip():
    flt = filter_from_spec({"start": "2024-01-01", "end": "2024-01-31", "geo_precision": ["3"],
                            "min_fatalities": 0, "text": ""})
    assert flt == IncidentFilter(start=date(2024, 1, 1), end=date(2024, 1, 31), geo_precision=(3,))
