"""`incident-atlas export`: write stored incidents as GeoJSON or CSV.

Data goes to stdout (or -o FILE); messages go to stderr, so the output can be piped.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
import pandas as pd

from geodata import settings
from geodata.errors import StoreError
from geodata.export import write_csv, write_geojson
from geodata.filters import IncidentFilter
from geodata.store import IncidentStore
from ingest.cli.options import db_option, filter_options

WRITERS = {"geojson": write_geojson, "csv": write_csv}


def _write_file(path: Path, fmt: str, frame: pd.DataFrame) -> int:
    # Write beside the target and rename, so a failed export never leaves half a file
    # (or clobbers the previous good one).
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
            n = WRITERS[fmt](frame, fp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


@click.command(name="export")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(WRITERS)), default="geojson",
              show_default=True, help="Output format; both carry the same columns.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Output file; '-' (the default) writes to stdout.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@db_option
@filter_options
def command(fmt: str, output: str, force: bool, db: str | None, flt: IncidentFilter) -> None:
    """Export incidents from the store as GeoJSON (RFC 7946) or CSV.

    Incidents without coordinates are left out of both formats (the count goes to stderr).
    Filters combine with AND; repeat a multi-valued option to allow several values.

    \b
    Example:
      incident-atlas export --format geojson --country SY --start 2024-03-01 -o syria.geojson
      incident-atlas export --format csv --bbox 35.5,32.3,42.4,37.3 --min-fatalities 1 > deadly.csv
    """
    target = None if output == "-" else Path(output)
    if target is not None:
        if target.is_dir():
            raise click.BadParameter(f"{output!r} is a folder; give a file name", param_hint="'-o'")
        if target.exists() and not force:
            raise click.UsageError(f"{output} already exists; use --force to overwrite it")
        if not target.parent.is_dir():
            raise click.BadParameter(f"folder {str(target.parent)!r} does not exist", param_hint="'-o'")

    path = settings.db_path(db)
    try:
        with IncidentStore(path, create=False) as store:
            frame = store.incidents_frame(flt)
    except StoreError as err:
        raise click.ClickException(str(err)) from err

    if target is None:
        out = sys.stdout  # looked up now: test runners and pipes swap it
        written = WRITERS[fmt](frame, out)
        out.flush()
    else:
        written = _write_file(target, fmt, frame)

    dropped = len(frame) - written
    where = "stdout" if target is None else str(target)
    note = f" ({dropped} without coordinates left out)" if dropped else ""
    click.echo(f"exported {written} incidents to {where} as {fmt}{note}", err=True)
