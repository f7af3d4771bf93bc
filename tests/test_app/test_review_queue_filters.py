"""The queue keeps its place: filters with counts, progress per filter, pages, and a cache
that a decision (here or from another connection) updates in place."""

from __future__ import annotations

import re

from matcher.decisions import record_decision
from matcher.normalise import normalise_title
from mbo_websearch.review import queue_view
from tests.test_app.conftest import ROUND
from tests.test_app.test_review_routes import post


def cards(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<h3 class="name">([^<]+)</h3>\s*<span class="institution">([^<]+)</span>', page
    )


def test_filters_by_institution_score_and_state_with_counts(client, seeded):
    noord = seeded.institutions["ROC Noord"]
    page = client.get(f"/ronde/{ROUND}?instelling={noord}").text
    assert {institution for _, institution in cards(page)} == {"ROC Noord"}
    assert len(cards(page)) == 3
    assert "Onder deze filters: 0 van 3 beoordeeld" in page
    low = client.get(f"/ronde/{ROUND}?score=laag").text
    assert [name for name, _ in cards(low)] == ["&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert re.search(r'value="laag" selected>onder 60 \(1\)', low)
    assert re.search(r'value="hoog">75 of hoger \(2\)', low)  # the other bands' counts

    answer = post(client, seeded, "ROC Zuid", "Verpleegtechnische handelingen", "accept:K0118")
    assert answer.status_code == 303
    decided = client.get(f"/ronde/{ROUND}?staat=decided").text
    assert cards(decided) == [("Verpleegtechnische handelingen", "ROC Zuid")]
    assert re.search(r'value="decided" selected>beslist \(1\)', decided)
    assert re.search(r'value="open">open \(4\)', decided)
    assert "1 van 5 beoordeeld" in decided


def test_a_decision_keeps_the_filters_and_the_order(client, seeded):
    noord = seeded.institutions["ROC Noord"]
    before = cards(client.get(f"/ronde/{ROUND}?instelling={noord}").text)
    answer = post(
        client,
        seeded,
        "ROC Noord",
        "Individuele basiszorg",
        "none",
        terug=f"instelling={noord}",
    )
    assert answer.headers["location"].startswith(f"/ronde/{ROUND}?instelling={noord}&laatste=")
    after = cards(client.get(answer.headers["location"]).text)
    assert after == [c for c in before if c != ("Individuele basiszorg", "ROC Noord")]


def test_pages_and_a_decision_from_elsewhere_is_caught_up(client, seeded, db, monkeypatch):
    monkeypatch.setattr(queue_view, "PAGE_SIZE", 2)
    first = client.get(f"/ronde/{ROUND}").text
    assert "pagina 1 van 3" in first
    second = client.get(f"/ronde/{ROUND}?pagina=2").text
    assert len(cards(second)) == 2
    assert cards(second)[0] not in cards(first)
    # Another analyst's terminal decides: the app's cached queue catches up on the next request.
    record_decision(
        db,
        round=ROUND,
        institution_id=seeded.institutions["Opleider West"],
        normalised_name=normalise_title("Individuele basiszorg"),
        code="C0039",
        b2b_only=False,
        reviewer="Kees",
    )
    db.conn.commit()
    page = client.get(f"/ronde/{ROUND}").text
    assert "1 van 5 beoordeeld" in page
    assert "pagina 1 van 2" in page
    assert ("Individuele basiszorg", "Opleider West") not in cards(page)


def test_conflict_page_shows_both_notes_and_the_snippet_in_dutch_time(client, seeded, db):
    name = "Verpleegtechnische handelingen"
    first = post(client, seeded, "ROC Zuid", name, "accept:K0118", note="zie detailpagina")
    assert first.status_code == 303
    stale = post(client, seeded, "ROC Zuid", name, "none", note="privaat, geen certificaat")
    assert stale.status_code == 409
    assert "Anna: zie detailpagina" in stale.text
    assert "Uw notitie: privaat, geen certificaat" in stale.text
    assert 'id="conflict-context"' in stale.text
    assert "Certificaattraject" in stale.text  # the snippet
    stamp = next(db.query("SELECT decided_at FROM decisions"))["decided_at"]
    from mbo_websearch.review.times import local_time

    assert local_time(stamp) in stale.text
    assert stamp not in stale.text


def test_local_time_is_amsterdam_time():
    from mbo_websearch.review.times import local_time

    assert local_time("2026-11-30T12:00:00+00:00") == "30-11-2026 13:00"  # winter: UTC+1
    assert local_time("2026-07-01T12:00:00") == "01-07-2026 14:00"  # summer: UTC+2
    assert local_time("gisteren") == "gisteren"


def test_undo_history_reaches_back_past_the_last_decision(client, seeded, db):
    first = post(client, seeded, "ROC Zuid", "Verpleegtechnische handelingen", "accept:K0118")
    second = post(client, seeded, "Opleider West", "Individuele basiszorg", "none")
    page = client.get(second.headers["location"]).text
    history = page[
        page.index('id="undo-history"') : page.index("</details>", page.index('id="undo-history"'))
    ]
    assert history.index("Individuele basiszorg") < history.index("Verpleegtechnische handelingen")
    assert history.count('class="undo-history"') == 2
    older = next(db.query("SELECT id FROM decisions ORDER BY id LIMIT 1"))["id"]
    assert first.status_code == 303
    undo = post(
        client, seeded, "ROC Zuid", "Verpleegtechnische handelingen", "undo", expected=older
    )
    assert undo.status_code == 303
    codes = [r["code"] for r in db.query("SELECT code FROM decisions ORDER BY id")]
    assert codes == ["K0118", "none", "withdrawn"]  # the later decision is untouched
    page = client.get(undo.headers["location"]).text
    assert "1 van 5 beoordeeld" in page
