"""The event taxonomy: ACLED event and sub-event types, and the words that signal them.

Everything lives in one table, `TAXONOMY`: one row per sub-event type, in priority order
(when two rows match the same words, the earlier row wins, so specific rows come first).
`docs/taxonomy.md` describes each row; `tests/ingest/test_events.py` checks the two agree.

A cue is a space-separated pattern matched against a sentence's tokens. Each pattern item
matches a token whose lemma or lower-cased text equals it; ``a|b`` accepts either and ``*``
skips up to three tokens. Hyphens and other punctuation are ignored, so "air-strike" matches
"air strike". A cue may name *context*: words of which at least one must occur somewhere in
the sentence (this is how "strike" becomes a labour strike or an air strike).

Examples
--------
>>> row = sub_event("Air/drone strike")
>>> row.event_type
'Explosions/Remote violence'
>>> sub_event("Diplomatic meeting").extension
True
"""

from __future__ import annotations

from dataclasses import dataclass

EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

# Words that make a bare "strike"/"bomb" military rather than industrial.
_MILITARY = (
    "air aerial airstrike warplane jet aircraft plane helicopter drone missile military army "
    "force troop base target kill dead die killing death militant rebel coalition"
)
# Words that say a weapon was used, so "a missile defence budget" or "an explosion in
# prices" is not an attack.
_IMPACT = (
    "hit strike fire launch land kill killing wound injure dead death damage destroy target attack "
    "pound rain slam explode detonate go blast casualty victim rubble shrapnel crater flatten"
)
_LABOUR = "worker union general hunger labour labor teacher doctor nurse walkout wage pay employee"
_LEADERS = (
    "president minister leader counterpart delegation envoy diplomat summit foreign prime king "
    "chancellor secretary ambassador head official"
)
_CROWD = "protester protestor demonstrator rioter crowd police"
_ARMED_TARGETS = ("post|base|checkpoint|convoy|barracks|position|patrol|soldier|troop|army|"
                  "outpost|garrison|militia|rebel|fighter|commando")
# ACLED codes an armed group fighting state forces, police included, as a battle; but police
# attacking or raiding is no battle ("police raided a house"), so police are a target only.
_POLICE = "police|policeman|policemen"
_CIVILIAN_TARGETS = ("civilian|villager|village|resident|worshipper|church|mosque|school|market|"
                     "farmer|passenger|family|home|house|camp|student|people")


@dataclass(frozen=True, slots=True)
class Cue:
    """One pattern, the context words it needs (empty: none) and words that cancel it."""

    pattern: str
    context: frozenset[str] = frozenset()
    veto: frozenset[str] = frozenset()


def _cues(*patterns: str, context: str = "", veto: str = "") -> tuple[Cue, ...]:
    needs, cancels = frozenset(context.split()), frozenset(veto.split())
    return tuple(Cue(p, needs, cancels) for p in patterns)


@dataclass(frozen=True, slots=True)
class SubEventType:
    """A row of the taxonomy.

    `extension` is True for types this project adds to ACLED's list; they keep an ACLED
    event type so exports stay comparable.
    """

    event_type: str
    sub_event_type: str
    definition: str
    cues: tuple[Cue, ...]
    extension: bool = False

    @property
    def violent(self) -> bool:
        """Whether fatalities are counted for this type (ACLED counts none for agreements)."""
        return self.event_type != "Strategic developments" and self.sub_event_type != "Peaceful protest"


# fmt: off
TAXONOMY: tuple[SubEventType, ...] = (
    # --- Explosions/Remote violence: most specific weapons first -------------------------
    SubEventType("Explosions/Remote violence", "Suicide bomb",
                 "An attacker detonates explosives on their body or in a vehicle they drive.",
                 _cues("suicide bomber", "suicide bombing", "suicide bomb", "suicide attack",
                       "suicide attacker", "suicide car bomb", "blow * up|himself|herself")),
    SubEventType("Explosions/Remote violence", "Air/drone strike",
                 "Aircraft or drones bomb or fire on a target.",
                 _cues("airstrike", "air strike", "air raid", "airraid", "drone strike",
                       "drone attack", "aerial bombardment", "warplane", "air attack")
                 + _cues("bomb|bombing|bombard|bombardment", context="warplane jet aircraft plane helicopter air aerial")
                 # "Russian drones struck Odesa": the impact verb is the context
                 + _cues("drone", context=_MILITARY + " " + _IMPACT)),
    SubEventType("Explosions/Remote violence", "Shelling/artillery/missile attack",
                 "Shells, artillery, mortars, rockets or missiles fired from a distance.",
                 _cues("artillery", "mortar", "missile", context=_IMPACT)
                 # "shell company", "prices rocketed": these need a military word nearby.
                 + _cues("shell|shelling", "rocket", "barrage", context=_MILITARY + " fire town village city")),
    SubEventType("Explosions/Remote violence", "Remote explosive/landmine/IED",
                 "A bomb, mine or IED set off without the attacker present.",
                 _cues("ied", "improvised explosive", "explosive device", "roadside bomb",
                       "car bomb", "landmine", "land mine", "explode|detonate")
                 + _cues("bomb|bombing|blast|explosion", context=_IMPACT)),
    SubEventType("Explosions/Remote violence", "Grenade",
                 "A grenade thrown or launched at a target.",
                 _cues("grenade")),
    SubEventType("Explosions/Remote violence", "Air/drone strike",
                 "Aircraft or drones bomb or fire on a target (bare 'strike' in military context).",
                 _cues("strike", context=_MILITARY)),
    # --- Protests with a state response, riots ---------------------------------------------
    SubEventType("Protests", "Excessive force against protesters",
                 "Lethal or serious force used against peaceful protesters.",
                 _cues("fire on|at * protester|protestor|demonstrator|crowd",
                       "kill|shoot * protester|protestor|demonstrator")),
    SubEventType("Protests", "Protest with intervention",
                 "A peaceful protest that is dispersed or repressed without serious force.",
                 _cues("tear gas", "teargas", "disperse * protester|protestor|demonstrator|crowd|rally|protest",
                       "arrest * protester|protestor|demonstrator", "water cannon", "rubber bullet")),
    # Bare "strike(s)": with workers, unions or wages in the sentence and no military word,
    # a labour strike; with military words, an air strike (the row above).
    SubEventType("Protests", "Peaceful protest",
                 "Demonstrators gather or strike without violence and without being dispersed.",
                 # "Shells struck the hospital, doctors said": military words win over labour ones.
                 _cues("strike", "walkout", context=_LABOUR, veto=_MILITARY + " shell warplane")
                 + _cues("protest", "protester", "protestor", "demonstration", "demonstrator",
                         "rally", "sit in", "march|marcher", "picket", "vigil")),  # "March" the month: see _forms
    SubEventType("Riots", "Mob violence",
                 "A crowd without an organised purpose attacks people or property.",
                 _cues("mob", "lynch|lynching", "vigilante")),
    SubEventType("Riots", "Violent demonstration",
                 "Demonstrators use violence: clashes with police, stone-throwing, looting, arson.",
                 _cues("riot", "rioter", "rioting", "looting", "loot", "looter",
                       "violent protest", "violent demonstration", "torch")
                 + _cues("clash|clashes", "set fire", "burn", "barricade", context=_CROWD)),
    # --- Attacks: on an armed target it is a battle, on civilians violence against them --
    SubEventType("Battles", "Armed clash",
                 "Armed, organised groups fight each other (an attack on an armed target).",
                 _cues(f"attack|storm|raid|ambush|overrun|kill * {_ARMED_TARGETS}|{_POLICE}")),
    # --- Violence against civilians ---------------------------------------------------------
    SubEventType("Violence against civilians", "Abduction/forced disappearance",
                 "People taken or held by an armed group against their will.",
                 _cues("kidnap", "kidnapping", "kidnapped", "abduct", "abduction", "abducted",
                       "hostage", "forced disappearance")),
    SubEventType("Violence against civilians", "Sexual violence",
                 "Sexual violence used by an armed or organised actor.",
                 _cues("rape", "sexual violence", "sexual assault")),
    SubEventType("Violence against civilians", "Attack",
                 "An armed actor attacks unarmed civilians.",
                 _cues("massacre", f"kill|shoot|attack|execute|murder|storm|raid * {_CIVILIAN_TARGETS.removesuffix('|people')}",
                       "shoot dead", "gunman * kill|shoot|open|attack|storm|raid", "behead", "murder")
                 + _cues("attack|storm|raid", context=_CIVILIAN_TARGETS.replace("|", " "))),
    # --- Battles -----------------------------------------------------------------------------
    SubEventType("Battles", "Government regains territory",
                 "Government forces take back territory from a non-state group.",
                 _cues("recapture", "retake", "regain control", "liberate")),
    SubEventType("Battles", "Non-state actor overtakes territory",
                 "A non-state group seizes territory from the government or another group.",
                 _cues("overrun", "seize control", "take control", "capture * town|city|village|base")),
    SubEventType("Battles", "Armed clash",
                 "Armed, organised groups fight each other.",
                 _cues("clash|clashes", "firefight", "gunfight", "gun battle", "exchange fire",
                       "exchange of fire", "skirmish",
                       # "an army post attack", "a militia ambush"; after the civilian row, so
                       # that "fighters attacked a village" is an attack on civilians
                       f"{_ARMED_TARGETS} * attack|ambush|raid")
                 # Everyday senses ("a legal battle", "in advance", "an offensive remark")
                 # are common, so these need a military word in the sentence.
                 + _cues("fighting", "fight", "battle", "offensive", "advance", "ambush",
                         "assault", context=_MILITARY)),
    # --- Strategic developments ---------------------------------------------------------------
    SubEventType("Strategic developments", "Agreement",
                 "A ceasefire, peace deal, prisoner exchange or other agreement is reached.",
                 # Not bare "accord": its lemma is also that of "according to".
                 _cues("ceasefire", "cease fire", "truce", "peace deal", "peace agreement",
                       "peace accord", "sign * agreement|deal|accord|treaty",
                       "reach * agreement|deal", "prisoner exchange", "prisoner swap")),
    SubEventType("Strategic developments", "Diplomatic meeting",
                 "Leaders or envoys meet: a summit, talks, a meeting. Project extension "
                 "of ACLED 'Agreement' for meetings that have not (yet) produced an agreement.",
                 _cues("summit", "peace talks")
                 + _cues("talks", "meeting", "meet", context=_LEADERS),
                 extension=True),
    SubEventType("Strategic developments", "Arrests",
                 "Arrests of notable people or groups by state forces.",
                 _cues("arrest", "detain", "detention", "round up")),
    SubEventType("Strategic developments", "Headquarters or base established",
                 "An armed group establishes a base or headquarters without fighting.",
                 _cues("establish|set up|build * base|headquarters|camp|outpost")),
    SubEventType("Strategic developments", "Non-violent transfer of territory",
                 "Territory changes hands without fighting: withdrawals, handovers.",
                 _cues("withdraw from", "pull out of", "hand over * control|territory|town|city|base",
                       "withdrawal from", "handover")),
    SubEventType("Strategic developments", "Other",
                 "Any other politically important non-violent event (kept for imports; no cues).",
                 ()),
)
# fmt: on

SUB_EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(row.sub_event_type for row in TAXONOMY))


def sub_event(name: str) -> SubEventType:
    """The first taxonomy row for a sub-event type.

    Raises
    ------
    KeyError
        If `name` is not a sub-event type; the message lists the known ones.
    """
    for row in TAXONOMY:
        if row.sub_event_type == name:
            return row
    raise KeyError(f"sub-event type {name!r} is not one of {SUB_EVENT_TYPES}")


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event type a sub-event type belongs to.

    >>> event_type_of("Armed clash")
    'Battles'
    """
    return sub_event(sub_event_type).event_type


# --- matching -------------------------------------------------------------------------

_GAP = 3  # tokens a "*" may skip: "killed three civilians", "set up a new base"


@dataclass(frozen=True, slots=True)
class CueMatch:
    """Where a cue matched: token indices into the sequence that was searched."""

    row: SubEventType
    cue: Cue
    start: int
    end: int  # exclusive

    @property
    def event_type(self) -> str:
        return self.row.event_type

    @property
    def sub_event_type(self) -> str:
        return self.row.sub_event_type


def _forms(token) -> frozenset[str]:
    # Words inside a date ("March", "Sunday") are never cues: "in March" is not a march.
    if token.ent_type_ in ("DATE", "TIME"):
        return frozenset()
    return frozenset((token.lemma_.lower(), token.lower_))


def _match_at(items: list[str], forms: list[frozenset[str]], i: int) -> int | None:
    """End index if `items` match starting at token `i`, else None."""
    pos = i
    k = 0
    while k < len(items):
        item = items[k]
        if item == "*":
            nxt = items[k + 1].split("|")
            for skip in range(_GAP + 1):
                j = pos + skip
                if j < len(forms) and forms[j] & set(nxt):
                    end = _match_at(items[k + 1 :], forms, j)
                    if end is not None:
                        return end
            return None
        if pos >= len(forms) or not forms[pos] & set(item.split("|")):
            return None
        pos += 1
        k += 1
    return pos


def find_cues(tokens) -> list[CueMatch]:
    """All cue matches in a sentence, one per token position, the highest-priority row first.

    Parameters
    ----------
    tokens
        A spaCy `Span` or `Doc` (anything iterable of tokens with `lemma_`, `lower_`,
        `is_punct`, `i`).

    Returns
    -------
    list of CueMatch
        `start`/`end` are spaCy token indices (`token.i`), so callers can look the cue
        token up in the parse. Overlapping matches keep the earlier (more specific) row.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [m.sub_event_type for m in find_cues(nlp("A protest was held in the square."))]
    ['Peaceful protest']
    """
    toks = [t for t in tokens if not (t.is_punct or t.is_space)]
    forms = [_forms(t) for t in toks]
    sentence_words = frozenset().union(*forms) if forms else frozenset()
    # Try only the cues whose first word occurs here, then keep matches in priority order
    # (row, then cue, then position), skipping any that overlap a better one.
    hits: list[tuple[int, int, CueMatch]] = []
    for i, words in enumerate(forms):
        for word in words:
            for priority, row, cue, items in _BY_FIRST_WORD.get(word, ()):
                if cue.context and not cue.context & sentence_words:
                    continue
                if cue.veto & sentence_words:
                    continue
                end = _match_at(items, forms, i)
                if end is not None:
                    hits.append((priority, i, CueMatch(row, cue, toks[i].i, toks[end - 1].i + 1)))
    taken: set[int] = set()
    found: list[CueMatch] = []
    for _, i, match in sorted(hits, key=lambda h: (h[0], h[1])):
        span = range(match.start, match.end)
        if any(j in taken for j in span) or match in found:
            continue
        taken.update(span)
        found.append(match)
    found.sort(key=lambda m: m.start)
    return found


def _index_cues() -> dict[str, list[tuple[int, SubEventType, Cue, list[str]]]]:
    index: dict[str, list[tuple[int, SubEventType, Cue, list[str]]]] = {}
    priority = 0
    for row in TAXONOMY:
        for cue in row.cues:
            items = cue.pattern.split()
            for word in items[0].split("|"):
                index.setdefault(word, []).append((priority, row, cue, items))
            priority += 1
    return index


_BY_FIRST_WORD = _index_cues()


# --- a cheap screen before the expensive parse -------------------------------------------
# The event rules need the dependency parse, which costs more than everything else in the
# pipeline. Most sentences cannot hold any cue, and that can be told from their words alone,
# before parsing: a cue needs every one of its (non-gap) items in the sentence. Lemmas are
# not known yet, so each word also stands for the few stems its suffixes could hide; that
# over-accepts a little, which only costs time, never an event.
_IRREGULAR = {"shot": "shoot", "fought": "fight", "met": "meet", "blew": "blow", "blown": "blow",
              "took": "take", "taken": "take", "held": "hold", "burnt": "burn", "sat": "sit",
              "built": "build", "overran": "overrun", "set": "set", "beheaded": "behead",
              "withdrew": "withdraw", "withdrawn": "withdraw", "stormed": "storm", "tore": "tear",
              "dead": "dead", "died": "die", "killings": "killing"}
_SUFFIXES = ("ing", "ings", "ed", "es", "s", "d", "er", "ers")


def word_guesses(word: str) -> set[str]:
    """The word, lower-cased, and the stems an English suffix could hide ('shelled' -> 'shell')."""
    w = word.lower()
    out = {w}
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            out.update((stem, stem + "e"))
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "kidnapped" -> "kidnap"
                out.add(stem[:-1])
    return out


def _requirements() -> list[tuple[frozenset[str], ...]]:
    reqs = []
    for row in TAXONOMY:
        for cue in row.cues:
            items = [frozenset(i.split("|")) for i in cue.pattern.split() if i != "*"]
            reqs.append(tuple(items))
    return reqs


_REQUIREMENTS = _requirements()


def _index_by_first_word(reqs: list[tuple[frozenset[str], ...]]) -> dict[str, list[tuple[frozenset[str], ...]]]:
    # Most sentences hold no cue word at all: looking up the words of a sentence beats
    # testing every cue pattern against it.
    index: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for req in reqs:
        for word in req[0]:
            index.setdefault(word, []).append(req)
    return index


_REQUIREMENTS_BY_WORD = _index_by_first_word(_REQUIREMENTS)


def may_hold_cue(words: set[str]) -> bool:
    """False when no cue can match a sentence with these word guesses (see `word_guesses`).

    Examples
    --------
    >>> may_hold_cue(word_guesses("Rebels") | word_guesses("shelled") | word_guesses("town"))
    True
    >>> may_hold_cue({"the", "council", "voted", "on", "budget"})
    False
    """
    return any(
        all(alternatives & words for alternatives in req[1:])
        for word in words.intersection(_REQUIREMENTS_BY_WORD)
        for req in _REQUIREMENTS_BY_WORD[word]
    )
