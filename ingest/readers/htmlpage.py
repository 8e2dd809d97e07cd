"""HTML pages (.html, .htm files or a URL serving HTML).

Main text and metadata (title, date, canonical URL, site name) come from trafilatura,
given the HTML string so it never touches the network. When trafilatura finds no main
text (very short pages, unusual markup) or fails, a small stdlib extractor takes over;
the stdlib extractor also fills metadata trafilatura left empty. A title repeated as the
first line of the text is dropped, as in the other readers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import decode, read_file
from ._htmltext import extract_page
from ._options import ReadOptions, build_article

log = logging.getLogger(__name__)

# htmldate's extensive search scans free text and can take a copyright year or a
# "last updated" stamp for the publication date; only declared dates are wanted.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Read an HTML file as one article."""
    text, warnings = decode(read_file(path, where, opts.max_bytes), where)
    yield html_article(text, where, opts, warnings)


def html_article(
    html: str, origin: str, opts: ReadOptions, warnings: tuple[str, ...] = (), *, fetched_url: str = ""
) -> Article:
    """One Article from an HTML document.

    Parameters
    ----------
    fetched_url
        The address the page was downloaded from; used when the page names no canonical URL.

    Raises
    ------
    ReadError
        Neither extractor found any text.
    """
    found = _trafilatura(html, origin)
    page = extract_page(html)
    title = found.get("title") or page.title
    text = found.get("text") or page.text
    if not text:
        raise ReadError(origin, "no article text found in the HTML page")
    return build_article(
        opts,
        text=_drop_repeated_title(text, title),
        origin=origin,
        title=title,
        url=found.get("url") or page.url or fetched_url,
        source=found.get("sitename") or page.site_name,
        published=found.get("date") or page.date or None,
        warnings=warnings,
    )


def _trafilatura(html: str, origin: str) -> dict[str, Any]:
    """trafilatura's result as a dict, or {} when it finds nothing or fails."""
    try:
        import trafilatura  # heavy import, only paid by runs that read HTML
    except ImportError as err:  # a broken install (e.g. lxml_html_clean missing): say so loudly
        log.warning("trafilatura cannot be imported (%s); HTML uses the simple extractor", err)
        return {}
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception as err:  # any failure inside the extractor: the stdlib fallback still works
        log.info("%s: trafilatura failed (%s); using the simple extractor", origin, err)
        return {}
    if doc is None:
        log.info("%s: trafilatura found no main text; using the simple extractor", origin)
        return {}
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {key: value for key, value in found.items() if isinstance(value, str) and value.strip()}


def _drop_repeated_title(text: str, title: str) -> str:
    first, _, rest = text.strip().partition("\n")
    if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()):
        return rest.strip()
    return text
