"""http(s) URLs, fetched with urllib only when the user names one.

The download is bounded twice: `timeout` applies to the connection and to each read, and
also to the whole download (a server trickling bytes cannot hold the batch forever);
`max_bytes` is checked against Content-Length and again while reading, so reading stops
at the limit. Feed or HTML is decided by the content type, then by sniffing the body.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

from geodata import settings
from geodata.errors import ReadError
from geodata.model import Article

from ._bytes import check_text_bytes, decode, over_limit
from ._options import ReadOptions
from .feed import feed_articles
from .htmlpage import html_article
from .text import text_article

_CHUNK = 64 * 1024
_ACCEPT = ("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
           "application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.8")
_FEED_TYPES = ("rss", "atom", "rdf", "/xml", "+xml")


def is_url(value: str) -> bool:
    """True for http:// and https:// addresses (the only schemes fetched)."""
    return value[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Download:
    """A fetched body with what the server said about it."""

    body: bytes
    content_type: str
    charset: str | None
    final_url: str


def fetch(url: str, opts: ReadOptions) -> Download:
    """Download `url` within `opts.timeout` seconds and `opts.max_bytes` bytes.

    Raises
    ------
    ReadError
        Named by the URL: HTTP error status, connection failure, timeout, size limit.
    """
    request = urllib.request.Request(url, headers={"User-Agent": settings.get("user_agent"), "Accept": _ACCEPT})
    deadline = time.monotonic() + opts.timeout
    try:
        with urllib.request.urlopen(request, timeout=opts.timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > opts.max_bytes:
                raise over_limit(url, opts.max_bytes, int(length), what="download")
            body = _read_bounded(response, url, opts, deadline)
            headers: Message = response.headers
            return Download(
                body=body,
                content_type=headers.get_content_type() if headers.get("Content-Type") else "",
                charset=headers.get_content_charset(),
                final_url=response.geturl(),
            )
    except ReadError:
        raise  # ours, already worded; ReadError is also a ValueError, so let it pass first
    except urllib.error.HTTPError as err:
        err.close()  # an HTTPError holds the open response
        raise ReadError(url, f"HTTP error {err.code} {err.reason}") from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, (TimeoutError, socket.timeout)):
            raise ReadError(url, f"timed out after {opts.timeout:g} s") from err
        raise ReadError(url, f"could not connect ({err.reason})") from err
    except (TimeoutError, socket.timeout) as err:
        raise ReadError(url, f"timed out after {opts.timeout:g} s") from err
    except (http.client.HTTPException, ConnectionError) as err:
        raise ReadError(url, f"connection failed ({type(err).__name__}: {err})") from err
    except ValueError as err:  # urllib's answer to a malformed address
        raise ReadError(url, f"not a valid URL ({err})") from err


def _read_bounded(response: http.client.HTTPResponse, url: str, opts: ReadOptions, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > opts.max_bytes:
            raise over_limit(url, opts.max_bytes, what="download")
        if time.monotonic() > deadline:
            raise ReadError(url, f"timed out after {opts.timeout:g} s (download too slow)")
        chunks.append(chunk)
    return b"".join(chunks)


def sniff_kind(content_type: str, body: bytes) -> str:
    """"feed", "html", "text" or "" (unsupported), from the content type then the body.

    Examples
    --------
    >>> sniff_kind("application/rss+xml", b"")
    'feed'
    >>> sniff_kind("text/xml", b"<?xml version='1.0'?><html>")
    'feed'
    >>> sniff_kind("", b"<!DOCTYPE html><html>")
    'html'
    """
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if any(marker in content_type for marker in _FEED_TYPES):
        return "feed"
    if content_type == "text/plain":
        return "text"
    if content_type in ("", "application/octet-stream"):
        if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
            return "html"
        return "text"
    return ""


def read_url(url: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Fetch a URL and read it as a feed, an HTML page or plain text."""
    download = fetch(url, opts)
    kind = sniff_kind(download.content_type, download.body)
    if not kind:
        raise ReadError(url, f"unsupported content type {download.content_type!r} "
                             "(expected HTML, an RSS/Atom feed or plain text)")
    check_text_bytes(download.body, url, what="response")
    if kind == "feed":
        yield from feed_articles(download.body, url, opts, content_type=download.content_type)
        return
    text, warnings = decode(download.body, url, download.charset)
    if kind == "html":
        yield html_article(text, url, opts, warnings, fetched_url=download.final_url)
    else:
        yield text_article(text, url, opts, warnings)
