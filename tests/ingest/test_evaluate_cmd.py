"""`incident-atlas evaluate` end to end: the real Geoparser on a 5-document slice of LGL.

Needs the shared corpora beside the clone and a built gazetteer (`make test` builds it);
each missing piece skips with the reason. The option checks need neither.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata import settings
from ingest.cli.main import cli
from ingest.evaluation.corpus import shared_eval_dir
from ingest.evaluation.runner import END_TO_END_KEYS, GOLD_SPAN_KEYS

LGL = shared_eval_dir() / "corpora" / "lgl.jsonl"
needs_corpus = pytest.mark.skipif(not LGL.is_file(), reason=f"shared corpus not found at {LGL} (it sits beside the clone)")
needs_gazetteer = pytest.mark.skipif(
    not settings.gazetteer_path().exists(),
    reason=f"no gazetteer at {settings.gazetteer_path()}; run `incident-atlas gazetteer build`",
)


def run(*args: str):
    return CliRunner().invoke(cli, ["-q", "evaluate", *args], catch_exceptions=False)


@needs_corpus
@needs_gazetteer
def test_end_to_end_json_and_predictions_on_five_lgl_documents(tmp_path: Path):
    out = tmp_path / "pred.jsonl"
    result = run(str(LGL), "--limit", "5", "--json", "--workers", "1", "--predictions", str(out))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert tuple(figures) == END_TO_END_KEYS
    for key in ("precision", "recall", "f1", "acc161", "auc"):
        assert 0.0 <= figures[key] <= 1.0, (key, figures)
    # Fails if the geoparser finds (or resolves) nothing: these five local-news articles
    # name Alexandria, Pineville, Rapides Parish... in plain sight.
    assert figures["recall"] > 0.3 and figures["precision"] > 0.3
    assert figures["n"] > 5 and figures["acc161"] > 0.0  # something resolved within 161 km
    assert figures["mean_km"] >= 0.0 and figures["median_km"] >= 0.0
    assert figures["docs_per_s"] > 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records][:1] == ["lgl-40450848"] and len(records) == 5
    assert sum(r["tp"] for r in records) > 0
    match = next(m for r in records for m in r["matches"])
    assert set(match) >= {"name", "gold", "predicted", "label", "error_km"}


@needs_corpus
@needs_gazetteer
def test_gold_spans_json_on_five_lgl_documents():
    result = run(str(LGL), "--limit", "5", "--gold-spans", "--json", "--workers", "1")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert tuple(figures) == GOLD_SPAN_KEYS
    assert figures["n"] == 14  # every geolocated gold toponym of the slice is scored
    assert 0.0 < figures["acc161"] <= 1.0 and 0.0 <= figures["auc"] <= 1.0 + 1e-5


@needs_corpus
def test_refuses_to_overwrite_predictions_without_force(tmp_path: Path):
    out = tmp_path / "pred.jsonl"
    out.write_text("keep me\n")
    result = run(str(LGL), "--predictions", str(out))
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "keep me\n"


def test_missing_corpus_is_a_usage_error(tmp_path: Path):
    result = run(str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "no such corpus file" in result.output


def test_bad_prefer_country_is_a_usage_error(tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "x", "toponyms": []}\n')
    result = run(str(corpus), "--prefer-country", "USA")
    assert result.exit_code == 2 and "alpha-2" in result.output


@needs_gazetteer
def test_no_demonyms_scores_place_names_only(tmp_path: Path):
    corpus = tmp_path / "tiny.jsonl"
    text = "Syrian troops entered Aleppo on Monday."
    corpus.write_text(json.dumps({"id": "d1", "text": text, "toponyms": [
        {"start": 22, "end": 28, "name": "Aleppo", "lat": 36.2021, "lon": 37.1343}]}) + "\n", encoding="utf-8")
    with_demonyms = json.loads(run(str(corpus), "--json", "--workers", "1").stdout)
    without = json.loads(run(str(corpus), "--json", "--workers", "1", "--no-demonyms").stdout)
    assert with_demonyms["precision"] == 0.5  # "Syrian" is a false positive here
    assert without["precision"] == 1.0 and without["recall"] == 1.0
