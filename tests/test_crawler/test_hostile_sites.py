"""One round over the hostile-site farm (tests/hostile_sites.py): every attack ends, crawl
health records its cause, and the other institutions' results are untouched. The round
runs from a folder holding a `concurrent.py`, which must not shadow the standard library."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from snapshots.institutions import import_institutions
from snapshots.warc import count_records
from snapshots.workspace import Workspace
from tests.hostile_sites import HostileFarm
from tests.test_crawler.conftest import crawl

#: Generous: a hang shows as a round that never ends; this only turns it into a failure.
ROUND_BOUND_SECONDS = 120


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileFarm]:
    farm = HostileFarm().start()
    yield farm
    farm.stop()


@pytest.fixture(scope="module")
def hostile_round(hostile, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    workspace = Workspace(root / "ws")
    (root / "ws").mkdir()
    csv_path = root / "institutions.csv"
    csv_path.write_text(hostile.institutions_csv(), encoding="utf-8")
    db = workspace.open()
    import_institutions(db, csv_path)
    db.close()
    cwd = root / "werkmap"
    cwd.mkdir()
    (cwd / "concurrent.py").write_text("raise ImportError('the current folder shadowed me')\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        started = time.monotonic()
        result = crawl(
            workspace, "r1", render="never", settings={"WEBSEARCH_MAX_PER_PATTERN": "150"}
        )
        elapsed = time.monotonic() - started
    return workspace, result, elapsed


def health(hostile_round, institution: str) -> dict:
    workspace, _, _ = hostile_round
    db = workspace.open()
    try:
        row = next(
            db.query(
                "SELECT c.* FROM crawls c JOIN institutions i ON i.id = c.institution_id "
                "WHERE i.name = ?",
                [institution],
            )
        )
    finally:
        db.close()
    return {**row, "stats": json.loads(row["stats"])}


def stored_paths(hostile_round, institution: str) -> dict[str, dict]:
    workspace, _, _ = hostile_round
    db = workspace.open()
    try:
        rows = db.query(
            "SELECT p.* FROM pages p JOIN institutions i ON i.id = p.institution_id "
            "WHERE i.name = ?",
            [institution],
        )
        return {"/" + r["url"].split("/", 3)[3]: r for r in rows}
    finally:
        db.close()


def test_the_round_completes_in_bounded_time_from_any_folder(hostile_round):
    _, result, elapsed = hostile_round
    assert elapsed < ROUND_BOUND_SECONDS
    assert result.returncode == 0
    assert len(result.records) == 9


def test_the_control_institution_is_untouched(hostile_round):
    row = health(hostile_round, "ROC Controle")
    assert (row["health"], row["pages"], row["errors"]) == ("ok", 13, 0)
    expected = {"/robots.txt", "/sitemap.xml", "/", *(f"/p/{n}.html" for n in range(12))}
    assert set(stored_paths(hostile_round, "ROC Controle")) == expected


def test_binary_junk_is_archived_and_harms_nothing(hostile_round):
    row = health(hostile_round, "ROC Rommel")
    assert row["health"] == "ok"
    paths = stored_paths(hostile_round, "ROC Rommel")
    assert paths["/rommel.html"]["payload_length"] == 200_000
    assert "/goed.html" in paths


def test_a_redirect_loop_is_an_error(hostile_round):
    row = health(hostile_round, "ROC Rondje")
    assert row["health"] == "partial"
    assert row["errors"] == 1
    assert "redirect_loop 1" in row["reason"]
    assert "/goed.html" in stored_paths(hostile_round, "ROC Rondje")


def test_an_offsite_redirect_is_not_followed(hostile, hostile_round):
    row = health(hostile_round, "ROC Doorverwijzing")
    assert row["health"] == "ok"
    assert "1 redirect(s) to another site not followed" in row["reason"]
    assert row["stats"]["offsite_redirects"] == 1
    paths = stored_paths(hostile_round, "ROC Doorverwijzing")
    assert "/weg" not in paths
    assert all(r["final_url"].startswith(hostile.bases["offsite-redirect"]) for r in paths.values())
    assert hostile.servers["foreign"].log == []  # nothing of the other site was fetched


def test_a_start_url_redirecting_away_fails_the_crawl_without_adopting_the_host(
    hostile, hostile_round
):
    row = health(hostile_round, "ROC Verhuisd")
    assert row["health"] == "failed"
    assert row["reason"].startswith("redirects to another site (1 not followed)")
    paths = stored_paths(hostile_round, "ROC Verhuisd")
    assert set(paths) <= {"/robots.txt", "/sitemap.xml"}
    assert hostile.servers["foreign"].log == []


def test_a_decompression_bomb_is_an_error(hostile_round):
    row = health(hostile_round, "ROC Bom")
    assert row["health"] == "partial"
    assert "decompression_bomb 1" in row["reason"]
    paths = stored_paths(hostile_round, "ROC Bom")
    assert "/bom.html" not in paths
    assert "/goed.html" in paths


def test_a_body_over_the_size_limit_is_an_error(hostile_round):
    row = health(hostile_round, "ROC Reus")
    assert row["health"] == "partial"
    assert "too_large 1" in row["reason"]
    assert "/groot.html" not in stored_paths(hostile_round, "ROC Reus")


def test_a_gzipped_sitemap_is_fetched_and_read(hostile_round):
    paths = stored_paths(hostile_round, "ROC Sitemap")
    assert paths["/sitemap.xml.gz"]["kind"] == "sitemap"
    assert "/alleen-in-sitemap.html" in paths  # no link leads there: only the sitemap
    assert health(hostile_round, "ROC Sitemap")["health"] == "ok"


def test_control_bytes_in_pages_are_archived(hostile_round):
    row = health(hostile_round, "ROC Stuurtekens")
    assert (row["health"], row["pages"]) == ("ok", 2)


def test_every_warc_file_reads_back(hostile_round):
    workspace, _, _ = hostile_round
    db = workspace.open()
    counts = {
        r["warc_file"]: r["n"]
        for r in db.query("SELECT warc_file, COUNT(*) AS n FROM pages GROUP BY warc_file")
    }
    db.close()
    for warc_file, n in counts.items():
        assert count_records(Path(workspace.path / warc_file)) == n


def test_a_page_behind_an_offsite_redirect_never_becomes_an_offer(hostile, hostile_round):
    from matcher.offers import match_round, offers_for_round
    from mbo_websearch.workspace import open_db

    workspace, _, _ = hostile_round
    # a round of the two redirecting institutions alone (the control-bytes page is matched
    # by the extraction's own tests)
    redirecting = ["ROC Doorverwijzing", "ROC Verhuisd"]
    crawl(workspace, "r2", render="never", institutions=redirecting)
    db = open_db(workspace)
    try:
        match_round(workspace, db, "r2")
        offers = offers_for_round(db, "r2")
    finally:
        db.close()
    foreign = hostile.bases["foreign"]
    assert not [o for o in offers if o.evidence_url.startswith(foreign)]
    assert offers == []  # the foreign page offers K0905: followed, it would be one
