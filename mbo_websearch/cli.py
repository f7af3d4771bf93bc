"""The mbo-websearch command line: thin commands over crawler/, matcher/ and snapshots/."""

from __future__ import annotations

from pathlib import Path

import typer

from mbo_websearch.commands import (
    crawl,
    demo,
    diff,
    institutions,
    match_names,
    offers,
    register,
    reports,
    review,
    serve,
)
from mbo_websearch.options import WorkspaceOption

app = typer.Typer(
    name="mbo-websearch",
    help="Websearch of mbo-certificaat offers on Dutch mbo institutions' websites.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main(ctx: typer.Context, workspace: WorkspaceOption = Path(".")) -> None:
    """Websearch of mbo-certificaat offers: crawl, match, review, diff and report."""
    ctx.obj = {"workspace": workspace}


app.add_typer(institutions.app, name="institutions")
app.add_typer(register.app, name="register")
app.command("crawl")(crawl.crawl)
app.command("offers")(offers.offers)
app.command("match-names")(match_names.match_names)
app.command("diff")(diff.diff)
app.add_typer(review.app, name="review")
app.command("serve")(serve.serve)
app.add_typer(reports.issued_app, name="issued")
app.add_typer(reports.potential_app, name="potential")
app.command("report")(reports.report)
app.command("demo")(demo.demo)
