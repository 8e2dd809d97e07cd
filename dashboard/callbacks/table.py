"""Table: an AG Grid on the infinite row model, linked both ways with the map.

The grid asks for blocks of 100 rows; the server sorts the filtered row numbers with NumPy
and reads just that block's text from SQLite, so 100k matches never travel at once.
A marker click (MAP_SELECTED from the map) scrolls the grid to the incident's row; the
browser then selects it (assets/atlas_dash.js). A row click flies the map to the incident.
"""

from __future__ import annotations

from typing import Any

import flask
import numpy as np
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, no_update

from dashboard import ids
from dashboard.data import filter_from_spec, load_columns, mask_for, sorted_rows, table_block


def rows_response(db_path: str, spec: dict[str, Any] | None, request: dict[str, Any]) -> dict[str, Any]:
    """The infinite model's answer to one block request: ``{"rowData": [...], "rowCount": n}``."""
    cols = load_columns(db_path)
    order = sorted_rows(cols, mask_for(cols, filter_from_spec(spec)), request.get("sortModel"))
    start = max(0, int(request.get("startRow") or 0))
    end = min(order.size, max(start, int(request.get("endRow") or start + 100)))
    return {"rowData": table_block(db_path, cols, order[start:end]), "rowCount": int(order.size)}


def position_of(db_path: str, spec: dict[str, Any] | None, row: int, sort_model: list[dict[str, str]] | None) -> int | None:
    """Where incident `row` sits in the table's current order (None if filtered out)."""
    cols = load_columns(db_path)
    order = sorted_rows(cols, mask_for(cols, filter_from_spec(spec)), sort_model)
    hits = np.flatnonzero(order == row)
    return int(hits[0]) if hits.size else None


@callback(
    Output(ids.TABLE_GRID, "getRowsResponse"),
    Input(ids.TABLE_GRID, "getRowsRequest"),
    State(ids.FILTER_SPEC, "data"),
    prevent_initial_call=True,
)
def get_rows(request: dict[str, Any] | None, spec: dict[str, Any] | None) -> Any:
    if not request:
        return no_update
    return rows_response(flask.current_app.config["ATLAS_DB"], spec, request)


@callback(
    Output(ids.TABLE_GRID, "scrollTo"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.FILTER_SPEC, "data"),
    State(ids.TABLE_GRID, "getRowsRequest"),
    prevent_initial_call=True,
)
def scroll_to_selected(selected: dict[str, Any] | None, spec: dict[str, Any] | None,
                       request: dict[str, Any] | None) -> Any:
    if not selected or selected.get("from") != "map":
        return no_update  # a row click is already in view
    pos = position_of(flask.current_app.config["ATLAS_DB"], spec, int(selected["row"]),
                      (request or {}).get("sortModel"))
    if pos is None:
        return no_update
    return {"rowIndex": pos, "rowPosition": "middle"}


# A new filter (the date window included): drop the grid's cached blocks.
clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="refreshTable"),
    Output(ids.TABLE_REFRESH_ACK, "data"),
    Input(ids.FILTER_SPEC, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="selectRow"),
    Output(ids.TABLE_SELECT_ACK, "data"),
    Input(ids.MAP_SELECTED, "data"),
    prevent_initial_call=True,
)
