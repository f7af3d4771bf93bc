"""Crawl health per (round, institution): ok | partial | failed, with reason and counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


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


def record_health(
    db: Database,
    round_label: str,
    institution_id: int,
    *,
    health: Health | str,
    reason: str,
    pages: int,
    errors: int,
    requests: int,
    suspect: bool = False,
    suspect_reason: str | None = None,
    stats: dict[str, Any] | None = None,
    started_at: str | None = None,
) -> None:
    """Store (or replace, on a resumed round) the health of one institution's crawl."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.table("crawls").upsert(
        {
            "round": round_label,
            "institution_id": institution_id,
            "health": str(Health(health)),
            "reason": reason,
            "pages": pages,
            "errors": errors,
            "requests": requests,
            "suspect": int(suspect),
            "suspect_reason": suspect_reason,
            "stats": json.dumps(stats or {}, default=str),
            "started_at": started_at or now,
            "finished_at": now,
        },
        pk=("round", "institution_id"),
    )


def health_for_round(db: Database, round_label: str) -> dict[int, CrawlRecord]:
    """Recorded crawl health of every institution in a round, by institution id."""
    rows = db.query(
        "SELECT c.*, i.name AS institution FROM crawls c "
        "JOIN institutions i ON i.id = c.institution_id WHERE c.round = ?",
        [round_label],
    )
    return {
        row["institution_id"]: CrawlRecord(
            round=row["round"],
            institution_id=row["institution_id"],
            institution=row["institution"],
            health=Health(row["health"]),
            reason=row["reason"] or "",
            pages=row["pages"],
            errors=row["errors"],
            requests=row["requests"],
            suspect=bool(row["suspect"]),
            suspect_reason=row["suspect_reason"],
        )
        for row in rows
    }


def previous_pages(db: Database, round_label: str, institution_id: int) -> int | None:
    """Pages of this institution in its latest earlier round whose crawl did not fail (None
    if there is none): after a round the site was down, compare with the one before."""
    rows = list(
        db.query(
            "SELECT c.pages FROM crawls c JOIN rounds r ON r.label = c.round "
            "WHERE c.institution_id = ? AND c.round != ? AND c.health != 'failed' "
            "AND r.started_at <= "
            "(SELECT started_at FROM rounds WHERE label = ?) "
            "ORDER BY r.started_at DESC, r.label DESC LIMIT 1",
            [institution_id, round_label, round_label],
        )
    )
    return rows[0]["pages"] if rows else None
