"""`incident-atlas parse`: show the places and incidents of one text, storing nothing."""

from __future__ import annotations

import json
import sys

import click

from geodata.errors import AtlasError, ReadError
from geodata.resolve import ResolverOptions
from ingest.cli.options import resolver_options
from ingest.cli.parsing import parse_published
from ingest.serialize import incident_to_dict, mention_to_dict


@click.command("parse")
@click.argument("source_file", metavar="FILE|-")
@click.option("--published", callback=parse_published, metavar="DATE",
              help="Publication date, for relative dates such as 'on Monday'.")
@resolver_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def command(source_file: str, published, resolver: ResolverOptions, as_json: bool) -> None:
    """Print the place mentions and incidents found in FILE (or stdin with -).

    \b
    Example:
      incident-atlas parse story.txt --published 2018-07-17 --json
      echo "Clashes in Aleppo killed 5 people on Monday." | incident-atlas parse - --published 2018-07-17
      incident-atlas parse story.txt --prefer-country SY --deny-class water
    """
    from ingest.geoparse import Geoparser
    from ingest.readers import read_inputs

    items = list(read_inputs([source_file], published=published))
    errors = [i for i in items if isinstance(i, ReadError)]
    for err in errors:
        click.echo(f"error: {err}", err=True)
    articles = [i for i in items if not isinstance(i, ReadError)]
    if not articles:
        sys.exit(1)
    try:
        geoparser = Geoparser(**resolver.as_kwargs())
    except AtlasError as err:
        raise click.ClickException(str(err)) from err
    out = []
    for article in articles:
        for warning in article.warnings:
            click.echo(f"warning: {warning}", err=True)
        mentions, incidents = geoparser.parse_article(article)
        out.append({
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "origin": article.origin,
            "mentions": [mention_to_dict(m) for m in mentions],
            "incidents": [incident_to_dict(i) for i in incidents],
        })
    if as_json:
        click.echo(json.dumps(out[0] if len(out) == 1 else out, indent=2, ensure_ascii=False))
    else:
        for doc in out:
            _print_table(doc)
    sys.exit(1 if errors else 0)


def _print_table(doc: dict) -> None:
    click.echo(f"# {doc['title'] or doc['origin']}  (published {doc['published'] or 'unknown'})")
    click.echo("Incidents:")
    for inc in doc["incidents"]:
        when = inc["date_start"] or "no exact date"
        if inc["date_end"] and inc["date_end"] != inc["date_start"]:
            when += f"..{inc['date_end']}"
        deaths = "" if inc["fatalities"] is None else f", {inc['fatalities']} killed"
        click.echo(f"  {when:<22} {inc['event_type']} ({inc['sub_event_type']}) at {inc['place'] or '?'}"
                   f" [{inc['lat']}, {inc['lon']}]{deaths}")
    click.echo("Mentions:")
    for m in doc["mentions"]:
        where = f"{m['place']} ({m['country']}) [{m['lat']}, {m['lon']}]" if m["place"] else "unresolved"
        click.echo(f"  {m['text']!r:<28} {m['kind']:<8} -> {where}  conf {m['confidence']:.2f}")
