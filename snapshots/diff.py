"""Diff of two rounds per offer (institution, code): online / offline / unknown / unchanged.

A crawl that is not `ok` in the new round never produces `offline`: its missing offers are
`unknown`. A crawl flagged as suspect (sharp drop of pages) marks its offline rows for review,
and so does an institution whose every offer went offline. An analyst's offline check
(`offline_checks`) settles an offline row: confirmed offline (no longer flagged), or still
offered at a URL of the new round (then `unchanged`, with that URL as new evidence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from snapshots.health import CrawlRecord, Health, health_for_round
from snapshots.store import OfflineCheck, institution_names, offline_checks_in_force

if TYPE_CHECKING:
    from sqlite_utils import Database


class Change(StrEnum):
    online = "online"
    offline = "offline"
    unknown = "unknown"
    unchanged = "unchanged"


class InstitutionStatus(StrEnum):
    wholly_offline = "wholly offline"
    partly_offline = "partly offline"
    grown = "grown"
    unknown = "unknown"
    unchanged = "unchanged"


@dataclass(frozen=True)
class OfferKey:
    institution_id: int
    code: str
    evidence_url: str | None = None
    status: str | None = None  # confirmed | review (shown beside the change, not compared)


@dataclass(frozen=True)
class DiffRow:
    institution_id: int
    institution: str
    code: str
    change: Change
    old_evidence: str | None
    new_evidence: str | None
    review: bool = False
    reason: str = ""
    old_status: str | None = None
    new_status: str | None = None
    checked: str | None = None  # an analyst's offline check: "offline" | "still_offered"


@dataclass(frozen=True)
class InstitutionChange:
    institution_id: int
    institution: str
    status: InstitutionStatus
    counts: dict[str, int]


def diff_offers(
    db: Database,
    old_round: str,
    new_round: str,
    old: Iterable[OfferKey],
    new: Iterable[OfferKey],
) -> list[DiffRow]:
    """Compare the offers of two rounds; the new round's crawl health decides offline/unknown."""
    old_by_key = {(o.institution_id, o.code): o for o in old}
    new_by_key = {(o.institution_id, o.code): o for o in new}
    health = health_for_round(db, new_round)
    names = institution_names(db)
    rows = []
    for key in sorted(old_by_key.keys() | new_by_key.keys(), key=lambda k: (names[k[0]], k[1])):
        before, after = old_by_key.get(key), new_by_key.get(key)
        change, review, reason = _classify(before, after, health.get(key[0]))
        rows.append(
            DiffRow(
                institution_id=key[0],
                institution=names[key[0]],
                code=key[1],
                change=change,
                old_evidence=before.evidence_url if before else None,
                new_evidence=after.evidence_url if after else None,
                review=review,
                reason=reason,
                old_status=before.status if before else None,
                new_status=after.status if after else None,
            )
        )
    checks = offline_checks_in_force(db, new_round)
    return [
        _apply_check(row, checks.get((row.institution_id, row.code)))
        for row in _flag_all_gone(rows)
    ]


ALL_GONE = "every offer of the institution is gone while its crawl was ok: check the archived pages"


def _flag_all_gone(rows: list[DiffRow]) -> list[DiffRow]:
    """An institution whose every offer went offline after an ok crawl (a maintenance page or
    cookie wall answering 200, a new site on another domain) is marked for review."""
    kept = {r.institution_id for r in rows if r.change is not Change.offline}
    return [
        replace(r, review=True, reason=r.reason or ALL_GONE)
        if r.change is Change.offline and r.institution_id not in kept
        else r
        for r in rows
    ]


def _apply_check(row: DiffRow, check: OfflineCheck | None) -> DiffRow:
    """An offline row settled by an analyst (a check on a row that is not offline is moot)."""
    if check is None or row.change is not Change.offline:
        return row
    by = f"offline check by {check.reviewer}, {check.decided_at[:10]}"
    if check.verdict == "still_offered":
        return replace(
            row,
            change=Change.unchanged,
            new_evidence=check.offered_at,
            review=False,
            reason=f"still offered at {check.offered_at} ({by}): not counted offline",
            checked=check.verdict,
        )
    return replace(row, review=False, reason=f"offline confirmed ({by})", checked=check.verdict)


def _classify(
    before: OfferKey | None, after: OfferKey | None, crawl: CrawlRecord | None
) -> tuple[Change, bool, str]:
    if before and after:
        return Change.unchanged, False, ""
    if after:
        return Change.online, False, ""
    if crawl is None:
        return Change.unknown, False, "not crawled in the new round"
    if crawl.health is not Health.ok:
        return Change.unknown, False, f"crawl {crawl.health}: {crawl.reason}"
    if crawl.suspect:
        return Change.offline, True, f"suspect crawl: {crawl.suspect_reason}"
    return Change.offline, False, ""


def institution_summary(rows: Iterable[DiffRow]) -> list[InstitutionChange]:
    """Per institution: wholly offline, partly offline, grown, unknown or unchanged."""
    grouped: dict[int, list[DiffRow]] = {}
    for row in rows:
        grouped.setdefault(row.institution_id, []).append(row)
    summary = []
    for institution_id, group in grouped.items():
        counts = Counter(str(r.change) for r in group)
        summary.append(
            InstitutionChange(
                institution_id=institution_id,
                institution=group[0].institution,
                status=_institution_status(counts),
                counts={str(c): counts.get(str(c), 0) for c in Change},
            )
        )
    return sorted(summary, key=lambda s: s.institution)


def _institution_status(counts: Counter[str]) -> InstitutionStatus:
    if counts["unknown"]:
        return InstitutionStatus.unknown
    if counts["offline"] and not (counts["unchanged"] or counts["online"]):
        return InstitutionStatus.wholly_offline
    if counts["offline"]:
        return InstitutionStatus.partly_offline
    if counts["online"]:
        return InstitutionStatus.grown
    return InstitutionStatus.unchanged
