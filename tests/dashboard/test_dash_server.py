"""Routes beside Dash (map page, vendor files, popup details) and the auth rules."""

from __future__ import annotations

import base64
import os

import flask
import pytest
from click.testing import CliRunner

from dashboard import server
from dashboard.data import load_columns
from geodata.errors import ConfigError

from conftest import XSS_TITLE


def make_client(store_path, monkeypatch, auth: str | None = None):
    for name in ("INCIDENT_ATLAS_AUTH", "INCIDENT_ATLAS_AUTH_FILE"):
        monkeypatch.delenv(name, raising=False)
    if auth:
        monkeypatch.setenv("INCIDENT_ATLAS_AUTH", auth)
    app = flask.Flask("atlas-test")  # the routes need no Dash app
    app.config.update(ATLAS_DB=str(store_path), ATLAS_TILES="offline")
    server.register(app)
    return app.test_client()


def test_map_page_is_served_with_local_scripts(store_path, monkeypatch):
    resp = make_client(store_path, monkeypatch).get("/map")
    assert resp.status_code == 200
    assert b"/vendor/leaflet/dist/leaflet.js" in resp.data
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_vendor_route_serves_allowed_files_only(store_path, monkeypatch):
    client = make_client(store_path, monkeypatch)
    assert client.get("/vendor/leaflet/dist/leaflet.js").status_code == 200
    assert client.get("/vendor/leaflet/package.json").status_code == 200
    assert client.get("/vendor/leaflet/../../pyproject.toml").status_code == 404
    assert client.get("/vendor/commander/index.js").status_code == 404


def test_details_route_returns_the_raw_text_as_json(store_path, monkeypatch):
    cols = load_columns(store_path)
    row = cols.row_of["xss"]
    resp = make_client(store_path, monkeypatch).get(f"/api/incident/{row}?v={cols.version}")
    assert resp.status_code == 200
    rec = resp.get_json()
    assert rec["title"] == XSS_TITLE  # escaping is the browser code's job (textContent)
    assert rec["sources"][0]["source"] == "AP"


def test_map_data_route_answers_a_spec_with_packed_columns(store_path, monkeypatch):
    from test_dash_data import unpack

    client = make_client(store_path, monkeypatch)
    resp = client.post("/api/map-data", json={"countries": ["IR"]})
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/octet-stream"
    head, arrays = unpack(resp.data)
    cols = load_columns(store_path)
    assert [str(cols.ids[r]) for r in arrays["row"]] == ["region"]
    assert client.post("/api/map-data", data="not json").status_code == 400
    assert client.post("/api/map-data", json={"start": "yesterday"}).status_code == 400


def test_details_of_an_old_version_ask_for_a_reload(store_path, monkeypatch):
    resp = make_client(store_path, monkeypatch).get("/api/incident/0?v=old")
    assert resp.status_code == 409


def test_a_reader_that_rewrites_the_files_keeps_the_pages_version(tmp_path, monkeypatch):
    """A text search or a popup closes the last connection and checkpoints the WAL, which
    changes the files but not the incidents: a page's next popup must not ask for a reload
    (it did, now and then, right after a text filter). New incidents still do."""
    from conftest import fill_store, make_rows
    from geodata.store import IncidentStore

    db = fill_store(tmp_path / "incidents.db", n=20)
    seen = load_columns(db).version
    st = os.stat(db)
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # same rows, other file stats
    client = make_client(db, monkeypatch)
    assert client.get(f"/api/incident/0?v={seen}").status_code == 200
    with IncidentStore(db) as store:
        store.add_incident_rows(make_rows(3, seed=11, days=5))
    assert client.get(f"/api/incident/0?v={seen}").status_code == 409


def test_basic_auth_is_enforced_when_configured(store_path, monkeypatch):
    client = make_client(store_path, monkeypatch, auth="ann:s3cret")
    assert client.get("/map").status_code == 401
    assert "Basic" in client.get("/map").headers["WWW-Authenticate"]
    good = "Basic " + base64.b64encode(b"ann:s3cret").decode()
    bad = "Basic " + base64.b64encode(b"ann:nope").decode()
    assert client.get("/map", headers={"Authorization": good}).status_code == 200
    assert client.get("/map", headers={"Authorization": bad}).status_code == 401


def test_token_auth(store_path, monkeypatch):
    client = make_client(store_path, monkeypatch, auth="t0ken")
    assert client.get("/map", headers={"Authorization": "Bearer t0ken"}).status_code == 200
    assert client.get("/map", headers={"Authorization": "Bearer other"}).status_code == 401


def test_auth_file(tmp_path, monkeypatch):
    monkeypatch.delenv("INCIDENT_ATLAS_AUTH", raising=False)
    secret = tmp_path / "auth"
    secret.write_text("ann:from-file\n")
    monkeypatch.setenv("INCIDENT_ATLAS_AUTH_FILE", str(secret))
    assert server.load_credentials() == "ann:from-file"
    secret.write_text("")
    with pytest.raises(ConfigError, match="empty"):
        server.load_credentials()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_serving_beyond_loopback_needs_credentials(host):
    with pytest.raises(ConfigError, match="INCIDENT_ATLAS_AUTH"):
        server.check_bind(host, None)
    server.check_bind(host, "ann:pw")
    server.check_bind("127.0.0.1", None)


def test_serve_command_refuses_with_a_clear_message(store_path, monkeypatch):
    from ingest.cli.serve_cmd import command

    monkeypatch.delenv("INCIDENT_ATLAS_AUTH", raising=False)
    monkeypatch.delenv("INCIDENT_ATLAS_AUTH_FILE", raising=False)
    result = CliRunner().invoke(command, ["--db", str(store_path), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "refusing to serve on '0.0.0.0' without credentials" in result.output


def test_importing_the_app_module_builds_nothing():
    import importlib
    import sys

    sys.modules.pop("dashboard.app", None)
    module = importlib.import_module("dashboard.app")
    assert module.get_app.cache_info().currsize == 0
