"""Resolution on hand-made spans: the answers a reader expects, from the real gazetteer.

No spaCy here: spans are built from the text, so these tests isolate the resolver.
"""

from __future__ import annotations

import re

import pytest

from geodata.model import GEO_PRECISION_EXACT, GEO_PRECISION_NEAR, GEO_PRECISION_REGION
from geodata.resolve import Resolver, geo_precision, haversine_km, within
from ingest.recognize import PlaceSpan


def spans_of(text: str, *names: str, **hints: str) -> list[PlaceSpan]:
    """One PlaceSpan per occurrence of each name, in reading order."""
    found = []
    for name in names:
        for m in re.finditer(rf"\b{re.escape(name)}(?!\w)", text):
            found.append(PlaceSpan(name, m.start(), m.end(), qualifier=hints.get(name, "")))
    return sorted(found, key=lambda s: s.start)


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return Resolver(gazetteer)


def resolve_one(resolver: Resolver, text: str, *names: str, target: str | None = None, **hints: str):
    mentions = resolver.resolve(text, spans_of(text, *names, **hints))
    target = target or names[0]
    return next(m for m in mentions if m.text == target)


@pytest.mark.parametrize(
    "text, names, expected_country, lat, lon",
    [
        ("He grew up in Long Beach, California, near the port.", ("Long Beach", "California"), "US", 33.77, -118.19),
        ("The mill in Bangor, Maine, closed.", ("Bangor", "Maine"), "US", 44.80, -68.78),
        ("A tornado hit Paris, Texas, on Sunday.", ("Paris", "Texas"), "US", 33.66, -95.56),
        ("Shelling near Aleppo, Syria, killed four.", ("Aleppo", "Syria"), "SY", 36.20, 37.13),
        ("Talks in Helsinki, Finland ended.", ("Helsinki", "Finland"), "FI", 60.17, 24.94),
    ],
)
def test_explicit_container_picks_the_place_inside_it(resolver, text, names, expected_country, lat, lon):
    m = resolve_one(resolver, text, *names)
    assert m.place is not None and m.place.country_code == expected_country
    assert haversine_km(m.place.lat, m.place.lon, lat, lon) < 30


def test_a_list_of_cities_is_no_town_and_its_state(resolver):
    """"Washington, New York and Boston" lists three cities; Washington is no town of New York
    state. A list of states keeps "Long Island, New York" as the island and its state."""
    text = "After stops in Washington, New York and Boston, the crown prince flew to Houston."
    mentions = {m.text: m.place for m in resolver.resolve(text, spans_of(text, "Washington", "New York", "Boston", "Houston"))}
    assert (mentions["Washington"].name, mentions["Washington"].admin1) == ("Washington", "District of Columbia")
    assert mentions["New York"].name == "New York City"
    text = "People fell ill in Long Island, New York, Pennsylvania, and New Jersey."
    mentions = {m.text: m.place for m in resolver.resolve(text, spans_of(text, "Long Island", "New York", "Pennsylvania", "New Jersey"))}
    assert mentions["New York"].feature_class == "admin1"


def test_a_province_known_by_a_name_only_as_an_alias_is_a_weak_reading(resolver):
    """GeoNames lists "West Coast" among Western Australia's alternate names: without Australia
    in the text, the name is not Western Australia. (Which West Coast it is needs context:
    in an American text it is America's.)"""
    m = resolve_one(resolver, "Fires raged along the West Coast.", "West Coast")
    assert m.place is not None and m.place.name == "West Coast"
    text = "After stops in Washington and Boston, the prince spent this week on the West Coast."
    m = resolve_one(resolver, text, "Washington", "Boston", "West Coast", target="West Coast")
    assert m.place is not None and m.place.country_code == "US"


def test_a_world_city_is_not_a_small_namesake_that_nothing_in_the_text_places(resolver):
    """Ohio has a Toronto. A namesake that only the text's country favours does not outweigh
    the world city."""
    text = "Blue Jays fans in Toronto cheered; the Bisons play in Buffalo, New York."
    placed = {m.text: m.place.country_code for m in resolver.resolve(text, spans_of(text, "Toronto", "Buffalo", "New York"))}
    assert (placed["Toronto"], placed["Buffalo"]) == ("CA", "US")


def test_a_world_city_known_by_the_name_only_as_an_alias_does_not_take_it(resolver):
    """GeoNames gives "White House" as an alternate name of Casablanca (its meaning)."""
    m = resolve_one(resolver, "Trump met Kelly at the White House on Monday.", "White House")
    assert m.place is None or m.place.country_code == "US"


def test_a_region_known_to_every_reader_beats_a_hamlet_of_its_name(resolver):
    """GeoNames has a "Middle East" in Baltimore (1,900 people)."""
    text = "Tension in the Middle East is rising, the Baltimore Sun reported from Washington."
    m = resolve_one(resolver, text, "Middle East", "Baltimore", "Washington")
    assert m.place.feature_class == "region" and m.place.country_code != "US"


def test_a_namesake_beside_its_neighbours_keeps_the_name(resolver):
    text = "Dublin police said the crash closed a road between Dublin and Hilliard, Ohio."
    m = resolve_one(resolver, text, "Dublin", "Hilliard", "Ohio")
    assert (m.place.name, m.place.admin1) == ("Dublin", "Ohio")


@pytest.mark.parametrize("text, name, compass, feature_class", [
    ("Wildfires spread across central Washington on Monday.", "Washington", "central", "admin1"),
    ("Snow hit western New York overnight.", "New York", "western", "admin1"),
    ("Shelling hit eastern Aleppo on Sunday.", "Aleppo", "eastern", "city"),  # the city's east
])
def test_a_compass_word_points_to_an_area_where_town_and_area_lie_apart(resolver, text, name, compass, feature_class):
    start = text.index(name)
    (m,) = resolver.resolve(text, [PlaceSpan(name, start, start + len(name), modifier=compass)])
    assert m.place.feature_class == feature_class


@pytest.mark.parametrize("text, name, others", [
    ("A cow from a Washington state farm tested positive.", "Washington", ()),
    ("New York Governor Andrew Cuomo declared an emergency.", "New York", ()),
    ("The disease was found in the state of Washington.", "Washington", ()),
    ("Cases were reported in Utah, Washington and Wyoming.", "Washington", ("Utah", "Wyoming")),
    ("Concerts in New Jersey and New York opened the tour.", "New York", ("New Jersey",)),
])
def test_a_name_said_to_be_a_state_or_listed_among_states_is_the_state(resolver, text, name, others):
    m = resolve_one(resolver, text, name, *others)
    assert (m.place.feature_class, m.place.country_code) == ("admin1", "US")


def test_a_country_listed_after_a_state_stays_the_country(resolver):
    text = "Migrants camped in Matias Romero, Oaxaca, Mexico, on Wednesday."
    m = resolve_one(resolver, text, "Mexico", "Oaxaca", "Matias Romero")
    assert m.place.feature_class == "country"


def test_paris_alone_is_france(resolver):
    m = resolve_one(resolver, "Protests continued in Paris on Saturday.", "Paris")
    assert m.place.country_code == "FR"


def test_later_mentions_share_the_first_mentions_sense(resolver):
    text = "Storms hit Paris, Texas, on Sunday. Paris officials said roads were closed."
    mentions = resolver.resolve(text, spans_of(text, "Paris", "Texas"))
    paris = [m for m in mentions if m.text == "Paris"]
    assert len(paris) == 2 and {m.place.country_code for m in paris} == {"US"}


@pytest.mark.parametrize(
    "name, country, feature_class",
    [
        ("Oklahoma", "US", "admin1"),
        ("USA", "US", "country"),
        ("China", "CN", "country"),
        ("the Soviet Union", None, None),
        ("the European Union", None, None),
    ],
)
def test_well_known_names(resolver, name, country, feature_class):
    text = f"Officials in {name} said nothing."
    m = resolve_one(resolver, text, name)
    assert m.place is not None, name
    if country:
        assert m.place.country_code == country
    if feature_class:
        assert m.place.feature_class == feature_class
    assert m.geo_precision == GEO_PRECISION_REGION


def test_soviet_union_and_eu_are_where_a_reader_expects(resolver):
    su = resolve_one(resolver, "the Soviet Union collapsed.", "Soviet Union")
    eu = resolve_one(resolver, "the European Union agreed.", "European Union")
    assert 45 < su.place.lat < 70 and 25 < su.place.lon < 110  # Russia/Eurasia, not a town
    assert 40 < eu.place.lat < 60 and -10 < eu.place.lon < 30   # Europe


@pytest.mark.parametrize(
    "text, neighbour, expected",
    [
        ("Tbilisi and the rest of Georgia voted on Sunday.", "Tbilisi", "GE"),
        ("Atlanta and the rest of Georgia voted on Sunday.", "Atlanta", "US"),
    ],
)
def test_georgia_follows_its_neighbours(resolver, text, neighbour, expected):
    m = resolve_one(resolver, text, "Georgia", neighbour)
    assert m.place.country_code == expected


@pytest.mark.parametrize(
    "text, neighbour, expected",
    [
        ("Militias clashed in Tripoli while Benghazi stayed calm.", "Benghazi", "LY"),
        ("Militias clashed in Tripoli while Beirut stayed calm.", "Beirut", "LB"),
    ],
)
def test_tripoli_follows_its_neighbours(resolver, text, neighbour, expected):
    m = resolve_one(resolver, text, "Tripoli", neighbour)
    assert m.place.country_code == expected


def test_unknown_name_is_abstained(resolver):
    m = resolve_one(resolver, "We met in Qwxzzyvillezz yesterday.", "Qwxzzyvillezz")
    assert m.place is None and m.confidence == 0.0 and m.candidates == ()


def test_mention_carries_confidence_precision_and_top_five(resolver):
    m = resolve_one(resolver, "A blast in Springfield injured two.", "Springfield")
    assert m.place is not None
    assert 0.0 < m.confidence <= 1.0
    assert 1 <= len(m.candidates) <= 5
    scores = [c.score for c in m.candidates]
    assert scores == sorted(scores, reverse=True)
    assert m.candidates[0].place_id == m.place.id
    assert m.geo_precision == GEO_PRECISION_EXACT


def test_near_makes_precision_two(resolver):
    m = resolve_one(resolver, "Jets struck a base outside of Aleppo.", "Aleppo", Aleppo="outside of")
    assert m.place.country_code == "SY" and m.geo_precision == GEO_PRECISION_NEAR


def test_prefer_country_breaks_close_calls(gazetteer):
    text = "The council of Richmond met on Monday."
    default = Resolver(gazetteer).resolve(text, spans_of(text, "Richmond"))[0]
    british = Resolver(gazetteer, prefer_country="GB").resolve(text, spans_of(text, "Richmond"))[0]
    assert default.place.country_code == "US"
    assert british.place.country_code == "GB"


def test_the_preferred_country_keeps_its_namesake_of_a_world_city(gazetteer):
    text = "A water main broke in St. Petersburg on Monday, the city said."
    m = Resolver(gazetteer, prefer_country="US").resolve(text, spans_of(text, "St. Petersburg"))[0]
    assert (m.place.country_code, m.place.admin1) == ("US", "Florida")


def test_a_world_city_chosen_over_a_namesake_heads_its_candidates(resolver):
    """Confidence and the candidates kept for review describe the place chosen."""
    text = "Blue Jays fans in Toronto cheered; the Bisons play in Buffalo, New York."
    m = resolve_one(resolver, text, "Toronto", "Buffalo", "New York")
    assert m.place.country_code == "CA" and m.candidates[0].place_id == m.place.id


@pytest.mark.parametrize("text, names, town, expected", [
    ("Officials in Merida, Mexico and Miami met.", ("Merida", "Mexico", "Miami"), "Merida", "MX"),
    ("The flight from Utica, New York and Chicago was late.", ("Utica", "New York", "Chicago"), "Utica", "New York"),
])
def test_a_town_its_country_or_state_and_another_city_is_no_list_of_cities(resolver, text, names, town, expected):
    m = resolve_one(resolver, text, *names, target=town)
    assert expected in (m.place.country_code, m.place.admin1)


@pytest.mark.parametrize("name, expected", [
    ("High Wycombe Station", "High Wycombe"), ("Plantation High School", "Plantation"),
    ("Imperial Russia", "Russia"), ("Panama Canal Zone", "Panama Canal"),
])
def test_a_part_with_a_facility_or_era_word_still_finds_the_place(resolver, name, expected):
    assert resolver.candidates(name)[0].name == expected


@pytest.mark.parametrize("name, expected", [
    ("British Embassy Tokyo", "Tokyo"), ("Presbyterian Hospital Dallas", "Dallas"),
])
def test_a_place_after_a_building_word_is_where_the_building_is(resolver, name, expected):
    assert resolver.candidates(name)[0].name == expected


@pytest.mark.parametrize("name, expected", [("New York Auto Show", "New York City"), ("New Hall Farm", None)])
def test_a_world_city_starting_a_longer_name_is_found_though_its_first_word_is_generic(resolver, name, expected):
    found = resolver.candidates(name)
    assert (found[0].name if found else None) == expected


@pytest.mark.parametrize("written, gazetteer_name", [
    ("Saint Croix County", "St. Croix County"), ("Ft. Lauderdale", "Fort Lauderdale"),
])
def test_a_name_is_found_written_in_full_or_abbreviated(resolver, written, gazetteer_name):
    found = resolver.candidates(written)
    assert found and found[0].name == gazetteer_name and resolver.has_name(written)


def test_a_mexican_city_is_found_without_ciudad(resolver):
    m = resolve_one(resolver, "Smugglers crossed between Juarez, Mexico and El Paso.", "Juarez", "Mexico", "El Paso")
    assert m.place.name == "Ciudad Juárez"


def test_a_citys_own_name_is_no_adjective(resolver):
    assert resolver.demonym("Milan") is None  # not of Mila, Algeria


def test_allow_classes_restricts_feature_classes(gazetteer):
    text = "Flooding in Georgia."
    cities = Resolver(gazetteer, allow_classes={"city"}).resolve(text, spans_of(text, "Georgia"))[0]
    assert cities.place is None or cities.place.feature_class == "city"
    no_countries = Resolver(gazetteer, deny_classes={"country"}).resolve(text, spans_of(text, "Georgia"))[0]
    assert no_countries.place.feature_class != "country"


def test_demonym_span_is_the_country_and_never_precise(resolver):
    text = "Nine Iranians were killed."
    m = resolver.resolve(text, [PlaceSpan("Iranians", 5, 13, "NORP", "demonym")])[0]
    assert m.kind == "demonym" and m.place.country_code == "IR" and m.place.feature_class == "country"
    assert m.geo_precision == GEO_PRECISION_REGION


def test_within_uses_codes_for_states(gazetteer):
    texas = gazetteer.admin1("US", "TX")
    paris_tx = next(p for p in gazetteer.lookup("Paris") if p.country_code == "US" and within(p, texas))
    assert abs(paris_tx.lat - 33.66) < 0.2
    assert geo_precision(paris_tx) == GEO_PRECISION_EXACT


def test_st_is_saint(resolver):
    text = "From Moscow the train runs to St. Petersburg overnight."
    assert resolve_one(resolver, text, "St. Petersburg", "Moscow").place.country_code == "RU"


def test_bare_capital_name_is_the_capital(resolver):
    m = resolve_one(resolver, "Officials in Washington said the talks would resume.", "Washington")
    assert haversine_km(m.place.lat, m.place.lon, 38.895, -77.036) < 30


def test_country_is_not_its_capital(resolver):
    m = resolve_one(resolver, "Floods hit Mexico on Monday.", "Mexico")
    assert m.place.feature_class == "country" and m.place.country_code == "MX"


@pytest.mark.parametrize(
    "text, name, lat, lon",
    [
        ("A fire in Gainesville, Ga., destroyed two homes.", "Gainesville", 34.30, -83.82),
        ("He lives in Columbia, Mo., with his wife.", "Columbia", 38.95, -92.33),
        ("Nashville, TN is growing fast.", "Nashville", 36.17, -86.78),
    ],
)
def test_state_abbreviations_after_a_comma(resolver, text, name, lat, lon):
    m = resolve_one(resolver, text, name)
    assert haversine_km(m.place.lat, m.place.lon, lat, lon) < 30


def test_derived_demonym_names_a_region(resolver):
    assert resolver.demonym("European").name == "Europe"
    assert resolver.demonym("Californian").feature_class == "admin1"
    assert resolver.demonym("Texan").name == "Texas"
    # a people's adjective is their region, not the one province that shares its name (Iran's)
    assert resolver.demonym("Kurdish").feature_class == "region"


@pytest.mark.parametrize("name", ["Sudan", "Oman", "Japan", "Iran"])
def test_a_countrys_own_name_is_no_adjective(resolver, name):
    assert resolver.demonym(name) is None


def test_a_country_in_another_era_is_the_country(resolver):
    text = "He fled Nazi Germany in 1938."
    m = resolve_one(resolver, text, "Nazi Germany")
    assert m.place is not None and m.place.name == "Germany"


@pytest.mark.parametrize("name, expected", [("B.C.", "British Columbia"), ("NSW", "New South Wales")])
def test_province_abbreviations(resolver, name, expected):
    m = resolve_one(resolver, f"Flooding in {name} closed roads.", name)
    assert m.place is not None and m.place.name == expected


def test_dotted_initials_of_a_big_city_are_the_city_not_the_state(gazetteer):
    resolver = Resolver(gazetteer)
    assert resolver.candidates("L.A.")[0].name == "Los Angeles"
    assert resolver.candidates("N.Y.")[0].name == "New York"  # no city called that: the state


def test_a_bare_county_name_falls_back_to_the_county(gazetteer):
    found = Resolver(gazetteer).candidates("Oconee")
    assert found and found[0].feature_class == "admin2" and found[0].name.startswith("Oconee")


def test_oceans_beat_small_towns_of_the_same_name(gazetteer):
    m = resolve_one(Resolver(gazetteer), "Storms over the Atlantic.", "Atlantic")
    assert m.place.feature_class == "water"


def test_a_countrys_name_is_the_local_town_when_its_county_is_named(resolver):
    """Local news: "Palestine" beside "Anderson County" and "Elkhart" is the county seat in
    Texas; beside a state alone it stays the country (see test_china_stays_china_in_texas)."""
    text = ("A man from Elkhart was indicted by an Anderson County grand jury. "
            "He was held in the jail in Palestine.")
    m = resolve_one(resolver, text, "Palestine", "Elkhart", "Anderson County")
    assert (m.place.country_code, m.place.admin1) == ("US", "Texas")


def test_china_stays_china_in_texas(resolver):
    m = resolve_one(resolver, "Exports from Texas to China fell.", "China", "Texas")
    assert m.place.country_code == "CN"


def test_a_name_means_the_same_whatever_was_resolved_before(gazetteer):
    """Results must not depend on the order of the documents: "CA" and "ca", "L.A." and
    "LA" share a lookup key but not a reading."""
    for first, then in [("CA", "ca"), ("L.A.", "LA"), ("IN", "in")]:
        warmed = Resolver(gazetteer)
        warmed.candidates(first)
        assert warmed.candidates(then) == Resolver(gazetteer).candidates(then), (first, then)


@pytest.mark.parametrize("first, then", [("West African", "west African"), ("west African", "West African")])
def test_a_demonym_reads_the_same_whatever_was_read_before(gazetteer, first, then):
    warmed = Resolver(gazetteer)
    warmed.demonym(first)
    assert warmed.demonym(then) == Resolver(gazetteer).demonym(then)
    assert (Resolver(gazetteer).demonym("West African") is None) != (Resolver(gazetteer).demonym("west African") is None)


def test_denied_classes_leave_a_name_unresolved_not_read_through_a_part(gazetteer):
    """With admin-1 denied, "North Carolina" has no candidate: it must not become "Carolina",
    Puerto Rico, through the part-of-name fallback."""
    text = "Storms hit North Carolina on Monday."
    [m] = Resolver(gazetteer, deny_classes={"admin1"}).resolve(text, spans_of(text, "North Carolina"))
    assert m.place is None
    assert Resolver(gazetteer, deny_classes={"admin1"}).has_name("North Carolina")  # still a name


def test_a_full_cache_keeps_the_part_of_name_flag(gazetteer, monkeypatch):
    import geodata.resolve

    monkeypatch.setattr(geodata.resolve, "CACHE_SIZE", 3)
    resolver = Resolver(gazetteer)
    for name in ("Paris", "Rome", "Berlin"):
        resolver.candidates(name)
    assert resolver.is_partial("Dubai World Cup") and not resolver.has_name("Dubai World Cup")



@pytest.mark.parametrize("text, names, admin1", [
    ("Mississippi State outlasted Louisville in overtime at the Final Four in Columbus, Ohio. "
     "The coach said McCowan scored 21 points and grabbed 25 rebounds in the game.",
     ("Louisville", "Mississippi", "Columbus", "Ohio"), "Kentucky"),
    ("Houston beat the Portland Trail Blazers 96-94 as Paul scored 27 points and 9 rebounds. The Texas Rangers "
     "lost their baseball game in the ninth inning, their fourth defeat of the season.",
     ("Portland", "Houston", "Texas"), "Oregon"),
])
def test_a_team_in_a_game_report_is_the_big_city(resolver, text, names, admin1):
    """A game report names the venue's state; the visiting team is still from its big city,
    not from a small namesake in that state."""
    place = resolve_one(resolver, text, *names).place
    assert place is not None and (place.country_code, place.admin1) == ("US", admin1)


def test_a_local_report_keeps_the_namesake_in_its_state(resolver):
    """Outside game reports the state named in the text still wins: a local story from Ohio."""
    text = "Deputies in Stark County, Ohio, said they arrested a man in Louisville after a crash."
    place = resolve_one(resolver, text, "Louisville", "Stark County", "Ohio").place
    assert place is not None and place.admin1 == "Ohio"


def test_a_local_team_beside_its_neighbours_stays_local(resolver):
    """A local paper's game report: the team named after a suburb is the suburb's."""
    text = ("Hilliard Davidson lost to Dublin 3-1 in the league final on Friday. The coach said the "
            "season was the best in the school's history; Dublin scored two goals in the second half.")
    place = resolve_one(resolver, text, "Dublin", "Hilliard").place
    assert place is not None and place.country_code == "US"


def test_a_town_comma_state_is_not_read_on_a_river(resolver):
    """The state and the river share the name; "X, Y" puts X in the state."""
    text = "A tornado hit mobile homes in the southern part of Columbia, Mississippi."
    place = resolve_one(resolver, text, "Columbia", "Mississippi").place
    assert place is not None and place.admin1 == "Mississippi"


def test_an_acronym_in_camel_case_is_no_alternate_name(resolver):
    """"MoD" (the Ministry of Defence) matched an alternate name of Maud, Texas; a name
    written with a capital inside matches only places whose own name is written so."""
    text = "The Ministry of Defence (MoD) said a US soldier from Austin, Texas, was also killed."
    assert resolve_one(resolver, text, "MoD", "US", "Austin", "Texas").place is None
    assert resolve_one(resolver, "Flooding closed roads in DeKalb, Illinois.", "DeKalb", "Illinois").place.admin1 == "Illinois"


def test_a_budget_story_with_a_season_and_points_is_no_game_report(resolver):
    """"season", "final" and "points" are everyday words: the state named in the text still
    keeps its town."""
    text = ("Colorado officials said the wildfire season was the worst on record. The final report "
            "counted hot points in the foothills, and crews worked with Louisville residents.")
    place = resolve_one(resolver, text, "Louisville", "Colorado").place
    assert place is not None and place.admin1 == "Colorado"


def test_a_state_named_only_as_a_teams_name_keeps_no_town_of_its_own(resolver):
    """"against the Texas Rangers" says nothing about where the Buffalo Bisons play: Buffalo,
    New York, not Buffalo, Texas (1,900 people)."""
    text = ("Toronto fans recall his home run against the Texas Rangers. He belonged to Toronto, "
            "said a Toronto fan from Ontario. Wagner called games for the Buffalo Bisons.")
    m = resolve_one(resolver, text, "Toronto", "Ontario", "Texas", "Buffalo", target="Buffalo")
    assert m.place.admin1 == "New York"


# ------------------------------------------------------------------ counties named bare

@pytest.mark.parametrize("text, name", [
    ("Deputies in Walton and Barrow closed roads east of Atlanta, Georgia.", "Walton"),
    ("Deputies in Walton and Barrow closed roads east of Atlanta, Georgia.", "Barrow"),
    ("Schools in DeKalb and Gwinnett stay closed, Atlanta, Georgia officials said.", "DeKalb"),
])
def test_a_county_named_bare_in_a_state_s_local_news_is_the_county(resolver, text, name):
    """US local news writes "Walton" for Walton County; in a Georgia story it is the county,
    not Walton, Kentucky, or Barrow, Alaska."""
    names = [n for n in ("Walton", "Barrow", "DeKalb", "Gwinnett", "Atlanta", "Georgia") if n in text]
    m = resolve_one(resolver, text, *names, target=name)
    assert (m.place.feature_class, m.place.admin1) == ("admin2", "Georgia")
    assert m.place.name == f"{name} County"


@pytest.mark.parametrize("text, names, name, expected", [
    ("Flooding in York closed roads across Yorkshire.", ("York", "Yorkshire"), "York", "GB"),
    ("After stops in Washington, New York and Boston, the prince flew to Houston.",
     ("Washington", "New York", "Boston", "Houston"), "Houston", "Texas"),
])
def test_a_county_read_off_a_bare_name_does_not_move_cities(resolver, text, names, name, expected):
    """A city of 100,000 ("York") is what its name means, and a county read off another bare name
    ("Washington" County, Pennsylvania) is no evidence for the towns in it (Houston, PA)."""
    m = resolve_one(resolver, text, *names, target=name)
    assert expected in (m.place.country_code, m.place.admin1) and m.place.feature_class == "city"


def test_a_bare_name_stands_for_the_county_the_text_names_in_full(resolver):
    """"Suffolk County detectives ... the Suffolk Times": the paper is Long Island's, not
    from Suffolk, Virginia, the largest town of the name."""
    text = ("Suffolk County detectives found a skeleton under a house in Southold, the Suffolk "
            "Times reported.")
    m = resolve_one(resolver, text, "Suffolk", "Suffolk County", "Southold", target="Suffolk")
    assert (m.place.name, m.place.admin1) == ("Suffolk County", "New York")


@pytest.mark.parametrize("text, names, name, expected", [
    # a name that means more than the county keeps its meaning
    ("Delaware County officials met Delaware's governor in Wilmington.",
     ("Delaware County", "Delaware", "Wilmington"), "Delaware", ("admin1",)),
    # a town in the county stays the town
    ("Frederick County deputies closed roads in Frederick and Thurmont.",
     ("Frederick County", "Frederick", "Thurmont"), "Frederick", ("city",)),
])
def test_a_name_that_means_more_than_the_county_keeps_its_meaning(resolver, text, names, name, expected):
    m = resolve_one(resolver, text, *names, target=name)
    assert m.place.feature_class in expected


@pytest.mark.parametrize("name", ["Atlantic", "Lake", "York"])
def test_an_ocean_a_word_or_a_city_is_never_read_as_a_county_of_its_name(resolver, name):
    assert not any(p.name in (f"{name} County", f"{name} Parish") for p in resolver.candidates(name))
