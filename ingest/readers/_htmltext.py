"""Plain text and metadata from HTML with the standard library only.

Used for feed entries (HTML fragments) and as the fallback when trafilatura finds no main
text in a page. Text is read, never rendered: scripts, styles and navigation are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Content of these elements is never article text.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "aside", "form",
                   "header", "footer", "button", "iframe", "object"})
# These end a line, so paragraphs do not run together.
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "tr", "td", "th", "blockquote", "pre", "section", "article", "main",
                    "figure", "figcaption", "dd", "dt", "hr", "table"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col",
                   "embed", "source", "track", "wbr"})
# <meta> names and properties that carry the publication date, best first.
_DATE_KEYS = ("article:published_time", "datepublished", "date", "pubdate", "dc.date",
              "dc.date.issued", "dcterms.created", "og:published_time")


@dataclass
class PageInfo:
    """What the fallback extractor found in a page."""

    text: str = ""
    title: str = ""
    url: str = ""
    site_name: str = ""
    date: str = ""
    meta: dict[str, str] = field(default_factory=dict)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.main_parts: list[str] = []
        self.skip_depth = 0
        self.main_depth = 0
        self.in_title = False
        self.title = ""
        self.canonical = ""
        self.time_datetime = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attr.get("property") or attr.get("name") or attr.get("itemprop") or "").lower()
            if key and "content" in attr:
                self.meta.setdefault(key, attr["content"].strip())
        elif tag == "link" and "canonical" in attr.get("rel", "").lower().split():
            self.canonical = self.canonical or attr.get("href", "").strip()
        elif tag == "time" and attr.get("datetime"):
            self.time_datetime = self.time_datetime or attr["datetime"].strip()
        elif tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag in _BLOCK:
                self._newline()
            return
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in ("article", "main"):
            self.main_depth += 1
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in ("article", "main") and self.main_depth:
            self.main_depth -= 1
        if tag in _BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        self.parts.append(data)
        if self.main_depth:
            self.main_parts.append(data)

    def _newline(self) -> None:
        self.parts.append("\n")
        if self.main_depth:
            self.main_parts.append("\n")


def _tidy(parts: list[str]) -> str:
    """Collapse runs of spaces inside lines and drop blank lines."""
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, one paragraph per line.

    Examples
    --------
    >>> html_to_text("<p>At least <b>3</b> killed.</p><script>alert(1)</script><p>Next&nbsp;day</p>")
    'At least 3 killed.\\nNext day'
    """
    parser = _Extractor()
    parser.feed(fragment)
    parser.close()
    return _tidy(parser.parts)


def extract_page(html: str) -> PageInfo:
    """Main text and metadata of a whole page.

    The text of <article>/<main> is preferred when the page has one, since the rest is
    usually menus and teasers.
    """
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    meta = parser.meta
    date = next((meta[k] for k in _DATE_KEYS if meta.get(k)), "") or parser.time_datetime
    return PageInfo(
        text=_tidy(parser.main_parts) or _tidy(parser.parts),
        title=meta.get("og:title") or " ".join(parser.title.split()),
        url=parser.canonical or meta.get("og:url", ""),
        site_name=meta.get("og:site_name", ""),
        date=date,
        meta=meta,
    )
