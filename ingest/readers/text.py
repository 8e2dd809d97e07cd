"""Plain text (.txt and stdin): the whole file is one article.

Title rule: the first non-blank line becomes the title when it looks like a headline, that
is, it is at most 120 characters long, contains a letter, does not end with `.`, `,`, `;`
or `:` (a sentence or a lead-in does), and more text follows it. The headline is then not
repeated in `Article.text`. Otherwise the title stays empty and the text is kept whole.

Markup is never interpreted: `<b>` or `<script>` in a .txt file is literal text and stays
in the article exactly as written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import check_text_bytes, decode, read_capped, read_file
from ._options import ReadOptions, build_article

HEADLINE_MAX_CHARS = 120
STDIN_ORIGIN = "<stdin>"


def split_headline(text: str) -> tuple[str, str]:
    """Split off a headline first line, if there is one.

    Returns
    -------
    (title, body)
        title is "" when the first line does not look like a headline.

    Examples
    --------
    >>> split_headline("Floods hit the coast\\n\\nAt least 4 people died on Monday.")
    ('Floods hit the coast', 'At least 4 people died on Monday.')
    >>> split_headline("At least 4 people died on Monday.\\nRescue goes on.")
    ('', 'At least 4 people died on Monday.\\nRescue goes on.')
    """
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if looks_like_headline(first) and rest.strip():
        return first, rest.strip()
    return "", stripped


def looks_like_headline(line: str) -> bool:
    """Short, has a letter, and does not end like a sentence or a lead-in."""
    return (
        0 < len(line) <= HEADLINE_MAX_CHARS
        and any(ch.isalpha() for ch in line)
        and not line.endswith((".", ",", ";", ":"))
    )


def text_article(text: str, origin: str, opts: ReadOptions, warnings: tuple[str, ...] = ()) -> Article:
    """One Article from decoded plain text, applying the title rule."""
    title, body = split_headline(text)
    if not body:
        raise ReadError(origin, "no article text")
    return build_article(opts, text=body, origin=origin, title=title, warnings=warnings)


def read_text(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Read a .txt file as one article."""
    text, warnings = decode(read_file(path, where, opts.max_bytes), where)
    yield text_article(text, where, opts, warnings)


def read_stdin(opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Read standard input ("-") as one plain-text article."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ReadError(STDIN_ORIGIN, "no standard input to read")
    data = read_capped(stream, STDIN_ORIGIN, opts.max_bytes, what="input")
    check_text_bytes(data, STDIN_ORIGIN, what="input")
    text, warnings = decode(data, STDIN_ORIGIN)
    yield text_article(text, STDIN_ORIGIN, opts, warnings)
