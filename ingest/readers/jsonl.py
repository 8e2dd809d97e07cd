"""JSON Lines (.jsonl): one article per line.

Each line is an object with `text` (required) and optionally `title`, `published` (or
`date`), `url`, `source`. Blank lines are skipped. A bad line becomes a ReadError naming
`path:LINE` (1-based) and the other lines still come out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import decode, read_file
from ._options import ReadOptions, build_article


def read_jsonl(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Yield one Article (or ReadError) per non-blank line."""
    text, warnings = decode(read_file(path, where, opts.max_bytes), where)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{where}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReadError(origin, f"malformed JSON ({err.msg} at column {err.colno})")
            continue
        try:
            yield record_article(record, origin, opts, warnings)
        except ReadError as err:
            yield err


def record_article(record: Any, origin: str, opts: ReadOptions, warnings: tuple[str, ...] = ()) -> Article:
    """An Article from one JSON/CSV record; shared so both formats check `text` alike.

    Raises
    ------
    ReadError
        The record is not an object or its `text` is missing, not a string or blank.
    """
    if not isinstance(record, dict):
        raise ReadError(origin, f"expected a JSON object with a 'text' field, got {_kind(record)}")
    text = record.get("text")
    if text is None:
        raise ReadError(origin, "no 'text' field")
    if not isinstance(text, str):
        raise ReadError(origin, f"'text' must be a string, got {_kind(text)}")
    if not text.strip():
        raise ReadError(origin, "'text' is empty")
    published = record.get("published")
    if published in (None, ""):
        published = record.get("date")
    return build_article(
        opts,
        text=text,
        origin=origin,
        title=record.get("title"),
        url=record.get("url"),
        source=record.get("source"),
        published=published,
        warnings=warnings,
    )


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
