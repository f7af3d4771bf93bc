"""Spot checks of auto-accepted matches: a seeded sample, verdicts as decisions, an estimate
with a 95 % Wilson interval."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mbo_websearch.review.spot_check import sample, wilson
from tests.test_app.conftest import ROUND


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(5, 5)[1] == pytest.approx(1.0)


def test_the_sample_is_seeded(db, seeded):
    first = [c.match.normalised_name for c in sample(db, ROUND, size=5, seed=1)]
    assert first == [c.match.normalised_name for c in sample(db, ROUND, size=5, seed=1)]
    assert [c.match.code for c in sample(db, ROUND)] == ["K0290"]  # the one auto match


def test_a_verdict_changes_the_estimate(browser, live, seeded, db):
    context = browser.new_context(base_url=live.url)
    context.add_cookies([{"name": "mbo_reviewer", "value": "Anna", "url": live.url}])
    page = context.new_page()
    page.goto(f"/ronde/{ROUND}")
    page.click("#spot-check-link")
    expect(page.locator("#estimate")).to_contain_text("Nog geen oordelen")
    card = page.locator("li.candidate", has_text="Werken met baby's")
    expect(card.locator(".auto-code")).to_have_text("K0290")
    card.locator("button.spot-correct").click()
    expect(page.locator("#estimate")).to_contain_text("100 %")
    expect(page.locator("#estimate")).to_contain_text("1 van 1 juist; 95 %-interval 21–100 %")
    card = page.locator("li.candidate", has_text="Werken met baby's")
    card.locator("input[name=code]").fill("")
    card.locator("button.spot-wrong").click()
    expect(page.locator("#estimate")).to_contain_text("0 van 1 juist")
    rows = list(db.query("SELECT code, note, supersedes FROM decisions ORDER BY id"))
    assert [(r["code"], r["note"]) for r in rows] == [
        ("K0290", "steekproef: juist"),
        ("none", "steekproef: onjuist"),
    ]
    assert rows[1]["supersedes"] is not None
    context.close()
