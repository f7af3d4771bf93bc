"""One round over every test site at once (render auto, real Chromium for the JS site):
assert on what the servers saw, what was archived (pages + WARC) and what was recorded."""

from __future__ import annotations

import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from snapshots.index import PageRecord, read_payload
from snapshots.payload import decode_html, pdf_text
from snapshots.warc import read_record
from tests.test_crawler.conftest import crawl, make_workspace, pages

SITES = [
    "static-catalogue",
    "paginated-listing",
    "js-listing",
    "endless-calendar",
    "flaky-503",
    "down",
    "windows-1252",
    "redirects-utm",
    "robots-deny-all",
]


@pytest.fixture(scope="module")
def round1(farm, tmp_path_factory):
    workspace = make_workspace(tmp_path_factory.mktemp("round1"), farm, SITES)
    for server in farm.servers.values():
        server.log.clear()
    result = crawl(workspace, "r1")
    return workspace, result


def paths(rows: list[dict], base: str, **where) -> set[str]:
    return {
        r["url"][len(base) :]
        for r in rows
        if r["url"].startswith(base) and all(r[k] == v for k, v in where.items())
    }


def payload(workspace, row: dict) -> bytes:
    db = workspace.open()
    try:
        return read_payload(workspace, db, PageRecord.from_row(row))
    finally:
        db.close()


def test_health_recorded_per_institution(round1):
    workspace, result = round1
    health = {r.institution: (str(r.health), r.reason) for r in result.records}
    assert health.pop("ROC Offline") == (
        "failed",
        "site unreachable: connection refused (2 requests)",
    )
    assert health.pop("Opleider Gesloten BV") == (
        "failed",
        "robots.txt denies the site (2 URLs disallowed)",
    )
    assert {h for h, _ in health.values()} == {"ok"}, health
    assert sorted(r.institution for r in result.failed) == ["Opleider Gesloten BV", "ROC Offline"]
    db = workspace.open()
    row = next(db.query("SELECT * FROM crawl_health WHERE institution = 'ROC Statisch College'"))
    stats = json.loads(
        next(db.query("SELECT stats FROM crawls WHERE round = 'r1' LIMIT 1"))["stats"]
    )
    db.close()
    assert row["health"] == "ok"
    assert row["pages"] >= 10
    assert row["errors"] == 0
    assert "responses" in stats


def test_crawl_log_has_no_tracebacks(round1):
    """The log is where `crawl` sends analysts when something failed: no noise there."""
    workspace, result = round1
    log = result.log_path.read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "Error caught on signal handler" not in log


def test_static_catalogue_links_sitemaps_robots_and_pdf(round1, farm):
    workspace, _ = round1
    rows = pages(workspace, "ROC Statisch College")
    base = farm.bases["static-catalogue"]
    fetched = paths(rows, base)
    assert {
        "/",
        "/robots.txt",
        "/sitemap_index.xml",
        "/sitemap-cursussen.xml",
        "/volwassenen/cursussen/",
        "/volwassenen/cursussen/helpende-plus.html",
        "/volwassenen/cursussen/palliatieve-zorg.html",  # only in the sitemap
        "/brochure/cursusaanbod-2026.pdf",
    } <= fetched
    seen_by_server = {path for _, path, _ in farm.servers["static-catalogue"].log}
    assert "/intern/medewerkers.html" not in seen_by_server  # robots.txt disallows /intern/
    assert "/logo.png" not in seen_by_server
    professionals = paths(rows, farm.bases["static-catalogue-professionals"])
    assert "/werkgevers/bedrijfsklassen/keuzedeel-geriatrische-revalidatiezorg.html" in (
        professionals
    )
    assert not [r for r in rows if r["url"].startswith(farm.bases["paginated-listing"])]
    kinds = {r["url"][len(base) :]: r["kind"] for r in rows if r["url"].startswith(base)}
    assert kinds["/robots.txt"] == "robots"
    assert kinds["/sitemap_index.xml"] == "sitemap"
    pdf = next(r for r in rows if r["kind"] == "pdf")
    body = payload(workspace, pdf)
    assert body.startswith(b"%PDF-")
    assert "Mbo-certificaat Werken met baby's (K0290)" in pdf_text(body)
    assert pdf["text_length"] == len(pdf_text(body))  # the spider's extraction is indexed


def test_robots_txt_fetched_once_per_host_and_archived(round1, farm):
    for name in ("static-catalogue", "paginated-listing", "redirects-utm"):
        assert len(farm.servers[name].requests_for("/robots.txt")) == 1, name
    workspace, _ = round1
    robots = [r for r in pages(workspace, "ROC Statisch College") if r["kind"] == "robots"]
    assert len(robots) == 2  # both hosts of the institution
    assert b"Disallow: /intern/" in payload(
        workspace, next(r for r in robots if r["status"] == 200)
    )


def test_robots_txt_denying_everything_fetches_nothing_else(round1, farm):
    workspace, _ = round1
    assert [p for _, p, _ in farm.servers["robots-deny-all"].log] == ["/robots.txt"]
    assert [r["kind"] for r in pages(workspace, "Opleider Gesloten BV")] == ["robots"]


def test_paginated_listing_followed_to_every_course(round1, farm):
    workspace, _ = round1
    fetched = paths(pages(workspace, "Opleider Pagina BV"), farm.bases["paginated-listing"])
    assert {"/cursussen/", "/cursussen/pagina/2/", "/cursussen/pagina/3/"} <= fetched
    courses = {p for p in fetched if p.startswith("/cursus/")}
    assert len(courses) == 6


def test_js_listing_rendered_in_chromium_and_only_there(round1, farm):
    workspace, _ = round1
    rows = pages(workspace, "ROC Script")
    base = farm.bases["js-listing"]
    rendered = [r for r in rows if r["rendered"]]
    assert [r["url"] for r in rendered] == [base + "/cursussen/"]
    dom = payload(workspace, rendered[0]).decode("utf-8")
    assert 'href="/cursussen/gerontopsychiatrie.html"' in dom  # inserted by the script
    assert {"/cursussen/zorg-en-technologie.html", "/cursussen/gerontopsychiatrie.html"} <= paths(
        rows, base
    )
    plain = next(r for r in rows if r["url"] == base + "/cursussen/" and not r["rendered"])
    assert b"gerontopsychiatrie" not in payload(workspace, plain)
    db = workspace.open()
    others = next(db.query("SELECT COUNT(*) AS n FROM pages WHERE rendered = 1"))["n"]
    db.close()
    assert others == 2  # and the windows-1252 overview below


def test_rendered_dom_of_a_windows_1252_page_is_archived_as_utf8(round1, farm):
    workspace, _ = round1
    rows = pages(workspace, "Opleidingscentrum Zuidwest")
    (rendered,) = [r for r in rows if r["rendered"]]
    assert rendered["url"].endswith("/cursussen/overzicht.html")
    body = payload(workspace, rendered)
    text = decode_html(body, "text/html; charset=utf-8").text
    assert "baby’s – crèche, één dag" in text  # inserted by the script
    record = read_record(workspace.path / rendered["warc_file"], rendered["warc_offset"])
    headers = {k.lower(): v for k, v in record.headers}
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_endless_calendar_is_cut_short(round1, farm):
    workspace, result = round1
    agenda = [p for _, p, _ in farm.servers["endless-calendar"].log if p.startswith("/agenda")]
    assert agenda == ["/agenda/"]
    record = next(r for r in result.records if r.institution == "Vakschool Kalender")
    assert str(record.health) == "ok"
    assert "/cursussen/pedicure.html" in paths(
        pages(workspace, "Vakschool Kalender"), farm.bases["endless-calendar"]
    )


def test_503_is_retried_after_retry_after(round1, farm):
    workspace, _ = round1
    log = farm.servers["flaky-503"].requests_for("/cursussen/")
    assert [status for _, _, status in log] == [503, 200]
    assert log[1][0] - log[0][0] >= 0.95  # Retry-After: 1 honoured
    rows = pages(workspace, "ROC Herstel")
    listing = [r for r in rows if r["url"].endswith("/cursussen/")]
    assert [r["status"] for r in listing] == [200]
    assert any(r["url"].endswith("/ervaringsdeskundigheid.html") for r in rows)


def test_windows_1252_characters_survive(round1):
    workspace, _ = round1
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in pages(workspace, "Opleidingscentrum Zuidwest")}
    expectations = {
        "": "crèche",
        "werken-met-babys.html": "baby’s",
        "individuele-zorg.html": "cliënt",
    }
    for name, word in expectations.items():
        row = rows[name]
        text = decode_html(payload(workspace, row), row["content_type"]).text
        assert word in text, name
        assert "\ufffd" not in text, name


def test_redirects_utm_duplicates_canonical_and_soft_404(round1, farm):
    workspace, _ = round1
    base = farm.bases["redirects-utm"]
    rows = pages(workspace, "ROC Omleiding")
    by_path = {r["url"][len(base) :]: r for r in rows}
    assert not [p for p in by_path if "utm_" in p or "fbclid" in p or "#" in p]
    assert sum(1 for r in rows if r["final_url"] == base + "/cursussen/koken.html") == 2
    assert by_path["/oud/koken"]["final_url"] == base + "/cursussen/koken.html"
    assert not by_path["/oud/koken"]["gone"]
    assert by_path["/cursussen/print/koken.html"]["canonical_url"] == base + "/cursussen/koken.html"
    gone = by_path["/cursussen/vervallen-cursus.html"]
    assert gone["gone"] == 1
    assert gone["final_url"] == base + "/"
    assert by_path["/cursussen/bestaat-niet.html"]["gone"] == 1
    assert (by_path["/cursussen/weg.html"]["status"], by_path["/cursussen/weg.html"]["kind"]) == (
        404,
        "error",
    )


def test_crawl_delay_spaces_requests(round1, farm):
    times = [t for t, path, _ in farm.servers["redirects-utm"].log if path != "/robots.txt"]
    # Crawl-delay: 0.2 with politeness otherwise off. Arrival times jitter with CPU load
    # (Chromium starts meanwhile), so the average spacing is what is asserted.
    assert len(times) >= 6
    assert (times[-1] - times[0]) / (len(times) - 1) >= 0.19


def test_every_warc_file_reads_back_and_matches_the_index(round1):
    workspace, _ = round1
    db = workspace.open()
    indexed = {(r["warc_file"], r["warc_offset"]) for r in db.query("SELECT * FROM pages")}
    assert next(db.query("PRAGMA integrity_check"))["integrity_check"] == "ok"
    db.close()
    files = sorted((workspace.path / "warc" / "r1").glob("*.warc.gz"))
    assert len(files) == 8  # one per institution that answered (not the down host)
    found = set()
    for path in files:
        with path.open("rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type in ("response", "revisit", "resource"):
                    record.content_stream().read()
                    found.add((str(path.relative_to(workspace.path)), iterator.get_record_offset()))
    assert indexed <= found


def test_second_round_flags_suspect_drop_and_budget(round1, farm):
    workspace, _ = round1
    result = crawl(workspace, "r2", institutions=["ROC Statisch College"], max_pages=3)
    (record,) = result.records
    assert str(record.health) == "partial"
    assert "budget of 3" in record.reason
    assert record.suspect
    assert "fell from" in record.suspect_reason
    rows = pages(workspace, "ROC Statisch College", "r2")
    assert len([r for r in rows if r["kind"] != "robots"]) == 3
    assert {r["record_type"] for r in rows} == {"revisit"}  # unchanged payloads
