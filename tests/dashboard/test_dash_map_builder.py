"""The map page as HTML: local scripts only, escaped text, self-contained snapshots."""

from __future__ import annotations

import re

import pytest

from dashboard import vendor
from dashboard.map_builder import MapView, build_map, render_map, safe_json
from dashboard.snapshot import inline_assets, snapshot_html
from geodata.filters import IncidentFilter

from conftest import XSS_TITLE

SRC = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


def test_build_map_returns_a_folium_map():
    import folium

    assert isinstance(build_map(MapView()), folium.Map)


def test_page_loads_every_script_and_style_from_the_dashboard_server():
    html = render_map(MapView())
    refs = SRC.findall(html)
    assert refs, "no scripts at all"
    assert all(r.startswith(("/vendor/", "/assets/map/")) for r in refs), refs
    assert "cdn" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # Leaflet core, the plugins, and the atlas runtime, in that order.
    names = [r.split("?")[0].rsplit("/", 1)[1] for r in refs if r.endswith(".js") or ".js?" in r]
    assert names[0] == "leaflet.js" and names[-1] == "atlas_map.js"
    assert {"supercluster.min.js", "leaflet-heat.js", "topojson-client.min.js", "Control.FullScreen.umd.js"} <= set(names)


def test_every_referenced_file_is_installed():
    for ref in SRC.findall(render_map(MapView())):
        path = vendor.file_for_url(ref)
        assert path is not None and path.is_file(), ref


def test_base_prefix_is_applied_to_local_urls():
    refs = SRC.findall(render_map(MapView(base="/atlas/")))
    assert all(r.startswith("/atlas/") for r in refs)


def test_osm_tiles_are_opt_in():
    assert '"tiles": "offline"' in render_map(MapView())
    assert '"tiles": "osm"' in render_map(MapView(tiles="osm"))
    with pytest.raises(ValueError, match="offline"):
        build_map(MapView(tiles="satellite"))


def test_text_in_options_cannot_close_the_script():
    html = render_map(MapView(title=XSS_TITLE, details={"0": {"title": "</script><script>alert(1)</script>"}}))
    assert "<img src=x" not in html
    assert "</script><script>alert(1)" not in html
    assert "\\u003cimg src=x" in html  # still there, as JSON escapes
    assert "&lt;img src=x" in html  # the <title> is escaped too


def test_safe_json_escapes_html_and_line_separators():
    assert safe_json("<&>\u2028") == '"\\u003c\\u0026\\u003e\\u2028"'


def test_vendor_paths_cannot_escape_the_package():
    assert vendor.file_for_url("/vendor/leaflet/../../pyproject.toml") is None
    assert vendor.file_for_url("/vendor/not-a-map-lib/index.js") is None


def test_missing_node_modules_says_how_to_fix(tmp_path):
    with pytest.raises(vendor.VendorMissing, match="npm ci"):
        vendor.check(root=tmp_path)


def test_snapshot_html_is_self_contained(store_path):
    html = snapshot_html(store_path, IncidentFilter(countries=("SY",)), title="Syria <i>test</i>")
    assert not SRC.findall(html), "a script or style sheet is still loaded from a URL"
    assert "L.Map" in html or "L.map" in html  # Leaflet itself is inlined
    assert '"basemapData"' in html and '"payload"' in html
    assert "Syria \\u003ci\\u003etest" in html
    assert "<i>test</i>" not in html


def test_inline_assets_turns_css_images_into_data_uris():
    html = inline_assets('<link rel="stylesheet" href="/vendor/leaflet/dist/leaflet.css"/>')
    assert html.startswith("<style>") and "images/layers.png" not in html
    assert "data:image/png;base64," in html
