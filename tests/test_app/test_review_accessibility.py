"""axe-core on the review pages in Chromium: no serious or critical WCAG 2.1 A/AA findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_app.conftest import ROUND

AXE = Path(__file__).parent.parent / "data" / "axe" / "axe.min.js"


def findings(page) -> list[dict]:
    page.evaluate(
        AXE.read_text(encoding="utf-8")
    )  # evaluated by CDP: the app's CSP allows no inline script
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));
        }"""
    )
    return result


@pytest.mark.parametrize("path", [f"/ronde/{ROUND}", "/", "/pagina/1"])
def test_review_pages_have_no_serious_accessibility_findings(browser, live, seeded, path):
    context = browser.new_context(base_url=live.url)
    context.add_cookies([{"name": "mbo_reviewer", "value": "Anna", "url": live.url}])
    page = context.new_page()
    page.goto(path)
    expect(page.locator("main")).to_be_visible()
    serious = [f for f in findings(page) if f["impact"] in ("serious", "critical")]
    context.close()
    assert serious == []


def test_the_check_sees_a_serious_finding(browser, live, seeded):
    context = browser.new_context(base_url=live.url)
    context.add_cookies([{"name": "mbo_reviewer", "value": "Anna", "url": live.url}])
    page = context.new_page()
    page.goto(f"/ronde/{ROUND}")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.body.append(i); }"
    )
    ids = {f["id"] for f in findings(page) if f["impact"] in ("serious", "critical")}
    context.close()
    assert "image-alt" in ids
