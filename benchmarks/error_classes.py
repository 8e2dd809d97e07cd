"""Sort the gold-span resolution errors of each shared corpus into classes, with examples.

An error is a gold toponym with coordinates that the resolver placed 161 km or more from the
gold point, or did not place at all. Classes:

- abstained: no coordinates at all;
- wrong choice: a gazetteer candidate of the name lies within 161 km of the gold point, but
  the resolver chose another;
- known elsewhere: the gazetteer knows the name, but none of its candidates is near the gold
  point (another point convention, or a sense the gazetteer lacks);
- unknown name: the gazetteer does not know the name (streets, venues, buildings); gold-span
  mode placed it at the text's main town, which was far from it.

Usage:
    .venv/bin/python benchmarks/error_classes.py [--corpus NAME ...] [--examples N]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # this folder's ingest.py would shadow the `ingest` package

from geodata.gazetteer import Gazetteer  # noqa: E402
from geodata.model import haversine_km  # noqa: E402
from ingest.evaluation.runner import evaluate  # noqa: E402

CORPORA = ("lgl", "geowebnews", "geovirus", "geocorpora")
LIMIT_KM = 161.0


def classify(records: list[dict], gazetteer: Gazetteer) -> dict[str, collections.Counter]:
    classes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for record in records:
        for span in record["spans"]:
            if span["gold"] is None:
                continue
            if span["predicted"] is not None and span["error_km"] < LIMIT_KM:
                continue
            name = span["name"]
            candidates = gazetteer.lookup(name, limit=25)
            lat, lon = span["gold"]
            if span["predicted"] is None:
                kind = "abstained"
            elif any(haversine_km(lat, lon, p.lat, p.lon) < LIMIT_KM for p in candidates):
                kind = "wrong choice"
            elif candidates:
                kind = "known elsewhere"
            else:
                kind = "unknown name"
            classes[kind][name] += 1
    return classes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="Repeatable; default: all.")
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    gazetteer = Gazetteer()
    for name in args.corpus or CORPORA:
        records: list[dict] = []
        result = evaluate(name, gold_spans=True, on_record=records.append)
        classes = classify(records, gazetteer)
        total = result.distances.n
        print(f"\n## {name}: {total} gold toponyms with coordinates, acc@161 {result.distances.acc161:.3f}")
        for kind in ("wrong choice", "known elsewhere", "unknown name", "abstained"):
            counter = classes.get(kind, collections.Counter())
            examples = ", ".join(f"{n} ({c})" for n, c in counter.most_common(args.examples))
            print(f"- {kind}: {sum(counter.values())}; {examples}")


if __name__ == "__main__":
    main()
