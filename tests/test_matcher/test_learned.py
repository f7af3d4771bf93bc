"""Learned aliases: a decision on a name teaches every institution in later rounds.

Four institutions publish the same ten course names (each its own detail page), archived as
two rounds. Analysts decide at two institutions in R1; R2 is matched with what they taught.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from matcher import store
from matcher.decisions import decision_key, decisions_for_round, record_decision
from matcher.learned import dutch_date, learned_names
from matcher.offers import match_is_current, match_round
from matcher.register import Register
from mbo_websearch.rounds import ensure_reviewable
from snapshots.evidence import EvidenceStore, Response, start_round

INSTITUTIONS = {  # name -> loopback host
    "ROC Een": "http://127.0.0.21",
    "ROC Twee": "http://127.0.0.22",
    "ROC Drie": "http://127.0.0.23",
    "ROC Vier": "http://127.0.0.24",
}
# Names that the ladder sends to review (no code on the page, no exact title), with what an
# analyst decides; "none" is geen certificaattraject.
NAMES = {
    "Storingen zoeken in elektrotechnische installaties": "C0022",
    "Kinderen begeleiden bij de gastouder": "K1167",
    "Meten en beproeven middenspanningsnetten": "K0686",
    "Lijstenmaker": "K0992",
    "Werken met jonge kinderen": "none",
    "Digitale vaardigheden in de zorg": "none",
    "Ouderen met een verstandelijke beperking": "K0082",
    "Verbreding mechanisch operator chemie": "K0041",
    "Windturbinemonteur": "K0350",
    "Palliatieve zorg voor vrijwilligers": "none",
}
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{name} | {institution}</title>
</head><body><nav><a href="/">Home</a> <a href="/cursussen">Cursussen</a></nav>
<main><h1>{name}</h1><p>Deze cursus voor werkenden duurt tien weken. Je leert in de praktijk
en sluit af met een examen. Aanmelden kan het hele jaar.</p></main></body></html>"""
DECIDED_AT = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def archive_round(workspace, db, label: str, started_at: str) -> None:
    """Archive every institution's course pages as a crawl of round `label` would."""
    start_round(db, label)
    db.table("rounds").update(label, {"started_at": started_at})
    evidence = EvidenceStore(workspace, db, label, clock=lambda: DECIDED_AT)
    for institution, host in INSTITUTIONS.items():
        institution_id = db.table("institutions").lookup(
            {"name": institution},
            {
                "funded": "bekostigd",
                "website": host + "/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-01-01",
            },
        )
        for name in NAMES:
            url = f"{host}/cursus/{slug(name)}"
            evidence.store(
                Response(
                    institution_id=institution_id,
                    institution=institution,
                    url=url,
                    final_url=url,
                    status=200,
                    headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=PAGE.format(name=name, institution=institution).encode("utf-8"),
                )
            )
    evidence.close()


def institution_id(db, name: str) -> int:
    return next(db["institutions"].rows_where("name = ?", [name]))["id"]


def decide(db, round_label, institution, name, code, reviewer, **extra):
    return record_decision(
        db,
        round=round_label,
        institution_id=institution_id(db, institution),
        normalised_name=decision_key(name),
        code=code,
        b2b_only=None,
        reviewer=reviewer,
        clock=lambda: DECIDED_AT,
        **extra,
    )


def pending_review(db, round_label) -> set[tuple[int, str]]:
    """Review items an analyst still has to handle: (institution, name) in the review queue
    without a decision in force."""
    queued = {
        (c.institution_id, c.normalised_name) for c in store.review_candidates(db, round_label)
    }
    return queued - set(decisions_for_round(db, round_label))


def status(db, round_label, institution, name) -> tuple[str, str | None, str]:
    """(status, offer code, explanation) of a name's candidate at an institution."""
    row = next(
        db.query(
            "SELECT status, offer_code, explanation FROM candidate_status WHERE round = ? "
            "AND institution_id = ? AND normalised_name = ?",
            [round_label, institution_id(db, institution), decision_key(name)],
        )
    )
    return row["status"], row["offer_code"], row["explanation"]


@pytest.fixture
def rounds(workspace, db):
    """R1 matched; R2, the same sites half a year later, crawled but not matched yet."""
    archive_round(workspace, db, "R1", "2026-03-01T00:00:00+00:00")
    archive_round(workspace, db, "R2", "2026-09-01T00:00:00+00:00")
    match_round(workspace, db, "R1")
    return "R1", "R2"


def decide_round_one(db) -> None:
    """Anna decides the first five names at ROC Een, Bram the other five at ROC Twee."""
    for index, (name, code) in enumerate(NAMES.items()):
        institution, reviewer = ("ROC Een", "Anna") if index < 5 else ("ROC Twee", "Bram")
        decide(db, "R1", institution, name, code, reviewer)


def test_a_second_round_needs_at_least_half_fewer_review_items(workspace, db, rounds, capsys):
    first = pending_review(db, "R1")
    assert len(first) >= 3 * len(INSTITUTIONS), "the names must reach review in R1"
    decide_round_one(db)
    # Bram disagrees with Anna on one name: that name is not learned (unanimity)
    decide(
        db, "R1", "ROC Twee", "Storingen zoeken in elektrotechnische installaties", "K0086", "Bram"
    )
    match_round(workspace, db, "R2")
    second = pending_review(db, "R2")
    reduction = 1 - len(second) / len(first)
    with capsys.disabled():
        print(f"\nreview items: R1 {len(first)}, R2 {len(second)} ({reduction:.0%} fewer)")
    assert len(second) <= len(first) / 2
    # what is left is the disputed name at the institutions that did not decide it
    assert second == {
        (institution_id(db, i), decision_key("Storingen zoeken in elektrotechnische installaties"))
        for i in ("ROC Drie", "ROC Vier")
    }


def test_a_learned_alias_is_auto_for_every_institution_with_its_source(workspace, db, rounds):
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    match_round(workspace, db, "R2")
    for institution in INSTITUTIONS:
        found, code, explanation = status(
            db, "R2", institution, "Kinderen begeleiden bij de gastouder"
        )
        assert (found, code) == ("confirmed", "K1167")
        assert "learned alias: K1167" in explanation
        assert "geleerd uit beslissing van Anna, 9 maart 2026" in explanation
    # R1 itself is not re-taught: its other institutions still wait for an analyst
    assert status(db, "R1", "ROC Drie", "Kinderen begeleiden bij de gastouder")[0] == "review"
    assert match_is_current(db, "R1")


def test_a_no_certificate_decision_is_a_learned_negative(workspace, db, rounds):
    decide(db, "R1", "ROC Twee", "Palliatieve zorg voor vrijwilligers", "none", "Bram")
    match_round(workspace, db, "R2")
    found, code, explanation = status(db, "R2", "ROC Vier", "Palliatieve zorg voor vrijwilligers")
    assert found == "none"
    assert "learned negative: geen certificaattraject, geleerd uit beslissing van Bram" in (
        explanation
    )
    key = (institution_id(db, "ROC Vier"), decision_key("Palliatieve zorg voor vrijwilligers"))
    assert key not in pending_review(db, "R2")


def test_disagreeing_institutions_teach_nothing(workspace, db, rounds):
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    decide(db, "R1", "ROC Twee", "Kinderen begeleiden bij de gastouder", "none", "Bram")
    assert decision_key("Kinderen begeleiden bij de gastouder") not in learned_names(
        db, "R2", Register.default()
    )
    match_round(workspace, db, "R2")
    assert status(db, "R2", "ROC Drie", "Kinderen begeleiden bij de gastouder")[0] == "review"
    # each deciding institution keeps its own decision
    assert status(db, "R2", "ROC Een", "Kinderen begeleiden bij de gastouder")[:2] == (
        "confirmed",
        "K1167",
    )
    assert status(db, "R2", "ROC Twee", "Kinderen begeleiden bij de gastouder")[:2] == (
        "none",
        "none",
    )


def test_agreeing_institutions_are_cited_by_the_latest(workspace, db, rounds):
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    decide(db, "R1", "ROC Twee", "Kinderen begeleiden bij de gastouder", "K1167", "Bram")
    learned = learned_names(db, "R2", Register.default())[
        decision_key("Kinderen begeleiden bij de gastouder")
    ]
    assert learned.cert is not None
    assert learned.cert.code == "K1167"
    assert learned.explanation == "geleerd uit beslissing van Bram, 9 maart 2026"


def test_an_analysts_own_decision_wins_and_withdraws_the_alias(workspace, db, rounds):
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    match_round(workspace, db, "R2")
    assert status(db, "R2", "ROC Drie", "Kinderen begeleiden bij de gastouder")[:2] == (
        "confirmed",
        "K1167",
    )
    # an analyst at ROC Drie says otherwise in R2: at once their own decision applies there
    decide(db, "R2", "ROC Drie", "Kinderen begeleiden bij de gastouder", "none", "Cas")
    assert status(db, "R2", "ROC Drie", "Kinderen begeleiden bij de gastouder")[:2] == (
        "none",
        "none",
    )
    # and the contradiction takes the alias back for everyone else: R2's match is stale
    assert not match_is_current(db, "R2")
    match_round(workspace, db, "R2")
    assert status(db, "R2", "ROC Vier", "Kinderen begeleiden bij de gastouder")[0] == "review"
    assert status(db, "R2", "ROC Een", "Kinderen begeleiden bij de gastouder")[:2] == (
        "confirmed",
        "K1167",
    )
    assert status(db, "R2", "ROC Drie", "Kinderen begeleiden bij de gastouder")[:2] == (
        "none",
        "none",
    )


def test_withdrawing_the_source_decision_withdraws_the_alias(workspace, db, rounds):
    source = decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    match_round(workspace, db, "R2")
    assert match_is_current(db, "R2")
    decide(
        db,
        "R1",
        "ROC Een",
        "Kinderen begeleiden bij de gastouder",
        "withdrawn",
        "Anna",
        supersedes=source.id,
    )
    assert learned_names(db, "R2", Register.default()) == {}
    assert not match_is_current(db, "R2")
    match_round(workspace, db, "R2")
    assert status(db, "R2", "ROC Twee", "Kinderen begeleiden bij de gastouder")[0] == "review"


def test_a_new_decision_makes_later_rounds_stale_not_its_own(workspace, db, rounds):
    match_round(workspace, db, "R2")
    assert match_is_current(db, "R1")
    assert match_is_current(db, "R2")
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    assert match_is_current(db, "R1")
    assert not match_is_current(db, "R2")
    # starting a review of R2 re-matches it, so the queue no longer holds the learned name
    assert ensure_reviewable(workspace, db, "R2") is not None
    assert match_is_current(db, "R2")
    assert ensure_reviewable(workspace, db, "R2") is None
    key = (institution_id(db, "ROC Twee"), decision_key("Kinderen begeleiden bij de gastouder"))
    assert key not in pending_review(db, "R2")
    # a decision in R2 on a name nobody decided before teaches only later rounds
    decide(db, "R2", "ROC Een", "Kinderen begeleiden bij de gastouder", "K1167", "Anna")
    decide(db, "R2", "ROC Een", "Palliatieve zorg voor vrijwilligers", "none", "Anna")
    assert match_is_current(db, "R2")


def test_an_alias_for_a_code_the_register_lacks_is_not_used(workspace, db, rounds):
    decide(db, "R1", "ROC Een", "Kinderen begeleiden bij de gastouder", "K9999", "Anna")
    assert learned_names(db, "R2", Register.default()) == {}


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2026-03-09T14:30:00+00:00", "9 maart 2026"),
        ("2025-12-31", "31 december 2025"),
        ("2026-01-01T00:00:00", "1 januari 2026"),
    ],
)
def test_dutch_date(iso, expected):
    assert dutch_date(iso) == expected
