"""previous_pages: the baseline of the suspect rule is the last crawl that fetched pages."""

from __future__ import annotations

from snapshots.evidence import start_round
from snapshots.health import Health, previous_pages, record_health


def test_a_failed_round_is_no_baseline_for_the_next_one(db):
    iid = (
        db["institutions"]
        .insert(
            {
                "name": "Alfa",
                "funded": "bekostigd",
                "website": "https://alfa.nl/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026",
            }
        )
        .last_pk
    )
    for label, health, pages in (("R1", Health.ok, 120), ("R2", Health.failed, 0)):
        start_round(db, label)
        record_health(
            db,
            label,
            iid,
            health=health,
            reason="test",
            pages=pages,
            errors=0,
            requests=pages,
            suspect=False,
            suspect_reason=None,
        )
    start_round(db, "R3")
    # R2 was down: a maintenance page in R3 must still be compared with R1's 120 pages
    assert previous_pages(db, "R3", iid) == 120
    assert previous_pages(db, "R1", iid) is None
