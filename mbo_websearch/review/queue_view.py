"""One page of a review queue: filters (institution, sector, score band, state), their
counts and the progress under them, computed in one pass over the queue."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbo_websearch.review.queue import Progress, QueueItem, RoundQueue

PAGE_SIZE = 20

# Score bands against the matcher's thresholds (review from 60, auto from 85).
BANDS = {"hoog": (75.0, math.inf), "midden": (60.0, 75.0), "laag": (-math.inf, 60.0)}
BAND_LABELS = {"hoog": "75 of hoger", "midden": "60 tot 75", "laag": "onder 60"}
STATE_LABELS = {"open": "open", "decided": "beslist", "conflict": "conflict"}
NO_SECTOR = "(geen sector)"
FILTER_PARAMS = ("instelling", "sector", "score", "staat")


def band_of(score: float) -> str:
    return next(name for name, (low, high) in BANDS.items() if low <= score < high)


@dataclass(frozen=True)
class QueueFilter:
    institution: int | None = None
    sector: str | None = None
    band: str | None = None
    state: str | None = "open"  # None: every state
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> QueueFilter:
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        state: str | None = params.get("staat", "open")
        if params.get("alles") == "1" or state == "alle":
            state = None
        elif state not in STATE_LABELS:
            state = "open"
        return cls(
            institution=number("instelling"),
            sector=params.get("sector") or None,
            band=params.get("score") if params.get("score") in BANDS else None,
            state=state,
            page=max(1, number("pagina") or 1),
        )

    def as_query(self, **changes: object) -> str:
        """This filter as a query string, with `changes` (None drops a parameter)."""
        values: dict[str, object] = {
            "instelling": self.institution,
            "sector": self.sector,
            "score": self.band,
            "staat": "alle" if self.state is None else None if self.state == "open" else self.state,
            "pagina": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v is not None})


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    matching: int  # items under all filters
    pages: int
    progress: Progress  # decided / total under the filters other than state
    counts: dict[str, Counter[object]]  # facet -> value -> items under the other filters
    institutions: dict[int, str]


def _facets(item: QueueItem) -> dict[str, object]:
    return {
        "institution": item.institution_id,
        "sector": item.sector or NO_SECTOR,
        "band": band_of(item.score),
        "state": item.state,
    }


def _matches(item_facets: dict[str, object], wanted: dict[str, object], skip: str) -> bool:
    return all(item_facets[f] == v for f, v in wanted.items() if f != skip)


def page_of(queue: RoundQueue, chosen: QueueFilter) -> QueuePage:
    from mbo_websearch.review.queue import Progress

    wanted: dict[str, object] = {
        f: v
        for f, v in (
            ("institution", chosen.institution),
            ("sector", chosen.sector),
            ("band", chosen.band),
        )
        if v is not None
    }
    state_wanted = chosen.state
    counts: dict[str, Counter[object]] = {f: Counter() for f in ("institution", "sector", "band")}
    counts["state"] = Counter()
    institutions: dict[int, str] = {}
    matched: list[QueueItem] = []
    done = total = 0
    for item in queue.items:
        facets = _facets(item)
        institutions[item.institution_id] = item.institution
        in_others = _matches(facets, wanted, skip="")
        if in_others:
            counts["state"][facets["state"]] += 1
            total += 1
            done += item.decided
            if state_wanted is None or _state_matches(item, state_wanted):
                matched.append(item)
        for facet in ("institution", "sector", "band"):
            if _matches(facets, wanted, skip=facet) and (
                state_wanted is None or _state_matches(item, state_wanted)
            ):
                counts[facet][facets[facet]] += 1
    pages = max(1, math.ceil(len(matched) / PAGE_SIZE))
    page = min(chosen.page, pages)
    return QueuePage(
        items=matched[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        matching=len(matched),
        pages=pages,
        progress=Progress(done, total),
        counts=counts,
        institutions=dict(sorted(institutions.items(), key=lambda kv: kv[1].lower())),
    )


def _state_matches(item: QueueItem, state: str) -> bool:
    if state == "decided":
        return item.decided
    return item.state == state
