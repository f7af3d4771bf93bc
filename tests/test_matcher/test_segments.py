"""Brochures and long pages split into trajectory blocks (issue 9, item 1)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from matcher.candidates import extract_html, extract_page
from matcher.segments import html_sections, is_section_heading, pdf_blocks, table_rows

PAGES = Path(__file__).resolve().parents[2] / "benchmarks" / "extractor_pages"
BROCHURE = "\n".join(
    [
        "Cursusoverzicht 2025",
        "ROC Voorbeeld",
        "",
        "Werken met baby's",
        "Mbo-certificaat, keuzedeel K0290",
        "Voor pedagogisch medewerkers. 8 weken.",
        "",
        "Kosten: € 690 per traject",
        "\x0cGastvrijheid in de zorg",
        "Mbo-certificaat, keuzedeel K0153",
        "5 weken.",
        "",
        "Werk je in de zorg en wil je",
        "je verder ontwikkelen? Dan is dit certificaattraject iets voor jou.",
    ]
)


def test_a_brochure_is_split_into_its_trajectories_with_page_numbers():
    blocks = pdf_blocks(BROCHURE)
    assert [(b.heading, b.page_number) for b in blocks] == [
        ("Werken met baby's", 1),
        ("Gastvrijheid in de zorg", 2),
    ]
    assert "K0153" in blocks[1].text


def test_a_one_trajectory_document_is_not_split():
    assert pdf_blocks("Helpende plus\nMbo-certificaat, keuzedeel K0905\n\nKosten: € 500") == []


def test_each_pdf_trajectory_is_a_candidate_with_its_own_codes_and_page():
    body = (PAGES / "rocva.brochure-zorg-trajecten.pdf").read_bytes()
    url = "https://www.rocva.nl/media/brochure.pdf"
    page = extract_page(body, url=url, content_type="application/pdf")
    found = {c.name: c for c in page.candidates}
    assert set(found) == {
        "Omgaan met onbegrepen gedrag bij dementie",
        "Gastvrijheid in de zorg",
        "Zorg voor mensen met hersenletsel",
        "BHV basis",
    }
    assert found["Zorg voor mensen met hersenletsel"].codes == ("K0067",)
    assert found["Zorg voor mensen met hersenletsel"].page_number == 2
    assert found["Zorg voor mensen met hersenletsel"].link == f"{url}#page=2"
    assert found["BHV basis"].excluded == "private certificate"
    assert found["Gastvrijheid in de zorg"].excluded is None


def test_a_long_page_is_split_into_sections_under_their_headings():
    html = (PAGES / "mboutrecht.llo-overzicht-techniek.html").read_text(encoding="utf-8")
    page = extract_html(html, url="https://www.mboutrecht.nl/werkenden/techniek/cursussen")
    sections = {c.name: c for c in page.candidates if c.source == "section"}
    assert page.kind == "listing"
    assert sections["Robots programmeren en inzetten"].codes == ("K0989",)
    assert sections["VCA-basis"].excluded == "private certificate"
    assert "trajectory" in sections["Meten en regelen"].cues


def test_sections_about_one_course_are_not_trajectories():
    main = lxml.html.fromstring(
        "<main><h1>Helpende plus</h1><h2>Wat leer je?</h2><p>Mbo-certificaat K0905.</p>"
        "<h2>Afronding</h2><p>Afronding: mbo-certificaat.</p>"
        "<h2>Duur en kosten</h2><p>Keuzedeel van 10 weken.</p></main>"
    )
    assert html_sections(main) == []


@pytest.mark.parametrize(
    ("heading", "generic"),
    [
        ("Afronding", True),
        ("Duur en kosten", True),
        ("Wat leer je?", True),
        ("Voor verzorgenden (niveau 3)", True),
        ("Kosten: € 500", True),
        ("Gastvrijheid in de zorg", False),
        ("Gastouderopvang: werken met kinderen", False),
    ],
)
def test_section_headings(heading, generic):
    assert is_section_heading(heading) is generic


def test_numbered_brochure_headings_are_trajectory_headings():
    text = "\n".join(
        [
            "Techniek 2026",
            "Inhoud: 1. Automatisering 2. Robotica",
            "",
            "1. PLC en industriële automatisering",
            "12 avonden. Code keuzedeel: K0812.",
            "",
            "2) Robots in de productie",
            "Je ontvangt een landelijk erkend mbo-certificaat (K0989).",
            "",
            "12 avonden, Rotterdam-Zuid",
            "Afronding: mbo-certificaat.",
        ]
    )
    assert [b.heading for b in pdf_blocks(text)] == [
        "PLC en industriële automatisering",
        "Robots in de productie",
    ]  # (a numbered line that goes on in lower case is no title)


def test_a_section_saying_late_that_it_leads_to_a_certificate_is_a_trajectory():
    filler = "Je leert activiteiten bedenken die passen bij de leeftijd van de kinderen. " * 3
    main = lxml.html.fromstring(
        f"<main><h2>BSO: werken met kinderen van 8-12 jaar</h2><p>{filler}"
        "Je sluit af met een mbo-certificaat.</p>"
        f"<h2>Baby's op de groep</h2><p>{filler} Keuzedeelcode K0290.</p>"
        f"<h2>Over onze docenten</h2><p>{filler} Zij begeleiden ook mbo-certificaten.</p>"
        "</main>"
    )
    assert [b.heading for b in html_sections(main)] == [
        "BSO: werken met kinderen van 8-12 jaar",
        "Baby's op de groep",
    ]


def test_table_rows_are_trajectories_read_with_their_column_names():
    main = lxml.html.fromstring(
        "<main><table><tr><th>Cursus</th><th>Afronding</th><th>Duur</th></tr>"
        "<tr><td>Middenspanning schakelen</td><td>mbo-certificaat</td><td>6 dagen</td></tr>"
        "<tr><td>K1058</td><td>Hoogspanning: techniek</td><td>8 dagen</td></tr>"
        "<tr><td>NEN 3140</td><td>branchecertificaat</td><td>2 dagen</td></tr>"
        "<tr><td>EHBO</td><td>Rode Kruis</td><td>2 avonden</td></tr></table></main>"
    )
    rows = {b.heading: b.text for b in table_rows(main)}
    assert list(rows) == ["Middenspanning schakelen", "Hoogspanning: techniek", "NEN 3140"]
    assert "Afronding: mbo-certificaat" in rows["Middenspanning schakelen"]
    assert "EHBO" not in rows  # a row with neither a code nor a cue presents no trajectory


def test_each_table_row_is_a_candidate_with_its_own_code_and_cues():
    html = (
        "<html><body><main><h1>Scholing zorg</h1><table>"
        "<tr><th>Scholing</th><th>Code</th></tr>"
        "<tr><td>Acute zorg</td><td>K0618</td></tr>"
        "<tr><td>Niet-aangeboren hersenletsel</td><td>K0067</td></tr>"
        "<tr><td>BHV herhaling</td><td>NIBHV-certificaat</td></tr>"
        "</table></main></body></html>"
    )
    page = extract_html(html, url="https://www.example.nl/werkenden/scholing")
    rows = {c.name: c for c in page.candidates if c.source == "section"}
    assert page.kind == "listing"
    assert rows["Acute zorg"].codes == ("K0618",)
    assert rows["Niet-aangeboren hersenletsel"].codes == ("K0067",)
    assert rows["BHV herhaling"].excluded == "private certificate"


def test_a_single_row_table_is_not_split():
    main = lxml.html.fromstring(
        "<main><table><tr><td>Helpende plus</td><td>K0905</td></tr></table></main>"
    )
    assert table_rows(main) == []


def test_a_table_of_facts_about_one_course_is_not_split():
    main = lxml.html.fromstring(
        "<main><table><tr><th>Crebonaam</th><td>K0988 Gerontopsychiatrie</td></tr>"
        "<tr><th>Resultaat</th><td>Mbo-certificaat</td></tr>"
        "<tr><th>Kosten</th><td>€ 745, inclusief examen</td></tr></table></main>"
    )
    assert table_rows(main) == []
