"""`incident-atlas evaluate`: score the geoparser on an annotated corpus (EUPEG metric)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import click

from geodata.errors import AtlasError
from geodata.resolve import ResolverOptions
from ingest.cli.options import resolver_options


@click.command(name="evaluate")
@click.argument("corpus", metavar="CORPUS.jsonl")
@click.option("--gold-spans", is_flag=True, help="Resolve the gold mentions instead of recognising places.")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N", help="Only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
    help="Write per-document predictions and errors (gold vs predicted, km) as JSON Lines.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite the --predictions file if it exists.")
@resolver_options
@click.option(
    "--demonyms/--no-demonyms", default=True, show_default=True,
    help="End to end, score demonyms (\"Iranian\") as mentions of their country; "
         "--no-demonyms scores place names only, for corpora that do not annotate demonyms.",
)  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.pass_context
def command(
    ctx: click.Context,
    corpus: str,
    gold_spans: bool,
    limit: int | None,
    as_json: bool,
    predictions: Path | None,
    force: bool,
    resolver: ResolverOptions,
    workers: int,
    demonyms: bool,
) -> None:
    """Run the geoparser on CORPUS and score it with the EUPEG metric.

    CORPUS is a JSON Lines corpus (one {"id", "text", "toponyms", "ungeolocated"} per
    line) or the name of a shared corpus: lgl, geowebnews, geovirus, geocorpora.
    End to end it prints precision, recall, F1 and, over the matched toponyms, n, acc@161,
    AUC, mean and median km. With --gold-spans the resolver gets the annotated mentions
    and every gold toponym is scored (an abstention counts as 20039 km). The figures go to
    stdout, the progress bar to stderr. See docs/evaluation.md.

    \b
    Example:
      incident-atlas evaluate ../shared/eval/corpora/lgl.jsonl
      incident-atlas evaluate geowebnews --gold-spans --json
      incident-atlas evaluate lgl --limit 50 --predictions lgl-errors.jsonl
      incident-atlas evaluate geovirus --no-demonyms
    """
    from ingest.evaluation.corpus import corpus_path
    from ingest.evaluation.runner import evaluate

    path = corpus_path(corpus)
    if not path.is_file():
        raise click.BadParameter(f"{corpus!r}: no such corpus file ({path})", param_hint="CORPUS")
    if predictions is not None and predictions.exists() and not force:
        raise click.UsageError(f"{predictions} exists; pass --force to overwrite it")
    root = ctx.find_root()
    quiet = bool(root.params.get("quiet")) if root is not ctx else False

    out: IO[str] | None = predictions.open("w", encoding="utf-8") if predictions is not None else None

    def write(record: dict[str, Any]) -> None:
        assert out is not None
        out.write(json.dumps(record, ensure_ascii=False) + "\n")

    try:
        result = evaluate(
            path,
            gold_spans=gold_spans,
            limit=limit,
            workers=workers,
            resolver_options=resolver,
            progress=not quiet,
            on_record=write if out is not None else None,
            demonyms=demonyms,
        )
    except AtlasError as err:
        raise click.ClickException(str(err)) from err
    finally:
        if out is not None:
            out.close()

    if result.docs and len(result.failures) == result.docs:
        # Zeros from a geoparser that never ran would read as a (terrible) result.
        doc_id, error = result.failures[0]
        raise click.ClickException(f"the geoparser failed on every document, e.g. {doc_id}: {error}")
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    else:
        click.echo(result.table())
    for doc_id, error in result.failures[:5]:
        click.echo(f"warning: {doc_id}: the geoparser failed ({error}); scored as finding nothing", err=True)
    if len(result.failures) > 5:
        click.echo(f"warning: {len(result.failures) - 5} more documents failed", err=True)
