"""One page of a review queue: filters (institution, sector, score band, state), their
counts and the progress under them, computed in one pass over the queue's facets."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from mbo_websearch.review.queue import InstitutionProgress, Progress

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbo_websearch.review.queue import QueueItem, RoundQueue

PAGE_SIZE = 20
BANDS = ("hoog", "midden", "laag")  # see queue.score_band
BAND_LABELS = {"hoog": "75 of hoger", "midden": "60 tot 75", "laag": "onder 60"}
STATE_LABELS = {"open": "open", "decided": "beslist", "conflict": "conflict"}


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
    institutions: list[InstitutionProgress]  # every institution, by name, unfiltered
    overall: Progress


def page_of(queue: RoundQueue, chosen: QueueFilter) -> QueuePage:
    """The chosen page under the filters, with each facet's counts under the other filters
    (what choosing that value would show); one pass over the queue, once per queue state."""
    found = queue.pages.get(chosen)
    if found is None:
        found = queue.pages[chosen] = _page_of(queue, chosen)
    assert isinstance(found, QueuePage)
    return found


def _page_of(queue: RoundQueue, chosen: QueueFilter) -> QueuePage:
    want_i, want_s, want_b, want_state = (
        chosen.institution,
        chosen.sector,
        chosen.band,
        chosen.state,
    )

    def selected(iid: int, sector: str, band: str, state: str, decided: bool) -> tuple[bool, ...]:
        return (
            want_i is None or iid == want_i,
            want_s is None or sector == want_s,
            want_b is None or band == want_b,
            want_state is None or state == want_state or (want_state == "decided" and decided),
        )

    by_institution: Counter[object] = Counter()
    by_sector: Counter[object] = Counter()
    by_band: Counter[object] = Counter()
    by_state: Counter[object] = Counter()
    per_institution: dict[int, list[int]] = {}
    matching = done = total = 0
    # Counted over distinct facet combinations (kept up to date per decision), not items.
    for facets, n in queue.facet_counts.items():
        iid, sector, band, state, decided = facets
        seen = per_institution.setdefault(iid, [0, 0])
        seen[0] += n * decided
        seen[1] += n
        in_i, in_s, in_b, in_state = selected(*facets)
        if in_i and in_s and in_b:
            by_state[state] += n
            total += n
            done += n * decided
            matching += n * in_state
        if in_state:
            if in_s and in_b:
                by_institution[iid] += n
            if in_i and in_b:
                by_sector[sector] += n
            if in_i and in_s:
                by_band[band] += n
    pages = max(1, math.ceil(matching / PAGE_SIZE))
    page = min(chosen.page, pages)
    wanted = range((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    items: list[QueueItem] = []
    seen_matches = 0
    for position, facets in enumerate(queue.facets):  # stops at the end of the page
        if all(selected(*facets)):
            if seen_matches in wanted:
                items.append(queue.items[position])
            seen_matches += 1
            if seen_matches >= wanted.stop:
                break
    institutions = sorted(
        (
            InstitutionProgress(iid, queue.first_of(iid).institution, Progress(d, t))
            for iid, (d, t) in per_institution.items()
        ),
        key=lambda row: row.institution.lower(),
    )
    return QueuePage(
        items=items,
        matching=matching,
        pages=pages,
        progress=Progress(done, total),
        counts={
            "institution": by_institution,
            "sector": by_sector,
            "band": by_band,
            "state": by_state,
        },
        institutions=institutions,
        overall=Progress(sum(row.progress.done for row in institutions), len(queue.items)),
    )
