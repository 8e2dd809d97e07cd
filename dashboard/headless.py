"""Headless Chromium through selenium, for PNG snapshots (and the browser tests).

Uses the system's Chromium and chromedriver (Debian: ``apt-get install chromium
chromium-driver``); nothing is downloaded. Chrome's background services are switched off
so a snapshot or test run makes no outside request of its own.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from geodata.errors import AtlasError

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-quic", "--disable-dev-shm-usage", "--hide-scrollbars",
                  # A headless window counts as hidden: without these, Chromium may throttle its
                  # timers and animation frames, and playback or a map's fly-to stall.
                  "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                  "--disable-renderer-backgrounding")
INSTALL_HINT = ("PNG snapshots need Chromium and chromedriver on PATH (Debian/Ubuntu: "
                "apt-get install chromium chromium-driver) and the selenium package.")


class ChromiumMissing(AtlasError, FileNotFoundError):
    """No headless Chromium (or its driver) to render with."""


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) executables, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def chrome(width: int = 1400, height: int = 1000, *, download_dir: str | None = None,
           log_network: bool = False) -> Iterator[Any]:
    """A headless Chromium WebDriver with a fresh profile, closed afterwards."""
    paths = chromium_paths()
    if paths is None:
        raise ChromiumMissing(INSTALL_HINT)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as err:
        raise ChromiumMissing(INSTALL_HINT) from err
    profile = tempfile.mkdtemp(prefix="atlas-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = paths[0]
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={width},{height}")
    if log_network:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    if download_dir:
        opts.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                               "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(paths[1]), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
