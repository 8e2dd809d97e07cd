"""Score the geoparser on every shared corpus, end to end and on gold spans.

The same runner as `incident-atlas evaluate` (ingest.evaluation.runner), over
../shared/eval/corpora/{lgl,geowebnews,geovirus,geocorpora}.jsonl, so each figure here is
reproduced by `incident-atlas evaluate CORPUS [--gold-spans] --json`.

Usage:
    .venv/bin/python benchmarks/evaluate.py [--corpus NAME ...] [--workers N] [--limit N]

Prints a markdown table (ours beside the best published figures) and writes
benchmarks/out/evaluation.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.evaluation.runner import evaluate  # noqa: E402

CORPORA = ("lgl", "geowebnews", "geovirus", "geocorpora")
# Best published end-to-end figures, from shared/eval/README.md (Wang & Hu 2019; Gritta et al. 2018).
PUBLISHED = {
    "lgl": "F1 .713 DBpedia; acc@161 .819 Edinburgh (R .383), .717 CamCoder (R .548)",
    "geowebnews": "F1 .739 StanfordNER; acc@161 .937 CLAVIN (R .394), .839 CamCoder (R .562)",
    "geovirus": "F1 .917 DM NLP; acc@161 .807 Edinburgh (R .559), .770 CamCoder (R .802)",
    "geocorpora": "F1 .763 DM NLP; acc@161 .913 CLAVIN (R .341), .876 GeoTxt (R .521)",
}


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="Repeatable; default: all.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    results: dict[str, dict] = {"commit": commit, "date": time.strftime("%Y-%m-%d"), "corpora": {}}
    rows = [
        "| corpus | P | R | F1 | n | acc@161 | AUC | mean km | median km | gold spans: n | acc@161 | AUC | docs/s | best published |",
        "|" + "---|" * 14,
    ]
    for name in args.corpus or CORPORA:
        e2e = evaluate(name, workers=args.workers, limit=args.limit, progress=True).as_dict()
        spans = evaluate(name, gold_spans=True, workers=args.workers, limit=args.limit, progress=True).as_dict()
        results["corpora"][name] = {"end_to_end": e2e, "gold_spans": spans}
        rows.append(
            f"| {name} | {fmt(e2e['precision'])} | {fmt(e2e['recall'])} | {fmt(e2e['f1'])} | {e2e['n']}"
            f" | {fmt(e2e['acc161'])} | {fmt(e2e['auc'])} | {fmt(e2e['mean_km'], 0)} | {fmt(e2e['median_km'], 1)}"
            f" | {spans['n']} | {fmt(spans['acc161'])} | {fmt(spans['auc'])} | {fmt(e2e['docs_per_s'], 1)}"
            f" | {PUBLISHED[name]} |"
        )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
