"""Publication dates from metadata: parse what is written, never guess.

Tried in order: ISO 8601 (`2024-05-06`, `2024-05-06T08:00:00Z`), RFC 822 as in RSS
(`Mon, 06 May 2024 08:00:00 GMT`), then dateparser for written-out dates (`6 May 2024`)
with relative expressions switched off and day, month and year all required. A numeric
date whose day and month could be swapped (`03/04/2024`) is refused as ambiguous.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# 03/04/2024 or 3.4.24: both first numbers could be the month, so the order is a guess.
_AMBIGUOUS = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$")

# "yesterday" or "2 days ago" in metadata would be resolved against today's clock, which
# says nothing about when the article was written; so only absolute forms are parsed.
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_date(value: Any) -> date:
    """Parse a metadata date.

    Parameters
    ----------
    value
        A `date`, `datetime` or string.

    Returns
    -------
    date
        The calendar day as written (a timestamp's own offset is kept, not shifted to UTC).

    Raises
    ------
    ValueError
        If the value is not a date, is ambiguous or cannot be parsed; the message says why.

    Examples
    --------
    >>> parse_date("2024-05-06T23:30:00-05:00")
    datetime.date(2024, 5, 6)
    >>> parse_date("Mon, 06 May 2024 08:00:00 GMT")
    datetime.date(2024, 5, 6)
    >>> parse_date("6 May 2024")
    datetime.date(2024, 5, 6)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date string ({type(value).__name__})")
    text = value.strip()
    if not text:
        raise ValueError("empty")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    match = _AMBIGUOUS.match(text)
    if match and match.group(1) != match.group(2) and max(int(match.group(1)), int(match.group(2))) <= 12:
        raise ValueError("day and month order is ambiguous")
    import dateparser  # slow to import; only needed for written-out dates

    parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise ValueError("not a recognised date format")
    return parsed.date()


def parse_published(value: Any, origin: str) -> tuple[date | None, str | None]:
    """Parse a metadata date, turning failure into a warning for `Article.warnings`.

    Returns
    -------
    (date or None, warning or None)
        None and no warning when there was no date at all.

    Examples
    --------
    >>> parse_published("sometime in spring", "a.md")
    (None, "a.md: unparseable published date 'sometime in spring' (not a recognised date format); published left empty")
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        return parse_date(value), None
    except ValueError as err:
        return None, f"{origin}: unparseable published date {str(value)!r} ({err}); published left empty"
