"""CSV (.csv): one article per row, with a required header row.

Columns used: `text` (required), `title`, `published` (or `date`), `url`, `source`;
header names are matched case-insensitively and other columns are ignored. Rows are
numbered as in a spreadsheet: the header is row 1, the first article row 2 (a quoted
field spanning several lines is still one row). A bad row becomes a ReadError naming
`path:row N`; the other rows still come out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import decode, read_file
from ._options import ReadOptions
from .jsonl import record_article


def read_csv(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Yield one Article (or ReadError) per data row.

    Raises
    ------
    ReadError
        The header has no `text` column (the header row is required).
    """
    text, warnings = decode(read_file(path, where, opts.max_bytes), where)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(rows)]
    except (StopIteration, csv.Error) as err:
        raise ReadError(where, f"no readable CSV header ({err or 'no rows'})") from err
    if "text" not in header:
        found = ", ".join(repr(h) for h in header[:8])
        raise ReadError(where, f"CSV header row must name a 'text' column (found {found})")
    number = 1
    while True:
        number += 1
        origin = f"{where}:row {number}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as err:
            # The csv module cannot resynchronise reliably after a broken field, so stop
            # here rather than yield rows that may be misaligned.
            yield ReadError(origin, f"malformed CSV ({err}); the rest of the file was not read")
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield ReadError(origin, f"has {len(row)} fields but the header has {len(header)}")
            continue
        try:
            yield record_article(dict(zip(header, row)), origin, opts, warnings)
        except ReadError as err:
            yield err
