"""Round-level operations that join matcher offers with snapshots' diff engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.offers import match_is_current, match_round, offers_for_round
from matcher.register import Register
from snapshots.diff import DiffRow, OfferKey, diff_offers
from snapshots.errors import NotFound

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


def require_round(db: Database, label: str) -> None:
    if not list(db["rounds"].rows_where("label = ?", [label])):
        known = ", ".join(r["label"] for r in db["rounds"].rows_where(order_by="started_at"))
        raise NotFound(f"no round {label!r} in this workspace (rounds: {known or 'none'})")


def ensure_matched(workspace: Workspace, db: Database, round_label: str) -> bool:
    """Match the round's archived pages unless the stored match is current; True if it ran."""
    require_round(db, round_label)
    if match_is_current(db, round_label):
        return False
    match_round(workspace, db, round_label)
    return True


def diff_rounds(
    workspace: Workspace, db: Database, old_round: str, new_round: str
) -> list[DiffRow]:
    """Diff the offers (confirmed and awaiting review) of two rounds, matching them if needed."""
    ensure_matched(workspace, db, old_round)
    ensure_matched(workspace, db, new_round)

    register = Register.from_db(db)

    def certificate_code(code: str) -> str:
        # a certificate with two codes (K0511/K1257) is one offer, whichever code a page shows
        certificate = register.get(code)
        return certificate.code if certificate else code

    def keys(label: str) -> list[OfferKey]:
        return [
            OfferKey(o.institution_id, certificate_code(o.code), o.evidence_url)
            for o in offers_for_round(db, label)
        ]

    return diff_offers(db, old_round, new_round, keys(old_round), keys(new_round))
