"""Build the incident map as a Folium map, from a pure description of the view.

`build_map(view)` returns a `folium.Map` whose page loads Leaflet and its plugins from the
dashboard server (``/vendor/...``, files from the repo's node_modules) and the atlas
runtime from ``/assets/map/``; it never names a CDN. The dashboard renders it once per
page load at ``/map`` (inside an iframe) and then only sends data into it, so filtering
never reloads the map. Snapshots pass the data inline (`MapView.payload`) and inline every
script with `dashboard.snapshot`.

Examples
--------
>>> html = build_map(MapView()).get_root().render()
>>> "cdn" in html.lower()
False
>>> "/vendor/leaflet/dist/leaflet.js" in html
True
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard import vendor

MAP_SCRIPT = "map/atlas_map.js"
MAP_STYLE = "map/atlas_map.css"


def _asset_version(name: str) -> str:
    # Cache-busting query so a changed runtime reaches browsers that cached the old one.
    try:
        return str(int((vendor.ASSETS_DIR / name).stat().st_mtime))
    except OSError:
        return "0"


def safe_json(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element.

    ``<``, ``>`` and ``&`` become \\u escapes, so text such as ``</script><img onerror=...>``
    in an article title cannot close the script block; U+2028/9 are escaped for old parsers.

    Examples
    --------
    >>> safe_json({"t": "</script>"})
    '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class MapView:
    """Everything the map page depends on. Frozen: the same view gives the same page.

    Parameters
    ----------
    base : str
        URL prefix the dashboard is served under ("/" normally).
    tiles : str
        "offline" (country outlines from world-atlas, no outside request) or "osm".
    embedded : bool
        True inside the dashboard's iframe: data arrives by postMessage and marker clicks
        are posted back to the Dash page.
    details_url : str or None
        Where a popup fetches one incident's details (``<url><row>?v=<version>``).
    payload : dict or None
        Inline map data (the same packed columns the dashboard sends), for snapshots.
    details : dict or None
        Inline popup details keyed by row, for snapshots.
    basemap_data : dict or None
        Inline TopoJSON, for snapshots; otherwise the page fetches it from ``/vendor``.
    title, subtitle : str
        Shown in a box at the top left (snapshots); plain text, never HTML.
    center, zoom : initial view before the data's bounds are known.
    fit : bool
        Fit the first data's bounds once (the user's zoom is kept afterwards).
    """

    base: str = "/"
    tiles: str = "offline"
    embedded: bool = True
    details_url: str | None = "api/incident/"
    payload: dict[str, Any] | None = None
    details: dict[str, Any] | None = None
    basemap_data: dict[str, Any] | None = None
    title: str = ""
    subtitle: str = ""
    center: tuple[float, float] = (20.0, 10.0)
    zoom: int = 2
    fit: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base.rstrip('/')}/{path.lstrip('/')}"


class OfflineMap(folium.Map):
    """A folium.Map whose page loads Leaflet from the dashboard server instead of a CDN.

    folium's default head also pulls jQuery, Bootstrap and Font Awesome from CDNs; the atlas
    needs none of them, so the lists are replaced rather than edited.
    """

    def __init__(self, *args: Any, base: str = "/", **kwargs: Any) -> None:
        # Instance attributes: JSCSSMixin.render reads self.default_js / self.default_css.
        self.default_js = [(f"{a.package}:{a.path}", vendor.asset_url(a, base=base)) for a in vendor.MAP_JS[:1]]
        self.default_css = [(f"{a.package}:{a.path}", vendor.asset_url(a, base=base)) for a in vendor.MAP_CSS[:1]]
        super().__init__(*args, **kwargs)


class FullscreenControl(JSCSSMixin):
    """leaflet.fullscreen 5 (brunob), which exposes only the `L.Control.FullScreen` class."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            new L.Control.FullScreen({{ this.options_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, base: str = "/") -> None:
        super().__init__()
        self._name = "FullscreenControl"
        self.options_json = safe_json({"position": "topleft", "title": "Full screen", "titleCancel": "Exit full screen"})
        self.default_js = [("leaflet.fullscreen", vendor.asset_url(vendor.MAP_JS[1], base=base))]
        self.default_css = [("leaflet.fullscreen_css", vendor.asset_url(vendor.MAP_CSS[1], base=base))]


class AtlasLayer(JSCSSMixin):
    """The incident layer, legend, heat map and layer control (assets/map/atlas_map.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.dash_clientside.atlasMap.init({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(self, view: MapView) -> None:
        super().__init__()
        self._name = "AtlasLayer"
        base = view.base
        self.default_js = [(f"{a.package}", vendor.asset_url(a, base=base)) for a in vendor.MAP_JS[2:]] + [
            ("atlas_map", view.url(f"assets/{MAP_SCRIPT}?v={_asset_version(MAP_SCRIPT)}"))
        ]
        self.default_css = [("atlas_map_css", view.url(f"assets/{MAP_STYLE}?v={_asset_version(MAP_STYLE)}"))]
        options: dict[str, Any] = {
            "embedded": view.embedded,
            "tiles": view.tiles,
            "detailsUrl": view.url(view.details_url) if view.details_url else None,
            "title": view.title,
            "subtitle": view.subtitle,
            "fit": view.fit,
            **view.extra,
        }
        if view.basemap_data is not None:
            options["basemapData"] = view.basemap_data
        else:
            options["basemapUrl"] = vendor.asset_url(vendor.BASEMAP, base=base)
        if view.payload is not None:
            options["payload"] = view.payload
        if view.details is not None:
            options["details"] = view.details
        self.options_json = safe_json(options)


def build_map(view: MapView) -> folium.Map:
    """The Folium map for one view: offline base layer, incident layer, controls.

    Pure: it reads no data store and touches no file but the asset mtimes used for
    cache busting. The incidents arrive later (postMessage) or ride in `view.payload`.

    Examples
    --------
    >>> m = build_map(MapView(title="<b>Syria</b>", embedded=False))
    >>> html = m.get_root().render()
    >>> "<b>Syria</b>" in html
    False
    """
    if view.tiles not in ("offline", "osm"):
        raise ValueError(f"tiles {view.tiles!r} is not 'offline' or 'osm' (INCIDENT_ATLAS_TILES)")
    m = OfflineMap(
        location=list(view.center),
        zoom_start=view.zoom,
        tiles=None,  # the atlas runtime adds the offline outlines (or opt-in OSM tiles)
        control_scale=True,
        prefer_canvas=True,
        world_copy_jump=False,
        min_zoom=1,
        max_bounds=False,
        base=view.base,
    )
    FullscreenControl(base=view.base).add_to(m)
    AtlasLayer(view).add_to(m)
    m.get_root().header.add_child(
        folium.Element('<meta name="referrer" content="no-referrer">'), name="atlas_referrer"
    )
    # branca writes the <title> unescaped.
    m.get_root().title = html.escape(view.title or "Incident Atlas map")
    return m


def render_map(view: MapView) -> str:
    """The map page as HTML text."""
    return build_map(view).get_root().render()
