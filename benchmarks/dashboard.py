"""Dashboard benchmark: the atlas design against the "obvious" design, in headless Chromium.

For each N (synthetic stores, built once under benchmarks/out/), it starts the dashboard
(`incident-atlas serve`) and measures, as medians:

- first load: page navigation until the map reports its markers drawn;
- slider move: a timeline window change (set through Dash, as the slider does) until the
  map has redrawn; windows of 30, 90 and 180 days and the full range, in turn;
- server callback: the map callback's function (`payload_for`), in process, warm cache;
- server peak RSS (VmHWM of the server process).

The reference ("obvious") design rebuilds a folium map with MarkerCluster per slider move
and sends it as html.Iframe(srcDoc=...); it runs in the same session at the sizes given by
--reference (Leaflet served locally for both, so neither depends on a CDN).

Usage::

    .venv/bin/python benchmarks/dashboard.py                     # 1k, 10k, 100k, 1M
    .venv/bin/python benchmarks/dashboard.py --sizes 1000 10000 --reference 1000 10000

Writes benchmarks/out/dashboard.md (a markdown table) and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "dashboard"))

WINDOWS = (30, 90, 180, None)  # days; None = the full range
START = date(2024, 1, 1)
DAYS = 365


def store_for(n: int) -> Path:
    from dashboard.synthetic import build_store

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench-{n}.db"
    if not path.exists():
        tmp = Path(f"{path}.tmp")
        tmp.unlink(missing_ok=True)
        build_store(tmp, n, seed=3, start=START, days=DAYS)
        tmp.rename(path)
    return path


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def windows(lo: int, hi: int, moves: int) -> list[list[int]]:
    out = []
    for k in range(moves):
        width = WINDOWS[k % len(WINDOWS)]
        if width is None:
            out.append([lo, hi])
        else:
            start = lo + (37 * (k + 1)) % max(1, hi - lo - width)
            out.append([start, start + width - 1])
    return out


# --------------------------------------------------------------------------- the reference design

def reference_server(db: str, port: int) -> None:
    """The obvious design: a folium map with MarkerCluster, rebuilt per slider move."""
    import dash
    import folium
    from dash import Input, Output, dcc, html
    from folium.plugins import MarkerCluster

    from dashboard import vendor
    from dashboard.data import date_of, load_columns
    from dashboard.map_builder import OfflineMap
    from dashboard.server import register
    from geodata.filters import IncidentFilter
    from geodata.store import IncidentStore

    class LocalCluster(MarkerCluster):
        default_js = [("markerclusterjs", vendor.asset_url(vendor.REFERENCE_ASSETS[0]))]
        default_css = [("markerclustercss", vendor.asset_url(vendor.REFERENCE_ASSETS[1])),
                       ("markerclusterdefaultcss", vendor.asset_url(vendor.REFERENCE_ASSETS[2]))]

    def build(lo: int, hi: int) -> str:
        with IncidentStore(db, create=False) as store:
            frame = store.incidents_frame(IncidentFilter(start=date_of(lo), end=date_of(hi)))
        m = OfflineMap(location=[20, 10], zoom_start=2, tiles=None)
        cluster = LocalCluster().add_to(m)
        for r in frame.dropna(subset=["lat", "lon"]).itertuples():
            folium.Marker([r.lat, r.lon], popup=folium.Popup(str(r.title), parse_html=True)).add_to(cluster)
        m.get_root().header.add_child(folium.Element(f'<meta name="ref-key" content="{lo}-{hi}">'))
        return m.get_root().render()

    cols = load_columns(db)
    lo, hi = cols.day_range()
    app = dash.Dash(__name__, serve_locally=True)
    app.server.config.update(ATLAS_DB=db)
    register(app.server)
    app.layout = html.Div([
        dcc.RangeSlider(id="time-slider", min=lo, max=hi, step=1, value=[lo, hi]),
        html.Iframe(id="ref-frame", style={"width": "1200px", "height": "600px"}),
    ])

    @app.callback(Output("ref-frame", "srcDoc"), Input("time-slider", "value"))
    def update(value: list[int]) -> str:
        return build(*value)

    app.run(host="127.0.0.1", port=port)


REF_DRAWN = """
const key = arguments[0];
const f = document.getElementById('ref-frame');
const doc = f && f.contentDocument;
const meta = doc && doc.querySelector('meta[name=ref-key]');
return !!(meta && meta.content === key && doc.querySelector('.leaflet-marker-icon'));
"""

REF_MOVE = """
const [value, key, done] = arguments;
const t0 = performance.now();
window.dash_clientside.set_props('time-slider', {value: value});
(function poll() {
  const f = document.getElementById('ref-frame');
  const doc = f && f.contentDocument;
  const meta = doc && doc.querySelector('meta[name=ref-key]');
  if (meta && meta.content === key && doc.querySelector('.leaflet-marker-icon')) { done(performance.now() - t0); return; }
  if (performance.now() - t0 > 240000) { done(-1); return; }
  setTimeout(poll, 5);
})();
"""

ATLAS_MOVE = """
const [value, done] = arguments;
const bridge = window.dash_clientside.atlas;
const before = bridge.state().drawnSeq;
const t0 = performance.now();
window.dash_clientside.set_props('time-slider', {value: value});
(function poll() {
  if (bridge.state().drawnSeq > before) { done(bridge.state().lastDrawn.at - t0); return; }
  if (performance.now() - t0 > 120000) { done(-1); return; }
  setTimeout(poll, 2);
})();
"""


def start(cmd: list[str], port: int) -> subprocess.Popen:
    import urllib.request

    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=300).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {cmd}")
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def measure_atlas(n: int, db: Path, loads: int, moves: int) -> dict[str, Any]:
    from atlas_browser import browser, free_port, wait_for

    from dashboard.callbacks.map_view import payload_for
    from dashboard.data import date_of, load_columns

    port = free_port()
    proc = start([sys.executable, "-m", "ingest.cli.main", "serve", "--db", str(db), "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}/"
    try:
        first_loads = []
        with browser(1400, 1000) as d:
            d.set_script_timeout(100)
            for _ in range(loads):
                t0 = time.perf_counter()
                d.get(url)
                wait_for(d, "window.dash_clientside.atlas && window.dash_clientside.atlas.state().drawnSeq >= 1", 300)
                first_loads.append(time.perf_counter() - t0)
            lo, hi = load_columns(db).day_range()
            slider = []
            for value in windows(lo, hi, moves):
                slider.append(d.execute_async_script(ATLAS_MOVE, value) / 1000)
            mode = d.execute_script("return document.getElementById('map-frame').contentWindow"
                                    ".dash_clientside.atlasMap.state().mode;")
        rss = peak_rss_mb(proc.pid)
    finally:
        stop(proc)
    # The map callback's own work, in process and warm, for the same windows.
    payload_for(str(db), {})
    server = []
    for value in windows(lo, hi, moves):
        spec = {} if value == [lo, hi] else {"start": str(date_of(value[0])), "end": str(date_of(value[1]))}
        t0 = time.perf_counter()
        payload_for(str(db), spec)
        server.append(time.perf_counter() - t0)
    return {"design": "atlas", "n": n, "first_load": first_loads, "slider": slider, "server": server,
            "rss_mb": rss, "mode_full_range": mode}


def measure_reference(n: int, db: Path, moves: int) -> dict[str, Any]:
    from atlas_browser import browser, free_port, wait_for

    from dashboard.data import load_columns

    port = free_port()
    proc = start([sys.executable, __file__, "--reference-server", str(db), "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}/"
    lo, hi = load_columns(db).day_range()
    try:
        with browser(1400, 1000) as d:
            d.set_script_timeout(100)
            t0 = time.perf_counter()
            d.get(url)
            deadline = time.time() + 300
            while not d.execute_script(REF_DRAWN, f"{lo}-{hi}") and time.time() < deadline:
                time.sleep(0.02)
            first = time.perf_counter() - t0
            slider = []
            for value in windows(lo, hi, moves):
                if value == [lo, hi]:
                    value = [lo, hi - 1]  # a change Dash will send (the full range is the start value)
                slider.append(d.execute_async_script(REF_MOVE, value, f"{value[0]}-{value[1]}") / 1000)
        rss = peak_rss_mb(proc.pid)
    finally:
        stop(proc)
    return {"design": "reference", "n": n, "first_load": [first], "slider": slider, "server": [], "rss_mb": rss}


def med(values: list[float]) -> str:
    good = [v for v in values if v >= 0]
    if not good:
        return "–"
    m = statistics.median(good)
    return f"{m * 1000:.0f} ms" if m < 1 else f"{m:.2f} s"


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| N | design | first load (median) | slider → redrawn (median) | slider (max) | server callback (median) | server peak RSS |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        worst = max(r["slider"]) if r["slider"] else -1
        lines.append(
            f"| {r['n']:,} | {r['design']}{' (' + r['mode_full_range'] + ' at full range)' if r.get('mode_full_range') else ''} "
            f"| {med(r['first_load'])} | {med(r['slider'])} | {med([worst])} | {med(r['server'])} | {r['rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--reference", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--reference-server", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_server:
        reference_server(args.reference_server, args.port)
        return 0
    results = []
    for n in args.sizes:
        db = store_for(n)
        print(f"N={n:,}: atlas design…", file=sys.stderr, flush=True)
        results.append(measure_atlas(n, db, args.loads, args.moves))
        if n in args.reference:
            print(f"N={n:,}: reference design…", file=sys.stderr, flush=True)
            results.append(measure_reference(n, db, max(3, args.moves // 2)))
    md = table(results)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dashboard.md").write_text(md + "\n", encoding="utf-8")
    (OUT / "dashboard.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
