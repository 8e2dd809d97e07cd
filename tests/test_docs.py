"""The docs are tests: the README's commands and settings must exist, every command has help."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from geodata.settings import SETTINGS
from ingest.cli.main import SUBCOMMANDS, cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_setting_is_documented_in_the_readme():
    missing = [s.env for s in SETTINGS.values() if f"`{s.env}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_subcommand_the_readme_uses_exists():
    used = set(re.findall(r"^incident-atlas (\w[\w-]*)", README, flags=re.M))
    assert used, "README shows no incident-atlas commands"
    assert used <= set(SUBCOMMANDS), f"README uses unknown commands: {used - set(SUBCOMMANDS)}"


def test_every_subcommand_has_help_with_an_example():
    runner = CliRunner()
    for name in SUBCOMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, f"{name} --help failed: {result.output}"
        assert "Example" in result.output, f"`incident-atlas {name} --help` has no example"


def test_makefile_targets_named_in_readme_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "bench", "lock"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"Makefile has no {target} target"


def test_ci_script_calls_make_test():
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
