"""Control characters, binary junk and unparsable pages in a crawled round: each page is
matched or skipped on its own, never the whole round (issue 12, item 1)."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime

import pytest

from matcher.candidates import PageUnreadable, extract_html, extract_page
from matcher.offers import match_round, offers_for_round
from matcher.register import Register
from mbo_websearch.workspace import open_db
from snapshots.evidence import EvidenceStore, Response, start_round
from snapshots.workspace import Workspace

ROUND = "HOSTILE"
JUNK = ["\x0c", "\x01", "\x02", "\x08", "\x1b", "\ufffe", "\x00", "\x0b"]


def _page(junk: str) -> str:
    return (
        f"<html><body><main><h1>Helpende Plus{junk}</h1><p>Mbo-certificaat</p>{junk}"
        f"<div>Keuzedeel K0905{junk}.</div><p>Start{junk}in september</p></main></body></html>"
    )


@pytest.mark.parametrize("junk", JUNK)
def test_control_characters_do_not_stop_extraction(junk):
    page = extract_html(_page(junk), url="http://127.0.0.11/helpende-plus")
    assert page.kind == "detail"
    assert page.candidates[0].name == "Helpende Plus"
    assert page.codes == ("K0905",)


def test_a_page_without_any_html_document_is_unreadable():
    with pytest.raises(PageUnreadable, match=r"http://127\.0\.0\.11/x\.php: no HTML document"):
        extract_page(b"<?php echo $x; ?>", url="http://127.0.0.11/x.php")


def test_one_hostile_page_never_stops_the_round(tmp_path, caplog):
    rng = random.Random(12)
    pages = {
        "ROC Form Feed": _page("\x0c").encode(),
        "ROC Escape": _page("\x1b\x01\x02").encode(),
        "ROC Noncharacter": _page("\ufffe").encode(),
        "ROC Junk": bytes(rng.randrange(256) for _ in range(20_000)),
        "ROC Php": b"<?php include 'aanbod.php'; ?>",
        "ROC Gezond": _page("").encode(),
    }
    workspace = Workspace(tmp_path / "ws")
    db = open_db(workspace)
    try:
        start_round(db, ROUND)
        store = EvidenceStore(workspace, db, ROUND, clock=lambda: datetime(2026, 12, 2, tzinfo=UTC))
        for name, body in pages.items():
            institution_id = db.table("institutions").lookup(
                {"name": name},
                {
                    "funded": "bekostigd",
                    "website": "http://127.0.0.11/",
                    "start_urls": "[]",
                    "hosts": "[]",
                    "imported_at": "2026-12-02",
                },
            )
            store.store(
                Response(
                    institution_id=institution_id,
                    institution=name,
                    url=f"http://127.0.0.11/{name}",
                    final_url=f"http://127.0.0.11/{name}",
                    status=200,
                    headers=[("Content-Type", "text/html")],
                    body=body,
                    kind="page",
                )
            )
        store.close()
        with caplog.at_level(logging.WARNING, logger="matcher.offers"):
            run = match_round(workspace, db, ROUND, register=Register.default())
        found = {(o.institution, o.code, o.status) for o in offers_for_round(db, ROUND)}
    finally:
        db.close()
    assert run.pages == 5  # every page but the PHP source
    readable = {n for n in pages if n not in ("ROC Junk", "ROC Php")}
    assert {(n, "K0905", "confirmed") for n in readable} <= found
    assert not any(inst == "ROC Php" for inst, _, _ in found)
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 1
    assert "ROC Php" in skipped[0]
    assert "no HTML document" in skipped[0]
