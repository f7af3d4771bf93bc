"""Round-level operations that join matcher offers with snapshots' diff engine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from matcher.learned import learned_state
from matcher.offers import MatchRunResult, match_is_current, match_round, offers_for_round
from matcher.register import Register
from matcher.store import last_match_run
from snapshots.diff import DiffRow, OfferKey, diff_offers
from snapshots.errors import InputError, NotFound
from snapshots.store import get_round, list_rounds

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.offers import Offer
    from snapshots.workspace import Workspace


def round_started(db: Database, label: str) -> str:
    """When the round started; an unknown round raises NotFound naming the known ones."""
    found = get_round(db, label)
    if found is None:
        known = ", ".join(r.label for r in list_rounds(db))
        raise NotFound(f"unknown round {label!r}; known rounds: {known or 'none (crawl first)'}")
    return found.started_at


def check_pair(db: Database, old_round: str, new_round: str) -> str | None:
    """Two rounds to compare: the same round twice is bad input; a note (returned) when the
    old round started after the new one."""
    if old_round == new_round:
        raise InputError.single(
            "OLD/NEW", 0, "round", f"compare two different rounds, not {old_round} with itself"
        )
    if round_started(db, old_round) > round_started(db, new_round):
        return (
            f"note: {old_round} started after {new_round}: this diff runs backwards in "
            f"time (mbo-websearch diff {new_round} {old_round})"
        )
    return None


def ensure_matched(workspace: Workspace, db: Database, labels: list[str]) -> list[MatchRunResult]:
    """Match the rounds whose archived pages were not matched yet (or changed since)."""
    for label in labels:
        round_started(db, label)  # unknown round: NotFound before any work
    return [
        match_round(workspace, db, label) for label in labels if not match_is_current(db, label)
    ]


def ensure_reviewable(workspace: Workspace, db: Database, label: str) -> MatchRunResult | None:
    """Before a review: match a round that was crawled but never matched, so its queue is not
    silently empty, and one matched before analysts' decisions in earlier rounds taught the
    matcher new names (matcher.learned). Otherwise the round is left as it is (`offers`
    re-matches it when pages were added)."""
    run = last_match_run(db, label)
    if run is not None and (run.learned or "") == learned_state(db, label):
        return None
    return match_round(workspace, db, label)


def offer_keys(offers: Iterable[Offer], register: Register) -> list[OfferKey]:
    """What a diff compares: every offer found (confirmed or awaiting review, b2b-only
    included, LNV legal certificates left out), a certificate with two codes as one code."""
    keys = []
    for offer in offers:
        certificate = register.get(offer.code)
        if certificate is not None and certificate.lnv:
            continue
        code = certificate.code if certificate else offer.code
        keys.append(OfferKey(offer.institution_id, code, offer.evidence_url, offer.status))
    return keys


def diff_matched_rounds(db: Database, old_round: str, new_round: str) -> list[DiffRow]:
    """Diff two rounds that are already matched, against the latest register."""
    register = Register.from_db(db)
    old = offer_keys(offers_for_round(db, old_round), register)
    new = offer_keys(offers_for_round(db, new_round), register)
    return diff_offers(db, old_round, new_round, old, new)


def diff_rounds(
    workspace: Workspace, db: Database, old_round: str, new_round: str
) -> list[DiffRow]:
    """Diff the offers of two rounds, matching them first when needed."""
    ensure_matched(workspace, db, [old_round, new_round])
    return diff_matched_rounds(db, old_round, new_round)
