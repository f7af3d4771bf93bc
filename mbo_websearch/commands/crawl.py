"""`crawl`: fetch and archive every institution's website for one round."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from crawler.runner import CrawlCrashed, CrawlOptions, Progress, RoundResult, run_round
from mbo_websearch.defaults import ensure_institutions
from mbo_websearch.errors import NeedsAttention, exit_codes
from mbo_websearch.options import RoundOption, workspace_from
from mbo_websearch.workspace import open_db

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
) -> None:
    """Crawl the institutions' websites for one round and record each crawl's health.

    Example: mbo-websearch crawl --round 2026-11 --institution "ROC Voorbeeld" --max-pages 300

    Exits 1 and names the institutions whose crawl failed (site down, robots.txt denies
    all, most requests failed): a failed crawl never turns offers "offline" in a diff.
    """
    workspace = workspace_from(ctx)
    options = CrawlOptions(delay=delay, max_pages=max_pages, render=render, resume=resume)
    console = Console(stderr=True)
    db = open_db(workspace)
    try:
        loaded = ensure_institutions(db)
    finally:
        db.close()
    if loaded:
        console.print(f"No institutions imported: crawling the {loaded} embedded defaults.")
    with Live(_progress_table([]), console=console, transient=True, refresh_per_second=4) as live:
        try:
            result = run_round(
                workspace,
                round_label,
                institution or None,
                options=options,
                progress=lambda rows: live.update(_progress_table(rows)),
                stopping=lambda: console.print(
                    "Stopping: finishing the requests in flight and recording "
                    "crawl health (Ctrl-C again to stop at once)..."
                ),
            )
        except CrawlCrashed as exc:
            raise NeedsAttention(str(exc)) from exc
        except KeyboardInterrupt:
            live.stop()
            again = " ".join(
                [
                    "mbo-websearch",
                    "crawl",
                    "--round",
                    shlex.quote(round_label),
                    *(f"--institution {shlex.quote(n)}" for n in institution or []),
                    "--resume",
                ]
            )
            console.print(
                f"Interrupted: round {round_label} is incomplete. Complete it with "
                f"the same command plus --resume:\n  {again}",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
            raise typer.Exit(130) from None
    Console().print(_summary_table(result))
    if result.failed:
        lines = [f"  {r.institution}: {r.reason}" for r in result.failed]
        raise NeedsAttention(
            "crawl failed for:\n" + "\n".join(lines) + f"\nDetails in {result.log_path}"
        )
