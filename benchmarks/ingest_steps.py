"""Where ingest's CPU time goes, per article, in one process.

Parses the first N articles of a corpus (default 300 of LGL) in batches of 8, as an ingest
worker does, and times each step with `time.process_time`: the spaCy NER pass, recognition
repair and resolution, the event parse of the cue sentences, and the event rules. Then times
the NER component alone at several batch sizes, to show whether bigger batches would pay.

Usage:
    .venv/bin/python benchmarks/ingest_steps.py [--corpus PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# This folder's ingest.py would shadow the `ingest` package: import from the project root.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import ingest.cli.main  # noqa: E402,F401  first: it keeps BLAS to one thread, as in `incident-atlas ingest`
from geodata.gazetteer import Gazetteer
from geodata.model import Article
from ingest.events import extract_incidents, parse_for_events
from ingest.geoparse import Geoparser

BATCH = 8  # as ingest.pipeline.BATCH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/corpora/lgl.jsonl")
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()

    with args.corpus.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()][: args.limit]
    articles = [Article(text=r["text"], url=str(r.get("id", k))) for k, r in enumerate(rows)]
    geoparser = Geoparser(Gazetteer())
    geoparser.parse_articles(articles[:BATCH])  # load the event pipeline and warm caches

    clock = time.process_time
    spent = dict.fromkeys(("NER pass", "recognition and resolution", "event parse", "event rules"), 0.0)
    for k in range(0, len(articles), BATCH):
        batch = articles[k : k + BATCH]
        t = clock()
        docs = list(geoparser.nlp.pipe([a.text for a in batch], batch_size=16))
        spent["NER pass"] += clock() - t
        t = clock()
        mentions = [geoparser.mentions(doc) for doc in docs]
        spent["recognition and resolution"] += clock() - t
        t = clock()
        parsed = parse_for_events(list(zip(docs, mentions)), batch_size=16)
        spent["event parse"] += clock() - t
        t = clock()
        for doc, found, article, p in zip(docs, mentions, batch, parsed):
            extract_incidents(doc, found, article, parsed=p)
        spent["event rules"] += clock() - t

    print(f"| step ({len(articles)} articles, batches of {BATCH}) | ms/article |")
    print("|---|---|")
    for step, seconds in spent.items():
        print(f"| {step} | {seconds / len(articles) * 1000:.1f} |")
    print(f"| total | {sum(spent.values()) / len(articles) * 1000:.1f} |")

    ner = geoparser.nlp.get_pipe("ner")
    print("\n| NER batch size | ms/article |")
    print("|---|---|")
    for size in (1, 8, 16, 32):
        docs = [geoparser.nlp.make_doc(a.text) for a in articles]
        t = clock()
        list(ner.pipe(docs, batch_size=size))
        print(f"| {size} | {(clock() - t) / len(articles) * 1000:.1f} |")


if __name__ == "__main__":
    main()
