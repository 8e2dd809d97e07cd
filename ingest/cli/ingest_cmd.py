"""`incident-atlas ingest`: read articles, find incidents, store them."""

from __future__ import annotations

import sys

import click

from geodata import settings
from geodata.errors import AtlasError, ReadError
from ingest.cli.options import db_option, resolver_options
from ingest.cli.parsing import parse_published


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", callback=parse_published, metavar="DATE",
              help="Publication date for every input (overrides the files' own), e.g. 2018-07-17.")
@click.option("--source", metavar="NAME", help="Source name for every input (overrides the files' own).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Parsing processes; 0 means one per CPU core.")
@resolver_options
@click.option("--geocoder", type=click.Choice(["offline", "nominatim"]), default=lambda: settings.get("geocoder"),
              show_default="offline", help="nominatim also asks geopy's Nominatim (online, rate-limited, "
              "cached) for places the offline gazetteer cannot resolve.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def command(inputs, db, published, source, workers, resolver, geocoder, progress) -> None:
    """Read INPUTS (files, folders, URLs or - for stdin) and store their incidents.

    Formats: .txt, .md (front matter), .html, .jsonl, .csv, RSS/Atom, http(s) URLs and
    folders. Articles already stored (same URL or same text) are skipped. Bad inputs are
    reported with the file and line; the rest still lands, and the exit code is 1.

    \b
    Example:
      incident-atlas ingest articles/ feed.xml --db incidents.db
      incident-atlas ingest story.txt --published 2018-07-17 --source "World Israel News"
    """
    from geodata.store import IncidentStore
    from ingest.pipeline import ingest

    def show_error(err: ReadError) -> None:
        click.echo(f"error: {err}", err=True)

    try:
        with IncidentStore(settings.db_path(db)) as store:
            report = ingest(inputs, store, published=published, source=source, workers=workers,
                            resolver_options=resolver, progress=progress, on_error=show_error,
                            geocoder=geocoder)
    except AtlasError as err:
        raise click.ClickException(str(err)) from err
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(report.summary(), err=True)
    sys.exit(0 if report.ok else 1)
