"""Every setting in one table: name, default and help. Environment variables use one prefix.

`tests/geodata/test_settings.py` checks that each setting is documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "INCIDENT_ATLAS_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "incident-atlas")


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("db", "incidents.db", "SQLite incident store (path). --db overrides it."),
        Setting("cache_dir", _default_cache(), "Where the built gazetteer and geocoder caches live."),
        Setting("gazetteer", "", "Gazetteer SQLite file; empty means <cache_dir>/gazetteer.sqlite."),
        Setting("geocoder", "offline", "offline (built-in gazetteer) or nominatim (online, opt-in)."),
        Setting("nominatim_url", "", "Nominatim base URL for --geocoder nominatim; empty uses geopy's default."),
        Setting("user_agent", "incident-atlas", "User agent sent to online geocoders."),
        Setting("max_bytes", str(20 * 1024 * 1024), "Largest input file or download, in bytes."),
        Setting("url_timeout", "15", "Seconds before a URL fetch gives up."),
        Setting("workers", "0", "Ingest worker processes; 0 means one per CPU core."),
        Setting("auth", "", "user:password (or a token) required when serving beyond 127.0.0.1."),
        Setting("auth_file", "", "File holding the credentials, instead of INCIDENT_ATLAS_AUTH."),
        Setting("tiles", "offline", "Base map: offline (country outlines) or osm (online tiles)."),
    )
}


def get(name: str) -> str:
    """The value of a setting: its environment variable, else its default."""
    setting = SETTINGS[name]
    return os.environ.get(setting.env, setting.default)


def cache_dir() -> Path:
    return Path(get("cache_dir")).expanduser()


def gazetteer_path() -> Path:
    explicit = get("gazetteer")
    return Path(explicit).expanduser() if explicit else cache_dir() / "gazetteer.sqlite"


def db_path(cli_value: str | None = None) -> Path:
    return Path(cli_value or get("db")).expanduser()
