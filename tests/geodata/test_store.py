"""IncidentStore on real SQLite files: migrations, idempotent adds, atomicity, dedup, reads."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import numpy as np
import pandas as pd
import pytest

from geodata.errors import StoreError
from geodata.export import EXPORT_COLUMNS
from geodata.filters import IncidentFilter
from geodata.model import Article, Candidate, Incident, Mention, Place
from geodata.store import IncidentStore, incident_id

HOMS = Place("169577", "Homs", "city", "SY", "Homs", 775404, 34.72682, 36.72339)
ALEPPO = Place("170063", "Aleppo", "city", "SY", "Aleppo", 1602264, 36.20278, 37.15861, 15.0)
BAGHDAD = Place("98182", "Baghdad", "city", "IQ", "Baghdad", 7216000, 33.34058, 44.40088, 20.0)


def mention(place: Place | None, text: str | None = None, start: int = 0, **kw) -> Mention:
    text = text or (place.name if place else "somewhere")
    return Mention(text, start, start + len(text), place=place, confidence=0.8, geo_precision=1, **kw)


def battle(place: Place | None = HOMS, *, day: date | None = date(2024, 3, 1), fatalities: int | None = 3,
           snippet: str = "Clashes near Homs killed three.", event_type: str = "Battles", **kw) -> Incident:
    return Incident(event_type, "Armed clash", mention(place), snippet, date_start=day, date_end=day,
                    date_precision="day" if day else "unknown", fatalities=fatalities, **kw)


def article(n: int, **kw) -> Article:
    defaults = dict(text=f"Article number {n} about clashes.", title=f"Title {n}", url=f"https://news.test/{n}",
                    source="Wire", published=date(2024, 3, 2), origin=f"batch.jsonl:{n}")
    return Article(**{**defaults, **kw})


@pytest.fixture
def db(tmp_path):
    """A fresh store in a real file, closed after the test."""
    with IncidentStore(tmp_path / "incidents.db") as store:
        yield store


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "incidents.db"
    with IncidentStore(path) as store:
        store.add_article(article(1), [], [battle()])
    with IncidentStore(path) as store:  # reopening must not re-run 0001 (it would fail on CREATE TABLE)
        assert store.applied_migrations() == ["0001_initial"]
        assert store.counts()["incidents"] == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone() == (1,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    from geodata import migrations

    path = tmp_path / "incidents.db"
    IncidentStore(path).close()
    shipped = migrations.available()
    broken = ("0002_broken", "ALTER TABLE incidents ADD COLUMN note TEXT;\nCREATE TABLE oops (;")
    monkeypatch.setattr(migrations, "available", lambda: [*shipped, broken])
    with pytest.raises(StoreError, match="incidents.db"):
        IncidentStore(path)
    monkeypatch.undo()
    with IncidentStore(path) as store:
        assert store.applied_migrations() == ["0001_initial"]
        columns = [r[1] for r in store.connection.execute("PRAGMA table_info(incidents)")]
        assert "note" not in columns  # the first statement was rolled back with the second


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.connection.execute("INSERT INTO mentions (article_id, start, \"end\", text, kind) "
                              "VALUES ('nope', 0, 1, 'x', 'place')")


def test_readding_an_article_changes_nothing_by_url_or_by_text(db):
    a = article(1)
    assert db.add_article(a, [mention(HOMS)], [battle()]) is True
    before = db.counts()
    assert db.add_article(a, [mention(HOMS)], [battle()]) is False
    # Same URL, edited text: still the same article.
    assert db.add_article(article(1, text="Updated text."), [mention(ALEPPO)], [battle(ALEPPO)]) is False
    # Same text (modulo whitespace) from another URL: the same story re-read.
    assert db.add_article(article(2, text="Article   number 1 about\nclashes."), [], [battle()]) is False
    assert db.counts() == before == {"articles": 1, "mentions": 1, "incidents": 1}
    assert db.incidents_frame()["n_sources"].tolist() == [1]


def test_articles_without_url_are_told_apart_by_text(db):
    assert db.add_article(article(1, url=""))
    assert db.add_article(article(2, url=""))
    assert db.counts()["articles"] == 2


def test_a_failure_mid_article_leaves_nothing_of_it(db, tmp_path):
    db.add_article(article(1), [mention(HOMS)], [battle(fatalities=3)])
    before = db.counts()
    # The first incident repeats the stored one (would add a source and raise fatalities);
    # the second breaks the geo_precision CHECK constraint.
    bad = Incident("Battles", "", Mention("Aleppo", 0, 6, place=ALEPPO, geo_precision=9), "bad")
    with pytest.raises(StoreError) as info:
        db.add_article(article(2, published=date(2024, 3, 1)), [mention(HOMS), mention(ALEPPO)],
                       [battle(fatalities=40), bad])
    assert str(tmp_path / "incidents.db") in str(info.value)
    assert isinstance(info.value.__cause__, sqlite3.IntegrityError)
    assert db.counts() == before
    row = db.incidents_frame().iloc[0]
    assert (row["n_sources"], row["fatalities"], row["url"]) == (1, 3, "https://news.test/1")
    # The store still works, and the same article can be added once fixed.
    assert db.add_article(article(2, published=date(2024, 3, 1)), [mention(HOMS)], [battle(fatalities=40)])
    assert db.counts() == {"articles": 2, "mentions": 2, "incidents": 1}


def test_the_same_event_from_two_articles_is_one_incident(db):
    later = article(1, source="Wire A", published=date(2024, 3, 3))
    earlier = article(2, source="Wire B", published=date(2024, 3, 2), title="First report")
    db.add_article(later, [mention(HOMS)], [battle(fatalities=5, snippet="Five killed near Homs.")])
    db.add_article(earlier, [mention(HOMS, "Homs city")],
                   [battle(fatalities=3, snippet="Three killed in Homs.")])
    frame = db.incidents_frame()
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["n_sources"] == 2
    assert row["fatalities"] == 5  # the largest count any source reports
    # Title, url, source, published, snippet: the earliest-published report.
    assert (row["title"], row["url"], row["source"], row["published"], row["snippet"]) == (
        "First report", "https://news.test/2", "Wire B", "2024-03-02", "Three killed in Homs.")
    sources = db.connection.execute(
        "SELECT article_id, fatalities FROM incident_sources ORDER BY fatalities").fetchall()
    assert sources == [(earlier.content_hash, 3), (later.content_hash, 5)]


def test_unknown_fatalities_do_not_hide_a_reported_count(db):
    db.add_article(article(1), [], [battle(fatalities=None)])
    db.add_article(article(2), [], [battle(fatalities=7)])
    db.add_article(article(3), [], [battle(fatalities=None)])
    assert db.incidents_frame()[["fatalities", "n_sources"]].values.tolist() == [[7, 3]]


def test_different_day_type_or_place_are_different_incidents(db):
    db.add_article(article(1), [], [battle(), battle(day=date(2024, 3, 5)), battle(event_type="Protests"),
                                    battle(ALEPPO)])
    assert db.counts()["incidents"] == 4


def test_the_same_event_twice_in_one_article_counts_one_source(db):
    db.add_article(article(1), [], [battle(fatalities=2, snippet="first"), battle(fatalities=4, snippet="second")])
    row = db.incidents_frame().iloc[0]
    assert (row["n_sources"], row["fatalities"], row["snippet"]) == (1, 4, "first")


def test_incident_ids_key_on_place_then_point_then_text():
    unnamed = Place("", "Somewhere", "city", "SY", "", 0, 34.721, 36.724)
    close_by = Place("", "Elsewhere", "city", "SY", "", 0, 34.7249, 36.7201)
    assert incident_id(battle(unnamed)) == incident_id(battle(close_by))  # same 0.01-degree cell
    assert incident_id(battle(None)) != incident_id(battle(HOMS))
    no_place = Incident("Battles", "", Mention("Wadi X", 0, 6), "s")
    assert incident_id(no_place) == incident_id(Incident("Battles", "", Mention("wadi  x", 3, 10), "t"))


def test_incidents_frame_has_the_export_columns_and_types(db):
    db.add_article(article(1), [], [battle(), battle(None, day=None, fatalities=None)])
    frame = db.incidents_frame()
    assert list(frame.columns) == EXPORT_COLUMNS
    assert str(frame["fatalities"].dtype) == "Int64" and str(frame["n_sources"].dtype) == "Int64"
    dated, undated = frame.iloc[0], frame.iloc[1]  # undated sorts last
    assert (dated["date_start"], dated["date_end"], dated["place"], dated["country"]) == (
        "2024-03-01", "2024-03-01", "Homs", "SY")
    assert (dated["lat"], dated["lon"], dated["geo_precision"]) == (HOMS.lat, HOMS.lon, 1)
    assert undated["place"] == "somewhere" and pd.isna(undated["lat"]) and pd.isna(undated["date_start"])
    assert list(db.incidents_frame(IncidentFilter(countries=("IQ",))).columns) == EXPORT_COLUMNS


def test_incidents_frame_filters_in_sql(db):
    db.add_article(article(1), [], [battle(), battle(BAGHDAD, fatalities=12)])
    assert db.incidents_frame(IncidentFilter(countries=("iq",)))["place"].tolist() == ["Baghdad"]
    assert db.incidents_frame(IncidentFilter(min_fatalities=10))["place"].tolist() == ["Baghdad"]
    assert db.incidents_frame(IncidentFilter(start=date(2024, 3, 2))).empty


def test_mentions_are_stored_with_their_resolution(db):
    cand = Candidate("169577", "Homs", "city", "SY", HOMS.lat, HOMS.lon, 0.91)
    a = article(1)
    db.add_article(a, [mention(HOMS, "Homs", 10, candidates=(cand,), sentence=2, label="GPE"),
                       Mention("Narnia", 30, 36, label="LOC")], [])
    frame = db.mentions_frame(a.content_hash)
    assert frame[["start", "end", "text", "place_id", "country_code"]].values.tolist()[0] == [10, 14, "Homs", "169577", "SY"]
    assert json.loads(frame.loc[0, "candidates"])[0]["score"] == 0.91
    assert frame.loc[0, "sentence"] == 2
    assert frame.loc[1, "text"] == "Narnia" and pd.isna(frame.loc[1, "place_id"]) and pd.isna(frame.loc[1, "lat"])
    assert db.mentions_frame("no-such-article").empty


def test_articles_frame_and_dashboard_helpers(db):
    db.add_article(article(1, warnings=("no date",)), [mention(HOMS)], [battle()])
    db.add_article(article(2, source="Agency"), [], [battle(BAGHDAD, day=date(2024, 2, 20)),
                                                     battle(event_type="Protests", day=None)])
    arts = db.articles_frame()
    assert arts["warnings"].tolist() == [["no date"], []]
    assert arts["n_mentions"].tolist() == [1, 0] and arts["n_incidents"].tolist() == [1, 2]
    assert "text" not in arts and "text" in db.articles_frame(include_text=True)
    assert db.date_range() == (date(2024, 2, 20), date(2024, 3, 1))
    assert db.distinct_values("event_type") == ["Battles", "Protests"]
    assert db.distinct_values("country") == ["IQ", "SY"]
    assert db.distinct_values("source") == ["Agency", "Wire"]
    with pytest.raises(ValueError, match="'text; DROP TABLE incidents'"):
        db.distinct_values("text; DROP TABLE incidents")


def test_bulk_rows_and_the_array_read_path_agree_with_the_frame(db):
    rng = np.random.default_rng(7)
    n = 20_000
    rows = [
        {"id": f"i{i}", "event_type": ("Battles", "Riots")[i % 2], "lat": float(rng.uniform(-60, 60)),
         "lon": float(rng.uniform(-170, 170)), "date_start": date(2020, 1, 1 + i % 28),
         "date_end": date(2020, 1, 1 + i % 28), "fatalities": None if i % 3 else int(i % 11),
         "country": "SY", "source": "bench"}
        for i in range(n)
    ]
    assert db.add_incident_rows(rows) == n
    flt = IncidentFilter(types=("Riots",), min_fatalities=1)
    arrays = db.incident_arrays(["id", "lat", "lon", "date_start", "fatalities", "n_sources"], flt)
    frame = db.incidents_frame(flt)
    assert arrays["id"].tolist() == frame["id"].tolist()
    np.testing.assert_array_equal(arrays["lon"], frame["lon"].to_numpy())
    assert arrays["date_start"].dtype == np.dtype("datetime64[D]")
    assert arrays["date_start"].astype(str).tolist() == frame["date_start"].tolist()
    assert (arrays["n_sources"] == 1).all()
    empty = db.incident_arrays(["lat", "date_start"], IncidentFilter(countries=("FR",)))
    assert empty["lat"].shape == (0,) and empty["date_start"].dtype == np.dtype("datetime64[D]")
    with pytest.raises(ValueError, match="'nope'"):
        db.incident_arrays(["nope"])


def test_bulk_rows_are_all_or_nothing(db):
    with pytest.raises(StoreError):
        db.add_incident_rows([{"id": "a", "event_type": "Riots"}, {"id": "b", "event_type": "Riots", "lat": 95.0,
                                                                    "lon": 0.0}])
    assert db.counts()["incidents"] == 0


def test_errors_name_the_database(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="junk.db"):
        IncidentStore(junk)
    with pytest.raises(StoreError, match="missing.db.*ingest"):
        IncidentStore(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_a_given_connection_is_used_and_left_open(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    with IncidentStore(conn) as store:
        store.add_article(article(1), [], [battle()])
        assert store.path == str(tmp_path / "x.db")  # error messages name the file
    assert conn.execute("SELECT COUNT(*) FROM incidents").fetchone() == (1,)
    conn.close()


def test_a_reader_sees_committed_articles_while_the_writer_is_open(tmp_path):
    path = tmp_path / "incidents.db"
    with IncidentStore(path) as writer, IncidentStore(path) as reader:
        writer.add_article(article(1), [], [battle()])
        assert reader.counts()["incidents"] == 1


def test_incident_arrays_reads_in_chunks_with_unknowns_as_nan(db, monkeypatch):
    monkeypatch.setattr(IncidentStore, "READ_CHUNK", 2)  # several chunks, the last one short
    rows = [{"id": f"r{i}", "event_type": "Riots", "lat": None if i == 3 else float(i), "lon": None if i == 3 else 1.0,
             "date_start": f"2024-01-0{i + 1}" if i != 2 else None, "fatalities": i} for i in range(5)]
    db.add_incident_rows(rows)
    a = db.incident_arrays(["id", "lat", "lon", "date_start", "fatalities", "n_sources"])
    assert list(a["id"]) == ["r0", "r1", "r3", "r4", "r2"]  # undated last, as incidents_frame
    assert a["lat"][[0, 1, 3, 4]].tolist() == [0.0, 1.0, 4.0, 2.0]
    assert np.isnan(a["lon"][2]) and np.isnat(a["date_start"][4])
    assert a["n_sources"].tolist() == [1] * 5
    frame = db.incidents_frame()
    assert list(frame["id"]) == list(a["id"])


def test_incidents_by_id_keeps_the_asked_order_and_skips_unknown_ids(db):
    db.add_incident_rows([{"id": f"k{i}", "event_type": "Protests", "title": f"T{i}"} for i in range(1203)])
    asked = ["k1202", "missing", "k0", "k700"] + [f"k{i}" for i in range(100, 1100)]
    got = db.incidents_by_id(asked, ["title", "id"])
    assert [g["id"] for g in got] == [i for i in asked if i != "missing"]
    assert got[0] == {"title": "T1202", "id": "k1202"}
    assert list(db.incidents_by_id(["k5"])[0]) == EXPORT_COLUMNS
    with pytest.raises(ValueError, match="unknown columns"):
        db.incidents_by_id(["k5"], ["id; DROP TABLE incidents"])


def test_incident_sources_lists_every_report_earliest_first(db):
    db.add_article(article(1, published=date(2024, 3, 5), source="Late wire"), [], [battle()])
    db.add_article(article(2, published=date(2024, 3, 2), source="Early wire"), [], [battle()])
    db.add_article(article(3, published=None, source="Undated blog"), [], [battle()])
    [iid] = db.incident_arrays(["id"])["id"]
    sources = db.incident_sources(iid)
    assert [s["source"] for s in sources] == ["Early wire", "Late wire", "Undated blog"]
    assert sources[0] == {"source": "Early wire", "url": "https://news.test/2", "title": "Title 2",
                          "published": "2024-03-02"}
    assert db.incident_sources("no-such-id") == []
