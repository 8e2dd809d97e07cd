"""Composition root: create the Dash app, set the layout, register routes and callbacks.

Nothing is read and no map is built at import. `server` (for gunicorn:
``gunicorn 'dashboard.app:server'``) is created on first access with the store named by
INCIDENT_ATLAS_DB (`geodata.settings.db_path`). Dash keeps callbacks in a process-wide
registry that the first app consumes, so a process serves one app.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import dash

from dashboard import server as routes
from dashboard import vendor
from dashboard.layout import serve_layout
from geodata import settings


def create_app(db_path: str | Path | None = None, *, tiles: str | None = None) -> dash.Dash:
    """A Dash app serving the store at `db_path` (default: INCIDENT_ATLAS_DB)."""
    app = dash.Dash(
        __name__,
        assets_folder=str(vendor.ASSETS_DIR),  # the repo's top-level assets/
        assets_path_ignore=["^map$"],  # assets/map/* belongs to the map page, not this one
        serve_locally=True,  # Dash's and Plotly's own JS from the Python packages, no CDN
        title="Incident Atlas",
        update_title=None,
    )
    tiles = tiles or settings.get("tiles")
    if tiles not in ("offline", "osm"):
        raise ValueError(f"INCIDENT_ATLAS_TILES={tiles!r}: use 'offline' or 'osm'")
    app.server.config.update(ATLAS_DB=str(settings.db_path(str(db_path) if db_path else None)), ATLAS_TILES=tiles)
    app.layout = serve_layout  # a function: evaluated per page load
    routes.register(app.server, base=app.config.requests_pathname_prefix)
    # Importing registers the callbacks (module-level @callback, grouped by feature).
    from dashboard.callbacks import export, filters, map_view, table, timeline  # noqa: F401

    return app


@lru_cache(maxsize=1)
def get_app() -> dash.Dash:
    """The process's app, configured from the environment (gunicorn, `python -m`)."""
    return create_app()


def __getattr__(name: str) -> Any:
    # PEP 562: `dashboard.app:server` builds the app when gunicorn asks for it, not at import.
    if name == "server":
        return get_app().server
    if name == "app":
        return get_app()
    raise AttributeError(f"module 'dashboard.app' has no attribute {name!r}")
