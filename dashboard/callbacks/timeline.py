"""Timeline: stacked histogram by type, range slider, brushing and playback.

The histogram respects every filter except the date window (it is the control that sets
the window); the window is drawn on it as a shaded band by a clientside callback, so a
slider move never recomputes the histogram on the server. Playback ticks run clientside.
"""

from __future__ import annotations

from typing import Any

import flask
import numpy as np
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback

from dashboard import ids
from dashboard.data import GRANULARITIES, Columns, date_of, filter_from_spec, histogram, load_columns, mask_for

BIN_MS = {"day": 86_400_000, "week": 7 * 86_400_000}


def histogram_figure(cols: Columns, mask: np.ndarray, granularity: str) -> dict[str, Any]:
    """A plotly figure dict: incidents per bin stacked by type (spans count in every bin).

    Examples
    --------
    >>> from dashboard.data import demo_columns
    >>> fig = histogram_figure(demo_columns(3), np.ones(3, bool), "day")
    >>> [t["name"] for t in fig["data"]], fig["layout"]["barmode"]
    (['Battles', 'Protests'], 'stack')
    """
    if granularity not in GRANULARITIES:
        granularity = "day"
    edges, counts = histogram(cols, mask, granularity)
    x = [date_of(d).isoformat() for d in edges[:-1]]
    widths = [int((b - a) * 86_400_000 * 0.9) for a, b in zip(edges[:-1], edges[1:])]
    data = []
    for t, (name, color) in enumerate(zip(cols.types, cols.colors)):
        if t >= counts.shape[0] or not counts[t].any():
            continue
        data.append({
            "type": "bar", "name": name, "x": x, "y": counts[t].tolist(), "width": widths,
            "marker": {"color": color}, "offset": 0,
            "hovertemplate": f"%{{x|%Y-%m-%d}}<br>{name}: %{{y}}<extra></extra>",
        })
    return {
        "data": data,
        "layout": {
            "barmode": "stack", "dragmode": "select", "selectdirection": "h",
            "margin": {"l": 40, "r": 10, "t": 24, "b": 24}, "height": 190,
            "legend": {"orientation": "h", "y": 1.18, "font": {"size": 11}},
            "xaxis": {"type": "date"}, "yaxis": {"title": {"text": f"per {granularity}"}, "fixedrange": True},
            "uirevision": "timeline",  # keep the user's zoom of the histogram across updates
            "shapes": [],
        },
    }


@callback(
    Output(ids.TIME_HIST, "data"),
    Input(ids.FILTER_TYPES, "value"),
    Input(ids.FILTER_COUNTRIES, "value"),
    Input(ids.FILTER_SOURCES, "value"),
    Input(ids.FILTER_MIN_FATALITIES, "value"),
    Input(ids.FILTER_GEO_PRECISION, "value"),
    Input(ids.FILTER_DATE_PRECISION, "value"),
    Input(ids.FILTER_TEXT, "value"),
    Input(ids.TIME_GRANULARITY, "value"),
)
def update_histogram(types, countries, sources, min_fatalities, geo_precision, date_precision,
                     text, granularity) -> dict[str, Any]:
    spec = {"types": types, "countries": countries, "sources": sources, "min_fatalities": min_fatalities,
            "geo_precision": geo_precision, "date_precision": date_precision, "text": text}
    cols = load_columns(flask.current_app.config["ATLAS_DB"])
    return histogram_figure(cols, mask_for(cols, filter_from_spec(spec)), granularity)


clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="shadeWindow"),
    Output(ids.TIME_GRAPH, "figure"),
    Output(ids.TIME_LABEL, "children"),
    Input(ids.TIME_HIST, "data"),
    Input(ids.TIME_SLIDER, "value"),
    State(ids.TIME_META, "data"),
)

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="playback"),
    Output(ids.TIME_SLIDER, "value"),
    Output(ids.TIME_INTERVAL, "disabled"),
    Output(ids.TIME_PLAY, "children"),
    Output(ids.TIME_INTERVAL, "interval"),
    Input(ids.TIME_PLAY, "n_clicks"),
    Input(ids.TIME_INTERVAL, "n_intervals"),
    Input(ids.TIME_GRAPH, "selectedData"),
    Input(ids.TIME_RESET, "n_clicks"),
    Input(ids.TIME_SPEED, "value"),
    State(ids.TIME_SLIDER, "value"),
    State(ids.TIME_META, "data"),
    State(ids.TIME_MODE, "value"),
    State(ids.TIME_LOOP, "value"),
    State(ids.TIME_INTERVAL, "disabled"),
    State(ids.TIME_GRANULARITY, "value"),
    prevent_initial_call=True,
)
