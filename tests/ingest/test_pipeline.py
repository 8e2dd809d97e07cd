"""End to end: files on disk -> `incident-atlas ingest` -> SQLite -> `incident-atlas export`.

Uses the real readers, spaCy model, gazetteer and store, in-process through click's runner
with one worker (the worker pool is exercised by benchmarks/ingest.py and test_parallel_ingest_*).
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT.parent / "shared/samples/summit_airstrike_article.txt"


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as con:
        return tuple(con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "mentions", "incidents"))


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder with good articles and each kind of bad input beside them."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.md").write_text(
        "---\ntitle: Shelling in Kharkiv\npublished: 2024-03-05\nurl: https://example.org/kharkiv\n"
        "source: Example Wire\n---\nRussian shelling killed four people in Kharkiv on Monday, officials said.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02\x03binary\x00" * 50)
    (folder / "rows.jsonl").write_text(
        json.dumps({"text": "Protesters rallied in Nairobi on Tuesday against tax rises.", "title": "Nairobi protest",
                    "published": "2024-06-20", "url": "https://example.org/nairobi", "source": "Example Wire"})
        + "\n{not json\n"
        + json.dumps({"text": "A quiet day with no places mentioned at all.", "title": "Nothing",
                      "published": "2024-06-21", "url": "https://example.org/none"})
        + "\n",
        encoding="utf-8",
    )
    (folder / "xss.txt").write_text(
        "<script>alert(1)</script> Clashes in Goma killed 3 people on Friday.\n", encoding="utf-8"
    )
    return folder


def test_batch_with_bad_inputs_lands_the_good_ones_and_reports_the_bad(batch: Path, tmp_path: Path):
    db = tmp_path / "atlas.db"
    result = run("ingest", str(batch), "--db", str(db), "--workers", "1", "--published", "2024-06-22")
    assert result.exit_code == 1, "a batch with failures must exit non-zero"
    err = result.stderr
    assert "empty.txt" in err and "blob.txt" in err, err
    assert "rows.jsonl:2" in err, "a malformed JSON line is named by file and line"
    assert "failed" in err.splitlines()[-1], "the summary counts what failed"
    articles, mentions, incidents = counts(db)
    assert articles == 4  # good.md, two good jsonl rows, xss.txt
    assert incidents >= 2
    with sqlite3.connect(db) as con:
        stored = con.execute("select text from articles where text like '%<script>%'").fetchone()
    assert stored and "<script>alert(1)</script>" in stored[0], "HTML in text is stored as text"


def test_reingesting_the_same_inputs_adds_nothing(batch: Path, tmp_path: Path):
    db = tmp_path / "atlas.db"
    run("ingest", str(batch), "--db", str(db), "--workers", "1")
    before = counts(db)
    result = run("ingest", str(batch), "--db", str(db), "--workers", "1")
    assert counts(db) == before
    assert "4 already stored" in result.stderr


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/samples is not beside the repo")
def test_reference_article_end_to_end_through_export(tmp_path: Path):
    db = tmp_path / "atlas.db"
    result = run("ingest", str(SAMPLE), "--db", str(db), "--published", "2018-07-17", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out.geojson"
    result = run("export", "--format", "geojson", "--db", str(db), "-o", str(out))
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text())["features"]

    def near(lat, lon, radius=30):
        return [f for f in features if km(lat, lon, f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]) <= radius]

    helsinki = near(60.1695, 24.9354)
    assert any(f["properties"]["date_start"] == "2018-07-16" and f["properties"]["event_type"] == "Strategic developments"
               for f in helsinki), helsinki
    aleppo = near(36.2021, 37.1343)
    assert any(f["properties"]["date_start"] == "2018-07-15" and f["properties"]["fatalities"] == 22
               and f["properties"]["event_type"] == "Explosions/Remote violence" for f in aleppo), aleppo
    golan = near(33.00, 35.77)
    assert any(f["properties"]["event_type"] == "Battles" and f["properties"]["date_start"] is None for f in golan), golan
    assert not near(31.7683, 35.2137, radius=20), "nothing may be placed at Jerusalem"


LGL = ROOT.parent / "shared/eval/corpora/lgl.jsonl"


def stored(db: Path) -> tuple[list, list]:
    with sqlite3.connect(db) as con:
        mentions = con.execute(
            "select a.url, m.start, m.text, m.lat, m.lon from mentions m join articles a on a.id = m.article_id "
            "order by 1, 2").fetchall()
        incidents = con.execute(
            "select event_type, date_start, place, lat, lon, fatalities, snippet from incidents order by snippet, lat").fetchall()
    return mentions, incidents


@pytest.mark.skipif(not LGL.exists(), reason="../shared/eval is not beside the repo")
def test_parallel_ingest_stores_what_one_worker_stores_and_isolates_a_bad_article(tmp_path: Path):
    """Two workers parse batches of articles with spaCy's batching; the store must not tell.

    Row 5 is over the per-article size limit: it fails alone, named by file and line, and the
    batch it shares with seven good articles still lands.
    """
    rows = [json.loads(line) for line in LGL.read_text(encoding="utf-8").splitlines()[:24]]
    lines = [json.dumps({"text": r["text"], "title": r["id"], "url": f"https://example.org/{r['id']}",
                         "published": "2012-03-01"}) for r in rows]
    lines.insert(4, json.dumps({"text": "Shelling hit Aleppo on Monday. " * 40_000, "title": "huge"}))
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    results = {}
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        result = run("ingest", str(corpus), "--db", str(db), "--workers", workers)
        assert result.exit_code == 1, result.stderr
        assert "news.jsonl:5" in result.stderr and "1,000,000-character limit" in result.stderr, result.stderr
        assert counts(db)[0] == 24, "every good article lands"
        results[workers] = stored(db)
    mentions, incidents = results["2"]
    assert mentions and mentions == results["1"][0]
    assert incidents == results["1"][1]


def test_feature_classes_and_country_bias_reach_the_parsing_workers(tmp_path: Path):
    """`--deny-class` and `--prefer-country` must hold in the worker processes, not only in a
    single-process run: 20 articles make `ingest --workers 2` use its pool."""
    corpus = tmp_path / "rivers.jsonl"
    corpus.write_text("".join(
        json.dumps({"text": f"Story {k}: floods hit Richmond as the Euphrates rose near Aleppo.",
                    "url": f"https://example.org/{k}", "published": "2024-03-01"}) + "\n" for k in range(20)),
        encoding="utf-8")
    db = tmp_path / "rivers.db"
    result = run("ingest", str(corpus), "--db", str(db), "--workers", "2",
                 "--deny-class", "water", "--prefer-country", "GB")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute("select text, place_id, country_code from mentions").fetchall()
    assert len(rows) == 60
    assert {r[1] for r in rows if r[0] == "Euphrates"} == {None}
    assert {r[2] for r in rows if r[0] == "Richmond"} == {"GB"}
    assert {r[2] for r in rows if r[0] == "Aleppo"} == {"SY"}
