"""The review card's evidence and the archived page beside it, in Chromium: a round with a
listing and a course page, as real sites have them."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from matcher import store
from matcher.normalise import normalise_title
from matcher.register import Register
from matcher.scoring import rank_codes
from mbo_websearch.review import create_app
from snapshots.evidence import EvidenceStore, Response, start_round
from tests.test_app.conftest import FIXED, LiveServer

ROUND = "2026-11"
HOST = "http://127.0.0.21"
LISTING = f"""<!doctype html><html><head><meta charset="utf-8"><title>Cursussen</title></head>
<body><h1>Cursussen voor werkenden</h1><ul>
<li><a href="/cursussen/helpende-plus">Helpende plus</a></li>
<li><a href="cursussen/kok">Kok</a></li>
<li><a href="{HOST}/contact#route">Contact</a></li>
<li><a href="https://elders.example/nieuws">Nieuws</a></li>
<li><a href="#boven">Naar boven</a></li>
</ul></body></html>"""
DETAIL = """<!doctype html><html><head><meta charset="utf-8"><title>Helpende plus</title></head>
<body><h1>Keuzedeel Helpende plus</h1>
<p>Niveau 2, 8 weken, € 450. Na afloop ontvangt u een mbo-certificaat.</p>
<p><a href="/cursussen">Terug naar het overzicht</a></p></body></html>"""
DETAIL_SNIPPET = (
    "Keuzedeel Helpende plus. Niveau 2, 8 weken, € 450. Na afloop ontvangt u een mbo-certificaat."
)


def seed(workspace, db) -> dict[str, int]:
    iid = (
        db["institutions"]
        .insert(
            {
                "name": "ROC Midden",
                "funded": "bekostigd",
                "website": f"{HOST}/",
                "start_urls": json.dumps([f"{HOST}/"]),
                "hosts": json.dumps(["127.0.0.21"]),
                "imported_at": "2026-11-01",
            }
        )
        .last_pk
    )
    start_round(db, ROUND)
    evidence = EvidenceStore(workspace, db, ROUND, clock=lambda: FIXED)
    pages = {}
    for path, body in (("/cursussen", LISTING), ("/cursussen/helpende-plus", DETAIL)):
        pages[path] = evidence.store(
            Response(
                institution_id=iid,
                institution="ROC Midden",
                url=HOST + path,
                final_url=HOST + path,
                status=200,
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body.encode("utf-8"),
            )
        )
    evidence.close()
    register = Register.default()
    ranked = tuple(
        store.RankedCode(r.code, r.score, r.title)
        for r in rank_codes("Helpende plus", register, processor=normalise_title, limit=5)
    )
    run = store.start_match_run(
        db,
        ROUND,
        started_at="2026-11-30T12:00:00",
        config="{}",
        register="{}",
        pages=2,
        last_page_id=max(pages.values()),
        page_count=2,
        certificates=[],
    )
    for path, kind, source, snippet, score, explanation in (
        ("/cursussen", "listing", "card", "Helpende plus", 72.0, "fuzzy: near K0905"),
        (
            "/cursussen/helpende-plus",
            "detail",
            "heading",
            DETAIL_SNIPPET,
            70.0,
            "fuzzy review: K0905 at 70; level disagrees: name niveau 2, K0905 niveau 3",
        ),
    ):
        store.insert_candidate(
            db,
            run,
            store.NewCandidate(
                round=ROUND,
                institution_id=iid,
                page_id=pages[path],
                page_kind=kind,
                name="Helpende plus",
                normalised_name=normalise_title("Helpende plus"),
                source=source,
                snippet=snippet,
                cues="certificate",
                codes_on_page="",
                link=None,
                excluded=None,
                decision="review",
                code=None,
                score=score,
                explanation=explanation,
                b2b=False,
                ranked=ranked,
            ),
        )
    db.conn.commit()
    return pages


@pytest.fixture
def site(workspace, db):
    pages = seed(workspace, db)
    with LiveServer(create_app(workspace)) as server:
        yield server, pages


@pytest.fixture
def page(browser, site):
    server, _pages = site
    context = browser.new_context(base_url=server.url)
    context.add_cookies([{"name": "mbo_reviewer", "value": "Anna", "url": server.url}])
    yield context.new_page()
    context.close()


def test_a_name_seen_first_on_a_listing_shows_the_course_page_text(page, site):
    _server, pages = site
    page.goto(f"/ronde/{ROUND}")
    card = page.locator("li.candidate").first
    expect(card.locator(".context")).to_contain_text("8 weken, € 450")
    expect(card.locator(".context")).to_contain_text("cursuspagina:")
    expect(card.locator(".context mark.cue-certificate", has_text="mbo-certificaat")).to_have_count(
        1
    )
    expect(card.locator(".context mark.cue-level")).to_have_text("Niveau 2")
    expect(card.locator(".context mark.cue-duration")).to_have_text(["8 weken", "€ 450"])
    expect(card.locator("a.archived")).to_have_attribute(
        "href", f"/pagina/{pages['/cursussen/helpende-plus']}"
    )
    expect(card.locator("details.pages summary")).to_have_text("Op 2 pagina's gevonden")
    expect(card.locator(".warning")).to_contain_text("niveau verschilt")
    first = card.locator("ol.options button").first
    expect(first.locator(".facts")).to_contain_text("keuzedeel")
    expect(first.locator(".score")).to_contain_text("auto ≥ 85")


def test_the_archived_page_opens_beside_the_card_and_no_link_in_it_is_a_404(page, site):
    server, pages = site
    page.goto(f"/ronde/{ROUND}")
    expect(page.locator("html[data-keys=on]")).to_have_count(1)
    page.locator("li.candidate").first.locator("details.pages summary").click()
    page.locator("a.page-link", has_text="overzicht").click()
    expect(page.locator("#viewer")).to_be_visible()
    frame = page.frame_locator("#viewer-frame")
    expect(frame.locator("h1")).to_have_text("Cursussen voor werkenden")
    # Every link with an href answers 200 from the app; the others are marked not archived.
    hrefs = frame.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert hrefs, "the archived course page should stay one click away"
    for href in hrefs:
        if "#" in href and href.split("#")[0].endswith("/inhoud"):
            href = href.split("#")[0]
        assert page.request.get(href).status == 200, href
    marked = frame.locator("a[data-niet-gearchiveerd]").evaluate_all(
        "links => links.map(a => a.dataset.nietGearchiveerd)"
    )
    assert sorted(marked) == [
        f"{HOST}/contact",
        f"{HOST}/cursussen/kok",
        "https://elders.example/nieuws",
    ]
    # The course page is the archived copy of the same round, one click away.
    frame.locator("a", has_text="Helpende plus").click()
    expect(frame.locator("h1")).to_have_text("Keuzedeel Helpende plus")
    # "v" closes the viewer and opens it again on the card's best page.
    page.locator("body").click(position={"x": 5, "y": 200})
    page.keyboard.press("v")
    expect(page.locator("#viewer")).to_be_hidden()
    page.keyboard.press("v")
    expect(page.locator("#viewer")).to_be_visible()
    expect(page.frame_locator("#viewer-frame").locator("h1")).to_have_text(
        "Keuzedeel Helpende plus"
    )
    assert pages


def test_single_key_shortcuts_can_be_switched_off(page, db):
    page.goto(f"/ronde/{ROUND}")
    expect(page.locator("html[data-keys=on]")).to_have_count(1)
    page.click("#help-toggle")
    page.uncheck("#keys-enabled")
    expect(page.locator("html[data-keys=off]")).to_have_count(1)
    page.locator("body").click(position={"x": 5, "y": 200})
    page.keyboard.press("n")
    page.keyboard.press("1")
    page.reload()  # the choice is kept
    expect(page.locator("html[data-keys=off]")).to_have_count(1)
    page.keyboard.press("n")
    assert list(db.query("SELECT id FROM decisions")) == []
