"""Options shared by every reader, and the one place where an `Article` is assembled.

Building every `Article` here keeps the override rule (the caller's `published` and
`source` beat the metadata) and the date rule (an unparseable date is a warning, never a
guess) identical across formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from geodata import settings
from geodata.errors import ConfigError
from geodata.model import Article

from ._dates import parse_published


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the caller asked for, with the settings' defaults filled in.

    Parameters
    ----------
    published, source
        Overrides for every article read; None keeps each article's own metadata.
    max_bytes
        Largest file, stdin or download accepted, in bytes.
    timeout
        Seconds before a URL fetch gives up (connect, and the whole download).
    """

    published: date | None
    source: str | None
    max_bytes: int
    timeout: float

    @classmethod
    def resolve(
        cls,
        *,
        published: date | None = None,
        source: str | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,
    ) -> ReadOptions:
        """Fill in defaults from `geodata.settings`; raise ConfigError on bad values."""
        if max_bytes is None:
            max_bytes = _setting_number("max_bytes", int)
        if timeout is None:
            timeout = _setting_number("url_timeout", float)
        if max_bytes <= 0:
            raise ConfigError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
        if timeout <= 0:
            raise ConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
        return cls(published=published, source=source or None, max_bytes=int(max_bytes), timeout=float(timeout))


def _setting_number(name: str, kind: type) -> Any:
    raw = settings.get(name)
    try:
        return kind(raw)
    except ValueError:
        env = settings.SETTINGS[name].env
        raise ConfigError(f"{env}={raw!r} is not a number; unset it or give a number") from None


def clean_field(value: Any) -> str:
    """A metadata value as one line of text: YAML and JSON may give numbers or None."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def build_article(
    opts: ReadOptions,
    *,
    text: str,
    origin: str,
    title: Any = "",
    url: Any = "",
    source: Any = "",
    published: Any = None,
    warnings: tuple[str, ...] | list[str] = (),
) -> Article:
    """Assemble an Article, applying the overrides and the date rule.

    `published` is the raw metadata value (str, date, datetime or None). When the caller
    gave `opts.published`, the metadata date is not even parsed, so a bad date that is
    overridden does not produce a warning.
    """
    notes = list(warnings)
    if opts.published is not None:
        day = opts.published
    else:
        day, warning = parse_published(published, origin)
        if warning:
            notes.append(warning)
    return Article(
        text=text.strip(),
        title=clean_field(title),
        url=clean_field(url),
        source=opts.source if opts.source is not None else clean_field(source),
        published=day,
        origin=origin,
        warnings=tuple(notes),
    )
