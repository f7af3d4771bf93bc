"""`register import FILE [--as-of DATE]`, `register list`, `register show`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from matcher.register import Register, check_date, import_register, list_versions
from mbo_websearch.errors import exit_codes
from mbo_websearch.options import workspace_from
from mbo_websearch.workspace import open_db
from snapshots.tabular import csv_text

app = typer.Typer(
    help="The mbo-certificaat register (SBB export) that course names are matched against.",
    no_args_is_help=True,
)


@app.command("import")
@exit_codes
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="SBB export or CSV (.csv or .xlsx)")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the register is valid for (YYYY-MM-DD); default today."),
    ] = None,
) -> None:
    """Import a register version from CSV or XLSX (all rows or none).

    Columns: code,title[,type,sector,sbu,level,qualification,lnv,aliases,alt_codes] or the
    SBB headers Code, Titel/Naam, Type, Sector(kamer), Omvang/sbu, Niveau, Kwalificatie.

    Example: mbo-websearch register import certificaten-2026.xlsx --as-of 2026-01-15
    """
    db = open_db(workspace_from(ctx))
    count = import_register(db, file, as_of=as_of)
    version = list_versions(db)[0]
    typer.echo(
        f"Imported {count} certificates from {file} as register version "
        f"{version.id} (as of {version.as_of})."
    )


@app.command("list")
@exit_codes
def list_(ctx: typer.Context) -> None:
    """List imported register versions, newest first.

    Example: mbo-websearch register list
    """
    versions = list_versions(open_db(workspace_from(ctx)))
    if not versions:
        typer.echo(
            f"No register imported; using the embedded default "
            f"({len(Register.default())} certificates, partial)."
        )
    for v in versions:
        typer.echo(f"{v.id}\t{v.as_of}\t{v.certificates} certificates\t{v.source}")


@app.command("show")
@exit_codes
def show(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Show the version valid on this date (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Print the register in use as CSV: code,title,type,sector,sbu,level,alt_codes.

    Example: mbo-websearch register show --as-of 2026-01-31
    """
    register = Register.from_db(
        open_db(workspace_from(ctx)), as_of=check_date(as_of) if as_of else None
    )
    typer.echo(f"# {register.source}, as of {register.as_of or '-'}", err=True)
    columns = ["code", "title", "type", "sector", "sbu", "level", "alt_codes"]
    rows = [
        [c.code, c.title, c.type, c.sector, c.sbu, c.level, "|".join(c.alt_codes)] for c in register
    ]
    sys.stdout.write(csv_text(columns, rows))
