"""Read EUPEG's stored gold and geoparser outputs, and score them with our metric.

EUPEG (Wang & Hu 2019) keeps one line per document, in corpus order. Each line is a run of
records ending in `||`; a record's fields are separated by `,,`:

    gazetteer name,,surface text,,lat,,lon,,start,,end[,,extra]

Gold files carry a seventh field (the feature's area in km², unused here). Coordinates are
empty or the string "null" when the system (or the annotator) gave none; offsets are
character offsets into EUPEG's copy of the text. Some output files end with extra empty
lines, which EUPEG's own loader would refuse; we accept them only if they are empty.

Scoring these files with `ingest.evaluation.metrics` reproduces the published EUPEG rows
(see `PUBLISHED` and tests/ingest/test_evaluate.py), which is our proof that the metric is
the one the literature uses.

Examples
--------
>>> parse_line("Paris,,Paris,,48.85,,2.35,,0,,5||No Gaz,,Added,,,,,,9,,14||")
[EupegRecord(gazetteer_name='Paris', text='Paris', lat=48.85, lon=2.35, start=0, end=5), \
EupegRecord(gazetteer_name='No Gaz', text='Added', lat=None, lon=None, start=9, end=14)]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import ReadError
from ingest.evaluation.corpus import shared_eval_dir
from ingest.evaluation.metrics import EndToEndScore, GoldMention, Prediction, score_corpus

CORPORA = ("LGL", "GeoWebNews", "GeoVirus", "GeoCorpora")
SYSTEMS = (
    "CLAVIN", "CamCoder", "DBpedia", "Edinburgh", "GeoTxt",
    "SpaCyNER", "StanfordNER", "TopoCluster", "Yahoo",
)  # fmt: skip

# Published rows (Wang & Hu 2019, EUPEG result tables, as quoted in shared/eval/README.md
# "Best published results"): corpus, system -> figures given there. Only what was published
# is listed; the test reproduces each figure within 0.002.
PUBLISHED: dict[tuple[str, str], dict[str, float]] = {
    ("LGL", "Edinburgh"): {"precision": 0.723, "recall": 0.383, "f1": 0.501, "acc161": 0.819, "auc": 0.172},
    ("LGL", "DBpedia"): {"precision": 0.813, "recall": 0.635, "f1": 0.713},
    ("LGL", "CamCoder"): {"recall": 0.548, "acc161": 0.717},
    ("GeoWebNews", "CLAVIN"): {"precision": 0.909, "recall": 0.394, "f1": 0.549, "acc161": 0.937, "auc": 0.060},
    ("GeoWebNews", "StanfordNER"): {"precision": 0.885, "recall": 0.635, "f1": 0.739},
    ("GeoWebNews", "Edinburgh"): {"recall": 0.538, "acc161": 0.921},
    ("GeoWebNews", "CamCoder"): {"recall": 0.562, "acc161": 0.839},
    ("GeoVirus", "Edinburgh"): {"recall": 0.559, "acc161": 0.807},
    ("GeoVirus", "CamCoder"): {"recall": 0.802, "acc161": 0.770},
    ("GeoCorpora", "CLAVIN"): {"recall": 0.341, "acc161": 0.913},
    ("GeoCorpora", "GeoTxt"): {"recall": 0.521, "acc161": 0.876},
}


@dataclass(frozen=True, slots=True)
class EupegRecord:
    """One `,,`-separated record of an EUPEG file."""

    gazetteer_name: str
    text: str
    lat: float | None
    lon: float | None
    start: int
    end: int


def _coord(value: str) -> float | None:
    value = value.strip()
    return None if not value or value.lower() == "null" else float(value)


def parse_line(line: str, *, where: str = "<line>") -> list[EupegRecord]:
    """Parse one document's line into records.

    Examples
    --------
    >>> parse_line("")
    []
    >>> parse_line("x,,Rome,,null,,null,,4,,8||")[0].lat is None
    True
    """
    out = []
    for chunk in line.rstrip("\r\n").split("||"):
        # EUPEG skips chunks of length <= 1 (the empty tail after the last "||").
        if len(chunk) <= 1:
            continue
        fields = chunk.split(",,")
        if len(fields) < 6:
            raise ReadError(where, f"record {chunk!r} has {len(fields)} fields, expected at least 6")
        try:
            lat, lon = _coord(fields[2]), _coord(fields[3])
            start, end = int(fields[4]), int(fields[5])
        except ValueError as err:
            raise ReadError(where, f"record {chunk!r}: {err}") from err
        if (lat is None) != (lon is None):
            lat = lon = None  # half a coordinate is no coordinate
        out.append(EupegRecord(fields[0], fields[1], lat, lon, start, end))
    return out


def read_records(path: str | Path) -> list[list[EupegRecord]]:
    """Read an EUPEG file: one list of records per document line.

    Trailing empty lines are dropped so that output and gold files line up.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [parse_line(line, where=f"{path.name}:{i}") for i, line in enumerate(lines, 1)]


def load_gold(path: str | Path) -> list[list[GoldMention]]:
    """EUPEG gold as GoldMentions (records without coordinates count for recognition only).

    EUPEG's own scorer drops the 4 coordinate-less gold records of GeoCorpora; we keep them
    as ungeolocated gold, the same rule as for our corpora, which moves GeoCorpora recall by
    at most 0.001.
    """
    return [[GoldMention(r.start, r.end, r.text, r.lat, r.lon) for r in doc] for doc in read_records(path)]


def load_output(path: str | Path) -> list[list[Prediction]]:
    """A stored geoparser output as Predictions (label = the gazetteer name it chose)."""
    return [
        [Prediction(r.start, r.end, r.text, r.lat, r.lon, label=r.gazetteer_name) for r in doc]
        for doc in read_records(path)
    ]


def eupeg_dir(root: str | Path | None = None) -> Path:
    """The folder holding `gold/` and `geoparser_output/` (under shared/eval/raw/...)."""
    return Path(root) if root is not None else shared_eval_dir() / "raw" / "system_outputs" / "eupeg"


def score_system(corpus: str, system: str, *, root: str | Path | None = None) -> EndToEndScore:
    """Score one stored system output against EUPEG's gold for that corpus.

    Examples
    --------
    >>> s = score_system("GeoWebNews", "CLAVIN")          # doctest: +SKIP
    >>> round(s.precision, 3), round(s.acc161, 3)         # doctest: +SKIP
    (0.909, 0.937)
    """
    base = eupeg_dir(root)
    gold = load_gold(base / "gold" / f"{corpus}_gold.txt")
    pred = load_output(base / "geoparser_output" / f"{corpus}_{system}.txt")
    if len(pred) < len(gold):  # a system that found nothing in the last documents wrote no line
        pred += [[] for _ in range(len(gold) - len(pred))]
    return score_corpus(gold, pred)


def reproduction_table(root: str | Path | None = None) -> str:
    """A markdown table: every stored system on every corpus, published figures in brackets."""
    head = "| corpus | system | P | R | F1 | n | acc@161 | AUC | mean km | median km |"
    rows = [head, "|" + "---|" * 10]

    def cell(value: float, key: str, pub: dict[str, float]) -> str:
        return f"{value:.3f}" + (f" ({pub[key]:.3f})" if key in pub else "")

    for corpus in CORPORA:
        for system in SYSTEMS:
            s = score_system(corpus, system, root=root)
            pub = PUBLISHED.get((corpus, system), {})
            rows.append(
                f"| {corpus} | {system} | {cell(s.precision, 'precision', pub)} | {cell(s.recall, 'recall', pub)}"
                f" | {cell(s.f1, 'f1', pub)} | {s.n} | {cell(s.acc161, 'acc161', pub)} | {cell(s.auc, 'auc', pub)}"
                f" | {s.mean_km:.0f} | {s.median_km:.1f} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":  # python -m ingest.evaluation.eupeg [EUPEG_DIR]
    print(reproduction_table(sys.argv[1] if len(sys.argv) > 1 else None))
