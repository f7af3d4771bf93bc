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


def out_file(path: Path | None) -> Path | None:
    """Callback of --out FILE: refuse, before anything runs, a file that cannot be written."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise typer.BadParameter(f"folder {path.parent} does not exist")
    return path


def out_folder(path: Path) -> Path:
    """Callback of --out DIR: the folder (created later) must not sit below a file."""
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                raise typer.BadParameter(f"{folder} is a file, not a folder")
            break
    return path
