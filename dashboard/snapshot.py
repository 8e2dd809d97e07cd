"""Snapshots of the map: one self-contained HTML file, or a PNG rendered in headless Chromium.

The HTML is the same Folium page the dashboard serves, with the data, the popup details
and the country outlines passed inline and every script, style sheet and image inlined,
so it opens from a USB stick with no network. The PNG is that file photographed at an
exact viewport size. Both carry a title, the date range, the legend, a scale bar and the
attribution.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from dashboard import vendor
from dashboard.data import load_columns, map_payload, mask_for
from dashboard.map_builder import MapView, render_map
from geodata.filters import IncidentFilter
from geodata.store import IncidentStore

# Popup details ride inside the file; past this many incidents the file would grow by tens
# of megabytes, so popups then show only what the map itself knows.
DETAILS_LIMIT = 20_000
DETAIL_COLUMNS = ("id", "title", "date_start", "date_end", "date_precision", "event_type", "sub_event_type",
                  "fatalities", "place", "admin1", "country", "geo_precision", "snippet", "url", "source",
                  "published", "n_sources")

_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def _details(db_path: str, cols: Any, flt: IncidentFilter) -> dict[str, dict[str, Any]] | None:
    with IncidentStore(db_path, create=False) as store:
        frame = store.incidents_frame(flt)
    frame = frame[frame["lat"].notna() & frame["lon"].notna()]
    if len(frame) > DETAILS_LIMIT:
        return None
    row_of = cols.row_of
    out: dict[str, dict[str, Any]] = {}
    for rec in frame[list(DETAIL_COLUMNS)].astype(object).where(frame[list(DETAIL_COLUMNS)].notna(), None).to_dict("records"):
        row = row_of.get(rec["id"])
        if row is not None:
            out[str(row)] = rec
    return out


def _subtitle(flt: IncidentFilter, payload: dict[str, Any], cols: Any) -> str:
    from dashboard.data import date_of

    if flt.start or flt.end:
        span = f"{flt.start or '…'} – {flt.end or '…'}"
    else:
        lo, hi = cols.day_range()
        span = f"{date_of(lo)} – {date_of(hi)}" if lo is not None else "undated"
    return f"{span} · {payload['n']:,} incidents"


def inline_assets(html: str) -> str:
    """Replace local <script src> and <link href> with the files' contents.

    Raises
    ------
    vendor.VendorMissing
        When a referenced file is not installed.
    """

    def script(match: re.Match[str]) -> str:
        path = vendor.file_for_url(match.group(1))
        if path is None or not path.is_file():
            raise vendor.VendorMissing(f"{match.group(1)} is not installed; run `make setup` (npm ci)")
        code = path.read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def link(match: re.Match[str]) -> str:
        path = vendor.file_for_url(match.group(1))
        if path is None or not path.is_file():
            raise vendor.VendorMissing(f"{match.group(1)} is not installed; run `make setup` (npm ci)")
        css = path.read_text(encoding="utf-8")

        def data_uri(m: re.Match[str]) -> str:
            ref = m.group(2)
            if ref.startswith(("data:", "#")):
                return m.group(0)
            target = (path.parent / ref.split("?")[0]).resolve()
            if not target.is_file():
                return "url()"  # a missing decoration image, rather than a request
            mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return f"url(data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"

        return "<style>" + _CSS_URL.sub(data_uri, css).replace("</style", "<\\/style") + "</style>"

    return _LINK.sub(link, _SCRIPT.sub(script, html))


def snapshot_html(db_path: str | Path, flt: IncidentFilter | None = None, *, title: str = "Incident Atlas",
                  tiles: str = "offline") -> str:
    """A self-contained HTML map of the incidents passing `flt`."""
    vendor.check()
    db_path = str(db_path)
    flt = flt or IncidentFilter()
    cols = load_columns(db_path)
    mask = mask_for(cols, flt)
    window = [str(flt.start) if flt.start else None, str(flt.end) if flt.end else None] if (flt.start or flt.end) else None
    payload = map_payload(cols, mask, window=window)
    topo_path = vendor.package_file(vendor.BASEMAP.package, vendor.BASEMAP.path)
    view = MapView(
        embedded=False, details_url=None, payload=payload, details=_details(db_path, cols, flt),
        basemap_data=json.loads(topo_path.read_text(encoding="utf-8")), title=title,
        subtitle=_subtitle(flt, payload, cols), tiles=tiles, fit=True,
    )
    return inline_assets(render_map(view))


def render_png(html: str, out: Path, *, width: int, height: int, timeout: float = 60.0) -> Path:
    """Photograph a snapshot page at exactly `width` x `height` CSS pixels.

    Raises
    ------
    dashboard.headless.ChromiumMissing
        With what to install, when there is no Chromium/chromedriver.
    """
    from dashboard.headless import chrome

    with tempfile.TemporaryDirectory(prefix="atlas-snap-") as tmp:
        page = Path(tmp) / "snapshot.html"
        page.write_text(html, encoding="utf-8")
        with chrome(width, height) as driver:
            # An exact viewport, whatever the window decorations of this Chromium build.
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            driver.get(page.as_uri())
            deadline = time.time() + timeout
            while time.time() < deadline:
                ready = driver.execute_script(
                    "var a = window.dash_clientside && window.dash_clientside.atlasMap;"
                    "return !!(a && a.state() && a.state().seq >= 1);")
                if ready:
                    break
                time.sleep(0.1)
            else:
                raise TimeoutError("the snapshot map did not finish drawing")
            time.sleep(0.3)  # let the fitBounds move settle and the canvas repaint
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    out.write_bytes(base64.b64decode(shot["data"]))
    return out
