"""`crawl`: fetch and archive every institution's website for one round."""

from __future__ import annotations

import contextlib
import shlex
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from crawler.runner import CrawlCrashed, CrawlOptions, Progress, RoundResult, run_round
from mbo_websearch.defaults import ensure_institutions
from mbo_websearch.errors import InputError, NeedsAttention, exit_codes
from mbo_websearch.options import RoundOption, workspace_from
from mbo_websearch.workspace import open_db
from snapshots.store import institution_count

if TYPE_CHECKING:
    from pathlib import Path

    from snapshots.workspace import Workspace

STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red", "crawling": "cyan"}


def _progress_table(rows: list[Progress]) -> Table:
    table = Table(title="Crawling", expand=False)
    for column in ("institution", "pages", "errors", "requests", "status"):
        table.add_column(
            column, justify="right" if column in ("pages", "errors", "requests") else "left"
        )
    for row in sorted(rows, key=lambda r: r.institution):
        style = STATUS_STYLE.get(row.status, "")
        table.add_row(
            row.institution,
            str(row.pages),
            str(row.errors),
            str(row.requests),
            f"[{style}]{row.status}[/]" if style else row.status,
        )
    return table


def _summary_table(result: RoundResult) -> Table:
    table = Table(title=f"Round {result.round}: crawl health")
    table.add_column("institution", no_wrap=True)
    for column in ("health", "pages", "errors", "requests"):
        table.add_column(column, no_wrap=True)
    table.add_column("reason", overflow="fold")
    for record in sorted(result.records, key=lambda r: r.institution):
        health = str(record.health)
        reason = record.reason + (f" (suspect: {record.suspect_reason})" if record.suspect else "")
        table.add_row(
            record.institution,
            f"[{STATUS_STYLE[health]}]{health}[/]",
            str(record.pages),
            str(record.errors),
            str(record.requests),
            reason,
        )
    return table


def _plain_summary(result: RoundResult) -> str:
    """The health table as plain text, for a file, pipe or cron log."""
    header = ("institution", "health", "pages", "errors", "requests", "reason")
    rows = [header] + [
        (
            r.institution,
            str(r.health),
            str(r.pages),
            str(r.errors),
            str(r.requests),
            r.reason + (f" (suspect: {r.suspect_reason})" if r.suspect else ""),
        )
        for r in sorted(result.records, key=lambda r: r.institution)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [f"Round {result.round}: crawl health"]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _command_line(
    workspace: Path,
    round_label: str,
    institutions: list[str],
    options: CrawlOptions,
) -> str:
    """The complete crawl command (absolute workspace, every option): pasted anywhere, it
    crawls the same round of the same workspace."""
    words = ["mbo-websearch", "--workspace", str(workspace.resolve()), "crawl"]
    words += ["--round", round_label]
    for name in institutions:
        words += ["--institution", name]
    if options.delay is not None:
        words += ["--delay", f"{options.delay:g}"]
    if options.max_pages is not None:
        words += ["--max-pages", str(options.max_pages)]
    if options.render is not None:
        words += ["--render", options.render]
    if options.resume:
        words.append("--resume")
    return shlex.join(words)


def _load_institutions(workspace: Workspace, console: Console, defaults: bool) -> None:
    """A workspace without institutions crawls the embedded defaults only when asked (the
    flag, or yes at a terminal): a mistyped --workspace must not start 68 real crawls."""
    if workspace.db_path.is_file():
        db = open_db(workspace)
        try:
            if institution_count(db):
                return
        finally:
            db.close()
    asked = defaults or (
        sys.stdin.isatty()
        and typer.confirm(
            f"No institutions imported in {workspace.path.resolve()}. Crawl the embedded "
            "default Dutch mbo institutions?",
            default=False,
            err=True,
        )
    )
    if not asked:
        raise InputError.single(
            "--workspace",
            0,
            "workspace",
            f"no institutions imported in {workspace.path.resolve()}: import them "
            "(mbo-websearch institutions import FILE.csv), check --workspace, or add "
            "--default-institutions to crawl the embedded default Dutch mbo institutions",
        )
    db = open_db(workspace)
    try:
        loaded = ensure_institutions(db)
    finally:
        db.close()
    console.print(f"No institutions imported: crawling the {loaded} embedded defaults.")


@exit_codes
def crawl(
    ctx: typer.Context,
    round_label: RoundOption,
    institution: Annotated[
        list[str] | None,
        typer.Option(
            "--institution", "-i", help="Crawl only this institution (repeatable). Default: all."
        ),
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option(help="Seconds between requests to one site (default 1.0, AutoThrottle on)."),
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", help="Page budget per institution (default 500).")
    ] = None,
    render: Annotated[
        str | None,
        typer.Option(
            help="auto | always | never. Default: each institution's own setting, else auto."
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Complete an interrupted round without fetching stored URLs again."
        ),
    ] = False,
    default_institutions: Annotated[
        bool,
        typer.Option(
            "--default-institutions",
            help="In a workspace without imported institutions, crawl the embedded default "
            "Dutch mbo institutions (asked at a terminal; refused otherwise).",
        ),
    ] = False,
) -> None:
    """Crawl the institutions' websites for one round and record each crawl's health.

    Example: mbo-websearch crawl --round 2026-11 --institution "ROC Voorbeeld" --max-pages 300

    Exits 1 and names the institutions whose crawl failed (site down, robots.txt denies
    all, most requests failed): a failed crawl never turns offers "offline" in a diff.
    Exits 2, changing nothing, when another crawl holds the workspace (websearch.lock).
    """
    workspace = workspace_from(ctx)
    options = CrawlOptions(delay=delay, max_pages=max_pages, render=render, resume=resume)
    console = Console(stderr=True)
    _load_institutions(workspace, console, default_institutions)
    names = institution or []
    again = _command_line(workspace.path, round_label, names, replace(options, resume=True))
    live = Live(_progress_table([]), console=console, transient=True, refresh_per_second=4)
    with live if console.is_terminal else contextlib.nullcontext():
        try:
            result = run_round(
                workspace,
                round_label,
                institution or None,
                options=options,
                progress=(lambda rows: live.update(_progress_table(rows)))
                if console.is_terminal
                else None,
                stopping=lambda: console.print(
                    "Stopping: finishing the requests in flight and recording "
                    "crawl health (Ctrl-C again to stop at once)..."
                ),
                holder=_command_line(workspace.path, round_label, names, options),
            )
        except CrawlCrashed as exc:
            raise NeedsAttention(f"{exc}\nComplete the round with:\n  {again}") from exc
        except KeyboardInterrupt:
            live.stop()
            console.print(
                f"Interrupted: round {round_label} is incomplete. Complete it with:\n  {again}",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
            raise typer.Exit(130) from None
    if result.stale_lock:
        console.print(
            f"note: released the workspace lock left by a crawl that was killed: "
            f"{result.stale_lock}",
            markup=False,
            highlight=False,
        )
    out = Console()
    if out.is_terminal:
        out.print(_summary_table(result))
    else:
        sys.stdout.write(_plain_summary(result))
    if result.failed:
        lines = [f"  {r.institution}: {r.reason}" for r in result.failed]
        raise NeedsAttention(
            "crawl failed for:\n" + "\n".join(lines) + f"\nDetails in {result.log_path}"
        )
