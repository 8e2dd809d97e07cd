"""Markdown (.md, .markdown) with optional YAML front matter.

Front matter keys used: `title`, `published` (or `date`), `url`, `source`; others are
ignored. Without a `title`, the first line is used by the plain-text title rule after
dropping a leading `#` heading marker. The body is kept as written (Markdown is not
rendered), so the text offsets the geoparser reports match the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import frontmatter

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import decode, read_file
from ._options import ReadOptions, build_article
from .text import split_headline


def read_markdown(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Read a Markdown file as one article.

    Raises
    ------
    ReadError
        Bad front matter (not YAML, or not a mapping) or no text after it.
    """
    text, warnings = decode(read_file(path, where, opts.max_bytes), where)
    try:
        post = frontmatter.loads(text)
    except Exception as err:  # yaml raises many types; any of them means bad front matter
        reason = " ".join(str(err).split())
        raise ReadError(where, f"front matter is not valid YAML ({reason})") from err
    meta = post.metadata
    if not isinstance(meta, dict):
        raise ReadError(where, "front matter must be a mapping of keys such as title and published")
    body = post.content.strip()
    title = meta.get("title")
    if not title:
        title, rest = split_headline(_drop_heading_marker(body))
        if title:
            body = rest
    if not body:
        raise ReadError(where, "no article text after the front matter")
    yield build_article(
        opts,
        text=body,
        origin=where,
        title=title,
        url=meta.get("url", ""),
        source=meta.get("source", ""),
        published=meta.get("published", meta.get("date")),
        warnings=warnings,
    )


def _drop_heading_marker(body: str) -> str:
    """'# Title' on the first line -> 'Title', so the headline rule can take it."""
    first, sep, rest = body.partition("\n")
    if first.startswith("#"):
        first = first.lstrip("#").strip()
    return first + sep + rest
