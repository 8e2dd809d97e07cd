"""`incident-atlas snapshot`: the map of the filtered incidents as one HTML file or a PNG."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from geodata import settings
from geodata.errors import AtlasError
from geodata.filters import IncidentFilter
from ingest.cli.options import db_option, filter_options


@click.command(name="snapshot")
@click.option("-o", "--output", required=True, metavar="FILE.html|FILE.png",
              help="Output file; the suffix picks the format.")
@click.option("--width", default=1600, show_default=True, type=click.IntRange(200, 8000), help="PNG width, pixels.")
@click.option("--height", default=1000, show_default=True, type=click.IntRange(200, 8000), help="PNG height, pixels.")
@click.option("--title", default="Incident Atlas", show_default=True, help="Title shown on the map (plain text).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@db_option
@filter_options
def command(output: str, width: int, height: int, title: str, force: bool, db: str | None,
            flt: IncidentFilter) -> None:
    """Save a map of the incidents (same filters as `export`) as HTML or PNG.

    The HTML file is self-contained (Leaflet, data and country outlines inlined) and
    opens offline. The PNG is rendered by headless Chromium at --width x --height
    (Debian: apt-get install chromium chromium-driver). Both show the title, the date
    range, the legend, a scale bar and the attribution.

    \b
    Example:
      incident-atlas snapshot --country SY --start 2024-03-01 -o syria-march.html
      incident-atlas snapshot --type Battles -o battles.png --width 1200 --height 800 --title "Battles"
    """
    target = Path(output)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("html", "png"):
        raise click.BadParameter(f"{output!r} must end in .html or .png", param_hint="'-o'")
    if target.exists() and not force:
        raise click.UsageError(f"{output} already exists; use --force to overwrite it")
    if not target.parent.is_dir():
        raise click.BadParameter(f"folder {str(target.parent)!r} does not exist", param_hint="'-o'")
    path = settings.db_path(db)
    if not path.exists():
        raise click.ClickException(f"{path}: no incident store there; ingest articles first or check --db")

    from dashboard.snapshot import render_png, snapshot_html

    try:
        html = snapshot_html(path, flt, title=title, tiles=settings.get("tiles"))
        # Write beside the target and rename: a failed snapshot never leaves half a file.
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            if fmt == "html":
                Path(tmp).write_text(html, encoding="utf-8")
            else:
                render_png(html, Path(tmp), width=width, height=height)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a snapshot is for sharing
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except AtlasError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"wrote {target} ({fmt})", err=True)
