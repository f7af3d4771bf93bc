"""The decision in force, pinned: one definition (the `decision_in_force` view) read by
candidate_status, the offers view, decisions_for_round and so by the queue, offers and diff."""

from __future__ import annotations

import pytest

from matcher import store
from matcher.decisions import decisions_for_round
from matcher.offers import match_round, offers_for_round
from snapshots.evidence import start_round
from tests.test_matcher.test_decisions_withdraw import HELPENDE, decide, status_of, withdraw
from tests.test_matcher.test_offers import PALLIATIEF, archive_round, summary


@pytest.fixture
def rounds(workspace, db):
    """R0 (before), R1 (crawled and matched), R2 (after)."""
    archive_round(workspace, db, "R1", "2026-05-01T00:00:00+00:00")
    match_round(workspace, db, "R1")
    for label, started in (
        ("R0", "2026-01-01T00:00:00+00:00"),
        ("R2", "2026-11-01T00:00:00+00:00"),
    ):
        start_round(db, label)
        db.table("rounds").update(label, {"started_at": started})
    return ("R0", "R1", "R2")


def in_force(db, round_label):
    return {key: d.code for key, d in decisions_for_round(db, round_label).items()}


def test_the_latest_decision_wins(db, rounds):
    first = decide(db, "R1", "Deltion College", PALLIATIEF, "K1006")
    second = decide(db, "R1", "Deltion College", PALLIATIEF, "none", supersedes=first.id)
    key = (first.institution_id, PALLIATIEF)
    assert decisions_for_round(db, "R1") == {key: second}
    assert set(status_of(db, "R1", PALLIATIEF)) == {("none", second.id)}


def test_a_decision_applies_to_its_round_and_later_rounds_not_earlier_ones(db, rounds):
    decided = decide(db, "R1", "Deltion College", PALLIATIEF, "K1006")
    key = (decided.institution_id, PALLIATIEF)
    assert in_force(db, "R0") == {}
    assert in_force(db, "R1") == {key: "K1006"}
    assert in_force(db, "R2") == {key: "K1006"}
    # a later decision taken in R2 leaves R1 as it was
    decide(db, "R2", "Deltion College", PALLIATIEF, "none", supersedes=decided.id)
    assert in_force(db, "R1") == {key: "K1006"}
    assert in_force(db, "R2") == {key: "none"}


def test_withdrawn_means_the_matchers_own_routing_again(db, rounds):
    accepted = decide(db, "R1", "Deltion College", PALLIATIEF, "K1006")
    assert set(status_of(db, "R1", PALLIATIEF)) == {("confirmed", accepted.id)}
    taken_back = withdraw(db, "R1", accepted)
    assert in_force(db, "R1") == {}
    assert set(status_of(db, "R1", PALLIATIEF)) == {("review", None)}
    latest = store.latest_decisions(db, "R1", include_withdrawn=True)
    assert latest == [taken_back]


def test_none_is_not_an_offer(db, rounds):
    assert ("Alfa-college", "K0905") in summary(offers_for_round(db, "R1"))
    rejected = decide(db, "R1", "Alfa-college", HELPENDE, "none")
    assert set(status_of(db, "R1", HELPENDE)) == {("none", rejected.id)}
    assert ("Alfa-college", "K0905") not in summary(offers_for_round(db, "R1"))


def test_b2b_of_a_decision_overrides_the_page_cues_and_none_keeps_them(db, rounds):
    assert summary(offers_for_round(db, "R1"))[("Alfa-college", "K0905")] == ("confirmed", False)
    first = decide(db, "R1", "Alfa-college", HELPENDE, "K0905", b2b_only=True)
    assert summary(offers_for_round(db, "R1"))[("Alfa-college", "K0905")] == ("confirmed", True)
    decide(db, "R1", "Alfa-college", HELPENDE, "K0905", b2b_only=None, supersedes=first.id)
    assert summary(offers_for_round(db, "R1"))[("Alfa-college", "K0905")] == ("confirmed", False)


def test_candidate_status_and_decisions_for_round_read_one_definition(db, rounds):
    first = decide(db, "R1", "Deltion College", PALLIATIEF, "K1006")
    withdraw(db, "R1", first)
    decide(db, "R1", "Alfa-college", HELPENDE, "none")
    by_key = {key: d.id for key, d in decisions_for_round(db, "R1").items()}
    rows = db.query("SELECT institution_id, normalised_name, decision_id FROM candidate_status")
    for row in rows:
        assert row["decision_id"] == by_key.get((row["institution_id"], row["normalised_name"]))
    assert len(by_key) == 1
