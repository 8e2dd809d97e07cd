"""Measure ingest speed and memory, and the gazetteer's build time, size and lookup time.

Runs `incident-atlas ingest` on LGL (588 local news articles, ../shared/eval/corpora/lgl.jsonl)
into a fresh store, as a user would, and samples the memory of the whole process tree (the
parent and its parsing workers) every 250 ms. Repeats the run (--runs, default 3) and reports
the median run and the range of rates. Reports articles/s, peak RSS summed over the tree,
peak PSS (which counts pages shared between forked workers once; closer to the real footprint)
and the CPU time of each process, which shows whether both cores were used.

Usage:
    .venv/bin/python benchmarks/ingest.py [--corpus PATH] [--workers N] [--runs N] [--rebuild-gazetteer]

Prints a markdown table and writes benchmarks/out/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
ATLAS = [sys.executable, "-m", "ingest.cli.main"]
TARGET_RATE, TARGET_RSS_GB = 40.0, 1.5


def sample_tree(proc: psutil.Popen, interval: float = 0.25) -> dict:
    """Poll a process tree until it exits; return peak RSS/PSS sums and per-process CPU.

    PSS comes from /proc/PID/smaps_rollup, one short read per process; psutil's
    memory_full_info parses the whole smaps file, which for a few hundred MB process costs
    enough CPU to slow the run it measures on a 2-core machine.
    """
    peak_rss = peak_pss = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        rss = pss = 0
        try:
            members = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for member in members:
            try:
                rss += member.memory_info().rss
                pss += _pss(member.pid)
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError, ProcessLookupError):
                continue
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(interval)
    return {"peak_rss": peak_rss, "peak_pss": peak_pss, "cpu_seconds": sorted(cpu.values(), reverse=True)}


def _pss(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def bench_gazetteer(rebuild: bool) -> dict:
    from geodata import settings
    from geodata.gazetteer import Gazetteer

    result: dict = {}
    if rebuild:
        started = time.perf_counter()
        subprocess.run([*ATLAS, "gazetteer", "build", "--force"], check=True, cwd=ROOT)
        result["build_seconds"] = round(time.perf_counter() - started, 1)
    path = settings.gazetteer_path()
    result["size_mb"] = round(path.stat().st_size / 1e6, 1)
    gaz = Gazetteer(path)
    names = ["Aleppo", "Helsinki", "Paris", "Springfield", "Golan Heights", "Texas", "Syria",
             "Long Beach", "Tripoli", "Georgia", "Nowhereville", "Kyiv", "Donbas", "Lagos"]
    gaz.lookup("warm-up")
    timings = []
    for _ in range(300):
        for name in names:
            # a fresh string each time, so a per-string cache can't hide the real lookup
            query = "".join(name)
            started = time.perf_counter_ns()
            gaz.lookup(query)
            timings.append(time.perf_counter_ns() - started)
    result["lookup_us_median"] = round(statistics.median(timings) / 1000, 1)
    result["lookup_us_p95"] = round(statistics.quantiles(timings, n=20)[-1] / 1000, 1)
    result["info"] = gaz.info()
    return result


def bench_ingest(corpus: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        cmd = [*ATLAS, "ingest", str(corpus), "--db", str(db), "--workers", str(workers), "--no-progress",
               "--published", "2011-01-01"]
        started = time.perf_counter()
        proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        mem = sample_tree(proc)
        out, err = proc.communicate()
        seconds = time.perf_counter() - started
        articles = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
        summary = err.strip().splitlines()[-1] if err.strip() else ""
    return {
        "articles": articles,
        "workers": workers,
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 1),
        "peak_rss_gb": round(mem["peak_rss"] / 1e9, 2),
        "peak_pss_gb": round(mem["peak_pss"] / 1e9, 2),
        "cpu_seconds_per_process": [round(c, 1) for c in mem["cpu_seconds"]],
        "exit_code": proc.returncode,
        "summary": summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/corpora/lgl.jsonl")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--runs", type=int, default=3, help="ingest runs; the median one is reported")
    parser.add_argument("--rebuild-gazetteer", action="store_true", help="also time a full gazetteer build")
    args = parser.parse_args()

    gaz = bench_gazetteer(args.rebuild_gazetteer)
    runs = sorted((bench_ingest(args.corpus, args.workers) for _ in range(args.runs)), key=lambda r: r["articles_per_s"])
    run = runs[len(runs) // 2]
    run["rates_all_runs"] = [r["articles_per_s"] for r in runs]
    out_dir = ROOT / "benchmarks/out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ingest.json").write_text(json.dumps({"gazetteer": gaz, "ingest": run, "runs": runs}, indent=2, default=str))

    print("| measure | figure | target |")
    print("|---|---|---|")
    print(f"| ingest rate, {run['articles']} LGL articles, {run['workers']} workers | "
          f"{run['articles_per_s']} articles/s ({run['seconds']} s), median of {len(runs)} runs; "
          f"range {runs[0]['articles_per_s']}–{runs[-1]['articles_per_s']} | ≥ {TARGET_RATE} |")
    print(f"| peak RSS, process tree summed | {run['peak_rss_gb']} GB | ≤ {TARGET_RSS_GB} GB |")
    print(f"| peak PSS, process tree (shared pages once) | {run['peak_pss_gb']} GB | |")
    print(f"| CPU seconds per process | {run['cpu_seconds_per_process']} | both cores busy |")
    if "build_seconds" in gaz:
        print(f"| gazetteer build | {gaz['build_seconds']} s | |")
    print(f"| gazetteer size | {gaz['size_mb']} MB | |")
    print(f"| name lookup, median / p95 | {gaz['lookup_us_median']} / {gaz['lookup_us_p95']} µs | ≤ 50 µs |")
    print(f"\nexit code {run['exit_code']}; {run['summary']}", file=sys.stderr)


if __name__ == "__main__":
    main()
