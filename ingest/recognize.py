"""Place spans from a parsed doc: which entities are places, which are demonyms, and what
the words around them say about precision.

The gold standards the project is scored on annotate the bare name ("Syria" in "northern
Syria", "London" in "London-based"), so spans are reported bare and the words around them are
kept as hints for the resolver:

- `modifier`: a cardinal direction in front of the name ("northern"), which says the event is
  in part of the place, not at its centre;
- `qualifier`: "near", "outside of", "north of", "outskirts of" before the name, which make an
  ACLED geo_precision of 2 instead of 1.

Organisations are not places: a name inside an ORG entity ("the Jerusalem Post") never reaches
here, and a place entity followed by an organisation word ("Jerusalem Post", "Texas Tech
University", "Aleppo Airlines") is dropped. Demonyms ("Iranian", "Iranians") come out with
kind="demonym": they name the country's people, never where something happened.

Three places the model leaves untagged are read from the text itself: datelines ("COLUMBUS,
Ohio (AP) -"), a known name after "in"/"near" ("found in Glen Allen"), and places written inside
hashtags ("#FreeGaza", "#SierraLeone").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from ingest.doctext import doc_text

if TYPE_CHECKING:  # ingest.nlp imports this module; the name table's type is only annotation
    from ingest.nlp import NameInfo

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

CARDINALS = frozenset(
    """north south east west northern southern eastern western central northeast northwest
    southeast southwest northeastern northwestern southeastern southwestern""".split()
)

# Words after a place name that make the whole an organisation, a title or a product:
# "the Jerusalem Post", "Texas Tech University", "Aleppo Airlines". Not the bodies of a
# jurisdiction ("Gainesville Police", "Ohio Senate"): those stand for the place itself.
ORG_WORDS = frozenset(
    """post times tribune herald journal gazette daily chronicle examiner observer guardian
    telegraph courier sentinel inquirer star globe bulletin register news press
    university college institute academy seminary
    airlines airline airways
    fc united rovers wanderers athletic athletics
    corp corporation inc ltd company co group bank holdings
    party front federation union
    zoo museum stadium arena theatre theater symphony orchestra opera ballet
    declaration accord accords agreement protocol convention treaty
    giants yankees mets jets rangers lakers warriors cowboys patriots saints bulls celtics
    braves falcons bears packers steelers eagles""".split()
)
# "the Federation of Northern Syria", "University of Texas": an organisation word before "of".
ORG_HEADS = frozenset(
    """federation university college institute bank union party front academy museum
    movement council""".split()
)

# Words before a name that mean "around it", not "in it".
_NEAR = re.compile(
    r"(?:\b(?:near|nearby|outside|outside of|just outside|close to|outskirts of|suburbs? of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of|"
    r"(?:miles?|km|kilometers?|kilometres?)\s+(?:\w+\s+)?(?:from|of|outside)|"
    r"vicinity of|around|area of)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    """A place name in the text, before resolution.

    `start`/`end` are str offsets of the bare name; `modifier` and `qualifier` are the
    words around it that the resolver uses for precision.
    """

    text: str
    start: int
    end: int
    label: str = "GPE"
    kind: str = "place"
    modifier: str = ""
    qualifier: str = ""
    sentence: int = -1


# A single word tagged as a place that is almost always something else in news prose.
_LONE_GENERIC = frozenset(
    """centre center central south north east west southern northern eastern western federal
    states state wing no time media coast vista alliance union city county capital republic
    valley island islands region province district metro downtown earth heaven""".split()
)
# Trailing words the model sometimes swallows into a place: "Montgomery County Democrats".
_TRAILING_GROUPS = frozenset("democrats republicans residents officials voters state".split())


def _trim(span: Span) -> Span | None:
    """Drop "the", possessives, trailing punctuation and a "-based" suffix."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_space
                           or doc[end - 1].is_punct and (doc[end - 1].text != "." or end - 1 == start
                                                         or doc[end - 2].whitespace_)):
        end -= 1  # "Bay Area  " (double space), "#uk ." (a full stop after a space is no abbreviation's)
    # "London-based": spaCy splits "London", "-", "based"
    if end - start >= 3 and doc[end - 1].lower_ == "based" and doc[end - 2].text == "-":
        end -= 2
    if end <= start:
        return None
    if end - start == 1 and doc[start].lower_ in _LONE_GENERIC:
        return None
    return doc[start:end]


_DASHES = frozenset({"-", "–", "—", "|", "/", "//"})


def _cut_run_on(span: Span, is_known: Callable[[str], bool]) -> Span:
    """End a span that runs on past the name, as headlines and tweets make the model do.

    At a spaced dash, a bar or a link: "United Kingdom - Oct 2", "Bodelwyddan http://t.co/x".
    At a lower-case word that joins no place name, when what comes before it is a known
    name: "the United States for Treatment" ("Isle of Man" and "Newcastle upon Tyne" keep
    theirs).
    """
    from ingest.nlp import CONNECTORS

    doc = span.doc
    if len(span) > 1 and is_known(span.text) and not any(t.lower_ in _DIVISION_WORDS for t in span[1:]):
        return span  # "South africa", "the east coast": a known name whatever its case; but
        # "Hebei province" is reported as "Hebei", the name the corpora annotate
    for k in range(span.start + 1, span.end):
        tok = doc[k]
        if (tok.text in _DASHES and doc[k - 1].whitespace_) or tok.like_url or tok.text.startswith(("http", "@")):
            end = k
            while end > span.start + 1 and doc[end - 1].is_space:
                end -= 1  # "the Bay Area  http://t.co/...": the double space is no part of it
            return doc[span.start : end]
        if tok.is_alpha and tok.is_lower and tok.lower_ not in CONNECTORS and doc[k - 1].whitespace_ \
                and is_known(doc[span.start : k].text):  # not inside "Port-au-Prince"
            return doc[span.start : k]
    return span


_DIVISION_WORDS = frozenset(
    "province governorate district region state county oblast prefecture municipality department city town village area".split()
)


# Abbreviations a place name may end with, besides the AP state forms ("Calif.", "Va.").
_ABBREVIATIONS = frozenset("st mt ft co no jr sr bros inc ltd corp dept univ ave blvd rd".split())


def _without_sentence_period(text: str, end: int) -> tuple[str, int]:
    """"Palestine." -> "Palestine": a full stop left on a word that is no abbreviation
    ("Calif.", "Va.", "St." and "U.S." keep theirs)."""
    from geodata.resolve import AP_STATES

    if not text.endswith(".") or len(text) < 2:
        return text, end
    word = text[:-1].rsplit(" ", 1)[-1]
    if not word.isalpha() or word.lower() in AP_STATES or word.lower() in _ABBREVIATIONS:
        return text, end
    return text[:-1], end - 1


def _followed_by_org_word(span: Span) -> bool:
    doc = span.doc
    k = span.end
    if k < len(doc) and doc[k].text in _POSSESSIVE:
        return False  # "Syria's army" is still Syria
    if k < len(doc) and doc[k].is_title and doc[k].lower_ in ORG_WORDS:
        return True
    return False


def _inside_org_phrase(span: Span) -> bool:
    """'Federation of Northern Syria', 'University of Texas': an org head before 'of'."""
    doc = span.doc
    k = span.start - 1
    while k >= 0 and (doc[k].is_title and doc[k].lower_ in CARDINALS or doc[k].lower_ == "the"):
        k -= 1
    if k >= 1 and doc[k].lower_ == "of" and doc[k - 1].is_title and doc[k - 1].lower_ in ORG_HEADS:
        return True
    return False


# Things named after places: "Reston ebolavirus", "Marburg virus". ("The White House said"
# is told apart from "outside the White House" by `ingest.nlp`, see `AtlasPlaces._site`.)
_THING_WORDS = frozenset(
    {"virus", "ebolavirus", "fever", "flu", "strain", "syndrome", "disease", "hemorrhagic", "haemorrhagic"}
)


def _names_a_thing(span: Span) -> bool:
    k = span.end
    return k < len(span.doc) and span.doc[k].lower_ in _THING_WORDS


def _split_cardinal(span: Span, is_known: Callable[[str], bool]) -> tuple[Span, str]:
    """("North Texas", "") -> ("Texas", "north") when only the rest is a known name."""
    if len(span) > 1 and span[0].lower_ in CARDINALS and not is_known(span.text):
        rest = span[1:]
        if rest[0].is_punct:
            rest = rest[1:]
        if len(rest) and is_known(rest.text):
            return rest, span[0].lower_
    return span, ""


def _modifier(span: Span) -> str:
    doc = span.doc
    k = span.start - 1
    if k >= 0 and doc[k].lower_ in CARDINALS:
        return doc[k].lower_
    return ""


def _qualifier(text: str, start: int) -> str:
    window = text[max(0, start - 40) : start]
    m = _NEAR.search(window)
    return " ".join(m.group(0).split()).lower() if m else ""


def recognize(
    doc: Doc,
    is_demonym: Callable[[str], bool],
    is_known: Callable[[str], bool] = lambda name: True,
    *,
    sentences: list[int] | None = None,
    place_info: Callable[[str], "NameInfo | None"] | None = None,
    is_us_county: Callable[[str], bool] | None = None,
) -> list[PlaceSpan]:
    """Place and demonym spans in reading order.

    Parameters
    ----------
    doc
        A doc from `ingest.nlp.load_nlp` (entities already repaired by `atlas_places`).
    is_demonym
        True for "Iranian"/"Iranians"-style words (``gazetteer.demonym(w) is not None``).
    is_known
        True for names the gazetteer has: "North Carolina" stays whole, "North Texas" gives
        "Texas" with the modifier "north".
    sentences
        Sentence number per token (`ingest.nlp.sentence_index`); computed if omitted.
    place_info
        `AtlasPlaces.info` (name -> what the gazetteer knows); enables places inside
        hashtags ("#FreeGaza", "#SierraLeone").
    is_us_county
        True for a US county's name ("Lamar County"); enables the county in its offices'
        names ("Lamar County Commissioners").

    Returns
    -------
    list of PlaceSpan
        Organisations dropped, demonyms with kind="demonym", bare names with their hints.
    """
    if sentences is None:
        from ingest.nlp import sentence_index

        sentences = sentence_index(doc)
    from ingest.nlp import EMBEDDED_KEY

    text = doc_text(doc)
    out: list[PlaceSpan] = []
    ents = list(doc.ents)
    if EMBEDDED_KEY in doc.spans:
        ents = sorted(ents + list(doc.spans[EMBEDDED_KEY]), key=lambda e: e.start)
    cut_off: set[int] = set()  # tokens a run-on entity swallowed: "Golan Heights - BEIRUT"
    for ent in ents:
        label = ent.label_
        if label == "PERSON" and ent.start > 0 and doc[ent.start - 1].lower_ in ("in", "near", "outside") \
                and is_known(ent.text) and not is_demonym(ent.text):
            label = "GPE"  # "found in Glen Allen": people are not found in people
        if label not in PLACE_LABELS and label != "NORP":
            continue
        span = _trim(ent)
        if span is None or span[0].text.startswith("@"):
            continue  # "@ShirazHassan", "@AthertonKD": a user's handle names no place
        if label in PLACE_LABELS:
            whole, span = span, _cut_run_on(span, is_known)
            cut_off.update(range(span.end, whole.end))
        if is_demonym(span.text):
            out.append(
                PlaceSpan(span.text, span.start_char, span.end_char, label, "demonym",
                          sentence=sentences[span.start])
            )
            continue
        if label == "NORP":
            continue  # "Republicans", "Muslims": groups, not places
        if _followed_by_org_word(span) or _inside_org_phrase(span) or _names_a_thing(span):
            continue
        if place_info is not None and len(span) == 1 and _CAMEL_INSIDE.search(span.text) \
                and not is_known(span.text):
            out.extend(_hashtag_places(span[0], place_info, sentences[span.start]))
            continue  # "AfricaAgainstEbola": the place inside the compound
        if len(span) >= 2 and span[-1].lower_ in _TRAILING_GROUPS and not is_known(span.text):
            span = span[:-1]  # "Mississippi State" (its teams), "Montgomery County Democrats"
        if is_us_county is not None:
            span = _county_of_its_office(span, is_known, is_us_county)
        span, modifier = _split_cardinal(span, is_known)
        # "northern Syria" kept as "Syria" + modifier, unless the model's span already starts
        # with the cardinal ("North Carolina" is a name, not a direction).
        modifier = modifier or _modifier(span)
        name, end_char = _without_sentence_period(span.text, span.end_char)
        out.append(
            PlaceSpan(
                name,
                span.start_char,
                end_char,
                label,
                "place",
                modifier=modifier,
                qualifier=_qualifier(text, span.start_char - (len(modifier) + 1 if modifier else 0)),
                sentence=sentences[span.start],
            )
        )
    in_ent = {k for e in ents for k in range(e.start, e.end)} - cut_off
    for a, b in _unlabelled_places(doc, in_ent, is_known, is_demonym):
        span = doc[a:b]
        out.append(PlaceSpan(span.text, span.start_char, span.end_char, "GPE",
                             qualifier=_qualifier(text, span.start_char), sentence=sentences[a]))
        in_ent.update(range(a, b))
    if place_info is not None:
        covered = {k for e in ents if e.label_ in PLACE_LABELS or e.label_ == "NORP" for k in range(e.start, e.end)}
        for tok in doc:
            if tok.i > 0 and doc[tok.i - 1].text == "#" and tok.i not in covered \
                    and tok.text.replace("_", "").isalpha():
                out.extend(_hashtag_places(tok, place_info, sentences[tok.i]))
        out.sort(key=lambda s: s.start)
    # one span per stretch of text: "St. Louis County", found inside "St. Louis County Police"
    # and again as the county itself, is one mention, labelled as a place where either is
    chosen: dict[tuple[int, int], PlaceSpan] = {}
    for s in out:
        kept = chosen.get((s.start, s.end))
        if kept is None:
            chosen[(s.start, s.end)] = s
        elif kept.label not in _PLACE_FIRST_LABELS and s.label in _PLACE_FIRST_LABELS:
            chosen[(s.start, s.end)] = replace(kept, label=s.label)
    return list(chosen.values())


def _county_of_its_office(span: Span, is_known: Callable[[str], bool], is_us_county: Callable[[str], bool]) -> Span:
    """The US county in a county office's name: "Lamar County Commissioners", "Anderson
    County Sheriff's Office", "Henderson County Deputies" -> the county, which is the place.
    ("Essex County Fire and Rescue" is English: `is_us_county` says no.)"""
    if len(span) < 3 or is_known(span.text):
        return span
    for k in range(len(span) - 1, 1, -1):
        if span[k - 1].lower_ in _DIVISION_HEADS and _POSSESSIVE_END.sub("", span[k].lower_) in _COUNTY_OFFICES \
                and is_us_county(span[:k].text):
            return span[:k]
    return span


_POSSESSIVE_END = re.compile(r"['’]s?$")
_DIVISION_HEADS = frozenset({"county", "parish"})
# The labels a place keeps when two spans cover the same text (not "FAC" for a county).
_PLACE_FIRST_LABELS = frozenset({"GPE", "LOC"})
# What follows a county's name in the name of its own offices ("Wright County Eggs", a firm, and
# "Montgomery County History Center", a building, keep their whole names).
_COUNTY_OFFICES = frozenset(
    """sheriff sheriffs commissioners commission commissioner jail courthouse court courts clerk
    road roads elections election board schools school police attorney coroner health fire
    emergency department office prosecutor prosecutors judge treasurer auditor assessor
    council crimestoppers crime sanitation district victim volunteer parks detention
    government administrator engineer deputies deputy officials""".split()
)
_CAMEL_INSIDE = re.compile(r"[a-z][A-Z]")
_JOINING_WORDS = frozenset("for in of at to from with on by and the near across".split())
_CAMEL_PART = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+")


def _hashtag_places(tok, place_info: Callable[[str], "NameInfo | None"], sentence: int) -> list[PlaceSpan]:
    """Well-known places written inside a hashtag: "#FreeGaza" -> "Gaza", "#SierraLeone"."""
    parts = [(m.start(), m.end()) for m in _CAMEL_PART.finditer(tok.text)]
    found: list[PlaceSpan] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            a, b = parts[i][0], parts[j - 1][1]
            piece = tok.text[a:b]
            if j - i == 1 and len(piece) < 4:
                continue
            info = place_info(" ".join(tok.text[x:y] for x, y in parts[i:j]))
            if info is None or piece.casefold() in _LONE_GENERIC:
                continue
            # A well-known place or a city; a town only at length and where no capitalised
            # word runs into it: small towns share their names with people ("#EricGarner":
            # Garner, North Carolina; "#AntonioMartin": Martin, Slovakia), not with
            # "#PrayForFerguson", "#OpFerguson" or "#FergusonOctober". All in lower case, a
            # city's name is more often the word ("#reading", "#paradise").
            before = tok.text[parts[i - 1][0]:parts[i - 1][1]] if i else ""
            town = len(piece) >= 6 and len(parts) > 1 and info.feature_class != "admin1" and (
                not before or len(before) <= 2 or before.isupper() or before.casefold() in _JOINING_WORDS)
            if info.well_known or not tok.is_lower and (info.population >= 100_000 or town):
                found.append(PlaceSpan(piece, tok.idx + a, tok.idx + b, "GPE", sentence=sentence))
                i = j
                break
        else:
            i += 1
    return found


# Prepositions after which a capitalised name the gazetteer knows is a place ("in Glen Allen").
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "from"})
_DATELINE_END = frozenset({",", "—", "–", "-", "(", "--"})
# A dateline inside a line, after a headline or a feed's title: "... threats - DAVOS,
# Switzerland (Reuters) -", "2 dead: CAPE CHARLES, Va. (AP) -" (upper case only).
_DATELINE_BEFORE = frozenset({":", "—", "–", "-", "--", "|"})
# Months, weekdays and institutions: never places, after "in" or where the model says DATE.
NOT_PLACE_WORDS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday god christ jesus congress court
    parliament hospital church english spanish french""".split()
)


def _unlabelled_places(doc: Doc, in_ent: set[int], is_known: Callable[[str], bool],
                       is_demonym: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Token ranges of places the model left untagged, in two unambiguous settings:

    - a dateline: a capitalised or upper-case name opening a line before a comma or dash
      ("COLUMBUS, Ohio (AP) -", "ATLANTIC BEACH -");
    - a capitalised name the gazetteer knows right after "in", "near", "outside" or "from"
      ("a home in Glen Allen").
    """
    found: list[tuple[int, int]] = []
    n = len(doc)
    for i, tok in enumerate(doc):
        if i in in_ent or not tok.is_alpha or not (tok.is_title or tok.is_upper):
            continue
        line_start = i == 0 or "\n" in doc[i - 1].text_with_ws or doc[i - 1].is_space
        mid_line = not line_start and tok.is_upper and len(tok) > 2 \
            and doc[i - 1].text in _DATELINE_BEFORE and bool(doc[i - 1].whitespace_)
        dateline = line_start or mid_line
        after_prep = i > 0 and doc[i - 1].text in _PLACE_PREPOSITIONS and not tok.is_upper
        if not (dateline or after_prep) or tok.is_stop or tok.lower_ in NOT_PLACE_WORDS:
            continue
        j = i
        while j < n and j - i < 3 and j not in in_ent and doc[j].is_alpha \
                and (doc[j].is_upper if tok.is_upper else doc[j].is_title):
            j += 1
        if dateline and not (j < n and doc[j].text in _DATELINE_END):
            continue
        if dateline and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
            continue  # "Drug-resistant malaria...": a hyphenated word, not "BEIRUT -" or "BEIRUT—"
        if mid_line and not (doc[j].text == "(" or doc[j].text == "," and j + 1 < n
                             and doc[j + 1].is_title and is_known(doc[j + 1].text)):
            continue  # "BREAKING: READING, WRITING...": shouting, not a dateline
        for end in range(j, i, -1):
            name = doc[i:end].text
            if not is_demonym(name) and is_known(name):
                found.append((i, end))
                break
    return found


def span_from_offsets(doc: Doc, start: int, end: int, sentences: list[int] | None = None) -> PlaceSpan:
    """A PlaceSpan for given character offsets (gold spans), with the same hints.

    Offsets that do not fall on token boundaries are kept as given; the hints then come from
    the surrounding text alone.
    """
    text = doc_text(doc)
    span = doc.char_span(start, end, alignment_mode="expand")
    modifier, sentence, label = "", -1, "GPE"
    if span is not None and len(span):
        modifier = _modifier(span)
        if sentences is not None:
            sentence = sentences[span.start]
        for ent in doc.ents:
            if ent.start <= span.start < ent.end:
                label = ent.label_
                break
    qualifier = _qualifier(text, start - (len(modifier) + 1 if modifier else 0))
    return PlaceSpan(text[start:end], start, end, label, "place", modifier, qualifier, sentence)
