"""Click callbacks shared by the ingest-side commands."""

from __future__ import annotations

from datetime import date

import click


def parse_published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """--published takes an ISO date; anything else is a usage error that quotes the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2018-07-17") from None
