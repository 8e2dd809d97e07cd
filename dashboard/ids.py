"""Component ids, one place, prefixed by feature (map-, time-, filter-, table-, export-).

Callbacks, layout, the browser JS (assets/atlas_dash.js) and the tests all use these
names, so a rename is one edit here (and one in the JS, which is checked by a test).
"""

from __future__ import annotations

# map
MAP_FRAME = "map-frame"              # the iframe holding the Folium map page (/map)
MAP_ACK = "map-ack"                  # dcc.Store: dummy output of the clientside data sender
MAP_WINDOW_ACK = "map-window-ack"    # dcc.Store: dummy output of the slider -> map shortcut
MAP_SELECTED = "map-selected"        # dcc.Store: {"row": int, "from": "map"|"table"}
MAP_FOCUS_ACK = "map-focus-ack"      # dcc.Store: dummy output of the table -> map focus

# timeline
TIME_GRAPH = "time-graph"
TIME_HIST = "time-hist"              # dcc.Store: histogram figure without the window shading
TIME_SLIDER = "time-slider"
TIME_LABEL = "time-label"
TIME_GRANULARITY = "time-granularity"
TIME_PLAY = "time-play"
TIME_INTERVAL = "time-interval"
TIME_SPEED = "time-speed"
TIME_MODE = "time-mode"
TIME_LOOP = "time-loop"
TIME_RESET = "time-reset"
TIME_META = "time-meta"              # dcc.Store: {"lo": day, "hi": day} of the whole store

# filters
FILTER_TYPES = "filter-types"
FILTER_COUNTRIES = "filter-countries"
FILTER_SOURCES = "filter-sources"
FILTER_MIN_FATALITIES = "filter-min-fatalities"
FILTER_GEO_PRECISION = "filter-geo-precision"
FILTER_DATE_PRECISION = "filter-date-precision"
FILTER_TEXT = "filter-text"
FILTER_SPEC = "filter-spec"          # dcc.Store: the filter as JSON (see data.filter_from_spec)
FILTER_COUNT = "filter-count"

# table
TABLE_GRID = "table-grid"
TABLE_REFRESH_ACK = "table-refresh-ack"
TABLE_SELECT_ACK = "table-select-ack"

# export and snapshot
EXPORT_GEOJSON = "export-geojson"
EXPORT_CSV = "export-csv"
EXPORT_SNAPSHOT = "export-snapshot"
EXPORT_DOWNLOAD = "export-download"
