"""Death counts read from one sentence, the way ACLED codes them."""

from __future__ import annotations

import pytest

from ingest.fatalities import VAGUE_PLURALS, count_fatalities, parse_number


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the head count, not the sub-group
        ("The blast killed 12 people, five of them children.", 12),
        # groups after "killed" are summed
        ("An airstrike on a school killed two soldiers and three civilians on Sunday.", 5),
        ("The attack killed 5 and wounded 10.", 5),
        ("Rebels said 22 people, including nine Iranians, were killed in the strike.", 22),
        ("The attack killed more than 20 people, among them four children.", 20),
        ("At least 12 killed in an attack on a market.", 12),
        ("The bomb went off in the market, killing 5.", 5),
        ("The explosion left three dead.", 3),
        ("The death toll rose to 40 on Tuesday.", 40),
        ("Twenty-two soldiers died in the ambush.", 22),
        ("Two dozen people died in the fighting.", 24),
        ("3 soldiers and 5 civilians were killed.", 8),
        ("Between 10 and 15 people were killed.", 10),
        ("In 2016, 30 people died in clashes.", 30),
        ("A soldier was killed near the border.", 1),
        ("No one was killed in the blast.", 0),
        ("At least 35 soldiers and volunteer fighters were killed.", 35),
        ("At least 14 fighters and five civilians were killed.", 19),
        ("The attack killed 3 and wounded 12.", 3),
    ],
)
def test_counts(sentence, expected):
    assert count_fatalities(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Twelve people were wounded in the attack.",
        "Five people were killed or wounded.",  # casualties mix dead and wounded
        "The leaders met on Monday in Helsinki.",
        "They were killed 2 km from the town.",  # a distance, not a count
        "Several people were killed.",  # no number: unknown, not invented
    ],
)
def test_no_count(sentence):
    assert count_fatalities(sentence) is None


def test_wounded_are_not_counted_with_the_dead():
    assert count_fatalities("The blast left 12 wounded and 3 killed.") == 3
    assert count_fatalities("Gunmen killed 3 soldiers and wounded 12 civilians.") == 3


def test_vague_plurals_follow_acled():
    assert VAGUE_PLURALS["dozens"] == 12 and VAGUE_PLURALS["tens"] == 10 and VAGUE_PLURALS["hundreds"] == 100
    assert count_fatalities("Dozens were killed when the market was shelled.") == 12
    assert count_fatalities("Hundreds of people were killed.") == 100


@pytest.mark.parametrize(
    "text, value", [("1,200", 1200), ("twenty-two", 22), ("two dozen", 24), ("half a dozen", 6), ("dozens", 12)]
)
def test_parse_number(text, value):
    assert parse_number(text) == value
