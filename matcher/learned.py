"""Learned aliases: what analysts decided about a name, reused for every institution.

An analyst's decision "this name at institution X is K0905" (or "geen certificaattraject")
teaches the matcher that name: in later rounds the ladder level `learned_name` routes the same
normalised name at any institution to that code (auto) or to none, explained as "geleerd uit
beslissing van <analist>, <datum>".

Conflicts are resolved by unanimity (the `learned_aliases` view): a name is learned only while
every decision in force on it, across institutions, names the same code. A later decision with
another code, or the withdrawal of the only source decision, takes the alias back. Decisions
for the name's own institution still win (they are applied on top, per institution).

Only decisions of earlier rounds teach (a decision in force in the round itself may confirm
or contradict, not teach), so agreeing or new decisions in a round never make that round's
match stale; `learned_state` tells a match run of a later round that it must be redone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher import store

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Certificate, Register

NO_CERTIFICATE = "none"
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class LearnedName:
    """What the ladder needs: the certificate (None: learned negative) and why."""

    cert: Certificate | None
    explanation: str


def dutch_date(iso: str) -> str:
    """ "2026-11-30T12:00:00+00:00" -> "30 november 2026"."""
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def explain(alias: store.LearnedAlias) -> str:
    """The analyst-readable source of a learned alias."""
    return f"geleerd uit beslissing van {alias.reviewer}, {dutch_date(alias.decided_at)}"


def learned_names(db: Database, round_label: str, register: Register) -> dict[str, LearnedName]:
    """normalised name -> what analysts taught about it, for matching `round_label`.

    An alias whose code is not in `register` (withdrawn from the register) is left out.
    """
    learned: dict[str, LearnedName] = {}
    for alias in store.learned_aliases(db, round_label):
        if alias.code == NO_CERTIFICATE:
            learned[alias.normalised_name] = LearnedName(None, explain(alias))
        elif (cert := register.get(alias.code)) is not None:
            learned[alias.normalised_name] = LearnedName(cert, explain(alias))
    return learned


def learned_state(db: Database, round_label: str) -> str:
    """A digest of the learned aliases for a round ("" when none): a match run stores it, and
    a run whose digest differs from today's is stale."""
    aliases = store.learned_aliases(db, round_label)
    if not aliases:
        return ""
    text = "\n".join(f"{a.normalised_name}\t{a.code}\t{a.decision_id}" for a in aliases)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
