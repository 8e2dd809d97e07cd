"""`incident-atlas parse`: one text in, mentions and incidents out, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ingest.cli.main import cli


def test_parse_json_from_stdin_resolves_relative_dates(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "Protesters rallied in Nairobi on Monday against new taxes, police said.\n"
    result = CliRunner().invoke(cli, ["parse", "-", "--published", "2024-06-26", "--json"], input=text)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [m["place"] for m in out["mentions"]] == ["Nairobi"]
    assert out["mentions"][0]["country"] == "KE"
    [incident] = out["incidents"]
    assert incident["event_type"] == "Protests"
    assert incident["date_start"] == "2024-06-24"  # the Monday before a Wednesday
    assert not list(tmp_path.iterdir()), "parse must not write a store"


def test_parse_without_publication_date_says_the_date_is_unresolved():
    result = CliRunner().invoke(cli, ["parse", "-", "--json"], input="Clashes in Goma killed 3 people on Friday.\n")
    assert result.exit_code == 0, result.output
    [incident] = json.loads(result.stdout)["incidents"]
    assert incident["date_start"] is None and incident["date_precision"] == "unknown"
    assert incident["fatalities"] == 3


def test_parse_table_and_bad_date_option():
    runner = CliRunner()
    result = runner.invoke(cli, ["parse", "-", "--published", "2018-07-17"], input="Rebels shelled Idlib on Sunday.\n")
    assert result.exit_code == 0
    assert "Idlib" in result.stdout and "2018-07-15" in result.stdout
    bad = runner.invoke(cli, ["parse", "-", "--published", "next tuesday"], input="x")
    assert bad.exit_code == 2 and "'next tuesday' is not a date" in bad.output


def _places(*options: str, text: str) -> dict[str, str | None]:
    result = CliRunner().invoke(cli, ["parse", "-", "--json", *options], input=text)
    assert result.exit_code == 0, result.output
    return {m["text"]: m["country"] for m in json.loads(result.stdout)["mentions"]}


def test_prefer_country_and_feature_classes_from_the_command_line():
    text = "Floods hit Richmond and the Euphrates rose near Aleppo.\n"
    plain = _places(text=text)
    assert plain["Richmond"] == "US" and plain["Euphrates"] is not None
    assert _places("--prefer-country", "gb", text=text)["Richmond"] == "GB"
    no_water = _places("--deny-class", "water", text=text)
    assert no_water["Euphrates"] is None and no_water["Aleppo"] == "SY"
    cities = _places("--allow-class", "city", text=text)
    assert cities["Euphrates"] is None and cities["Aleppo"] == "SY"


def test_classes_that_leave_nothing_are_a_usage_error():
    result = CliRunner().invoke(cli, ["parse", "-", "--allow-class", "city", "--deny-class", "city"], input="x\n")
    assert result.exit_code == 2 and "nothing could resolve" in result.output
    bad = CliRunner().invoke(cli, ["parse", "-", "--deny-class", "river"], input="x\n")
    assert bad.exit_code == 2 and "river" in bad.output
