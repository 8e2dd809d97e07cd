"""`read_inputs`: route each input (file, folder, URL, "-") to its reader.

Errors are yielded, never raised, so one bad file does not stop a batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from geodata.errors import ReadError
from geodata.model import Article

from ._options import ReadOptions
from .csvfile import read_csv
from .feed import read_feed
from .htmlpage import read_html
from .jsonl import read_jsonl
from .markdown import read_markdown
from .text import read_stdin, read_text
from .url import is_url, read_url

log = logging.getLogger(__name__)

FileReader = Callable[[Path, str, ReadOptions], Iterator[Article | ReadError]]

READERS: dict[str, FileReader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}

# Folders of articles often carry notes about themselves; these are not articles.
# A README named on its own is still read.
_FOLDER_NOTES = ("readme", "license", "licence", "changelog")


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    published: date | None = None,
    source: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Iterator[Article | ReadError]:
    """Read articles from files, folders, URLs and stdin.

    Parameters
    ----------
    inputs
        Paths to files or folders (read recursively), http(s) URLs, or "-" for stdin.
    published, source
        Override every article's publication date / source name.
    max_bytes
        Largest file, stdin or download; default: the `max_bytes` setting.
    timeout
        Seconds for a URL fetch; default: the `url_timeout` setting.

    Yields
    ------
    Article or ReadError
        A ReadError has `where` ("path", "path:LINE", "path:row N", "path:entry N" or the
        URL) and `reason`; reading goes on with the next record or input.

    Raises
    ------
    ConfigError
        Only for bad options (non-positive max_bytes or timeout), on the first `next()`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Floods in the north\\n\\nAt least 4 died on Monday.")
    >>> [(a.title, a.text) for a in read_inputs([folder])]
    [('Floods in the north', 'At least 4 died on Monday.')]
    >>> [str(e).split(": ", 1)[1] for e in read_inputs([folder / "missing.txt"])]
    ['no such file or folder']
    """
    opts = ReadOptions.resolve(published=published, source=source, max_bytes=max_bytes, timeout=timeout)
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # one path given bare would otherwise be read letter by letter
    for item in inputs:
        name = os.fspath(item)
        if name == "-":
            yield from _guarded("<stdin>", read_stdin, opts)
        elif is_url(name):
            yield from _guarded(name, read_url, name, opts)
        else:
            yield from _read_path(Path(name), name, opts)


def _read_path(path: Path, where: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    if path.is_dir():
        yield from _read_folder(path, opts)
    elif path.is_file():
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            known = ", ".join(sorted(READERS))
            yield ReadError(where, f"unsupported file type {path.suffix or '(none)'!r} (expected one of {known})")
        else:
            yield from _guarded(where, reader, path, where, opts)
    elif path.exists() or path.is_symlink():
        yield ReadError(where, "not a regular file or folder")
    else:
        yield ReadError(where, "no such file or folder")


def _read_folder(folder: Path, opts: ReadOptions) -> Iterator[Article | ReadError]:
    """Every known file under `folder`, in sorted path order, hidden ones skipped."""
    found = sorted(_walk(folder), key=lambda p: p.relative_to(folder).parts)
    if not found:
        yield ReadError(str(folder), f"folder holds no readable files ({', '.join(sorted(READERS))})")
    for path in found:
        yield from _guarded(str(path), READERS[path.suffix.lower()], path, str(path), opts)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, onerror=lambda err: log.warning("cannot list %s", err)):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if name.startswith("."):
                continue
            if path.suffix.lower() not in READERS:
                log.debug("skipping %s: unknown extension", path)
            elif path.stem.lower() in _FOLDER_NOTES:
                log.debug("skipping %s: a note about the folder, not an article", path)
            else:
                yield path


def _guarded(where: str, reader: Callable[..., Iterator[Article | ReadError]], *args: object) -> Iterator[Article | ReadError]:
    """Run one reader, turning what it raises into a yielded ReadError."""
    try:
        yield from reader(*args)
    except ReadError as err:
        yield err
    except OSError as err:
        yield ReadError(where, f"cannot read ({err.strerror or err})")
    except Exception as err:  # a bug in one reader must not lose the rest of the batch
        log.exception("%s: unexpected error while reading", where)
        yield ReadError(where, f"unexpected error ({type(err).__name__}: {err})")
