"""Offline checks: every offer that went offline between the previous round and this one,
with last round's archived page beside this round's nearest page, and the analyst's verdict
(confirmed offline, or still offered at a URL), which `diff` and the report then use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from matcher import store as matcher_store
from mbo_websearch.review.evidence import previous_round
from mbo_websearch.review.text_diff import LineChange, main_text, plain_lines, text_changes
from mbo_websearch.rounds import diff_rounds
from snapshots import store as snapshots_store
from snapshots.diff import Change, DiffRow
from snapshots.index import get_page, read_archived
from snapshots.payload import decode_html, is_pdf, pdf_text

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.store import OfflineCheck
    from snapshots.workspace import Workspace

OFFLINE = "offline"
STILL_OFFERED = "still_offered"
STATE_LABELS = {"open": "open", OFFLINE: "bevestigd offline", STILL_OFFERED: "nog aangeboden"}


class OfflineCheckError(ValueError):
    """The verdict cannot be recorded; the message is Dutch, for the analyst."""


@dataclass(frozen=True)
class OfflineItem:
    row: DiffRow
    check: OfflineCheck | None  # the verdict in force, if any

    @property
    def state(self) -> str:
        return self.check.verdict if self.check else "open"


@dataclass(frozen=True)
class RoundChecks:
    round: str
    previous: str | None
    items: list[OfflineItem]

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(item.state for item in self.items)
        return {state: tally.get(state, 0) for state in STATE_LABELS}

    def find(self, institution_id: int, code: str) -> OfflineItem | None:
        return next(
            (i for i in self.items if (i.row.institution_id, i.row.code) == (institution_id, code)),
            None,
        )


@dataclass(frozen=True)
class NearestPage:
    page_id: int
    url: str
    how: str  # Dutch: how it was found


def round_checks(workspace: Workspace, db: Database, round_label: str) -> RoundChecks:
    """The offers of the previous round missing in this one (after an ok crawl, or flagged
    for review), with the verdicts recorded on them; rows a verdict turned into `unchanged`
    stay on the list."""
    previous = previous_round(db, round_label)
    if previous is None:
        return RoundChecks(round_label, None, [])
    checks = snapshots_store.offline_checks_in_force(db, round_label)
    items = [
        OfflineItem(row, checks.get((row.institution_id, row.code)))
        for row in diff_rounds(workspace, db, previous, round_label)
        if row.change is Change.offline or row.review or row.checked
    ]
    return RoundChecks(round_label, previous, items)


def archived_page(db: Database, round_label: str, url: str | None) -> int | None:
    """The round's archived page fetched at, or redirected from, `url`."""
    if not url:
        return None
    return snapshots_store.archived_pages_by_url(db, round_label, [url]).get(url)


def nearest_page(
    db: Database, round_label: str, institution_id: int, old_url: str | None
) -> NearestPage | None:
    """This round's page nearest to last round's: the same URL, where it now redirects, the
    institution's listing page, or else the first page of its crawl."""
    found = archived_page(db, round_label, old_url)
    if found is not None:
        page = get_page(db, found)
        how = "zelfde adres" if page.final_url == old_url else "doorverwezen naar"
        return NearestPage(page.id, page.final_url, how)
    listings = matcher_store.listing_page_ids(db, round_label, institution_id)
    if listings:
        page = get_page(db, listings[0])
        return NearestPage(page.id, page.final_url, "overzichtspagina van de instelling")
    pages = snapshots_store.pages_for_round(db, round_label, institution_id=institution_id)
    page_ok = next((p for p in pages if p.status and 200 <= p.status < 300), None)
    if page_ok is None:
        return None
    return NearestPage(page_ok.id, page_ok.final_url, "eerste pagina van de crawl")


def page_lines(workspace: Workspace, db: Database, page_id: int | None) -> list[str]:
    """The main text of an archived page (a PDF's text), one line per block."""
    if page_id is None:
        return []
    page = get_page(db, page_id)
    archived = read_archived(workspace, db, page)
    if is_pdf(archived.payload, page.content_type):
        return plain_lines(pdf_text(archived.payload) or "")
    return main_text(decode_html(archived.payload, archived.content_type).text)


def compare_pages(
    workspace: Workspace, db: Database, old_page: int | None, new_page: int | None
) -> list[LineChange]:
    return text_changes(page_lines(workspace, db, old_page), page_lines(workspace, db, new_page))


def record_check(
    db: Database,
    checks: RoundChecks,
    institution_id: int,
    code: str,
    *,
    verdict: str,
    offered_at: str | None,
    reviewer: str,
    note: str | None = None,
) -> OfflineCheck:
    """Append the analyst's verdict on an offer of the list (it supersedes an earlier one)."""
    item = checks.find(institution_id, code)
    if item is None or checks.previous is None:
        raise OfflineCheckError(f"{code} staat in ronde {checks.round} niet op de offline-lijst.")
    url = (offered_at or "").strip()
    if verdict == STILL_OFFERED:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OfflineCheckError(
                "Vul het adres (http:// of https://) in waar het traject nog wordt aangeboden."
            )
    elif verdict != OFFLINE:
        raise OfflineCheckError(f"Onbekend oordeel: {verdict!r}.")
    return snapshots_store.insert_offline_check(
        db,
        round=checks.round,
        compared_with=checks.previous,
        institution_id=institution_id,
        code=code,
        verdict=verdict,
        offered_at=url if verdict == STILL_OFFERED else None,
        note=(note or "").strip() or None,
        reviewer=reviewer,
        decided_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
