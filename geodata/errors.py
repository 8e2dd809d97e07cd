"""One root exception for the project.

Each subclass also inherits the built-in it resembles, so callers can catch either
(`except LookupError` works for a missing place). Messages name the bad value and the fix.
"""

from __future__ import annotations


class AtlasError(Exception):
    """Root of every error Incident Atlas raises on purpose."""


class ConfigError(AtlasError, ValueError):
    """A setting, option or environment variable has a bad value."""


class GazetteerMissing(AtlasError, FileNotFoundError):
    """The gazetteer database has not been built yet."""


class GazetteerBuildError(AtlasError, RuntimeError):
    """Building the gazetteer failed (for example a data package is missing)."""


class PlaceNotFound(AtlasError, LookupError):
    """No gazetteer record matches a name."""


class ReadError(AtlasError, ValueError):
    """An input could not be read. `where` names the file/URL and line or row."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class StoreError(AtlasError, RuntimeError):
    """The incident store failed; wraps sqlite3 errors with the database path."""


class GeocoderError(AtlasError, RuntimeError):
    """A geocoder service failed (timeout, HTTP error, bad answer)."""
