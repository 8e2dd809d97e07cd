"""Load the shared evaluation corpora (JSON Lines, one annotated document per line).

The corpora live beside the clone, in `../shared/eval/corpora/*.jsonl` relative to the repo
root, and are never copied into the project. Each line looks like::

    {"id": "lgl-41662232", "text": "...",
     "toponyms": [{"start": 39, "end": 48, "name": "Pineville", "lat": 31.3224, "lon": -92.4343, ...}],
     "ungeolocated": [{"start": 145, "end": 153, "name": "Lakeview"}], "meta": {...}}

The gold for recognition is `toponyms` + `ungeolocated` (sorted by offset); only `toponyms`
carry coordinates.

Examples
--------
>>> import io, json
>>> line = json.dumps({"id": "d1", "text": "From Oslo to Lakeview.",
...     "toponyms": [{"start": 5, "end": 9, "name": "Oslo", "lat": 59.91, "lon": 10.75}],
...     "ungeolocated": [{"start": 13, "end": 21, "name": "Lakeview"}]})
>>> [doc] = read_corpus(io.StringIO(line))
>>> [(m.name, m.has_coords) for m in doc.gold]
[('Oslo', True), ('Lakeview', False)]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from geodata.errors import ReadError
from ingest.evaluation.metrics import GoldMention

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_eval_dir(repo_root: str | Path | None = None) -> Path:
    """`<repo root>/../shared/eval`, where the shared corpora sit beside the clone (also in CI).

    Examples
    --------
    >>> shared_eval_dir("/work/main").as_posix()
    '/work/shared/eval'
    """
    root = Path(repo_root) if repo_root is not None else REPO_ROOT
    return (root.parent / "shared" / "eval").resolve()


def corpus_path(name_or_path: str | Path) -> Path:
    """A corpus file: an existing path, or a short name ("lgl") in the shared corpora folder.

    Examples
    --------
    >>> corpus_path("lgl").name
    'lgl.jsonl'
    """
    path = Path(name_or_path)
    if path.exists() or path.suffix:
        return path
    return shared_eval_dir() / "corpora" / f"{path.name.lower()}.jsonl"


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document: its text and its gold mentions in offset order."""

    id: str
    text: str
    gold: tuple[GoldMention, ...]

    @property
    def geolocated(self) -> tuple[GoldMention, ...]:
        """The gold mentions with coordinates (what resolution is scored on)."""
        return tuple(m for m in self.gold if m.has_coords)


def _mention(raw: dict, text: str, where: str, *, coords: bool) -> GoldMention:
    try:
        start, end, name = int(raw["start"]), int(raw["end"]), str(raw["name"])
    except (KeyError, TypeError, ValueError) as err:
        raise ReadError(where, f"mention {raw!r} needs integer start/end and a name") from err
    if text[start:end] != name:
        # The corpora promise text[start:end] == name; a shifted offset would silently turn
        # into a false negative, so refuse the file instead.
        raise ReadError(where, f"text[{start}:{end}] is {text[start:end]!r}, not {name!r}")
    lat = raw.get("lat") if coords else None
    lon = raw.get("lon") if coords else None
    if lat is None or lon is None:
        lat = lon = None
    return GoldMention(start, end, name, None if lat is None else float(lat), None if lon is None else float(lon))


def read_corpus(fp: IO[str], *, name: str = "<corpus>", limit: int | None = None) -> Iterator[GoldDocument]:
    """Yield the documents of an open JSON Lines corpus (at most `limit`).

    Raises ReadError naming `name:line` for a bad line.
    """
    count = 0
    for lineno, line in enumerate(fp, 1):
        if limit is not None and count >= limit:
            return
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            raw = json.loads(line)
            text = raw["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise ReadError(where, f"not a corpus record ({err})") from err
        gold = [_mention(m, text, where, coords=True) for m in raw.get("toponyms") or ()]
        gold += [_mention(m, text, where, coords=False) for m in raw.get("ungeolocated") or ()]
        gold.sort(key=lambda m: (m.start, m.end))
        yield GoldDocument(str(raw.get("id", f"{name}:{lineno}")), text, tuple(gold))
        count += 1


def load_corpus(path: str | Path, *, limit: int | None = None) -> list[GoldDocument]:
    """Read a corpus file (or a short name such as "lgl"); see `read_corpus`.

    Examples
    --------
    >>> docs = load_corpus("geovirus", limit=2)     # doctest: +SKIP
    >>> len(docs)                                   # doctest: +SKIP
    2
    """
    path = corpus_path(path)
    try:
        with path.open(encoding="utf-8") as fp:
            return list(read_corpus(fp, name=path.name, limit=limit))
    except FileNotFoundError as err:
        raise ReadError(str(path), "no such corpus file") from err
