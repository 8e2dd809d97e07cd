"""Raw bytes in, checked text out: size limit, empty and binary files, decoding.

Every file, stdin and download passes through here, so the same bad input gets the same
message whatever its format.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO

from geodata import settings
from geodata.errors import ReadError

# Bytes that never occur in text: C0 controls except tab, newline, form feed, carriage
# return and escape (ANSI colour codes in pasted logs), plus DEL.
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 27} | {127}
_SAMPLE = 8192
# Above this share of control bytes a file is "mostly non-text".
_MAX_CONTROL_SHARE = 0.10

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def over_limit(where: str, max_bytes: int, size: int | None = None, what: str = "file") -> ReadError:
    """The error for an input larger than `max_bytes`, telling how to raise the limit."""
    env = settings.SETTINGS["max_bytes"].env
    size_text = f"is {size:,} bytes, " if size is not None else "is "
    return ReadError(
        where, f"{what} {size_text}over the {max_bytes:,}-byte limit (max_bytes; set {env} to raise it)"
    )


def read_file(path: Path, where: str, max_bytes: int) -> bytes:
    """Read a whole file after checking its size, then check that it holds text.

    Raises
    ------
    ReadError
        Over `max_bytes`, empty, binary, or unreadable (permissions, vanished).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise over_limit(where, max_bytes, size)
        with path.open("rb") as fh:
            data = read_capped(fh, where, max_bytes)
    except OSError as err:
        raise ReadError(where, f"cannot read file ({err.strerror or err})") from err
    check_text_bytes(data, where)
    return data


def read_capped(fh: BinaryIO, where: str, max_bytes: int, what: str = "file") -> bytes:
    """Read at most `max_bytes`; one byte more means the input is too large.

    The stat() check is not enough on its own: stdin has no size and a file can grow.
    """
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise over_limit(where, max_bytes, what=what)
    return data


def check_text_bytes(data: bytes, where: str, what: str = "file") -> None:
    """Refuse empty and binary input.

    Raises
    ------
    ReadError
        "file is empty", "file holds only whitespace" or "binary file ...".
    """
    if not data:
        raise ReadError(where, f"{what} is empty")
    if data.startswith(_UTF16_BOMS):
        return  # UTF-16 text is full of NUL bytes but is still text
    if not data.strip():
        raise ReadError(where, f"{what} holds only whitespace")
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        raise ReadError(where, f"binary {what} (contains NUL bytes), not text")
    controls = sum(1 for byte in sample if byte in _CONTROL)
    if controls / len(sample) > _MAX_CONTROL_SHARE:
        raise ReadError(where, f"binary {what} (mostly non-text bytes), not text")


def decode(data: bytes, where: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode text: a BOM, else the declared charset, else UTF-8, else cp1252, else latin-1.

    Newlines are normalised to "\\n" so line numbers and headline detection agree across
    platforms.

    Returns
    -------
    (text, warnings)
        A warning names the file and the encoding used when the text was not UTF-8.

    Examples
    --------
    >>> decode("caf\\xe9".encode("cp1252"), "a.txt")
    ('café', ('a.txt: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252',))
    """
    if data.startswith(codecs.BOM_UTF8):
        text, warnings = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), ()
    elif data.startswith(_UTF16_BOMS):
        text, warnings = data.decode("utf-16", errors="replace"), ()
    else:
        text, warnings = _decode_plain(data, where, declared)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _decode_plain(data: bytes, where: str, declared: str | None) -> tuple[str, tuple[str, ...]]:
    if declared:
        try:
            return data.decode(declared), ()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset header: fall through to the usual order
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as err:
        bad = f"byte 0x{data[err.start]:02x} at offset {err.start}"
    # cp1252 first: Windows "smart quotes" are the usual reason a news file is not UTF-8.
    # It leaves five bytes undefined, and latin-1 accepts any byte, so it is the last resort.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, (f"{where}: not valid UTF-8 ({bad}); decoded as {encoding}",)
    raise AssertionError("latin-1 decodes any byte")  # pragma: no cover
