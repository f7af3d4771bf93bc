"""`review`: terminal review of a round, and the Excel round trip (export / import)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from matcher.register import Register
from mbo_websearch.errors import InputError, exit_codes
from mbo_websearch.options import out_file, workspace_from
from mbo_websearch.review import terminal
from mbo_websearch.review.workbook import export_round, import_decisions
from mbo_websearch.rounds import ensure_reviewable
from mbo_websearch.workspace import open_db
from snapshots.store import get_round

if TYPE_CHECKING:
    from sqlite_utils import Database

ReviewerOption = Annotated[
    str | None,
    typer.Option(
        "--reviewer",
        envvar="MBO_WEBSEARCH_REVIEWER",
        help="Your name for the decision log (asked when not given).",
    ),
]

app = typer.Typer(
    help="Review uncertain matches: in the terminal (review --round R), or in Excel "
    "(review export / review import).",
    invoke_without_command=True,
)


def _reviewer(reviewer: str | None) -> str:
    return reviewer or typer.prompt("Uw naam", default=getpass.getuser())


@app.callback(invoke_without_command=True)
@exit_codes
def review(
    ctx: typer.Context,
    round_label: Annotated[
        str | None, typer.Option("--round", "-r", help="Round label, e.g. 2026-11.")
    ] = None,
    reviewer: ReviewerOption = None,
) -> None:
    """Review a round's uncertain matches in the terminal, most decisive first.

    Per name: 1-5 accepts that code (add b to flip b2b-only: 2b), c searches another code,
    n = geen certificaattraject, s skips, u undoes your previous decision, q stops.
    Decisions go to the same log as the web app (mbo-websearch serve).

    Example: mbo-websearch review --round 2026-11 --reviewer "Anna"
    """
    if ctx.invoked_subcommand is not None:
        return
    if round_label is None:
        raise InputError.single("--round", 0, "round", "give the round to review: --round LABEL")
    db = open_db(workspace_from(ctx))
    if get_round(db, round_label) is None:
        raise InputError.single("--round", 0, "round", f"round {round_label!r} does not exist")
    _match_first(ctx, db, round_label)
    summary = terminal.run(
        db,
        Register.from_db(db),
        round_label,
        _reviewer(reviewer),
        ask=lambda text: typer.prompt(text, default="", show_default=False),
        say=typer.echo,
    )
    typer.echo(
        f"{summary.decided} beslist, {summary.skipped} overgeslagen, "
        f"{summary.undone} ongedaan, {summary.conflicts} conflicten."
    )


def _match_first(ctx: typer.Context, db: Database, round_label: str) -> None:
    run = ensure_reviewable(workspace_from(ctx), db, round_label)
    if run is not None:
        typer.echo(
            f"Matched round {round_label}: {run.pages} pages, {run.candidates} candidates.",
            err=True,
        )


@app.command("export")
@exit_codes
def export(
    ctx: typer.Context,
    round_label: Annotated[str, typer.Option("--round", "-r", help="Round label.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx).", callback=out_file)
    ],
) -> None:
    """Write a round's review items to an Excel workbook, one row per name and institution.

    Fill in the yellow columns: besluit (a code such as K0905, or geen), b2b (ja/nee),
    notitie. Then read it back with `mbo-websearch review import`.

    Example: mbo-websearch review export --round 2026-11 --out review.xlsx
    """
    db = open_db(workspace_from(ctx))
    if get_round(db, round_label) is not None:
        _match_first(ctx, db, round_label)
    count = export_round(db, round_label, out)
    typer.echo(f"Wrote {count} review rows to {out}.")


@app.command("import")
@exit_codes
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Workbook made by `review export`, filled in.")],
    reviewer: ReviewerOption = None,
) -> None:
    """Read analysts' decisions from a workbook made by `review export` (all rows or none).

    Every row is checked first: an unknown code, a changed grey column or a name someone
    else decided after the export is reported as file:row: column: problem, and then
    nothing is imported.

    Example: mbo-websearch review import review.xlsx --reviewer "Anna"
    """
    db = open_db(workspace_from(ctx))
    result = import_decisions(db, Register.from_db(db), file, reviewer=_reviewer(reviewer))
    typer.echo(
        f"Imported {result.decided} decisions from {file} "
        f"({result.unchanged} unchanged, {result.empty} rows without besluit)."
    )
