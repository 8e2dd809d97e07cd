"""Shared fixtures. `gazetteer` is the real built gazetteer, so tests see what users see."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geodata.gazetteer import Gazetteer
from geodata.gazetteer_build import build


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The gazetteer at `settings.gazetteer_path()`, built first if missing or stale.

    The first run on a machine builds it (about 10-40 s, as `make setup` would); later runs
    reuse the file because `build` skips when its inputs are unchanged. Parallel workers
    wait on the build lock instead of building twice.
    """
    return Gazetteer(build(progress=False))


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim's JSON API: Aleppo is known, anything else is not."""

    requests: list[dict] = []
    fail = False

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).requests.append({"path": url.path, "params": params, "agent": self.headers.get("User-Agent")})
        if type(self).fail:
            self.send_response(500)
            self.end_headers()
            return
        body = []
        query = params.get("q", "").lower()
        if query.startswith("aleppo"):
            body = [{"place_id": 1, "lat": "36.2021", "lon": "37.1343", "display_name": "Aleppo, Syria",
                     "class": "place", "type": "city", "importance": 0.8}]
        elif query.startswith("zorvania"):  # a made-up town the offline gazetteer can't know
            body = [{"place_id": 2, "osm_type": "node", "osm_id": 77, "lat": "10.5", "lon": "20.25",
                     "display_name": "Zorvania, Testland", "name": "Zorvania", "class": "place",
                     "type": "town", "addresstype": "town", "boundingbox": ["10.4", "10.6", "20.1", "20.4"]}]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def fake_nominatim(monkeypatch):
    """A local server answering like Nominatim's /search; yields its handler class with `url`,
    `requests` (what it was asked) and `fail` (answer 500 when set)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    FakeNominatim.requests = []
    FakeNominatim.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        FakeNominatim.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield FakeNominatim
    finally:
        server.shutdown()
        server.server_close()
