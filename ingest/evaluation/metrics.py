"""The EUPEG geoparsing metric, as pure functions.

Recognition is scored by matching predicted mentions to gold mentions; resolution by the
great-circle error of each matched pair. The rules follow the EUPEG platform (Wang & Hu
2019) and Gritta et al. (2018), and reproduce their published rows from the stored system
outputs (see `ingest.evaluation.eupeg` and docs/evaluation.md):

- A prediction **without coordinates is not a prediction**: it is neither a true nor a false
  positive. EUPEG filters such records before matching; the published rows only reproduce
  with that rule (LGL Edinburgh would otherwise score P .700 R .547 instead of .723/.383).
  For us it means a mention the geoparser recognised but left unresolved is not on the map
  and is not scored; the count is reported separately (`unresolved`).
- A prediction matches a gold mention when the surface strings are equal ignoring case and
  the span midpoints are less than 10 characters apart. Gold mentions are taken in order and
  each takes the first still-unmatched prediction that qualifies, so each gold and each
  prediction matches at most once.
- Gold mentions without coordinates count for recognition, not for distances.
- Distances are haversine with R = 6371 km; AUC is the trapezoid area under the sorted
  ln(1 + km) / ln(20039), step 1, divided by n - 1.

Examples
--------
>>> gold = [GoldMention(0, 5, "Paris", 48.85, 2.35)]
>>> pred = [Prediction(0, 5, "paris", 48.85, 2.35)]
>>> s = score_corpus([gold], [pred])
>>> (s.precision, s.recall, s.n, s.acc161)
(1.0, 1.0, 1, 1.0)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geodata.model import haversine_km

EARTH_RADIUS_KM = 6371.0
# Half the Earth's circumference as EUPEG and Gritta et al. round it: the worst possible
# error, used to normalise AUC and as the error of a gold toponym the resolver left unresolved.
MAX_ERROR_KM = 20039.0
ACCURACY_KM = 161.0  # 100 miles, the usual acc@161
MIDPOINT_WINDOW = 10  # midpoints strictly closer than this match (EUPEG's "< 10")


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One annotated toponym; `lat`/`lon` are None for an ungeolocated one.

    Examples
    --------
    >>> GoldMention(3, 9, "Berlin", 52.52, 13.40).has_coords
    True
    >>> GoldMention(3, 9, "Lakeview").has_coords
    False
    """

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class Prediction:
    """One predicted mention; `lat`/`lon` None when the system did not resolve it.

    `label` is free text for people reading errors (the chosen place's name and id).

    Examples
    --------
    >>> Prediction(0, 6, "Berlin", 52.52, 13.40, label="Berlin (2950159)").has_coords
    True
    """

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    label: str = ""

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


def match_mentions(
    gold: Sequence[GoldMention], predicted: Sequence[Prediction], *, window: int = MIDPOINT_WINDOW
) -> list[tuple[int, int]]:
    """Pair gold and predicted mentions by the EUPEG rule; returns (gold index, prediction index).

    Predictions without coordinates are skipped (they are not predictions, see the module
    docstring). Gold is visited in the given order and takes the first free prediction with
    the same casefolded surface string and a midpoint less than `window` characters away.

    Examples
    --------
    >>> gold = [GoldMention(0, 5, "Paris"), GoldMention(20, 25, "Paris")]
    >>> pred = [Prediction(21, 26, "PARIS", 1.0, 2.0), Prediction(0, 5, "Paris")]
    >>> match_mentions(gold, pred)   # the second prediction has no coordinates
    [(1, 0)]
    """
    free = [i for i, p in enumerate(predicted) if p.has_coords]
    keys = {i: predicted[i].text.lower() for i in free}
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        g_mid, g_key = (g.start + g.end) / 2.0, g.name.lower()
        for j, pi in enumerate(free):
            p = predicted[pi]
            if keys[pi] == g_key and abs((p.start + p.end) / 2.0 - g_mid) < window:
                pairs.append((gi, pi))
                del free[j]
                break
    return pairs


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """Counts and errors for one document (sum them with `score_corpus`).

    `errors_km` holds one error per matched pair whose gold mention has coordinates, in gold
    order; `pairs` are the (gold index, prediction index) matches; `unresolved` counts the
    predictions without coordinates, which were not scored.
    """

    tp: int
    fp: int
    fn: int
    errors_km: tuple[float, ...]
    pairs: tuple[tuple[int, int], ...] = ()
    unresolved: int = 0


def score_document(gold: Sequence[GoldMention], predicted: Sequence[Prediction]) -> DocumentScore:
    """Match one document's mentions and measure the error of each matched, geolocated pair.

    Examples
    --------
    >>> gold = [GoldMention(0, 5, "Paris", 48.8566, 2.3522), GoldMention(10, 16, "Lyon")]
    >>> pred = [Prediction(0, 5, "Paris", 48.8566, 2.3522), Prediction(30, 34, "Nice", 43.7, 7.27)]
    >>> s = score_document(gold, pred)
    >>> (s.tp, s.fp, s.fn, s.errors_km)
    (1, 1, 1, (0.0,))
    """
    pairs = match_mentions(gold, predicted)
    with_coords = sum(1 for p in predicted if p.has_coords)
    errors = []
    for gi, pi in sorted(pairs):
        g, p = gold[gi], predicted[pi]
        if g.has_coords:
            errors.append(haversine_km(g.lat, g.lon, p.lat, p.lon))  # type: ignore[arg-type]
    return DocumentScore(
        tp=len(pairs),
        fp=with_coords - len(pairs),
        fn=len(gold) - len(pairs),
        errors_km=tuple(errors),
        pairs=tuple(sorted(pairs)),
        unresolved=len(predicted) - with_coords,
    )


@dataclass(frozen=True, slots=True)
class DistanceScore:
    """Resolution figures over a list of errors. NaN where there is nothing to measure.

    Examples
    --------
    >>> d = distance_score([0.0, 100.0, 1000.0])
    >>> (d.n, round(d.acc161, 3), d.median_km, d.mean_km)
    (3, 0.667, 100.0, 366.6666666666667)
    """

    n: int
    acc161: float
    auc: float
    mean_km: float
    median_km: float


def distance_score(errors_km: Iterable[float]) -> DistanceScore:
    """acc@161, AUC, mean and median of geocoding errors in km.

    AUC follows EUPEG: sort the errors, scale each to ln(1 + km) / ln(20039), take the
    trapezoid area with step 1 and divide by n - 1 (0 is perfect, 1 is every answer at the
    antipode). With a single error the trapezoid is undefined; we return that error's scaled
    value rather than EUPEG's 0, which would read as perfect. With none, everything is NaN.

    Examples
    --------
    >>> round(distance_score([0.0, 20038.0]).auc, 6)
    0.5
    >>> distance_score([]).n
    0
    """
    errs = sorted(errors_km)
    n = len(errs)
    if n == 0:
        nan = float("nan")
        return DistanceScore(0, nan, nan, nan, nan)
    scaled = [math.log1p(e) / math.log(MAX_ERROR_KM) for e in errs]
    auc = scaled[0] if n == 1 else (sum(scaled) - 0.5 * (scaled[0] + scaled[-1])) / (n - 1)
    return DistanceScore(
        n=n,
        acc161=sum(1 for e in errs if e < ACCURACY_KM) / n,
        auc=auc,
        mean_km=sum(errs) / n,
        median_km=statistics.median(errs),
    )


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """P, R and F1; 0.0 where a denominator is empty.

    Examples
    --------
    >>> [round(x, 4) for x in precision_recall_f1(3, 1, 2)]
    [0.75, 0.6, 0.6667]
    >>> precision_recall_f1(0, 0, 4)
    (0.0, 0.0, 0.0)
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if tp else 0.0
    return p, r, f


@dataclass(frozen=True, slots=True)
class EndToEndScore:
    """Recognition and end-to-end resolution over a corpus."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    unresolved: int
    distances: DistanceScore = field(default_factory=lambda: distance_score([]))

    @property
    def n(self) -> int:
        return self.distances.n

    @property
    def acc161(self) -> float:
        return self.distances.acc161

    @property
    def auc(self) -> float:
        return self.distances.auc

    @property
    def mean_km(self) -> float:
        return self.distances.mean_km

    @property
    def median_km(self) -> float:
        return self.distances.median_km


def combine(doc_scores: Iterable[DocumentScore]) -> EndToEndScore:
    """Sum per-document counts and pool the errors (micro-averaging, as EUPEG does).

    Examples
    --------
    >>> a = DocumentScore(tp=1, fp=0, fn=1, errors_km=(0.0,))
    >>> b = DocumentScore(tp=1, fp=1, fn=0, errors_km=(500.0,))
    >>> s = combine([a, b])
    >>> (s.tp, s.fp, s.fn, s.n, s.acc161)
    (2, 1, 1, 2, 0.5)
    """
    tp = fp = fn = unresolved = 0
    errors: list[float] = []
    for s in doc_scores:
        tp, fp, fn, unresolved = tp + s.tp, fp + s.fp, fn + s.fn, unresolved + s.unresolved
        errors.extend(s.errors_km)
    p, r, f = precision_recall_f1(tp, fp, fn)
    return EndToEndScore(p, r, f, tp, fp, fn, unresolved, distance_score(errors))


def score_corpus(
    gold_docs: Iterable[Sequence[GoldMention]], predicted_docs: Iterable[Sequence[Prediction]]
) -> EndToEndScore:
    """Score a corpus end to end: documents are paired in order.

    Raises ValueError if the two sides do not have the same number of documents, since a
    shifted pairing would silently score every document against the wrong gold.

    Examples
    --------
    >>> score_corpus([[GoldMention(0, 4, "Rome", 41.9, 12.5)]], [[]]).recall
    0.0
    """
    gold_docs, predicted_docs = list(gold_docs), list(predicted_docs)
    if len(gold_docs) != len(predicted_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(predicted_docs)} predicted ones")
    return combine(score_document(g, p) for g, p in zip(gold_docs, predicted_docs))


def gold_span_errors(
    gold: Sequence[GoldMention], resolved: Sequence[tuple[float, float] | None]
) -> list[float]:
    """Errors on gold spans: one per gold mention with coordinates.

    `resolved[i]` is the (lat, lon) the resolver gave `gold[i]`, or None if it abstained.
    An abstention counts as the worst possible error, 20039 km, so abstaining can never raise
    acc@161 or lower AUC: every gold toponym is in the denominator, as in the gold-span
    figures Mordecai 3 and CamCoder report.

    Examples
    --------
    >>> gold = [GoldMention(0, 4, "Rome", 41.9, 12.5), GoldMention(9, 13, "Oslo", 59.9, 10.7),
    ...         GoldMention(20, 24, "Narnia")]
    >>> gold_span_errors(gold, [(41.9, 12.5), None, None])
    [0.0, 20039.0]
    """
    if len(gold) != len(resolved):
        raise ValueError(f"{len(gold)} gold mentions but {len(resolved)} answers")
    out = []
    for g, r in zip(gold, resolved):
        if not g.has_coords:
            continue
        out.append(MAX_ERROR_KM if r is None else haversine_km(g.lat, g.lon, r[0], r[1]))  # type: ignore[arg-type]
    return out
