"""RSS and Atom feeds (.xml, .rss, .atom files, or a URL serving a feed) via feedparser.

Each entry becomes one Article: its content (else its summary) with HTML tags stripped to
plain text, its title, link and published date (else its updated date); the feed's own
title is the source. Origins read `feed.xml:entry 3` (1-based, in feed order).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import feedparser

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import read_file
from ._dates import parse_date
from ._htmltext import html_to_text
from ._options import ReadOptions, build_article


def read_feed(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Read a feed file."""
    yield from feed_articles(read_file(path, where, opts.max_bytes), where, opts)


def feed_articles(
    data: bytes, where: str, opts: ReadOptions, *, content_type: str = ""
) -> Iterator[Article | ReadError]:
    """Yield one Article (or ReadError) per entry of a feed given as bytes.

    Bytes, never str: given a str, feedparser would take it for a URL or a file name.

    Raises
    ------
    ReadError
        Not a feed, or a feed with no entries.
    """
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        if not parsed.version:
            problem = parsed.get("bozo_exception")
            detail = f" ({' '.join(str(problem).split())})" if problem else ""
            raise ReadError(where, f"not a readable RSS or Atom feed{detail}")
        raise ReadError(where, "feed has no entries")
    source = parsed.feed.get("title", "")
    for number, entry in enumerate(parsed.entries, start=1):
        origin = f"{where}:entry {number}"
        text = _entry_text(entry)
        if not text:
            yield ReadError(origin, "entry has no content or summary")
            continue
        yield build_article(
            opts,
            text=text,
            origin=origin,
            title=_plain(entry.get("title_detail"), entry.get("title", "")),
            url=entry.get("link", ""),
            source=source,
            published=_entry_date(entry),
        )


def _entry_text(entry: Any) -> str:
    """The longest content block, else the summary, as plain text."""
    blocks = [(c.get("value", ""), c.get("type", "")) for c in entry.get("content", [])]
    if blocks:
        value, kind = max(blocks, key=lambda block: len(block[0]))
        text = _plain({"type": kind}, value)
        if text:
            return text
    return _plain(entry.get("summary_detail"), entry.get("summary", ""))


def _plain(detail: Any, value: str) -> str:
    """Strip tags only from HTML; a text/plain value keeps its angle brackets."""
    kind = (detail or {}).get("type", "text/html")
    if "html" in kind:
        return html_to_text(value)
    return value.strip()


def _entry_date(entry: Any) -> str | date | None:
    """The entry's own date string, parsed by our rules; feedparser's parse as a backstop.

    The raw string is preferred because feedparser converts to UTC, which can move an
    evening story in UTC-5 to the next day.
    """
    for key in ("published", "updated"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except ValueError:
            parsed = entry.get(f"{key}_parsed")
            # feedparser knows more legacy feed date formats than we do
            return date(*parsed[:3]) if parsed else raw
    return None
