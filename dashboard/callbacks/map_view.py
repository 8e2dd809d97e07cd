"""Map: the browser fetches the map's data and posts it into the loaded map.

The map page is loaded once (iframe src ``/map``); filter changes only send new data, so
the user's zoom, pan and open layers stay. The filter spec goes to ``/api/map-data``
(`dashboard.data.map_data`), which answers with packed binary columns: no base64, no JSON
parsing of a large store, no copy through Dash's state. When everything but the date
window selects at most `dashboard.data.POINT_LIMIT` incidents, the answer holds their days
and the map applies the window itself, so a slider move is one postMessage
(``atlas:window``) and never reaches the server. The count line is set from what the map
reports drawn. Marker clicks come back through assets/atlas_dash.js into `MAP_SELECTED`.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback

from dashboard import ids

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="requestMap"),
    Output(ids.MAP_ACK, "data"),
    Input(ids.FILTER_SPEC, "data"),
)

# A slider move goes straight to the map when the map can apply the window itself: one
# clientside step instead of two (slider -> filter spec -> requestMap).
clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="sliderToMap"),
    Output(ids.MAP_WINDOW_ACK, "data"),
    Input(ids.TIME_SLIDER, "value"),
    State(ids.TIME_META, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="focusFromTable"),
    Output(ids.MAP_FOCUS_ACK, "data"),
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.TABLE_GRID, "cellClicked"),
    prevent_initial_call=True,
)
