"""`serve` command (not built yet)."""

from __future__ import annotations

import typer


def serve(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("serve is not built yet")
