"""Offers of a round: matching archived pages, idempotence, decisions, b2b, the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime

import pytest

from matcher.config import MatchConfig
from matcher.decisions import decision_key, decision_log, decisions_for_round, record_decision
from matcher.offers import match_is_current, match_round, offers_for_round
from snapshots.errors import InputError, NotFound
from snapshots.evidence import EvidenceStore, Response, start_round
from tests.conftest import DATA

PAGES = DATA / "pages"
# K1006 is a level 3 certificate: a level 2 course with its title must go to review
PALLIATIEF = decision_key("Verdieping palliatieve zorg (niveau 2)")
ALFA = "http://127.0.0.11"
DELTION = "http://127.0.0.12"
SITES = {
    "Alfa-college": [
        ("/volwassenen/cursussen", "alfa.cursussen-volwassenen.html", {}),
        ("/volwassenen/cursussen/helpende-plus", "alfa.helpende-plus.html", {}),
        ("/nieuws/helpende-plus", "graafschap.nieuws-helpende-plus.html", {}),
        ("/oud/palliatief", "deltion.palliatieve-zorg.html", {"gone": True}),
        ("/weg", "rocmn.keuzedeel-palliatieve-zorg.html", {"status": 404}),
    ],
    "Deltion College": [
        ("/cursussen", "deltion.cursussen-zorg-en-welzijn.html", {}),
        ("/cursus/palliatieve-zorg", "deltion.palliatieve-zorg.html", {}),
        ("/llo/basisonderhoud", "rocva.basisonderhoud-installaties.html", {}),
        ("/opleidingen/verzorgende-ig", "leeuwenborgh.verzorgende-ig.html", {}),
        ("/brochures/basiszorg.pdf", "nova.brochure-individuele-basiszorg.pdf", {"kind": "pdf"}),
    ],
}
HOSTS = {"Alfa-college": ALFA, "Deltion College": DELTION}
EXPECTED = {  # (institution, code): (status, b2b_only)
    ("Alfa-college", "K0290"): ("confirmed", True),
    ("Alfa-college", "K0905"): ("confirmed", False),
    ("Deltion College", "C0019"): ("confirmed", True),
    ("Deltion College", "C0039"): ("confirmed", False),
    ("Deltion College", "K1006"): ("review", False),
}


def archive_round(workspace, db, label, started_at):
    """Archive the saved pages as a crawl of round `label` would."""
    start_round(db, label)
    db.table("rounds").update(label, {"started_at": started_at})
    store = EvidenceStore(workspace, db, label, clock=lambda: datetime(2026, 11, 30, tzinfo=UTC))
    for name, pages in SITES.items():
        institution_id = db.table("institutions").lookup(
            {"name": name},
            {
                "funded": "bekostigd",
                "website": HOSTS[name] + "/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-11-30",
            },
        )
        for path, file, extra in pages:
            content_type = "application/pdf" if file.endswith(".pdf") else "text/html"
            store.store(
                Response(
                    institution_id=institution_id,
                    institution=name,
                    url=HOSTS[name] + path,
                    final_url=HOSTS[name] + path,
                    status=extra.get("status", 200),
                    headers=[("Content-Type", content_type)],
                    body=(PAGES / file).read_bytes(),
                    kind=extra.get("kind", "page"),
                    gone=extra.get("gone", False),
                )
            )
    store.close()


@pytest.fixture
def round1(workspace, db):
    archive_round(workspace, db, "R1", "2026-05-01T00:00:00+00:00")
    return "R1"


def summary(offers):
    return {(o.institution, o.code): (o.status, o.b2b_only) for o in offers}


def institution_id(db, name):
    return db["institutions"].rows_where("name = ?", [name]).__next__()["id"]


def test_match_round_finds_the_offers_and_skips_news_gone_and_diplomas(workspace, db, round1):
    run = match_round(workspace, db, round1)
    assert run.pages == 7  # the news item, the gone page and the 404 are skipped
    assert run.decisions["excluded"] >= 3  # BHV card, diploma card, diploma page
    offers = offers_for_round(db, round1)
    assert summary(offers) == EXPECTED
    by_key = {(o.institution, o.code): o for o in offers}
    helpende = by_key[("Alfa-college", "K0905")]
    # seen on the listing and on its detail page: one offer, the detail page is the evidence
    assert helpende.evidence_url == ALFA + "/volwassenen/cursussen/helpende-plus"
    assert len(helpende.evidence_page_ids) == 2
    assert helpende.names == ("Helpende Plus", "Mbo-certificaat Helpende Plus")
    assert helpende.title == "Helpende plus"
    assert helpende.type == "keuzedeel"
    assert helpende.funded == "bekostigd"
    # the listing's own heading "Cursussen zorg en welzijn" is no offer (it resembles K0745)
    assert by_key[("Deltion College", "C0039")].evidence_url.endswith("/basiszorg.pdf")
    assert len(by_key[("Deltion College", "C0039")].evidence_page_ids) == 2


def test_match_run_stores_candidates_ranked_codes_and_its_config(workspace, db, round1):
    config = MatchConfig(review_at_score=65.0)
    run = match_round(workspace, db, round1, config=config)
    [stored] = db["match_runs"].rows
    assert MatchConfig.from_json(stored["config"]) == config
    assert stored["candidates"] == run.candidates > 0
    candidate = next(
        db["candidates"].rows_where("name = ?", ["Verdieping palliatieve zorg (niveau 2)"])
    )
    assert candidate["decision"] == "review"
    assert candidate["code"] == "K1006"
    assert "certificate" in candidate["cues"]
    ranked = list(
        db["candidate_codes"].rows_where("candidate_id = ?", [candidate["id"]], order_by="rank")
    )
    assert ranked[0]["code"] == "K1006"
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)


def candidate_rows(db):
    return sorted(
        tuple(r.values())
        for r in db.query(
            "SELECT page_id, name, normalised_name, source, cues, codes_on_page, "
            "excluded, decision, code, score FROM candidates"
        )
    )


def test_rematching_is_idempotent_and_keeps_decisions(workspace, db, round1):
    match_round(workspace, db, round1)
    assert summary(offers_for_round(db, round1)) == EXPECTED
    candidates = candidate_rows(db)
    record_decision(
        db,
        round=round1,
        institution_id=institution_id(db, "Deltion College"),
        normalised_name=PALLIATIEF,
        code="K1006",
        b2b_only=None,
        reviewer="anna",
    )
    expected = EXPECTED | {("Deltion College", "K1006"): ("confirmed", False)}
    assert summary(offers_for_round(db, round1)) == expected
    match_round(workspace, db, round1)
    match_round(workspace, db, round1)
    assert candidate_rows(db) == candidates
    assert db["match_runs"].count == 3
    assert db["decisions"].count == 1
    assert summary(offers_for_round(db, round1)) == expected


def test_decisions_apply_and_carry_over_to_a_later_round(workspace, db, round1):
    match_round(workspace, db, round1)
    deltion = institution_id(db, "Deltion College")
    alfa = institution_id(db, "Alfa-college")
    # accept the review candidate; reject a confirmed one; override a b2b flag
    record_decision(
        db,
        round=round1,
        institution_id=deltion,
        normalised_name=PALLIATIEF,
        code="K1006",
        b2b_only=None,
        reviewer="anna",
        note="checked the page",
    )
    first = record_decision(
        db,
        round=round1,
        institution_id=alfa,
        normalised_name="helpende plus",
        code="none",
        b2b_only=None,
        reviewer="bert",
    )
    record_decision(
        db,
        round=round1,
        institution_id=alfa,
        normalised_name=decision_key("Werken met baby's"),
        code="K0290",
        b2b_only=False,
        reviewer="bert",
    )
    expected = dict(EXPECTED)
    expected[("Deltion College", "K1006")] = ("confirmed", False)
    expected[("Alfa-college", "K0290")] = ("confirmed", False)
    del expected[("Alfa-college", "K0905")]
    assert summary(offers_for_round(db, round1)) == expected
    # a later decision supersedes the earlier one (the log keeps both)
    record_decision(
        db,
        round=round1,
        institution_id=alfa,
        normalised_name="helpende plus",
        code="K0905",
        b2b_only=None,
        reviewer="carla",
        supersedes=first.id,
    )
    expected[("Alfa-college", "K0905")] = ("confirmed", False)
    assert summary(offers_for_round(db, round1)) == expected
    assert [d.reviewer for d in decision_log(db, institution_id=alfa)] == ["bert", "bert", "carla"]
    # the next round re-uses them (same pages, archived as revisit records)
    archive_round(workspace, db, "R2", "2026-11-01T00:00:00+00:00")
    match_round(workspace, db, "R2")
    assert summary(offers_for_round(db, "R2")) == expected
    assert len(decisions_for_round(db, "R2")) == 3


def test_a_decision_of_a_later_round_does_not_rewrite_an_earlier_round(workspace, db, round1):
    archive_round(workspace, db, "R2", "2026-11-01T00:00:00+00:00")
    match_round(workspace, db, round1)
    match_round(workspace, db, "R2")
    record_decision(
        db,
        round="R2",
        institution_id=institution_id(db, "Deltion College"),
        normalised_name=PALLIATIEF,
        code="none",
        b2b_only=None,
        reviewer="anna",
    )
    assert ("Deltion College", "K1006") in summary(offers_for_round(db, round1))
    assert ("Deltion College", "K1006") not in summary(offers_for_round(db, "R2"))


def test_decisions_are_append_only(workspace, db, round1):
    decision = record_decision(
        db,
        round=round1,
        institution_id=institution_id(db, "Alfa-college"),
        normalised_name="helpende plus",
        code="k0905",
        b2b_only=True,
        reviewer="anna",
    )
    assert decision.code == "K0905"
    assert decision.b2b_only is True
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE decisions SET code = 'none'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM decisions")


def test_record_decision_rejects_bad_input(db, round1):
    alfa = institution_id(db, "Alfa-college")
    with pytest.raises(InputError, match="not a certificate code"):
        record_decision(
            db,
            round=round1,
            institution_id=alfa,
            normalised_name="x",
            code="Helpende plus",
            b2b_only=None,
            reviewer="anna",
        )
    with pytest.raises(InputError, match="reviewer"):
        record_decision(
            db,
            round=round1,
            institution_id=alfa,
            normalised_name="x",
            code="none",
            b2b_only=None,
            reviewer=" ",
        )
    with pytest.raises(NotFound, match="round"):
        record_decision(
            db,
            round="R9",
            institution_id=alfa,
            normalised_name="x",
            code="none",
            b2b_only=None,
            reviewer="anna",
        )
    with pytest.raises(NotFound, match="supersede"):
        record_decision(
            db,
            round=round1,
            institution_id=alfa,
            normalised_name="x",
            code="none",
            b2b_only=None,
            reviewer="anna",
            supersedes=99,
        )
    assert db["decisions"].count == 0


def test_offers_view_matches_offers_for_round(workspace, db, round1):
    match_round(workspace, db, round1)
    rows = list(
        db.query(
            "SELECT institution, code, status, b2b_only, evidence_url FROM offers "
            "WHERE round = ? ORDER BY institution, code",
            [round1],
        )
    )
    assert [
        (r["institution"], r["code"], r["status"], bool(r["b2b_only"]), r["evidence_url"])
        for r in rows
    ] == [
        (o.institution, o.code, o.status, o.b2b_only, o.evidence_url)
        for o in offers_for_round(db, round1)
    ]


def test_unknown_round_is_not_found(workspace, db):
    with pytest.raises(NotFound, match="unknown round 'nope'"):
        match_round(workspace, db, "nope")


def test_cli_offers_matches_on_first_use_and_writes_csv(cli, workspace, db, round1):
    result = cli("offers", "--round", round1)
    assert result.exit_code == 0, result.output
    assert "Matched round R1" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:10] == [
        "institution",
        "funded",
        "code",
        "title",
        "type",
        "sector",
        "status",
        "b2b_only",
        "evidence_url",
        "score",
    ]
    assert {
        (r["institution"], r["code"]): (r["status"], r["b2b_only"] == "true") for r in rows
    } == EXPECTED
    assert match_is_current(db, round1)
    again = cli("offers", "--round", round1, "--format", "json")
    assert again.exit_code == 0
    assert "Matched round" not in again.stderr  # current: not matched again
    assert {(o["institution"], o["code"]) for o in json.loads(again.stdout)} == set(EXPECTED)


def test_cli_offers_rematches_when_pages_were_added(cli, workspace, db, round1):
    assert cli("offers", "--round", round1).exit_code == 0
    store = EvidenceStore(workspace, db, round1)
    store.store(
        Response(
            institution_id=institution_id(db, "Alfa-college"),
            institution="Alfa-college",
            url=ALFA + "/pedagogisch",
            final_url=ALFA + "/pedagogisch",
            status=200,
            headers=[("Content-Type", "text/html")],
            body=(PAGES / "aventus.pedagogisch-klimaat-llo.html").read_bytes(),
        )
    )
    store.close()
    result = cli("offers", "--round", round1)
    assert result.exit_code == 0
    assert "Matched round R1" in result.stderr
    assert ",C0125," in result.stdout


def test_cli_offers_xlsx(cli, workspace, round1, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "offers.xlsx"
    result = cli("offers", "--round", round1, "--format", "xlsx", "--out", out)
    assert result.exit_code == 0
    assert "Wrote 5 offers" in result.stderr
    sheet = load_workbook(out)["offers"]
    values = list(sheet.values)
    assert values[0][:3] == ("institution", "funded", "code")
    assert len(values) == 6


def test_offers_xlsx_keeps_crawled_text_as_text_never_a_formula(workspace, db, round1, tmp_path):
    from dataclasses import replace

    from openpyxl import load_workbook

    from mbo_websearch.commands.offers import _write_xlsx

    match_round(workspace, db, round1)
    hostile = '=HYPERLINK("http://127.0.0.99/","Helpende plus")'
    rows = [replace(o, names=(hostile,)) for o in offers_for_round(db, round1)]
    out = tmp_path / "offers.xlsx"
    _write_xlsx(rows, out)
    cell = load_workbook(out)["offers"]["K2"]
    assert cell.value == hostile
    assert cell.data_type == "s"


def test_cli_offers_names_the_crawls_that_were_not_ok(cli, workspace, db, round1):
    from snapshots.health import Health, record_health

    deltion = institution_id(db, "Deltion College")
    record_health(
        db,
        round1,
        deltion,
        health=Health.failed,
        reason="site unreachable",
        pages=0,
        errors=3,
        requests=3,
        suspect=False,
        suspect_reason=None,
    )
    result = cli("offers", "--round", round1)
    assert result.exit_code == 0
    assert (
        f"note: round {round1}: crawl not ok for Deltion College (failed): its offers "
        "may be missing or out of date"
    ) in result.stderr
    assert "Alfa-college" not in result.stderr


def test_cli_offers_bad_input(cli, workspace, db):
    result = cli("offers", "--round", "nope")
    assert result.exit_code == 2
    assert "unknown round 'nope'" in result.stderr
    result = cli("offers", "--round", "nope", "--format", "xlsx")
    assert result.exit_code == 2
    assert "xlsx output needs --out" in result.stderr


def test_a_certificate_with_two_codes_keeps_the_code_its_pages_show(workspace, db):
    start_round(db, "R1")
    institution = (
        db.table("institutions")
        .insert(
            {
                "name": "Vakschool",
                "funded": "bekostigd",
                "website": ALFA + "/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-11-30",
            }
        )
        .last_pk
    )
    pages = {
        "/cursussen/": "<main><h1>Cursussen</h1><ul><li><a href='/pedicure'>Mbo-certificaat "
        "Pedicure</a></li></ul></main>",
        "/pedicure": "<main><h1>Mbo-certificaat Pedicure (K1257)</h1><p>Keuzedeel.</p></main>",
    }
    store = EvidenceStore(workspace, db, "R1")
    for path, html in pages.items():
        store.store(
            Response(
                institution,
                "Vakschool",
                ALFA + path,
                ALFA + path,
                200,
                [("Content-Type", "text/html; charset=utf-8")],
                html.encode(),
            )
        )
    store.close()
    match_round(workspace, db, "R1")
    [offer] = offers_for_round(db, "R1")
    assert offer.code == "K1257"  # the register's K0511 "Pedicure" under its other code
    assert offer.title == "Pedicure"
    assert offer.evidence_url == ALFA + "/pedicure"
    assert len(offer.evidence_page_ids) == 2


def test_an_analyst_can_turn_an_excluded_name_into_an_offer(workspace, db, round1):
    match_round(workspace, db, round1)
    deltion = institution_id(db, "Deltion College")
    record_decision(
        db,
        round=round1,
        institution_id=deltion,
        normalised_name=decision_key("Verzorgende IG"),
        code="C0053",
        b2b_only=None,
        reviewer="anna",
        note="the page offers the certificate to working adults",
    )
    offers = {(o.institution, o.code): o for o in offers_for_round(db, round1)}
    offer = offers[("Deltion College", "C0053")]
    assert offer.status == "confirmed"
    assert offer.title == "Individuele zorg verlenen"
    assert offer.evidence_url == DELTION + "/opleidingen/verzorgende-ig"


def test_evidence_is_the_canonical_page_not_a_print_copy_fetched_first(workspace, db):
    start_round(db, "R1")
    institution = (
        db.table("institutions")
        .insert(
            {
                "name": "ROC Omleiding",
                "funded": "bekostigd",
                "website": ALFA + "/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-11-30",
            }
        )
        .last_pk
    )
    html = b"<main><h1>Mbo-certificaat Koken in de horeca (C0021)</h1></main>"
    store = EvidenceStore(workspace, db, "R1")
    canonical = ALFA + "/cursussen/koken-in-de-horeca.html"
    for url in (ALFA + "/p/koken.html", canonical):  # the (shorter) print copy first
        store.store(
            Response(
                institution,
                "ROC Omleiding",
                url,
                url,
                200,
                [("Content-Type", "text/html")],
                html,
                canonical_url=canonical,
            )
        )
    store.close()
    match_round(workspace, db, "R1")
    [offer] = offers_for_round(db, "R1")
    assert offer.evidence_url == canonical


def test_evidence_is_the_html_page_before_a_shorter_pdf_brochure(workspace, db):
    start_round(db, "R1")
    institution = (
        db.table("institutions")
        .insert(
            {
                "name": "Nova",
                "funded": "bekostigd",
                "website": ALFA + "/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-11-30",
            }
        )
        .last_pk
    )
    page = ALFA + "/volwassenen/cursussen/individuele-basiszorg-verlenen.html"
    html = b"<main><h1>Individuele basiszorg verlenen</h1><p>Mbo-certificaat.</p></main>"
    pdf = (PAGES / "nova.brochure-individuele-basiszorg.pdf").read_bytes()
    store = EvidenceStore(workspace, db, "R1")
    store.store(
        Response(
            institution,
            "Nova",
            ALFA + "/b.pdf",
            ALFA + "/b.pdf",
            200,
            [("Content-Type", "application/pdf")],
            pdf,
            kind="pdf",
        )
    )
    store.store(
        Response(institution, "Nova", page, page, 200, [("Content-Type", "text/html")], html)
    )
    store.close()
    match_round(workspace, db, "R1")
    [offer] = offers_for_round(db, "R1")
    assert offer.code == "C0039"
    assert offer.evidence_url == page
