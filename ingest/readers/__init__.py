"""Readers: files, folders, feeds, URLs and stdin -> `Article` or `ReadError`.

One small module per format; `read_inputs` (in `inputs`) routes each input to its reader.
See the module docstrings for each format's rules.
"""

from __future__ import annotations

from ._dates import parse_date
from .inputs import READERS, read_inputs

__all__ = ["READERS", "parse_date", "read_inputs"]
