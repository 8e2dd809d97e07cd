"""The page layout: a function called per page load, so nothing is read at import time.

It reads only the store's vocabularies and date range (from the shared read-only column
snapshot) to fill the dropdowns and the slider; the map page and the data come later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dash_ag_grid as dag
import flask
from dash import dcc, get_relative_path, html

from dashboard import ids
from dashboard.data import auto_granularity, date_of, load_columns
from geodata.errors import AtlasError
from geodata.model import DATE_PRECISIONS

GEO_PRECISION_LABELS = {1: "1 exact place", 2: "2 near a place", 3: "3 region / country"}


def slider_marks(lo: int, hi: int, count: int = 6) -> dict[int, str]:
    """About `count` evenly spaced date labels for the range slider.

    Examples
    --------
    >>> slider_marks(19800, 19810, 3)
    {19800: '2024-03-18', 19805: '2024-03-23', 19810: '2024-03-28'}
    """
    if hi <= lo:
        return {lo: date_of(lo).isoformat()}
    step = max(1, (hi - lo) // (count - 1))
    marks = {d: date_of(d).isoformat() for d in range(lo, hi + 1, step)}
    # The last label only if it does not sit on top of the previous one.
    if hi - max(marks) > step // 2 or len(marks) == 1:
        marks[hi] = date_of(hi).isoformat()
    return marks


def _filters(cols: Any) -> html.Div:
    return html.Div(
        className="atlas-filters",
        children=[
            html.Label("Event type", htmlFor=ids.FILTER_TYPES),
            dcc.Dropdown(id=ids.FILTER_TYPES, options=list(cols.types), multi=True, placeholder="All types"),
            html.Label("Country", htmlFor=ids.FILTER_COUNTRIES),
            dcc.Dropdown(id=ids.FILTER_COUNTRIES, options=list(cols.countries), multi=True, placeholder="All countries"),
            html.Label("Source", htmlFor=ids.FILTER_SOURCES),
            dcc.Dropdown(id=ids.FILTER_SOURCES, options=list(cols.sources), multi=True, placeholder="All sources"),
            html.Label("Minimum fatalities", htmlFor=ids.FILTER_MIN_FATALITIES),
            dcc.Input(id=ids.FILTER_MIN_FATALITIES, type="number", min=0, step=1, placeholder="0", debounce=True),
            html.Label("Geo precision"),
            dcc.Checklist(
                id=ids.FILTER_GEO_PRECISION,
                options=[{"label": v, "value": k} for k, v in GEO_PRECISION_LABELS.items()],
                value=[],
                className="atlas-checklist",
            ),
            html.Label("Date precision"),
            dcc.Checklist(id=ids.FILTER_DATE_PRECISION, options=list(DATE_PRECISIONS), value=[],
                          className="atlas-checklist"),
            html.Label("Search title and snippet", htmlFor=ids.FILTER_TEXT),
            dcc.Input(id=ids.FILTER_TEXT, type="search", placeholder="e.g. drone", debounce=True),
            html.Div("Empty selections mean no restriction.", className="atlas-hint"),
        ],
    )


def _timeline(lo: int | None, hi: int | None) -> html.Div:
    has_dates = lo is not None and hi is not None
    lo_, hi_ = (lo, hi) if has_dates else (0, 1)
    return html.Div(
        className="atlas-timeline",
        children=[
            dcc.Graph(id=ids.TIME_GRAPH, config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d"]},
                      style={"height": "190px"}),
            dcc.RangeSlider(id=ids.TIME_SLIDER, min=lo_, max=hi_, step=1, value=[lo_, hi_],
                            marks=slider_marks(lo_, hi_) if has_dates else None, allowCross=False,
                            disabled=not has_dates, updatemode="mouseup",
                            allow_direct_input=False),
            html.Div(className="atlas-playback", children=[
                html.Span(id=ids.TIME_LABEL, className="atlas-window-label"),
                html.Button("▶ Play", id=ids.TIME_PLAY, n_clicks=0, disabled=not has_dates),
                html.Label("Speed"),
                dcc.Dropdown(id=ids.TIME_SPEED, clearable=False, value=2, style={"width": "110px"},
                             options=[{"label": f"{s} steps/s", "value": s} for s in (0.5, 1, 2, 4, 8)]),
                dcc.RadioItems(id=ids.TIME_MODE, value="window", inline=True,
                               options=[{"label": "moving window", "value": "window"},
                                        {"label": "cumulative", "value": "cumulative"}]),
                dcc.Checklist(id=ids.TIME_LOOP, options=[{"label": "loop", "value": "loop"}], value=["loop"],
                              inline=True),
                html.Label("Bins"),
                dcc.RadioItems(id=ids.TIME_GRANULARITY, value=auto_granularity(lo, hi), inline=True,
                               options=["day", "week", "month"]),
                html.Button("All dates", id=ids.TIME_RESET, n_clicks=0),
            ]),
            dcc.Interval(id=ids.TIME_INTERVAL, interval=500, disabled=True),
            dcc.Store(id=ids.TIME_META, data={"lo": lo, "hi": hi}),
            dcc.Store(id=ids.TIME_HIST),
        ],
    )


def _table() -> dag.AgGrid:
    col = {"sortable": False}
    columns = [
        {"field": "date_start", "headerName": "Start", "sortable": True, "width": 110},
        {"field": "date_end", "headerName": "End", "sortable": True, "width": 110},
        {"field": "date_precision", "headerName": "Date prec.", "width": 95, **col},
        {"field": "event_type", "headerName": "Type", "sortable": True, "width": 170},
        {"field": "fatalities", "headerName": "Deaths", "sortable": True, "width": 85},
        {"field": "place", "headerName": "Place", "width": 140, **col},
        {"field": "country", "headerName": "CC", "sortable": True, "width": 70},
        {"field": "geo_precision", "headerName": "Geo prec.", "sortable": True, "width": 90},
        {"field": "title", "headerName": "Title", "flex": 1, "minWidth": 260, **col},
        {"field": "source", "headerName": "Source", "sortable": True, "width": 130},
        {"field": "n_sources", "headerName": "Reports", "width": 85, **col},
    ]
    return dag.AgGrid(
        id=ids.TABLE_GRID,
        rowModelType="infinite",
        columnDefs=columns,
        defaultColDef={"resizable": True, "sortable": False, "filter": False},
        # Row ids are the dashboard's row numbers, so map and table name incidents alike.
        getRowId="params.data.rid",
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "cacheBlockSize": 100,
            # dash-ag-grid answers one getRowsRequest at a time: a second concurrent block
            # request would overwrite the first and leave its rows loading forever.
            "maxConcurrentDatasourceRequests": 1,
            "blockLoadDebounceMillis": 50,
            "maxBlocksInCache": 20,
            "rowBuffer": 10,
            "animateRows": False,
        },
        style={"height": "320px"},
        className="ag-theme-alpine",
    )


@dataclass(frozen=True)
class LayoutMeta:
    """What the controls need to know about the store: vocabularies and date range."""

    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lo: int | None = None
    hi: int | None = None


def serve_layout() -> html.Div:
    """The whole page. Dash calls it on every page load, and once at start-up to validate
    the ids (outside any request: then the store is not read)."""
    if not flask.has_request_context():
        return build_layout(LayoutMeta())
    db_path = flask.current_app.config["ATLAS_DB"]
    try:
        cols = load_columns(db_path)
    except AtlasError as err:
        return html.Div(className="atlas-error", children=[
            html.H1("Incident Atlas"),
            html.P(f"The incident store cannot be read: {err}"),
        ])
    lo, hi = cols.day_range()
    return build_layout(LayoutMeta(cols.types, cols.countries, cols.sources, lo, hi))


def build_layout(meta: LayoutMeta) -> html.Div:
    """The page for one store's metadata (pure)."""
    lo, hi = meta.lo, meta.hi
    return html.Div(
        className="atlas-page",
        children=[
            html.Header(className="atlas-header", children=[
                html.H1("Incident Atlas"),
                html.Span(id=ids.FILTER_COUNT, className="atlas-count"),
                html.Div(className="atlas-export", children=[
                    html.Span("Download what is on screen:"),
                    html.Button("GeoJSON", id=ids.EXPORT_GEOJSON, n_clicks=0),
                    html.Button("CSV", id=ids.EXPORT_CSV, n_clicks=0),
                    html.Button("Snapshot (HTML)", id=ids.EXPORT_SNAPSHOT, n_clicks=0),
                    dcc.Download(id=ids.EXPORT_DOWNLOAD),
                ]),
            ]),
            html.Div(className="atlas-body", children=[
                html.Aside(_filters(meta), className="atlas-sidebar"),
                html.Main(className="atlas-main", children=[
                    html.Iframe(id=ids.MAP_FRAME, src=get_relative_path("/map"), className="atlas-map-frame",
                                title="Incident map"),
                    _timeline(lo, hi),
                    _table(),
                ]),
            ]),
            dcc.Store(id=ids.FILTER_SPEC),
            dcc.Store(id=ids.MAP_ACK),
            dcc.Store(id=ids.MAP_WINDOW_ACK),
            dcc.Store(id=ids.MAP_SELECTED),
            dcc.Store(id=ids.MAP_FOCUS_ACK),
            dcc.Store(id=ids.TABLE_REFRESH_ACK),
            dcc.Store(id=ids.TABLE_SELECT_ACK),
        ],
    )
