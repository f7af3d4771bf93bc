"""Offline checks: last round's page beside this round's nearest page with a text diff, and a
verdict that the real `diff` command then uses."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.collect import collect_inputs
from mbo_websearch.review import create_app
from mbo_websearch.review.text_diff import main_text, text_changes
from snapshots.health import Health
from tests.test_app.conftest import LiveServer
from tests.test_app.test_diff_command import BASISZORG, HELPENDE, add_institution, crawl
from tests.test_app.test_review_accessibility import findings

GONE = b"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Vervallen</title>
</head><body><nav><a href="/">Home</a></nav><main><h1>Pagina niet meer beschikbaar</h1>
<p>Deze cursus is vervallen. Bekijk ons actuele aanbod.</p></main></body></html>"""
OLD_URL = "https://alfa.nl/oud/basiszorg"


@pytest.fixture
def gone_offline(workspace, db):
    """Alfa offered C0039 and K0905 in 2025; in 2026 the C0039 page says it is gone."""
    alfa = ("Alfa", add_institution(db, "Alfa"))
    crawl(
        workspace,
        db,
        "2025",
        alfa,
        [("https://alfa.nl/oud/helpende", HELPENDE), (OLD_URL, BASISZORG)],
        Health.ok,
    )
    crawl(
        workspace,
        db,
        "2026",
        alfa,
        [("https://alfa.nl/nieuw/helpende", HELPENDE), (OLD_URL, GONE)],
        Health.ok,
    )
    db.execute("UPDATE rounds SET started_at = '2025-11-01T00:00:00+00:00' WHERE label = '2025'")
    db.execute("UPDATE rounds SET started_at = '2026-11-01T00:00:00+00:00' WHERE label = '2026'")
    db.conn.commit()
    return alfa[1]


def diff_rows(cli) -> dict[str, dict[str, str]]:
    result = cli("diff", "2025", "2026")
    assert result.exit_code == 0, result.output
    return {r["code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def offline_in_report(db) -> int:
    report = build_report(collect_inputs(db, "2026", "2025"))
    return int({r[0]: r[1] for r in report.table("overzicht").rows}["Eerst online, nu offline"])


def test_main_text_leaves_out_navigation_and_the_diff_names_lines():
    before = main_text(BASISZORG.decode("utf-8"))
    after = main_text(GONE.decode("utf-8"))
    assert "Home | Contact" not in " ".join(before)
    assert before[0] == "Certificaattraject Individuele basiszorg verlenen (C0039)"
    changes = text_changes(before, after)
    assert ("removed", before[0]) in [(c.kind, c.text) for c in changes]
    assert ("added", "Pagina niet meer beschikbaar") in [(c.kind, c.text) for c in changes]
    assert not [c for c in changes if c.text == "Home"]


def test_the_offline_view_shows_both_pages_and_a_verdict_changes_the_diff(
    browser, workspace, db, cli, gone_offline
):
    assert diff_rows(cli)["C0039"]["change"] == "offline"
    assert offline_in_report(db) == 1
    with LiveServer(create_app(workspace)) as live:
        context = browser.new_context(base_url=live.url)
        context.add_cookies([{"name": "mbo_reviewer", "value": quote("Anna"), "url": live.url}])
        page = context.new_page()
        page.goto("/ronde/2026")
        page.click("#offline-check-link")
        expect(page.locator("#offline-counts")).to_contain_text("open: 1")
        expect(page.locator("#offline-counts")).to_contain_text("nog aangeboden: 0")
        page.locator("tr.offline-item", has_text="C0039").get_by_role("link").click()

        # both archived pages, sandboxed without scripts, and the text diff between them
        for frame_id in ("#old-frame", "#new-frame"):
            expect(page.locator(frame_id)).to_have_attribute("sandbox", "")
        old = page.frame_locator("#old-frame")
        new = page.frame_locator("#new-frame")
        expect(old.locator("h1")).to_have_text(
            "Certificaattraject Individuele basiszorg verlenen (C0039)"
        )
        expect(new.locator("h1")).to_have_text("Pagina niet meer beschikbaar")
        expect(page.locator("#nearest-url")).to_have_text(OLD_URL)
        diff = page.locator("#text-diff")
        expect(diff.locator("li.removed").first).to_contain_text("Individuele basiszorg")
        expect(diff.locator("li.added", has_text="Deze cursus is vervallen")).to_have_count(1)
        assert [f for f in findings(page) if f["impact"] in ("serious", "critical")] == []

        # the analyst finds it at a new address: the diff no longer counts it offline
        page.fill("#offered-at", "https://alfa.nl/nieuw/basiszorg")
        page.click("#still-offered")
        expect(page.locator("#offline-counts")).to_contain_text("nog aangeboden: 1")
        expect(page.locator("#offline-counts")).to_contain_text("open: 0")
        row = diff_rows(cli)["C0039"]
        assert row["change"] == "unchanged"
        assert row["new_evidence"] == "https://alfa.nl/nieuw/basiszorg"
        assert "still offered at https://alfa.nl/nieuw/basiszorg" in row["reason"]
        assert "not counted offline" in row["reason"]
        assert offline_in_report(db) == 0
        markdown = cli("diff", "2025", "2026", "--format", "md").stdout
        assert "| Alfa | C0039 | unchanged (nog aangeboden volgens offline-controle) |" in markdown

        # a second look: confirmed offline after all (appended, not overwritten)
        page.locator("tr.offline-item", has_text="C0039").get_by_role("link").click()
        expect(page.locator("#offline-state")).to_have_text("nog aangeboden")
        page.click("#confirm-offline")
        expect(page.locator("#offline-counts")).to_contain_text("bevestigd offline: 1")
        row = diff_rows(cli)["C0039"]
        assert (row["change"], row["review"]) == ("offline", "false")
        assert row["reason"].startswith("offline confirmed (offline check by Anna")
        assert offline_in_report(db) == 1
        context.close()


def test_a_still_offered_verdict_needs_an_address(workspace, db, gone_offline):
    from mbo_websearch.review.offline_check import OfflineCheckError, record_check, round_checks

    checks = round_checks(workspace, db, "2026")
    assert [(i.row.code, i.state) for i in checks.items] == [("C0039", "open")]
    with pytest.raises(OfflineCheckError, match="adres"):
        record_check(
            db, checks, gone_offline, "C0039", verdict="still_offered", offered_at="ergens",
            reviewer="Anna",
        )  # fmt: skip
    with pytest.raises(OfflineCheckError, match="niet op de offline-lijst"):
        record_check(
            db, checks, gone_offline, "K0905", verdict="offline", offered_at=None, reviewer="Anna"
        )
    assert list(db.query("SELECT count(*) AS n FROM offline_checks"))[0]["n"] == 0


def test_a_round_without_an_earlier_one_has_nothing_to_check(client, seeded):
    from tests.test_app.conftest import ROUND

    listing = client.get(f"/ronde/{ROUND}/offline")
    assert listing.status_code == 200
    assert "geen eerdere ronde" in listing.text
    assert client.get(f"/ronde/{ROUND}/offline/1/K0905").status_code == 404
    refused = client.post(
        f"/ronde/{ROUND}/offline",
        data={"institution": "1", "code": "K0905", "verdict": "offline"},
        headers={"Origin": "http://127.0.0.1:8000"},
    )
    assert refused.status_code == 400
    assert "niet op de offline-lijst" in refused.text
