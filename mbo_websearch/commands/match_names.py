"""`match_names` command (not built yet)."""

from __future__ import annotations

import typer


def match_names(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("match_names is not built yet")
