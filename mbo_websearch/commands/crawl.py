"""`crawl` command (not built yet)."""

from __future__ import annotations

import typer


def crawl(ctx: typer.Context) -> None:
    """Not built yet."""
    raise NotImplementedError("crawl is not built yet")
