"""Pure functions: potential offer (DUO registrations) and issued certificates vs findable offer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from mbo_websearch.labels import FUNDINGS, TYPE_WORDS
from mbo_websearch.reports.model import (
    Cell,
    Count,
    IssuedRow,
    OfferLike,
    PotentialRow,
    Table,
    evidence_of,
    sector_name,
    type_of,
)
from mbo_websearch.reports.tables import (
    UNKNOWN,
    Health,
    Lookup,
    Names,
    identity,
    is_unknown,
    offer_code,
    unknown_or,
)


def _findable(offers: Sequence[OfferLike], lookup: Lookup) -> dict[tuple[str, str], OfferLike]:
    return {(o.institution.lower(), offer_code(o, lookup)): o for o in offers}


def _potential(potential: Sequence[PotentialRow], lookup: Lookup) -> set[tuple[str, str]]:
    result = set()
    for row in potential:
        cert = lookup.get(row.code.upper())
        result.add((row.institution.lower(), cert.code if cert else row.code.upper()))
    return result


def potential_per_institution(
    potential: Sequence[PotentialRow],
    offers: Sequence[OfferLike],
    lookup: Lookup,
    institutions: Mapping[str, str],
    *,
    names: Names = identity,
    health: Health | None = None,
) -> Table:
    """Per institution: potential, findable, both, only potential, only findable.
    Where the crawl was not in order the findable cells read 'onbekend' (or '>= n')."""
    found = _findable(offers, lookup)
    pot = _potential(potential, lookup)
    display = {n.lower(): n for n in institutions}
    display.update({o.institution.lower(): o.institution for o in offers})
    for row in potential:
        display.setdefault(row.institution.lower(), row.institution)
    keys = sorted({k for k, _ in found} | {k for k, _ in pot}, key=lambda k: display[k])
    rows: list[list[Cell]] = []
    for key in keys:
        mine_pot = {c for i, c in pot if i == key}
        mine_found = {c: o for (i, c), o in found.items() if i == key}
        name = display[key]

        def ev(codes: set[str], offers_of: dict[str, OfferLike] = mine_found) -> Count:
            return Count(
                len(codes),
                tuple(evidence_of(offers_of[c]) for c in sorted(codes) if c in offers_of),
            )

        unknown = is_unknown(health, name)
        rows.append(
            [
                names(name),
                institutions.get(name, ""),
                len(mine_pot),
                unknown_or(ev(set(mine_found)), unknown),
                unknown_or(ev(mine_pot & set(mine_found)), unknown),
                UNKNOWN if unknown else len(mine_pot - set(mine_found)),
                unknown_or(ev(set(mine_found) - mine_pot), unknown),
            ]
        )
    return Table(
        key="potentieel_per_instelling",
        title="Potentieel versus vindbaar aanbod per instelling",
        columns=[
            "Instelling",
            "Bekostiging",
            "Potentieel",
            "Vindbaar",
            "Beide",
            "Alleen potentieel",
            "Alleen vindbaar",
        ],
        rows=rows,
        note="Potentieel: de instelling is geregistreerd voor de onderliggende kwalificatie of "
        "het keuzedeel (DUO). Vindbaar: bevestigd aanbod op de website.",
    )


def potential_per_certificate(
    potential: Sequence[PotentialRow], offers: Sequence[OfferLike], lookup: Lookup
) -> Table:
    """Per certificate: institutions that may offer it, that show it online, and both."""
    found = _findable(offers, lookup)
    pot = _potential(potential, lookup)
    codes = sorted({c for _, c in found} | {c for _, c in pot})
    rows: list[list[Cell]] = []
    for code in codes:
        cert = lookup.get(code)
        online = {i: o for (i, c), o in found.items() if c == code}
        possible = {i for i, c in pot if c == code}
        both = [evidence_of(online[i]) for i in sorted(possible & set(online))]
        rows.append(
            [
                code,
                cert.title if cert else "",
                TYPE_WORDS[type_of(cert.type if cert else "", code)],
                len(possible),
                Count(len(online), tuple(evidence_of(o) for o in online.values())),
                Count(len(both), tuple(both)),
            ]
        )
    return Table(
        key="potentieel_per_certificaat",
        title="Potentieel versus vindbaar aanbod per certificaat (aantal instellingen)",
        columns=["Code", "Mbo-certificaat", "Type", "Potentieel", "Vindbaar", "Beide"],
        rows=rows,
    )


def latest_year(issued: Sequence[IssuedRow]) -> int | None:
    return max((r.year for r in issued), default=None)


def _issued_in(issued: Sequence[IssuedRow], year: int) -> dict[tuple[str, str], int]:
    result: dict[tuple[str, str], int] = defaultdict(int)
    for row in issued:
        if row.year == year:
            result[(row.code.upper(), row.funded)] += row.count
    return result


def issued_without_offer(
    issued: Sequence[IssuedRow], offers: Sequence[OfferLike], lookup: Lookup, *, year: int
) -> Table:
    """Certificates issued in `year` while no institution of that funding shows an offer."""
    got = _issued_in(issued, year)
    providers: dict[tuple[str, str], list[OfferLike]] = defaultdict(list)
    for offer in offers:
        providers[(offer_code(offer, lookup), offer.funded)].append(offer)
    rows: list[list[Cell]] = []
    for (code, funded), number in sorted(got.items()):
        if number <= 0 or providers.get((code, funded)):
            continue
        cert = lookup.get(code)
        other = [o for f in FUNDINGS if f != funded for o in providers.get((code, f), [])]
        rows.append(
            [
                code,
                cert.title if cert else "",
                sector_name(cert.sector if cert else None),
                funded,
                number,
                Count(len(other), tuple(evidence_of(o) for o in other)),
            ]
        )
    return Table(
        key="behaald_zonder_aanbod",
        title=f"Behaald in {year} zonder vindbaar aanbod bij instellingen met dezelfde bekostiging",
        columns=[
            "Code",
            "Mbo-certificaat",
            "Sector",
            "Bekostiging",
            f"Behaald {year}",
            "Vindbare aanbieders andere bekostiging",
        ],
        rows=rows,
    )


def offers_without_issued(
    issued: Sequence[IssuedRow], offers: Sequence[OfferLike], lookup: Lookup, *, year: int
) -> Table:
    """Certificates offered online by a funding status that issued none of them in `year`."""
    got = _issued_in(issued, year)
    providers: dict[tuple[str, str], list[OfferLike]] = defaultdict(list)
    for offer in offers:
        providers[(offer_code(offer, lookup), offer.funded)].append(offer)
    rows: list[list[Cell]] = []
    for (code, funded), items in sorted(providers.items()):
        if got.get((code, funded), 0) > 0:
            continue
        cert = lookup.get(code)
        rows.append(
            [
                code,
                cert.title if cert else items[0].title,
                sector_name(cert.sector if cert else items[0].sector),
                funded,
                Count(len(items), tuple(evidence_of(o) for o in items)),
                0,
            ]
        )
    return Table(
        key="aanbod_zonder_behaald",
        title=f"Vindbaar aanbod zonder behaalde certificaten in {year}",
        columns=[
            "Code",
            "Mbo-certificaat",
            "Sector",
            "Bekostiging",
            "Vindbare aanbieders",
            f"Behaald {year}",
        ],
        rows=rows,
    )
