"""snapshots.store: the named reads and writes of institutions, rounds, pages and crawls."""

from __future__ import annotations

import json
from dataclasses import replace

from snapshots import store
from snapshots.store import Health, NewCrawl, NewPage


def _institution(name: str, funded: str = "bekostigd") -> dict[str, str]:
    website = f"https://{name.lower()}.nl/"
    return {
        "name": name,
        "funded": funded,
        "website": website,
        "start_urls": json.dumps([website]),
        "hosts": json.dumps([f"{name.lower()}.nl"]),
    }


def _page(round_label: str, institution_id: int, url: str, **changes: object) -> NewPage:
    page = NewPage(
        round=round_label,
        institution_id=institution_id,
        url=url,
        final_url=url,
        canonical_url=None,
        status=200,
        content_type="text/html",
        kind="page",
        gone=False,
        rendered=False,
        payload_digest="sha1:" + url,
        payload_length=10,
        warc_file=f"warc/{round_label}/{institution_id}.warc.gz",
        warc_offset=0,
        warc_length=100,
        record_type="response",
        warc_date="2026-11-01T10:00:00Z",
        revisit_of=None,
        fetched_at="2026-11-01T10:00:00",
        text_length=None,
    )
    return replace(page, **changes)  # type: ignore[arg-type]


def _crawl(round_label: str, institution_id: int, finished_at: str, **changes: object) -> NewCrawl:
    crawl = NewCrawl(
        round=round_label,
        institution_id=institution_id,
        health=Health.ok,
        reason="all fine",
        pages=3,
        errors=0,
        requests=3,
        suspect=False,
        suspect_reason=None,
        stats={"pages": 3},
        started_at=finished_at,
        finished_at=finished_at,
    )
    return replace(crawl, **changes)  # type: ignore[arg-type]


def test_saving_institutions_updates_by_name_and_keeps_the_id(db):
    store.save_institutions(db, [_institution("Beta"), _institution("Alfa")], imported_at="t1")
    ids = store.institution_ids(db)
    assert store.institution_count(db) == 2
    store.save_institutions(db, [_institution("Alfa", "niet-bekostigd")], imported_at="t2")
    assert store.institution_ids(db) == ids
    assert store.institution_id(db, "Alfa") == ids["Alfa"]
    assert store.institution_id(db, "alfa") is None  # exact names only
    assert store.institution_funding(db) == {"Alfa": "niet-bekostigd", "Beta": "bekostigd"}
    assert [i.name for i in store.list_institutions(db)] == ["Alfa", "Beta"]
    assert store.institution_names(db) == {v: k for k, v in ids.items()}


def test_a_round_is_started_once_and_finished(db):
    assert store.start_round(db, "2026-11", started_at="2026-11-01", settings={"delay": 1})
    assert not store.start_round(db, "2026-11", started_at="2026-12-01")  # resumed: kept
    store.start_round(db, "2026-05", started_at="2026-05-01")
    store.finish_round(db, "2026-11", finished_at="2026-11-02")
    found = store.get_round(db, "2026-11")
    assert found == store.RoundRecord("2026-11", "2026-11-01", "2026-11-02", {"delay": 1})
    assert store.get_round(db, "2027-01") is None
    assert [r.label for r in store.list_rounds(db)] == ["2026-05", "2026-11"]


def test_pages_are_indexed_and_read_back(db):
    store.save_institutions(db, [_institution("Alfa"), _institution("Beta")], imported_at="t")
    alfa, beta = store.institution_ids(db)["Alfa"], store.institution_ids(db)["Beta"]
    store.start_round(db, "R1", started_at="2026-05-01")
    store.start_round(db, "R2", started_at="2026-11-01")
    first = store.insert_page(db, _page("R1", alfa, "https://alfa.nl/"))
    revisit = store.insert_page(
        db,
        _page(
            "R2",
            alfa,
            "https://alfa.nl/",
            record_type="revisit",
            revisit_of=first,
            warc_offset=0,
            warc_length=40,
        ),
    )
    store.insert_page(db, _page("R2", beta, "https://beta.nl/", rendered=True, warc_offset=100))

    assert store.page_is_stored(db, "R2", beta, "https://beta.nl/", True)
    assert not store.page_is_stored(db, "R2", beta, "https://beta.nl/", False)
    page = store.get_page(db, revisit)
    assert page is not None
    assert page.revisit_of == first
    assert page.record_type == "revisit"
    assert store.get_page(db, 999) is None
    assert [p.id for p in store.pages_for_round(db, "R2", institution_id=alfa)] == [revisit]
    original = store.find_original(db, "sha1:https://alfa.nl/")
    assert original is not None
    assert original.id == first
    assert store.indexed_length(db, f"warc/R2/{beta}.warc.gz") == 200
    assert store.indexed_length(db, "warc/none.warc.gz") == 0
    assert store.institutions_with_pages(db, "R2", [beta]) == ["Beta"]
    assert store.institutions_with_pages(db, "R2", [alfa, beta]) == ["Alfa", "Beta"]
    assert store.institutions_with_pages(db, "R1", [beta]) == []
    # R2's revisit needs R1's file to replay
    assert store.evidence_warc_files(db, "R2") == sorted(
        {f"warc/R1/{alfa}.warc.gz", f"warc/R2/{alfa}.warc.gz", f"warc/R2/{beta}.warc.gz"}
    )
    locations = store.warc_locations(db, ["R1"])
    assert locations == {first: store.WarcLocation(f"warc/R1/{alfa}.warc.gz", 0)}
    provenance = store.page_provenance(db, first)
    assert provenance == store.PageProvenance("2026-11-01T10:00:00Z", "2026-11-01T10:00:00", "Alfa")
    assert store.page_provenance(db, 999) is None


def test_crawl_health_is_replaced_on_resume_and_read_by_round(db):
    store.save_institutions(db, [_institution("Beta"), _institution("Alfa")], imported_at="t")
    ids = store.institution_ids(db)
    store.start_round(db, "R1", started_at="2026-05-01")
    store.save_crawl(db, _crawl("R1", ids["Beta"], "2026-05-01T10:00:00", health=Health.failed))
    store.save_crawl(db, _crawl("R1", ids["Alfa"], "2026-05-01T09:00:00"))
    store.save_crawl(db, _crawl("R1", ids["Beta"], "2026-05-02T10:00:00", pages=7))

    crawls = store.crawls_for_round(db, "R1")
    assert [(c.institution, c.health, c.pages) for c in crawls] == [
        ("Alfa", Health.ok, 3),
        ("Beta", Health.ok, 7),
    ]
    assert store.crawls_finished_since(db, "R1", "2026-05-02") == {ids["Beta"]}
    assert store.crawls_for_round(db, "R2") == []


def test_page_marks_and_rounds_newest_first(db):
    store.save_institutions(db, [_institution("Alfa")], imported_at="t")
    alfa = store.institution_ids(db)["Alfa"]
    store.start_round(db, "b-later", started_at="2026-11-01")
    store.start_round(db, "a-earlier", started_at="2026-05-01")
    assert [r.label for r in store.rounds_newest_first(db)] == ["b-later", "a-earlier"]
    assert store.page_marks(db, "b-later") == store.PageMarks(0, 0)
    store.insert_page(db, _page("a-earlier", alfa, "https://alfa.nl/"))
    second = store.insert_page(db, _page("b-later", alfa, "https://alfa.nl/"))
    third = store.insert_page(db, _page("b-later", alfa, "https://alfa.nl/x"))
    assert second < third
    assert store.page_marks(db, "b-later") == store.PageMarks(third, 2)
