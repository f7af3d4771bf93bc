"""Review app routes in process (Starlette TestClient): queue, decisions, conflicts, security."""

from __future__ import annotations

import re
import threading
from urllib.parse import quote

import httpx
import pytest

from matcher.normalise import normalise_title
from mbo_websearch.review import create_app
from tests.conftest import DATA
from tests.test_app.conftest import ROUND, XSS_NAME, TestClient, seed_round

ORIGIN = {"Origin": "http://127.0.0.1:8000"}
VERPLEEG = normalise_title("Verpleegtechnische handelingen")


def post(client, seeded, institution, name, choice, expected="", **fields):
    data = {
        "institution": str(seeded.institutions[institution]),
        "name": normalise_title(name),
        "choice": choice,
        "expected_latest": str(expected),
        **fields,
    }
    return client.post(f"/ronde/{ROUND}/beslis", data=data, headers=ORIGIN, follow_redirects=False)


def decisions(db):
    return list(db.query("SELECT * FROM decisions ORDER BY id"))


def test_name_is_asked_once_and_kept_in_a_cookie(app):
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        first = client.get(f"/ronde/{ROUND}", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"].startswith("/naam?next=")
        saved = client.post(
            "/naam",
            data={"name": "Bram de Vries", "next": f"/ronde/{ROUND}"},
            headers=ORIGIN,
            follow_redirects=False,
        )
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/ronde/{ROUND}"
        page = client.get(f"/ronde/{ROUND}")
        assert page.status_code == 200
        assert "Bram de Vries" in page.text


def test_name_form_never_redirects_off_site(client):
    saved = client.post(
        "/naam",
        data={"name": "Anna", "next": "//evil.example/x"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/"


def test_queue_groups_identical_names_and_orders_by_impact(client):
    page = client.get(f"/ronde/{ROUND}")
    assert page.status_code == 200
    cards = re.findall(
        r'<h3 class="name">([^<]+)</h3>\s*<span class="institution">([^<]+)</span>', page.text
    )
    # Identical names are adjacent; a group with an institution that has no confirmed offer
    # comes first, best score first; inside a group, such institutions first (ROC Zuid already
    # has an auto-accepted offer).
    assert [institution for _name, institution in cards] == [
        "ROC Noord",
        "ROC Zuid",
        "Opleider West",
        "ROC Noord",
        "ROC Noord",
    ]
    assert [name for name, _ in cards][:4] == [
        "Verpleegtechnische handelingen",
        "Verpleegtechnische handelingen",
        "Individuele basiszorg",
        "Individuele basiszorg",
    ]
    assert "0 van 5 beoordeeld" in page.text
    assert "0 van 3" in page.text  # ROC Noord
    assert "Verzorgende en verpleegtechnische handelingen" in page.text  # official title
    assert 'class="cue cue-b2b"' in page.text  # the b2b cue highlighted


def test_accept_records_reviewer_time_and_offers_reflect_it(client, seeded, db):
    response = post(
        client,
        seeded,
        "ROC Noord",
        "Verpleegtechnische handelingen",
        "accept:K0118",
        b2b="1",
        note="titel wijkt af",
    )
    assert response.status_code == 303
    assert "laatste=" in response.headers["location"]
    [row] = decisions(db)
    assert (row["code"], row["reviewer"], row["b2b_only"], row["note"]) == (
        "K0118",
        "Anna",
        1,
        "titel wijkt af",
    )
    assert row["decided_at"]
    assert row["supersedes"] is None
    offers = list(
        db.query(
            "SELECT institution, code, status, b2b_only FROM offers "
            "WHERE round = ? AND code = 'K0118'",
            [ROUND],
        )
    )
    assert offers == [
        {"institution": "ROC Noord", "code": "K0118", "status": "confirmed", "b2b_only": 1}
    ]
    page = client.get(response.headers["location"])
    assert "1 van 5 beoordeeld" in page.text
    assert 'id="last-decision"' in page.text
    assert "K0118" in page.text


def test_unknown_code_is_refused_and_nothing_is_stored(client, seeded, db):
    response = post(
        client, seeded, "ROC Noord", "Verpleegtechnische handelingen", "other", code="K9999"
    )
    assert response.status_code == 400
    assert "Onbekende code" in response.text
    assert decisions(db) == []


def test_none_then_b2b_note_and_undo_append_rows(client, seeded, db):
    name = "Individuele basiszorg"
    post(client, seeded, "Opleider West", name, "accept:C0039")
    first = decisions(db)[-1]["id"]
    post(client, seeded, "Opleider West", name, "none", expected=first)
    second = decisions(db)[-1]["id"]
    post(client, seeded, "Opleider West", name, "b2b", expected=second)
    third = decisions(db)[-1]["id"]
    post(client, seeded, "Opleider West", name, "note", expected=third, note="gebeld")
    fourth = decisions(db)[-1]["id"]
    undone = post(client, seeded, "Opleider West", name, "undo", expected=fourth)
    assert undone.status_code == 303
    rows = decisions(db)
    assert [(r["code"], r["b2b_only"], r["supersedes"]) for r in rows] == [
        ("C0039", 0, None),
        ("none", 0, first),
        ("none", 1, second),
        ("none", 1, third),
        ("none", 1, fourth),
    ]
    assert rows[3]["note"] == "gebeld"
    assert rows[4]["note"].startswith(f"ongedaan: beslissing {fourth}")
    page = client.get(f"/ronde/{ROUND}?alles=1").text
    assert "Logboek (5)" in page
    assert "Anna · ronde 2026-11: geen certificaattraject (alleen b2b) · gebeld" in page


def offers_of(db, institution):
    return [
        (r["code"], r["status"])
        for r in db.query(
            "SELECT code, status FROM offers WHERE round = ? AND institution = ?",
            [ROUND, institution],
        )
    ]


def test_undo_of_a_first_decision_puts_the_name_back_in_the_queue(client, seeded, db):
    # ROC Zuid's item comes last in impact order (it has an auto-accepted offer, K0290).
    name = "Verpleegtechnische handelingen"
    response = post(client, seeded, "ROC Zuid", name, "accept:K0118")
    first = decisions(db)[-1]["id"]
    assert offers_of(db, "ROC Zuid") == [("K0118", "confirmed"), ("K0290", "confirmed")]
    page = client.get(response.headers["location"]).text
    assert "1 van 5 beoordeeld" in page
    assert 'id="undo-last">Ongedaan maken (u)</button>' in page
    undo = post(client, seeded, "ROC Zuid", name, "undo", expected=first)
    assert undo.status_code == 303
    rows = decisions(db)
    assert [(r["code"], r["supersedes"], r["b2b_only"], r["reviewer"]) for r in rows] == [
        ("K0118", None, 0, "Anna"),
        ("withdrawn", first, None, "Anna"),
    ]
    assert rows[1]["note"] == f"ongedaan: beslissing {first}"
    # the matcher's own routing again: review without a code, so only the auto offer is left
    assert offers_of(db, "ROC Zuid") == [("K0290", "confirmed")]
    page = client.get(undo.headers["location"]).text
    assert "0 van 5 beoordeeld" in page
    assert '<strong class="last-code">ingetrokken</strong>' in page
    assert "Ongedaan maken (u)" not in page  # nothing left to undo
    # back in the queue, shown first (not last) and undecided, with its log
    cards = re.findall(r'<li class="candidate([^"]*)"', page)
    institutions = re.findall(r'<span class="institution">([^<]+)</span>', page)
    assert institutions == ["ROC Zuid", "ROC Noord", "Opleider West", "ROC Noord", "ROC Noord"]
    assert cards[0] == ""
    assert "Logboek (2)" in page
    assert f"Anna · ronde {ROUND}: ingetrokken · ongedaan: beslissing {first}" in page
    # without the undo banner the queue is in its stable order again (beside ROC Noord's)
    later = client.get(f"/ronde/{ROUND}").text
    assert re.findall(r'<span class="institution">([^<]+)</span>', later)[:2] == [
        "ROC Noord",
        "ROC Zuid",
    ]


def test_deciding_again_after_an_undo_and_undoing_that(client, seeded, db):
    name = "Individuele basiszorg"
    post(client, seeded, "Opleider West", name, "none")
    first = decisions(db)[-1]["id"]
    post(client, seeded, "Opleider West", name, "undo", expected=first)
    withdrawn = decisions(db)[-1]["id"]
    # the queue shows no decision, so the next one is posted with an empty expected_latest
    again = post(client, seeded, "Opleider West", name, "accept:C0039", b2b="1")
    assert again.status_code == 303
    second = decisions(db)[-1]["id"]
    assert offers_of(db, "Opleider West") == [("C0039", "confirmed")]
    post(client, seeded, "Opleider West", name, "undo", expected=second)
    assert [(r["code"], r["supersedes"]) for r in decisions(db)] == [
        ("none", None),
        ("withdrawn", first),
        ("C0039", withdrawn),
        ("withdrawn", second),
    ]
    assert offers_of(db, "Opleider West") == []
    assert "0 van 5 beoordeeld" in client.get(f"/ronde/{ROUND}").text


def test_undo_of_a_change_restores_the_decision_before_it(client, seeded, db):
    name = "Verpleegtechnische handelingen"
    post(client, seeded, "ROC Noord", name, "accept:K0118", b2b="1")
    first = decisions(db)[-1]["id"]
    post(client, seeded, "ROC Noord", name, "none", expected=first)
    second = decisions(db)[-1]["id"]
    assert offers_of(db, "ROC Noord") == []
    post(client, seeded, "ROC Noord", name, "undo", expected=second)
    assert [(r["code"], r["b2b_only"], r["supersedes"]) for r in decisions(db)] == [
        ("K0118", 1, None),
        ("none", 0, first),
        ("K0118", 1, second),
    ]
    assert offers_of(db, "ROC Noord") == [("K0118", "confirmed")]


def test_two_analysts_undoing_one_first_decision_withdraw_it_once(app, client, seeded, db):
    name = "Individuele basiszorg"
    post(client, seeded, "Opleider West", name, "accept:C0039")
    first = decisions(db)[-1]["id"]
    with TestClient(app, base_url="http://127.0.0.1:8000") as other:
        other.cookies.set("mbo_reviewer", quote("Bram"))
        assert post(other, seeded, "Opleider West", name, "undo", expected=first).status_code == 303
        late = post(client, seeded, "Opleider West", name, "undo", expected=first)
    assert late.status_code == 409
    assert '<td id="conflict-current">geen beslissing</td>' in late.text
    assert [r["code"] for r in decisions(db)] == ["C0039", "withdrawn"]


def test_apply_to_all_identical_names_in_the_round(client, seeded, db):
    response = post(
        client, seeded, "ROC Noord", "Verpleegtechnische handelingen", "accept:K0118", identical="1"
    )
    rows = decisions(db)
    assert {(r["institution_id"], r["code"]) for r in rows} == {
        (seeded.institutions["ROC Noord"], "K0118"),
        (seeded.institutions["ROC Zuid"], "K0118"),
    }
    assert rows[1]["note"] == "toegepast vanuit ROC Noord"
    page = client.get(response.headers["location"])
    assert "Ook toegepast op 1 identieke namen" in page.text
    assert "2 van 5 beoordeeld" in page.text


def test_second_analyst_sees_a_conflict_instead_of_overwriting(app, client, seeded, db):
    with TestClient(app, base_url="http://127.0.0.1:8000") as other:
        other.cookies.set("mbo_reviewer", quote("Bram"))
        post(client, seeded, "ROC Noord", "Verpleegtechnische handelingen", "accept:K0118")
        theirs = decisions(db)[-1]["id"]
        conflict = post(other, seeded, "ROC Noord", "Verpleegtechnische handelingen", "none")
        assert conflict.status_code == 409
        assert "iemand anders heeft intussen beslist" in conflict.text
        assert "Anna" in conflict.text
        assert "K0118" in conflict.text
        assert [r["code"] for r in decisions(db)] == ["K0118"]
        # Bram may still insist, knowingly: his decision supersedes Anna's.
        insisted = post(
            other, seeded, "ROC Noord", "Verpleegtechnische handelingen", "none", expected=theirs
        )
        assert insisted.status_code == 303
    assert [(r["code"], r["reviewer"], r["supersedes"]) for r in decisions(db)] == [
        ("K0118", "Anna", None),
        ("none", "Bram", theirs),
    ]


def test_the_same_decision_twice_is_no_conflict_and_no_new_row(app, client, seeded, db):
    post(client, seeded, "ROC Noord", "Individuele basiszorg", "accept:C0039")
    again = post(client, seeded, "ROC Noord", "Individuele basiszorg", "accept:C0039")
    assert again.status_code == 409  # stale view: still reported, but nothing to lose
    current = decisions(db)[-1]["id"]
    same = post(
        client, seeded, "ROC Noord", "Individuele basiszorg", "accept:C0039", expected=current
    )
    assert same.status_code == 303
    assert len(decisions(db)) == 1


def test_crawled_text_is_escaped(client):
    page = client.get(f"/ronde/{ROUND}").text
    assert XSS_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_archived_page_is_sandboxed(client, seeded):
    page_id = seeded.pages["ROC Noord"]
    frame = client.get(f"/pagina/{page_id}")
    assert frame.status_code == 200
    assert (
        f'<iframe class="archived" sandbox="" referrerpolicy="no-referrer" '
        f'src="/pagina/{page_id}/inhoud"'
    ) in frame.text
    content = client.get(f"/pagina/{page_id}/inhoud")
    assert content.headers["content-security-policy"] == (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    assert content.headers["content-type"] == "text/html; charset=utf-8"
    assert "Verpleegtechnische handelingen" in content.text
    assert client.get("/pagina/999999").status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1:8000"},
        {"Sec-Fetch-Site": "same-site"},
    ],
    ids=["other-origin", "sandboxed-origin", "cross-site", "same-site"],
)
def test_cross_site_posts_are_refused(client, seeded, db, headers):
    response = client.post(
        f"/ronde/{ROUND}/beslis",
        headers=headers,
        data={
            "institution": str(seeded.institutions["ROC Noord"]),
            "name": VERPLEEG,
            "choice": "none",
            "expected_latest": "",
        },
    )
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert decisions(db) == []


@pytest.mark.parametrize("host", ["evil.example:8000", "192.168.1.5", "evil.example"])
def test_without_a_token_only_loopback_host_names_are_served(app, host):
    """A site whose domain is re-pointed at 127.0.0.1 (DNS rebinding) gets nothing."""
    with TestClient(app, base_url=f"http://{host}") as rebound:
        response = rebound.get(f"/ronde/{ROUND}")
        assert response.status_code == 421
        assert "alleen op 127.0.0.1 of localhost" in response.text
    for good in ("localhost:8000", "127.0.0.5", "[::1]:8000"):
        with TestClient(app, base_url=f"http://{good}") as local:
            assert local.get("/").status_code == 200, good


def test_state_changes_need_post(client):
    assert client.get(f"/ronde/{ROUND}/beslis").status_code == 405


def test_token_is_required_when_configured(workspace, seeded):
    app = create_app(workspace, token="s3cret-token")
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        refused = client.get("/")
        assert refused.status_code == 401
        assert "token" in refused.text
        assert client.get("/?token=wrong").status_code == 401
        first = client.get(f"/ronde/{ROUND}?token=s3cret-token&alles=1", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"] == f"/ronde/{ROUND}?alles=1"  # token not left in the URL
        assert "mbo_review_token" in first.headers["set-cookie"]
        assert "HttpOnly" in first.headers["set-cookie"]
        assert client.get("/").status_code == 200  # the cookie carries it from now on
    with TestClient(app) as script:
        # OpenRefine: the service URL may carry the token; it is answered, not redirected.
        service = script.get("/reconcile?token=s3cret-token")
        assert service.json()["versions"] == ["0.2"]
        answer = script.get("/reconcile", headers={"Authorization": "Bearer s3cret-token"})
        assert answer.status_code == 200
        assert answer.json()["versions"] == ["0.2"]


def test_pages_carry_a_strict_content_security_policy(client):
    page = client.get(f"/ronde/{ROUND}")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_register_search_by_code_and_by_title(client):
    by_code = client.get("/zoek", params={"q": "k0905"}).json()
    assert by_code[0]["code"] == "K0905"
    assert by_code[0]["title"] == "Helpende plus"
    by_title = client.get("/zoek", params={"q": "verpleegtechnische"}).json()
    assert {"K0118", "K0119"} <= {hit["code"] for hit in by_title}
    assert client.get("/zoek", params={"q": ""}).json() == []


def test_a_decision_carries_over_to_a_later_round(client, seeded, workspace, db):
    seed_round(workspace, db, "2027-05", started_at="2027-05-01T00:00:00+00:00")
    post(client, seeded, "ROC Noord", "Verpleegtechnische handelingen", "accept:K0118")
    later = client.get("/ronde/2027-05").text
    assert "1 van 5 beoordeeld" in later
    assert re.findall(r'<span class="institution">([^<]+)</span>', later).count("ROC Noord") == 2
    # ... but a decision taken in the later round does not rewrite the earlier one.
    client.post(
        "/ronde/2027-05/beslis",
        headers=ORIGIN,
        data={
            "institution": str(seeded.institutions["Opleider West"]),
            "name": normalise_title("Individuele basiszorg"),
            "choice": "none",
            "expected_latest": "",
        },
    )
    assert "2 van 5 beoordeeld" in client.get("/ronde/2027-05").text
    assert "1 van 5 beoordeeld" in client.get(f"/ronde/{ROUND}").text


def test_simultaneous_decisions_on_one_name(live, seeded, db):
    """Two analysts post at the same instant: one decision is stored, the other sees a
    conflict; decisions on other names at the same instant are all kept."""
    barrier = threading.Barrier(4)
    results: dict[str, int] = {}

    def decide(reviewer: str, institution: str, name: str, choice: str) -> None:
        with httpx.Client(base_url=live.url, cookies={"mbo_reviewer": reviewer}) as http:
            barrier.wait()
            response = http.post(
                f"/ronde/{ROUND}/beslis",
                headers={"Origin": live.url},
                data={
                    "institution": str(seeded.institutions[institution]),
                    "name": normalise_title(name),
                    "choice": choice,
                    "expected_latest": "",
                },
            )
            results[f"{reviewer}/{institution}"] = response.status_code

    jobs = [
        ("Anna", "ROC Noord", "Verpleegtechnische handelingen", "accept:K0118"),
        ("Bram", "ROC Noord", "Verpleegtechnische handelingen", "none"),
        ("Carla", "Opleider West", "Individuele basiszorg", "accept:C0039"),
        ("Daan", "ROC Zuid", "Verpleegtechnische handelingen", "accept:K0119"),
    ]
    threads = [threading.Thread(target=decide, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    same_name = sorted([results["Anna/ROC Noord"], results["Bram/ROC Noord"]])
    assert same_name == [303, 409]
    assert results["Carla/Opleider West"] == 303
    assert results["Daan/ROC Zuid"] == 303
    rows = decisions(db)
    assert len(rows) == 3
    assert sorted(
        r["reviewer"] for r in rows if r["institution_id"] != seeded.institutions["ROC Noord"]
    ) == ["Carla", "Daan"]


def test_a_pdf_is_shown_as_escaped_text_and_downloaded_never_rendered(
    client, workspace, db, seeded
):
    from snapshots.evidence import EvidenceStore, Response

    store = EvidenceStore(workspace, db, ROUND)
    url = "http://127.0.0.13/brochure.pdf"
    page_id = store.store(
        Response(
            institution_id=seeded.institutions["Opleider West"],
            institution="Opleider West",
            url=url,
            final_url=url,
            status=200,
            headers=[("Content-Type", "application/pdf")],
            body=(DATA / "review" / "brochure.pdf").read_bytes(),
            kind="pdf",
        )
    )
    store.close()
    frame = client.get(f"/pagina/{page_id}")
    assert frame.status_code == 200
    assert '<pre class="pdf-text">' in frame.text
    assert "Individuele basiszorg" in frame.text
    assert "<iframe" not in frame.text
    download = client.get(f"/pagina/{page_id}/inhoud")
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["content-security-policy"].startswith("sandbox;")


def test_register_search_finds_words_inside_titles_exact_title_first(client):
    partial = client.get("/zoek", params={"q": "verzorg"}).json()
    assert partial[0]["code"] == "K0118"
    exact = client.get("/zoek", params={"q": "Individuele zorg verlenen"}).json()
    assert [hit["code"] for hit in exact[:2]] == ["C0053", "C0039"]


def _open_files(path):
    """How many file descriptors of this process point at `path`."""
    import os

    target = os.path.realpath(path)
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.path.realpath(f"/proc/self/fd/{fd}") == target
        except OSError:
            continue
    return count


def test_every_request_closes_its_database_connection(workspace, client, seeded):
    import gc

    gc.disable()  # a leaked connection must not be rescued by the garbage collector
    try:
        before = _open_files(workspace.db_path)
        for path in (
            "/",
            f"/ronde/{ROUND}",
            "/zoek?q=K0905",
            f"/pagina/{seeded.pages['ROC Noord']}",
        ):
            for _ in range(3):
                assert client.get(path).status_code == 200
        assert _open_files(workspace.db_path) == before
    finally:
        gc.enable()
