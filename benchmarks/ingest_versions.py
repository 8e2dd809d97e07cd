"""Compare the ingest rate of several commits, interleaved, on a machine whose speed drifts.

The machine's speed drifts by up to 10% from one minute to the next, so two versions timed
one after the other can differ by more than the code does. This script checks each commit
out into its own git worktree and runs one ingest of each in turn, for several rounds, each
a fresh process and a fresh store, with this clone's venv and a gazetteer cache of its own (built
first, untimed):

    incident-atlas ingest ../shared/eval/corpora/lgl.jsonl --workers 2 --published 2011-01-01

It prints the median and the range of articles/s (wall clock, interpreter start included)
per commit, and removes the worktrees.

Usage:
    .venv/bin/python benchmarks/ingest_versions.py COMMIT [COMMIT ...] [--rounds N]

Example:
    .venv/bin/python benchmarks/ingest_versions.py 51fe13b HEAD
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/eval/corpora/lgl.jsonl"


def count_articles(corpus: Path) -> int:
    with corpus.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def tree_env(tree: Path) -> dict[str, str]:
    """The worktree's packages (not the editable install's) and its own cache: commits whose
    gazetteers differ each keep theirs instead of rebuilding the other's on every run."""
    return dict(os.environ, PYTHONPATH=str(tree), XDG_CACHE_HOME=str(tree.with_name(tree.name + "-cache")))


def build_gazetteer(tree: Path) -> None:
    subprocess.run([sys.executable, "-m", "ingest.cli.main", "gazetteer", "build"], cwd=tree, env=tree_env(tree),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ingest_once(tree: Path, corpus: Path, db: Path) -> float:
    """Seconds for one ingest run of the code in `tree`, into a new store."""
    db.unlink(missing_ok=True)
    env = tree_env(tree)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest.cli.main", "ingest", str(corpus), "--db", str(db),
                    "--workers", "2", "--no-progress", "--published", "2011-01-01"],
                   cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    articles = count_articles(args.corpus)
    with tempfile.TemporaryDirectory(prefix="ingest-versions-") as tmp:
        trees = {}
        for commit in args.commits:
            tree = Path(tmp) / f"tree-{len(trees)}"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), commit], check=True)
            build_gazetteer(tree)  # untimed, like `make setup`
            trees[commit] = tree
        try:
            rates: dict[str, list[float]] = {c: [] for c in args.commits}
            for round_ in range(1, args.rounds + 1):
                for commit, tree in trees.items():
                    rate = articles / ingest_once(tree, args.corpus, Path(tmp) / "store.db")
                    rates[commit].append(rate)
                    print(f"round {round_} {commit}: {rate:.1f} articles/s", file=sys.stderr)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)

    print("| commit | median articles/s | range |")
    print("|---|---|---|")
    for commit, values in rates.items():
        print(f"| {commit} | {statistics.median(values):.1f} | {min(values):.1f}–{max(values):.1f} |")


if __name__ == "__main__":
    main()
