"""Every command has help with an example and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from mbo_websearch.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


COMMANDS = list(_commands(get_command(app)))


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_has_help_and_is_in_readme(name, command):
    assert command.help, name
    assert "not built yet" not in command.help.lower(), name
    assert f"mbo-websearch {name}" in README, f"README does not document `mbo-websearch {name}`"


def test_fixed_top_level_packages_come_from_this_project():
    import crawler
    import matcher
    import snapshots

    for package in (crawler, matcher, snapshots):
        assert Path(package.__file__).resolve().parent.parent == ROOT


def test_cli_imports_only_typer_never_click():
    for path in (ROOT / "mbo_websearch").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import click" not in text, path
        assert "from click" not in text, path
