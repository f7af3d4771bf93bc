"""The review queue of a round: candidates awaiting an analyst, grouped and ordered by impact.

A queue item is one (institution, normalised name) of a round that the matcher routed to
review: the same name found on several pages of one institution is decided once. Items whose
institution has no confirmed offer yet come first, because their decision settles whether
that institution offers a certificate at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from matcher import store
from matcher.decisions import NO_CERTIFICATE, DecisionRecord, decisions_for_round
from matcher.register import Register
from matcher.store import ReviewCandidate
from snapshots import store as snapshots_store

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
    sector: str | None = None  # the best-ranked code's sector
    conflict: bool = False  # the decision in force overruled another analyst's

    @property
    def key(self) -> Key:
        return (self.institution_id, self.normalised_name)

    @property
    def decided(self) -> bool:
        return self.latest is not None

    @property
    def state(self) -> str:
        """open | decided | conflict (the filter values of the queue page)."""
        if self.conflict:
            return "conflict"
        return "decided" if self.decided else "open"


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
    """Every review item of a round in a stable order: identical names (normalised) at
    several institutions are adjacent, so that they are decided together."""

    round: str
    items: tuple[QueueItem, ...]
    _index: dict[Key, int] = field(init=False, repr=False, compare=False)
    _groups: dict[str, tuple[Key, ...]] = field(init=False, repr=False, compare=False)
    _by_institution: dict[int, tuple[Key, ...]] = field(init=False, repr=False, compare=False)
    facets: list[Facets] = field(init=False, repr=False, compare=False)
    facet_counts: Counter[Facets] = field(init=False, repr=False, compare=False)
    pages: dict[object, object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {item.key: n for n, item in enumerate(self.items)}
        groups: dict[str, list[Key]] = defaultdict(list)
        by_institution: dict[int, list[Key]] = defaultdict(list)
        for item in self.items:  # one pass: grouping by name, never item against item
            groups[item.normalised_name].append(item.key)
            by_institution[item.institution_id].append(item.key)
        object.__setattr__(
            self, "_by_institution", {k: tuple(v) for k, v in by_institution.items()}
        )
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_groups", {k: tuple(v) for k, v in groups.items()})
        object.__setattr__(self, "facets", [facets_of(item) for item in self.items])
        object.__setattr__(self, "facet_counts", Counter(self.facets))
        object.__setattr__(self, "pages", {})  # filter -> computed page (see queue_view)

    @property
    def pending(self) -> list[QueueItem]:
        return [item for item in self.items if not item.decided]

    @property
    def progress(self) -> Progress:
        return Progress(sum(f.decided for f in self.facets), len(self.items))

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
        position = self._index.get(key)
        return None if position is None else self.items[position]

    def first_of(self, institution_id: int) -> QueueItem:
        return self.items[self._index[self._by_institution[institution_id][0]]]

    def of_institution(self, institution_id: int) -> list[QueueItem]:
        return [
            self.items[self._index[key]] for key in self._by_institution.get(institution_id, ())
        ]

    def identical(self, item: QueueItem) -> list[QueueItem]:
        """Other items of this round with the same normalised name (other institutions)."""
        return [
            self.items[self._index[key]]
            for key in self._groups.get(item.normalised_name, ())
            if key != item.key
        ]

    def replaced(self, updates: dict[Key, QueueItem]) -> RoundQueue:
        """The same queue, in the same order, with these items replaced."""
        if not updates:
            return self
        new = object.__new__(RoundQueue)
        items = list(self.items)
        facets = list(self.facets)
        counts = self.facet_counts.copy()  # a few hundred distinct facet tuples, not items
        for key, item in updates.items():
            position = self._index[key]
            items[position] = item
            counts[facets[position]] -= 1
            facets[position] = facets_of(item)
            counts[facets[position]] += 1
        # The order and the keys do not change: the index and the groups are shared.
        for name, value in (
            ("round", self.round),
            ("items", tuple(items)),
            ("_index", self._index),
            ("_groups", self._groups),
            ("_by_institution", self._by_institution),
            ("facets", facets),
            ("facet_counts", +counts),
            ("pages", {}),
        ):
            object.__setattr__(new, name, value)
        return new


class Facets(NamedTuple):
    """What the queue page filters and counts an item by."""

    institution_id: int
    sector: str
    band: str
    state: str
    decided: bool


NO_SECTOR = "(geen sector)"
# Score bands against the matcher's thresholds (review from 60, auto from 85).
BAND_FLOORS = {"hoog": 75.0, "midden": 60.0}


def score_band(score: float) -> str:
    """hoog | midden | laag."""
    if score >= BAND_FLOORS["hoog"]:
        return "hoog"
    return "midden" if score >= BAND_FLOORS["midden"] else "laag"


def facets_of(item: QueueItem) -> Facets:
    return Facets(
        item.institution_id,
        item.sector or NO_SECTOR,
        score_band(item.score),
        item.state,
        item.decided,
    )


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
    return store.decision_by_id(db, decision_id)


def rounds(db: Database) -> list[str]:
    """Round labels, newest first."""
    return [r.label for r in snapshots_store.rounds_newest_first(db)]


def load_queue(db: Database, round_label: str) -> RoundQueue:
    """Every review item of the round (decided or not), in a stable order.

    Names are grouped across institutions (one pass over the rows); a group comes first when
    one of its institutions has no confirmed offer yet (its decision settles whether that
    institution offers a certificate at all), then by best score, then by name. The order
    depends on the candidates and not on decisions, so it holds while analysts work.
    """
    rows = store.review_candidates(db, round_label)
    options = _options(db, [r.id for r in rows])
    latest = decisions_for_round(db, round_label)
    superseded = store.decisions_by_ids(db, (d.supersedes for d in latest.values() if d.supersedes))
    confirmed = store.institutions_with_confirmed_offers(db, round_label)
    sectors = _sectors(db)
    groups: dict[Key, list[ReviewCandidate]] = defaultdict(list)
    for row in rows:
        groups[(row.institution_id, row.normalised_name)].append(row)
    items = [
        _item(
            group,
            options,
            latest.get(key),
            decisive=key[0] not in confirmed,
            sectors=sectors,
            superseded=superseded,
        )
        for key, group in groups.items()
    ]
    return RoundQueue(round_label, tuple(_stable_order(items)))


def refreshed_items(db: Database, queue: RoundQueue, keys: set[Key]) -> dict[Key, QueueItem]:
    """The items of `keys` with their decision and decisiveness read again (after a change)."""
    items = [item for key in keys if (item := queue.find(key)) is not None]
    if not items:
        return {}
    confirmed = store.confirmed_among(db, queue.round, {i.institution_id for i in items})
    updated: dict[Key, QueueItem] = {}
    for item in items:
        latest = latest_decision(db, queue.round, item.key)
        superseded = store.decisions_by_ids(
            db, [latest.supersedes] if latest and latest.supersedes else []
        )
        updated[item.key] = replace(
            item,
            latest=latest,
            conflict=_overrules(latest, superseded),
            decisive=item.institution_id not in confirmed,
        )
    # Decisiveness is per institution: other items of a touched institution change with it.
    touched = {i.institution_id for i in items}
    for other in (o for iid in touched for o in queue.of_institution(iid)):
        if other.key not in updated:
            decisive = other.institution_id not in confirmed
            if decisive != other.decisive:
                updated[other.key] = replace(other, decisive=decisive)
    return updated


def _stable_order(items: list[QueueItem]) -> list[QueueItem]:
    by_name: dict[str, list[QueueItem]] = defaultdict(list)
    for item in items:
        by_name[item.normalised_name].append(item)
    groups = sorted(
        by_name.values(),
        key=lambda g: (
            not any(i.decisive for i in g),
            -max(i.score for i in g),
            g[0].normalised_name,
        ),
    )
    ordered: list[QueueItem] = []
    for group in groups:
        ordered.extend(sorted(group, key=lambda i: (not i.decisive, i.institution.lower())))
    return ordered


def _overrules(latest: DecisionRecord | None, superseded: dict[int, DecisionRecord]) -> bool:
    """The decision in force replaced another analyst's with a different code."""
    if latest is None or latest.supersedes is None:
        return False
    before = superseded.get(latest.supersedes)
    return (
        before is not None
        and not before.withdrawn
        and before.reviewer != latest.reviewer
        and before.code != latest.code
    )


def _sectors(db: Database) -> dict[str, str | None]:
    return {c.code: c.sector for c in Register.from_db(db).certificates}


def _options(db: Database, candidate_ids: list[int]) -> dict[int, tuple[Option, ...]]:
    found = {
        cid: [Option(r.code, r.score, r.title) for r in ranked]
        for cid, ranked in store.ranked_codes(db, candidate_ids).items()
    }
    # Codes scoring 0 share no word with the name: filler, not a choice (search with `c`/`/`);
    # the first is the matcher's choice (a code named in the trajectory's block) and stays.
    return {
        cid: tuple([o for rank, o in enumerate(opts) if o.score > 0 or rank == 0][:5])
        for cid, opts in found.items()
    }


def _item(
    group: list[ReviewCandidate],
    options: dict[int, tuple[Option, ...]],
    latest: DecisionRecord | None,
    *,
    decisive: bool,
    sectors: dict[str, str | None],
    superseded: dict[int, DecisionRecord],
) -> QueueItem:
    best = group[0]  # rows come sorted by score, best first
    item_options = options.get(best.id, ())
    return QueueItem(
        candidate_id=best.id,
        candidate_ids=tuple(r.id for r in group),
        round=best.round,
        institution_id=best.institution_id,
        institution=best.institution,
        name=best.name,
        normalised_name=best.normalised_name,
        context=best.snippet or "",
        page_id=best.page_id,
        page_url=best.page_url,
        page_ids=tuple(dict.fromkeys(r.page_id for r in group if r.page_id is not None)),
        options=item_options,
        score=best.score,
        b2b_cue=any(r.b2b for r in group),
        latest=latest,
        decisive=decisive,
        sector=sectors.get(item_options[0].code) if item_options else None,
        conflict=_overrules(latest, superseded),
    )
