"""`institutions import FILE.csv`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mbo_websearch.errors import exit_codes
from mbo_websearch.options import workspace_from
from mbo_websearch.workspace import open_db
from snapshots.institutions import import_institutions

app = typer.Typer(help="Manage the institutions whose websites are crawled.", no_args_is_help=True)


@app.command("import")
@exit_codes
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="CSV with name,funded,website[,brin,kind,region,start_urls,render]"),
    ],
) -> None:
    """Import institutions from a CSV file (all rows or none).

    Example: mbo-websearch institutions import institutions.csv
    """
    db = open_db(workspace_from(ctx))
    count = import_institutions(db, file)
    typer.echo(f"Imported {count} institutions from {file}.")
