"""Map: the server filters and packs the data; the browser posts it into the loaded map.

The map page is loaded once (iframe src ``/map``); filter changes only send new data, so
the user's zoom, pan and open layers stay. Marker clicks come back through
assets/atlas_dash.js into the `MAP_SELECTED` store.
"""

from __future__ import annotations

from typing import Any

import flask
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback

from dashboard import ids
from dashboard.data import filter_from_spec, load_columns, map_payload, mask_for


def payload_for(db_path: str, spec: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """The map payload and the count line for one filter spec (pure apart from reading the store)."""
    cols = load_columns(db_path)
    flt = filter_from_spec(spec)
    mask = mask_for(cols, flt)
    window = [spec.get("start"), spec.get("end")] if spec and (spec.get("start") or spec.get("end")) else None
    payload = map_payload(cols, mask, window=window)
    text = f"{payload['n']:,} of {cols.n:,} incidents"
    if cols.unlocated:
        text += f" ({cols.unlocated:,} without coordinates not shown)"
    return payload, text


@callback(
    Output(ids.MAP_PAYLOAD, "data"),
    Output(ids.FILTER_COUNT, "children"),
    Input(ids.FILTER_SPEC, "data"),
)
def update_map(spec: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    return payload_for(flask.current_app.config["ATLAS_DB"], spec)


clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="sendToMap"),
    Output(ids.MAP_ACK, "data"),
    Input(ids.MAP_PAYLOAD, "data"),
)

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="focusFromTable"),
    Output(ids.MAP_FOCUS_ACK, "data"),
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.TABLE_GRID, "cellClicked"),
    prevent_initial_call=True,
)
