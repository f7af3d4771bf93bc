"""Diff semantics (DESIGN 3): failed crawl => unknown, never offline; moved catalogue unchanged."""

from __future__ import annotations

import sqlite3

import pytest

from snapshots.diff import (
    Change,
    InstitutionStatus,
    OfferKey,
    diff_offers,
    institution_summary,
)
from snapshots.evidence import start_round
from snapshots.health import Health, record_health
from snapshots.store import insert_offline_check, offline_checks_in_force


@pytest.fixture
def three_institutions(db):
    ids = {}
    for name in ("Alfa", "Beta", "Gamma"):
        ids[name] = (
            db["institutions"]
            .insert(
                {
                    "name": name,
                    "funded": "bekostigd",
                    "website": f"https://{name.lower()}.nl/",
                    "start_urls": "[]",
                    "hosts": "[]",
                    "imported_at": "2026",
                }
            )
            .last_pk
        )
    start_round(db, "R1")
    start_round(db, "R2")
    return ids


def record(db, institution_id, health, *, suspect=False):
    record_health(
        db,
        "R2",
        institution_id,
        health=health,
        reason="test",
        pages=10,
        errors=0,
        requests=10,
        suspect=suspect,
        suspect_reason="pages fell from 100 to 10" if suspect else None,
    )


def changes(rows):
    return {(r.institution, r.code): r.change for r in rows}


def test_ok_crawl_gives_online_offline_unchanged(db, three_institutions):
    alfa = three_institutions["Alfa"]
    record(db, alfa, Health.ok)
    old = [OfferKey(alfa, "K0905", "https://alfa.nl/old/helpende"), OfferKey(alfa, "C0039", "x")]
    new = [OfferKey(alfa, "K0905", "https://alfa.nl/new/helpende"), OfferKey(alfa, "K0118", "y")]
    rows = diff_offers(db, "R1", "R2", old, new)
    assert changes(rows) == {
        ("Alfa", "C0039"): Change.offline,
        ("Alfa", "K0118"): Change.online,
        ("Alfa", "K0905"): Change.unchanged,  # the catalogue moved: identity is (institution, code)
    }
    moved = next(r for r in rows if r.code == "K0905")
    assert (moved.old_evidence, moved.new_evidence) == (
        "https://alfa.nl/old/helpende",
        "https://alfa.nl/new/helpende",
    )


@pytest.mark.parametrize("health", [Health.failed, Health.partial])
def test_crawl_not_ok_never_gives_offline(db, three_institutions, health):
    beta = three_institutions["Beta"]
    record(db, beta, health)
    rows = diff_offers(db, "R1", "R2", [OfferKey(beta, "K0905"), OfferKey(beta, "K0290")], [])
    assert {r.change for r in rows} == {Change.unknown}
    assert all(f"crawl {health}" in r.reason for r in rows)


def test_institution_not_crawled_in_new_round_is_unknown(db, three_institutions):
    rows = diff_offers(db, "R1", "R2", [OfferKey(three_institutions["Gamma"], "K0905")], [])
    assert rows[0].change is Change.unknown


def test_suspect_crawl_marks_offline_rows_for_review(db, three_institutions):
    alfa = three_institutions["Alfa"]
    record(db, alfa, Health.ok, suspect=True)
    [row] = diff_offers(db, "R1", "R2", [OfferKey(alfa, "K0905")], [])
    assert row.change is Change.offline
    assert row.review is True


def test_every_offer_gone_after_an_ok_crawl_is_marked_for_review(db, three_institutions):
    """A maintenance page or cookie wall answering 200 looks like an ok crawl of a site
    without offers: offline, but for an analyst to check."""
    alfa, beta = three_institutions["Alfa"], three_institutions["Beta"]
    record(db, alfa, Health.ok)
    record(db, beta, Health.ok)
    old = [
        OfferKey(alfa, "K0905"),
        OfferKey(alfa, "K0290"),
        OfferKey(beta, "K0905"),
        OfferKey(beta, "K0118"),
    ]
    new = [OfferKey(beta, "K0905")]
    rows = {(r.institution, r.code): r for r in diff_offers(db, "R1", "R2", old, new)}
    assert {r.change for k, r in rows.items() if k[0] == "Alfa"} == {Change.offline}
    assert rows["Alfa", "K0905"].review is True
    assert rows["Alfa", "K0290"].reason == (
        "every offer of the institution is gone while its crawl was ok: check the archived pages"
    )
    assert rows["Beta", "K0118"].change is Change.offline
    assert rows["Beta", "K0118"].review is False  # partly offline: nothing odd


def test_institution_summary(db, three_institutions):
    alfa, beta, gamma = (three_institutions[n] for n in ("Alfa", "Beta", "Gamma"))
    record(db, alfa, Health.ok)
    record(db, beta, Health.ok)
    record(db, gamma, Health.failed)
    old = [
        OfferKey(alfa, "K0905"),
        OfferKey(beta, "K0905"),
        OfferKey(beta, "K0118"),
        OfferKey(gamma, "K0905"),
    ]
    new = [OfferKey(beta, "K0905")]
    summary = institution_summary(diff_offers(db, "R1", "R2", old, new))
    assert [(s.institution, s.status) for s in summary] == [
        ("Alfa", InstitutionStatus.wholly_offline),
        ("Beta", InstitutionStatus.partly_offline),
        ("Gamma", InstitutionStatus.unknown),
    ]
    assert summary[1].counts == {"online": 0, "offline": 1, "unknown": 0, "unchanged": 1}


def check(db, institution_id, code, verdict, offered_at=None):
    return insert_offline_check(
        db,
        round="R2",
        compared_with="R1",
        institution_id=institution_id,
        code=code,
        verdict=verdict,
        offered_at=offered_at,
        note=None,
        reviewer="Anna",
        decided_at="2026-12-01T10:00:00+00:00",
    )


def test_an_offline_check_settles_a_flagged_row_and_is_append_only(db, three_institutions):
    alfa = three_institutions["Alfa"]
    record(db, alfa, Health.ok, suspect=True)
    old = [
        OfferKey(alfa, "K0905", "https://alfa.nl/a"),
        OfferKey(alfa, "K0290", "https://alfa.nl/b"),
    ]
    check(db, alfa, "K0905", "offline")
    first = check(db, alfa, "K0290", "offline")
    latest = check(db, alfa, "K0290", "still_offered", "https://alfa.nl/nieuw/b")
    assert latest.supersedes == first.id
    rows = {r.code: r for r in diff_offers(db, "R1", "R2", old, [])}
    assert (rows["K0905"].change, rows["K0905"].review) == (Change.offline, False)
    assert rows["K0905"].reason.startswith("offline confirmed (offline check by Anna, 2026-12-01")
    assert rows["K0290"].change is Change.unchanged
    assert rows["K0290"].new_evidence == "https://alfa.nl/nieuw/b"
    assert "not counted offline" in rows["K0290"].reason
    # a verdict in another round does not apply; the log refuses edits
    assert offline_checks_in_force(db, "R1") == {}
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE offline_checks SET verdict = 'offline'")


def test_a_check_on_an_offer_that_came_back_is_moot(db, three_institutions):
    alfa = three_institutions["Alfa"]
    record(db, alfa, Health.ok)
    check(db, alfa, "K0905", "offline")
    [row] = diff_offers(db, "R1", "R2", [OfferKey(alfa, "K0905")], [OfferKey(alfa, "K0905")])
    assert (row.change, row.checked) == (Change.unchanged, None)
