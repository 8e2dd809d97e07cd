"""Tests for ingest.readers: every format, every bad input, and URLs on a local server.

Static fixtures live in tests/fixtures/readers/; inputs that are bad on purpose (binary,
cp1252, oversized) are made in tmp_path. URL tests use a real http.server on 127.0.0.1.
"""

from __future__ import annotations

import io
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geodata.errors import ConfigError, ReadError
from geodata.model import Article
from ingest.readers import parse_date, read_inputs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def read(*inputs: object, **kwargs: object) -> list[Article | ReadError]:
    return list(read_inputs([str(i) for i in inputs], **kwargs))


def only_article(*inputs: object, **kwargs: object) -> Article:
    results = read(*inputs, **kwargs)
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def only_error(*inputs: object, **kwargs: object) -> ReadError:
    results = read(*inputs, **kwargs)
    assert len(results) == 1 and isinstance(results[0], ReadError), results
    return results[0]


# --- plain text -------------------------------------------------------------------------


def test_txt_headline_becomes_title_and_markup_stays_literal() -> None:
    article = only_article(FIXTURES / "article.txt")
    assert article.title == "Shelling damages water station near Kramatorsk"
    assert article.text.startswith("Artillery fire struck")
    assert '<script>alert("x")</script> & <b>keep out</b>' in article.text
    assert article.origin.endswith("article.txt")
    assert article.published is None and article.warnings == ()


@pytest.mark.parametrize(
    "first_line",
    ["Police said at least 3 people were killed on Monday.", "In a statement on Tuesday, the ministry said:", "x" * 121],
)
def test_txt_first_line_that_is_not_a_headline_stays_in_the_text(tmp_path: Path, first_line: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{first_line}\nMore text follows.\n")
    article = only_article(path)
    assert article.title == ""
    assert article.text == f"{first_line}\nMore text follows."


def test_txt_single_line_is_text_not_title(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Clashes in Goma")
    article = only_article(tmp_path / "a.txt")
    assert (article.title, article.text) == ("", "Clashes in Goma")


def test_html_in_txt_is_never_interpreted(tmp_path: Path) -> None:
    body = "<html><body><p>Not rendered</p><script>steal()</script></body></html>"
    (tmp_path / "a.txt").write_text(body)
    assert only_article(tmp_path / "a.txt").text == body


def test_stdin_reads_one_text_article(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"Bombing in Mogadishu\n\nA blast hit a hotel on Sunday night."))
    monkeypatch.setattr(sys, "stdin", stdin)
    article = only_article("-")
    assert (article.title, article.text, article.origin) == (
        "Bombing in Mogadishu", "A blast hit a hotel on Sunday night.", "<stdin>")


def test_stdin_over_max_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 100)))
    err = only_error("-", max_bytes=50)
    assert err.where == "<stdin>" and "over the 50-byte limit" in err.reason


# --- markdown ---------------------------------------------------------------------------


def test_markdown_front_matter() -> None:
    article = only_article(FIXTURES / "front_matter.md")
    assert article.title == "Protesters march on parliament in Nairobi"
    assert article.published == date(2024, 6, 25)
    assert article.url == "https://example.org/nairobi-march"
    assert article.source == "Example Wire"
    assert article.text.startswith("Thousands of protesters") and "---" not in article.text


def test_markdown_without_front_matter_takes_heading_as_title(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Summit opens in Geneva\n\nLeaders met on Monday.\n")
    article = only_article(tmp_path / "a.md")
    assert (article.title, article.text, article.published) == ("Summit opens in Geneva", "Leaders met on Monday.", None)


def test_markdown_date_key_and_bad_date_warns(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T\ndate: the day after the vote\n---\nBody text.\n")
    article = only_article(tmp_path / "a.md")
    assert article.published is None
    assert article.warnings == (
        f"{tmp_path / 'a.md'}: unparseable published date 'the day after the vote' "
        "(not a recognised date format); published left empty",
    )


def test_markdown_bad_front_matter_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    err = only_error(tmp_path / "a.md")
    assert err.where == str(tmp_path / "a.md")
    assert err.reason.startswith("front matter is not valid YAML")


def test_markdown_front_matter_without_body(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Only a title\n---\n\n")
    assert only_error(tmp_path / "a.md").reason == "no article text after the front matter"


# --- HTML -------------------------------------------------------------------------------


def test_html_page_text_and_metadata() -> None:
    article = only_article(FIXTURES / "page.html")
    assert article.title == "Riot breaks out in Port-au-Prince"
    assert article.url == "https://example.org/haiti-riot"
    assert article.source == "Example News"
    assert article.published == date(2024, 4, 2)
    assert "At least three people were killed" in article.text
    assert not article.text.startswith("Riot breaks out")  # the title is not repeated
    for boilerplate in ("tracking", "Home", "Copyright"):
        assert boilerplate not in article.text


def test_html_short_page_falls_back_and_does_not_guess_a_date(tmp_path: Path) -> None:
    (tmp_path / "a.htm").write_text(
        "<html><head><title>Brief</title></head><body><p>Copyright 2019. Short note on Goma.</p>"
        "<script>x()</script></body></html>")
    article = only_article(tmp_path / "a.htm")
    assert article.text == "Copyright 2019. Short note on Goma."
    assert article.published is None


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><head><script>x()</script></head><body></body></html>")
    assert only_error(tmp_path / "a.html").reason == "no article text found in the HTML page"


# --- JSONL and CSV ----------------------------------------------------------------------


def test_jsonl_good_lines_come_out_and_bad_lines_are_named() -> None:
    path = FIXTURES / "batch.jsonl"
    results = read(path)
    summary = [(type(r).__name__, r.origin if isinstance(r, Article) else r.where) for r in results]
    assert summary == [
        ("Article", f"{path}:1"), ("Article", f"{path}:2"), ("ReadError", f"{path}:3"),
        ("ReadError", f"{path}:4"), ("Article", f"{path}:6"), ("ReadError", f"{path}:7"),
    ]
    first, second, bad_json, no_text, bad_date, not_object = results
    assert (first.title, first.published, first.url, first.source) == (
        "Market attack in Borno", date(2024, 3, 11), "https://example.org/borno", "Example Daily")
    assert second.published == date(2024, 3, 15)
    assert bad_json.reason == "malformed JSON (Expecting value at column 42)"
    assert str(bad_json) == f"{path}:3: malformed JSON (Expecting value at column 42)"
    assert no_text.reason == "no 'text' field"
    assert bad_date.published is None and "'sometime next spring'" in bad_date.warnings[0]
    assert bad_date.warnings[0].startswith(f"{path}:6: unparseable published date")
    assert not_object.reason == "expected a JSON object with a 'text' field, got an array"


def test_jsonl_markup_in_text_stays_literal(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "<img src=x onerror=alert(1)> in Idlib"}\n')
    assert only_article(tmp_path / "a.jsonl").text == "<img src=x onerror=alert(1)> in Idlib"


def test_csv_rows_and_bad_rows() -> None:
    path = FIXTURES / "batch.csv"
    results = read(path)
    where = [r.origin if isinstance(r, Article) else r.where for r in results]
    assert where == [f"{path}:row {n}" for n in (2, 3, 4, 5, 6)]
    goma, short, santiago, ambiguous, empty = results
    assert isinstance(goma, Article) and goma.title == "Clashes near Goma"
    assert "At least 9 fighters" in goma.text and goma.published == date(2024, 2, 7)
    assert isinstance(short, ReadError) and short.reason == "has 2 fields but the header has 5"
    assert isinstance(santiago, Article) and santiago.published == date(2024, 3, 8)
    assert isinstance(ambiguous, Article) and ambiguous.published is None
    assert "(day and month order is ambiguous)" in ambiguous.warnings[0]
    assert isinstance(empty, ReadError) and empty.reason == "'text' is empty"


def test_csv_header_is_required(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("Shelling in Donetsk,2024-01-01\nMore,2024-01-02\n")
    err = only_error(tmp_path / "a.csv")
    assert err.where == str(tmp_path / "a.csv")
    assert err.reason.startswith("CSV header row must name a 'text' column")


# --- feeds ------------------------------------------------------------------------------


def test_rss_entries_become_articles_with_html_stripped() -> None:
    path = FIXTURES / "feed.rss"
    idlib, mogadishu, empty = read(path)
    assert isinstance(idlib, Article)
    assert idlib.text == "An airstrike hit a village near Idlib on Monday night.\nAt least 4 people were killed, rescuers said."
    assert (idlib.title, idlib.url, idlib.source) == (
        "Airstrike hits village near Idlib", "https://example.org/idlib-strike", "Example Conflict Monitor")
    assert idlib.published == date(2024, 5, 13)  # the feed's own day, not shifted to UTC
    assert idlib.origin == f"{path}:entry 1"
    assert isinstance(mogadishu, Article) and mogadishu.text.startswith("A car bomb exploded")
    assert "<p>" not in mogadishu.text
    assert isinstance(empty, ReadError) and empty.where == f"{path}:entry 3"
    assert empty.reason == "entry has no content or summary"


def test_atom_feed() -> None:
    article = only_article(FIXTURES / "atom.xml")
    assert (article.title, article.text, article.published, article.source) == (
        "Fighting reported in El Fasher", "Heavy fighting was reported in El Fasher on Sunday.",
        date(2024, 9, 2), "Example Atom Desk")


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<?xml version='1.0'?><catalog><book>x</book></catalog>")
    assert only_error(tmp_path / "a.xml").reason.startswith(("not a readable RSS or Atom feed", "feed has no entries"))


# --- overrides, folders, dispatch -------------------------------------------------------


def test_published_and_source_override_metadata() -> None:
    results = read(FIXTURES / "front_matter.md", FIXTURES / "batch.jsonl", published=date(2025, 1, 2), source="Desk")
    articles = [r for r in results if isinstance(r, Article)]
    assert len(articles) == 4
    assert {(a.published, a.source) for a in articles} == {(date(2025, 1, 2), "Desk")}
    # the overridden bad date is not reported, since it is not used
    assert all(a.warnings == () for a in articles)


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "deep" / "c.txt").write_text("third")
    (tmp_path / "b" / "a.md").write_text("second")
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "x.txt").write_text("hidden folder")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "README.md").write_text("About this folder")
    with caplog.at_level("DEBUG", logger="ingest.readers"):
        texts = [a.text for a in read(tmp_path)]
    assert texts == ["first", "second", "third"]
    assert "photo.jpg: unknown extension" in caplog.text


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    assert only_error(tmp_path).reason.startswith("folder holds no readable files")


def test_missing_path_and_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    missing, unknown = read(tmp_path / "nope.txt", tmp_path / "a.pdf")
    assert (missing.where, missing.reason) == (str(tmp_path / "nope.txt"), "no such file or folder")
    assert unknown.reason.startswith("unsupported file type '.pdf'")


def test_batch_goes_on_after_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    results = read(tmp_path / "empty.txt", FIXTURES / "article.txt")
    assert [type(r) for r in results] == [ReadError, Article]


def test_a_single_path_is_not_read_letter_by_letter() -> None:
    assert isinstance(next(read_inputs(str(FIXTURES / "article.txt"))), Article)


def test_bundled_samples_all_read_cleanly() -> None:
    """The demo data: 15-25 articles, each with title, date, source and an example.org URL."""
    samples = Path(__file__).resolve().parents[2] / "ingest" / "samples"
    results = read(samples)
    assert all(isinstance(r, Article) for r in results), [r for r in results if isinstance(r, ReadError)]
    assert 15 <= len(results) <= 25
    for article in results:
        assert article.title and article.source and article.warnings == (), article.origin
        assert article.published is not None and 2024 <= article.published.year <= 2025, article.origin
        assert article.url.startswith("https://example.org/"), article.origin
    suffixes = {Path(a.origin.split(":")[0]).suffix for a in results}
    assert suffixes == {".md", ".jsonl", ".csv", ".xml", ".html"}


def test_trafilatura_is_importable() -> None:
    """Without it HTML still reads (stdlib fallback) but worse; catch a broken install here."""
    import trafilatura  # noqa: F401  (fails if lxml_html_clean is missing)


def test_bad_options_raise_config_error() -> None:
    with pytest.raises(ConfigError, match="max_bytes"):
        read(FIXTURES / "article.txt", max_bytes=0)


# --- bad bytes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\t\n", "file holds only whitespace"),
        (b"GIF89a\x00\x01\x02\x00", "binary file (contains NUL bytes), not text"),
        (bytes(range(1, 9)) * 20, "binary file (mostly non-text bytes), not text"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv", ".md", ".html", ".rss"])
def test_empty_and_binary_files(tmp_path: Path, data: bytes, reason: str, suffix: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(data)
    err = only_error(path)
    assert (err.where, err.reason) == (str(path), reason)


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    err = only_error(path, max_bytes=100)
    assert err.reason == ("file is 500 bytes, over the 100-byte limit "
                          "(max_bytes; set INCIDENT_ATLAS_MAX_BYTES to raise it)")


def test_max_bytes_default_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENT_ATLAS_MAX_BYTES", "10")
    (tmp_path / "a.txt").write_text("more than ten bytes")
    assert "over the 10-byte limit" in only_error(tmp_path / "a.txt").reason


def test_cp1252_text_decodes_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("Protest in Santiago\n\nStudents said \u201cenough\u201d on Monday.".encode("cp1252"))
    article = only_article(path)
    assert article.text == "Students said \u201cenough\u201d on Monday."
    assert article.warnings == (f"{path}: not valid UTF-8 (byte 0x93 at offset 35); decoded as cp1252",)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b'{"text": "Caf\xe9 \x81 attacked"}\n')
    article = only_article(path)
    assert article.text == "Caf\xe9 \x81 attacked"
    assert article.warnings[0].endswith("decoded as latin-1")


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Clashes in North Kivu".encode("utf-16"))
    assert only_article(tmp_path / "a.txt").text == "Clashes in North Kivu"


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-06", date(2024, 5, 6)),
        ("2024-05-06T23:30:00-05:00", date(2024, 5, 6)),
        ("2024-05-06T08:00:00Z", date(2024, 5, 6)),
        ("Mon, 06 May 2024 08:00:00 GMT", date(2024, 5, 6)),
        ("6 May 2024", date(2024, 5, 6)),
        ("May 6, 2024", date(2024, 5, 6)),
        ("25/12/2024", date(2024, 12, 25)),
        (date(2024, 1, 2), date(2024, 1, 2)),
    ],
)
def test_parse_date(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "May 2024", "03/04/2024", "soon", 2024])
def test_parse_date_refuses_to_guess(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_date(raw)


# --- URLs on a local server -------------------------------------------------------------

PAGE = (FIXTURES / "page.html").read_bytes()
FEED = (FIXTURES / "feed.rss").read_bytes()


class Handler(BaseHTTPRequestHandler):
    """Routes for the URL tests; each path is one server behaviour."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        routes = {
            "/page": (200, "text/html; charset=utf-8", PAGE),
            "/feed": (200, "application/rss+xml", FEED),
            "/feed-as-text-xml": (200, "text/xml", FEED),
            "/plain": (200, "text/plain; charset=utf-8", b"Summit in Geneva\n\nTalks began on Monday."),
            "/latin1": (200, "text/plain; charset=iso-8859-1", "Caf\xe9 talks in Geneva".encode("latin-1")),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            "/big": (200, "text/plain", b"x" * 5000),
            "/empty": (200, "text/plain", b""),
        }
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/trickle":
            self._trickle()
            return
        if self.path == "/big-unannounced":
            self._unannounced(b"y" * 5000)
            return
        if self.path not in routes and self.path != "/slow":
            self.send_error(404, "Not Found")
            return
        status, kind, body = routes.get(self.path, (200, "text/plain", b"late"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # /big and /slow: the reader hung up first, as it should

    def _trickle(self) -> None:
        """Each byte arrives within the socket timeout, but the whole takes too long."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(12):
                self.wfile.write(b"word ")
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the reader gave up, as it should

    def _unannounced(self, body: bytes) -> None:
        """No Content-Length, so only the limit while reading can stop it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 with an OS-chosen port; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True  # a sleeping /slow handler must not hold up teardown
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_html_page(server: str) -> None:
    article = only_article(f"{server}/page")
    assert article.origin == f"{server}/page"
    assert article.title == "Riot breaks out in Port-au-Prince"
    assert article.url == "https://example.org/haiti-riot"  # the page's canonical URL
    assert article.published == date(2024, 4, 2)


def test_url_rss_feed(server: str) -> None:
    results = read(f"{server}/feed")
    assert [type(r) for r in results] == [Article, Article, ReadError]
    assert results[0].origin == f"{server}/feed:entry 1"
    assert results[0].title == "Airstrike hits village near Idlib"


def test_url_feed_sniffed_from_body(server: str) -> None:
    assert len([r for r in read(f"{server}/feed-as-text-xml") if isinstance(r, Article)]) == 2


def test_url_plain_text_and_declared_charset(server: str) -> None:
    article = only_article(f"{server}/plain")
    assert (article.title, article.text, article.url) == ("Summit in Geneva", "Talks began on Monday.", "")
    latin = only_article(f"{server}/latin1")
    assert latin.text == "Caf\xe9 talks in Geneva" and latin.warnings == ()


def test_url_404(server: str) -> None:
    err = only_error(f"{server}/missing")
    assert (err.where, err.reason) == (f"{server}/missing", "HTTP error 404 Not Found")


def test_url_timeout(server: str) -> None:
    started = time.monotonic()
    err = only_error(f"{server}/slow", timeout=0.2)
    assert (err.where, err.reason) == (f"{server}/slow", "timed out after 0.2 s")
    assert time.monotonic() - started < 0.9


def test_url_slow_download_hits_the_overall_timeout(server: str) -> None:
    err = only_error(f"{server}/trickle", timeout=0.35)
    assert err.reason.startswith("timed out after 0.35 s")


def test_url_over_max_bytes(server: str) -> None:
    announced = only_error(f"{server}/big", max_bytes=1000)
    assert announced.reason.startswith("download is 5,000 bytes, over the 1,000-byte limit")
    streamed = only_error(f"{server}/big-unannounced", max_bytes=1000)
    assert streamed.reason.startswith("download is over the 1,000-byte limit")


def test_url_unsupported_type_and_empty_body(server: str) -> None:
    assert only_error(f"{server}/image").reason.startswith("unsupported content type 'image/png'")
    assert only_error(f"{server}/empty").reason == "response is empty"


def test_dead_url() -> None:
    # A port the OS just handed out and that nothing listens on: refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article"
    err = only_error(url, timeout=2)
    assert err.where == url
    assert err.reason.startswith("could not connect (")
