"""`issued import`, `potential import` and `report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mbo_websearch.errors import NeedsAttention, exit_codes
from mbo_websearch.options import RoundOption, out_folder, workspace_from
from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.collect import collect_inputs
from mbo_websearch.reports.imports import import_issued, import_potential
from mbo_websearch.reports.pdf import PdfUnavailable, write_pdf
from mbo_websearch.reports.wacz import WaczUnavailable, write_wacz
from mbo_websearch.reports.write import write_all
from mbo_websearch.rounds import check_pair, ensure_matched
from mbo_websearch.workspace import open_db

issued_app = typer.Typer(
    help="Certificates issued per year (DUO), for the report's cross-check.", no_args_is_help=True
)
potential_app = typer.Typer(
    help="Potential offer per institution (DUO registrations).", no_args_is_help=True
)


@issued_app.command("import")
@exit_codes
def issued_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with code,year,funded,count")],
) -> None:
    """Import issued certificate counts (code,year,funded,count); all rows or none.

    Example: mbo-websearch issued import duo-behaalde-certificaten.csv
    """
    count = import_issued(open_db(workspace_from(ctx)), file)
    typer.echo(f"Imported {count} issued-certificate rows from {file}.")


@potential_app.command("import")
@exit_codes
def potential_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with institution,code")],
) -> None:
    """Replace the potential offer (institution,code) with the file's rows; all or none.

    Example: mbo-websearch potential import duo-registraties.csv
    """
    count = import_potential(open_db(workspace_from(ctx)), file)
    typer.echo(f"Imported {count} potential offers from {file}.")


@exit_codes
def report(
    ctx: typer.Context,
    round_label: RoundOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder for rapport.html, rapport.xlsx and csv/",
            file_okay=False,
            callback=out_folder,
        ),
    ],
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="Earlier round to compare with (online/offline, growth)"),
    ] = None,
    anonymize: Annotated[
        bool,
        typer.Option(
            "--anonymize",
            help="Publishable folder: 'Instelling A, B, ...', no sites, URLs or evidence "
            "sheets; the key is written next to the folder (DIR-sleutel.csv)",
        ),
    ] = False,
    issued_year: Annotated[
        int | None,
        typer.Option(
            "--issued-year",
            help="Year of issued certificates to cross-check (default: the latest imported)",
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option("--pdf/--no-pdf", help="Also print DIR/rapport.pdf (A4) with Chromium"),
    ] = True,
    csv_excel: Annotated[
        bool,
        typer.Option(
            "--csv-excel",
            help="Write the CSV files for Dutch Excel: ';'-separated (always UTF-8 with BOM)",
        ),
    ] = False,
    wacz: Annotated[
        bool,
        typer.Option(
            "--wacz",
            help="Also package the round's evidence as "
            "DIR/bewijs-ROUND.wacz (opens in ReplayWeb.page; needs "
            "the wacz package)",
        ),
    ] = False,
) -> None:
    """Write the monitor's tables (Dutch) as HTML with charts, XLSX and CSV.

    Rounds not matched yet (or with pages added since) are matched first.

    Example: mbo-websearch report --round 2026-11 --compare 2025-11 --out rapport/
    """
    workspace = workspace_from(ctx)
    db = open_db(workspace)
    note = check_pair(db, compare, round_label) if compare else None
    if note:
        typer.echo(note.replace("this diff", "this comparison"), err=True)
    for run in ensure_matched(workspace, db, [r for r in (round_label, compare) if r]):
        typer.echo(
            f"Matched round {run.round}: {run.pages} pages, {run.candidates} candidates.", err=True
        )
    inputs = collect_inputs(db, round_label, compare, issued_year=issued_year)
    built = build_report(inputs, anonymize=anonymize)
    written = write_all(built, out, csv_delimiter=";" if csv_excel else ",")
    for line in [*built.warnings, *built.summary]:
        typer.echo(line)
    typer.echo(
        f"Wrote {written.html}, {written.xlsx} and {len(written.csv)} CSV files "
        f"in {written.csv[0].parent}."
    )
    if pdf:
        try:
            printed = write_pdf(written.html, out / "rapport.pdf")
        except PdfUnavailable as exc:
            raise NeedsAttention(f"report written, but no PDF: {exc}") from exc
        typer.echo(f"Wrote {printed}.")
    if written.key:
        typer.echo(f"Wrote the pseudonym key to {written.key} (keep it out of the publication).")
    if wacz:
        try:
            # evidence names the sites: an anonymised folder must not hold it
            folder = out.resolve().parent if anonymize else out
            path = write_wacz(workspace, db, round_label, folder / f"bewijs-{round_label}.wacz")
        except WaczUnavailable as exc:
            raise NeedsAttention(f"report written, but no WACZ: {exc}") from exc
        typer.echo(f"Wrote {path} (evidence of round {round_label}, for ReplayWeb.page).")
