"""The Dash app: Folium map, timeline, filters, linked table, exports and snapshots."""
