"""Click options shared by several subcommands (rio's `options.py` pattern).

`db_option` adds ``--db``; `filter_options` adds the incident filter options and hands the
command one validated `IncidentFilter` as its ``flt`` argument, so `export` and `snapshot`
filter the same way the dashboard does; `resolver_options` gives `ingest`, `parse` and
`evaluate` the same say in resolution (country bias, feature classes) as one
`ResolverOptions`.

Examples
--------
>>> import click
>>> from click.testing import CliRunner
>>> @click.command()
... @filter_options
... def show(flt):
...     click.echo(flt.countries)
>>> CliRunner().invoke(show, ["--country", "sy", "--country", "IQ"]).output
"('SY', 'IQ')\\n"
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from geodata.filters import IncidentFilter
from geodata.model import DATE_PRECISIONS, FEATURE_CLASSES
from geodata.resolve import ResolverOptions


class BBox(click.ParamType):
    """``W,S,E,N`` in degrees, e.g. ``35.5,32.3,42.4,37.3`` -> (west, south, east, north)."""

    name = "W,S,E,N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[float, ...]:
        if isinstance(value, tuple):
            return value
        parts = str(value).replace(" ", "").split(",")
        try:
            numbers = tuple(float(p) for p in parts)
        except ValueError:
            self.fail(f"{value!r} is not four comma-separated numbers west,south,east,north", param, ctx)
        if len(numbers) != 4:
            self.fail(f"{value!r} has {len(numbers)} numbers; give west,south,east,north", param, ctx)
        return numbers


_DATE = click.DateTime(formats=["%Y-%m-%d"])

db_option = click.option(
    "--db", "db", metavar="FILE", default=None,
    help="Incident store (SQLite). Default: $INCIDENT_ATLAS_DB or incidents.db.",
)

# (click option, IncidentFilter field). Multi-valued options repeat: --type A --type B.
_FILTER_OPTIONS: list[tuple[Callable[[Any], Any], str]] = [
    (click.option("--start", type=_DATE, metavar="YYYY-MM-DD",
                  help="Incidents still going on at or after this day."), "start"),
    (click.option("--end", type=_DATE, metavar="YYYY-MM-DD",
                  help="Incidents begun at or before this day."), "end"),
    (click.option("--type", "types", multiple=True, metavar="EVENT_TYPE",
                  help='ACLED event type, e.g. "Battles" (repeatable).'), "types"),
    (click.option("--country", "countries", multiple=True, metavar="CC",
                  help="ISO alpha-2 country code, e.g. SY (repeatable)."), "countries"),
    (click.option("--source", "sources", multiple=True, metavar="NAME",
                  help="Source of the earliest report, e.g. Reuters (repeatable)."), "sources"),
    (click.option("--bbox", type=BBox(), default=None,
                  help="Bounding box west,south,east,north in degrees."), "bbox"),
    (click.option("--min-fatalities", type=click.IntRange(min=0), default=None, metavar="N",
                  help="At least N reported deaths."), "min_fatalities"),
    (click.option("--geo-precision", multiple=True, type=click.IntRange(1, 3),
                  help="1 exact place, 2 near a place, 3 region or country (repeatable)."), "geo_precision"),
    (click.option("--date-precision", multiple=True, type=click.Choice(DATE_PRECISIONS),
                  help="How precisely the date is known (repeatable)."), "date_precision"),
    (click.option("--search", default=None, metavar="TEXT",
                  help="Case-insensitive text in the snippet, title or place."), "text"),
]


def _param_name(option: Callable[[Any], Any]) -> str:
    # Apply the decorator to a throwaway function to learn the parameter name click uses.
    def probe() -> None: ...
    return option(probe).__click_params__[0].name  # type: ignore[attr-defined]


_PARAM_TO_FIELD = {_param_name(opt): field for opt, field in _FILTER_OPTIONS}


def build_filter(**values: Any) -> IncidentFilter:
    """An IncidentFilter from the filter options' values; bad combinations become usage errors.

    Examples
    --------
    >>> build_filter(countries=("sy",), bbox=(35.0, 32.0, 42.0, 37.0)).bbox
    (35.0, 32.0, 42.0, 37.0)
    """
    kwargs = {}
    for param, value in values.items():
        if isinstance(value, datetime):
            value = value.date()
        kwargs[_PARAM_TO_FIELD.get(param, param)] = value
    try:
        return IncidentFilter(**kwargs)
    except ValueError as err:
        # e.g. --end before --start, or a west > east bbox: the user's to fix, not a traceback.
        raise click.UsageError(str(err).removeprefix("IncidentFilter: ")) from err


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filter options to a click command and pass it ``flt=IncidentFilter(...)``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in list(kwargs) if name in _PARAM_TO_FIELD}
        return command(*args, flt=build_filter(**values), **kwargs)

    for option, _ in reversed(_FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


_RESOLVER_OPTIONS = [
    click.option("--prefer-country", metavar="CC",
                 help="ISO alpha-2 code whose places win close calls, e.g. SY for a Syrian source."),
    click.option("--allow-class", "allow_classes", multiple=True, type=click.Choice(FEATURE_CLASSES),
                 help="Resolve only to these feature classes (repeatable), e.g. --allow-class city."),
    click.option("--deny-class", "deny_classes", multiple=True, type=click.Choice(FEATURE_CLASSES),
                 help="Never resolve to these feature classes (repeatable), e.g. --deny-class water."),
]


def resolver_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --prefer-country, --allow-class and --deny-class to a click command and pass it
    ``resolver=ResolverOptions(...)``.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @resolver_options
    ... def show(resolver):
    ...     click.echo(f"{resolver.prefer_country} {sorted(resolver.deny_classes)}")
    >>> CliRunner().invoke(show, ["--prefer-country", "sy", "--deny-class", "water"]).output
    "SY ['water']\\n"
    >>> CliRunner().invoke(show, ["--prefer-country", "Syria"]).exit_code
    2
    """

    @functools.wraps(command)
    def wrapper(*args: Any, prefer_country: str | None, allow_classes: tuple[str, ...],
                deny_classes: tuple[str, ...], **kwargs: Any) -> Any:
        if prefer_country is not None and (len(prefer_country) != 2 or not prefer_country.isalpha()):
            raise click.BadParameter(f"{prefer_country!r} is not an ISO alpha-2 code such as US",
                                     param_hint="--prefer-country")
        if allow_classes and set(allow_classes) <= set(deny_classes):
            raise click.UsageError("--deny-class removes every class --allow-class allows; nothing could resolve")
        options = ResolverOptions(prefer_country.upper() if prefer_country else None,
                                  frozenset(allow_classes) or None, frozenset(deny_classes))
        return command(*args, resolver=options, **kwargs)

    for option in reversed(_RESOLVER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper
