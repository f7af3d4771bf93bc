"""What a review card shows besides the name: the best page, every page of the name, the
matcher's explanation, last round's decision and the register facts of each option."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher import store
from matcher.config import MatchConfig
from matcher.decisions import decisions_for_round
from mbo_websearch.review.explain import explain
from snapshots import store as snapshots_store

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Register
    from matcher.store import DecisionRecord, NameEvidence
    from mbo_websearch.review.queue import QueueItem

PAGE_KIND_LABELS = {"detail": "cursuspagina", "listing": "overzicht", "pdf": "pdf"}


@dataclass(frozen=True)
class OptionFacts:
    """A ranked code with its register facts and its score against the thresholds."""

    code: str
    title: str
    score: float
    type: str
    sector: str | None
    level: str | None
    sbu: int | None
    qualification: str | None
    band: str  # auto | review | laag: where the score falls against the thresholds


@dataclass(frozen=True)
class CardEvidence:
    best: NameEvidence | None
    pages: list[NameEvidence]
    explanation: list[str]
    warnings: list[str]
    previous_round: str | None
    previous: DecisionRecord | None
    options: list[OptionFacts]
    auto_at: float
    review_at: float


def previous_round(db: Database, round_label: str) -> str | None:
    """The round started just before `round_label`, if any."""
    labels = [r.label for r in snapshots_store.rounds_newest_first(db)]
    at = labels.index(round_label) if round_label in labels else -1
    return labels[at + 1] if 0 <= at < len(labels) - 1 else None


def card_evidence(
    db: Database,
    register: Register,
    item: QueueItem,
    *,
    before: str | None,
    config: MatchConfig | None = None,
) -> CardEvidence:
    config = config or MatchConfig()
    pages = store.name_evidence(db, item.round, item.institution_id, item.normalised_name)
    best = pages[0] if pages else None
    review = next((p for p in pages if p.candidate_id == item.candidate_id), best)
    lines, warnings = explain(review.explanation if review else None)
    for other in pages:  # a guard that failed on any page of the name is worth a look
        warnings.extend(w for w in explain(other.explanation)[1] if w not in warnings)
    previous = (
        decisions_for_round(db, before, key=item.key).get(item.key) if before is not None else None
    )
    options = []
    for option in item.options:
        cert = register.get(option.code)
        options.append(
            OptionFacts(
                code=option.code,
                title=option.title,
                score=option.score,
                type=str(cert.type) if cert else "",
                sector=cert.sector if cert else None,
                level=cert.level if cert else None,
                sbu=cert.sbu if cert else None,
                qualification=cert.qualification if cert else None,
                band="auto"
                if option.score >= config.auto_accept_at_score
                else "review"
                if option.score >= config.review_at_score
                else "laag",
            )
        )
    return CardEvidence(
        best=best,
        pages=pages,
        explanation=lines,
        warnings=warnings,
        previous_round=before,
        previous=previous,
        options=options,
        auto_at=config.auto_accept_at_score,
        review_at=config.review_at_score,
    )
