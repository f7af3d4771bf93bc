"""`demo`: the whole job on bundled demo sites, served on 127.0.0.21-25."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mbo_websearch.demo.runner import ROUNDS, run_demo
from mbo_websearch.errors import exit_codes


@exit_codes
def demo(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Report folder.", file_okay=False)
    ] = Path("demo-report"),
    demo_workspace: Annotated[
        Path,
        typer.Option(
            "--demo-workspace",
            help="Fresh workspace for the demo (emptied if an earlier demo "
            "left it; any other non-empty folder is refused).",
            file_okay=False,
        ),
    ] = Path("demo-workspace"),
) -> None:
    """Run the whole websearch on five bundled demo sites: two rounds crawled (one site down
    in the second), matched, diffed and reported. Your own workspace is not touched.

    Example: mbo-websearch demo --out demo-report
    """
    result = run_demo(demo_workspace, out, say=lambda line: typer.echo(line, err=True))
    typer.echo(
        f"\nDemo websearch, rounds {ROUNDS[0]} and {ROUNDS[1]} (workspace: {result.workspace}):"
    )
    for label, crawl in result.crawls.items():
        health = ", ".join(f"{r.institution}: {r.health}" for r in crawl.records)
        typer.echo(f"  crawl {label}: {health}")
    typer.echo("Samenvatting / summary:")
    for line in result.summary:
        typer.echo(f"  {line}")
    typer.echo(
        f"Rapport / report: {result.written.html} (open in a browser), "
        f"{result.written.xlsx}, {result.written.csv[0].parent}/"
    )
    if result.wacz:
        typer.echo(f"Bewijs / evidence: {result.wacz} (open in https://replayweb.page)")
    for note in result.notes:
        typer.echo(note)
    if result.review_open:
        typer.echo(
            f"Review: {result.review_open} namen in ronde {ROUNDS[1]} wachten op een analist. "
            f"Open de review met `mbo-websearch --workspace {result.workspace} serve` en "
            f"http://127.0.0.1:8000/ronde/{ROUNDS[1]}, of in de terminal met "
            f"`mbo-websearch --workspace {result.workspace} review --round {ROUNDS[1]}`."
        )
