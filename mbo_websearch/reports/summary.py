"""The report's headline sentences and warnings (Dutch), each naming what it counts.

The figures reconcile: the diff compares every offer found (awaiting review and b2b-only
included, LNV left out), the tables count only findable offers, so the summary puts findable,
awaiting review, b2b-only and LNV side by side and breaks "nieuw online" down into them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.vocabulary import OfferStatus
from mbo_websearch.reports.model import DiffRowLike, HealthRow, OfferLike, Table
from mbo_websearch.reports.tables import Lookup, is_lnv, is_unknown, offer_code
from mbo_websearch.review.spot_check import Estimate

COUNTED = "bevestigd, open voor individuele inschrijving, geen LNV-certificaat"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Kinds:
    """Every offer of a round sorted into exactly one of the four kinds the report shows."""

    findable: int
    review: int
    b2b_only: int
    lnv: int


def kind_of(offer: OfferLike, lookup: Lookup) -> str:
    if is_lnv(offer, lookup):
        return "lnv"
    if offer.status == OfferStatus.review:
        return "review"
    if offer.b2b_only:
        return "b2b_only"
    return "findable"


def kinds(offers: Sequence[OfferLike], lookup: Lookup) -> Kinds:
    """One per (institution, certificate), the first kind found winning in the order above."""
    seen: dict[tuple[str, str], str] = {}
    order = ("findable", "b2b_only", "review", "lnv")
    for offer in offers:
        key = (offer.institution, offer_code(offer, lookup))
        kind = kind_of(offer, lookup)
        if key not in seen or order.index(kind) < order.index(seen[key]):
            seen[key] = kind
    tally = Counter(seen.values())
    return Kinds(tally["findable"], tally["review"], tally["b2b_only"], tally["lnv"])


def side_by_side(round_label: str, found: Kinds, *, review_open: int = 0) -> str:
    queue = (
        f" In de reviewwachtrij staan nog {plural(review_open, 'naam', 'namen')} zonder "
        "beslissing (ook namen waarvan de instelling het certificaat al vindbaar aanbiedt)."
        if review_open
        else ""
    )
    return (
        f"Naast elkaar in {round_label}: {found.findable} vindbaar (meegeteld), "
        f"{found.review} nog te beoordelen, {found.b2b_only} alleen via werkgever en "
        f"{plural(found.lnv, 'LNV-certificaat', 'LNV-certificaten')}; de laatste drie "
        "worden niet meegeteld in de tabellen." + queue
    )


def new_online_breakdown(
    rows: Sequence[DiffRowLike], offers: Sequence[OfferLike], lookup: Lookup
) -> str:
    """Why "nieuw online" differs from the findable count: the diff counts every offer found."""
    kind = {(o.institution, offer_code(o, lookup)): kind_of(o, lookup) for o in offers}
    new = [r for r in rows if str(r.change) == "online"]
    tally = Counter(kind.get((r.institution, r.code), "findable") for r in new)
    return (
        f"De vergelijking telt al het gevonden aanbod per instelling en certificaat: van de "
        f"{len(new)} nieuw online zijn er {tally['findable']} vindbaar, {tally['review']} nog "
        f"te beoordelen en {tally['b2b_only']} alleen via werkgever."
    )


def headline(round_label: str, counted: Sequence[OfferLike]) -> str:
    institutions = len({o.institution for o in counted})
    return (
        f"Ronde {round_label}: "
        + plural(len(counted), "vindbaar certificaattraject", "vindbare certificaattrajecten")
        + " bij "
        + plural(institutions, "instelling", "instellingen")
        + f" (vindbaar: {COUNTED})."
    )


def unknown_line(unknown: int) -> list[str]:
    if not unknown:
        return []
    return [
        f"Bij {plural(unknown, 'instelling', 'instellingen')} was de crawl niet in orde: "
        + ("haar" if unknown == 1 else "hun")
        + " aanbod is onbekend (niet als 0 geteld); de aantallen zijn een ondergrens."
    ]


def change_line(changed: Table | None, compare_label: str | None) -> list[str]:
    if changed is None:
        return []

    def total(column: str) -> int:
        index = changed.columns.index(column)
        return sum(int(r[index] or 0) for r in changed.rows)  # type: ignore[call-overload]

    return [
        f"Sinds {compare_label}: {total('Nieuw online')} nieuw online, {total('Offline')} eerst "
        f"online en nu offline, {total('Onbekend')} met onbekende status (crawl niet in orde)."
    ]


def warnings(
    found: Kinds, register_is_default: bool, register_source: str, *, review_open: int = 0
) -> list[str]:
    """The banner over the report: not final while items await review (offers awaiting an
    analyst, or names in the review queue: a decision may add an offer); a partial register."""
    result = []
    if found.review or review_open:
        waiting = (
            plural(found.review, "mogelijk traject wacht", "mogelijke trajecten wachten")
            if found.review >= review_open
            else plural(review_open, "naam wacht", "namen wachten")
        )
        result.append(
            "Niet definitief: "
            + waiting
            + " nog op beoordeling (mbo-websearch review of serve); de aantallen kunnen nog "
            "veranderen."
        )
    if register_is_default:
        result.append(
            "Let op: het ingebouwde, onvolledige register is gebruikt. Importeer de "
            "SBB-export (mbo-websearch register import) voor een publicatie."
        )
    return result


def health_of(health: Sequence[HealthRow]) -> dict[str, str | None] | None:
    return {h.institution: h.health for h in health} or None


def unknown_count(institutions: Sequence[str], health: Sequence[HealthRow]) -> int:
    states = health_of(health)
    return sum(1 for n in institutions if is_unknown(states, n))


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def spot_check_value(checked: Estimate | None) -> str:
    """The overview's cell: auto precision with its 95 % interval and the sample size."""
    if checked is None or not checked.judged:
        return "geen steekproef beoordeeld (mbo-websearch serve, steekproef)"
    return (
        f"{percent(checked.correct / checked.judged)} juist (95 %-interval "
        f"{percent(checked.low)}–{percent(checked.high)}; {checked.correct} van "
        f"{plural(checked.judged, 'beoordeelde match', 'beoordeelde matches')})"
    )


def spot_check_line(round_label: str, checked: Estimate | None) -> str:
    if checked is None or not checked.judged:
        return (
            f"Er is in {round_label} geen steekproef van automatisch geaccepteerde matches "
            "beoordeeld: de precisie van het automatisch accepteren is niet geschat."
        )
    return (
        f"Steekproef van automatisch geaccepteerde matches in {round_label}: "
        + spot_check_value(checked)
        + "."
    )
