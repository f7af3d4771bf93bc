"""Withdrawing a decision (undo of a first decision): append-only, and the matcher decides again."""

from __future__ import annotations

import pytest

from matcher.decisions import (
    WITHDRAWN,
    decision_log,
    decisions_for_round,
    record_decision,
)
from matcher.offers import match_round, offers_for_round
from snapshots.errors import InputError
from tests.test_matcher.test_offers import (
    EXPECTED,
    PALLIATIEF,
    archive_round,
    institution_id,
    summary,
)

HELPENDE = "helpende plus"


@pytest.fixture
def matched(workspace, db):
    archive_round(workspace, db, "R1", "2026-05-01T00:00:00+00:00")
    match_round(workspace, db, "R1")
    return "R1"


def decide(db, round_label, institution, name, code, **extra):
    return record_decision(
        db,
        round=round_label,
        institution_id=institution_id(db, institution),
        normalised_name=name,
        code=code,
        b2b_only=extra.pop("b2b_only", None),
        reviewer=extra.pop("reviewer", "anna"),
        **extra,
    )


def withdraw(db, round_label, decision, **extra):
    return record_decision(
        db,
        round=round_label,
        institution_id=decision.institution_id,
        normalised_name=decision.normalised_name,
        code="withdrawn",
        b2b_only=None,
        reviewer="anna",
        supersedes=decision.id,
        note=f"ongedaan: beslissing {decision.id}",
        **extra,
    )


def status_of(db, round_label, name):
    return [
        (r["status"], r["decision_id"])
        for r in db.query(
            "SELECT status, decision_id FROM candidate_status"
            " WHERE round = ? AND normalised_name = ? ORDER BY id",
            [round_label, name],
        )
    ]


def test_withdrawn_first_decisions_give_the_matcher_its_say_back(db, matched):
    accepted = decide(db, matched, "Deltion College", PALLIATIEF, "K1006", b2b_only=True)
    rejected = decide(db, matched, "Alfa-college", HELPENDE, "none")
    changed = EXPECTED | {("Deltion College", "K1006"): ("confirmed", True)}
    del changed[("Alfa-college", "K0905")]
    assert summary(offers_for_round(db, matched)) == changed

    withdrawn = withdraw(db, matched, accepted)
    withdraw(db, matched, rejected)

    # review -> accepted -> withdrawn: back to review; auto -> rejected -> withdrawn: confirmed
    assert summary(offers_for_round(db, matched)) == EXPECTED
    assert set(status_of(db, matched, PALLIATIEF)) == {("review", None)}
    assert decisions_for_round(db, matched) == {}
    latest = decisions_for_round(db, matched, include_withdrawn=True)
    assert latest[(accepted.institution_id, PALLIATIEF)] == withdrawn
    assert withdrawn.code == WITHDRAWN
    assert withdrawn.withdrawn
    assert (withdrawn.supersedes, withdrawn.b2b_only) == (accepted.id, None)
    # the log keeps every row; the offers view and offers_for_round agree
    assert [(d.code, d.supersedes) for d in decision_log(db)] == [
        ("K1006", None),
        ("none", None),
        ("withdrawn", accepted.id),
        ("withdrawn", rejected.id),
    ]
    view = list(db.query("SELECT institution, code, status FROM offers WHERE round = ?", [matched]))
    assert {(r["institution"], r["code"]): r["status"] for r in view} == {
        key: status for key, (status, _b2b) in EXPECTED.items()
    }


def test_a_decision_after_a_withdrawal_is_in_force_again(db, matched):
    first = decide(db, matched, "Deltion College", PALLIATIEF, "K1006")
    withdrawn = withdraw(db, matched, first)
    again = decide(db, matched, "Deltion College", PALLIATIEF, "none", supersedes=withdrawn.id)
    assert ("Deltion College", "K1006") not in summary(offers_for_round(db, matched))
    assert decisions_for_round(db, matched) == {(first.institution_id, PALLIATIEF): again}
    assert set(status_of(db, matched, PALLIATIEF)) == {("none", again.id)}


def test_withdrawal_carries_over_to_later_rounds_but_not_back(workspace, db, matched):
    archive_round(workspace, db, "R2", "2026-11-01T00:00:00+00:00")
    archive_round(workspace, db, "R3", "2027-05-01T00:00:00+00:00")
    for label in ("R2", "R3"):
        match_round(workspace, db, label)
    review = EXPECTED
    accepted = EXPECTED | {("Deltion College", "K1006"): ("confirmed", False)}
    first = decide(db, matched, "Deltion College", PALLIATIEF, "K1006")
    assert [summary(offers_for_round(db, r)) for r in ("R1", "R2", "R3")] == [accepted] * 3
    # withdrawn in R2: R1 keeps the decision, R2 and the later R3 are back to review
    withdraw(db, "R2", first)
    assert [summary(offers_for_round(db, r)) for r in ("R1", "R2", "R3")] == [
        accepted,
        review,
        review,
    ]
    assert list(decisions_for_round(db, "R1")) == [(first.institution_id, PALLIATIEF)]
    assert decisions_for_round(db, "R3") == {}


def test_withdrawn_needs_the_decision_it_takes_back(db, matched):
    first = decide(db, matched, "Deltion College", PALLIATIEF, "K1006")
    other = decide(db, matched, "Alfa-college", HELPENDE, "none")
    with pytest.raises(InputError, match="withdrawn needs the id"):
        decide(db, matched, "Deltion College", PALLIATIEF, "withdrawn")
    with pytest.raises(InputError, match="another name or institution"):
        decide(db, matched, "Deltion College", PALLIATIEF, "withdrawn", supersedes=other.id)
    withdrawn = decide(
        db,
        matched,
        "Deltion College",
        PALLIATIEF,
        " Withdrawn ",
        b2b_only=True,
        supersedes=first.id,
    )
    assert (withdrawn.code, withdrawn.b2b_only) == ("withdrawn", None)
    with pytest.raises(InputError, match="itself a withdrawal"):
        decide(db, matched, "Deltion College", PALLIATIEF, "withdrawn", supersedes=withdrawn.id)
    assert db["decisions"].count == 3
