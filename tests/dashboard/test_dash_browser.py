"""The dashboard in a real headless Chromium: what a user sees and does.

One server (a subprocess on a free 127.0.0.1 port) and one browser serve the module; each
test loads the page afresh. Needs Debian's chromium and chromium-driver.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from atlas_browser import browser, console_errors, in_map, requested_urls, serve, wait_for
from conftest import XSS_TITLE
from dashboard.data import filter_from_spec, load_columns, mask_for
from dashboard.headless import chromium_paths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_paths() is None, reason="needs chromium + chromedriver (apt-get install chromium chromium-driver)"),
]

BRIDGE = "window.dash_clientside.atlas.state()"
MAP = "window.dash_clientside.atlasMap"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def site(store_path, downloads):
    with serve(store_path) as url, browser(download_dir=str(downloads)) as driver:
        yield url, driver


def load(site) -> object:
    url, d = site
    d.switch_to.default_content()
    d.get(url)
    wait_for(d, f"window.dash_clientside.atlas && {BRIDGE}.drawnSeq >= 1", 30)
    return d


def set_props(d, component: str, props: dict) -> int:
    """Change a control as a user would, returning the map update count before it."""
    before = d.execute_script(f"return {BRIDGE}.drawnSeq;")
    d.execute_script("window.dash_clientside.set_props(arguments[0], arguments[1]);", component, props)
    return before


def wait_redrawn(d, before: int) -> dict:
    wait_for(d, f"{BRIDGE}.drawnSeq > {before}")
    return d.execute_script(f"return {BRIDGE};")


def click_first_title(d, rows: int | None = None) -> tuple[str, int]:
    """Click the first table row's title cell once the grid has settled; (title, row id).

    `rows`: wait until the grid holds that many rows (after a filter change the grid reloads
    once the map has redrawn, so until then it still shows the previous rows).
    """
    from selenium.common.exceptions import StaleElementReferenceException

    if rows is not None:
        wait_for(d, f"window.dash_ag_grid.getApi('table-grid').getDisplayedRowCount() === {rows}")
    for _ in range(5):
        wait_for(d, "(() => { const api = window.dash_ag_grid.getApi('table-grid');"
                    " const r = api.getDisplayedRowAtIndex(0); return r && r.data; })()")
        time.sleep(0.3)  # the grid purges its blocks when new map data arrives
        try:
            cell = d.find_element(By.CSS_SELECTOR, ".ag-center-cols-container .ag-row[row-index='0'] [col-id=title]")
            title = cell.text
            row_id = int(d.execute_script("return arguments[0].closest('.ag-row').getAttribute('row-id');", cell))
            cell.click()
            return title, row_id
        except StaleElementReferenceException:
            continue
    raise AssertionError("the table kept re-rendering")


def map_state(d) -> dict:
    in_map(d)
    try:
        return d.execute_script(f"return {MAP}.state();")
    finally:
        d.switch_to.default_content()


def test_page_loads_without_errors_or_outside_requests(site):
    d = load(site)
    time.sleep(0.5)
    outside = [u for u in requested_urls(d)
               if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != "127.0.0.1"]
    assert outside == []
    assert console_errors(d) == []
    state = map_state(d)
    assert state["drawn"] > 0 and state["n"] == load_columns(site_store(site)).n
    assert "incidents" in d.find_element(By.ID, "filter-count").text


def site_store(site) -> Path:
    # The store behind the server: the session fixture the module shares.
    return site_store.path  # set by the autouse fixture below


@pytest.fixture(autouse=True)
def _remember_store(store_path):
    site_store.path = store_path


def grid_row_count(d) -> int:
    return d.execute_script("const api = window.dash_ag_grid.getApi('table-grid');"
                            " return api ? api.getDisplayedRowCount() : -1;")


def test_slider_changes_the_markers_and_keeps_the_zoom(site, store_path):
    d = load(site)
    requests = d.execute_script(f"return {BRIDGE}.requests;")
    in_map(d)
    d.find_element(By.CSS_SELECTOR, ".leaflet-control-zoom-in").click()
    wait_for(d, f"{MAP}.state().zoom === 3")
    before_state = d.execute_script(f"return {MAP}.state();")
    d.switch_to.default_content()
    lo, hi = load_columns(store_path).day_range()
    before = set_props(d, "time-slider", {"value": [lo + 10, lo + 20]})
    bridge = wait_redrawn(d, before)
    after = map_state(d)
    assert after["n"] < before_state["n"]
    assert (after["points"], after["clusters"], after["areas"]) != (
        before_state["points"], before_state["clusters"], before_state["areas"])
    assert after["zoom"] == 3 and after["center"] == pytest.approx(before_state["center"])
    assert "Window: " in d.find_element(By.ID, "time-label").text
    # The map filtered the window itself: no data request went to the server.
    assert bridge["requests"] == requests and bridge["windowPosts"] >= 1
    cols = load_columns(store_path)
    from dashboard.data import date_of

    expected = int(mask_for(cols, filter_from_spec({"start": str(date_of(lo + 10)),
                                                     "end": str(date_of(lo + 20))})).sum())
    assert after["n"] == expected
    # Count line and table follow the window.
    wait_for(d, f"document.getElementById('filter-count').textContent.startsWith('{expected:,} of ')")
    wait_for(d, f"window.dash_ag_grid.getApi('table-grid').getDisplayedRowCount() === {expected}")


@pytest.mark.parametrize("first", ["filter", "slider"])
def test_a_filter_and_a_window_changed_together_show_both(site, store_path, first):
    """A slider move while new data is on its way must not be lost or applied to old data."""
    d = load(site)
    lo, _ = load_columns(store_path).day_range()
    types = "window.dash_clientside.set_props('filter-types', {value: ['Protests']});"
    window = "window.dash_clientside.set_props('time-slider', {value: [arguments[0], arguments[1]]});"
    d.execute_script(types + window if first == "filter" else window + types, lo + 20, lo + 50)
    from dashboard.data import date_of

    cols = load_columns(store_path)
    expected = int(mask_for(cols, filter_from_spec({"types": ["Protests"], "start": str(date_of(lo + 20)),
                                                     "end": str(date_of(lo + 50))})).sum())
    assert 0 < expected < cols.n
    wait_for(d, f"document.getElementById('filter-count').textContent.startsWith('{expected:,} of ')")
    time.sleep(0.5)  # nothing later may overwrite it
    assert map_state(d)["n"] == expected
    assert d.find_element(By.ID, "filter-count").text.startswith(f"{expected:,} of ")


def test_heat_map_toggle_shows_heat_and_survives_a_slider_move(site, store_path):
    d = load(site)
    in_map(d)
    assert d.find_elements(By.CSS_SELECTOR, "canvas.leaflet-heatmap-layer") == []
    toggle = next(label for label in d.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays label")
                  if "Heat map" in label.text)
    toggle.click()
    wait_for(d, f"{MAP}.state().heat")
    heat_pixels = ("(() => { const c = document.querySelector('canvas.leaflet-heatmap-layer'); if (!c) return 0;"
                   " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                   " for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n; })()")
    assert wait_for(d, heat_pixels) > 1000  # coloured heat, not an empty layer
    d.switch_to.default_content()
    lo, _ = load_columns(store_path).day_range()
    wait_redrawn(d, set_props(d, "time-slider", {"value": [lo + 30, lo + 45]}))
    in_map(d)
    try:
        assert d.execute_script(f"return {MAP}.state().heat;")
        assert wait_for(d, heat_pixels) > 0
        checked = [i.is_selected() for i in d.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays input")]
        assert checked == [True, True]  # incidents and heat map both still on
    finally:
        d.switch_to.default_content()


def test_marker_click_selects_the_table_row(site):
    d = load(site)
    wait_redrawn(d, set_props(d, "filter-text", {"value": "Week of fighting"}))
    in_map(d)
    pts = wait_for(d, f"{MAP}.drawnPoints().length === 1 && {MAP}.drawnPoints()")
    container = d.find_element(By.CSS_SELECTOR, ".folium-map")
    size = container.size
    ActionChains(d).move_to_element_with_offset(
        container, int(pts[0]["x"] - size["width"] / 2), int(pts[0]["y"] - size["height"] / 2)).click().perform()
    wait_for(d, f"{MAP}.state().popupOpen")
    title = wait_for(d, "document.querySelector('.atlas-popup-title') && document.querySelector('.atlas-popup-title').textContent")
    assert title == "Week of fighting around Idlib"
    dates = d.find_element(By.CSS_SELECTOR, ".atlas-f-date").text
    assert "2024-02-05 – 2024-02-11" in dates and "week" in dates
    d.switch_to.default_content()
    selected = wait_for(d, "document.querySelector('.ag-row-selected') && document.querySelector('.ag-row-selected').textContent")
    assert "Week of fighting around Idlib" in selected


def test_row_click_flies_to_the_incident_and_opens_its_popup(site):
    d = load(site)
    row_title, row_id = click_first_title(d)
    in_map(d)
    wait_for(d, f"{MAP}.state().popupOpen && document.querySelector('.atlas-popup-title')")
    state = d.execute_script(f"return {MAP}.state();")
    assert state["selectedRow"] == row_id
    assert state["zoom"] >= 9  # it flew in
    assert d.find_element(By.CSS_SELECTOR, ".atlas-popup-title").text == row_title
    d.switch_to.default_content()


def test_geojson_download_equals_the_filtered_set(site, store_path, downloads):
    d = load(site)
    wait_redrawn(d, set_props(d, "filter-types", {"value": ["Battles"]}))
    lo, _ = load_columns(store_path).day_range()
    bridge = wait_redrawn(d, set_props(d, "time-slider", {"value": [lo + 5, lo + 60]}))
    for old in downloads.glob("*.geojson"):
        old.unlink()
    d.find_element(By.ID, "export-geojson").click()
    deadline = time.time() + 20
    while not list(downloads.glob("incidents.geojson")) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)
    fc = json.loads((downloads / "incidents.geojson").read_text(encoding="utf-8"))
    cols = load_columns(store_path)
    from dashboard.data import date_of

    spec = {"types": ["Battles"], "start": str(date_of(lo + 5)), "end": str(date_of(lo + 60))}
    expected = set(cols.ids[mask_for(cols, filter_from_spec(spec))])
    assert {f["properties"]["id"] for f in fc["features"]} == expected
    assert len(fc["features"]) == bridge["lastDrawn"]["n"]
    assert {f["properties"]["event_type"] for f in fc["features"]} == {"Battles"}


def test_playback_advances_the_window(site):
    d = load(site)
    label = d.find_element(By.ID, "time-label")
    assert label.text.startswith("All dates")
    set_props(d, "time-speed", {"value": 8})
    d.find_element(By.ID, "time-play").click()
    first = wait_for(d, "document.getElementById('time-label').textContent.startsWith('Window') && document.getElementById('time-label').textContent")
    second = wait_for(d, f"document.getElementById('time-label').textContent !== {json.dumps(first)} && document.getElementById('time-label').textContent")
    assert second != first
    seq = d.execute_script(f"return {BRIDGE}.drawnSeq;")
    wait_for(d, f"{BRIDGE}.drawnSeq > {seq}")  # and the map follows
    d.find_element(By.ID, "time-play").click()  # pause
    assert "Play" in wait_for(d, "document.getElementById('time-play').textContent.includes('Play') && document.getElementById('time-play').textContent")


def test_script_in_a_title_stays_text(site):
    d = load(site)
    wait_redrawn(d, set_props(d, "filter-text", {"value": "Shelling"}))
    title, _ = click_first_title(d, rows=1)
    assert title == XSS_TITLE
    in_map(d)
    wait_for(d, "document.querySelector('.atlas-popup-title')")
    popup = d.find_element(By.CSS_SELECTOR, ".atlas-popup")
    assert d.find_element(By.CSS_SELECTOR, ".atlas-popup-title").text == XSS_TITLE
    assert popup.find_elements(By.TAG_NAME, "img") == [] and popup.find_elements(By.TAG_NAME, "script") == []
    assert "<script>window.__atlasXss=2</script>" in popup.find_element(By.CSS_SELECTOR, ".atlas-popup-snippet").text
    assert popup.find_elements(By.CSS_SELECTOR, ".atlas-popup-sources a") == []  # javascript: URL is no link
    time.sleep(0.3)
    assert d.execute_script("return window.__atlasXss === undefined;")
    d.switch_to.default_content()
    assert d.execute_script("return window.__atlasXss === undefined;")
    assert d.find_elements(By.CSS_SELECTOR, ".ag-row img") == []


def test_png_snapshot_has_the_requested_size_and_is_not_blank(site, store_path, tmp_path):
    from dashboard.snapshot import render_png, snapshot_html

    out = render_png(snapshot_html(store_path, filter_from_spec({"countries": ["SY"]}), title="Syria"),
                     tmp_path / "snap.png", width=640, height=420)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (640, 420)
    _, d = site
    d.switch_to.default_content()
    colours = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const img = new Image();
        img.onload = () => {
          const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
          const px = ctx.getImageData(0, 0, c.width, c.height).data, seen = new Set();
          for (let i = 0; i < px.length; i += 16) seen.add((px[i] << 16) | (px[i+1] << 8) | px[i+2]);
          done(seen.size);
        };
        img.src = 'data:image/png;base64,' + arguments[0];
    """, base64.b64encode(data).decode())
    assert colours > 50  # land, sea, borders, markers, legend text


def test_html_snapshot_opens_with_no_network(site, store_path, tmp_path):
    from dashboard.snapshot import snapshot_html

    page = tmp_path / "snap.html"
    page.write_text(snapshot_html(store_path, filter_from_spec({}), title="All incidents"), encoding="utf-8")
    _, d = site
    d.switch_to.default_content()
    requested_urls(d)  # drop earlier entries
    console_errors(d)
    d.get(page.as_uri())
    state = wait_for(d, f"{MAP} && {MAP}.state() && {MAP}.state().seq >= 1 && {MAP}.state()")
    assert state["drawn"] > 0
    assert d.find_element(By.CSS_SELECTOR, ".atlas-title-main").text == "All incidents"
    assert d.find_elements(By.CSS_SELECTOR, ".leaflet-control-scale")
    assert d.find_elements(By.CSS_SELECTOR, ".atlas-legend")
    time.sleep(0.3)
    schemes = {urlparse(u).scheme for u in requested_urls(d)}
    assert schemes <= {"file", "data", "blob", "about", "chrome"}, schemes
    assert console_errors(d) == []


def test_above_the_point_limit_the_server_applies_the_window_and_sends_a_grid(store_path):
    """The large-store path (above POINT_LIMIT, as at a million incidents), with a small store."""
    with serve(store_path, config={"ATLAS_POINT_LIMIT": 50}) as url, browser() as d:
        d.get(url)
        wait_for(d, f"window.dash_clientside.atlas && {BRIDGE}.drawnSeq >= 1", 30)
        state = map_state(d)
        assert state["mode"] == "grid" and not state["clientWindow"] and state["cells"] + state["clusters"] > 0
        in_map(d)
        assert "aggregated into" in d.find_element(By.CSS_SELECTOR, ".atlas-status").text
        d.switch_to.default_content()
        requests = d.execute_script(f"return {BRIDGE}.requests;")
        lo, _ = load_columns(store_path).day_range()
        wait_redrawn(d, set_props(d, "time-slider", {"value": [lo + 10, lo + 14]}))
        assert d.execute_script(f"return {BRIDGE}.requests;") == requests + 1  # the server applied it
        from dashboard.data import date_of

        cols = load_columns(store_path)
        expected = int(mask_for(cols, filter_from_spec({"start": str(date_of(lo + 10)),
                                                         "end": str(date_of(lo + 14))})).sum())
        assert 0 < expected <= 50
        state = map_state(d)
        assert state["mode"] == "points" and state["n"] == expected
