"""The review queue of a round: candidates awaiting an analyst, grouped and ordered by impact.

A queue item is one (institution, normalised name) of a round that the matcher routed to
review: the same name found on several pages of one institution is decided once. Items whose
institution has no confirmed offer yet come first, because their decision settles whether
that institution offers a certificate at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.decisions import NO_CERTIFICATE, DecisionRecord, decisions_for_round

if TYPE_CHECKING:
    from sqlite_utils import Database

NONE_CODE = NO_CERTIFICATE
Key = tuple[int, str]  # (institution_id, normalised_name): what a decision is about


@dataclass(frozen=True)
class Option:
    """One ranked register code for a candidate."""

    code: str
    score: float
    title: str


@dataclass(frozen=True)
class QueueItem:
    """One name at one institution awaiting (or having had) an analyst's decision."""

    candidate_id: int
    candidate_ids: tuple[int, ...]
    round: str
    institution_id: int
    institution: str
    name: str
    normalised_name: str
    context: str
    page_id: int | None
    page_url: str | None
    page_ids: tuple[int, ...]
    options: tuple[Option, ...]
    score: float
    b2b_cue: bool
    latest: DecisionRecord | None
    decisive: bool  # the institution has no confirmed offer yet

    @property
    def key(self) -> Key:
        return (self.institution_id, self.normalised_name)

    @property
    def decided(self) -> bool:
        return self.latest is not None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


@dataclass(frozen=True)
class InstitutionProgress:
    institution_id: int
    institution: str
    progress: Progress


@dataclass(frozen=True)
class RoundQueue:
    round: str
    items: tuple[QueueItem, ...]

    @property
    def pending(self) -> list[QueueItem]:
        return [item for item in self.items if not item.decided]

    @property
    def progress(self) -> Progress:
        return Progress(sum(item.decided for item in self.items), len(self.items))

    def per_institution(self) -> list[InstitutionProgress]:
        groups: dict[int, list[QueueItem]] = defaultdict(list)
        for item in self.items:
            groups[item.institution_id].append(item)
        rows = [
            InstitutionProgress(
                iid, items[0].institution, Progress(sum(i.decided for i in items), len(items))
            )
            for iid, items in groups.items()
        ]
        return sorted(rows, key=lambda r: r.institution.lower())

    def find(self, key: Key) -> QueueItem | None:
        for item in self.items:
            if item.key == key:
                return item
        return None

    def identical(self, item: QueueItem) -> list[QueueItem]:
        """Other items of this round with the same normalised name (other institutions)."""
        return [
            other
            for other in self.items
            if other.normalised_name == item.normalised_name
            and other.institution_id != item.institution_id
        ]


def latest_decision(db: Database, round_label: str, key: Key) -> DecisionRecord | None:
    """The decision in force for this name at this institution in this round (None when
    there is none, or the latest row withdrew the one before)."""
    entry = latest_entry(db, round_label, key)
    return None if entry is None or entry.withdrawn else entry


def latest_entry(db: Database, round_label: str, key: Key) -> DecisionRecord | None:
    """The latest log row for this name in this round, a withdrawal included: what a new
    decision supersedes."""
    return decisions_for_round(db, round_label, include_withdrawn=True, key=key).get(key)


def decision_by_id(db: Database, decision_id: int) -> DecisionRecord | None:
    rows = list(db.query("SELECT * FROM decisions WHERE id = ?", [decision_id]))
    return DecisionRecord.from_row(rows[0]) if rows else None


def rounds(db: Database) -> list[str]:
    """Round labels, newest first."""
    if not db["rounds"].exists():
        return []
    return [r["label"] for r in db.query("SELECT label FROM rounds ORDER BY started_at DESC")]


def load_queue(db: Database, round_label: str) -> RoundQueue:
    """Every review item of the round (decided or not), pending impact order first."""
    rows = _candidate_rows(db, round_label)
    options = _options(db, [r["id"] for r in rows])
    latest = decisions_for_round(db, round_label)
    confirmed = _confirmed_institutions(db, round_label)
    groups: dict[Key, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["institution_id"], row["normalised_name"])].append(row)
    items = [
        _item(group, options, latest.get(key), decisive=key[0] not in confirmed)
        for key, group in groups.items()
    ]
    pending_per_institution: dict[int, int] = defaultdict(int)
    for item in items:
        pending_per_institution[item.institution_id] += not item.decided
    items.sort(
        key=lambda i: (
            not i.decisive,
            pending_per_institution[i.institution_id],
            i.institution.lower(),
            -i.score,
            i.normalised_name,
        )
    )
    return RoundQueue(round_label, tuple(items))


def _candidate_rows(db: Database, round_label: str) -> list[dict]:
    if not db["candidates"].exists():
        return []
    return list(
        db.query(
            "SELECT c.id, c.round, c.institution_id, i.name AS institution, c.page_id, c.name,"
            " c.normalised_name, c.snippet, c.b2b, c.score, p.final_url AS page_url"
            " FROM candidates c JOIN institutions i ON i.id = c.institution_id"
            " LEFT JOIN pages p ON p.id = c.page_id"
            " WHERE c.round = ? AND c.decision = 'review' AND c.excluded IS NULL"
            " ORDER BY c.score DESC, c.id",
            [round_label],
        )
    )


def _options(db: Database, candidate_ids: list[int]) -> dict[int, tuple[Option, ...]]:
    found: dict[int, list[Option]] = defaultdict(list)
    if not candidate_ids or not db["candidate_codes"].exists():
        return {}
    marks = ",".join("?" * len(candidate_ids))
    for row in db.query(
        f"SELECT candidate_id, code, score, title FROM candidate_codes "
        f"WHERE candidate_id IN ({marks}) ORDER BY candidate_id, rank",
        candidate_ids,
    ):
        found[row["candidate_id"]].append(Option(row["code"], float(row["score"]), row["title"]))
    # Codes scoring 0 share no word with the name: filler, not a choice (search with `c`/`/`);
    # the first is the matcher's choice (a code named in the trajectory's block) and stays.
    return {
        cid: tuple([o for rank, o in enumerate(opts) if o.score > 0 or rank == 0][:5])
        for cid, opts in found.items()
    }


def _confirmed_institutions(db: Database, round_label: str) -> set[int]:
    """Institutions with at least one offer confirmed by the matcher or an analyst."""
    return {
        row["institution_id"]
        for row in db.query(
            "SELECT DISTINCT institution_id FROM candidate_status "
            "WHERE round = ? AND status = 'confirmed'",
            [round_label],
        )
    }


def _item(
    group: list[dict],
    options: dict[int, tuple[Option, ...]],
    latest: DecisionRecord | None,
    *,
    decisive: bool,
) -> QueueItem:
    best = group[0]  # rows come sorted by score, best first
    return QueueItem(
        candidate_id=best["id"],
        candidate_ids=tuple(r["id"] for r in group),
        round=best["round"],
        institution_id=best["institution_id"],
        institution=best["institution"],
        name=best["name"],
        normalised_name=best["normalised_name"],
        context=best["snippet"] or "",
        page_id=best["page_id"],
        page_url=best["page_url"],
        page_ids=tuple(dict.fromkeys(r["page_id"] for r in group if r["page_id"] is not None)),
        options=options.get(best["id"], ()),
        score=float(best["score"] or 0.0),
        b2b_cue=any(r["b2b"] for r in group),
        latest=latest,
        decisive=decisive,
    )
