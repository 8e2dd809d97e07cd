"""Shared fixtures. `gazetteer` is the real built gazetteer, so tests see what users see."""

from __future__ import annotations

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
