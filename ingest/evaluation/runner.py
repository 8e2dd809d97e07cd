"""Run the Geoparser over an annotated corpus and score it with the EUPEG metric.

Two modes, as the literature reports them:

- **end to end** (default): `Geoparser.geoparse(text)` finds and resolves the places; the
  predictions are matched to the gold and scored (P/R/F1, then distances over the matches).
- **gold spans**: `Geoparser.resolve_spans(text, gold spans)` resolves the annotated
  mentions only; every gold toponym with coordinates is scored, an abstention counting as
  20039 km (see `metrics.gold_span_errors`).

Parsing runs in worker processes (fork), one Geoparser per worker, since spaCy is the
expensive step; documents come back in corpus order.

Examples
--------
>>> ev = evaluate("lgl", limit=5, workers=1)           # doctest: +SKIP
>>> sorted(ev.as_dict())                               # doctest: +SKIP
['acc161', 'auc', 'docs_per_s', 'f1', 'mean_km', 'median_km', 'n', 'precision', 'recall']
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geodata.errors import AtlasError
from geodata.model import Mention
from geodata.resolve import ResolverOptions
from ingest.evaluation.corpus import GoldDocument, load_corpus
from ingest.evaluation.metrics import (
    DistanceScore,
    DocumentScore,
    EndToEndScore,
    Prediction,
    combine,
    distance_score,
    gold_span_errors,
    haversine_km,
    score_document,
)

log = logging.getLogger(__name__)

END_TO_END_KEYS = ("precision", "recall", "f1", "n", "acc161", "auc", "mean_km", "median_km", "docs_per_s")
GOLD_SPAN_KEYS = ("n", "acc161", "auc", "mean_km", "median_km", "docs_per_s")


def prediction_from_mention(m: Mention) -> Prediction:
    """A Mention as the scorer sees it: span, text, and coordinates if it was resolved.

    Examples
    --------
    >>> from geodata.model import Place
    >>> p = Place("2950159", "Berlin", "city", "DE", "Berlin", 3426354, 52.52437, 13.41053)
    >>> prediction_from_mention(Mention("Berlin", 5, 11, place=p))
    Prediction(start=5, end=11, text='Berlin', lat=52.52437, lon=13.41053, label='Berlin (2950159)')
    >>> prediction_from_mention(Mention("Narnia", 0, 6)).has_coords
    False
    """
    place = m.place
    if place is None:
        return Prediction(m.start, m.end, m.text)
    return Prediction(m.start, m.end, m.text, place.lat, place.lon, label=f"{place.name} ({place.id})")


# --- worker side -------------------------------------------------------------------------
# One Geoparser per worker process: a per-process cache built after fork, never written to
# again, not state shared between callers.
_GEOPARSER: Any = None
_INIT_ERROR: str | None = None


def _init_worker(options: ResolverOptions) -> None:
    global _GEOPARSER, _INIT_ERROR
    try:
        from ingest.geoparse import Geoparser

        _GEOPARSER = Geoparser(**options.as_kwargs())
    except Exception as err:  # a pool respawns workers whose initializer raises, forever
        _INIT_ERROR = f"{type(err).__name__}: {err}"


# A worker's answer: (predictions, error message or None). In gold-span mode the predictions
# are aligned with doc.gold, one per gold mention, coordinates None where it abstained.
_Outcome = tuple[list[Prediction], str | None]


def _run_one(task: tuple[GoldDocument, bool, bool]) -> _Outcome:
    doc, gold_spans, demonyms = task
    if _INIT_ERROR is not None:
        raise _WorkerInitError(_INIT_ERROR)
    try:
        if not gold_spans:
            mentions = _GEOPARSER.geoparse(doc.text)
            return [prediction_from_mention(m) for m in mentions if demonyms or m.kind != "demonym"], None
        spans = [(g.start, g.end) for g in doc.gold]
        mentions = _GEOPARSER.resolve_spans(doc.text, spans) if spans else []
        return _align(doc, mentions), None
    except Exception as err:  # one bad document must not stop the run; it scores as empty
        log.debug("geoparser failed on %s", doc.id, exc_info=True)
        return [], f"{type(err).__name__}: {err}"


def _align(doc: GoldDocument, mentions: Sequence[Mention]) -> list[Prediction]:
    """One prediction per gold mention: by position if the lengths agree, else by offsets."""
    if len(mentions) == len(doc.gold):
        return [prediction_from_mention(m) for m in mentions]
    by_span = {(m.start, m.end): m for m in mentions}
    return [
        prediction_from_mention(by_span[(g.start, g.end)]) if (g.start, g.end) in by_span
        else Prediction(g.start, g.end, g.name)
        for g in doc.gold
    ]  # fmt: skip


class _WorkerInitError(AtlasError, RuntimeError):
    """The Geoparser could not be created (for example, the gazetteer is not built)."""


def _run_all(docs: list[GoldDocument], gold_spans: bool, workers: int, options: ResolverOptions,
             demonyms: bool = True) -> Iterator[_Outcome]:
    tasks = [(d, gold_spans, demonyms) for d in docs]
    if workers <= 1 or len(docs) < 8:  # a pool costs more than it saves on a few documents
        _init_worker(options)
        if _INIT_ERROR is not None:
            raise _WorkerInitError(_INIT_ERROR)
        yield from map(_run_one, tasks)
        return
    # fork: workers start at once and share the imported modules; each builds its Geoparser.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
        # imap keeps corpus order, so each answer lines up with its gold.
        yield from pool.imap(_run_one, tasks, chunksize=2)


# --- parent side -------------------------------------------------------------------------


@dataclass
class Evaluation:
    """The outcome of one evaluation run.

    `end_to_end` is None in gold-span mode; `distances` always holds the resolution figures
    of the mode that ran. `seconds` is wall-clock time for the whole run, worker start-up
    and model loading included, so `docs_per_s` is what a user would see.
    """

    corpus: str
    gold_spans: bool
    docs: int
    seconds: float
    distances: DistanceScore
    end_to_end: EndToEndScore | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else float("nan")

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures for `--json` (NaN becomes None, which JSON writes as null)."""
        d = self.distances
        values: dict[str, float | int] = {
            "n": d.n, "acc161": d.acc161, "auc": d.auc, "mean_km": d.mean_km,
            "median_km": d.median_km, "docs_per_s": self.docs_per_s,
        }  # fmt: skip
        if self.end_to_end is not None:
            e = self.end_to_end
            values.update(precision=e.precision, recall=e.recall, f1=e.f1)
        keys = GOLD_SPAN_KEYS if self.gold_spans else END_TO_END_KEYS
        return {k: (None if isinstance(values[k], float) and math.isnan(values[k]) else values[k]) for k in keys}

    def table(self) -> str:
        """A small plain-text table for people."""
        mode = "gold spans" if self.gold_spans else "end to end"
        rows = [("corpus", self.corpus), ("mode", mode), ("documents", str(self.docs))]
        if self.end_to_end is not None:
            e = self.end_to_end
            rows += [
                ("precision", f"{e.precision:.3f}"), ("recall", f"{e.recall:.3f}"), ("f1", f"{e.f1:.3f}"),
                ("tp / fp / fn", f"{e.tp} / {e.fp} / {e.fn}"),
                ("recognised, not resolved", f"{e.unresolved} (not scored)"),
            ]  # fmt: skip
        d = self.distances
        rows += [
            ("n (distances)", str(d.n)), ("acc@161", f"{d.acc161:.3f}"), ("AUC", f"{d.auc:.3f}"),
            ("mean km", f"{d.mean_km:.0f}"), ("median km", f"{d.median_km:.1f}"),
            ("docs/s", f"{self.docs_per_s:.1f}"),
        ]  # fmt: skip
        if self.failures:
            rows.append(("failed documents", str(len(self.failures))))
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def _latlon(lat: float | None, lon: float | None) -> list[float] | None:
    return None if lat is None or lon is None else [lat, lon]


def end_to_end_record(doc: GoldDocument, preds: Sequence[Prediction], score: DocumentScore) -> dict[str, Any]:
    """What one document got right and wrong, for people reading errors (one JSONL line).

    Examples
    --------
    >>> from ingest.evaluation.metrics import GoldMention
    >>> doc = GoldDocument("d", "Oslo and Rome", (GoldMention(0, 4, "Oslo", 59.9, 10.7),
    ...                                           GoldMention(9, 13, "Rome", 41.9, 12.5)))
    >>> preds = [Prediction(0, 4, "Oslo", 59.9, 10.7, "Oslo (3143244)")]
    >>> rec = end_to_end_record(doc, preds, score_document(doc.gold, preds))
    >>> rec["matches"][0]["error_km"], [m["name"] for m in rec["missed"]]
    (0.0, ['Rome'])
    """
    matched_gold = {gi: pi for gi, pi in score.pairs}
    matched_pred = set(matched_gold.values())
    matches, missed = [], []
    for gi, g in enumerate(doc.gold):
        entry: dict[str, Any] = {"name": g.name, "start": g.start, "end": g.end, "gold": _latlon(g.lat, g.lon)}
        if gi not in matched_gold:
            missed.append(entry)
            continue
        p = preds[matched_gold[gi]]
        err = haversine_km(g.lat, g.lon, p.lat, p.lon) if g.has_coords else None  # type: ignore[arg-type]
        matches.append({**entry, "predicted": _latlon(p.lat, p.lon), "label": p.label, "error_km": err})
    false_pos = [
        {"text": p.text, "start": p.start, "end": p.end, "predicted": _latlon(p.lat, p.lon), "label": p.label}
        for i, p in enumerate(preds) if p.has_coords and i not in matched_pred
    ]  # fmt: skip
    unresolved = [{"text": p.text, "start": p.start, "end": p.end} for p in preds if not p.has_coords]
    return {
        "id": doc.id, "tp": score.tp, "fp": score.fp, "fn": score.fn,
        "matches": matches, "missed": missed, "false_positives": false_pos, "unresolved": unresolved,
    }  # fmt: skip


def gold_span_record(doc: GoldDocument, preds: Sequence[Prediction]) -> dict[str, Any]:
    """Per gold mention: gold and predicted coordinates and the error (None if ungeolocated)."""
    spans = []
    for g, p in zip(doc.gold, preds):
        err = None
        if g.has_coords:
            err = haversine_km(g.lat, g.lon, p.lat, p.lon) if p.has_coords else None  # type: ignore[arg-type]
        spans.append({
            "name": g.name, "start": g.start, "end": g.end, "gold": _latlon(g.lat, g.lon),
            "predicted": _latlon(p.lat, p.lon), "label": p.label, "error_km": err,
            "abstained": not p.has_coords,
        })  # fmt: skip
    return {"id": doc.id, "spans": spans}


def evaluate(
    corpus: str | Path,
    *,
    gold_spans: bool = False,
    limit: int | None = None,
    workers: int = 2,
    resolver_options: ResolverOptions | None = None,
    progress: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    demonyms: bool = True,
) -> Evaluation:
    """Run the Geoparser over a corpus (path or short name such as "lgl") and score it.

    Parameters
    ----------
    corpus
        A JSON Lines corpus, or the name of one in the shared corpora folder.
    gold_spans
        Resolve the gold spans instead of recognising places.
    limit
        Only the first `limit` documents.
    workers
        Worker processes (1: in this process).
    resolver_options
        Country bias (a local paper's country) and feature classes for the Geoparser.
    progress
        Show a progress bar on stderr.
    on_record
        Called with each document's record (gold vs predicted, errors), in corpus order.
    demonyms
        End to end, count demonym mentions ("Iranian") as predictions (the default: the
        geoparser reports them as mentions of the country). False scores place names only,
        for corpora whose guidelines do not annotate demonyms. No effect on gold spans.

    Raises
    ------
    ReadError
        The corpus cannot be read.
    AtlasError
        The Geoparser cannot be created (for example, the gazetteer has not been built).
    """
    from tqdm import tqdm

    docs = load_corpus(corpus, limit=limit)
    options = resolver_options or ResolverOptions()
    started = time.perf_counter()
    doc_scores: list[DocumentScore] = []
    span_errors: list[float] = []
    failures: list[tuple[str, str]] = []
    bar = tqdm(total=len(docs), desc="evaluate", unit=" docs", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    try:
        for doc, (preds, error) in zip(docs, _run_all(docs, gold_spans, workers, options, demonyms)):
            bar.update(1)
            if error is not None:
                failures.append((doc.id, error))
            if gold_spans:
                preds = preds or [Prediction(g.start, g.end, g.name) for g in doc.gold]
                span_errors += gold_span_errors(doc.gold, [(p.lat, p.lon) if p.has_coords else None for p in preds])  # type: ignore[misc]
                record = gold_span_record(doc, preds)
            else:
                score = score_document(doc.gold, preds)
                doc_scores.append(score)
                record = end_to_end_record(doc, preds, score)
            if on_record is not None:
                on_record({**record, "error": error} if error else record)
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    name = Path(str(corpus)).stem
    if gold_spans:
        return Evaluation(name, True, len(docs), seconds, distance_score(span_errors), failures=failures)
    e2e = combine(doc_scores)
    return Evaluation(name, False, len(docs), seconds, e2e.distances, end_to_end=e2e, failures=failures)
