"""Domain exceptions and the one place where they become exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from snapshots.errors import InputError, NotFound
from snapshots.lock import WorkspaceBusy
from snapshots.tabular import collected_notes

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["InputError", "NeedsAttention", "NotFound", "exit_codes"]


class NeedsAttention(Exception):
    """The job ran, but something needs a human (e.g. failed crawls): exit 1."""


def exit_codes(command: Callable[P, R]) -> Callable[P, R]:
    """Map domain exceptions to the contract's exit codes: 2 bad input, 1 needs attention."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with collected_notes() as notes:
            try:
                result = command(*args, **kwargs)
            except InputError as exc:
                _show(notes)
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                typer.echo("Nothing was changed.", err=True)
                raise typer.Exit(2) from exc
            except NotFound as exc:
                _show(notes)
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
            except WorkspaceBusy as exc:  # refused before anything ran: nothing changed
                _show(notes)
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
            except NeedsAttention as exc:
                _show(notes)
                typer.echo(str(exc), err=True)
                raise typer.Exit(1) from exc
            _show(notes)
            return result

    return wrapper


def _show(notes: list[str]) -> None:
    """What the file readers noticed (encoding, delimiter), before the outcome."""
    for note in notes:
        typer.echo(f"note: {note}", err=True)
