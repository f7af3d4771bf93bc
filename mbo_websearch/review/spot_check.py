"""Spot checks of auto-accepted matches: a seeded random sample per round put in front of
analysts; their verdicts (decisions in the log, like every label) estimate auto precision.

A verdict is an ordinary decision: "juist" appends the matcher's own code, "onjuist" another
code or none. So the estimate reads the decision log (as the evaluation does) and a verdict
also corrects the offer it is about.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher import store
from matcher.decisions import NO_CERTIFICATE, decisions_for_round, record_decision
from snapshots.errors import InputError

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Register
    from matcher.store import AutoMatch, DecisionRecord

DEFAULT_SIZE = 20
DEFAULT_SEED = 2026
VERDICT_NOTE = "steekproef: "  # how a verdict is told apart from other decisions in the log


@dataclass(frozen=True)
class Checked:
    match: AutoMatch
    verdict: DecisionRecord | None  # the decision in force for the name, if any

    @property
    def correct(self) -> bool | None:
        return None if self.verdict is None else self.verdict.code == self.match.code


@dataclass(frozen=True)
class Estimate:
    correct: int
    judged: int
    low: float  # 95 % Wilson interval, 0-1
    high: float

    @property
    def precision(self) -> float | None:
        return self.correct / self.judged if self.judged else None


def wilson(correct: int, judged: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95 % for z = 1.96)."""
    if judged == 0:
        return 0.0, 1.0
    p = correct / judged
    denominator = 1 + z * z / judged
    centre = (p + z * z / (2 * judged)) / denominator
    margin = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def sample(
    db: Database, round_label: str, *, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED
) -> list[Checked]:
    """The round's sample (the same for the same seed, size and matches), with verdicts."""
    matches = store.auto_matches(db, round_label)
    chosen = random.Random(f"{seed}:{round_label}").sample(matches, min(size, len(matches)))
    in_force = decisions_for_round(db, round_label)
    return [Checked(m, in_force.get((m.institution_id, m.normalised_name))) for m in chosen]


def estimate(checked: list[Checked]) -> Estimate:
    judged = [c for c in checked if c.correct is not None]
    correct = sum(1 for c in judged if c.correct)
    low, high = wilson(correct, len(judged))
    return Estimate(correct, len(judged), low, high)


def recorded_estimate(db: Database, round_label: str) -> Estimate:
    """The estimate from every spot-check verdict in force for the round's auto-accepted
    names, whichever sample (size, seed) put them in front of the analyst: what the report
    shows. A later ordinary decision on the name replaces the verdict and is not counted."""
    in_force = decisions_for_round(db, round_label)
    checked = [
        Checked(match, verdict)
        for match in store.auto_matches(db, round_label)
        if (verdict := in_force.get((match.institution_id, match.normalised_name))) is not None
        and verdict.round == round_label
        and (verdict.note or "").startswith(VERDICT_NOTE)
    ]
    return estimate(checked)


class VerdictError(ValueError):
    """The verdict cannot be recorded (not in the sample, unknown code); message in Dutch."""


def record_verdict(
    db: Database,
    round_label: str,
    key: tuple[int, str],
    *,
    correct: bool,
    code: str | None,
    reviewer: str,
    register: Register,
) -> DecisionRecord:
    """Append the verdict as a decision: the matcher's code when correct, else `code` (none
    when empty). It supersedes the name's latest decision row, if any."""
    match = next(
        (
            m
            for m in store.auto_matches(db, round_label)
            if (m.institution_id, m.normalised_name) == key
        ),
        None,
    )
    if match is None:
        raise VerdictError("Deze naam is in deze ronde niet automatisch geaccepteerd.")
    if not correct and code and register.get(code) is None:
        raise VerdictError(f"Onbekende code: {code!r} staat niet in het register.")
    chosen = match.code if correct else (code or NO_CERTIFICATE)
    if not correct and chosen == match.code:
        raise VerdictError("Onjuist met dezelfde code: kies een andere code of laat het veld leeg.")
    with store.write_transaction(db):
        latest = decisions_for_round(db, round_label, include_withdrawn=True, key=key).get(key)
        try:
            return record_decision(
                db,
                round=round_label,
                institution_id=key[0],
                normalised_name=key[1],
                code=chosen,
                b2b_only=None,
                note=VERDICT_NOTE + ("juist" if correct else "onjuist"),
                reviewer=reviewer,
                supersedes=latest.id if latest else None,
            )
        except InputError as error:
            raise VerdictError(f"Ongeldige code: {chosen!r}.") from error
