"""Headless Chromium for the dashboard's browser tests and benchmarks.

Debian's chromium + chromium-driver (apt-get install chromium chromium-driver). Every
request the page makes is recorded through Chrome's performance log, so tests can assert
that nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(width: int = 1400, height: int = 1000, **kwargs):
    """Headless Chromium recording every request (see dashboard.headless.chrome)."""
    from dashboard.headless import chrome

    return chrome(width, height, log_network=True, **kwargs)


def requested_urls(driver) -> list[str]:
    """URLs the browser asked for since the last call (all frames)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


@contextmanager
def serve(db: Path, *, env: dict[str, str] | None = None, config: dict | None = None) -> Iterator[str]:
    """`incident-atlas serve` on a free port as a subprocess; yields the base URL.

    With `config`, the app is created the same way (`create_app`) with these Flask config
    values added, and run by a two-line script instead of the CLI.
    """
    import os

    port = free_port()
    cmd = [sys.executable, "-m", "ingest.cli.main", "serve", "--db", str(db), "--port", str(port)]
    if config:
        cmd = [sys.executable, "-c",
               "import json, sys; from dashboard.app import create_app; app = create_app(sys.argv[1]); "
               "app.server.config.update(json.loads(sys.argv[3])); app.run(host='127.0.0.1', port=int(sys.argv[2]))",
               str(db), str(port), json.dumps(config)]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(url + "_dash-layout", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    raise RuntimeError(f"dashboard did not start:\n{out}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(driver, script: str, timeout: float = 15.0, poll: float = 0.05):
    """Poll a JS expression until it is truthy; return its value."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = driver.execute_script(f"return ({script});")
        if last:
            return last
        time.sleep(poll)
    raise TimeoutError(f"timed out waiting for {script!r} (last value {last!r})")


def in_map(driver):
    """Switch into the map iframe (call driver.switch_to.default_content() to leave)."""
    driver.switch_to.frame(driver.find_element("id", "map-frame"))
