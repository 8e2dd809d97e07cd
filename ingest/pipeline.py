"""The ingest pipeline: read inputs, parse articles in worker processes, store each one whole.

Reading happens in the parent (it is I/O and cheap); parsing (spaCy + resolution) is the
expensive step and runs in a pool of worker processes, one Geoparser per worker. The parent
alone writes to SQLite, one transaction per article, so a crash or a bad record never leaves a
half-written article, and a re-run skips what is already stored before spending time parsing it.

Examples
--------
>>> from geodata.store import IncidentStore                       # doctest: +SKIP
>>> with IncidentStore("incidents.db") as store:                  # doctest: +SKIP
...     report = ingest(["articles/"], store)
...     print(report.summary())
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from geodata import settings
from geodata.errors import ReadError
from geodata.model import Article, Incident, Mention
from geodata.resolve import ResolverOptions
from ingest.online import fill_unresolved

log = logging.getLogger(__name__)

ParseOutcome = tuple[list[Mention], list[Incident]] | ReadError


@dataclass
class IngestReport:
    """What one ingest run did. `errors` name the file/line/URL and the reason."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    mentions: int = 0
    incidents: int = 0
    no_places: int = 0
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (
            f"{self.read} articles read: {self.added} added, {self.duplicates} already stored, "
            f"{self.failed} failed; {self.incidents} incidents and {self.mentions} place mentions "
            f"stored; {self.no_places} articles had no places; {len(self.warnings)} warnings "
            f"({self.seconds:.1f} s, {rate:.1f} articles/s)"
        )


def default_workers() -> int:
    configured = int(settings.get("workers") or 0)
    return configured if configured > 0 else (os.cpu_count() or 1)


# --- worker side -------------------------------------------------------------------------
# One Geoparser per worker process. This is per-process cache, not shared state: each worker
# builds its own after fork and nothing writes to it afterwards.
_GEOPARSER = None


def _init_worker(gazetteer_path: str | None, options: ResolverOptions) -> None:
    global _GEOPARSER
    from geodata.gazetteer import Gazetteer
    from ingest.geoparse import Geoparser

    _GEOPARSER = Geoparser(Gazetteer(gazetteer_path), **options.as_kwargs())


def _parse_one(article: Article) -> tuple[Article, ParseOutcome]:
    try:
        return article, _GEOPARSER.parse_article(article)  # type: ignore[union-attr]
    except Exception as err:  # one bad article must not stop the batch
        log.debug("parse failed for %s", article.origin, exc_info=True)
        return article, ReadError(article.origin or article.url or "<article>", f"could not parse: {err!r}")


def _parse_batch(articles: list[Article]) -> list[tuple[Article, ParseOutcome]]:
    """Parse a batch with spaCy's batching; if anything in it fails, parse its articles one
    by one, so that only the bad article fails."""
    try:
        return list(zip(articles, _GEOPARSER.parse_articles(articles)))  # type: ignore[union-attr]
    except Exception:
        log.debug("batch failed, parsing its %d articles one by one", len(articles), exc_info=True)
        return [_parse_one(article) for article in articles]


# Articles per task: large enough for spaCy's batching to pay, small enough that the two
# workers finish together and the progress bar moves.
BATCH = 8


def _parse_all(
    articles: list[Article], workers: int, gazetteer_path: str | None, options: ResolverOptions
) -> Iterator[tuple[Article, ParseOutcome]]:
    batches = [articles[k : k + BATCH] for k in range(0, len(articles), BATCH)]
    if workers <= 1 or len(articles) < 2 * BATCH:  # a pool costs more than it saves on a few articles
        _init_worker(gazetteer_path, options)
        for batch in batches:
            yield from _parse_batch(batch)
        return
    _cache_name_table(gazetteer_path)
    # fork: workers start in a fraction of a second and share the parent's imported modules.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(gazetteer_path, options)) as pool:
        # imap keeps input order, so the store sees articles in the order they were read.
        for done in pool.imap(_parse_batch, batches):
            yield from done


def _cache_name_table(gazetteer_path: str | None) -> None:
    """Build the recogniser's name-table cache here if it is stale (after an import into the
    gazetteer), so that the workers load it rather than each building it at once."""
    from geodata.gazetteer import Gazetteer
    from ingest.nlp import cached_name_table, name_table_is_cached

    gazetteer = Gazetteer(gazetteer_path)
    if not name_table_is_cached(gazetteer):
        cached_name_table(gazetteer)


# --- parent side -------------------------------------------------------------------------

# spaCy's own limit for one text (Language.max_length): its parser and NER hold the whole
# text's activations at once. A longer input is a book or a dump, not an article.
MAX_ARTICLE_CHARS = 1_000_000


def _too_long(article: Article) -> ReadError:
    return ReadError(
        article.origin or article.url or "<article>",
        f"text has {len(article.text):,} characters, over the {MAX_ARTICLE_CHARS:,}-character "
        "limit for one article; split it into several articles",
    )



def ingest(
    inputs: Iterable[str],
    store,
    *,
    published: date | None = None,
    source: str | None = None,
    workers: int | None = None,
    gazetteer_path: str | None = None,
    resolver_options: ResolverOptions | None = None,
    progress: bool | None = None,
    on_error: Callable[[ReadError], None] | None = None,
    geocoder: str = "offline",
) -> IngestReport:
    """Read `inputs` (files, folders, URLs, "-"), parse every new article, store it whole.

    Returns an IngestReport; bad inputs are reported through `on_error` as they happen and
    collected in `report.errors`, and the rest of the batch still lands. With
    `geocoder="nominatim"` the places the gazetteer could not resolve are asked online.
    `resolver_options` carries the country bias and the feature classes to the parsers.
    """
    from ingest.readers import read_inputs

    report = IngestReport()
    started = time.perf_counter()
    online = _online_geocoder(geocoder)
    workers = default_workers() if not workers else workers

    def fail(err: ReadError) -> None:
        report.errors.append(err)
        if on_error:
            on_error(err)

    def new_articles() -> Iterator[Article]:
        for item in read_inputs(inputs, published=published, source=source):
            if isinstance(item, ReadError):
                fail(item)
                continue
            report.read += 1
            report.warnings.extend(item.warnings)
            if len(item.text) > MAX_ARTICLE_CHARS:
                fail(_too_long(item))
                continue
            if store.has_article(item):
                report.duplicates += 1
                continue
            yield item

    # Read everything first: the store is checked from this thread only (sqlite3 connections
    # are not shared across threads, and Pool.imap consumes its input in a feeder thread),
    # and the progress bar gets a total.
    pending = list(new_articles())
    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress_bar(show, total=len(pending))
    try:
        for article, outcome in _parse_all(pending, workers, gazetteer_path, resolver_options or ResolverOptions()):
            bar.update(1)
            if isinstance(outcome, ReadError):
                fail(outcome)
                continue
            mentions, incidents = outcome
            if online is not None:
                mentions, incidents, warnings = fill_unresolved(mentions, incidents, online)
                report.warnings.extend(warnings)
            if store.add_article(article, mentions, incidents):
                report.added += 1
                report.mentions += len(mentions)
                report.incidents += len(incidents)
                report.no_places += not any(m.kind == "place" for m in mentions)
            else:  # the same story appeared twice within this batch
                report.duplicates += 1
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def _online_geocoder(name: str):
    if name == "offline":
        return None
    from geodata.geocoders import make_geocoder

    return make_geocoder(name)  # raises ConfigError naming the bad value


def _progress_bar(enabled: bool, total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="ingest", unit=" articles", disable=not enabled, file=sys.stderr, dynamic_ncols=True)
