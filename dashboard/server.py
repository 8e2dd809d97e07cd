"""Flask routes beside the Dash app: the map page, the vendored JS, popup details, auth.

- ``/map``: the Folium map page, built once per page load (the iframe's src).
- ``/vendor/<package>/<file>``: files of the allow-listed npm packages in node_modules.
- ``/api/map-data`` (POST, a filter spec as JSON): the map's data as one binary message
  (`dashboard.data.map_data`); the Dash page fetches it and posts it into the loaded map.
- ``/api/incident/<row>``: one incident's details for a popup (fetched on click only).
- a ``before_request`` hook enforcing basic auth or a bearer token when credentials are set.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
from pathlib import Path

import flask

from dashboard import vendor
from dashboard.data import POINT_LIMIT, incident_details, load_columns, map_data
from dashboard.map_builder import MapView, render_map
from geodata import settings
from geodata.errors import AtlasError, ConfigError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


# --------------------------------------------------------------------------- auth

def load_credentials() -> str | None:
    """The configured credentials ("user:password" or a token), or None when unset.

    INCIDENT_ATLAS_AUTH wins over INCIDENT_ATLAS_AUTH_FILE (whose first line is read).

    Raises
    ------
    ConfigError
        If the auth file cannot be read or is empty.
    """
    value = settings.get("auth").strip()
    if value:
        return value
    path = settings.get("auth_file").strip()
    if not path:
        return None
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8").strip().splitlines()
    except OSError as err:
        raise ConfigError(f"INCIDENT_ATLAS_AUTH_FILE {path!r} cannot be read: {err}") from err
    if not text or not text[0].strip():
        raise ConfigError(f"INCIDENT_ATLAS_AUTH_FILE {path!r} is empty; put user:password or a token on its first line")
    return text[0].strip()


def is_local(host: str) -> bool:
    """True for loopback addresses only; '0.0.0.0' and LAN addresses are not local.

    Examples
    --------
    >>> is_local("127.0.0.1"), is_local("0.0.0.0"), is_local("localhost")
    (True, False, True)
    """
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, credentials: str | None) -> None:
    """Refuse to serve beyond this machine without credentials."""
    if not is_local(host) and not credentials:
        raise ConfigError(
            f"refusing to serve on {host!r} without credentials: anyone on the network could read "
            "the incident store. Set INCIDENT_ATLAS_AUTH=user:password (or a token), or "
            "INCIDENT_ATLAS_AUTH_FILE=FILE, or serve on 127.0.0.1."
        )


def authorized(header: str | None, credentials: str) -> bool:
    """Whether an Authorization header carries the credentials.

    "user:password" credentials accept HTTP basic auth; a token (no colon) accepts
    ``Bearer <token>`` or basic auth with any user name and the token as password.

    Examples
    --------
    >>> import base64
    >>> basic = "Basic " + base64.b64encode(b"ann:s3cret").decode()
    >>> authorized(basic, "ann:s3cret"), authorized(basic, "ann:other"), authorized(None, "t")
    (True, False, False)
    >>> authorized("Bearer tok", "tok")
    True
    """
    if not header:
        return False
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer" and ":" not in credentials:
        return hmac.compare_digest(value.strip().encode(), credentials.encode())
    if scheme != "basic":
        return False
    try:
        given = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    if ":" in credentials:
        return hmac.compare_digest(given.encode(), credentials.encode())
    return hmac.compare_digest(given.partition(":")[2].encode(), credentials.encode())


# --------------------------------------------------------------------------- routes

def register(server: flask.Flask, *, base: str = "/") -> None:
    """Add the map, vendor and details routes and the auth hook to the Dash server."""
    credentials = load_credentials()

    if credentials:
        @server.before_request
        def _require_auth() -> flask.Response | None:
            if authorized(flask.request.headers.get("Authorization"), credentials):
                return None
            return flask.Response("Incident Atlas: credentials required.\n", 401,
                                  {"WWW-Authenticate": 'Basic realm="Incident Atlas", charset="UTF-8"'})

    @server.route("/map")
    def map_page() -> flask.Response:
        try:
            vendor.check()
        except vendor.VendorMissing as err:
            return flask.Response(f"Incident Atlas: {err}\n", 500, {"Content-Type": "text/plain; charset=utf-8"})
        view = MapView(base=base, tiles=flask.current_app.config.get("ATLAS_TILES", "offline"))
        resp = flask.Response(render_map(view), 200, {"Content-Type": "text/html; charset=utf-8"})
        # Only the dashboard itself may frame the map page.
        resp.headers["X-Frame-Options"] = "SAMEORIGIN"
        return resp

    @server.route("/vendor/<path:path>")
    def vendor_file(path: str) -> flask.Response:
        target = vendor.file_for_url(f"/vendor/{path}")
        if target is None or not target.is_file():
            flask.abort(404)
        resp = flask.send_file(target, max_age=86400)
        return resp

    @server.route("/api/map-data", methods=["POST"])
    def map_data_route() -> flask.Response:
        spec = flask.request.get_json(silent=True)
        if not isinstance(spec, dict):
            return flask.jsonify({"error": "send the filter spec as a JSON object"}), 400
        try:
            config = flask.current_app.config
            # ATLAS_POINT_LIMIT: only tests lower it, to drive the large-store path with a small store.
            body = map_data(load_columns(config["ATLAS_DB"]), spec,
                            point_limit=int(config.get("ATLAS_POINT_LIMIT", POINT_LIMIT)))
        except AtlasError as err:
            return flask.jsonify({"error": str(err)}), 503
        except (TypeError, ValueError) as err:  # a malformed spec (bad date, non-numeric fatalities)
            return flask.jsonify({"error": f"bad filter spec: {err}"}), 400
        return flask.Response(body, 200, {"Content-Type": "application/octet-stream", "Cache-Control": "no-store"})

    @server.route("/api/incident/<int:row>")
    def incident(row: int) -> flask.Response:
        db = flask.current_app.config["ATLAS_DB"]
        try:
            cols = load_columns(db)
        except AtlasError as err:
            return flask.jsonify({"error": str(err)}), 503
        asked = flask.request.args.get("v")
        if asked and asked != cols.version:
            # Row numbers belong to one snapshot of the store; after an ingest they shift.
            return flask.jsonify({"error": "the store changed; reload the page"}), 409
        rec = incident_details(db, cols, row)
        if rec is None:
            flask.abort(404)
        return flask.Response(json.dumps(rec, ensure_ascii=False, default=str), 200,
                              {"Content-Type": "application/json; charset=utf-8"})
