"""Pure functions: diff rows, b2b-only and review offers, crawl health -> report tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from matcher.vocabulary import OfferStatus
from mbo_websearch.labels import FUNDING_LABELS
from mbo_websearch.reports.dutch import crawl_reason
from mbo_websearch.reports.model import (
    Cell,
    Count,
    DiffRowLike,
    Evidence,
    HealthRow,
    OfferLike,
    Table,
    evidence_of,
)
from mbo_websearch.reports.tables import (
    Lookup,
    Names,
    identity,
    is_lnv,
    is_unknown,
    offer_sector,
    unknown_or,
)

HEALTH_LABELS = {
    "ok": "in orde",
    "partial": "gedeeltelijk",
    "failed": "mislukt",
    None: "niet gecrawld",
}
VERDICTS = ("geheel offline", "deels offline", "onbekend", "gegroeid", "ongewijzigd")


def diff_evidence(row: DiffRowLike, old_label: str, new_label: str) -> Evidence:
    change = str(row.change)
    if change == "online" or (change == "unchanged" and row.new_evidence):
        return Evidence(new_label, row.institution, row.code, row.new_evidence, (), change)
    return Evidence(old_label, row.institution, row.code, row.old_evidence, (), change)


def _title(
    code: str, lookup: Lookup, fallback: Mapping[tuple[str, str], OfferLike], institution: str
) -> str:
    cert = lookup.get(code.upper())
    if cert:
        return cert.title
    offer = fallback.get((institution, code))
    return offer.title if offer else ""


def offline_offers(
    rows: Sequence[DiffRowLike],
    compare: Sequence[OfferLike],
    lookup: Lookup,
    funded_of: Mapping[str, str],
    *,
    change: str,
    labels: tuple[str, str],
    names: Names = identity,
    health: Mapping[str, HealthRow] | None = None,
) -> Table:
    """'Eerst online, nu offline' (change=offline) or the offers whose status is unknown."""
    old = {(o.institution, o.code): o for o in compare}
    picked = sorted(
        (r for r in rows if str(r.change) == change), key=lambda r: (names(r.institution), r.code)
    )
    table_rows: list[list[Cell]] = []
    for row in picked:
        cells: list[Cell] = [
            names(row.institution),
            funded_of.get(row.institution, ""),
            row.code,
            _title(row.code, lookup, old, row.institution),
            row.old_evidence,
        ]
        if change == "offline":
            cells.append("ja" if row.review else "nee")
        else:
            state = (health or {}).get(row.institution)
            cells.append(HEALTH_LABELS.get(state.health if state else None, ""))
        table_rows.append(cells)
    columns = ["Instelling", "Bekostiging", "Code", "Mbo-certificaat", f"Bewijs {labels[0]}"]
    if change == "offline":
        return Table(
            key="eerst_online_nu_offline",
            title=f"Eerst online ({labels[0]}), nu offline ({labels[1]})",
            columns=[*columns, "Te controleren (verdachte crawl)"],
            rows=table_rows,
        )
    return Table(
        key="status_onbekend",
        title=f"Aanbod uit {labels[0]} met onbekende status in {labels[1]} (crawl niet in orde)",
        columns=[*columns, f"Crawl {labels[1]}"],
        rows=table_rows,
        note="Een mislukte of gedeeltelijke crawl levert nooit 'offline' op.",
    )


def institution_changes(
    rows: Sequence[DiffRowLike],
    funded_of: Mapping[str, str],
    *,
    labels: tuple[str, str],
    names: Names = identity,
    health: Mapping[str, str | None] | None = None,
) -> Table:
    """Per institution: was online, now online, offline, new, unknown, and a verdict.
    `health`: crawl health in the new round; where not `ok`, 'online now' reads 'onbekend'."""
    per: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        per[row.institution][str(row.change)].append(diff_evidence(row, *labels))
    table_rows: list[list[Cell]] = []
    for institution, changes in per.items():
        was = [*changes["offline"], *changes["unknown"], *changes["unchanged"]]
        now = [*changes["unchanged"], *changes["online"]]
        verdict = _verdict(len(was), {k: len(v) for k, v in changes.items()})
        table_rows.append(
            [
                names(institution),
                funded_of.get(institution, ""),
                Count(len(was), tuple(was)),
                unknown_or(Count(len(now), tuple(now)), is_unknown(health, institution)),
                *(
                    Count(len(changes[k]), tuple(changes[k]))
                    for k in ("offline", "online", "unknown")
                ),
                verdict,
            ]
        )
    table_rows.sort(key=lambda r: (VERDICTS.index(str(r[-1])), str(r[0])))
    return Table(
        key="instellingen_online_offline",
        title=f"Aanbod per instelling, {labels[0]} naar {labels[1]}: online en offline",
        columns=[
            "Instelling",
            "Bekostiging",
            f"Online {labels[0]}",
            f"Online {labels[1]}",
            "Offline",
            "Nieuw online",
            "Onbekend",
            "Beoordeling",
        ],
        rows=table_rows,
    )


def _verdict(was: int, changes: Mapping[str, int]) -> str:
    offline, online, unknown = (changes.get(k, 0) for k in ("offline", "online", "unknown"))
    if offline and offline == was and not online:
        return "geheel offline"
    if offline:
        return "deels offline"
    if unknown:
        return "onbekend"
    if online:
        return "gegroeid"
    return "ongewijzigd"


def offer_list(
    offers: Sequence[OfferLike],
    lookup: Lookup,
    *,
    key: str,
    title: str,
    note: str = "",
    names: Names = identity,
) -> Table:
    """A plain list of offers with their evidence (b2b-only, awaiting review)."""
    rows: list[list[Cell]] = []
    for offer in sorted(offers, key=lambda o: (names(o.institution), o.code)):
        rows.append(
            [
                names(offer.institution),
                offer.funded,
                offer.code,
                offer.title,
                offer_sector(offer, lookup),
                offer.evidence_url,
                Count(1, (evidence_of(offer),)),
            ]
        )
    return Table(
        key=key,
        title=title,
        note=note,
        rows=rows,
        columns=[
            "Instelling",
            "Bekostiging",
            "Code",
            "Mbo-certificaat",
            "Sector",
            "Bewijs",
            "Aantal",
        ],
    )


def b2b_offers(offers: Sequence[OfferLike], lookup: Lookup, *, names: Names = identity) -> Table:
    picked = [o for o in offers if o.status == OfferStatus.confirmed and o.b2b_only]
    return offer_list(
        picked,
        lookup,
        key="alleen_via_werkgever",
        names=names,
        title="Trajecten alleen via werkgever / in-company (b2b), apart gehouden",
        note="Online, maar niet open voor individuele inschrijving; niet meegeteld in de "
        "andere tabellen.",
    )


def lnv_offers(offers: Sequence[OfferLike], lookup: Lookup, *, names: Names = identity) -> Table:
    picked = [o for o in offers if is_lnv(o, lookup)]
    return offer_list(
        picked,
        lookup,
        key="lnv_aanbod",
        names=names,
        title="Trajecten naar een LNV-certificaat (wettelijk, groene sector), apart gehouden",
        note="Geen mbo-certificaat in de zin van de monitor; niet meegeteld in de andere tabellen.",
    )


def review_offers(offers: Sequence[OfferLike], lookup: Lookup, *, names: Names = identity) -> Table:
    picked = [o for o in offers if o.status == OfferStatus.review]
    return offer_list(
        picked,
        lookup,
        key="te_beoordelen",
        names=names,
        title="Mogelijk aanbod dat nog beoordeeld moet worden (niet meegeteld)",
        note="Beoordeel met `mbo-websearch review` of de web-app (`serve`).",
    )


def crawl_health_table(
    health: Sequence[HealthRow], round_label: str, *, names: Names = identity
) -> Table:
    rows: list[list[Cell]] = []
    for row in sorted(health, key=lambda h: (h.funded, names(h.institution))):
        rows.append(
            [
                names(row.institution),
                FUNDING_LABELS.get(row.funded, row.funded),
                HEALTH_LABELS.get(row.health, row.health or ""),
                crawl_reason(row.reason),
                row.pages,
                "ja" if row.suspect else "nee",
            ]
        )
    return Table(
        key="crawlstatus",
        title=f"Crawlstatus per instelling ({round_label})",
        columns=["Instelling", "Bekostiging", "Crawl", "Reden", "Pagina's", "Verdacht"],
        rows=rows,
    )
