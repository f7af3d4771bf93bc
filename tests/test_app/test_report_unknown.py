"""Unknown is not zero: an institution whose crawl was not `ok` reads 'onbekend' everywhere."""

from __future__ import annotations

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.model import Count, HealthRow, PotentialRow
from tests.test_app.test_report_tables import R0, R, fixture_inputs

PER_INSTITUTION = (
    "per_instelling_bekostigd",
    "instellingen_online_offline",
    "potentieel_per_instelling",
    "crawlstatus",
)


def inputs_with_unknowns():
    """ROC D failed in R; Opleider Y (no offers ever) failed in the compare round R0 and was
    partly crawled in R; ROC D also has a potential offer."""
    inputs = fixture_inputs()
    inputs.potential = [*inputs.potential, PotentialRow("ROC D", "K0118")]
    inputs.health = [
        h if h.institution != "Opleider Y" else HealthRow("Opleider Y", h.funded, "partial")
        for h in inputs.health
    ]
    inputs.compare_health = [
        HealthRow(h.institution, h.funded, "failed" if h.institution == "Opleider Y" else "ok")
        for h in inputs.health
    ]
    return inputs


def test_a_failed_institution_is_unknown_in_every_per_institution_table():
    report = build_report(inputs_with_unknowns())
    for key in PER_INSTITUTION:
        row = report.table(key).row_for("ROC D")
        shown = [c.value if isinstance(c, Count) else c for c in row]
        assert any(str(c) in ("onbekend", "mislukt") for c in shown), (key, shown)
        assert 0 not in shown[2:4], (key, shown)  # never 0 for what this round could not see


def test_totals_count_known_institutions_and_say_how_many_are_unknown():
    report = build_report(inputs_with_unknowns())
    funded = report.table("per_instelling_bekostigd")
    total = [c.value if isinstance(c, Count) else c for c in funded.row_for("Totaal")]
    assert total[:3] == ["Totaal", 5, 4]  # ROC D's 1 in R0 counted, its R unknown
    assert funded.row_for("Instellingen met onbekend aantal")[1:3] == [0, 1]
    # Opleider Y has no offers, but its crawls were not in order: unknown in both rounds
    private = report.table("per_instelling_niet-bekostigd")
    assert private.row_for("Opleider Y")[1:3] == ["onbekend", "onbekend"]
    assert private.row_for("Instellingen met onbekend aantal")[1:3] == [1, 1]
    potential = report.table("potentieel_per_instelling").row_for("ROC D")
    assert potential[2:] == [1, "onbekend", "onbekend", "onbekend", "onbekend"]


def test_coverage_says_it_is_a_lower_bound():
    report = build_report(inputs_with_unknowns())
    institutions = report.table("dekking_instellingen")
    assert institutions.row_for("Totaal")[-1] == 2  # ROC D failed, Opleider Y partial
    assert "Ondergrens" in institutions.note
    certs = report.table("dekking_certificaten")
    assert certs.note.startswith("Ondergrens: bij 2 instellingen")
    assert str(certs.rows[0][-1]).endswith("(ondergrens)")
    assert any("onbekend" in line and "2 instellingen" in line for line in report.summary)


def test_a_partial_crawl_that_found_something_reads_at_least():
    inputs = inputs_with_unknowns()
    inputs.health = [
        HealthRow(h.institution, h.funded, "partial" if h.institution == "ROC A" else h.health)
        for h in inputs.health
    ]
    funded = build_report(inputs).table("per_instelling_bekostigd")
    assert funded.columns[1:3] == [f"Trajecten {R0}", f"Trajecten {R}"]
    row = [c.value if isinstance(c, Count) else c for c in funded.row_for("ROC A")]
    assert row == ["ROC A", 2, ">= 3", ">= 2", ">= 1", ">= 3"]
