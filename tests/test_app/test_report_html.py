"""The HTML report in a real Chromium (no network, no console errors, charts drawn); XLSX/CSV."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.html import render_html
from mbo_websearch.reports.write import write_all
from tests.test_app.test_report_tables import fixture_inputs


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    report = build_report(fixture_inputs())
    return report, write_all(report, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def page_of(written, browser):
    """The HTML report loaded in the session's Chromium, console and requests recorded."""
    _, files = written
    context = browser.new_context()
    page = context.new_page()
    messages, requests = [], []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(files.html.as_uri())
    page.wait_for_load_state("load")
    yield page, messages, requests
    context.close()


def test_html_opens_without_console_errors_or_network(page_of):
    page, messages, requests = page_of
    assert [m for m in messages if m[0] in ("error", "pageerror", "warning")] == []
    assert all(url.startswith("file://") for url in requests), requests
    assert page.title() == "Monitor mbo-certificaten: websearch 2026-11 vergeleken met 2025-11"


def test_html_has_both_charts_with_bars(page_of):
    page, _, _ = page_of
    sectors = page.locator("svg#chart-sectoren")
    assert sectors.is_visible()
    # Zorg: bekostigd 4 + niet-bekostigd 2; Voedsel: niet-bekostigd 1 -> three segments
    assert sectors.locator("rect.bar").count() == 3
    assert "Zorg: bekostigd 4" in sectors.inner_html()
    assert "Zorg: niet-bekostigd 2" in sectors.inner_html()
    institutions = page.locator("svg#chart-instellingen")
    assert institutions.is_visible()
    assert "ROC C: offline 2" in institutions.inner_html()
    box = institutions.bounding_box()
    assert box is not None
    assert box["width"] > 300


def test_html_tables_show_counts_with_their_evidence(page_of):
    page, _, _ = page_of
    cell = page.locator("#aanbod_keuzedelen tbody tr").first.locator("td.count").first
    assert cell.locator("summary").inner_text() == "2"
    offers = cell.locator("li")
    assert not offers.first.is_visible()  # folded until opened
    cell.locator("summary").focus()
    page.keyboard.press("Enter")  # keyboard (and a tap) opens it, no hover needed
    assert offers.first.is_visible()
    assert "https://rocb.example/hp" in cell.inner_text()
    assert "(pagina 17)" in cell.inner_text()
    assert page.locator("#bewijs tbody tr").count() == 16
    assert page.locator("#eerst_online_nu_offline tbody tr").count() == 2


def test_xlsx_has_a_sheet_per_table_and_csv_a_file_per_table(written):
    report, files = written
    workbook = load_workbook(files.xlsx)
    assert workbook.sheetnames == [t.key for t in report.tables]
    sheet = workbook["aanbod_keuzedelen"]
    assert sheet["A1"].value.startswith("Op websites vindbare certificaattrajecten, keuzedelen")
    assert [c.value for c in sheet[3]] == [
        "Sector",
        "Code",
        "Mbo-certificaat",
        "Aanbieders bekostigd",
        "Aanbieders niet-bekostigd",
        "Totaal",
    ]
    assert [c.value for c in sheet[4]][1:] == ["K0905", "Helpende plus", 2, 1, 3]
    assert {p.stem for p in files.csv} == {t.key for t in report.tables}
    with (files.csv[0].parent / "per_instelling_bekostigd.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[1] == ["ROC A", "2", "3", "2", "1", "3"]


def test_single_round_report_draws_trajectories_per_institution_instead():
    inputs = fixture_inputs()
    inputs.compare_label = inputs.compare_offers = inputs.diff_rows = None
    inputs.compare_certificates = None
    html = render_html(build_report(inputs))
    assert 'id="chart-instellingen"' in html
    assert "Vindbare trajecten per instelling (2026-11)" in html
    assert "ROC A: online 3" in html
    assert "eerst_online_nu_offline" not in html


def test_xlsx_keeps_text_starting_with_equals_as_text(tmp_path):
    report = build_report(fixture_inputs())
    table = report.table("bewijs")
    table.rows[0][5] = '=HYPERLINK("http://127.0.0.99/","Helpende plus")'
    from mbo_websearch.reports.xlsx import write_xlsx

    path = write_xlsx(report, tmp_path / "rapport.xlsx")
    sheet = load_workbook(path)["bewijs"]
    cells = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    ]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
