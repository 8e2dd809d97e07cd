"""Reported fatalities in one sentence, coded the way ACLED codes them.

Rules
-----
- Only deaths count. Wounded, injured and "casualties" (which mix dead and wounded) do not.
- The head count wins over a sub-group: "22 people, including nine Iranians, were killed"
  is 22. Clauses introduced by "including", "among them", "of whom" are dropped first.
- Stated numbers are taken as stated ("at least 12", "more than 20" -> 12, 20); a range
  takes its lower end ("between 10 and 15" -> 10), the conservative reading ACLED asks for.
- Vague plurals follow ACLED's published convention (ACLED, "Fatalities", Uses and
  limitations of ACLED data, 27 February 2023): "tens" -> 10, "dozens" -> 12,
  "hundreds" -> 100, and so on ("thousands" -> 1000; by the same lowest-unit rule,
  "scores" -> 20). "Two dozen" is 24, "a dozen" 12.
- Words with no number at all ("several", "many", "a number of") give None: the count
  is unknown, and we do not invent one. An explicit "no one was killed" gives 0.
- Several figures in one sentence (a first count, then an updated toll) give the largest;
  a list of groups ("3 soldiers and 5 civilians were killed") is summed.
"""

from __future__ import annotations

import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# ACLED's codes for vague plurals (see the module docstring).
VAGUE_PLURALS = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}

_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+"
    rf"|(?:(?:{_WORD}|a|half|dozen|hundred|thousand)[\s-]+(?:a[\s-]+|and[\s-]+)?)*"
    rf"(?:{_WORD}|dozens?|hundreds?|thousands?|tens|scores))"
)
_QUAL = (
    r"(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as|"
    r"an\s+estimated|approximately|roughly|no\s+fewer\s+than|at\s+most|a\s+total\s+of|another)"
)
_Q_NUM = rf"(?:{_QUAL}\s+)?(?P<n>{_NUM})\b"
# Words that may stand between a number and "killed" ("22 people were killed"), but not
# words that start another count or an injury ("12 wounded and 3 killed").
_FILLER = (
    r"(?:\s+(?!(?:wounded|injured|hurt|and|or|but|including)\b)(?!\d)[A-Za-z'’-]+"
    # "35 soldiers and volunteer fighters were killed": "and" joins words, not counts
    rf"|\s+and(?!\s+(?:{_QUAL}\s+)?(?:\d|(?:{_WORD}|a|dozens?|hundreds?|tens|scores)\b)|\s+(?:wounded|injured|hurt)\b))"
)
_DIED = (
    r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|been|reportedly|allegedly|all)\s+)*"
    r"(?:killed|dead|died|slain|perished|lost\s+their\s+lives|massacred|murdered|executed)\b"
)
_NOT_ALSO_WOUNDED = r"(?!\s+(?:or|and/or|and)\s+(?:wounded|injured|hurt))"
_NOT_A_UNIT = r"(?!\s*(?:%|percent|per\s+cent|hours?|days?|weeks?|months?|years?|km|kilomet(?:er|re)s?|miles?|metres?|meters?)\b)"

_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_SUBGROUP_RE = re.compile(
    # "..., five of them children": the count before "of them" belongs to the sub-group too
    r"[,(;]?\s*(?:\b[\w-]+\s+(?=of\s+(?:them|whom)\b))?"
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|among\s+those|of\s+them)\b[^,;)]*[,;)]?",
    re.IGNORECASE,
)
# "between 10 and 15", "10 to 15", "10-15" (a hyphen only between digits: "twenty-two" is one number)
_RANGE_RE = re.compile(
    rf"\bbetween\s+({_NUM})\s+and\s+{_NUM}\b|\b({_NUM})\s+to\s+{_NUM}\b|\b(\d+)\s*[-–]\s*\d+\b",
    re.IGNORECASE,
)
_NONE_RE = re.compile(
    r"\b(?:no\s+one|nobody|none)\s+(?:was|were|has\s+been|had\s+been)\s+(?:killed|hurt|injured)"
    r"|\bno\s+(?:deaths|fatalities|one\s+died)\b|\bthere\s+were\s+no\s+(?:deaths|fatalities|casualties)",
    re.IGNORECASE,
)
_PATTERNS = [
    # "22 people were killed", "at least 12 killed", "3 soldiers and 5 civilians died"
    re.compile(
        rf"(?P<list>{_Q_NUM}{_FILLER}{{0,2}}(?:\s*(?:,|and)\s*(?:{_QUAL}\s+)?{_NUM}{_FILLER}{{0,2}})*)"
        rf"{_FILLER}{{0,3}}?\s+{_DIED}{_NOT_ALSO_WOUNDED}",
        re.IGNORECASE,
    ),
    # "killing 5", "killed at least 12 people", "massacred 30", "killed 2 soldiers and 3 civilians"
    re.compile(
        rf"\b(?:kill(?:ed|ing|s)?|massacred|massacring|executed|executing|slew|slaying)\s+"
        rf"(?P<list>{_Q_NUM}{_NOT_A_UNIT}{_FILLER}{{0,2}}(?:\s*(?:,|and)\s*(?:{_QUAL}\s+)?{_NUM}\b{_NOT_A_UNIT}{_FILLER}{{0,2}})*)",
        re.IGNORECASE,
    ),
    # "left three dead"
    re.compile(rf"\b(?:left|leaving)\s+{_Q_NUM}{_FILLER}{{0,2}}\s+dead\b", re.IGNORECASE),
    # "death toll rose to 40", "the toll stands at 40", "toll reached 40"
    re.compile(
        rf"\b(?:death\s+)?toll\b(?:\s+[A-Za-z'’-]+){{0,5}}?\s+(?:to|at|of|reached|hit|passed|is|was){{1}}\s+{_Q_NUM}",
        re.IGNORECASE,
    ),
    # "40 deaths", "claimed 12 lives", "the bodies of 9"
    re.compile(rf"{_Q_NUM}{_FILLER}{{0,1}}\s+(?:deaths|fatalities|lives|bodies|dead)\b", re.IGNORECASE),
    re.compile(rf"\b(?:lives|bodies)\s+of\s+{_Q_NUM}", re.IGNORECASE),
]
# "a soldier was killed", "killing a civilian": one person.
_ONE_PERSON = (
    r"(?:man|woman|child|boy|girl|baby|soldier|civilian|policeman|policewoman|officer|person|"
    r"journalist|fighter|militant|member|student|teacher|farmer|worker|protester|demonstrator|"
    r"resident|guard|commander|driver|doctor|nurse|passenger|villager)"
)
_SINGLE_RE = re.compile(
    rf"\b(?:a|an|one)\s+(?:[A-Za-z-]+\s+){{0,2}}?{_ONE_PERSON}\s+{_DIED}"
    rf"|\b(?:killed|killing|shot\s+dead)\s+(?:a|an|one)\s+(?:[A-Za-z-]+\s+){{0,2}}?{_ONE_PERSON}\b",
    re.IGNORECASE,
)


def parse_number(text: str) -> int | None:
    """The value of a number as written in news: digits, words, or a vague plural.

    Examples
    --------
    >>> [parse_number(s) for s in ("1,200", "twenty-two", "two dozen", "dozens", "half a dozen")]
    [1200, 22, 24, 12, 6]
    """
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    if len(words) == 1 and words[0] in VAGUE_PLURALS:
        return VAGUE_PLURALS[words[0]]
    total, current, half = 0, 0, False
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in ("a",):
            current = current or 1
        elif w == "half":
            half = True
        elif w in ("dozen", "dozens"):
            current = (current or 1) * 12
        elif w in ("hundred", "hundreds"):
            current = (current or 1) * 100
        elif w in ("thousand", "thousands"):
            total += (current or 1) * 1000
            current = 0
        elif w in VAGUE_PLURALS:
            current = (current or 1) * VAGUE_PLURALS[w]
        else:
            return None
    value = total + current
    if half:
        value //= 2
    return value or None


def _simplify(sentence: str) -> str:
    text = " ".join(sentence.split())
    text = _SUBGROUP_RE.sub(" ", text)
    # A range counts as its lower end: keep only the first number.
    return _RANGE_RE.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)


_DEATH_WORDS = re.compile(r"\b(?:killed|dead|died|death toll|deaths|fatalities|bodies)\b", re.IGNORECASE)


def may_report_deaths(sentence_text: str) -> bool:
    """A cheap screen for a sentence worth a closer look: it carries one of the words most
    death counts use. (`count_fatalities` reads more forms, such as "lost their lives".)

    >>> may_report_deaths("At least 32 people were killed."), may_report_deaths("Talks resumed.")
    (True, False)
    """
    return _DEATH_WORDS.search(sentence_text) is not None


def count_fatalities(sentence_text: str) -> int | None:
    """Reported deaths in one sentence, or None if it reports no count.

    Parameters
    ----------
    sentence_text
        One sentence, as written.

    Returns
    -------
    int or None
        The head count of the dead (see the module docstring for the rules); 0 for an
        explicit "no one was killed"; None when the sentence gives no death count.

    Examples
    --------
    >>> count_fatalities("22 people, including nine Iranians, were killed in the strike.")
    22
    >>> count_fatalities("The blast left three dead and 12 wounded.")
    3
    >>> count_fatalities("Dozens were killed.")
    12
    >>> count_fatalities("Five people were wounded.") is None
    True
    """
    text = _simplify(sentence_text)
    if _NONE_RE.search(text):
        return 0
    counts: list[int] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if "list" in pattern.groupindex:
                found = re.findall(_NUM, m.group("list"), re.IGNORECASE)
                if len(found) > 1:
                    # "In 2016, 30 people died": a year is not a group of the dead.
                    found = [n for n in found if not _YEAR_RE.fullmatch(n)]
                value = sum(parse_number(n) or 0 for n in found)
            else:
                value = parse_number(m.group("n")) or 0
            if value:
                counts.append(value)
    if counts:
        return max(counts)
    if _SINGLE_RE.search(text):
        return 1
    return None
