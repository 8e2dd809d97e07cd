"""Entry point for `incident-atlas`. Subcommands live one per module and load lazily,
so `incident-atlas --help` does not import spaCy or Dash."""

from __future__ import annotations

import importlib
import logging
import os
import sys

# Parallel work here is one process per core (ingest, evaluate). A BLAS thread pool in each
# of them would fight the other processes for the same cores, so keep BLAS single-threaded
# unless the user chose otherwise. Must run before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click

# subcommand name -> module exposing a click command called `command`
SUBCOMMANDS = {
    "ingest": "ingest.cli.ingest_cmd",
    "parse": "ingest.cli.parse_cmd",
    "gazetteer": "ingest.cli.gazetteer_cmd",
    "export": "ingest.cli.export_cmd",
    "evaluate": "ingest.cli.evaluate_cmd",
    "serve": "ingest.cli.serve_cmd",
    "snapshot": "ingest.cli.snapshot_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in SUBCOMMANDS:
            return None
        return importlib.import_module(SUBCOMMANDS[name]).command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="incident-atlas")
def cli(verbose: int, quiet: bool) -> None:
    """Turn news articles into a dated, geocoded map of incidents, offline.

    \b
    Example:
      incident-atlas gazetteer build
      incident-atlas ingest articles/ --db incidents.db
      incident-atlas serve
    """
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main() -> None:
    cli(prog_name="incident-atlas")


if __name__ == "__main__":
    main()
