"""Browser libraries the map needs, served from the repo's node_modules (never a CDN).

The libraries are declared and pinned in the repo's package.json/package-lock.json and
fetched once at set-up with ``npm ci``. This module is the one place that knows which file
of which package the map loads, so the live map (served under ``/vendor/``), the
self-contained HTML snapshot (files inlined) and the tests all agree.

``python -m dashboard.vendor`` checks that every file is present and prints the list;
it exits 1 with the fix ("run make setup / npm ci") when something is missing.

Examples
--------
>>> url_for("leaflet", "dist/leaflet.js", base="/")
'/vendor/leaflet/dist/leaflet.js'
>>> file_for_url("/vendor/leaflet/dist/leaflet.js").name
'leaflet.js'
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import AtlasError

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO_ROOT / "node_modules"
ASSETS_DIR = REPO_ROOT / "assets"
VENDOR_PREFIX = "vendor/"


class VendorMissing(AtlasError, FileNotFoundError):
    """node_modules (Leaflet and plugins) has not been installed."""


@dataclass(frozen=True)
class Asset:
    """One file of one npm package, loaded by the map page."""

    package: str
    path: str
    kind: str  # "js", "css" or "data"


# Load order matters for scripts: Leaflet first, then the plugins that extend `L`.
MAP_JS: tuple[Asset, ...] = (
    Asset("leaflet", "dist/leaflet.js", "js"),
    Asset("leaflet.fullscreen", "dist/Control.FullScreen.umd.js", "js"),
    Asset("leaflet.heat", "dist/leaflet-heat.js", "js"),
    Asset("supercluster", "dist/supercluster.min.js", "js"),
    Asset("topojson-client", "dist/topojson-client.min.js", "js"),
)
MAP_CSS: tuple[Asset, ...] = (
    Asset("leaflet", "dist/leaflet.css", "css"),
    Asset("leaflet.fullscreen", "dist/Control.FullScreen.css", "css"),
)
# 1:50m country outlines: detailed enough at region zoom, small enough (~750 kB) to load fast.
BASEMAP = Asset("world-atlas", "countries-50m.json", "data")
# Only the benchmark's reference design (folium's MarkerCluster, one DOM marker each) uses these.
REFERENCE_ASSETS: tuple[Asset, ...] = (
    Asset("leaflet.markercluster", "dist/leaflet.markercluster.js", "js"),
    Asset("leaflet.markercluster", "dist/MarkerCluster.css", "css"),
    Asset("leaflet.markercluster", "dist/MarkerCluster.Default.css", "css"),
)
ALL_ASSETS: tuple[Asset, ...] = MAP_JS + MAP_CSS + (BASEMAP,) + REFERENCE_ASSETS
ALLOWED_PACKAGES = frozenset(a.package for a in ALL_ASSETS)


def url_for(package: str, path: str, *, base: str = "/") -> str:
    """The URL the Dash server serves one package file under."""
    return f"{base.rstrip('/')}/{VENDOR_PREFIX}{package}/{path}"


def asset_url(asset: Asset, *, base: str = "/") -> str:
    return url_for(asset.package, asset.path, base=base)


def package_file(package: str, path: str, *, root: Path | None = None) -> Path:
    """The file on disk for one allowed package file; refuses anything outside the package.

    Raises
    ------
    FileNotFoundError
        For packages not on the allow-list or paths escaping the package folder.
    """
    if package not in ALLOWED_PACKAGES:
        raise FileNotFoundError(f"{package!r} is not a map library")
    folder = ((root or NODE_MODULES) / package).resolve()
    target = (folder / path).resolve()
    if folder not in target.parents:
        raise FileNotFoundError(f"{path!r} is outside {package}")
    return target


def file_for_url(url: str, *, root: Path | None = None) -> Path | None:
    """The local file behind a `/vendor/...` or `/assets/...` URL (query string ignored)."""
    path = url.split("?", 1)[0].lstrip("/")
    # Accept a deployment prefix in front of the known roots ("/atlas/vendor/...").
    for marker, kind in ((VENDOR_PREFIX, "vendor"), ("assets/", "assets")):
        if marker in path:
            rest = path.split(marker, 1)[1]
            if kind == "vendor":
                package, _, file_path = rest.partition("/")
                if package.startswith("@"):  # scoped names hold one more slash
                    scope_rest, _, file_path = file_path.partition("/")
                    package = f"{package}/{scope_rest}"
                try:
                    return package_file(package, file_path, root=root)
                except FileNotFoundError:
                    return None
            target = (ASSETS_DIR / rest).resolve()
            return target if ASSETS_DIR.resolve() in target.parents else None
    return None


def versions(root: Path | None = None) -> dict[str, str]:
    """Installed version of each map package, read from its package.json."""
    out: dict[str, str] = {}
    for package in sorted(ALLOWED_PACKAGES):
        meta = (root or NODE_MODULES) / package / "package.json"
        try:
            out[package] = json.loads(meta.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            out[package] = "missing"
    return out


def missing(root: Path | None = None) -> list[str]:
    """Map files that are not installed, as 'package/path' strings."""
    return [
        f"{a.package}/{a.path}"
        for a in ALL_ASSETS
        if not package_file(a.package, a.path, root=root).is_file()
    ]


def check(root: Path | None = None) -> None:
    """Raise `VendorMissing` with the fix when the map's JavaScript is not installed."""
    gone = missing(root)
    if gone:
        raise VendorMissing(
            f"the map's JavaScript libraries are not installed ({', '.join(gone[:3])}"
            f"{' ...' if len(gone) > 3 else ''} missing under {(root or NODE_MODULES)}). "
            "Run `make setup` (or `npm ci --no-audit --no-fund` in the repository root)."
        )


def main() -> int:
    """Check the installed map libraries and list them (used by `make setup`)."""
    try:
        check()
    except VendorMissing as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for package, version in versions().items():
        print(f"{package} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
