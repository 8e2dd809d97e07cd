"""Filters: every control folds into one filter spec (a dcc.Store) in the browser.

Clientside, because it only reshapes values: a server round trip here would add latency
to every slider move. `dashboard.data.filter_from_spec` turns the spec into an
`IncidentFilter` on the server.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback

from dashboard import ids

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="collectFilter"),
    Output(ids.FILTER_SPEC, "data"),
    Input(ids.TIME_SLIDER, "value"),
    Input(ids.FILTER_TYPES, "value"),
    Input(ids.FILTER_COUNTRIES, "value"),
    Input(ids.FILTER_SOURCES, "value"),
    Input(ids.FILTER_MIN_FATALITIES, "value"),
    Input(ids.FILTER_GEO_PRECISION, "value"),
    Input(ids.FILTER_DATE_PRECISION, "value"),
    Input(ids.FILTER_TEXT, "value"),
    State(ids.TIME_META, "data"),
)
