"""`offers` command (not built yet)."""

from __future__ import annotations

import typer


def offers(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("offers is not built yet")
