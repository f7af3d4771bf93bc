"""`match-names [FILE|-]`: one course name per line in, CSV out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from matcher.config import MatchConfig
from matcher.register import Register
from matcher.scoring import match_many
from mbo_websearch.errors import InputError, exit_codes
from mbo_websearch.options import workspace_from
from mbo_websearch.workspace import has_db, open_db
from snapshots.tabular import csv_text


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(path, 1, "-", "not UTF-8; save the file as UTF-8") from exc
    except OSError as exc:
        raise InputError.single(path, 0, "-", f"cannot read file: {exc.strerror}") from exc


def _config(path: Path | None) -> MatchConfig:
    if path is None:
        return MatchConfig()
    try:
        return MatchConfig.from_json(_read(str(path)))
    except ValueError as exc:
        raise InputError.single(path, 1, "-", f"bad matcher config: {exc}") from exc


@exit_codes
def match_names(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="File with one name per line, or - for stdin.")] = "-",
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Add an explanation column (which rule decided, and why)."),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="MatchConfig JSON with other thresholds (see matcher/config.py).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Match course names onto certificate codes; CSV out: name,code,title,score,decision.

    Uses the latest imported register (or the embedded default). decision is auto, review
    or none; score is the title similarity 0-100.

    Example: printf 'Mbo-certificaat Helpende Plus\\n' | mbo-websearch match-names -
    """
    match_config = _config(config)
    text = sys.stdin.read() if file == "-" else _read(file)
    names = [line.strip() for line in text.splitlines() if line.strip()]
    workspace = workspace_from(ctx)
    # no database yet: the embedded register, and no workspace created as a side effect
    register = Register.from_db(open_db(workspace)) if has_db(workspace) else Register.default()
    columns = ["name", "code", "title", "score", "decision", *(["explanation"] if explain else [])]
    rows = [
        [
            result.name,
            result.code,
            result.title,
            round(result.score, 1),
            result.decision.value,
            *([result.explanation] if explain else []),
        ]
        for result in match_many(names, register, config=match_config)
    ]
    sys.stdout.write(csv_text(columns, rows))
