"""Where matcher's data is read and written: the only module of `matcher` holding SQL.

Tables (see `matcher/migrations.py`): register versions with their certificates and aliases,
match runs, candidates and their ranked codes, the append-only decision log. Views:
`decision_in_force` (the one definition of which decision holds for a name in a round),
`candidate_status`, `offers` and `review_candidates`. Every function returns typed records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matcher.vocabulary import OfferStatus

if TYPE_CHECKING:
    from sqlite_utils import Database

WITHDRAWN = "withdrawn"  # sentinel decision code: the superseded decision is taken back


# --- register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterVersion:
    """One imported register file, dated by --as-of."""

    id: int
    as_of: str
    imported_at: str
    source: str
    certificates: int


@dataclass(frozen=True)
class StoredCertificate:
    """A certificate row of one register version (aliases apart)."""

    code: str
    title: str
    type: str
    sector: str | None
    sbu: int | None
    level: str | None
    qualification: str | None
    lnv: bool


@dataclass(frozen=True)
class StoredAlias:
    code: str
    kind: str  # "title" | "code"
    alias: str


def _version(row: dict[str, Any]) -> RegisterVersion:
    return RegisterVersion(
        row["id"], row["as_of"], row["imported_at"], row["source"], row["certificates"]
    )


def register_versions(db: Database) -> list[RegisterVersion]:
    """Imported register versions, newest first."""
    return [_version(r) for r in db["register_versions"].rows_where(order_by="as_of desc, id desc")]


def latest_register_version(db: Database, *, as_of: str | None) -> RegisterVersion | None:
    """The latest version valid on `as_of` (the latest of all when None)."""
    where, params = ("as_of <= ?", [as_of]) if as_of else (None, [])
    rows = db["register_versions"].rows_where(
        where, params, order_by="as_of desc, id desc", limit=1
    )
    return next((_version(r) for r in rows), None)


def register_certificates(db: Database, version_id: int) -> list[StoredCertificate]:
    return [
        StoredCertificate(
            code=r["code"],
            title=r["title"],
            type=r["type"],
            sector=r["sector"],
            sbu=r["sbu"],
            level=r["level"],
            qualification=r["qualification"],
            lnv=bool(r["lnv"]),
        )
        for r in db["certificates"].rows_where("version_id = ?", [version_id])
    ]


def register_aliases(db: Database, version_id: int) -> list[StoredAlias]:
    """The version's aliases in import order."""
    return [
        StoredAlias(r["code"], r["kind"], r["alias"])
        for r in db["certificate_aliases"].rows_where(
            "version_id = ?", [version_id], order_by="rowid"
        )
    ]


def insert_register_version(
    db: Database,
    *,
    as_of: str,
    imported_at: str,
    source: str,
    certificates: Sequence[StoredCertificate],
    aliases: Iterable[StoredAlias],
) -> int:
    """Store one register version with its certificates and aliases; the caller's transaction."""
    version_id = int(
        db.table("register_versions")
        .insert(
            {
                "as_of": as_of,
                "imported_at": imported_at,
                "source": source,
                "certificates": len(certificates),
            }
        )
        .last_pk
        or 0
    )
    db.table("certificates").insert_all(
        {
            "version_id": version_id,
            "code": c.code,
            "title": c.title,
            "type": c.type,
            "sector": c.sector,
            "sbu": c.sbu,
            "level": c.level,
            "qualification": c.qualification,
            "lnv": int(c.lnv),
        }
        for c in certificates
    )
    db.table("certificate_aliases").insert_all(
        [
            {"version_id": version_id, "code": a.code, "kind": a.kind, "alias": a.alias}
            for a in aliases
        ]
    )
    return version_id


# --- match runs and candidates -------------------------------------------------------------


@dataclass(frozen=True)
class MatchRunMark:
    """What the latest match run of a round saw: its register and the round's pages then."""

    register: str  # JSON: source, as_of, certificates
    last_page_id: int | None
    page_count: int | None
    learned: str | None = None  # the learned-alias state it used (matcher.learned)


@dataclass(frozen=True)
class RunCertificate:
    """A certificate of the register a run used (titles for the offers view)."""

    code: str
    title: str
    type: str
    sector: str | None


@dataclass(frozen=True)
class RankedCode:
    code: str
    score: float
    title: str


@dataclass(frozen=True)
class NewCandidate:
    """A course name found on an archived page, as a match run stores it."""

    round: str
    institution_id: int
    page_id: int
    page_kind: str
    name: str
    normalised_name: str
    source: str
    snippet: str | None
    cues: str
    codes_on_page: str
    link: str | None
    excluded: str | None
    decision: str
    code: str | None
    score: float
    explanation: str | None
    b2b: bool
    ranked: tuple[RankedCode, ...]


def last_match_run(db: Database, round_label: str) -> MatchRunMark | None:
    rows = db.query(
        "SELECT register, last_page_id, page_count, learned FROM match_runs WHERE round = ? "
        "ORDER BY id DESC LIMIT 1",
        [round_label],
    )
    return next(
        (
            MatchRunMark(r["register"], r["last_page_id"], r["page_count"], r["learned"])
            for r in rows
        ),
        None,
    )


def start_match_run(
    db: Database,
    round_label: str,
    *,
    started_at: str,
    config: str,
    register: str,
    pages: int,
    last_page_id: int,
    page_count: int,
    certificates: Iterable[RunCertificate],
    learned: str = "",
) -> int:
    """Drop the round's earlier candidates and open a new run; the caller's transaction."""
    db.execute(
        "DELETE FROM candidate_codes WHERE candidate_id IN "
        "(SELECT id FROM candidates WHERE round = ?)",
        [round_label],
    )
    db.execute("DELETE FROM candidates WHERE round = ?", [round_label])
    run_id = int(
        db.table("match_runs")
        .insert(
            {
                "round": round_label,
                "started_at": started_at,
                "config": config,
                "register": register,
                "pages": pages,
                "candidates": 0,
                "last_page_id": last_page_id,
                "page_count": page_count,
                "learned": learned,
            }
        )
        .last_pk
        or 0
    )
    db.table("match_certificates").insert_all(
        (
            {"run_id": run_id, "code": c.code, "title": c.title, "type": c.type, "sector": c.sector}
            for c in certificates
        ),
        ignore=True,
    )
    return run_id


def insert_candidate(db: Database, run_id: int, candidate: NewCandidate) -> int:
    """Store one candidate with its ranked codes; returns its id."""
    candidate_id = int(
        db.table("candidates")
        .insert(
            {
                "run_id": run_id,
                "round": candidate.round,
                "institution_id": candidate.institution_id,
                "page_id": candidate.page_id,
                "page_kind": candidate.page_kind,
                "name": candidate.name,
                "normalised_name": candidate.normalised_name,
                "source": candidate.source,
                "snippet": candidate.snippet,
                "cues": candidate.cues,
                "codes_on_page": candidate.codes_on_page,
                "link": candidate.link,
                "excluded": candidate.excluded,
                "decision": candidate.decision,
                "code": candidate.code,
                "score": candidate.score,
                "explanation": candidate.explanation,
                "b2b": int(candidate.b2b),
            }
        )
        .last_pk
        or 0
    )
    db.table("candidate_codes").insert_all(
        {
            "candidate_id": candidate_id,
            "rank": rank,
            "code": ranked.code,
            "score": ranked.score,
            "title": ranked.title,
        }
        for rank, ranked in enumerate(candidate.ranked, start=1)
    )
    return candidate_id


def finish_match_run(db: Database, run_id: int, *, candidates: int, finished_at: str) -> None:
    db.table("match_runs").update(run_id, {"candidates": candidates, "finished_at": finished_at})


# --- offers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """One certificate offered by one institution in one round, with its evidence."""

    round: str
    institution_id: int
    institution: str
    funded: str
    code: str
    title: str
    type: str
    sector: str | None
    status: OfferStatus
    b2b_only: bool
    evidence_url: str  # final URL of the best evidence page
    evidence_page_ids: tuple[int, ...]
    score: float
    names: tuple[str, ...]  # informal names seen


def offers_of_round(db: Database, round_label: str) -> list[Offer]:
    """The `offers` view of a round (decisions in force applied), by institution and code."""
    rows = db.query(
        "SELECT * FROM offers WHERE round = ? ORDER BY institution, code", [round_label]
    )
    return [_offer(row) for row in rows]


def _offer(row: dict[str, Any]) -> Offer:
    return Offer(
        round=row["round"],
        institution_id=row["institution_id"],
        institution=row["institution"],
        funded=row["funded"],
        code=row["code"],
        title=row["title"] or "",
        type=row["type"] or "",
        sector=row["sector"],
        status=OfferStatus(row["status"]),
        b2b_only=bool(row["b2b_only"]),
        evidence_url=row["evidence_url"],
        evidence_page_ids=tuple(sorted(int(p) for p in str(row["evidence_page_ids"]).split(","))),
        score=float(row["score"]),
        names=tuple(sorted(json.loads(row["names"]))),
    )


# --- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRecord:
    """One analyst's decision: this name at this institution is certificate `code` (or none)."""

    id: int
    round: str
    institution_id: int
    normalised_name: str
    code: str  # a certificate code, "none" or "withdrawn"
    b2b_only: bool | None  # None: the page cues decide
    note: str | None
    reviewer: str
    decided_at: str
    supersedes: int | None = None
    candidate_id: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DecisionRecord:
        b2b = row["b2b_only"]
        return cls(
            id=row["id"],
            round=row["round"],
            institution_id=row["institution_id"],
            normalised_name=row["normalised_name"],
            code=row["code"],
            b2b_only=None if b2b is None else bool(b2b),
            note=row["note"],
            reviewer=row["reviewer"],
            decided_at=row["decided_at"],
            supersedes=row["supersedes"],
            candidate_id=row["candidate_id"],
        )

    @property
    def withdrawn(self) -> bool:
        """This row takes back the decision it supersedes: no decision is in force."""
        return self.code == WITHDRAWN


def insert_decision(
    db: Database,
    *,
    round: str,
    institution_id: int,
    normalised_name: str,
    code: str,
    b2b_only: bool | None,
    note: str | None,
    reviewer: str,
    decided_at: str,
    supersedes: int | None,
    candidate_id: int | None,
) -> DecisionRecord:
    """Append one decision row (the log is append-only: triggers refuse updates)."""
    row = {
        "round": round,
        "institution_id": institution_id,
        "normalised_name": normalised_name,
        "code": code,
        "b2b_only": None if b2b_only is None else int(b2b_only),
        "note": note,
        "reviewer": reviewer,
        "decided_at": decided_at,
        "supersedes": supersedes,
        "candidate_id": candidate_id,
    }
    with db.atomic():
        decision_id = int(db.table("decisions").insert(row).last_pk or 0)
    return DecisionRecord.from_row({**row, "id": decision_id})


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock before reading, so deciders are serialised."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("COMMIT")


def decision_by_id(db: Database, decision_id: int) -> DecisionRecord | None:
    rows = db["decisions"].rows_where("id = ?", [decision_id])
    return next((DecisionRecord.from_row(r) for r in rows), None)


def decision_log(
    db: Database, *, institution_id: int | None = None, normalised_name: str | None = None
) -> list[DecisionRecord]:
    """Every decision in the order it was made (optionally for one institution / name)."""
    clauses: list[str] = []
    params: list[str | int] = []
    if institution_id is not None:
        clauses.append("institution_id = ?")
        params.append(institution_id)
    if normalised_name is not None:
        clauses.append("normalised_name = ?")
        params.append(normalised_name)
    where = " AND ".join(clauses) or None
    rows = db["decisions"].rows_where(where, params, order_by="id")
    return [DecisionRecord.from_row(r) for r in rows]


def latest_decisions(
    db: Database,
    round_label: str,
    *,
    include_withdrawn: bool = False,
    key: tuple[int, str] | None = None,
) -> list[DecisionRecord]:
    """Rows of `decision_in_force` for a round (of `latest_decision`, withdrawals included,
    when `include_withdrawn`); `key` (institution_id, normalised_name) limits it to one name."""
    view = "latest_decision" if include_withdrawn else "decision_in_force"
    only_key = " AND institution_id = ? AND normalised_name = ?" if key else ""
    rows = db.query(
        f"SELECT * FROM {view} WHERE for_round = ?{only_key} ORDER BY id",
        [round_label, *(key or ())],
    )
    return [DecisionRecord.from_row(r) for r in rows]


# --- learned aliases (owner: learning helper) -----------------------------------------------


@dataclass(frozen=True)
class LearnedAlias:
    """A name every decision in force agrees on, taught by a decision of an earlier round."""

    normalised_name: str
    code: str  # a certificate code or "none" (a learned negative)
    decision_id: int  # the cited decision: the latest agreeing one of an earlier round
    reviewer: str
    decided_at: str


def learned_aliases(db: Database, round_label: str) -> list[LearnedAlias]:
    """Rows of the `learned_aliases` view for a round, by name."""
    rows = db.query(
        "SELECT normalised_name, code, decision_id, reviewer, decided_at "
        "FROM learned_aliases WHERE for_round = ? ORDER BY normalised_name",
        [round_label],
    )
    return [
        LearnedAlias(
            r["normalised_name"],
            r["code"],
            r["decision_id"],
            r["reviewer"],
            r["decided_at"],
        )
        for r in rows
    ]


# --- the review queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewCandidate:
    """A candidate the matcher routed to review, with its institution and page URL."""

    id: int
    round: str
    institution_id: int
    institution: str
    page_id: int | None
    name: str
    normalised_name: str
    snippet: str | None
    b2b: bool
    score: float
    page_url: str | None


def review_candidates(db: Database, round_label: str) -> list[ReviewCandidate]:
    """The round's review candidates, best score first (ties by id)."""
    if not db["candidates"].exists():
        return []
    rows = db.query(
        "SELECT * FROM review_candidates WHERE round = ? ORDER BY score DESC, id", [round_label]
    )
    return [
        ReviewCandidate(
            id=r["id"],
            round=r["round"],
            institution_id=r["institution_id"],
            institution=r["institution"],
            page_id=r["page_id"],
            name=r["name"],
            normalised_name=r["normalised_name"],
            snippet=r["snippet"],
            b2b=bool(r["b2b"]),
            score=float(r["score"] or 0.0),
            page_url=r["page_url"],
        )
        for r in rows
    ]


def ranked_codes(db: Database, candidate_ids: list[int]) -> dict[int, list[RankedCode]]:
    """candidate id -> its ranked register codes, best rank first."""
    found: dict[int, list[RankedCode]] = {}
    if not candidate_ids or not db["candidate_codes"].exists():
        return found
    marks = ",".join("?" * len(candidate_ids))
    for row in db.query(
        f"SELECT candidate_id, code, score, title FROM candidate_codes "
        f"WHERE candidate_id IN ({marks}) ORDER BY candidate_id, rank",
        candidate_ids,
    ):
        found.setdefault(row["candidate_id"], []).append(
            RankedCode(row["code"], float(row["score"]), row["title"])
        )
    return found


def institutions_with_confirmed_offers(db: Database, round_label: str) -> set[int]:
    """Institutions with at least one candidate confirmed by the matcher or an analyst."""
    return {
        row["institution_id"]
        for row in db.query(
            "SELECT DISTINCT institution_id FROM candidate_status "
            "WHERE round = ? AND status = 'confirmed'",
            [round_label],
        )
    }


# --- review app (queue cache, card evidence) -----------------------------------------------
# Kept apart at the end so that other work on this module merges cleanly.


@dataclass(frozen=True)
class QueueMark:
    """What a cached review queue of a round was computed from: when it differs, recompute
    (candidates) or catch up (decisions after `last_decision_id`)."""

    last_candidate_id: int | None
    candidates: int
    last_decision_id: int


def queue_mark(db: Database, round_label: str) -> QueueMark:
    if not db["candidates"].exists():
        return QueueMark(None, 0, 0)
    row = next(
        db.query(
            "SELECT max(id) AS last, count(*) AS n FROM candidates WHERE round = ?", [round_label]
        )
    )
    last_decision = next(db.query("SELECT COALESCE(max(id), 0) AS last FROM decisions"))
    return QueueMark(row["last"], int(row["n"]), int(last_decision["last"]))


def decisions_after(db: Database, decision_id: int) -> list[DecisionRecord]:
    """Decision rows appended after `decision_id`, oldest first."""
    rows = db["decisions"].rows_where("id > ?", [decision_id], order_by="id")
    return [DecisionRecord.from_row(r) for r in rows]


def decisions_by_ids(db: Database, ids: Iterable[int]) -> dict[int, DecisionRecord]:
    wanted = sorted(set(ids))
    found: dict[int, DecisionRecord] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT * FROM decisions WHERE id IN ({marks})", chunk):
            found[row["id"]] = DecisionRecord.from_row(row)
    return found


def confirmed_among(db: Database, round_label: str, institution_ids: Iterable[int]) -> set[int]:
    """Those of `institution_ids` with at least one confirmed candidate in the round."""
    wanted = sorted(set(institution_ids))
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    return {
        row["institution_id"]
        for row in db.query(
            f"SELECT DISTINCT institution_id FROM candidate_status WHERE round = ? "
            f"AND status = 'confirmed' AND institution_id IN ({marks})",
            [round_label, *wanted],
        )
    }


@dataclass(frozen=True)
class NameEvidence:
    """One page of a round where a name was found (any routing), as the review card shows it."""

    candidate_id: int
    page_id: int | None
    page_kind: str
    page_url: str | None
    source: str
    snippet: str | None
    cues: str
    codes_on_page: str
    decision: str
    score: float
    explanation: str | None
    excluded: str | None


def name_evidence(
    db: Database, round_label: str, institution_id: int, normalised_name: str
) -> list[NameEvidence]:
    """Every candidate of this name at this institution in the round, the best evidence first:
    the course's own page before listing cards and PDFs (as the `offers` view chooses), then
    by score and URL."""
    rows = db.query(
        "SELECT c.id, c.page_id, c.page_kind, p.final_url, c.source, c.snippet, c.cues, "
        "c.codes_on_page, c.decision, c.score, c.explanation, c.excluded "
        "FROM candidates c LEFT JOIN pages p ON p.id = c.page_id "
        "WHERE c.round = ? AND c.institution_id = ? AND c.normalised_name = ? "
        "ORDER BY c.source IN ('card', 'list'), c.page_kind = 'listing', c.page_kind = 'pdf', "
        "c.score DESC, length(p.final_url), p.final_url, c.id",
        [round_label, institution_id, normalised_name],
    )
    return [
        NameEvidence(
            candidate_id=r["id"],
            page_id=r["page_id"],
            page_kind=r["page_kind"],
            page_url=r["final_url"],
            source=r["source"],
            snippet=r["snippet"],
            cues=r["cues"] or "",
            codes_on_page=r["codes_on_page"] or "",
            decision=r["decision"],
            score=float(r["score"] or 0.0),
            explanation=r["explanation"],
            excluded=r["excluded"],
        )
        for r in rows
    ]


def recent_decisions_by(
    db: Database, round_label: str, reviewer: str, *, limit: int = 10
) -> list[DecisionRecord]:
    """The analyst's latest decision rows in a round, newest first (for the undo history)."""
    rows = db["decisions"].rows_where(
        "round = ? AND reviewer = ?", [round_label, reviewer], order_by="id desc", limit=limit
    )
    return [DecisionRecord.from_row(r) for r in rows]


@dataclass(frozen=True)
class AutoMatch:
    """A name the matcher accepted without review (the best-scoring page of it)."""

    institution_id: int
    institution: str
    name: str
    normalised_name: str
    code: str
    score: float
    snippet: str | None
    page_id: int | None
    page_url: str | None


def auto_matches(db: Database, round_label: str) -> list[AutoMatch]:
    """The round's auto-accepted names, one per (institution, normalised name), in key order."""
    if not db["candidates"].exists():
        return []
    rows = db.query(
        "SELECT c.institution_id, i.name AS institution, c.name, c.normalised_name, c.code, "
        "c.score, c.snippet, c.page_id, p.final_url FROM candidates c "
        "JOIN institutions i ON i.id = c.institution_id LEFT JOIN pages p ON p.id = c.page_id "
        "WHERE c.round = ? AND c.decision = 'auto' AND c.excluded IS NULL AND c.code IS NOT NULL "
        "ORDER BY c.institution_id, c.normalised_name, c.score DESC, c.id",
        [round_label],
    )
    found: dict[tuple[int, str], AutoMatch] = {}
    for r in rows:
        found.setdefault(
            (r["institution_id"], r["normalised_name"]),
            AutoMatch(
                r["institution_id"],
                r["institution"],
                r["name"],
                r["normalised_name"],
                r["code"],
                float(r["score"] or 0.0),
                r["snippet"],
                r["page_id"],
                r["final_url"],
            ),
        )
    return list(found.values())


# --- offline checks (review app): the institution's listing pages in a round ---------------


def listing_page_ids(db: Database, round_label: str, institution_id: int) -> list[int]:
    """Pages of the institution the matcher read as listings in the round, the page with the
    most names first (ties by page id)."""
    if not db["candidates"].exists():
        return []
    rows = db.query(
        "SELECT page_id, COUNT(*) AS names FROM candidates "
        "WHERE round = ? AND institution_id = ? AND page_kind = 'listing' "
        "GROUP BY page_id ORDER BY names DESC, page_id",
        [round_label, institution_id],
    )
    return [int(r["page_id"]) for r in rows]
