"""Turn a crawled round into offers: extract, match, store; offers with decisions applied."""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from matcher import store
from matcher.candidates import Candidate, PageExtract, PageUnreadable, extract_page
from matcher.config import MatchConfig
from matcher.learned import learned_names, learned_state
from matcher.normalise import normalise_title
from matcher.pdfcache import PdfTextCache
from matcher.register import Register
from matcher.scoring import Decision, MatchResult, match_name, rank_by_context
from matcher.store import Offer as Offer  # re-exported: the offers API
from snapshots import store as snapshots_store
from snapshots.errors import NotFound
from snapshots.index import PageRecord, pages_for_round, read_archived

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace

logger = logging.getLogger(__name__)
_Row = tuple[PageRecord, PageExtract, Candidate, MatchResult]
MATCHED_KINDS = ("page", "pdf")
TITLE_SOURCES = ("h1", "og:title", "title")


@dataclass(frozen=True)
class MatchRunResult:
    """What one match run of a round did."""

    run_id: int
    round: str
    pages: int
    candidates: int
    decisions: dict[str, int] = field(default_factory=dict)  # auto/review/none/excluded


def match_round(
    workspace: Workspace,
    db: Database,
    round_label: str,
    *,
    register: Register | None = None,
    config: MatchConfig | None = None,
) -> MatchRunResult:
    """Extract candidates from every archived page of a round, rank and store them.

    Idempotent: the round's earlier candidates are replaced; analysts' decisions are kept.
    Names analysts decided in earlier rounds are matched as they decided (matcher.learned).
    """
    started = _round_started(db, round_label)
    register = register or Register.from_db(db, as_of=started[:10])
    config = config or MatchConfig()
    learned, learned_digest = (
        learned_names(db, round_label, register),
        learned_state(db, round_label),
    )
    rows: list[_Row] = []
    pages = 0
    cache: dict[tuple[str, tuple[str, ...], frozenset[str]], MatchResult] = {}
    for page in pages_for_round(db, round_label):
        extract = _extract(workspace, db, page)
        if extract is None:
            continue
        pages += 1
        for candidate in extract.candidates:
            key = (candidate.name, candidate.codes, candidate.cues)
            if key not in cache:
                cache[key] = match_name(
                    candidate.name,
                    register,
                    config=config,
                    codes_on_page=candidate.codes,
                    cues=candidate.cues,
                    learned=learned.get(normalise_title(candidate.name)),
                )
            result = rank_by_context(
                cache[key], candidate.snippet, register, codes_on_page=candidate.codes
            )
            rows.append((page, extract, candidate, _listing_title(extract, candidate, result)))
    shown = _codes_shown(rows, register)
    rows = [
        (p, e, c, _with_code(r, shown.get((p.institution_id, r.code or "")))) for p, e, c, r in rows
    ]
    return _store_run(db, round_label, register, config, pages, rows, learned_digest)


def _codes_shown(rows: list[_Row], register: Register) -> dict[tuple[int, str], str]:
    """(institution, register code) -> the other code of that certificate the institution's
    pages show (K0511/K1257 Pedicure): the offer keeps the code the evidence names."""
    shown: dict[tuple[int, str], str] = {}
    for page, _, candidate, result in rows:
        cert = register.get(result.code) if result.code else None
        if cert is None or not cert.alt_codes:
            continue
        for code in candidate.codes:
            if code != cert.code and register.get(code) is cert:
                shown.setdefault((page.institution_id, cert.code), code)
    return shown


def _with_code(result: MatchResult, code: str | None) -> MatchResult:
    if code is None:
        return result
    return dataclasses.replace(
        result, code=code, explanation=f"{result.explanation}; the page names it {code}"
    )


def _listing_title(extract: PageExtract, candidate: Candidate, result: MatchResult) -> MatchResult:
    """A listing's own heading ("Cursussen zorg en welzijn") is no course unless it matches
    a certificate outright: a review-level match there is dropped."""
    if extract.kind != "listing" or candidate.source not in TITLE_SOURCES:
        return result
    if result.decision is not Decision.review:
        return result
    return dataclasses.replace(
        result,
        decision=Decision.none,
        explanation=f"listing heading, not a course: {result.explanation}",
    )


def match_is_current(db: Database, round_label: str) -> bool:
    """True when the round's last match run saw every archived page, today's register and
    today's learned aliases."""
    run = store.last_match_run(db, round_label)
    if run is None:
        return False
    last_page_id, page_count = _page_marks(db, round_label)
    register = Register.from_db(db, as_of=_round_started(db, round_label)[:10])
    return (run.last_page_id, run.page_count) == (
        last_page_id,
        page_count,
    ) and (run.register, run.learned or "") == (
        _register_json(register),
        learned_state(db, round_label),
    )


def _page_marks(db: Database, round_label: str) -> tuple[int, int]:
    marks = snapshots_store.page_marks(db, round_label)
    return marks.last_id, marks.count


def _register_json(register: Register) -> str:
    return json.dumps(
        {
            "source": register.source,
            "as_of": register.as_of,
            "certificates": len(register.certificates),
        }
    )


def offers_for_round(db: Database, round_label: str) -> list[Offer]:
    """Confirmed and review offers of a round, analysts' decisions applied."""
    _round_started(db, round_label)
    return store.offers_of_round(db, round_label)


def _round_started(db: Database, round_label: str) -> str:
    found = snapshots_store.get_round(db, round_label)
    if found is None:
        raise NotFound(f"unknown round {round_label!r}; crawl it first (crawl --round ...)")
    return found.started_at


def _extract(workspace: Workspace, db: Database, page: PageRecord) -> PageExtract | None:
    """Candidates of one archived page, or None for pages that cannot hold offers."""
    if page.gone or page.kind not in MATCHED_KINDS or not 200 <= (page.status or 0) < 300:
        return None
    archived = read_archived(workspace, db, page)
    if not archived.payload:
        return None
    try:
        extract = extract_page(
            archived.payload,
            url=page.final_url,
            content_type=archived.content_type,
            pdf_text_of=PdfTextCache(workspace.path / "cache" / "pdf-text").text,
        )
    except PageUnreadable as exc:  # one hostile page must not stop the round
        logger.warning("page %s of round %s skipped: %s", page.id, page.round, exc)
        return None
    return extract if extract.kind in ("detail", "listing", "pdf") else None


def _store_run(
    db: Database,
    round_label: str,
    register: Register,
    config: MatchConfig,
    pages: int,
    rows: list[_Row],
    learned_digest: str,
) -> MatchRunResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    last_page_id, page_count = _page_marks(db, round_label)
    counts = {"auto": 0, "review": 0, "none": 0, "excluded": 0}
    with db.atomic():
        run_id = store.start_match_run(
            db,
            round_label,
            started_at=now,
            config=config.to_json(),
            register=_register_json(register),
            pages=pages,
            last_page_id=last_page_id,
            page_count=page_count,
            learned=learned_digest,
            certificates=(
                store.RunCertificate(code, c.title, c.type, c.sector)
                for c in register.certificates
                for code in (c.code, *c.alt_codes)
            ),
        )
        stored = 0
        for page, extract, candidate, result in rows:
            name = normalise_title(candidate.name)
            if not name:
                continue
            store.insert_candidate(
                db, run_id, _new_candidate(page, extract, candidate, result, name)
            )
            counts["excluded" if candidate.excluded else str(result.decision)] += 1
            stored += 1
        store.finish_match_run(
            db,
            run_id,
            candidates=stored,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    return MatchRunResult(run_id, round_label, pages, stored, counts)


def _new_candidate(
    page: PageRecord,
    extract: PageExtract,
    candidate: Candidate,
    result: MatchResult,
    normalised: str,
) -> store.NewCandidate:
    explanation = result.explanation
    if candidate.excluded:
        explanation = f"not an offer: {candidate.excluded} (page cues). {explanation}"
    return store.NewCandidate(
        round=page.round,
        institution_id=page.institution_id,
        page_id=page.id,
        page_kind=extract.kind,
        name=candidate.name,
        normalised_name=normalised,
        source=candidate.source,
        snippet=candidate.snippet,
        cues=",".join(sorted(candidate.cues)),
        codes_on_page=",".join(candidate.codes),
        link=candidate.link,
        excluded=candidate.excluded,
        decision=str(result.decision),
        code=result.code,
        score=result.score,
        explanation=explanation,
        b2b="b2b" in candidate.cues,
        ranked=tuple(store.RankedCode(r.code, r.score, r.title) for r in result.ranked),
    )
