"""The Geoparser façade: text in, resolved place mentions out; articles in, incidents out.

One spaCy run per text. Recognition (`ingest.recognize`) and resolution
(`geodata.resolve`) share that doc; `parse_article` hands the same doc to
`ingest.events.extract_incidents` when that module is installed.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import importlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from geodata.gazetteer import normalize_name
from geodata.model import GEO_PRECISION_NEAR, GEO_PRECISION_REGION, Article, Incident, Mention, Place
from geodata.resolve import (WORLD_CITY_POPULATION, Resolver, haversine_km, is_body_word, is_facility_name,
                             is_facility_word, is_public_body, is_street_name)
from ingest.doctext import doc_text
from ingest.nlp import EVENT_NOUNS, load_nlp, sentence_index
from ingest.recognize import PlaceSpan, recognize, span_from_offsets

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from geodata.gazetteer import Gazetteer

log = logging.getLogger(__name__)


class Geoparser:
    """Find and resolve the place names of news text.

    Parameters
    ----------
    gazetteer
        An open gazetteer; None opens the default one (`settings.gazetteer_path()`), which
        raises `GazetteerMissing` with the build command if it has not been built.
    prefer_country
        ISO alpha-2 code that wins close calls (a local paper's country).
    allow_classes, deny_classes
        Feature classes to resolve to, or never to (default: all of
        `geodata.model.FEATURE_CLASSES`). A name with no candidate left is unresolved.

    Examples
    --------
    >>> gp = Geoparser()                                              # doctest: +SKIP
    >>> [(m.text, m.place.country_code) for m in gp.geoparse("Shelling hit Aleppo, Syria.")]  # doctest: +SKIP
    [('Aleppo', 'SY'), ('Syria', 'SY')]
    """

    def __init__(
        self,
        gazetteer: "Gazetteer | None" = None,
        *,
        prefer_country: str | None = None,
        allow_classes: Iterable[str] | None = None,
        deny_classes: Iterable[str] | None = None,
    ) -> None:
        if gazetteer is None:
            from geodata.gazetteer import Gazetteer

            gazetteer = Gazetteer()
        self.gazetteer = gazetteer
        self.nlp = load_nlp(gazetteer)
        self.resolver = Resolver(gazetteer, prefer_country=prefer_country, allow_classes=allow_classes,
                                 deny_classes=deny_classes)
        self._events = None
        self._place_info = self.nlp.get_pipe("atlas_places").info

    # -- building blocks -----------------------------------------------------------------
    def _is_demonym(self, word: str) -> bool:
        return self.resolver.demonym(word) is not None

    def spans(self, doc: "Doc", sentences: list[int] | None = None) -> list[PlaceSpan]:
        """Recognised place and demonym spans of a parsed doc."""
        spans = recognize(doc, self._is_demonym, self._is_known, sentences=sentences,
                          place_info=self._place_info, is_us_county=self._is_us_county)
        text = doc_text(doc)
        return [self._state_of_its_team(s) for s in spans if _whole_words(text, s.start, s.end)]

    def _state_of_its_team(self, span: PlaceSpan) -> PlaceSpan:
        """"Mississippi State" and "Ohio State" are US universities and their teams: the place
        in them is the state, as annotators and readers take it. "New York State" and
        "Washington State" name the state itself, apart from its city, and Nigeria's states
        are called so ("Rivers State")."""
        words = span.text.split()
        if len(words) < 2 or words[-1] != "State" or span.kind != "place":
            return span
        name = " ".join(words[:-1])
        places = self.gazetteer.lookup(name, limit=10)
        states = [p for p in places if p.feature_class == "admin1" and p.country_code == "US"
                  and normalize_name(p.name) == normalize_name(name)]
        if not states or any(p.feature_class == "city" and p.population >= NAMESAKE_TOWN_POPULATION
                             and normalize_name(p.name).startswith(normalize_name(name)) for p in places):
            return span
        return dataclasses.replace(span, text=name, end=span.start + len(name))

    def _is_known(self, name: str) -> bool:
        return self.resolver.has_name(name)

    def _is_us_county(self, name: str) -> bool:
        """True for "Lamar County", a US county's name, unless its first part names a county or
        a province of 100,000 people elsewhere ("Essex County Fire and Rescue" is in England;
        "Douglas County Road" is no parish of the Isle of Man's)."""
        bare = name.rsplit(" ", 1)[0]
        if any(p.feature_class in ("admin1", "admin2") and p.country_code != "US" and p.population >= FOREIGN_COUNTY_POPULATION
               and normalize_name(p.name) in (normalize_name(bare), normalize_name(name))
               for p in self.gazetteer.lookup(bare, limit=10)):
            return False
        return any(p.feature_class == "admin2" and p.country_code == "US" for p in self.gazetteer.lookup(name, limit=10))

    def mentions(self, doc: "Doc") -> list[Mention]:
        """Recognise and resolve the places of a doc parsed by `self.nlp`."""
        text = doc_text(doc)
        spans = self.spans(doc)
        resolved = self.resolver.resolve(text, spans)
        compass = {s.start: s.modifier for s in spans if s.modifier}
        words = self.gazetteer.english_words()
        resolved = [m for m in resolved if not _a_word_not_a_town(m, text, resolved, words)]
        # A name known only through a part of it ("Moi Avenue" -> Moi, Norway) that lands far
        # from every other place in the text is a guess, not a reading. A street or a building
        # is most likely in the town the text is about, so it goes there, marked as a guess;
        # anything else abstains, as does a hamlet far off in a text all about one state or
        # country (most likely a village or a neighbourhood the gazetteer lacks: on the map
        # no place beats a wrong one). Rejected readings are no context for the others.
        rejected, places = self._firm_places(resolved, text)
        out = []
        for m in resolved:
            if id(m) in rejected:
                m = dataclasses.replace(m, place=None, confidence=0.0)
            if m.place is None and is_facility_name(m.text):
                m = _in_context(m, places, text)  # also "Kenyatta Avenue", unknown whole
            else:
                m = _moved_by_text(m, places, text)
            out.append(m)
        out = _one_place_per_name(out)
        return [_with_proper_compass(m, compass.get(m.start, ""), text, out) for m in out]

    # -- public API ----------------------------------------------------------------------
    def geoparse(self, text: str) -> list[Mention]:
        """Place and demonym mentions of `text`, resolved, in reading order."""
        return self.mentions(self.nlp(text))

    def geoparse_many(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[list[Mention]]:
        """`geoparse` for many texts, batched through spaCy (faster than one at a time)."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield self.mentions(doc)

    def resolve_spans(self, text: str, spans: list[tuple[int, int]]) -> list[Mention]:
        """Resolve given (start, end) spans, e.g. gold toponyms, in the context of the text.

        The recognised places of the text still count as context (document focus,
        "X, Y" containment), but only the given spans come back, in the given order.

        Raises
        ------
        ValueError
            If a span is empty, reversed or outside the text.
        """
        for a, b in spans:
            if not 0 <= a < b <= len(text):
                raise ValueError(f"span ({a}, {b}) is not a non-empty range inside the text (length {len(text)})")
        doc = self.nlp(text)
        sentences = sentence_index(doc)
        context = [s for s in self.spans(doc, sentences)]
        given = [span_from_offsets(doc, a, b, sentences) for a, b in spans]
        taken = {(s.start, s.end) for s in given}
        # a given span that is a demonym resolves as one
        given = [
            PlaceSpan(s.text, s.start, s.end, s.label, "demonym", s.modifier, s.qualifier, s.sentence)
            if self._is_demonym(s.text)
            else s
            for s in given
        ]
        extra = [s for s in context if (s.start, s.end) not in taken
                 and not any(g.start < s.end and s.start < g.end for g in given)]
        merged = sorted([(s.start, 0, k, s) for k, s in enumerate(given)]
                        + [(s.start, 1, k, s) for k, s in enumerate(extra)])
        order = [m[3] for m in merged]
        resolved = self.resolver.resolve(text, order)
        by_given = {id(s): m for s, m in zip(order, resolved)}
        out = [by_given[id(s)] for s in given]
        # Readings the recognition path rejects (a stray part, a far-off hamlet, an English
        # word read as a hamlet) are no context here either. A given span with such a reading
        # goes where the text puts it or to the text's focus; with neither it keeps the reading
        # ("Loudon Co." alone is still Loudon), except a street's ("Pennsylvania Avenue" alone
        # is no more in Pennsylvania than any street: it abstains).
        rejected, places = self._firm_places(resolved, text, self.gazetteer.english_words())
        return _one_place_per_name([
            _in_context(dataclasses.replace(m, place=None, confidence=0.0) if is_street_name(m.text) else m,
                        places, text)
            if m.place is None or id(m) in rejected else _moved_by_text(m, places, text)
            for m in out])

    def _firm_places(self, resolved: list[Mention], text: str,
                     words: frozenset[str] = frozenset()) -> tuple[set[int], "_TextPlaces"]:
        """Ids of the readings to reject (a stray part, a far-off hamlet, an English word read
        as a hamlet when `words` is given), and the text's other places, which alone are
        context for guesses and containers."""
        # (a name read through a part of it is no evidence that a hamlet is local: "Carnegie
        # Library" read as Carnegie, Pennsylvania, keeps no Pennsylvania hamlet in a New
        # Orleans story)
        readings = [m for m in resolved if not self._is_guess(m)]
        # One sense per text: a name read as a far-off hamlet in one mention is that in all
        # ("an old park (Washington Square)" ... "Royal Street at Washington Square"), unless
        # one mention is used as a place a reader knows ("climbers died near Zermatt ...
        # Zermatt police said").
        small = {id(m): (m.text, m.place.id) for m in resolved if _may_be_a_hamlet(m)}  # type: ignore[union-attr]
        listed = {id(m) for m in resolved if id(m) in small and text
                  and _listed_with_a_town_elsewhere(m, readings, text)}
        vouched = {small[id(m)] for m in resolved if id(m) in small and _vouched_by_text(m, text, id(m) in listed)}
        hamlets = {small[id(m)] for m in resolved if id(m) in small and small[id(m)] not in vouched
                   and _lone_foreign_hamlet(m, readings, id(m) in listed)}
        rejected = {id(m) for m in resolved if m.place is not None and (
            self._stray_part(m, resolved) or (m.text, m.place.id) in hamlets
            or _named_as_street(m, text) and _far_from_all(m.place, readings)
            or words and _a_word_not_a_town(m, text, resolved, words))}
        return rejected, _TextPlaces([m for m in resolved if id(m) not in rejected], self._is_guess,
                                     self.resolver.capital)

    def _is_guess(self, mention: Mention) -> bool:
        """A name read only through a part of it: no evidence of where the text is."""
        return self.resolver.is_partial(mention.text)

    def _stray_part(self, mention: Mention, resolved: list[Mention]) -> bool:
        """True for a name resolved only through a part of it ("West Wing" -> Wing, Norfolk)
        to a place far from everything else the text names, or in a text that names nothing
        else ("the Lincoln Memorial" alone is no evidence for Lincoln, Nebraska): a guess.

        A building or a street ("Carnegie Library", "Rogers Centre") is often named after a
        person or a small town far off, so when its reading is such a town, or lies in
        another country than every other place of the text, it must lie among the text's
        places, not just in the same part of the world. A school named after its town
        ("Dublin Coffman High School") does; a city's airport ("Kabul Airport" in a text that
        also names Kandahar) is the city's."""
        place = mention.place
        if mention.kind != "place" or place is None or not self.resolver.is_partial(mention.text):
            return False
        if place.feature_class in ("country", "admin1", "region"):
            if is_street_name(mention.text):
                return True  # "Pennsylvania Avenue" is no more in Pennsylvania than any street
            if is_public_body(mention.text):
                return False  # "Bank of Japan", "Arizona State University": the body's own jurisdiction
        if place.feature_class == "city" and place.population >= WORLD_CITY_POPULATION \
                and not is_facility_name(mention.text) and self._named_first(place, mention.text):
            return False  # a world city names its events and teams: "New York Auto Show", "Dubai World Cup"
        others = [m.place for m in resolved if m.place is not None and m.kind == "place" and not self._is_guess(m)]
        if not others:
            return True
        limit = STRAY_PART_KM
        if is_facility_name(mention.text) and (place.population < NAMESAKE_TOWN_POPULATION
                                               or all(p.country_code != place.country_code for p in others)):
            limit = FACILITY_STRAY_KM
        return all(haversine_km(place.lat, place.lon, p.lat, p.lon) > limit for p in others)

    def _named_first(self, place: Place, name: str) -> bool:
        """True when `name` starts with a name of `place` ("New York Auto Show"), not with a
        division of that name ("Santa Cruz County Sheriff" is no Bolivian city's)."""
        words = name.split()
        if any(w.casefold() in _DIVISION_WORDS for w in words):
            return False
        return any(p.id == place.id for k in range(1, len(words))
                   for p in self.gazetteer.lookup(" ".join(words[:k]), limit=5))

    def parse_article(self, article: Article) -> tuple[list[Mention], list[Incident]]:
        """Mentions and incidents of one article, from one spaCy run.

        Incidents come from `ingest.events.extract_incidents(doc, mentions, article)`; without
        that module the article yields mentions only.
        """
        return self.parse_articles([article], batch_size=1)[0]

    def parse_articles(self, articles: list[Article], *, batch_size: int = 16) -> list[tuple[list[Mention], list[Incident]]]:
        """`parse_article` for several articles, with both spaCy passes batched.

        spaCy runs a batch of texts faster than the same texts one at a time (about 10% for
        NER here, 25% for the event parse). An error in any article raises; callers that
        must isolate bad articles fall back to `parse_article` one by one.
        """
        docs = list(self.nlp.pipe([a.text for a in articles], batch_size=batch_size))
        mentions = [self.mentions(doc) for doc in docs]
        extract = self._incident_extractor()
        if extract is None:
            return [(m, []) for m in mentions]
        from ingest.events import parse_for_events

        parsed = parse_for_events(list(zip(docs, mentions)), batch_size=batch_size)
        return [(m, list(extract(doc, m, article, parsed=p)))
                for doc, m, article, p in zip(docs, mentions, articles, parsed)]

    def _incident_extractor(self):
        if self._events is None:
            try:
                module = importlib.import_module("ingest.events")
                self._events = getattr(module, "extract_incidents", False)
            except ModuleNotFoundError as err:
                if err.name not in ("ingest.events",):
                    raise
                log.info("ingest.events is not installed: articles yield mentions only")
                self._events = False
        return self._events or None


# Words after a name that make it a division's: "Santa Cruz County", "Punjab Province".
_DIVISION_WORDS = frozenset("county parish province district state region governorate oblast municipality".split())
# Where a given span the gazetteer does not know ("Royal Street", "Anfield", "the Capitol") most
# likely lies: the place the text is about. Only towns and smaller divisions qualify, and the
# answer is marked as a guess (low confidence, region precision).
_CONTEXT_CLASSES = (("city", "admin2"), ("admin1",))
# A country this small ("Saint Lucia", "Malta") is as good a guess as a town when the text
# names no town or state and no other country: any point in it is that close.
SMALL_COUNTRY_KM = 50.0
CONTEXT_CONFIDENCE = 0.05
# ... and of one placed where the text puts it: "Le Bernardin in New York" is in New York,
# though not at its centre.
PLACED_BY_TEXT_CONFIDENCE = 0.5
# A part-of-name reading this far from every other place in the text gives way to the focus.
STRAY_PART_KM = 500.0
# Places this close to a town count as evidence that the text is about that town.
SUPPORT_KM = 100.0
# ... and a building or a street named after a place this far from all of them, when that
# place is a town smaller than this, or abroad.
FACILITY_STRAY_KM = 100.0
NAMESAKE_TOWN_POPULATION = 100_000
# A county or province this populous abroad is what "<its name> County ..." names ("Essex
# County Fire and Rescue"), not a US county.
FOREIGN_COUNTY_POPULATION = 100_000


class _TextPlaces:
    """The places of one text that can anchor a guess or contain another name, with how much
    of the text supports each; built once per text (every guess asks, and a long text has
    thousands of mentions).

    `is_guess` marks mentions that are guesses themselves (names read through a part of
    them): they are no evidence.
    """

    def __init__(self, resolved: list[Mention], is_guess=lambda m: False,
                 capital_of: Callable[[str], Place | None] = lambda code: None):
        self.capital_of = capital_of  # a country's capital city, by ISO code
        # in reading order, as the resolver returns them
        self.placed = [m for m in resolved if m.place is not None and m.kind == "place" and not is_guess(m)]
        self._starts = [m.start for m in self.placed]

    def first_after(self, end: int) -> Mention | None:
        """The first place named at or after offset `end`."""
        k = bisect.bisect_left(self._starts, end)
        return self.placed[k] if k < len(self.placed) else None

    @functools.cached_property
    def _towns(self) -> tuple[list[Mention], dict[str, int], dict[str, int]]:
        """The focus candidates with how often each is named and how much the text supports
        it; computed on the first guess only (most texts need none)."""
        pool: list[Mention] = []
        for classes in _CONTEXT_CLASSES:  # towns first; a state only when the text names no town
            pool = [m for m in self.placed if m.place.feature_class in classes]  # type: ignore[union-attr]
            if pool:
                break
        if not pool and len({m.place.country_code for m in self.placed}) == 1:  # type: ignore[union-attr]
            # ... and a country when the text is all about one, as small as a town's surroundings
            pool = [m for m in self.placed if m.place.feature_class == "country"  # type: ignore[union-attr]
                    and m.place.radius_km <= SMALL_COUNTRY_KM]  # type: ignore[union-attr]
            if len(pool) < 2:
                pool = []  # named once, it may be a slip of the reading ("S. Jersey" is New Jersey's south)
        counts: dict[str, int] = {}
        for m in pool:
            counts[m.place.id] = counts.get(m.place.id, 0) + 1  # type: ignore[union-attr]
        places = [m.place for m in self.placed]
        towns = {m.place.id: m.place for m in pool}  # type: ignore[union-attr]
        return pool, counts, {pid: _support(town, places) for pid, town in towns.items()}

    def focus_for(self, mention: Mention) -> Place | None:
        """The town the text is most about, seen from `mention`; None when it names none."""
        pool, counts, support = self._towns
        if not pool:
            return None

        def rank(m: Mention) -> tuple[int, int, int, int]:
            assert m.place is not None
            before = m.start < mention.start
            return (support[m.place.id], counts[m.place.id], int(before), -abs(mention.start - m.start))

        return max(pool, key=rank).place


def _in_context(mention: Mention, places: _TextPlaces, text: str = "") -> Mention:
    """`mention` (abstained) placed where the text puts it, else at the document's focus;
    unchanged when there is neither.

    Where the text puts it: the place named right after it ("Le Bernardin in New York", "the
    Pioneer cinema in Dewsbury", "Knockhill, Fife") or right before it with a possessive
    ("London's Heathrow Animal Reception Center"); see `_placed_by_text`.

    The focus is the town the text is most about: the one with the most mentions of itself,
    of places within `SUPPORT_KM` of it, and of its province and country ("Cairo" with "New
    Cairo" and "Egypt", rather than "Liverpool", the club, named more often). A state only
    when the text names no town. Ties go to the town named more often, then to the closest
    mention before the span.
    """
    if mention.kind != "place":
        return mention
    container = _placed_by_text(mention, places.placed, text)
    here = container.place if container is not None else None
    if here is not None and here.feature_class == "country" and _CAPITAL_AFTER.match(text, container.end):
        # "the Russian Embassy in the U.S. capital" is in Washington
        here = places.capital_of(here.country_code) or here
    anchor = places.focus_for(mention)
    # In a state the text is about, it is most likely in the text's town there: "CAMP MURRAY,
    # Wash." in a story from Seattle, "Fort Detrick" in Maryland at Frederick. Not in a whole
    # country: "the Kuriga school in Nigeria" in a Lagos story is nearer Nigeria's middle.
    if here is not None and (here.feature_class != "admin1" or anchor is None
                             or anchor.feature_class not in ("city", "admin2") or not _inside(anchor, here)):
        return _placed_in(mention, here)
    if anchor is None:
        return mention
    return dataclasses.replace(mention, place=anchor, confidence=CONTEXT_CONFIDENCE,
                               geo_precision=GEO_PRECISION_REGION)


# What lies between a building and the place named after it: "in", "at", a comma, perhaps a
# word or two in lower case ("cinema in", "is admitted in" is too far).
_PLACE_AFTER = re.compile(r"^(?:\s+[a-z]+)?\s*(?:,|\bin\b|\bat\b|\bnear\b|\boutside\b)\s*(?:the\s+)?$")
# ... or the last word of a longer name, a comma and the county or state: "Brands Hatch Indy,
# Kent" (not a headline's "Nasser Hospital Kills Five, Gaza Officials Say").
_NAME_REST_AFTER = re.compile(r"^\s+[A-Z][A-Za-z]*\s*,\s*$")
_ADDRESS_DIVISIONS = ("admin1", "admin2")
# ... or a clause that says who stays there in what town: "the hospital where he is treated in"
# (not "where soldiers wounded in Iraq are treated": the town must follow the verb of staying).
_WHERE_IN_AFTER = re.compile(
    r"^\s*,?\s+where\s+(?:[\w'’-]+\s+){1,3}(?:is|are|was|were)\s+(?:being\s+|now\s+)?"
    r"(?:admitted|treated|located|based|held|housed|kept|staying|cared\s+for)\s+in\s+(?:the\s+)?$")
# ... or a clause that opens it there: "The Museum of Ice Cream is opening on Collins Avenue in".
# (only an address may come between: "on Collins Avenue", "at 5th Street"; not "open to fans
# who watch games in Milwaukee")
_OPENS_IN_AFTER = re.compile(
    r"^\s+(?:is|are|was|were|will\s+be)\s+(?:now\s+|set\s+to\s+)?(?:opening|located|based|housed)"
    r"(?:\s+(?:on|at)\s+(?:\d+\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})?\s*,?\s+in\s+(?:the\s+)?$")
_POSSESSIVE_BEFORE = re.compile(r"^(?:'s|’s)\s+(?:the\s+)?$")
# After a country's name: the capital is meant ("in the U.S. capital", "in the Kenya capital").
_CAPITAL_AFTER = re.compile(r"\s+capital\b")


def _one_place_per_name(mentions: list[Mention]) -> list[Mention]:
    """One place per name in a text: a name the gazetteer lacks that the text places once
    ("Brands Hatch Indy, Kent") is there in its other mentions too, which were only guessed at
    the text's focus ("gets going tomorrow at Brands Hatch")."""
    # (not a name that many towns have: "City Hall", "Memorial Stadium", "the State Capitol")
    placed = {m.text: m for m in mentions if m.place is not None and m.confidence == PLACED_BY_TEXT_CONFIDENCE
              and not any(is_facility_word(w) or w.casefold() == "capitol" for w in m.text.split())}
    return [dataclasses.replace(m, place=placed[m.text].place, geo_precision=placed[m.text].geo_precision,
                                confidence=PLACED_BY_TEXT_CONFIDENCE)
            if m.text in placed and m.confidence == CONTEXT_CONFIDENCE else m
            for m in mentions]


def _placed_in(mention: Mention, container: Place) -> Mention:
    """`mention` placed in the container the text names, near it rather than at its point."""
    exact = container.feature_class in ("city", "site", "admin2")
    return dataclasses.replace(mention, place=container, confidence=PLACED_BY_TEXT_CONFIDENCE,
                               geo_precision=GEO_PRECISION_NEAR if exact else GEO_PRECISION_REGION)


def _placed_by_text(mention: Mention, placed: list[Mention], text: str) -> Mention | None:
    """The place mention the text names right after the mention ("X in Y", "X, Y") or right
    before it ("Y's X"), if any."""
    if not text:
        return None
    for m in placed:
        if m.start >= mention.end and m.start - mention.end <= 40 and is_facility_name(mention.text) \
                and m.place.feature_class in ("city", "admin2") and _WHERE_IN_AFTER.match(text[mention.end : m.start]):
            return m  # "the Alder Hey Children's Hospital, where Alfie is admitted in Liverpool"
        if m.start >= mention.end and m.start - mention.end <= 60 \
                and m.place.feature_class in ("city", "admin2") and _OPENS_IN_AFTER.match(text[mention.end : m.start]):
            return m  # "The Museum of Ice Cream is opening on Collins Avenue in Miami Beach"
        if m.start >= mention.end and m.start - mention.end <= 20 and (
                _PLACE_AFTER.match(text[mention.end : m.start])
                or m.place.feature_class in _ADDRESS_DIVISIONS and _NAME_REST_AFTER.match(text[mention.end : m.start])):
            if text[mention.end : m.start].strip().endswith(",") and _LIST_OR_CLAUSE_AFTER.match(text, m.end):
                return None  # "Beyond Madinaty, Liverpool have other academies": Y starts a clause
            return m
        if m.end <= mention.start and mention.start - m.end <= 8 and _POSSESSIVE_BEFORE.match(text[m.end : mention.start]):
            return m
    return None


# Between a known name and the place the text says it is in: "August in New Orleans",
# "Rockingham, Northamptonshire", "the Pioneer cinema in Dewsbury". A lower-case word other
# than a building's ("Paris attacks in Brussels") makes it an event somewhere else.
_INSIDE_AFTER = re.compile(r"^(?:\s+(?P<head>[a-z]+))?\s*(?:(?P<comma>,)|\bin\b)\s*(?:the\s+)?$")
# Readings a container can overrule: places with a point, not areas that contain others.
_MOVABLE_CLASSES = ("city", "admin2", "site")
# What "X, Y" can put X in: a state or a county. A town after a comma is the next item of a
# list ("Nenagh, Ballina, Newport") and a country after one may start a clause ("in Moscow,
# Ukraine said").
_COMMA_CONTAINERS = ("admin1", "admin2", "region")
_IN_CONTAINERS = ("city", "admin2", "admin1", "country", "region")
_OF_BEFORE = re.compile(r"\bof\s+$")
# Words before X that put X's own reading elsewhere than the place after it.
_ELSEWHERE_BEFORE = re.compile(
    r"\b(?:from|with|for|against|beat|beats|over|about|like|and|than|between)\s+(?:the\s+)?$", re.IGNORECASE)
# What follows Y when "X, Y" is no address: more of a list ("Joplin, Kansas, and Oklahoma")
# or a clause whose subject Y is ("Like Flint, Ohio has struggled"). A preposition, a dash,
# punctuation or the end of the text close an address ("Rockingham, Northamptonshire on Sunday").
_LIST_OR_CLAUSE_AFTER = re.compile(
    r"\s*,?\s*(?:and|or|&)\b|[ \t]+(?!(?:on|in|at|for|during|after|before|near|from|to|by|with|since|"
    r"until|this|last|next|where|when|while|as)\b)(?:[a-z]|['’]s\b)|['’]s\b")


def _moved_by_text(mention: Mention, places: _TextPlaces, text: str) -> Mention:
    """`mention` placed in the area the text puts it in, when its reading lies outside it.

    "August in New Orleans" is no town in California, "the OAS in Washington" no town in the
    Philippines, "Rockingham, Northamptonshire" no town in Western Australia: the gazetteer
    knows the name only elsewhere, the text says where this one is. The mention goes to the
    container, at the confidence of a place placed by text; readings inside the container
    ("Paris, Texas", "Aleppo in Syria") are untouched."""
    place = mention.place
    if mention.kind != "place" or place is None or not text:
        return mention
    if place.feature_class in _BODY_READING_CLASSES:
        return _body_in_its_town(mention, places, text)
    if place.feature_class not in _MOVABLE_CLASSES:
        return mention
    m = places.first_after(mention.end)
    if m is None or m.start - mention.end > 20:
        return mention
    gap = _INSIDE_AFTER.match(text[mention.end : m.start])
    if gap is None or gap.group("head") and not is_facility_word(gap.group("head")):
        return mention
    if gap.group("comma") and _LIST_OR_CLAUSE_AFTER.match(text, m.end):
        return mention  # a list ("Joplin, Kansas and Oklahoma") or a clause ("Like Flint, Ohio has")
    if place.population >= NAMESAKE_TOWN_POPULATION and normalize_name(place.name) == normalize_name(mention.text):
        return mention  # a city is itself: "protest over #Gaza in the Netherlands"
    # In "X in Y" after "from", "with"... what is in Y is someone or something else ("lawmakers
    # from Flint in Lansing", "solidarity with Ferguson in New York"), though a hamlet's name
    # there is still more likely a namesake ("from August in New Orleans to Le Bernardin");
    # after "of", the thing named ("a statue of St. Gregory of Narek in Vatican"). The address
    # form "X, Y" is an address after any word ("residents of Rockingham, Northamptonshire").
    if not gap.group("comma") and (
            _OF_BEFORE.search(text, max(0, mention.start - 4), mention.start)
            or _ELSEWHERE_BEFORE.search(text, max(0, mention.start - 12), mention.start)
            and place.population >= LONE_HAMLET_POPULATION):
        return mention
    container = m.place
    assert container is not None
    allowed = _COMMA_CONTAINERS if gap.group("comma") else _IN_CONTAINERS
    if container.feature_class not in allowed or _inside(place, container):
        return mention
    return _placed_in(mention, container)


# What a public body's name is read as when it names its jurisdiction ("University of
# California" -> California).
_BODY_READING_CLASSES = ("country", "admin1")
# Between a public body and its town: "University of California, Los Angeles", "California
# State University at San Marcos", "the Bank of Japan in Tokyo".
_BODY_TOWN_GAP = re.compile(r"^\s*(?:,|\bin\b|\bat\b)\s*$")


def _body_in_its_town(mention: Mention, places: _TextPlaces, text: str) -> Mention:
    """A public body read as its jurisdiction ("University of California" -> California)
    placed at the town of that jurisdiction the text names right after it."""
    place = mention.place
    assert place is not None
    if not is_public_body(mention.text) or normalize_name(mention.text) == normalize_name(place.name):
        return mention
    m = places.first_after(mention.end)
    if m is None or m.start - mention.end > 5 or not _BODY_TOWN_GAP.match(text[mention.end : m.start]):
        return mention
    if "," in text[mention.end : m.start] and _LIST_OR_CLAUSE_AFTER.match(text, m.end):
        return mention  # "the Michigan State Police, Detroit has seen": a clause, not an address
    town = m.place
    assert town is not None
    if town.feature_class != "city" or not _inside(town, place):
        return mention
    return _placed_in(mention, town)


def _inside(place: Place, container: Place) -> bool:
    """True when `place` lies in `container`'s division or within its radius."""
    if container.feature_class == "country":
        return place.country_code == container.country_code
    if container.feature_class in ("admin1", "admin2", "city") and place.country_code == container.country_code \
            and place.admin1 == (container.name if container.feature_class == "admin1" else container.admin1):
        return True  # (a town "in" another town of its state is the text's business: both are real)
    reach = max(container.radius_km, SUPPORT_KM / 2)
    return haversine_km(place.lat, place.lon, container.lat, container.lon) <= reach


# What makes a bare name a street's: two names at a corner ("the Chartres/Franklin
# intersection", "Bourbon and Dauphine streets", "the corner of Royal and Frenchmen"); not
# one name ("a busy Seattle intersection", "the Ferguson streets", "the northeastern corner of
# Syria") nor roads, which lead to towns ("the Kabul and Kandahar roads").
_STREET_AFTER = re.compile(
    r"\s*/\s*[A-Z][\w'’.-]*\s+intersection\b|(?:\s*/\s*|\s+and\s+)[A-Z][\w'’.-]*\s+(?:streets|avenues)\b")
_STREET_BEFORE = re.compile(r"\bcorner\s+of\s+$")
_CORNER_PARTNER_AFTER = re.compile(r"\s+and\s+[A-Z]")


def _far_from_all(place: Place, readings: list[Mention]) -> bool:
    """True when the text names other towns or counties, none within `SUPPORT_KM` of `place`."""
    others = [m.place for m in readings if m.place is not None and m.place.id != place.id
              and m.place.feature_class in ("city", "admin2")]
    return bool(others) and all(haversine_km(place.lat, place.lon, q.lat, q.lon) > SUPPORT_KM for q in others)


def _named_as_street(mention: Mention, text: str) -> bool:
    """True for a town's name used as a street's, as the words around it show ("the
    Chartres/Franklin intersection" in New Orleans is no French town). Such a reading stands
    only among the text's places: "North Druid Hills and Clairmont roads" run through North
    Druid Hills."""
    if mention.kind != "place" or not text or mention.place is None or mention.place.feature_class != "city":
        return False
    return bool(_STREET_AFTER.match(text, mention.end)
                or _STREET_BEFORE.search(text, max(0, mention.start - 12), mention.start)
                and _CORNER_PARTNER_AFTER.match(text, mention.end))


# A town this small, in a country no other place of the text is in, is a namesake...
LONE_HAMLET_POPULATION = 10_000
# ... and one this small in a state no other place of the text is in (a local story's
# places are villages and suburbs the gazetteer may lack).
STATE_HAMLET_POPULATION = 30_000
# ... when at least this many other places of the text agree on one other country.
FOCUS_PLACES_NEEDED = 2
STATE_FOCUS_PLACES_NEEDED = 3


def _may_be_a_hamlet(mention: Mention) -> bool:
    """True for a town small enough to be read as a far-off namesake (`_lone_foreign_hamlet`)."""
    place = mention.place
    return mention.kind == "place" and place is not None and place.feature_class == "city" \
        and place.population < STATE_HAMLET_POPULATION


def _lone_foreign_hamlet(mention: Mention, resolved: list[Mention], listed: bool = False) -> bool:
    """True for a far-off hamlet read into a text that is all about another country, or
    another state of its own: "Glenrock Lagoon" in a story from New South Wales is no village
    in Wyoming, "Stonewall" in a story about Haymarket, Virginia none in Louisiana. The
    gazetteer lacks the local place; the namesake is a guess.

    It takes a town under `LONE_HAMLET_POPULATION` and `FOCUS_PLACES_NEEDED` places in one
    other country, or one under `STATE_HAMLET_POPULATION` and `STATE_FOCUS_PLACES_NEEDED`
    places in one other state of its country, none in its state or within `SUPPORT_KM` of it;
    naming the hamlet's country keeps it, unless the hamlet is `listed` (paired by a slash with
    a town of another state or country, "the Surfside/Garden City area"). The caller first
    keeps names the text uses as places a reader knows (`_vouched_by_text`)."""
    place = mention.place
    if not _may_be_a_hamlet(mention):
        return False
    assert place is not None
    countries: dict[str, int] = {}
    states: dict[str, int] = {}
    for m in resolved:
        q = m.place
        if q is None or q.id == place.id:
            continue
        if q.feature_class in ("region", "water", "landform"):
            continue  # areas that span states or countries say little about which one
        if q.feature_class in ("city", "admin2") and haversine_km(q.lat, q.lon, place.lat, place.lon) <= SUPPORT_KM:
            return False  # a neighbour, across a border too ("Sderot and Beit Hanoun")
        if q.country_code == place.country_code:
            if q.feature_class == "country" and listed:
                continue  # naming the country does not vouch for a hamlet listed with a town elsewhere
            if q.feature_class == "country" or q.admin1 == place.admin1:
                return False
            states[q.admin1] = states.get(q.admin1, 0) + 1
        countries[q.country_code] = countries.get(q.country_code, 0) + 1
    if states:
        return max(states.values()) >= STATE_FOCUS_PLACES_NEEDED
    return place.population < LONE_HAMLET_POPULATION and max(countries.values(), default=0) >= FOCUS_PLACES_NEEDED


def _vouched_by_text(mention: Mention, text: str, listed: bool = False) -> bool:
    """True when the text uses the name as a place a reader knows: a preposition of place
    before it ("the shooting in Uvalde", "climbers died near Zermatt"), unless the preposition
    is part of a name ("The Shops at Stonewall") or makes a street corner ("Royal Street at
    Washington Square"), or the name is listed with a town elsewhere; or an event after it
    ("the Lockerbie bombing")."""
    if not text:
        return False
    lo = max(0, mention.start - 40)
    return bool(_PLACE_PREPOSITION_BEFORE.search(text, max(0, mention.start - 12), mention.start)
                and not _NAME_WITH_PREPOSITION_BEFORE.search(text, lo, mention.start)
                and not _STREET_CORNER_BEFORE.search(text, lo, mention.start)
                and not listed) or _next_word(text, mention.end) in EVENT_NOUNS


def _listed_with_a_town_elsewhere(mention: Mention, resolved: list[Mention], text: str) -> bool:
    """True when the name is paired by a slash with a town of another state or country more
    than `SUPPORT_KM` off ("the Surfside/Garden City area"): a pair so written names one area,
    so the preposition before it vouches for the other town, not for a namesake hamlet far
    from it. Not a list with "and" or commas: "the unrest in Ferguson and Baltimore", "after
    the massacres in Uvalde and Buffalo" name places far apart."""
    place = mention.place
    assert place is not None
    for m in resolved:
        q = m.place
        if q is None or m is mention or q.feature_class not in ("city", "admin2"):
            continue
        # (only a neighbour in the text can be the other half: no slicing the text between far ones)
        if not (0 <= m.start - mention.end <= 3 or 0 <= mention.start - m.end <= 3):
            continue
        gap = text[mention.end : m.start] if m.start >= mention.end else text[m.end : mention.start]
        if _SLASH_JOINT_GAP.fullmatch(gap) \
                and (q.country_code != place.country_code or q.admin1 != place.admin1) \
                and haversine_km(q.lat, q.lon, place.lat, place.lon) > SUPPORT_KM:
            return True
    return False


_SLASH_JOINT_GAP = re.compile(r"\s*/\s*")
# ... unless the preposition is part of an estate's or a mall's name: "The Shops at Stonewall",
# "the Village at Leesburg" (not "the Marines at Twentynine Palms")...
_NAME_WITH_PREPOSITION_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:Shops|Village|Residences|Commons|Promenade|Plaza|Landing|Crossing|Market|Marketplace"
    r"|Outlets|Mall|Estates|Townhomes|Apartments|Lofts|Gardens|Terrace|Preserve|Links|Greens|Pointe)"
    r"\s+(?:at|on|in)\s+$")
# ... or makes a street corner: "Royal Street at Washington Square".
_STREET_CORNER_BEFORE = re.compile(r"\b(?:Street|St\.|Avenue|Ave\.|Road|Boulevard|Blvd\.)\s+(?:at|and)\s+$")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|near|to|into|outside|toward|towards)\s+(?:the\s+)?$", re.IGNORECASE)
_NEXT_WORD = re.compile(r"(?:['’]s)?[ \t]+([A-Za-z]+)")  # on the same line, no dash between


def _next_word(text: str, end: int) -> str:
    """The word after a span, lower-cased ("" at the end of the text)."""
    m = _NEXT_WORD.match(text, end)
    return m.group(1).lower() if m else ""


def _support(town: Place, places: list[Place]) -> int:
    """How many of the text's places agree with `town`: itself, places within `SUPPORT_KM`,
    and its own province and country."""
    n = 0
    for p in places:
        if p.feature_class == "country":
            n += p.country_code == town.country_code
        elif p.feature_class == "admin1":
            n += p.country_code == town.country_code and p.admin1 == town.admin1
        else:
            n += p.id == town.id or haversine_km(town.lat, town.lon, p.lat, p.lon) <= SUPPORT_KM
    return n


# A town this small whose name is an English word needs a cue before it is read into the word.
WORD_TOWN_POPULATION = 50_000
# Words before a name that use it as a place ("in Superior", "#Holiday").
_PLACE_CUES = frozenset("in near at from to of outside across throughout into # , ;".split())
_LAST_WORD = re.compile(r"(#|[\w'’.]+|[,;])\s*$")


def _a_word_not_a_town(mention: Mention, text: str, resolved: list[Mention], words: frozenset[str]) -> bool:
    """True for a capitalised English word read as a small town with nothing in the text to
    back the reading: "Bell" (a surname), "Superior Court", "Holiday makers", "a 1991 Honda".

    A cue keeps the town: a preposition of place before it ("in Superior"), its state named,
    or another place of the text within `SUPPORT_KM` of it (a local paper's "Concord" beside
    "Manchester")."""
    place = mention.place
    if mention.kind != "place" or place is None or place.feature_class not in ("city", "admin2") \
            or place.population >= WORD_TOWN_POPULATION or " " in mention.text.strip() \
            or not mention.text[:1].isupper() or normalize_name(mention.text) not in words:
        return False
    before = _LAST_WORD.search(text, max(0, mention.start - 64), mention.start)
    if before is not None and before.group(1).lower() in _PLACE_CUES and not is_body_word(mention.text) \
            and not _abroad(place, mention, resolved):
        return False  # "in Superior" is the town; "in Congress" is no Congress, Arizona, and
        # "at Grand and State" in Chicago no Grand, Ivory Coast
    for other in resolved:
        p = other.place
        if other is mention or p is None or other.kind != "place" or other.text == mention.text:
            continue
        if p.feature_class == "admin1" and p.country_code == place.country_code and p.name == place.admin1:
            return False
        if p.feature_class in ("city", "admin2") and haversine_km(p.lat, p.lon, place.lat, place.lon) <= SUPPORT_KM:
            return False
    return True


def _abroad(place: Place, mention: Mention, resolved: list[Mention]) -> bool:
    """True when the text names `FOCUS_PLACES_NEEDED` other places or more, none of them in
    `place`'s country ("Gardai in Trim ... extradited to Belfast" keeps Trim)."""
    others = {m.place.id: m.place for m in resolved if m is not mention and m.place is not None and m.kind == "place"
              and m.text != mention.text}
    return len(others) >= FOCUS_PLACES_NEEDED and all(p.country_code != place.country_code for p in others.values())


_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t-]+$")


def _with_proper_compass(mention: Mention, modifier: str, text: str, others: list[Mention]) -> Mention:
    """"Southern China", "North Texas", "Eastern Indonesia": a capitalised compass word makes
    one proper name with the place, and the mention says so; "northern Syria" stays "Syria"
    with its modifier. The resolver reads both the same way (the place, with the modifier)."""
    if not modifier or mention.kind != "place":
        return mention
    window = text[max(0, mention.start - 20) : mention.start]
    word = _WORD_BEFORE.search(window)
    if word is None or word.group(1).lower() != modifier or not word.group(1)[0].isupper():
        return mention
    start = mention.start - (len(window) - word.start())
    if any(o is not mention and o.start < mention.start and o.end > start for o in others):
        return mention  # the compass word is another mention's ("North East" before "East Texas")
    return dataclasses.replace(mention, text=text[start : mention.end], start=start)


def _whole_words(text: str, start: int, end: int) -> bool:
    """False when the span starts inside a word ("sGaza"); a place may start or end a camel-case
    hashtag ("#FreeGaza", "#GazaUnderAttack"), as tweets write them.

    Examples
    --------
    >>> _whole_words("#GazaUnderAttack", 1, 5), _whole_words("#FreeGaza", 5, 9), _whole_words("Ragaza", 2, 6)
    (True, True, False)
    >>> _whole_words("#DCFerguson", 3, 11), _whole_words("#Ebola2014", 6, 10)
    (True, False)
    """
    if start > 0 and text[start - 1].isalnum():
        before, first = text[start - 1], text[start]
        second = text[start + 1] if start + 1 < end else ""
        # camel-case boundaries: "#FreeGaza", "#DCFerguson", "#2014Ebola"
        return first.isupper() and (before.islower() or before.isdigit() or (before.isupper() and second.islower()))
    return True
