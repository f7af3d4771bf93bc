"""`demo` command (not built yet)."""

from __future__ import annotations

import typer


def demo(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("demo is not built yet")
