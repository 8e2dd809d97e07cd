"""The spaCy pipeline and its gazetteer component, on sentences the bare model gets wrong."""

from __future__ import annotations

import pytest

from ingest.nlp import EMBEDDED_KEY, load_nlp, sentence_index


@pytest.fixture(scope="module")
def nlp(gazetteer):
    return load_nlp(gazetteer)


def ents(nlp, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(text).ents}


def test_pipeline_is_loaded_once_and_runs_only_what_is_needed(nlp, gazetteer):
    assert load_nlp(gazetteer) is nlp
    assert nlp.pipe_names == ["sentencizer", "ner", "atlas_places"]


def test_aleppo_is_relabelled_from_nationality_to_place(nlp):
    assert ents(nlp, "The Iranian forces were stationed at a base outside of Aleppo.")["Aleppo"] == "GPE"


def test_demonyms_stay_nationalities(nlp):
    found = ents(nlp, "Nine Iranians were killed; the Iranian presence remains.")
    assert found.get("Iranians") == "NORP" and found.get("Iranian") == "NORP"


def test_northern_syria_gives_syria(nlp):
    assert ents(nlp, "The strike in northern Syria killed 22 people.").get("Syria") in ("GPE", "LOC")


def test_city_state_pair_tagged_as_one_organisation_is_split(nlp):
    found = ents(nlp, "He moved to Bangor, Maine, last year.")
    assert found.get("Bangor") == "GPE" and found.get("Maine") == "GPE"


def test_european_union_is_a_place(nlp):
    found = ents(nlp, "Ministers of the European Union met.")
    assert any(label in ("GPE", "LOC") and "European Union" in text for text, label in found.items())


def test_organisations_keep_their_names(nlp):
    found = ents(nlp, "Putin said so, reported the Jerusalem Post.")
    assert "Jerusalem" not in found
    assert any("Jerusalem Post" in t and label == "ORG" for t, label in found.items())


def test_sentence_index_counts_sentences(nlp):
    doc = nlp("Rain fell in Paris. Snow fell in Berlin.")
    index = sentence_index(doc)
    assert index[0] == 0 and index[-1] == 1


def test_name_table_cache_is_rebuilt_when_the_gazetteer_changes(gazetteer, tmp_path):
    """Workers load the recogniser's name table from a cache beside the gazetteer; after an
    import changes the gazetteer the stale cache must not be used."""
    import os
    import shutil

    from geodata.gazetteer import Gazetteer
    from ingest.nlp import build_name_table, cached_name_table, name_table_is_cached

    copy = Gazetteer(shutil.copy(gazetteer.path, tmp_path / "gazetteer.sqlite"))
    assert not name_table_is_cached(copy)
    table = cached_name_table(copy)
    assert name_table_is_cached(copy)
    assert cached_name_table(copy) == table == build_name_table(copy)
    assert table["aleppo"].well_known and table["golan heights"].broad

    stat = copy.path.stat()
    os.utime(copy.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not name_table_is_cached(copy), "a changed gazetteer file makes the cache stale"


@pytest.mark.parametrize("text", [
    "Lawmakers voted in favor of the ‘No Confidence’ motion.",
    "Lawmakers voted in favor of the No Confidence Motion.",
])
def test_a_common_word_in_an_organisations_name_is_no_place(nlp, text):
    """GeoNames lists "No" for Nord, Haiti: the motion is no Haitian state body."""
    doc = nlp(text)
    places = [s.text for s in doc.spans.get(EMBEDDED_KEY, [])] + [e.text for e in doc.ents if e.label_ in ("GPE", "LOC")]
    assert not any("No" in p for p in places)


def test_an_opening_quote_is_no_part_of_an_organisations_place(nlp):
    doc = nlp("Agents of the ‘Georgia Bureau of Investigation’ arrived.")
    places = [s.text for s in doc.spans.get(EMBEDDED_KEY, [])] + [e.text for e in doc.ents if e.label_ in ("GPE", "LOC")]
    assert "Georgia" in places
