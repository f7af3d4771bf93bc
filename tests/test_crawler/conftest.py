"""Crawler test fixtures: every test site started once per session, crawl helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.runner import CrawlOptions, RoundResult, run_round
from snapshots.institutions import import_institutions
from snapshots.workspace import Workspace
from tests.servers import SiteFarm

#: Fast retries and short waits for loopback sites (politeness is tested separately).
FAST_SETTINGS = {
    "WEBSEARCH_BACKOFF_BASE": "0.05",
    "DOWNLOAD_TIMEOUT": "10",
    "WEBSEARCH_RENDER_STABLE_MS": "300",
    "WEBSEARCH_MAX_PER_PATTERN": "10",
}


@pytest.fixture(scope="session")
def farm() -> Iterator[SiteFarm]:
    sites = SiteFarm().start()
    yield sites
    sites.stop()


def make_workspace(path: Path, farm: SiteFarm, sites: list[str] | None = None) -> Workspace:
    """A workspace with the institutions of `sites` (all when None) imported."""
    workspace = Workspace(path)
    db = workspace.open()
    csv_path = path / "institutions.csv"
    csv_path.write_text(farm.institutions_csv(sites), encoding="utf-8")
    import_institutions(db, csv_path)
    db.close()
    return workspace


def crawl(workspace: Workspace, round_label: str, *, delay: float = 0, **options) -> RoundResult:
    settings = {**FAST_SETTINGS, **options.pop("settings", {})}
    return run_round(
        workspace,
        round_label,
        options.pop("institutions", None),
        progress=options.pop("progress", None),
        options=CrawlOptions(delay=delay, settings=settings, **options),
    )


def pages(workspace: Workspace, institution: str, round_label: str = "r1") -> list[dict]:
    db = workspace.open()
    try:
        return list(
            db.query(
                "SELECT p.* FROM pages p JOIN institutions i ON i.id = p.institution_id "
                "WHERE i.name = ? AND p.round = ? ORDER BY p.id",
                [institution, round_label],
            )
        )
    finally:
        db.close()
