"""Recognition: which entities become place spans, and with which hints."""

from __future__ import annotations

import pytest

from ingest.geoparse import Geoparser


@pytest.fixture(scope="module")
def geoparser(gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


def spans(geoparser: Geoparser, text: str):
    return geoparser.spans(geoparser.nlp(text))


def by_text(geoparser: Geoparser, text: str) -> dict:
    return {s.text: s for s in spans(geoparser, text)}


def test_organisations_named_after_places_are_not_places(geoparser):
    text = (
        "Putin said so, reported the Jerusalem Post. Rebels were killed, reported al-Jazeera "
        "on Monday. The US backs the Federation of Northern Syria."
    )
    found = by_text(geoparser, text)
    assert "Jerusalem" not in found and "Jerusalem Post" not in found
    assert not any("Jazeera" in t for t in found)
    assert not any("Federation" in t for t in found) and "Northern Syria" not in found
    assert "Syria" not in found  # only named inside the organisation
    assert "US" in found


@pytest.mark.parametrize("word", ["Iranian", "Iranians", "Syrian"])
def test_demonyms_are_country_mentions(geoparser, word):
    found = by_text(geoparser, f"The {word} forces were stationed at the base.")
    assert found[word].kind == "demonym"


def test_cardinal_modifier_is_a_hint_not_part_of_the_span(geoparser):
    text = "The strike in northern Syria killed 22 people."
    span = by_text(geoparser, text)["Syria"]
    assert text[span.start : span.end] == "Syria"
    assert span.modifier == "northern"


def test_names_with_a_cardinal_in_them_stay_whole(geoparser):
    found = by_text(geoparser, "Storms hit North Carolina and South Africa.")
    assert {"North Carolina", "South Africa"} <= set(found)
    assert found["North Carolina"].modifier == ""


def test_aleppo_is_a_place_not_a_nationality(geoparser):
    span = by_text(geoparser, "Troops were stationed at a base outside of Aleppo.")["Aleppo"]
    assert span.kind == "place" and span.label == "GPE"
    assert span.qualifier == "outside of"


@pytest.mark.parametrize(
    "text, name",
    [
        ("The London-based group said so.", "London"),
        ("Syria's army advanced.", "Syria"),
        ("Rebels advanced near the Golan Heights on Monday.", "Golan Heights"),
    ],
)
def test_span_repair_reports_the_bare_name(geoparser, text, name):
    span = by_text(geoparser, text)[name]
    assert text[span.start : span.end] == name


def test_org_word_after_a_place_drops_it_but_jurisdictions_stay(geoparser):
    found = by_text(geoparser, "He studied at Texas Tech University. Gainesville Police said the road in Gainesville was closed.")
    assert "Texas" not in found
    assert "Gainesville" in found


def test_sentence_numbers(geoparser):
    found = spans(geoparser, "Rain fell in Paris. Snow fell in Berlin.")
    assert [(s.text, s.sentence) for s in found] == [("Paris", 0), ("Berlin", 1)]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Agents of the Georgia Bureau of Investigation arrived.", "Georgia"),
        ("The U.S. Army has been flying relief missions.", "U.S."),
        ("Dublin City Council heard a first reading on Monday.", "Dublin"),
        ("The audit blames the Laurel County Fiscal Court.", "Laurel County"),
        ("Huntsville Fire Chief Tom Grisham lifted the ban.", "Huntsville"),  # read as one PERSON
        ("Kent's Board of Finance met on Monday.", "Kent"),
        ("Texas Department of Transportation representative Richard Harper told Lamar County "
         "Commissioners Monday TxDOT has simplified the process.", "Lamar County"),
        ("Sledding is permitted as long as park rules are followed, says Officer Morton with "
         "Chesterfield County Police.", "Chesterfield County"),
        ("Henderson County Deputies arrested the driver near Athens, Texas.", "Henderson County"),
    ],
)
def test_a_jurisdictions_own_bodies_name_the_place(geoparser, text, name):
    span = by_text(geoparser, text)[name]
    assert text[span.start : span.end] == name


def test_town_mislabelled_as_organisation_is_a_place(geoparser):
    assert "Gainesville" in by_text(geoparser, "A Gainesville man was arrested and charged with theft.")


def test_a_persons_surname_is_not_a_town_later_in_the_article(geoparser):
    found = by_text(geoparser, "Sgt. Tom Ripley led the search. Ripley said the river was high.")
    assert "Ripley" not in found


def test_the_white_house_is_not_a_place(geoparser):
    assert "White House" not in by_text(geoparser, "The White House said on Monday that talks would go on.")


def test_cardinal_inside_the_entity_is_split_off(geoparser):
    span = by_text(geoparser, "They moved to North Texas in 1973.")["Texas"]
    assert span.modifier == "north"


def test_places_inside_hashtags(geoparser):
    text = "Protests again tonight #FreeGaza #SierraLeone"
    found = by_text(geoparser, text)
    assert text[found["Gaza"].start : found["Gaza"].end] == "Gaza"
    assert "SierraLeone" in found


def test_regional_adjective_is_a_demonym(geoparser):
    assert by_text(geoparser, "The European economy slowed.")["European"].kind == "demonym"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Flights to Guinea-Bissau resumed.", "Guinea-Bissau"),
        ("Cases rose in Chad and Democratic Republic of the Congo.", "Democratic Republic of the Congo"),
        ("He moved to Trinidad and Tobago in 1990.", "Trinidad and Tobago"),
    ],
)
def test_names_split_by_the_model_are_joined(geoparser, text, name):
    assert name in by_text(geoparser, text)


def test_postal_codes_as_states(geoparser):
    found = by_text(geoparser, "I'm from Newark, NJ. The recent earthquake in CA was big. IT IS IN OR NEAR")
    assert {"NJ", "CA"} <= set(found) and "OR" not in found


def test_event_named_after_its_place(geoparser):
    assert "Haiti" in by_text(geoparser, "Five years since the Haiti Earthquake, rebuilding goes on.")


def test_honorific_makes_a_person(geoparser):
    assert "Chen" not in by_text(geoparser, "Mr. Chen said the clinic would open.")


def test_datelines_and_places_after_in(geoparser):
    found = by_text(geoparser, "COLUMBUS, Ohio (AP) — Officials said a woman was found in Glen Allen on Monday.")
    assert {"COLUMBUS", "Ohio", "Glen Allen"} <= set(found)
    assert not by_text(geoparser, "He believes in God. It happened in March.")


def test_a_place_after_an_acronym_in_a_hashtag(geoparser):
    assert "Ferguson" in by_text(geoparser, "Marching tonight #DCFerguson")


def test_a_towns_police_department_stands_for_the_town(geoparser):
    assert "Ferguson" in by_text(geoparser, "Reminder: Ferguson PD brought police dogs")


@pytest.mark.parametrize(
    "text, name",
    [
        # headline and tweet run-ons the model swallows into the entity
        ("Tomorrow: Nottingham, United Kingdom - Oct 2 at The Maze", "United Kingdom"),
        ("Ebola patients should not be in the United States for Treatment - Jan Morgan Media", "United States"),
        ("Roses still bloom on the graves at Bodelwyddan http://t.co/fvL9", "Bodelwyddan"),
        # a full stop left on a word that is no abbreviation
        ("Stop the violence in Israel-Palestine. Please sign!", "Palestine"),
    ],
)
def test_spans_end_where_the_name_ends(geoparser, text, name):
    found = by_text(geoparser, text)
    assert name in found, found
    span = found[name]
    assert text[span.start : span.end] == name


@pytest.mark.parametrize("text, name", [("He moved to the Isle of Man in 2010.", "Isle of Man"),
                                        ("Protests spread to Bosnia and Herzegovina.", "Bosnia and Herzegovina"),
                                        ("Floods hit Gainesville, Fla. on Monday.", "Fla.")])
def test_connectors_and_abbreviations_stay_in_the_name(geoparser, text, name):
    assert name in by_text(geoparser, text)


def test_a_country_named_after_its_adjective_is_read_whole(geoparser):
    """The model tags "Central African" as a nationality and leaves "Republic" out."""
    found = by_text(geoparser, "Malaria is the leading killer in Central African Republic: aid group")
    assert found["Central African Republic"].kind == "place"
    assert by_text(geoparser, "He is a Central African refugee.")["Central African"].kind == "demonym"


def test_a_well_known_place_before_its_own_body_is_a_place(geoparser):
    """"Punjab Government" is Punjab's government, though the model tags nothing."""
    assert "Punjab" in by_text(geoparser, "RT @PTIofficial: Punjab Government has refused to accept")
    assert not by_text(geoparser, "Officer Flores said.")


@pytest.mark.parametrize("text", [
    "Very sorry you have the flu! Rest and look after yourself!",   # "Rest": Rasht in another language
    '"Come in out of the rain, good folk."',                         # "Come": Como
    "Trailer: 'Star Wars Rebels': Set between the prequels and the original films.",  # Sète
])
def test_a_towns_name_in_another_language_is_not_an_english_word(geoparser, text):
    assert not spans(geoparser, text)


def test_big_cities_keep_their_other_names(geoparser):
    found = by_text(geoparser, "Protesters gathered in Kiev and in Bombay; NYC was calm.")
    assert {"Kiev", "Bombay", "NYC"} <= set(found)


@pytest.mark.parametrize("text, code", [
    ("Storm damage hit 20mi N of Anchorage, AK, the USGS said.", "AK"),  # "AK" read as ORG
    ("Tornado relief for Columbia, MS & the towns around it", "MS"),       # "MS &" read as ORG
    ("Today: Modesto, CA - Dec 13 at the fairground", "CA"),              # "CA - Dec 13" a PRODUCT
    ("New #tornado warnings straddle the #AR and #TN state line", "TN"),
])
def test_us_postal_codes_as_states(geoparser, text, code):
    assert by_text(geoparser, text)[code].label == "GPE"


def test_a_postal_code_that_is_a_word_is_no_hashtag_state(geoparser):
    assert "OK" not in by_text(geoparser, "That is #OK with me")


def test_pro_and_anti_compounds_name_the_place(geoparser):
    found = by_text(geoparser, "Ukraine and pro-Russia rebels clashed; pro-Syrian fighters withdrew.")
    assert found["Russia"].kind == "place"
    assert found["Syrian"].kind == "demonym"


@pytest.mark.parametrize(
    "text, person",
    [
        ("Kerry condemns South Sudan, rebels as deadline passes", "Kerry"),  # an Irish county
        ("Officer Tom Gilbert responded. Gilbert said the road was closed.", "Gilbert"),  # Kiribati
        ("Police shot him, like #EricGarner and #AntonioMartin before him", "Garner"),
        ("The Obama administration has allowed people from these countries in.", "Obama"),
        ("Prayers tonight for #MichaelBrown's family", "Michael"),  # a parish of the Isle of Man
    ],
)
def test_people_named_like_small_places_stay_people(geoparser, text, person):
    found = by_text(geoparser, text)
    assert not any(person in name for name in found), found


@pytest.mark.parametrize(
    "text, place",
    [
        ("#PrayForFerguson tonight", "Ferguson"),
        ("Riot gear out at the station #FergusonOctober", "Ferguson"),
        ("A boy in #OtsegoCounty was saved from a fire", "OtsegoCounty"),
        ("I call for a lasting #Ceasefire4Gaza #syria", "syria"),
    ],
)
def test_places_in_hashtags_that_stay_places(geoparser, text, place):
    assert place in by_text(geoparser, text)


def test_a_word_the_model_tags_as_a_place_is_a_word_without_a_town_of_note(geoparser):
    assert not by_text(geoparser, "Watching the news. Tsunami is coming. The perfect gift of rest. Thanks Santa.")


def test_lower_case_hashtags_of_towns_named_like_words_are_words(geoparser):
    found = by_text(geoparser, "Quiet night #reading #paradise #hurricane #yoga")
    assert not found, found


@pytest.mark.parametrize(
    "text, place",
    [
        ("Earthquake Shakes Iceland Volcano, Still No Ash", "Iceland"),
        ("Why Is China Having Measles Outbreaks When 99% Are Vaccinated?", "China"),
    ],
)
def test_well_known_places_in_headline_case(geoparser, text, place):
    assert place in by_text(geoparser, text)


def test_headline_case_does_not_make_every_capitalised_word_a_city(geoparser):
    found = by_text(geoparser, "The Soul Rebels Brass Band Play Sweet Dreams Tonight")
    assert not found, found
    assert not by_text(geoparser, "Drug-resistant malaria may lead to the next health crisis")


@pytest.mark.parametrize(
    "text, place",
    [
        ("Clashes near Golan Heights - BEIRUT (AP) — Syrian troops battled rebels", "BEIRUT"),
        ("Tornado slams campground; 2 dead: CAPE CHARLES, Va. (AP) — The sky turned black", "CAPE CHARLES"),
        ("Pandemic threats top the list - DAVOS, Switzerland (Reuters) - The worst-ever", "DAVOS"),
        ("CAPE CHARLES—Two people died when a tornado hit the campground.", "CAPE CHARLES"),
        ("CAPE CHARLES--Two people died when a tornado hit the campground.", "CAPE CHARLES"),
    ],
)
def test_wire_datelines_inside_a_line(geoparser, text, place):
    assert place in by_text(geoparser, text)


def test_shouting_is_no_dateline(geoparser):
    assert not by_text(geoparser, "LOL: READING, WRITING AND MOBILE")


@pytest.mark.parametrize(
    "text, place",
    [
        ("War continues to spread violence in the Central African Republic: http://t.co/x", "Central African Republic"),
        ("Queenstown police are monitoring a protest", "Queenstown"),
        ("Is This an American Fighting for Pro-Moscow Rebels?", "Moscow"),
        ("The Great Alaska Earthquake of 1964", "Alaska"),
        ("We're Not Ready For It:  Detroit Flood.   On August 11", "Detroit"),
        ("Floods hit Richmond and the Euphrates rose near Aleppo.", "Aleppo"),  # read as LANGUAGE
        ("Floods hit Richmond and the Euphrates rose near Aleppo.", "Euphrates"),
        ("SDF fighters clashed with HTS near Manbij.", "Manbij"),  # read as a DATE
    ],
)
def test_places_the_model_cuts_short_or_reads_as_names(geoparser, text, place):
    assert place in by_text(geoparser, text)


def test_a_state_university_is_no_state(geoparser):
    found = by_text(geoparser, "She studied at Texas State University.")
    assert "Texas State" not in found


@pytest.mark.parametrize(
    "text, name",
    [
        ("RT @y: South africa sends you good vibes", "South africa"),  # not "South", Lebanon
        ("ebola is now on the east coast  i'm scared", "east coast"),  # not "East", Cameroon
        ("Cases were confirmed in Hebei province on Monday.", "Hebei"),  # the bare name, as annotated
    ],
)
def test_known_names_in_any_case_are_not_cut(geoparser, text, name):
    assert name in by_text(geoparser, text)


def test_months_and_weekdays_stay_dates(geoparser):
    assert not by_text(geoparser, "They met in March, again in May and on Sunday, and in August.")


@pytest.mark.parametrize("text, name", [
    ("Tremors were felt in Grantham, Lincoln and Spalding last night.", "Lincoln"),
])
def test_a_name_in_a_list_of_places_is_a_place_whatever_the_model_says(geoparser, text, name):
    """The small model tags "Lincoln" as an organisation, and the word is too common to take
    alone; beside other places in a list it is the town."""
    assert name in by_text(geoparser, text)


def test_a_comma_that_ends_a_clause_makes_no_list(geoparser):
    found = by_text(geoparser, "During her visit to Israel, Clinton spoke in favour of the plan.")
    assert "Israel" in found and "Clinton" not in found


def test_a_country_the_model_reads_as_a_product_is_a_place(geoparser):
    """The small model tags "Niger" here as a PRODUCT; a country's name alone is the country."""
    assert "Niger" in by_text(geoparser, "Police in the capital of Niger fire tear gas at protesters.")


@pytest.mark.parametrize("text", ["@ShirazHassan but they don't say it", "@AthertonKD @DanKaszeta A pint of beer"])
def test_a_users_handle_names_no_place(geoparser, text):
    """"@ShirazHassan" is someone's account, not Shiraz and Hassan."""
    assert by_text(geoparser, text) == {}


@pytest.mark.parametrize("text, names", [
    ("Salvador, Guatemala, Honduras + Mexico each had higher vaccination rates.", ["Honduras", "Mexico"]),
    ("Ebola kills thousands more in West Africa West Africa's fight goes on", ["West Africa", "West Africa"]),
    ("the deadly '89 earthquake struck the Bay Area  http://t.co/9xQbl1", ["Bay Area"]),
    ("#Ebola #Cancer #uk .", ["uk"]),
])
def test_spans_end_where_the_names_end(geoparser, text, names):
    """Tweets run names together ("Honduras + Mexico", a headline's name said again by its
    story) and leave stray spaces and full stops; each name is its own, bare span."""
    found = [s.text for s in spans(geoparser, text)]
    assert all(n in found for n in names) and found.count(names[0]) == names.count(names[0])
    assert all(f == f.strip() and not f.endswith(" .") for f in found)


def test_a_county_firm_or_building_keeps_its_whole_name(geoparser):
    """"Wright County Eggs" is a firm, not a mention of the county."""
    assert "Wright County" not in by_text(geoparser, "Wright County Eggs recalled 380 million eggs in Iowa.")


def test_one_stretch_of_text_is_one_span(geoparser):
    """A county found inside "St. Louis County Police" and as itself is one mention, not two
    (two would be two points on the map and a false positive in the scores)."""
    text = ("RT @ryanjreilly: Here’s what the response to daytime protest in #Ferguson looked the last "
            "time St. Louis County Police were in charge https…")
    found = [(s.start, s.end) for s in spans(geoparser, text)]
    assert len(found) == len(set(found))
    assert by_text(geoparser, text)["St. Louis County"].label == "GPE"  # a place, not a facility


@pytest.mark.parametrize("text, name", [
    ("Mississippi State beat Alabama on Saturday.", "Mississippi"),      # a university's team
    ("Ohio State coach Urban Meyer spoke after the game.", "Ohio"),
    ("New York State troopers closed the road.", "New York State"),      # the state, not the city
    ("Washington State fans cheered in Pullman.", "Washington State"),
    ("The Rivers State governor visited Port Harcourt.", "Rivers State"),  # a Nigerian state's name
])
def test_a_us_state_university_names_its_state(geoparser, text, name):
    assert name in by_text(geoparser, text)
