"""`issued import`, `potential import`, `report` (not built yet)."""

from __future__ import annotations

import typer

issued_app = typer.Typer(help="Not built yet.", no_args_is_help=True)
potential_app = typer.Typer(help="Not built yet.", no_args_is_help=True)


def report(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("report is not built yet")
