"""`diff` command (not built yet)."""

from __future__ import annotations

import typer


def diff(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("diff is not built yet")
