"""rapport.pdf: printed by Chromium, A4, page numbers, a sane page count; tables fit the
printed page width."""

from __future__ import annotations

import unicodedata

from pdfminer.high_level import extract_pages, extract_text

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.pdf import write_pdf
from mbo_websearch.reports.write import write_all
from tests.test_app.test_report_tables import fixture_inputs
from tests.test_app.test_report_unknown import inputs_with_unknowns

A4_POINTS = (595, 842)
PRINTABLE_PX = round((210 - 24) / 25.4 * 96)  # A4 minus the 12 mm side margins, CSS pixels


def test_pdf_is_a4_with_page_numbers_and_a_sane_page_count(tmp_path):
    written = write_all(build_report(inputs_with_unknowns()), tmp_path / "rapport")
    pdf = write_pdf(written.html, tmp_path / "rapport" / "rapport.pdf")
    pages = list(extract_pages(pdf))
    assert 3 <= len(pages) <= 40, len(pages)
    assert {(int(p.width), int(p.height)) for p in pages} == {A4_POINTS}
    text = unicodedata.normalize("NFKC", extract_text(pdf))  # 'ﬁ' ligatures
    assert f"Pagina 1 van {len(pages)}" in text
    assert f"Pagina {len(pages)} van {len(pages)}" in text
    assert "Monitor mbo-certificaten" in text


def test_printed_tables_fit_the_page_width(browser, tmp_path):
    written = write_all(build_report(fixture_inputs()), tmp_path / "rapport")
    page = browser.new_page(viewport={"width": PRINTABLE_PX, "height": 1000})
    page.goto(written.html.as_uri())
    page.emulate_media(media="print")
    assert page.locator("#bewijs table").count() == 1  # the widest one (URLs, WARC records)
    too_wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('table')]
            .filter(t => t.getBoundingClientRect().right > limit + 1)
            .map(t => t.closest('section').id)""",
        PRINTABLE_PX,
    )
    page.close()
    assert too_wide == []
