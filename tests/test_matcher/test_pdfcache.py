"""PDF text is extracted once per archived payload and reused by later match runs."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from matcher.offers import match_round
from matcher.pdfcache import PdfTextCache
from matcher.register import Register
from mbo_websearch.workspace import open_db
from snapshots.evidence import EvidenceStore, Response, start_round
from snapshots.workspace import Workspace

PDF = Path(__file__).resolve().parents[2] / "benchmarks" / "extractor_pages"
BROCHURE = (PDF / "rocva.brochure-zorg-trajecten.pdf").read_bytes()


def test_the_cache_extracts_a_payload_once(tmp_path):
    cache = PdfTextCache(tmp_path / "pdf-text")
    first = cache.text(BROCHURE)
    assert first is not None
    assert "Gastvrijheid in de zorg" in first
    assert cache.text(BROCHURE) == first
    assert PdfTextCache(tmp_path / "pdf-text").text(BROCHURE) == first  # a later run too
    assert cache.extracted == 1
    assert cache.text(b"%PDF-1.4 broken") is None
    assert cache.text(b"%PDF-1.4 broken") is None
    assert cache.extracted == 2


def test_a_second_match_run_reads_the_cached_text(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    db = open_db(workspace)
    try:
        start_round(db, "R")
        store = EvidenceStore(workspace, db, "R", clock=lambda: datetime(2026, 12, 2, tzinfo=UTC))
        institution_id = db.table("institutions").lookup(
            {"name": "ROC Brochure"},
            {
                "funded": "bekostigd",
                "website": "http://127.0.0.11/",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-12-02",
            },
        )
        store.store(
            Response(
                institution_id=institution_id,
                institution="ROC Brochure",
                url="http://127.0.0.11/brochure.pdf",
                final_url="http://127.0.0.11/brochure.pdf",
                status=200,
                headers=[("Content-Type", "application/pdf")],
                body=BROCHURE,
                kind="pdf",
            )
        )
        store.close()
        register = Register.default()
        match_round(workspace, db, "R", register=register)
        cached = (
            workspace.path / "cache" / "pdf-text" / f"{hashlib.sha256(BROCHURE).hexdigest()}.txt"
        )
        assert "Zorg voor mensen met hersenletsel" in cached.read_text(encoding="utf-8")
        # the second run must read the stored text, not the PDF: change what is stored
        cached.write_text(
            "Overzicht\n\nHelpende plus\nMbo-certificaat, keuzedeel K0905\n\n"
            "Werken met baby's\nMbo-certificaat, keuzedeel K0290\n",
            encoding="utf-8",
        )
        match_round(workspace, db, "R", register=register)
        names = {row["name"] for row in db.query("SELECT name FROM candidates")}
    finally:
        db.close()
    assert names == {"Helpende plus", "Werken met baby's"}
