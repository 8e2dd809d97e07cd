"""Dashboard benchmark: the atlas design against the "obvious" design, in headless Chromium.

For each N (synthetic stores, built once under benchmarks/out/), it starts the dashboard
(`incident-atlas serve`) and measures, as medians:

- first load: navigation start until the page receives the map's first 'atlas:drawn'
  (performance.now() in the page); the first load of a fresh browser profile (cold cache)
  and the median of the later ones (warm cache);
- slider move: a timeline window change (set through Dash, as the slider does) until the
  map has redrawn; windows of 30, 90 and 180 days and the full range, in turn;
- server time per slider move: what the server computes for that move. With the atlas
  design it is nothing when the map applies the window itself (client_window: the page
  counts its data requests to check that none was made); otherwise the map-data function
  (`dashboard.data.map_data`, in process, warm cache). For the reference design, the
  callback's own time, measured inside its server;
- server peak RSS (VmHWM of the server process).

The reference ("obvious") design rebuilds a folium map with MarkerCluster per slider move
and sends it as html.Iframe(srcDoc=...); it runs in the same session at the sizes given by
--reference, each step capped at --reference-cap seconds (Leaflet served locally for both,
so neither depends on a CDN).

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
        # MarkerCluster refuses a map without maxZoom ("Map has no maxZoom specified"), which
        # a tile layer would set; this page has no tiles (offline), so set it on the map.
        m.options["maxZoom"] = 18
        cluster = LocalCluster().add_to(m)
        for r in frame.dropna(subset=["lat", "lon"]).itertuples():
            folium.Marker([r.lat, r.lon], popup=folium.Popup(str(r.title), parse_html=True)).add_to(cluster)
        m.get_root().header.add_child(folium.Element(f'<meta name="ref-key" content="{lo}-{hi}">'))
        # folium's popups build their content with jQuery (`$(`<div>...`)[0]`), which its
        # default page loads from a CDN; OfflineMap loads no CDN, so give the page the one
        # jQuery call folium makes. Without it every popup threw and no marker was drawn.
        m.get_root().header.add_child(folium.Element(
            "<script>window.$ = function (html) { var t = document.createElement('template');"
            " t.innerHTML = String(html).trim(); return [t.content.firstElementChild]; };</script>"))
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

    timings: list[float] = []

    @app.callback(Output("ref-frame", "srcDoc"), Input("time-slider", "value"))
    def update(value: list[int]) -> str:
        t0 = time.perf_counter()
        page = build(*value)
        timings.append(time.perf_counter() - t0)
        return page

    @app.server.route("/ref-timings")
    def ref_timings() -> Any:
        return json.dumps(timings)

    app.run(host="127.0.0.1", port=port)


REF_DRAWN = """
const key = arguments[0];
const f = document.getElementById('ref-frame');
const doc = f && f.contentDocument;
const meta = doc && doc.querySelector('meta[name=ref-key]');
return !!(meta && meta.content === key && doc.querySelector('.leaflet-marker-icon'));
"""

REF_MOVE = """
const [value, key, cap, done] = arguments;
const t0 = performance.now();
window.dash_clientside.set_props('time-slider', {value: value});
(function poll() {
  const f = document.getElementById('ref-frame');
  const doc = f && f.contentDocument;
  const meta = doc && doc.querySelector('meta[name=ref-key]');
  if (meta && meta.content === key && doc.querySelector('.leaflet-marker-icon')) { done(performance.now() - t0); return; }
  if (performance.now() - t0 > cap) { done(-1); return; }
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
  setTimeout(poll, 1);
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

    from dashboard.data import date_of, load_columns, map_data

    port = free_port()
    proc = start([sys.executable, "-m", "ingest.cli.main", "serve", "--db", str(db), "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}/"
    try:
        first_loads = []
        with browser(1400, 1000) as d:
            d.set_script_timeout(130)
            for _ in range(loads):
                d.get(url)
                # Timed in the page: navigation start until the page hears the map's first
                # 'atlas:drawn' (polling from Python would add its own wait for a busy page).
                first_loads.append(wait_for(
                    d, "window.dash_clientside.atlas && window.dash_clientside.atlas.state().drawnSeq >= 1"
                       " && window.dash_clientside.atlas.state().lastDrawn.at", 300) / 1000)
                time.sleep(1.0)  # let the histogram and table finish before the next step
            lo, hi = load_columns(db).day_range()
            before = d.execute_script("return window.dash_clientside.atlas.state();")
            slider = []
            for value in windows(lo, hi, moves):
                slider.append(d.execute_async_script(ATLAS_MOVE, value) / 1000)
                time.sleep(0.3)  # the table and count catch up asynchronously; not timed
            after = d.execute_script("return window.dash_clientside.atlas.state();")
            mode = d.execute_script("return document.getElementById('map-frame').contentWindow"
                                    ".dash_clientside.atlasMap.state().mode;")
        rss = peak_rss_mb(proc.pid)
    finally:
        stop(proc)
    client_window = bool(after["clientWindow"])
    # The server's work per move, in process and warm, for the same windows: nothing when
    # the map applied the window itself (and no request was made: checked below).
    cols = load_columns(db)
    t0 = time.perf_counter()
    map_data(cols, {})
    base_request = time.perf_counter() - t0
    server = []
    for value in windows(lo, hi, moves):
        spec = {} if value == [lo, hi] else {"start": str(date_of(value[0])), "end": str(date_of(value[1]))}
        if client_window:
            server.append(0.0)
            continue
        t0 = time.perf_counter()
        map_data(cols, spec)
        server.append(time.perf_counter() - t0)
    return {"design": "atlas", "n": n, "first_load": first_loads, "slider": slider, "server": server,
            "rss_mb": rss, "mode_full_range": mode, "client_window": client_window,
            "slider_requests": after["requests"] - before["requests"], "base_request": base_request}


def measure_reference(n: int, db: Path, moves: int, cap: float) -> dict[str, Any]:
    import urllib.request

    from atlas_browser import browser, free_port

    from dashboard.data import load_columns

    port = free_port()
    proc = start([sys.executable, __file__, "--reference-server", str(db), "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}/"
    lo, hi = load_columns(db).day_range()
    slider: list[float] = []
    first = -1.0
    try:
        with browser(1400, 1000) as d:
            d.set_script_timeout(cap + 30)
            d.set_page_load_timeout(cap + 30)
            t0 = time.perf_counter()
            d.get(url)
            deadline = time.time() + cap
            while time.time() < deadline:
                if d.execute_script(REF_DRAWN, f"{lo}-{hi}"):
                    first = time.perf_counter() - t0
                    break
                time.sleep(0.02)
            if first >= 0:
                for value in windows(lo, hi, moves):
                    if value == [lo, hi]:
                        value = [lo, hi - 1]  # a change Dash will send (the full range is the start value)
                    took = d.execute_async_script(REF_MOVE, value, f"{value[0]}-{value[1]}", cap * 1000) / 1000
                    slider.append(took)
                    if took < 0:
                        break  # over the cap: the next moves would be too
        rss = peak_rss_mb(proc.pid)
        server = json.loads(urllib.request.urlopen(f"{url}ref-timings", timeout=cap).read())
    finally:
        stop(proc)
    # The first timing is the initial full-range build (the first load); the rest are moves.
    return {"design": "reference", "n": n, "first_load": [first], "slider": slider, "server": server[1:],
            "rss_mb": rss, "cap": cap}


def med(values: list[float], cap: float | None = None) -> str:
    good = [v for v in values if v >= 0]
    if not good:
        return f"> {cap:.0f} s (cap)" if cap and values else "–"
    m = statistics.median(good)
    return f"{m * 1000:.0f} ms" if m < 1 else f"{m:.2f} s"


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| N | design | first load, cold cache | first load, warm (median) | slider → redrawn (median) "
        "| slider (max) | ratio (reference ÷ atlas, median slider) | server time per slider move (median) "
        "| server peak RSS |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    atlas = {r["n"]: r for r in results if r["design"] == "atlas"}
    for r in results:
        good = [v for v in r["slider"] if v >= 0]
        worst = max(good) if good else -1
        if r["design"] == "atlas":
            how = "window applied in the browser" if r.get("client_window") else "window applied by the server"
            design = f"atlas ({r['mode_full_range']} at full range; {how})"
            server = ("none (no request: 0 of %d moves reached the server)" % len(r["slider"])
                      if r.get("client_window") and r.get("slider_requests") == 0 else med(r["server"]))
            ratio = ""
            cold, warm = r["first_load"][0], r["first_load"][1:]
        else:
            design = "reference (folium MarkerCluster rebuilt into srcDoc)"
            server = med(r["server"], r.get("cap"))
            mine = atlas.get(r["n"])
            ratio = (f"{statistics.median(good) / statistics.median(mine['slider']):.0f}×"
                     if good and mine and mine["slider"] else ("> %.0f×" % (r["cap"] / statistics.median(mine["slider"]))
                                                               if mine and r.get("cap") else "–"))
            cold, warm = r["first_load"][0], []
        lines.append(
            f"| {r['n']:,} | {design} | {med([cold], r.get('cap'))} | {med(warm) if warm else '–'} "
            f"| {med(r['slider'], r.get('cap'))} | {med([worst], r.get('cap'))} | {ratio} | {server} "
            f"| {r['rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def by_window(results: list[dict[str, Any]]) -> str:
    """Slider medians per window width, atlas against reference, with the ratio."""
    lines = ["| N | window | atlas (median) | reference | ratio |", "|---:|---|---:|---:|---:|"]
    atlas = {r["n"]: r for r in results if r["design"] == "atlas"}
    for ref in (r for r in results if r["design"] == "reference"):
        mine = atlas.get(ref["n"])
        if not mine:
            continue
        for k, width in enumerate(WINDOWS):
            ours = [v for j, v in enumerate(mine["slider"]) if j % len(WINDOWS) == k and v >= 0]
            theirs = [v for j, v in enumerate(ref["slider"]) if j % len(WINDOWS) == k]
            label = f"{width} days" if width else "full range"
            if not ours:
                continue
            if not theirs:
                lines.append(f"| {ref['n']:,} | {label} | {med(ours)} | not run (cap) | – |")
            elif theirs[0] < 0:
                lines.append(f"| {ref['n']:,} | {label} | {med(ours)} | > {ref['cap']:.0f} s (cap) | – |")
            else:
                ratio = statistics.median(theirs) / statistics.median(ours)
                lines.append(f"| {ref['n']:,} | {label} | {med(ours)} | {med(theirs)} | {ratio:.0f}× |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--reference", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--reference-cap", type=float, default=150.0,
                        help="seconds; a reference step taking longer is reported as over the cap")
    parser.add_argument("--reference-moves", type=int, default=4)
    parser.add_argument("--loads", type=int, default=4)
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
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        if n in args.reference:
            print(f"N={n:,}: reference design…", file=sys.stderr, flush=True)
            results.append(measure_reference(n, db, args.reference_moves, args.reference_cap))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    load = os.getloadavg()
    md = table(results) + "\n\n" + by_window(results) + f"\n\nLoad average when the run finished: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} (1/5/15 min)."
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dashboard.md").write_text(md + "\n", encoding="utf-8")
    (OUT / "dashboard.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
