"""The summary reconciles: findable, awaiting review, b2b-only and LNV side by side; the
diff's "nieuw online" broken down into them; a banner while items await review; the register."""

from __future__ import annotations

from dataclasses import replace

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.collect import collect_inputs
from mbo_websearch.reports.html import render_html
from tests.test_app.conftest import ROUND
from tests.test_app.test_report_tables import R0, R, fixture_inputs


def test_findable_review_b2b_and_lnv_side_by_side():
    report = build_report(fixture_inputs())
    # fixture R: 7 findable, K0869 at ROC B awaiting review, K0022 at ROC A b2b, L0001 LNV
    assert report.summary[1] == (
        f"Naast elkaar in {R}: 7 vindbaar (meegeteld), 1 nog te beoordelen, 1 alleen via "
        "werkgever en 1 LNV-certificaat; de laatste drie worden niet meegeteld in de tabellen."
    )
    assert [r[2] for r in report.table("lnv_aanbod").rows] == ["L0001"]
    overview = {r[0]: r[1] for r in report.table("overzicht").rows}
    assert overview["LNV-certificaten (niet meegeteld)"] == 1


def test_new_online_is_broken_down_into_the_kinds_it_counts():
    inputs = fixture_inputs()
    # the diff also sees ROC B's offer awaiting review and ROC A's b2b-only offer
    extra = [replace(inputs.diff_rows[3], code=code) for code in ("K0869", "K0022")]
    extra = [replace(e, institution=i) for e, i in zip(extra, ("ROC B", "ROC A"), strict=True)]
    inputs.diff_rows = [*inputs.diff_rows, *extra]
    report = build_report(inputs)
    assert any(line.startswith(f"Sinds {R0}: 6 nieuw online,") for line in report.summary)
    assert (
        "van de 6 nieuw online zijn er 4 vindbaar, 1 nog te beoordelen en 1 alleen via werkgever."
        in " ".join(report.summary)
    )


def test_banner_while_items_await_review_and_for_the_embedded_register():
    inputs = fixture_inputs()
    inputs.register_source = "7 certificaten, embedded default"
    inputs.register_is_default = True
    report = build_report(inputs)
    assert report.warnings[0].startswith("Niet definitief: 1 mogelijk traject wacht nog op")
    assert "ingebouwde, onvolledige register" in report.warnings[1]
    assert "Register: 7 certificaten, embedded default." in report.summary
    html = render_html(report)
    assert '<div class="banner" role="status">' in html
    assert "Niet definitief" in html


def test_no_banner_when_nothing_awaits_review():
    inputs = fixture_inputs()
    inputs.offers = [o for o in inputs.offers if o.status != "review"]
    report = build_report(inputs)
    assert report.warnings == []
    assert 'class="banner"' not in render_html(report)


def test_banner_while_names_wait_in_the_review_queue_though_no_offer_does():
    # names whose certificate the institution already offers (so no offer awaits review)
    # can still be decided as another code: the figures are not final
    inputs = fixture_inputs()
    inputs.offers = [o for o in inputs.offers if o.status != "review"]
    inputs.review_open = 2
    report = build_report(inputs)
    assert report.warnings[0].startswith("Niet definitief: 2 namen wachten nog op")
    assert "In de reviewwachtrij staan nog 2 namen zonder beslissing" in report.summary[1]


def test_collect_counts_the_open_names_of_the_review_queue(seeded, db):
    assert collect_inputs(db, ROUND).review_open == 5  # the seeded round's five review names
