"""`diff OLD NEW` from archived pages: offline only after an ok crawl, unknown otherwise."""

from __future__ import annotations

import csv
import io
import json

import pytest

from snapshots.evidence import EvidenceStore, Response, start_round
from snapshots.health import Health, record_health
from tests.conftest import SITES

COURSES = SITES / "static-catalogue" / "volwassenen" / "cursussen"
HELPENDE = (COURSES / "helpende-plus.html").read_bytes()
BASISZORG = (COURSES / "individuele-basiszorg.html").read_bytes()


def add_institution(db, name):
    return (
        db.table("institutions")
        .insert(
            {
                "name": name,
                "funded": "bekostigd",
                "website": f"https://{name.lower()}.nl/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-11-30",
            }
        )
        .last_pk
    )


def crawl(workspace, db, label, institution, pages, health):
    """A round as the crawler leaves it: archived pages plus the crawl's health."""
    start_round(db, label)
    store = EvidenceStore(workspace, db, label)
    for url, body in pages:
        store.store(
            Response(
                institution_id=institution[1],
                institution=institution[0],
                url=url,
                final_url=url,
                status=200,
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body,
            )
        )
    store.close()
    record_health(
        db,
        label,
        institution[1],
        health=health,
        reason="test",
        pages=len(pages),
        errors=0,
        requests=len(pages),
    )


@pytest.fixture
def two_rounds(workspace, db):
    alfa = ("Alfa", add_institution(db, "Alfa"))
    beta = ("Beta", add_institution(db, "Beta"))
    crawl(
        workspace,
        db,
        "2025",
        alfa,
        [("https://alfa.nl/oud/helpende", HELPENDE), ("https://alfa.nl/oud/basiszorg", BASISZORG)],
        Health.ok,
    )
    crawl(workspace, db, "2025", beta, [("https://beta.nl/helpende", HELPENDE)], Health.ok)
    # 2026: Alfa moved its catalogue and dropped basiszorg; Beta's site was down
    crawl(workspace, db, "2026", alfa, [("https://alfa.nl/nieuw/helpende", HELPENDE)], Health.ok)
    crawl(workspace, db, "2026", beta, [], Health.failed)


def test_diff_csv_per_offer(cli, two_rounds):
    result = cli("diff", "2025", "2026")
    assert result.exit_code == 0, result.output
    rows = {(r["institution"], r["code"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert {k: r["change"] for k, r in rows.items()} == {
        ("Alfa", "C0039"): "offline",
        ("Alfa", "K0905"): "unchanged",
        ("Beta", "K0905"): "unknown",
    }
    assert rows[("Alfa", "K0905")]["old_evidence"] == "https://alfa.nl/oud/helpende"
    assert rows[("Alfa", "K0905")]["new_evidence"] == "https://alfa.nl/nieuw/helpende"
    assert (rows[("Alfa", "C0039")]["old_status"], rows[("Alfa", "C0039")]["new_status"]) == (
        "confirmed",
        "",
    )
    assert "1 offer(s) unknown" in result.stderr


def test_diff_json_and_markdown_summaries(cli, two_rounds):
    data = json.loads(cli("diff", "2025", "2026", "--format", "json").stdout)
    statuses = {i["institution"]: i["status"] for i in data["institutions"]}
    assert statuses == {"Alfa": "partly offline", "Beta": "unknown"}
    markdown = cli("diff", "2025", "2026", "--format", "md").stdout
    assert "| Alfa | partly offline | 0 | 1 | 0 | 1 |" in markdown


def test_diff_unknown_round_is_bad_input(cli, two_rounds):
    result = cli("diff", "2024", "2026")
    assert result.exit_code == 2
    assert "unknown round '2024'; known rounds: 2025, 2026" in result.stderr


def test_a_certificate_with_two_codes_is_one_offer_across_rounds(cli, workspace, db):
    pedicure = (SITES / "endless-calendar" / "cursussen" / "pedicure.html").read_bytes()
    assert b"K1257" in pedicure
    gamma = ("Gamma", add_institution(db, "Gamma"))
    crawl(workspace, db, "2025", gamma, [("https://gamma.nl/pedicure", pedicure)], Health.ok)
    crawl(
        workspace,
        db,
        "2026",
        gamma,
        [("https://gamma.nl/pedicure", pedicure.replace(b"K1257", b"K0511"))],
        Health.ok,
    )
    result = cli("diff", "2025", "2026")
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["code"], row["change"]) == ("K0511", "unchanged")


def test_a_round_compared_with_itself_or_backwards(cli, db):
    start_round(db, "2025-11")
    start_round(db, "2026-11")
    db.execute("UPDATE rounds SET started_at = '2025-11-01T00:00:00+00:00' WHERE label = '2025-11'")
    same = cli("diff", "2026-11", "2026-11")
    assert same.exit_code == 2
    assert "compare two different rounds, not 2026-11 with itself" in same.stderr
    report = cli("report", "--round", "2026-11", "--compare", "2026-11", "--out", "x")
    assert report.exit_code == 2
    assert "compare two different rounds, not 2026-11 with itself" in report.stderr
    backwards = cli("diff", "2026-11", "2025-11")
    assert backwards.exit_code == 0, backwards.output
    assert (
        "note: 2026-11 started after 2025-11: this diff runs backwards in time "
        "(mbo-websearch diff 2025-11 2026-11)"
    ) in backwards.stderr
