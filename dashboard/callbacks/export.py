"""Export what is on screen: GeoJSON, CSV (same writers and columns as `incident-atlas
export`) and a self-contained HTML snapshot of the map."""

from __future__ import annotations

import io
from typing import Any

import flask
from dash import Input, Output, State, callback, ctx, dcc, no_update

from dashboard import ids
from dashboard.data import filter_from_spec
from geodata.export import write_csv, write_geojson
from geodata.store import IncidentStore

WRITERS = {"geojson": write_geojson, "csv": write_csv}


def export_text(db_path: str, spec: dict[str, Any] | None, fmt: str) -> str:
    """The filtered incidents exactly as `incident-atlas export --format fmt` writes them."""
    with IncidentStore(db_path, create=False) as store:
        frame = store.incidents_frame(filter_from_spec(spec))
    buf = io.StringIO(newline="")
    WRITERS[fmt](frame, buf)
    return buf.getvalue()


@callback(
    Output(ids.EXPORT_DOWNLOAD, "data"),
    Input(ids.EXPORT_GEOJSON, "n_clicks"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    Input(ids.EXPORT_SNAPSHOT, "n_clicks"),
    State(ids.FILTER_SPEC, "data"),
    prevent_initial_call=True,
)
def download(_geojson: int, _csv: int, _snapshot: int, spec: dict[str, Any] | None) -> Any:
    db = flask.current_app.config["ATLAS_DB"]
    if ctx.triggered_id == ids.EXPORT_GEOJSON:
        return dcc.send_string(export_text(db, spec, "geojson"), "incidents.geojson", type="application/geo+json")
    if ctx.triggered_id == ids.EXPORT_CSV:
        return dcc.send_string(export_text(db, spec, "csv"), "incidents.csv", type="text/csv")
    if ctx.triggered_id == ids.EXPORT_SNAPSHOT:
        from dashboard.snapshot import snapshot_html

        html = snapshot_html(db, filter_from_spec(spec), title="Incident Atlas",
                             tiles=flask.current_app.config.get("ATLAS_TILES", "offline"))
        return dcc.send_string(html, "incident-atlas-snapshot.html", type="text/html")
    return no_update
