"""The whole job on bundled demo sites: serve, crawl two rounds, match, diff, report."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

from crawler.runner import CrawlOptions, RoundResult, run_round
from matcher.offers import offers_for_round
from mbo_websearch.demo.server import DemoSite
from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.collect import collect_inputs
from mbo_websearch.reports.imports import import_issued, import_potential
from mbo_websearch.reports.wacz import WaczUnavailable, write_wacz
from mbo_websearch.reports.write import Written, write_all
from mbo_websearch.review.queue import load_queue
from mbo_websearch.rounds import ensure_matched
from mbo_websearch.workspace import open_db
from snapshots.errors import InputError
from snapshots.institutions import import_institutions
from snapshots.tabular import write_csv_file
from snapshots.workspace import Workspace

ROUNDS = ("2025-11", "2026-11")
MARKER = ".mbo-websearch-demo"
# (folder, name, funded, loopback address)
SITES = (
    ("roc-demo-noord", "ROC Demo Noord", "bekostigd", "127.0.0.21"),
    ("roc-demo-zuid", "ROC Demo Zuid", "bekostigd", "127.0.0.22"),
    ("vakcollege-demo-horeca", "Vakcollege Demo Horeca", "bekostigd", "127.0.0.23"),
    ("zorgacademie-demo", "Zorgacademie Demo", "niet-bekostigd", "127.0.0.24"),
    ("techniekschool-demo", "Techniekschool Demo", "niet-bekostigd", "127.0.0.25"),
)
# Demo DUO figures (invented): issued certificates and registrations (potential offer).
ISSUED = (
    ("K0905", 2025, "bekostigd", 42),
    ("K0905", 2025, "niet-bekostigd", 12),
    ("C0039", 2025, "bekostigd", 8),
    ("K0118", 2025, "bekostigd", 5),
    ("C0019", 2025, "bekostigd", 24),
    ("K0977", 2024, "niet-bekostigd", 3),
)
POTENTIAL = (
    ("ROC Demo Noord", "K0905"),
    ("ROC Demo Noord", "K0118"),
    ("ROC Demo Noord", "C0039"),
    ("ROC Demo Noord", "C0053"),
    ("ROC Demo Zuid", "K0022"),
    ("Vakcollege Demo Horeca", "C0021"),
    ("Zorgacademie Demo", "K0905"),
)


@dataclass
class DemoResult:
    workspace: Path
    written: Written
    summary: list[str]
    crawls: dict[str, RoundResult] = field(default_factory=dict)
    offers: dict[str, int] = field(default_factory=dict)
    wacz: Path | None = None
    notes: list[str] = field(default_factory=list)
    review_open: int = 0  # names of the latest round awaiting an analyst


def prepare_workspace(path: Path) -> Workspace:
    """A fresh demo workspace: an earlier demo's folder is emptied, any other folder refused."""
    if path.exists() and any(path.iterdir()):
        if not (path / MARKER).exists():
            raise InputError.single(
                path,
                0,
                "--workspace",
                "folder is not empty and not an "
                "earlier demo workspace; choose a new or empty folder",
            )
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text(
        "Created by `mbo-websearch demo`; emptied on the next run.\n", encoding="utf-8"
    )
    return Workspace(path)


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[Sequence[object]]) -> Path:
    return write_csv_file(path, header, rows)


def run_demo(
    workspace_dir: Path,
    out: Path,
    *,
    say: Callable[[str], None] = lambda _: None,
    max_pages: int = 40,
) -> DemoResult:
    """Serve the demo sites, crawl and match both rounds, diff them and write the report."""
    workspace = prepare_workspace(workspace_dir)
    result = DemoResult(workspace.path, written=None, summary=[])  # type: ignore[arg-type]
    with as_file(files("mbo_websearch.demo").joinpath("sites")) as sites_dir:
        sites = [DemoSite(sites_dir / folder, host) for folder, _, _, host in SITES]
        try:
            for number, label in enumerate(ROUNDS, start=1):
                down = [
                    name
                    for site, (_, name, _, _) in zip(sites, SITES, strict=True)
                    if not site.serve_round(number)
                ]
                if number == 1:
                    _import_demo_data(workspace, sites)
                say(
                    f"Round {label}: crawling {len(SITES) - len(down)} demo sites"
                    + (f" ({', '.join(down)} is down)" if down else "")
                    + " ..."
                )
                result.crawls[label] = run_round(
                    workspace,
                    label,
                    options=CrawlOptions(
                        delay=0,
                        max_pages=max_pages,
                        render="never",
                        # the down demo site needs no minutes of polite back-off on loopback
                        settings={"WEBSEARCH_BACKOFF_BASE": "0.1"},
                    ),
                )
        finally:
            for site in sites:
                site.stop()
    db = open_db(workspace)
    try:
        ensure_matched(workspace, db, list(ROUNDS))
        for label in ROUNDS:
            result.offers[label] = len(offers_for_round(db, label))
            say(f"Round {label}: matched, {result.offers[label]} offers.")
        result.review_open = len(load_queue(db, ROUNDS[1]).pending)
        report = build_report(collect_inputs(db, ROUNDS[1], ROUNDS[0]))
        result.written = write_all(report, out)
        try:
            result.wacz = write_wacz(workspace, db, ROUNDS[1], out / f"bewijs-{ROUNDS[1]}.wacz")
        except WaczUnavailable as exc:
            result.notes.append(f"No WACZ: {exc}")
    finally:
        db.close()
    result.summary = report.summary
    return result


def _import_demo_data(workspace: Workspace, sites: list[DemoSite]) -> None:
    """Institutions (with this run's ports), demo DUO issued counts and potential offer."""
    rows = [
        (name, funded, f"{site.base}/", "demo")
        for site, (_, name, funded, _) in zip(sites, SITES, strict=True)
    ]
    db = open_db(workspace)
    try:
        path = workspace.path / "demo-institutions.csv"
        import_institutions(db, _write_csv(path, ("name", "funded", "website", "kind"), rows))
        import_issued(
            db,
            _write_csv(
                workspace.path / "demo-issued.csv", ("code", "year", "funded", "count"), ISSUED
            ),
        )
        import_potential(
            db,
            _write_csv(workspace.path / "demo-potential.csv", ("institution", "code"), POTENTIAL),
        )
    finally:
        db.close()
