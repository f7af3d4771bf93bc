"""Candidate extraction from saved pages: detail pages, listings, JSON-LD, codes, encodings, PDF."""

from __future__ import annotations

import codecs

import pytest

from matcher.candidates import (
    codes_in_text,
    codes_in_url,
    exclusion_reason,
    extract_html,
    extract_page,
)
from snapshots.payload import charset_of, decode_html
from tests.conftest import DATA

PAGES = DATA / "pages"


def saved(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def by_name(extract):
    return {c.name: c for c in extract.candidates}


def test_detail_page_title_code_and_cues_without_boilerplate():
    url = (
        "https://mbovoorprofessionals.rocmn.nl/werkgevers/gezondheidszorg/bedrijfsklassen/"
        "keuzedeel-verdieping-palliatieve-zorg"
    )
    page = extract_page(
        saved("rocmn.keuzedeel-palliatieve-zorg.html"), url=url, content_type="text/html"
    )
    assert page.kind == "detail"
    assert page.title == "Verdieping palliatieve zorg voor verpleegkundigen en verzorgenden"
    # h1, og:title and <title> (site name stripped) are one candidate
    [candidate] = page.candidates
    assert candidate.name == page.title
    assert candidate.source == "h1"
    assert candidate.codes == ("K1006",)
    assert candidate.excluded is None
    assert candidate.snippet.startswith("Verdieping palliatieve zorg")
    # the footer ("diploma's", "BHV") and the menu ("BOL/BBL") are boilerplate
    assert page.cues == {"certificate"}
    assert page.codes == ("K1006",)


def test_schema_org_course_and_code_in_the_url_slug():
    url = "https://www.aventus.nl/opleidingen/pedagogisch-klimaat-kinderopvang-c0125-llo"
    page = extract_page(saved("aventus.pedagogisch-klimaat-llo.html"), url=url)
    names = by_name(page)
    course = names["Pedagogisch klimaat in de kinderopvang (mbo-certificaat)"]
    assert course.source == "jsonld"
    assert course.codes == ("C0125",)
    assert course.link == url
    assert "certificate" in course.cues
    assert names["Pedagogisch klimaat kinderopvang"].source == "h1"
    assert page.codes == ("C0125",)
    # section headings without links are not cards
    assert "Programma" not in names
    assert "Iets voor jou?" not in names


def test_listing_cards_carry_their_own_cues_codes_and_links():
    url = "https://www.alfa-college.nl/volwassenen/cursussen"
    page = extract_page(saved("alfa.cursussen-volwassenen.html"), url=url)
    assert page.kind == "listing"
    cards = {c.name: c for c in page.candidates if c.source == "card"}
    assert list(cards) == ["Helpende Plus", "Werken met baby's", "BHV basis", "Verzorgende IG"]
    helpende = cards["Helpende Plus"]
    assert helpende.codes == ("K0905",)
    assert helpende.cues == {"certificate"}
    assert helpende.link == "https://www.alfa-college.nl/volwassenen/cursussen/helpende-plus"
    assert cards["Werken met baby's"].cues == {"certificate", "b2b"}
    assert cards["BHV basis"].excluded == "private certificate"
    assert cards["Verzorgende IG"].excluded == "diploma programme"
    # the footer link "Alle mbo-certificaten" is boilerplate, not a candidate
    assert "Alle mbo-certificaten" not in by_name(page)


def test_windows_1252_page_declared_as_iso_8859_1_decodes_like_a_browser():
    body = saved("stoc.verpleegtechnische-handelingen.html")
    assert charset_of(body, "text/html") == "cp1252"
    text = decode_html(body, "text/html").text
    assert "€ 695,00" in text
    assert "cliënten" in text
    assert "28-03-2023 – Overige" in text
    page = extract_page(body, url="https://www.stoc.nl/product/verpleegtechnische-handelingen/")
    [candidate] = page.candidates
    assert candidate.name == "Verpleegtechnische handelingen voor verzorgenden (MBO-certificaat)"
    assert candidate.codes == ("K0118",)  # written "keuzedeel K 0118"
    assert "€ 695,00" in candidate.snippet


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (codecs.BOM_UTF8 + "<p>é</p>".encode(), "text/html; charset=windows-1252", "utf-8"),
        ("<p>café</p>".encode("cp1252"), "text/html; charset=windows-1252", "cp1252"),
        ("<meta charset='utf-8'><p>café</p>".encode(), "text/html", "utf-8"),
        ("<p>café</p>".encode(), "text/html; charset=nonsense", "utf-8"),
    ],
)
def test_charset_from_bom_header_meta_then_detection(body, content_type, expected):
    assert charset_of(body, content_type) == expected


def test_undeclared_windows_1252_is_detected_not_read_as_utf8():
    text = (
        "<html><body><h1>Cursus voor cliëntgerichte zorg</h1><p>Prijs € 450 – "
        "inclusief materiaal, geschikt voor medewerkers die cliënten begeleiden.</p>"
        "</body></html>"
    )
    decoded = decode_html(text.encode("cp1252"), None).text
    assert "cliëntgerichte" in decoded
    assert "€ 450" in decoded


def test_pdf_brochure_text():
    page = extract_page(
        saved("nova.brochure-individuele-basiszorg.pdf"),
        url="https://www.novacollege.nl/info/brochure.pdf",
        content_type="application/pdf",
    )
    assert page.kind == "pdf"
    [candidate] = page.candidates
    assert candidate.name == "Individuele basiszorg verlenen"
    assert candidate.source == "pdf"
    assert candidate.cues == {"certificate", "trajectory"}  # it leads to an mbo-certificaat


def test_news_item_that_mentions_a_certificate_yields_no_candidate():
    page = extract_page(
        saved("graafschap.nieuws-helpende-plus.html"),
        url="https://www.graafschapcollege.nl/vijftien-medewerkers-certificaat/",
    )
    assert page.kind == "news"
    assert page.candidates == ()
    assert "certificate" in page.cues  # it does mention one


def test_news_path_is_news_even_without_metadata():
    html = "<main><h1>Mbo-certificaat Helpende Plus uitgereikt</h1><p>Keuzedeel.</p></main>"
    page = extract_html(html, url="https://www.roc.nl/nieuws/certificaten-uitgereikt")
    assert page.kind == "news"
    assert page.candidates == ()


def test_diploma_programme_page_is_no_offer():
    page = extract_page(
        saved("leeuwenborgh.verzorgende-ig.html"),
        url="https://www.leeuwenborgh.nl/opleidingen/verzorgende-ig",
    )
    assert page.candidates
    assert {c.excluded for c in page.candidates} == {"diploma programme"}


def test_b2b_notice_on_a_detail_page():
    page = extract_page(
        saved("rocva.basisonderhoud-installaties.html"),
        url="https://www.rocva.nl/llo/basisonderhoud",
    )
    assert all(c.cues >= {"b2b", "certificate"} for c in page.candidates)


def test_rendered_dom_is_extracted_like_html():
    dom = (
        "<html><head><title>Cursussen</title></head><body><main><div id='app'>"
        "<h1>Werken met baby's</h1><p>Keuzedeel met mbo-certificaat.</p></div></main>"
        "</body></html>"
    )
    page = extract_html(dom, url="http://127.0.0.12/cursus/werken-met-babys")
    assert [c.name for c in page.candidates] == ["Werken met baby's", "Cursussen"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Keuzedeel K0905 Helpende plus", ("K0905",)),
        ("Crebonaam: K 0905", ("K0905",)),
        ("C0039 en C0053", ("C0039", "C0053")),
        ("Werkprocessen C1-K1-W1 en P2-K1-W2, crebo 25498", ()),
        ("Postcode 1234 AB, kamer C 2024", ()),
        ("artikelnummer XK09051", ()),
    ],
)
def test_codes_in_text(text, codes):
    assert codes_in_text(text) == codes


def test_codes_in_url():
    assert codes_in_url("https://www.aventus.nl/opleidingen/gastheer-c0125-llo") == ("C0125",)
    assert codes_in_url("https://x.nl/keuzedelen/K0905/") == ("K0905",)
    assert codes_in_url("https://x.nl/p/123?c0125=1") == ()


def test_exclusion_needs_a_kind_cue_without_a_certificate_cue():
    assert exclusion_reason(frozenset({"diploma", "certificate"})) is None
    assert exclusion_reason(frozenset({"private"})) == "private certificate"
    assert exclusion_reason(frozenset({"lnv"})) == "LNV certificate"
    assert exclusion_reason(frozenset({"b2b"})) is None


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01garbage", b"%PDF-1.4 broken"])
def test_empty_or_broken_payloads_yield_nothing(body):
    page = extract_page(body, url="http://127.0.0.11/x")
    assert page.candidates == ()


def test_a_name_that_says_private_course_outweighs_template_cues():
    html = (
        "<main><h1>VCA Basis veiligheid</h1><p>Veiligheidscursus met VCA-diploma (geen "
        "mbo-certificaat).</p><ul><li>Resultaat: mbo-certificaat</li></ul></main>"
    )
    [candidate] = extract_html(html, url="http://127.0.0.13/cursus/vca/").candidates
    assert candidate.excluded == "private certificate"


def test_boilerplate_marks_never_remove_the_heading_or_main_content():
    html = (
        "<body><header class='hero'><h1>Mbo-certificaat Helpende Plus</h1></header>"
        "<div class='layout-with-sidebar'><main><p>Keuzedeel K0905, start in maart.</p>"
        "</main><div class='sidebar'><p>Ook: BHV en VCA</p></div></div></body>"
    )
    page = extract_html(html, url="http://127.0.0.11/helpende-plus")
    assert page.title == "Mbo-certificaat Helpende Plus"
    assert page.codes == ("K0905",)
    assert page.cues == {"certificate"}  # the sidebar's BHV/VCA is gone


def test_table_rows_and_link_cards_without_headings_are_candidates():
    html = """<main><h1>Aanbod</h1>
      <table><tr><th>Cursus</th><th>Code</th></tr>
        <tr><td><a href="/c/helpende-plus">Helpende Plus</a></td><td>K0905</td></tr>
        <tr><td><a href="/c/babys">Werken met baby's</a></td><td>K0290</td></tr></table>
      <div class="tiles">
        <a class="tile" href="/c/koken"><span class="tile-title">Koken in de horeca</span>
          <span>Mbo-certificaat, 10 weken</span></a>
        <div class="course-teaser"><strong>Pedicure</strong><p>Keuzedeel.</p>
          <a href="/c/pedicure">Meer informatie</a> <a href="/c/pedicure#aanmelden">Aanmelden</a>
        </div>
      </div></main>"""
    page = extract_html(html, url="http://127.0.0.11/aanbod")
    assert page.kind == "listing"
    cards = {c.name: c for c in page.candidates if c.source in ("card", "list")}
    assert set(cards) == {"Helpende Plus", "Werken met baby's", "Koken in de horeca", "Pedicure"}
    assert cards["Helpende Plus"].codes == ("K0905",)
    assert cards["Werken met baby's"].codes == ("K0290",)
    assert cards["Koken in de horeca"].link == "http://127.0.0.11/c/koken"
    assert cards["Pedicure"].cues == {"certificate"}


def test_item_list_of_courses_in_json_ld():
    html = """<html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "Course", "name": "Helpende Plus",
         "courseCode": "K0905", "url": "https://x.nl/helpende-plus"}},
        {"@type": "ListItem", "position": 2, "item": {"@type": ["Course", "Product"],
         "name": "Werken met baby's", "description": "Mbo-certificaat"}}]}
      </script><script type="application/ld+json">{not json</script></head>
      <body><main><h1>Ons aanbod</h1></main></body></html>"""
    page = extract_html(html, url="https://x.nl/aanbod")
    courses = {c.name: c for c in page.candidates if c.source == "jsonld"}
    assert set(courses) == {"Helpende Plus", "Werken met baby's"}
    assert courses["Helpende Plus"].codes == ("K0905",)
    assert "certificate" in courses["Werken met baby's"].cues


def test_payloads_that_are_not_text_are_skipped():
    page = extract_page(
        b"<h1>Helpende Plus</h1>", url="http://127.0.0.11/x.jpg", content_type="image/jpeg"
    )
    assert page.kind == "empty"
    assert page.candidates == ()


def test_a_course_page_with_related_courses_is_a_detail_page():
    prose = "Je leert signaleren, rapporteren en samenwerken in de palliatieve zorg. " * 6
    related = "".join(f"<li><a href='/c/{n}'>Gerelateerde cursus {n}</a></li>" for n in range(4))
    html = (
        f"<main><h1>Verdieping palliatieve zorg (niveau 2)</h1><p>{prose} Mbo-certificaat."
        f"</p><h2>Bekijk ook</h2><ul>{related}</ul></main>"
    )
    page = extract_html(html, url="http://127.0.0.11/c/palliatief")
    assert page.kind == "detail"
    assert page.candidates[0].name == "Verdieping palliatieve zorg (niveau 2)"
