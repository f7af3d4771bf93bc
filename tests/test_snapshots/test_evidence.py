"""Evidence store: WARC records, index rows, revisits across rounds, crash recovery."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from snapshots.evidence import EvidenceStore, Response, start_round
from snapshots.index import pages_for_round, read_archived, read_payload
from snapshots.warc import count_records, read_record

FIXED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def institution_id(db):
    return (
        db["institutions"]
        .insert(
            {
                "name": "ROC Test",
                "funded": "bekostigd",
                "website": "http://127.0.0.11/",
                "start_urls": '["http://127.0.0.11/"]',
                "hosts": '["127.0.0.11"]',
                "imported_at": "2026-11-30",
            }
        )
        .last_pk
    )


def page(institution_id, url, body, **kw):
    return Response(
        institution_id=institution_id,
        institution="ROC Test",
        url=url,
        final_url=url,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        body=body,
        **kw,
    )


def store_round(workspace, db, label, pages):
    start_round(db, label)
    store = EvidenceStore(workspace, db, label, clock=lambda: FIXED)
    ids = [store.store(p) for p in pages]
    store.close()
    return ids


def test_response_is_archived_indexed_and_reads_back(workspace, db, institution_id):
    body = "<h1>Mbo-certificaat Helpende plus – cliënt</h1>".encode()
    url = "http://127.0.0.11/a"
    [page_id] = store_round(workspace, db, "R1", [page(institution_id, url, body)])
    [record] = pages_for_round(db, "R1")
    assert record.id == page_id
    assert record.record_type == "response"
    assert record.content_type == "text/html"
    assert read_payload(workspace, db, record) == body
    archived = read_record(workspace.path / record.warc_file, record.warc_offset)
    assert archived.status == 200
    assert archived.date == "2026-11-30T12:00:00Z"
    # the stored body is decoded, so the encoding header must not claim gzip
    assert all(k.lower() != "content-encoding" for k, _ in archived.headers)


def test_unchanged_payload_in_a_later_round_is_a_small_revisit(workspace, db, institution_id):
    # pages of ~40 KB that do not compress away, like real pages with inline data
    bodies = [
        b"".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest().encode() for j in range(600))
        for i in range(5)
    ]
    urls = [f"http://127.0.0.11/p{i}" for i in range(5)]
    pages = [page(institution_id, u, b) for u, b in zip(urls, bodies, strict=True)]
    store_round(workspace, db, "R1", pages)
    store_round(workspace, db, "R2", pages)
    r1 = workspace.warc_path("R1", "ROC Test").stat().st_size
    r2 = workspace.warc_path("R2", "ROC Test").stat().st_size
    assert r2 < 0.05 * r1
    second = pages_for_round(db, "R2")
    assert {p.record_type for p in second} == {"revisit"}
    assert [read_payload(workspace, db, p) for p in second] == bodies
    # the index keeps the media type; the archive keeps the charset a decoder needs
    assert second[0].content_type == "text/html"
    assert read_archived(workspace, db, second[0]).content_type == "text/html; charset=utf-8"


def test_storing_the_same_url_twice_in_a_round_is_skipped(workspace, db, institution_id):
    p = page(institution_id, "http://127.0.0.11/a", b"<p>x</p>")
    assert store_round(workspace, db, "R1", [p, p])[1] is None
    assert db["pages"].count == 1
    assert count_records(workspace.warc_path("R1", "ROC Test")) == 1


def test_half_written_record_after_a_crash_is_cut_off_on_reopen(workspace, db, institution_id):
    store_round(workspace, db, "R1", [page(institution_id, "http://127.0.0.11/a", b"<p>a</p>")])
    path = workspace.warc_path("R1", "ROC Test")
    with open(path, "ab") as fh:  # what a kill -9 in the middle of a write leaves behind
        fh.write(b"\x1f\x8b\x08\x00garbage")
    store_round(workspace, db, "R1", [page(institution_id, "http://127.0.0.11/b", b"<p>b</p>")])
    assert count_records(path) == 2
    assert [read_payload(workspace, db, p) for p in pages_for_round(db, "R1")] == [
        b"<p>a</p>",
        b"<p>b</p>",
    ]
