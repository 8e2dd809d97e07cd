"""`incident-atlas serve`: the dashboard (Dash + Folium) on this machine."""

from __future__ import annotations

import click

from geodata import settings
from geodata.errors import AtlasError
from ingest.cli.options import db_option


@click.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs INCIDENT_ATLAS_AUTH(_FILE).")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--debug", is_flag=True, help="Dash debug mode (reloader and dev tools); never on a shared host.")
def command(db: str | None, host: str, port: int, debug: bool) -> None:
    """Serve the incident dashboard: map, timeline, filters, table, exports, snapshots.

    Everything is served from this machine (Leaflet from node_modules, country outlines
    from world-atlas); set INCIDENT_ATLAS_TILES=osm for online OpenStreetMap tiles. To
    listen beyond 127.0.0.1 set INCIDENT_ATLAS_AUTH=user:password (or a token) or
    INCIDENT_ATLAS_AUTH_FILE=FILE; the server refuses to start otherwise.

    \b
    Example:
      incident-atlas serve --db incidents.db
      INCIDENT_ATLAS_AUTH=ann:s3cret incident-atlas serve --host 0.0.0.0 --port 8080
    """
    from dashboard import vendor
    from dashboard.server import check_bind, load_credentials

    path = settings.db_path(db)
    try:
        check_bind(host, load_credentials())
        vendor.check()
        if not path.exists():
            raise click.ClickException(
                f"{path}: no incident store there; ingest articles first (incident-atlas ingest ... --db {path})")
        from dashboard.app import create_app

        app = create_app(path)
    except AtlasError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Incident Atlas: serving {path} on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    app.run(host=host, port=port, debug=debug)
