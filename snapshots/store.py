"""The snapshots store: every read and write of the tables snapshots owns (institutions,
rounds, pages, crawls) is a named function here returning typed records.

Only this module and `snapshots.migrations` hold SQL for these tables; the rest of the
package and the other packages call these functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlite_utils import Database


def connect(path: Path) -> Database:
    """Open the workspace database: WAL mode, foreign keys on, waits for a busy writer."""
    return configure(Database(path))


def configure(db: Database) -> Database:
    """WAL mode, foreign keys on, waits for a busy writer (for a connection opened elsewhere)."""
    db.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: no fsync per commit (one per checkpoint). A killed process loses
    # nothing committed; a power cut may drop the last commits, never corrupts.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    return db


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Institution:
    id: int
    name: str
    funded: str
    website: str
    start_urls: tuple[str, ...]
    hosts: tuple[str, ...]
    render: str | None = None
    brin: str | None = None
    kind: str | None = None
    region: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Institution:
        return cls(
            id=row["id"],
            name=row["name"],
            funded=row["funded"],
            website=row["website"],
            start_urls=tuple(json.loads(row["start_urls"])),
            hosts=tuple(json.loads(row["hosts"])),
            render=row["render"],
            brin=row["brin"],
            kind=row["kind"],
            region=row["region"],
        )


@dataclass(frozen=True)
class RoundRecord:
    label: str
    started_at: str
    finished_at: str | None
    settings: dict[str, Any]


@dataclass(frozen=True)
class PageRecord:
    id: int
    round: str
    institution_id: int
    url: str
    final_url: str
    status: int | None
    content_type: str | None
    kind: str
    gone: bool
    rendered: bool
    payload_digest: str | None
    warc_file: str | None
    warc_offset: int | None
    record_type: str | None
    revisit_of: int | None
    canonical_url: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PageRecord:
        return cls(
            id=row["id"],
            round=row["round"],
            institution_id=row["institution_id"],
            url=row["url"],
            final_url=row["final_url"],
            status=row["status"],
            content_type=row["content_type"],
            kind=row["kind"],
            gone=bool(row["gone"]),
            rendered=bool(row["rendered"]),
            payload_digest=row["payload_digest"],
            warc_file=row["warc_file"],
            warc_offset=row["warc_offset"],
            record_type=row["record_type"],
            revisit_of=row["revisit_of"],
            canonical_url=row["canonical_url"],
        )


@dataclass(frozen=True)
class NewPage:
    """A page index row to insert (the id is assigned by the database)."""

    round: str
    institution_id: int
    url: str
    final_url: str
    canonical_url: str | None
    status: int | None
    content_type: str | None
    kind: str
    gone: bool
    rendered: bool
    payload_digest: str | None
    payload_length: int | None
    warc_file: str | None
    warc_offset: int | None
    warc_length: int | None
    record_type: str | None
    warc_date: str | None
    revisit_of: int | None
    fetched_at: str
    text_length: int | None


@dataclass(frozen=True)
class OriginalPage:
    """The first full response record with a given payload digest (target of revisits)."""

    id: int
    final_url: str
    fetched_at: str
    warc_date: str


@dataclass(frozen=True)
class PageProvenance:
    """When and for whom a page was archived (shown beside the archived page)."""

    warc_date: str | None
    fetched_at: str
    institution: str


@dataclass(frozen=True)
class PageMarks:
    """How far a round's page index has grown: a match run is current while these match."""

    last_id: int  # 0 when the round has no pages
    count: int


@dataclass(frozen=True)
class WarcLocation:
    warc_file: str
    warc_offset: int


class Health(StrEnum):
    ok = "ok"
    partial = "partial"
    failed = "failed"


@dataclass(frozen=True)
class CrawlRecord:
    round: str
    institution_id: int
    institution: str
    health: Health
    reason: str
    pages: int
    errors: int
    requests: int
    suspect: bool
    suspect_reason: str | None


@dataclass(frozen=True)
class NewCrawl:
    """The recorded outcome of one institution's crawl in a round."""

    round: str
    institution_id: int
    health: Health
    reason: str
    pages: int
    errors: int
    requests: int
    suspect: bool
    suspect_reason: str | None
    stats: dict[str, Any]
    started_at: str
    finished_at: str


# --- institutions --------------------------------------------------------------------------


def list_institutions(db: Database) -> list[Institution]:
    """Every institution, sorted by name."""
    return [Institution.from_row(r) for r in db["institutions"].rows_where(order_by="name")]


def institution_count(db: Database) -> int:
    return int(db.table("institutions").count)


def institution_names(db: Database) -> dict[int, str]:
    """Institution id -> name."""
    return {row["id"]: row["name"] for row in db.query("SELECT id, name FROM institutions")}


def institution_ids(db: Database) -> dict[str, int]:
    """Institution name -> id."""
    return {name: id_ for id_, name in institution_names(db).items()}


def institution_id(db: Database, name: str) -> int | None:
    """The id of the institution named exactly `name`, or None."""
    row = next(db.query("SELECT id FROM institutions WHERE name = ?", [name]), None)
    return int(row["id"]) if row else None


def institution_funding(db: Database) -> dict[str, str]:
    """Institution name -> funded (bekostigd | niet-bekostigd)."""
    return {r["name"]: r["funded"] for r in db.query("SELECT name, funded FROM institutions")}


def save_institutions(
    db: Database, records: Iterable[Mapping[str, Any]], *, imported_at: str
) -> None:
    """Insert or update (by name) institution rows, in one transaction; a new row gets
    `imported_at`, an updated one keeps its id and import time."""
    with db.atomic():
        for record in records:
            existing = institution_id(db, record["name"])
            if existing is not None:
                db.table("institutions").update(existing, dict(record))
            else:
                db.table("institutions").insert({**record, "imported_at": imported_at})


# --- rounds --------------------------------------------------------------------------------


def _round(row: Mapping[str, Any]) -> RoundRecord:
    return RoundRecord(
        label=row["label"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        settings=json.loads(row["settings"]) if row["settings"] else {},
    )


def get_round(db: Database, label: str) -> RoundRecord | None:
    row = next(db.query("SELECT * FROM rounds WHERE label = ?", [label]), None)
    return _round(row) if row else None


def list_rounds(db: Database) -> list[RoundRecord]:
    """Every round, sorted by label."""
    return [_round(r) for r in db.query("SELECT * FROM rounds ORDER BY label")]


def rounds_newest_first(db: Database) -> list[RoundRecord]:
    """Every round, the latest started first (none in a database not migrated yet)."""
    if not db["rounds"].exists():
        return []
    return [_round(r) for r in db.query("SELECT * FROM rounds ORDER BY started_at DESC")]


def start_round(
    db: Database, label: str, *, started_at: str, settings: Mapping[str, Any] | None = None
) -> bool:
    """Create the round if new (a resumed round keeps its start time); True if created."""
    if get_round(db, label) is not None:
        return False
    db.table("rounds").insert(
        {"label": label, "started_at": started_at, "settings": json.dumps(dict(settings or {}))}
    )
    return True


def finish_round(db: Database, label: str, *, finished_at: str) -> None:
    db.table("rounds").update(label, {"finished_at": finished_at})


# --- pages ---------------------------------------------------------------------------------


def insert_page(db: Database, page: NewPage) -> int:
    """Index one archived record; returns its page id."""
    row = asdict(page)
    row["gone"] = int(page.gone)
    row["rendered"] = int(page.rendered)
    with db.atomic():
        last_pk = db.table("pages").insert(row).last_pk
    assert last_pk is not None
    return int(last_pk)


def page_marks(db: Database, round_label: str) -> PageMarks:
    row = next(
        db.query(
            "SELECT COALESCE(MAX(id), 0) AS last, COUNT(*) AS n FROM pages WHERE round = ?",
            [round_label],
        )
    )
    return PageMarks(int(row["last"]), int(row["n"]))


def page_is_stored(
    db: Database, round_label: str, institution_id: int, url: str, rendered: bool
) -> bool:
    rows = db.query(
        "SELECT 1 FROM pages WHERE round = ? AND institution_id = ? AND url = ? "
        "AND rendered = ? LIMIT 1",
        [round_label, institution_id, url, int(rendered)],
    )
    return next(iter(rows), None) is not None


def pages_for_round(
    db: Database, round_label: str, *, institution_id: int | None = None
) -> list[PageRecord]:
    """Every indexed page of a round (optionally one institution), in fetch order."""
    where = "round = ?"
    params: list[str | int] = [round_label]
    if institution_id is not None:
        where += " AND institution_id = ?"
        params.append(institution_id)
    return [PageRecord.from_row(r) for r in db["pages"].rows_where(where, params, order_by="id")]


def get_page(db: Database, page_id: int) -> PageRecord | None:
    row = next(db.query("SELECT * FROM pages WHERE id = ?", [page_id]), None)
    return PageRecord.from_row(row) if row else None


def page_provenance(db: Database, page_id: int) -> PageProvenance | None:
    row = next(
        db.query(
            "SELECT p.warc_date, p.fetched_at, i.name AS institution FROM pages p "
            "JOIN institutions i ON i.id = p.institution_id WHERE p.id = ?",
            [page_id],
        ),
        None,
    )
    return PageProvenance(row["warc_date"], row["fetched_at"], row["institution"]) if row else None


def find_original(db: Database, digest: str) -> OriginalPage | None:
    """The first full `response` record with this payload digest, in any round."""
    row = next(
        db.query(
            "SELECT id, final_url, fetched_at, warc_date FROM pages "
            "WHERE payload_digest = ? AND record_type = 'response' ORDER BY id LIMIT 1",
            [digest],
        ),
        None,
    )
    if row is None:
        return None
    return OriginalPage(row["id"], row["final_url"], row["fetched_at"], row["warc_date"])


def indexed_length(db: Database, warc_file: str) -> int:
    """End offset of the last indexed record of a WARC file (0 when none)."""
    row = next(
        db.query(
            "SELECT COALESCE(MAX(warc_offset + warc_length), 0) AS end_ FROM pages "
            "WHERE warc_file = ?",
            [warc_file],
        )
    )
    return int(row["end_"])


def institutions_with_pages(
    db: Database, round_label: str, institution_ids: list[int]
) -> list[str]:
    """Names (sorted) of those institutions that already have pages in the round."""
    if not institution_ids:
        return []
    marks = ",".join("?" * len(institution_ids))
    rows = db.query(
        f"SELECT DISTINCT i.name FROM pages p JOIN institutions i ON i.id = p.institution_id "
        f"WHERE p.round = ? AND p.institution_id IN ({marks}) ORDER BY i.name",
        [round_label, *institution_ids],
    )
    return [r["name"] for r in rows]


def evidence_warc_files(db: Database, round_label: str) -> list[str]:
    """The round's WARC files (relative to the workspace) and those holding the originals
    of its revisit records."""
    rows = db.query(
        "SELECT DISTINCT warc_file FROM pages WHERE round = ? AND warc_file IS NOT NULL "
        "UNION SELECT DISTINCT o.warc_file FROM pages p JOIN pages o ON o.id = p.revisit_of "
        "WHERE p.round = ? AND o.warc_file IS NOT NULL",
        [round_label, round_label],
    )
    return sorted(r["warc_file"] for r in rows)


def warc_locations(db: Database, rounds: list[str]) -> dict[int, WarcLocation]:
    """Page id -> where its record is, for every archived page of the rounds."""
    if not rounds:
        return {}
    marks = ",".join("?" * len(rounds))
    rows = db.query(
        f"SELECT id, warc_file, warc_offset FROM pages WHERE round IN ({marks}) "
        "AND warc_file IS NOT NULL",
        rounds,
    )
    return {r["id"]: WarcLocation(r["warc_file"], r["warc_offset"]) for r in rows}


# --- crawls (crawl health) -----------------------------------------------------------------


def save_crawl(db: Database, crawl: NewCrawl) -> None:
    """Store (or replace, on a resumed round) the health of one institution's crawl."""
    db.table("crawls").upsert(
        {
            "round": crawl.round,
            "institution_id": crawl.institution_id,
            "health": str(Health(crawl.health)),
            "reason": crawl.reason,
            "pages": crawl.pages,
            "errors": crawl.errors,
            "requests": crawl.requests,
            "suspect": int(crawl.suspect),
            "suspect_reason": crawl.suspect_reason,
            "stats": json.dumps(crawl.stats, default=str),
            "started_at": crawl.started_at,
            "finished_at": crawl.finished_at,
        },
        pk=("round", "institution_id"),
    )


def crawls_for_round(db: Database, round_label: str) -> list[CrawlRecord]:
    """Recorded crawl health of every institution in a round, sorted by institution name."""
    rows = db.query(
        "SELECT c.*, i.name AS institution FROM crawls c "
        "JOIN institutions i ON i.id = c.institution_id WHERE c.round = ? ORDER BY i.name",
        [round_label],
    )
    return [
        CrawlRecord(
            round=row["round"],
            institution_id=row["institution_id"],
            institution=row["institution"],
            health=Health(row["health"]),
            reason=row["reason"] or "",
            pages=row["pages"] or 0,
            errors=row["errors"],
            requests=row["requests"],
            suspect=bool(row["suspect"]),
            suspect_reason=row["suspect_reason"],
        )
        for row in rows
    ]


def crawls_finished_since(db: Database, round_label: str, since: str) -> set[int]:
    """Ids of the institutions whose crawl in the round was recorded at or after `since`."""
    rows = db.query(
        "SELECT institution_id FROM crawls WHERE round = ? AND finished_at >= ?",
        [round_label, since],
    )
    return {int(r["institution_id"]) for r in rows}


def previous_pages(db: Database, round_label: str, institution_id: int) -> int | None:
    """Pages of this institution in its latest earlier round whose crawl did not fail (None
    if there is none): after a round the site was down, compare with the one before."""
    row = next(
        db.query(
            "SELECT c.pages FROM crawls c JOIN rounds r ON r.label = c.round "
            "WHERE c.institution_id = ? AND c.round != ? AND c.health != 'failed' "
            "AND r.started_at <= "
            "(SELECT started_at FROM rounds WHERE label = ?) "
            "ORDER BY r.started_at DESC, r.label DESC LIMIT 1",
            [institution_id, round_label, round_label],
        ),
        None,
    )
    return int(row["pages"]) if row else None


# --- review app: archived copies by URL ----------------------------------------------------


def archived_pages_by_url(db: Database, round_label: str, urls: Iterable[str]) -> dict[str, int]:
    """URL -> id of the round's archived page fetched at, or redirected to, that URL (the
    latest such page when several)."""
    wanted = sorted(set(urls))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT id, url, final_url FROM pages WHERE round = ? AND status BETWEEN 200 AND 299 "
            f"AND (url IN ({marks}) OR final_url IN ({marks})) ORDER BY id",
            [round_label, *chunk, *chunk],
        ):
            for url in (row["url"], row["final_url"]):
                if url in chunk:
                    found[url] = row["id"]
    return found


# --- offline checks: analysts' verdicts on offers the diff found offline -------------------


@dataclass(frozen=True)
class OfflineCheck:
    """An analyst's verdict on an offer missing in `round`: offline, or still offered at a URL."""

    id: int
    round: str
    compared_with: str
    institution_id: int
    code: str
    verdict: str  # "offline" | "still_offered"
    offered_at: str | None
    note: str | None
    reviewer: str
    decided_at: str
    supersedes: int | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> OfflineCheck:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def offline_checks_in_force(db: Database, round_label: str) -> dict[tuple[int, str], OfflineCheck]:
    """(institution id, code) -> the latest verdict on that offer in the round."""
    if not db["offline_checks"].exists():
        return {}
    rows = db.query(
        "SELECT * FROM offline_check_in_force WHERE round = ? ORDER BY id", [round_label]
    )
    return {(r["institution_id"], r["code"]): OfflineCheck.from_row(r) for r in rows}


def insert_offline_check(
    db: Database,
    *,
    round: str,
    compared_with: str,
    institution_id: int,
    code: str,
    verdict: str,
    offered_at: str | None,
    note: str | None,
    reviewer: str,
    decided_at: str,
) -> OfflineCheck:
    """Append a verdict superseding the offer's latest one (one transaction: no lost race)."""
    with db.atomic():
        latest = next(
            db.query(
                "SELECT MAX(id) AS id FROM offline_checks "
                "WHERE round = ? AND institution_id = ? AND code = ?",
                [round, institution_id, code],
            )
        )["id"]
        row = {
            "round": round,
            "compared_with": compared_with,
            "institution_id": institution_id,
            "code": code,
            "verdict": verdict,
            "offered_at": offered_at,
            "note": note,
            "reviewer": reviewer,
            "decided_at": decided_at,
            "supersedes": latest,
        }
        check_id = int(db.table("offline_checks").insert(row).last_pk or 0)
    return OfflineCheck.from_row({**row, "id": check_id})
