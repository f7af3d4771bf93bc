"""`offers --round LABEL [--format csv|json|xlsx] [--out FILE] [--rematch]`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from matcher.offers import Offer, match_round, offers_for_round
from mbo_websearch.errors import InputError, exit_codes
from mbo_websearch.options import RoundOption, TableFormat, out_file, workspace_from
from mbo_websearch.rounds import ensure_matched
from mbo_websearch.workspace import open_existing_db
from snapshots.health import Health, health_for_round
from snapshots.tabular import csv_text, write_csv_file, write_sheet

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = (
    "institution",
    "funded",
    "code",
    "title",
    "type",
    "sector",
    "status",
    "b2b_only",
    "evidence_url",
    "score",
    "names",
    "round",
)


@exit_codes
def offers(
    ctx: typer.Context,
    round_label: RoundOption,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = (
        TableFormat.csv
    ),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to FILE (needed for xlsx).", callback=out_file),
    ] = None,
    rematch: Annotated[
        bool, typer.Option("--rematch", help="Match the round again even if it is current.")
    ] = False,
) -> None:
    """Offers found in a round: one row per institution and certificate code.

    Matches the round's archived pages first when they were not matched yet, when pages
    were added, or when a newer register applies (or always, with --rematch). status is
    confirmed (auto-accepted or accepted in review) or review (awaiting an analyst).

    Example: mbo-websearch offers --round 2026-11 --format csv --out offers-2026-11.csv
    """
    if format is TableFormat.xlsx and out is None:
        raise InputError.single("--out", 0, "--out", "xlsx output needs --out FILE.xlsx")
    workspace = workspace_from(ctx)
    db = open_existing_db(workspace)
    runs = (
        [match_round(workspace, db, round_label)]
        if rematch
        else ensure_matched(workspace, db, [round_label])
    )
    for run in runs:
        counts = ", ".join(f"{k} {v}" for k, v in run.decisions.items())
        typer.echo(
            f"Matched round {round_label}: {run.pages} pages, {run.candidates} "
            f"candidates ({counts}).",
            err=True,
        )
    rows = offers_for_round(db, round_label)
    if format is TableFormat.xlsx:
        assert out is not None
        _write_xlsx(rows, out)
    elif format is TableFormat.csv and out is not None:
        write_csv_file(out, COLUMNS, [_row(offer) for offer in rows])
    else:
        text = csv_text(COLUMNS, map(_row, rows)) if format is TableFormat.csv else _json(rows)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    if out is not None:
        typer.echo(f"Wrote {len(rows)} offers to {out}.", err=True)
    _note_crawls_not_ok(db, round_label)


def _note_crawls_not_ok(db: Database, round_label: str) -> None:
    """An institution whose crawl failed has no (or too few) offers: say so beside them."""
    bad = sorted(
        (r.institution, str(r.health))
        for r in health_for_round(db, round_label).values()
        if r.health is not Health.ok
    )
    if bad:
        names = ", ".join(f"{name} ({health})" for name, health in bad)
        whose = "its" if len(bad) == 1 else "their"
        typer.echo(
            f"note: round {round_label}: crawl not ok for {names}: {whose} offers may be "
            "missing or out of date (see the crawl_health view)",
            err=True,
        )


def _row(offer: Offer) -> list[object]:
    values = dataclasses.asdict(offer)
    values["names"] = " | ".join(offer.names)
    values["score"] = round(offer.score, 1)
    return [values[c] for c in COLUMNS]


def _json(rows: list[Offer]) -> str:
    return json.dumps([dataclasses.asdict(o) for o in rows], ensure_ascii=False, indent=2) + "\n"


def _write_xlsx(rows: list[Offer], path: Path) -> None:
    write_sheet(path, "offers", COLUMNS, [_row(offer) for offer in rows])
