"""`incident-atlas gazetteer`: build, inspect and query the offline gazetteer."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path

import click

from geodata import settings
from geodata.errors import AtlasError
from geodata.model import FEATURE_CLASSES

log = logging.getLogger(__name__)


def _fail(err: Exception) -> click.ClickException:
    return click.ClickException(str(err))


@click.group("gazetteer")
def command() -> None:
    """Build, inspect and query the offline gazetteer (a SQLite file in the cache folder).

    The file lives at INCIDENT_ATLAS_GAZETTEER, or <cache_dir>/gazetteer.sqlite.

    \b
    Example:
      incident-atlas gazetteer build
      incident-atlas gazetteer lookup Tripoli --country LB
    """


@command.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if it was built from the same inputs.")
@click.option("--cities", type=click.Choice(["cities500", "cities1000", "cities5000", "cities15000"]),
              default="cities500", show_default=True, help="Smallest towns to include (GeoNames tier).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def build_cmd(force: bool, cities: str, progress: bool | None) -> None:
    """Build the gazetteer from the installed data packages (about 10-25 s).

    Skips the work when the file was already built from the same package versions and
    curated tables. The file is written under a temporary name and renamed, so a failed
    build leaves the old file as it was. Prints the path to stdout.

    \b
    Example:
      incident-atlas gazetteer build
      incident-atlas gazetteer build --force --cities cities1000
    """
    from geodata.gazetteer_build import build

    started = time.perf_counter()
    try:
        path = build(force=force, cities=cities, progress=sys.stderr.isatty() if progress is None else progress)
    except AtlasError as err:
        raise _fail(err) from err
    from geodata.gazetteer import Gazetteer
    from ingest.nlp import cached_name_table

    # The recogniser's name table, derived from this file: built here once rather than by
    # each ingest worker on its first run.
    cached_name_table(Gazetteer(path))
    click.echo(f"gazetteer ready in {time.perf_counter() - started:.1f} s", err=True)
    click.echo(str(path))


def _open():
    from geodata.gazetteer import Gazetteer

    try:
        return Gazetteer()
    except AtlasError as err:
        raise _fail(err) from err


@command.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info_cmd(as_json: bool) -> None:
    """Show what the gazetteer holds: counts per feature class, size, build date, sources.

    \b
    Example:
      incident-atlas gazetteer info
      incident-atlas gazetteer info --json
    """
    info = _open().info()
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"path        {info['path']}")
    click.echo(f"size        {info['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built       {info['built']} ({info['build_seconds']} s)")
    click.echo(f"places      {info['places']}")
    for fc, n in info["counts"].items():
        click.echo(f"  {fc:<10}{n}")
    click.echo(f"names       {info['names']}")
    click.echo(f"demonyms    {info['demonyms']}")
    for src in info["sources"]:
        click.echo(f"source      {src['name']} {src['version']} ({src['licence']})")
    if info["warnings"]:
        click.echo(f"warnings    {len(info['warnings'])} at build time (see --json)")
    for imp in info["imports"]:
        click.echo(f"imported    {imp['file']}: {imp['places']} places ({imp['at']})")


@command.command("lookup")
@click.argument("name")
@click.option("--country", metavar="CC", help="Only places in this ISO alpha-2 country.")
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              type=click.Choice(FEATURE_CLASSES),
              help="Only this feature class (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of places.")
def lookup_cmd(name: str, country: str | None, classes: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Print the places called NAME, best-known first. Exit code 1 when none.

    \b
    Example:
      incident-atlas gazetteer lookup Tripoli --country LB
      incident-atlas gazetteer lookup "Cook County" --json
    """
    if country is not None and (len(country.strip()) != 2 or not country.strip().isalpha()):
        raise click.BadParameter(f"{country!r} is not an ISO alpha-2 code such as SY or US", param_hint="--country")
    gaz = _open()
    places = gaz.lookup(name, country=country, feature_classes=classes or None, limit=limit)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(p) for p in places], indent=2, ensure_ascii=False))
    else:
        for p in places:
            click.echo(f"{p.id:<14}{p.name:<32}{p.feature_class:<9}{p.country_code:<4}{p.admin1:<28}"
                       f"{p.population:>11}  {p.lat:.4f},{p.lon:.4f}  r={p.radius_km:g} km")
    if not places:
        click.echo(f"no place called {name!r}" + (f" in {country.upper()}" if country else ""), err=True)
        sys.exit(1)


@command.command("import-geonames")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--alternate-names", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GeoNames alternateNames(V2) .txt or .zip: adds Latin-script names.")
def import_cmd(dump: Path, alternate_names: Path | None) -> None:
    """Load a GeoNames dump (allCountries, cities500 or a country file; .txt or .zip).

    Places are upserted by GeoNames id into the built gazetteer, in one transaction.
    A later `gazetteer build --force` starts again from the packages.

    \b
    Example:
      incident-atlas gazetteer import-geonames SY.zip
      incident-atlas gazetteer import-geonames allCountries.zip --alternate-names alternateNamesV2.zip
    """
    from geodata.geonames_import import import_geonames

    try:
        n = import_geonames(dump, alternate_names, path=settings.gazetteer_path())
    except AtlasError as err:
        raise _fail(err) from err
    click.echo(f"imported {n} places from {dump}", err=True)
    click.echo(str(n))
