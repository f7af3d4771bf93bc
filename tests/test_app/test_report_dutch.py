"""Dutch throughout: crawl reasons, statuses, singular/plural; CSV for Dutch Excel."""

from __future__ import annotations

import csv

import pytest

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.dutch import crawl_reason
from mbo_websearch.reports.html import render_html
from mbo_websearch.reports.model import HealthRow
from mbo_websearch.reports.write import write_all
from tests.test_app.test_report_tables import fixture_inputs


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("8 pages, no errors", "8 pagina's, geen fouten"),
        ("1 pages, no errors", "1 pagina, geen fouten"),
        (
            "site unreachable: connection refused (2 requests)",
            "site onbereikbaar: verbinding geweigerd (2 verzoeken)",
        ),
        ("page budget of 200 reached", "paginabudget van 200 bereikt"),
        (
            "crawl stopped early (closespider_timeout); 3 of 40 requests failed",
            "crawl vroegtijdig gestopt (closespider_timeout); 3 van 40 verzoeken mislukt",
        ),
        ("something new", "something new"),
    ],
)
def test_crawl_reasons_in_dutch(english, dutch):
    assert crawl_reason(english) == dutch


def test_report_has_no_english_status_words():
    inputs = fixture_inputs()
    inputs.health = [
        HealthRow(h.institution, h.funded, h.health, "8 pages, no errors", 8) for h in inputs.health
    ]
    html = render_html(build_report(inputs))
    for english in ("confirmed", "pages, no errors", "partly offline", "grown", ">review<"):
        assert english not in html
    assert "bevestigd" in html
    assert "8 pagina's, geen fouten" in html.replace("&#39;", "'")


def test_one_certificate_reads_singular():
    inputs = fixture_inputs()
    inputs.offers = [o for o in inputs.offers if o.code != "C0021"]
    report = build_report(inputs)
    assert (
        report.table("dekking_certificaten")
        .rows[1][-1]
        .startswith(
            "1 van de 2 beroepsonderdelen heeft ten minste één vindbare aanbieder; 0 hebben"
        )
    )


def test_csv_for_dutch_excel_is_semicolon_separated_with_bom(tmp_path):
    written = write_all(build_report(fixture_inputs()), tmp_path / "r", csv_delimiter=";")
    raw = (tmp_path / "r" / "csv" / "per_instelling_bekostigd.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (written.csv[0].parent / "per_instelling_bekostigd.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[1] == ["ROC A", "2", "3", "2", "1", "3"]


def test_a_totals_row_of_one_certificate_is_singular():
    inputs = fixture_inputs()
    inputs.offers = [o for o in inputs.offers if o.code in ("K0905", "C0039")]
    report = build_report(inputs)
    assert report.table("aanbod_keuzedelen").row_for("Totaal")[2] == "1 certificaat"
    assert report.table("aanbod_beroepsonderdelen").row_for("Totaal")[2] == "1 certificaat"
