"""axe-core (tests/data/axe/, MPL-2.0) run in Chromium on the HTML report: no serious or
critical findings, a <main> landmark, drill-downs opened too."""

from __future__ import annotations

import pytest

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.write import write_all
from tests.conftest import DATA
from tests.test_app.test_report_unknown import inputs_with_unknowns

AXE = DATA / "axe" / "axe.min.js"


def axe_findings(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("anonymize", [False, True])
def test_report_has_no_serious_axe_findings(browser, tmp_path, anonymize):
    report = build_report(inputs_with_unknowns(), anonymize=anonymize)
    written = write_all(report, tmp_path / "rapport")
    context = browser.new_context()
    page = context.new_page()
    page.goto(written.html.as_uri())
    assert page.locator("main").count() == 1
    for summary in page.locator("details.drill > summary").all()[:20]:
        summary.click()  # opened drill-downs are checked too
    findings = axe_findings(page)
    context.close()
    serious = [f for f in findings if f["impact"] in ("serious", "critical")]
    assert serious == [], serious
