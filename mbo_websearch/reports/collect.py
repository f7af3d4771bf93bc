"""Gather a report's inputs from the workspace database (offers, diff, register, health, DUO)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.offers import offers_for_round
from matcher.register import Register
from mbo_websearch.reports.build import ReportInputs
from mbo_websearch.reports.model import HealthRow
from mbo_websearch.reports.store import load_issued, load_potential
from mbo_websearch.review.queue import load_queue
from mbo_websearch.review.spot_check import Estimate, recorded_estimate
from mbo_websearch.rounds import diff_matched_rounds, round_started
from snapshots.store import (
    crawls_for_round,
    institution_funding,
    list_institutions,
    warc_locations,
)

if TYPE_CHECKING:
    from sqlite_utils import Database


def health_rows(db: Database, round_label: str) -> list[HealthRow]:
    """Crawl health of every institution crawled in the round."""
    funded = institution_funding(db)
    return [
        HealthRow(c.institution, funded[c.institution], str(c.health), c.reason, c.pages, c.suspect)
        for c in crawls_for_round(db, round_label)
    ]


def register_source(register: Register) -> str:
    source = register.source or "onbekende bron"
    if register.source == "embedded default":
        source = "ingebouwd standaardregister"
    text = f"{len(register.certificates)} certificaten, {source}"
    if register.as_of:
        text += f" (geldig vanaf {register.as_of})"
    if register.source == "embedded default":
        text += "; onvolledig: importeer een SBB-export (register import)"
    return text


def page_locations(db: Database, rounds: list[str]) -> dict[int, str]:
    """pages.id -> 'warc/<round>/<file>.warc.gz@<offset>' for every archived page of the rounds."""
    return {
        page_id: f"{at.warc_file}@{at.warc_offset}"
        for page_id, at in warc_locations(db, rounds).items()
    }


def spot_check_of(db: Database, round_label: str) -> Estimate | None:
    """Analysts' verdicts on the round's sample of auto-accepted matches, if any."""
    found = recorded_estimate(db, round_label)
    return found if found.judged else None


def collect_inputs(
    db: Database,
    round_label: str,
    compare_label: str | None = None,
    *,
    issued_year: int | None = None,
) -> ReportInputs:
    """Everything the report needs; unknown rounds raise NotFound."""
    started = round_started(db, round_label)
    register = Register.from_db(db, as_of=started[:10])
    offers = offers_for_round(db, round_label)
    health = health_rows(db, round_label)
    crawled = {h.institution: h.funded for h in health}
    if not crawled:
        crawled = institution_funding(db)
    inputs = ReportInputs(
        round_label=round_label,
        offers=offers,
        certificates=list(register.certificates),
        institutions=crawled,
        health=health,
        issued=load_issued(db),
        potential=load_potential(db),
        issued_year=issued_year,
        page_locations=page_locations(db, [r for r in (round_label, compare_label) if r]),
        register_source=register_source(register),
        register_is_default=register.source == "embedded default",
        hosts={i.name: i.hosts for i in list_institutions(db)},
        review_open=len(load_queue(db, round_label).pending),
        spot_check=spot_check_of(db, round_label),
    )
    if compare_label is None:
        return inputs
    compare_started = round_started(db, compare_label)
    compare_register = Register.from_db(db, as_of=compare_started[:10])
    compare = offers_for_round(db, compare_label)
    inputs.compare_label = compare_label
    inputs.compare_offers = compare
    inputs.compare_certificates = list(compare_register.certificates)
    inputs.compare_health = health_rows(db, compare_label)
    inputs.diff_rows = diff_matched_rounds(db, compare_label, round_label)
    return inputs
