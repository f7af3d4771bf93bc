"""Options shared by every command, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from snapshots.workspace import Workspace

WorkspaceOption = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        envvar="MBO_WEBSEARCH_WORKSPACE",
        help="Workspace folder (websearch.db + warc/). Default: the current folder.",
        file_okay=False,
    ),
]
RoundOption = Annotated[str, typer.Option("--round", "-r", help="Round label, e.g. 2026-11.")]


class TableFormat(StrEnum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class DiffFormat(StrEnum):
    csv = "csv"
    json = "json"
    md = "md"


def workspace_from(ctx: typer.Context) -> Workspace:
    """The workspace chosen with the global --workspace option."""
    return Workspace(ctx.obj["workspace"])
