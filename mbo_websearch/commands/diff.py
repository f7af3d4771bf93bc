"""`diff OLD NEW`: what went online or offline between two rounds."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from mbo_websearch.errors import exit_codes
from mbo_websearch.options import DiffFormat, out_file, workspace_from
from mbo_websearch.rounds import check_pair, diff_rounds
from mbo_websearch.workspace import open_existing_db
from snapshots.diff import Change, DiffRow, institution_summary
from snapshots.tabular import csv_text, write_csv_file

COLUMNS = [
    "institution",
    "code",
    "change",
    "old_evidence",
    "new_evidence",
    "old_status",
    "new_status",
    "review",
    "reason",
]

# An analyst's offline check in the review app (see snapshots.diff).
CHECK_LABELS = {
    "offline": " (offline bevestigd)",
    "still_offered": " (nog aangeboden volgens offline-controle)",
}


@exit_codes
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Label of the earlier round.")],
    new: Annotated[str, typer.Argument(help="Label of the later round.")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.csv,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to a file.", callback=out_file)
    ] = None,
) -> None:
    """Compare the offers of two rounds per (institution, code).

    change is online, offline, unknown (the new crawl was not ok: never reported as
    offline) or unchanged. Example: mbo-websearch diff 2025-11 2026-11 --format md
    """
    workspace = workspace_from(ctx)
    db = open_existing_db(workspace)
    note = check_pair(db, old, new)
    rows = diff_rounds(workspace, db, old, new)
    text = {DiffFormat.csv: _csv, DiffFormat.json: _json, DiffFormat.md: _markdown}[format](rows)
    if out and format is DiffFormat.csv:
        write_csv_file(out, COLUMNS, _csv_rows(rows))
    elif out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
    if note:
        typer.echo(note, err=True)
    unknown = sum(r.change is Change.unknown for r in rows)
    if unknown:
        typer.echo(
            f"{unknown} offer(s) unknown: the new crawl of their institution was not ok.", err=True
        )


def _csv_rows(rows: list[DiffRow]) -> list[list[object]]:
    values = [{**asdict(row), "change": str(row.change)} for row in rows]
    return [[v[c] for c in COLUMNS] for v in values]


def _csv(rows: list[DiffRow]) -> str:
    return csv_text(COLUMNS, _csv_rows(rows))


def _json(rows: list[DiffRow]) -> str:
    payload = {
        "offers": [{k: asdict(r)[k] for k in COLUMNS} for r in rows],
        "institutions": [asdict(s) for s in institution_summary(rows)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"


def _markdown(rows: list[DiffRow]) -> str:
    lines = [
        "| instelling | status | online | offline | onbekend | ongewijzigd |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for s in institution_summary(rows):
        c = s.counts
        lines.append(
            f"| {s.institution} | {s.status} | {c['online']} | {c['offline']} "
            f"| {c['unknown']} | {c['unchanged']} |"
        )
    lines += [
        "",
        "| instelling | code | wijziging | oud bewijs | nieuw bewijs |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        flag = " (controleren)" if r.review else ""
        flag += CHECK_LABELS.get(r.checked or "", "")
        lines.append(
            f"| {r.institution} | {r.code} | {r.change}{flag} "
            f"| {r.old_evidence or ''} | {r.new_evidence or ''} |"
        )
    return "\n".join(lines) + "\n"
