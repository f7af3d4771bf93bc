"""Pure functions: offers and register -> the monitor's tables (Dutch labels).

Counted offers ("vindbaar aanbod") are confirmed offers open to individual enrolees: offers
awaiting review, b2b-only offers and LNV certificates are reported in tables of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from matcher.vocabulary import CertificateType, OfferStatus
from mbo_websearch.labels import FUNDED, FUNDING_LABELS, FUNDINGS, NOT_FUNDED, TYPE_LABELS
from mbo_websearch.reports.model import (
    Cell,
    CertificateLike,
    Count,
    OfferLike,
    Table,
    count,
    evidence_of,
    sector_name,
    sector_order,
    sector_short,
    type_of,
)

Names = Callable[[str], str]
Lookup = Mapping[str, CertificateLike]


def identity(name: str) -> str:
    return name


def certificate_lookup(certificates: Iterable[CertificateLike]) -> dict[str, CertificateLike]:
    """Code (and alternative codes, when the register has them) -> certificate."""
    lookup: dict[str, CertificateLike] = {}
    for cert in certificates:
        for alt in getattr(cert, "alt_codes", ()):
            lookup.setdefault(alt.upper(), cert)
    for cert in certificates:
        lookup[cert.code.upper()] = cert
    return lookup


def in_register(certificates: Iterable[CertificateLike]) -> list[CertificateLike]:
    """The certificates the monitor counts: everything but the LNV legal certificates."""
    return [c for c in certificates if not c.lnv]


def offer_code(offer: OfferLike, lookup: Lookup) -> str:
    cert = lookup.get(offer.code.upper())
    return cert.code if cert else offer.code


def offer_type(offer: OfferLike, lookup: Lookup) -> CertificateType:
    cert = lookup.get(offer.code.upper())
    return type_of(cert.type if cert else offer.type, offer.code)


def offer_sector(offer: OfferLike, lookup: Lookup) -> str:
    cert = lookup.get(offer.code.upper())
    return sector_name((cert.sector if cert else None) or offer.sector)


# The two kinds of mbo-certificaat the monitor counts (LNV legal certificates are apart).
CERT_KINDS = (CertificateType.keuzedeel, CertificateType.beroepsgericht_onderdeel)


def is_lnv(offer: OfferLike, lookup: Lookup) -> bool:
    cert = lookup.get(offer.code.upper())
    return bool(cert and cert.lnv)


def counted_offers(offers: Iterable[OfferLike], lookup: Lookup) -> list[OfferLike]:
    """Confirmed, open to individuals, not LNV; one per (institution, certificate)."""
    seen: dict[tuple[str, str], OfferLike] = {}
    for offer in offers:
        if offer.status != OfferStatus.confirmed or offer.b2b_only or is_lnv(offer, lookup):
            continue
        seen.setdefault((offer.institution, offer_code(offer, lookup)), offer)
    return sorted(seen.values(), key=lambda o: (o.institution, o.code))


def offers_per_certificate(
    offers: Sequence[OfferLike], lookup: Lookup, *, kind: CertificateType, round_label: str
) -> Table:
    """Tabel 1-4: providers per certificate of one type, grouped by sector."""
    groups: dict[tuple[str, str], list[OfferLike]] = defaultdict(list)
    titles: dict[str, str] = {}
    for offer in offers:
        if offer_type(offer, lookup) != kind:
            continue
        code = offer_code(offer, lookup)
        cert = lookup.get(code.upper())
        titles[code] = cert.title if cert else offer.title
        groups[(offer_sector(offer, lookup), code)].append(offer)
    sector_totals: dict[str, int] = defaultdict(int)
    for (sector, _code), items in groups.items():
        sector_totals[sector] += len(items)
    rows: list[list[Cell]] = []
    ordered = sorted(groups, key=lambda k: (sector_order(k[0]), -len(groups[k]), k[1]))
    for sector, code in ordered:
        items = groups[(sector, code)]
        rows.append([sector, code, titles[code], *_by_funding(items)])
    all_items = [o for items in groups.values() for o in items]
    rows.append(["Totaal", "", certificates_word(len(groups)), *_by_funding(all_items)])
    label = TYPE_LABELS[kind].lower()
    return Table(
        key=f"aanbod_{label}",
        title=f"Op websites vindbare certificaattrajecten, {label}, per sector ({round_label})",
        columns=[
            "Sector",
            "Code",
            "Mbo-certificaat",
            "Aanbieders bekostigd",
            "Aanbieders niet-bekostigd",
            "Totaal",
        ],
        rows=rows,
    )


def _by_funding(items: Sequence[OfferLike]) -> list[Cell]:
    funded = count(evidence_of(o) for o in items if o.funded == FUNDED)
    not_funded = count(evidence_of(o) for o in items if o.funded == NOT_FUNDED)
    return [funded, not_funded, count(evidence_of(o) for o in items)]


def institution_order(
    offers: Sequence[OfferLike], compare: Sequence[OfferLike], funded: str
) -> list[str]:
    """Institutions with offers in either round, most trajectories in the new round first."""
    now: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    for offer in offers:
        if offer.funded == funded:
            now[offer.institution] += 1
    for offer in compare:
        if offer.funded == funded:
            before[offer.institution] += 1
    names = set(now) | set(before)
    return sorted(names, key=lambda n: (-now[n], -before[n], n))


UNKNOWN = "onbekend"
Health = Mapping[str, str | None]


def is_unknown(health: Health | None, name: str) -> bool:
    """A crawl not `ok` (or no crawl) in that round: what was found there is not the offer.
    Without crawl records (`health` None) every figure is taken as known."""
    return health is not None and health.get(name) != "ok"


def unknown_or(found: Count, unknown: bool) -> Cell:
    """'onbekend' when nothing was found by a crawl not in order; '>= n' when something was."""
    if not unknown:
        return found
    return f">= {found.value}" if found.value else UNKNOWN


def offers_per_institution(
    offers: Sequence[OfferLike],
    compare: Sequence[OfferLike] | None,
    lookup: Lookup,
    *,
    funded: str,
    round_label: str,
    compare_label: str | None,
    names: Names = identity,
    health: Health | None = None,
    compare_health: Health | None = None,
    funded_of: Mapping[str, str] | None = None,
) -> Table:
    """Tabel 5/6: trajectories per institution in R0 and R, by type and by sector.

    `health` / `compare_health`: crawl health per institution in R / R0. Where a crawl was not
    in order the cells read 'onbekend' (or '>= n'), never 0, and totals count known ones only.
    """
    mine = [o for o in offers if o.funded == funded]
    before = [o for o in (compare or []) if o.funded == funded]
    sectors = sorted({offer_sector(o, lookup) for o in mine}, key=sector_order)
    columns = ["Instelling"]
    if compare is not None:
        columns.append(f"Trajecten {compare_label}")
    columns += [f"Trajecten {round_label}", "w.v. keuzedeel", "w.v. beroepsonderdeel"]
    columns += [sector_short(s) for s in sectors]
    order = institution_order(offers, compare or [], funded)
    order += sorted(
        n
        for n in {*(health or {}), *(compare_health or {})}
        if (funded_of or {}).get(n) == funded
        and n not in order
        and (is_unknown(health, n) or is_unknown(compare_health, n))
    )
    unknown_now = {n for n in order if is_unknown(health, n)}
    unknown_before = {n for n in order if compare is not None and is_unknown(compare_health, n)}
    rows: list[list[Cell]] = []
    for name in [*order, None]:
        now = [
            o for o in mine if (o.institution == name if name else o.institution not in unknown_now)
        ]
        row: list[Cell] = ["Totaal" if name is None else names(name)]
        if compare is not None:
            was = count(
                evidence_of(o)
                for o in before
                if (o.institution == name if name else o.institution not in unknown_before)
            )
            row.append(unknown_or(was, name in unknown_before))
        cells = [count(evidence_of(o) for o in now)]
        cells += [
            count(evidence_of(o) for o in now if offer_type(o, lookup) == k) for k in CERT_KINDS
        ]
        cells += [
            count(evidence_of(o) for o in now if offer_sector(o, lookup) == s) for s in sectors
        ]
        row += [unknown_or(c, name in unknown_now) for c in cells]
        rows.append(row)
    if unknown_now or unknown_before:
        row = ["Instellingen met onbekend aantal"]
        if compare is not None:
            row.append(len(unknown_before))
        rows.append([*row, len(unknown_now), *([None] * (len(columns) - len(row) - 1))])
    label = FUNDING_LABELS[funded].lower()
    rounds = f"{compare_label} en {round_label}" if compare is not None else round_label
    return Table(
        key=f"per_instelling_{label}",
        title=f"Op websites vindbare certificaattrajecten per {label}e instelling, {rounds}",
        columns=columns,
        rows=rows,
        note=_crawl_note(order, health, round_label, names),
    )


def _crawl_note(order: Sequence[str], health: Health | None, round_label: str, names: Names) -> str:
    """A count of an institution whose crawl was not in order is not a loss of offers."""
    states = {"partial": "gedeeltelijk", "failed": "mislukt", None: "niet gecrawld"}
    bad = [
        f"{names(n)} ({states.get(health.get(n), 'niet in orde')})"
        for n in order
        if health is not None and health.get(n) != "ok"
    ]
    if not bad:
        return ""
    return (
        f"Crawl {round_label} niet in orde bij {', '.join(bad)}: hun trajecten in "
        f"{round_label} zijn onbekend, niet verdwenen (zie Crawlstatus). 'onbekend': niets "
        "gevonden; '>= n': ten minste n gevonden. Totalen tellen alleen instellingen met een "
        "bekend aantal."
    )


def register_per_sector(
    certificates: Sequence[CertificateLike],
    compare: Sequence[CertificateLike] | None,
    *,
    kind: CertificateType,
    round_label: str,
    compare_label: str | None,
) -> Table:
    """Tabel 2.1/2.2: certificates in the register per sector, both rounds, growth."""

    def per_sector(certs: Sequence[CertificateLike]) -> dict[str, int]:
        result: dict[str, int] = defaultdict(int)
        for cert in in_register(certs):
            if type_of(cert.type, cert.code) == kind:
                result[sector_name(cert.sector)] += 1
        return result

    now = per_sector(certificates)
    before = per_sector(compare) if compare is not None else None
    sectors = sorted(set(now) | set(before or {}), key=lambda s: (-now.get(s, 0), s))
    rows: list[list[Cell]] = []
    for sector in [*sectors, "Totaal"]:
        value_now = sum(now.values()) if sector == "Totaal" else now.get(sector, 0)
        if before is None:
            rows.append([sector, value_now])
            continue
        value_before = sum(before.values()) if sector == "Totaal" else before.get(sector, 0)
        rows.append([sector, value_before, value_now, value_now - value_before])
    columns = ["Sector", f"Register {round_label}"]
    if before is not None:
        columns = ["Sector", f"Register {compare_label}", f"Register {round_label}", "Toename"]
    label = TYPE_LABELS[kind].lower()
    return Table(
        key=f"register_{label}",
        title=f"Aantal certificaten voor {label}, naar sector (excl. LNV-certificaten)",
        columns=columns,
        rows=rows,
    )


def coverage_certificates(
    offers: Sequence[OfferLike],
    certificates: Sequence[CertificateLike],
    lookup: Lookup,
    *,
    unknown_institutions: int = 0,
) -> Table:
    """Dekking: certificates with at least 1 and at least 5 findable providers ("82 van de 232")."""
    providers: dict[str, list[OfferLike]] = defaultdict(list)
    for offer in offers:
        providers[offer_code(offer, lookup)].append(offer)
    rows: list[list[Cell]] = []
    for kind in CERT_KINDS:
        codes = [c.code for c in in_register(certificates) if type_of(c.type, c.code) == kind]
        at_least = {n: [c for c in codes if len(providers.get(c, [])) >= n] for n in (1, 5)}
        cells: list[Cell] = [TYPE_LABELS[kind], len(codes)]
        for n in (1, 5):
            hits = at_least[n]
            behind = tuple(evidence_of(o) for c in hits for o in providers[c])
            cells.append(Count(len(hits), behind))
        label = TYPE_LABELS[kind].lower()
        one, five = len(at_least[1]), len(at_least[5])
        cells.append(
            f"{one} van de {len(codes)} {label} {_has(one)} ten minste één vindbare aanbieder; "
            f"{five} {_has(five)} er vijf of meer"
            + (" (ondergrens)" if unknown_institutions else "")
        )
        rows.append(cells)
    return Table(
        key="dekking_certificaten",
        title="Dekking: certificaten met ten minste 1 en ten minste 5 vindbare aanbieders",
        note=(
            f"Ondergrens: bij {unknown_institutions} "
            + ("instelling" if unknown_institutions == 1 else "instellingen")
            + " was de crawl niet in orde; hun aanbod is onbekend."
        )
        if unknown_institutions
        else "",
        columns=[
            "Type",
            "Certificaten in register",
            "Met >= 1 aanbieder",
            "Met >= 5 aanbieders",
            "Omschrijving",
        ],
        rows=rows,
    )


def _has(n: int) -> str:
    return "heeft" if n == 1 else "hebben"


def coverage_institutions(
    offers: Sequence[OfferLike],
    institutions: Mapping[str, str],
    health: Health | None = None,
) -> Table:
    """Dekking: institutions with at least 1, 10 and 20 trajectories, by funding.

    `institutions` maps every institution in the websearch to its funding; those whose crawl
    was not in order are counted apart, so every figure is a lower bound.
    """
    per: dict[str, list[OfferLike]] = defaultdict(list)
    for offer in offers:
        per[offer.institution].append(offer)
    rows: list[list[Cell]] = []
    for funded in (*FUNDINGS, None):
        names = [n for n, f in institutions.items() if funded is None or f == funded]
        row: list[Cell] = [FUNDING_LABELS[funded] if funded else "Totaal", len(names)]
        for n in (1, 10, 20):
            hits = [name for name in names if len(per.get(name, [])) >= n]
            row.append(Count(len(hits), tuple(evidence_of(o) for h in hits for o in per[h])))
        row.append(sum(1 for name in names if is_unknown(health, name)))
        rows.append(row)
    return Table(
        key="dekking_instellingen",
        title="Dekking: instellingen met ten minste 1, 10 en 20 vindbare certificaattrajecten",
        columns=[
            "Bekostiging",
            "Instellingen in websearch",
            "Met >= 1 traject",
            "Met >= 10 trajecten",
            "Met >= 20 trajecten",
            "Aantal onbekend (crawl niet in orde)",
        ],
        rows=rows,
        note="Ondergrens: bij instellingen waarvan de crawl niet in orde was kan meer aanbod "
        "zijn dan gevonden."
        if any(is_unknown(health, n) for n in institutions)
        else "",
    )


SBU_BANDS = (
    ("<= 240 sbu", 0, 240),
    ("241-480 sbu", 241, 480),
    ("481-720 sbu", 481, 720),
    ("721-899 sbu", 721, 899),
    (">= 900 sbu", 900, 10**9),
)


def register_size(certificates: Sequence[CertificateLike]) -> Table:
    """Indicatie omvang: sbu distribution of the register by type and sector."""
    rows: list[list[Cell]] = []
    for kind in CERT_KINDS:
        certs = [c for c in in_register(certificates) if type_of(c.type, c.code) == kind]
        sectors = sorted({sector_name(c.sector) for c in certs}, key=sector_order)
        for sector in [*sectors, None]:
            group = [c for c in certs if sector is None or sector_name(c.sector) == sector]
            label = f"Totaal {TYPE_LABELS[kind].lower()}" if sector is None else sector
            rows.append([TYPE_LABELS[kind], label, *_sbu_cells(group)])
    return Table(
        key="omvang_register",
        title="Indicatie omvang van de certificaten in sbu, naar type en sector",
        columns=[
            "Type",
            "Sector",
            "Certificaten",
            *[b[0] for b in SBU_BANDS],
            "sbu onbekend",
            "Gemiddeld sbu",
        ],
        rows=rows,
    )


def _sbu_cells(group: Sequence[CertificateLike]) -> list[Cell]:
    known = [c.sbu for c in group if c.sbu is not None]
    bands: list[Cell] = [sum(1 for s in known if low <= s <= high) for _, low, high in SBU_BANDS]
    mean: Cell = round(sum(known) / len(known)) if known else None
    return [len(group), *bands, len(group) - len(known), mean]


def certificates_word(n: int) -> str:
    return f"{n} certificaat" if n == 1 else f"{n} certificaten"
