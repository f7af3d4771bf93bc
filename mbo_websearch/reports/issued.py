"""Pure functions: the monitor's chapter 3 tables of issued certificates (DUO) and §3.4's
comparison with the findable offer.

Tabel 3.1-3.7: totals per year (with and without LNV certificates), by funding, by type and
by sector; tabel 3.8/3.9 and appendix tabel 7/8: per certificate with type, qualification and
level and a totals row. LNV certificates are counted only where a table says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from matcher.vocabulary import CertificateType
from mbo_websearch.labels import FUNDING_LABELS, FUNDINGS, TYPE_LABELS, TYPE_WORDS
from mbo_websearch.reports.model import (
    Cell,
    IssuedRow,
    OfferLike,
    Table,
    sector_name,
    sector_order,
    type_of,
)
from mbo_websearch.reports.tables import (
    CERT_KINDS,
    Lookup,
    certificates_word,
    offer_code,
    offer_type,
)

SOURCE = "Bron: DUO (geïmporteerd met `issued import`)."
LNV_ROW = "LNV-certificaten"


def issued_type(code: str, lookup: Lookup) -> CertificateType:
    """Keuzedeel, beroepsgericht onderdeel or LNV (by the register; else the code's letter)."""
    cert = lookup.get(code.upper())
    if cert is not None and cert.lnv:
        return CertificateType.lnv
    return type_of(cert.type if cert else None, code)


def _years(issued: Sequence[IssuedRow]) -> list[int]:
    return sorted({r.year for r in issued})


def _per_year(rows: Sequence[IssuedRow], years: Sequence[int]) -> list[Cell]:
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        totals[row.year] += row.count
    return [totals[y] for y in years]


def _without_lnv(issued: Sequence[IssuedRow], lookup: Lookup) -> list[IssuedRow]:
    return [r for r in issued if issued_type(r.code, lookup) != CertificateType.lnv]


def issued_totals(issued: Sequence[IssuedRow], lookup: Lookup) -> Table:
    """Tabel 3.1-3.3: all issued per year, with and without LNV, by funding."""
    years = _years(issued)
    plain = _without_lnv(issued, lookup)
    rows: list[list[Cell]] = [
        ["Totaal inclusief LNV-certificaten", *_per_year(issued, years)],
        ["Totaal exclusief LNV-certificaten", *_per_year(plain, years)],
    ]
    for funded in FUNDINGS:
        label = f"{FUNDING_LABELS[funded]}e instellingen (excl. LNV)"
        rows.append([label, *_per_year([r for r in plain if r.funded == funded], years)])
    return Table(
        key="behaald_totaal",
        title="Totaal behaalde mbo-certificaten per jaar, met en zonder LNV-certificaten, "
        "naar aanbieder",
        columns=["Behaalde certificaten", *(str(y) for y in years)],
        rows=rows,
        note=SOURCE,
    )


def issued_per_type(issued: Sequence[IssuedRow], lookup: Lookup) -> Table:
    """Tabel 3.4/3.5: per year by type (keuzedeel, beroepsonderdeel, LNV), by funding."""
    years = _years(issued)
    rows: list[list[Cell]] = []
    for funded in (*FUNDINGS, None):
        mine = [r for r in issued if funded is None or r.funded == funded]
        label = FUNDING_LABELS[funded] if funded else "Totaal"
        for kind in (*CERT_KINDS, CertificateType.lnv):
            of_kind = [r for r in mine if issued_type(r.code, lookup) == kind]
            rows.append([label, TYPE_LABELS[kind], *_per_year(of_kind, years)])
    return Table(
        key="behaald_per_type",
        title="Behaalde certificaten per jaar, naar aanbieder en type",
        columns=["Aanbieder", "Type", *(str(y) for y in years)],
        rows=rows,
        note=SOURCE,
    )


def issued_per_sector(issued: Sequence[IssuedRow], lookup: Lookup) -> Table:
    """Tabel 3.6/3.7: per year by funding, type and sector (excl. LNV)."""
    years = _years(issued)
    rows: list[list[Cell]] = []
    for funded in FUNDINGS:
        for kind in CERT_KINDS:
            mine = [r for r in issued if r.funded == funded and issued_type(r.code, lookup) == kind]
            sectors = sorted({_sector(r.code, lookup) for r in mine}, key=sector_order)
            for sector in sectors:
                of_sector = [r for r in mine if _sector(r.code, lookup) == sector]
                rows.append(
                    [
                        FUNDING_LABELS[funded],
                        TYPE_LABELS[kind],
                        sector,
                        *_per_year(of_sector, years),
                    ]
                )
    return Table(
        key="behaald_per_sector",
        title="Behaalde certificaten per jaar, naar aanbieder, type en sectorkamer "
        "(excl. LNV-certificaten)",
        columns=["Aanbieder", "Type", "Sectorkamer", *(str(y) for y in years)],
        rows=rows,
        note=SOURCE,
    )


def _sector(code: str, lookup: Lookup) -> str:
    cert = lookup.get(code.upper())
    return sector_name(cert.sector if cert else None)


def issued_per_certificate(issued: Sequence[IssuedRow], lookup: Lookup, *, funded: str) -> Table:
    """Tabel 3.8/3.9 and appendix 7/8: per certificate (type, sector, code, title,
    qualification, level) per year, one funding status, excl. LNV, with a totals row."""
    years = _years(issued)
    mine = [r for r in _without_lnv(issued, lookup) if r.funded == funded]
    codes = sorted(
        {r.code.upper() for r in mine},
        key=lambda c: (
            CERT_KINDS.index(issued_type(c, lookup)),
            sector_order(_sector(c, lookup)),
            c,
        ),
    )
    rows: list[list[Cell]] = []
    for code in codes:
        cert = lookup.get(code)
        rows.append(
            [
                TYPE_WORDS[issued_type(code, lookup)],
                _sector(code, lookup),
                cert.code if cert else code,
                cert.title if cert else "",
                _attribute(cert, "qualification"),
                _attribute(cert, "level"),
                *_per_year([r for r in mine if r.code.upper() == code], years),
            ]
        )
    rows.append(["Totaal", "", "", certificates_word(len(codes)), "", "", *_per_year(mine, years)])
    label = FUNDING_LABELS[funded].lower()
    return Table(
        key=f"behaald_{label}",
        title=f"Aantallen behaalde mbo-certificaten, {label}e instellingen, per certificaat "
        "(excl. LNV-certificaten)",
        columns=[
            "Type",
            "Sectorkamer",
            "Code",
            "Mbo-certificaat",
            "Kwalificatie",
            "Niveau",
            *(str(y) for y in years),
        ],
        rows=rows,
        note=SOURCE,
    )


def _attribute(cert: object, name: str) -> str:
    value = getattr(cert, name, None)
    return "" if value is None else str(value)


def issued_versus_findable(
    issued: Sequence[IssuedRow], offers: Sequence[OfferLike], lookup: Lookup, *, year: int
) -> Table:
    """§3.4: per type, certificates with findable offer, of which issued up to `year`, and
    certificates issued up to `year` without findable offer."""
    issued_codes = {_code(r.code, lookup) for r in issued if r.year <= year and r.count > 0}
    rows: list[list[Cell]] = []
    for kind in CERT_KINDS:
        findable = {offer_code(o, lookup) for o in offers if offer_type(o, lookup) == kind}
        of_kind = {c for c in issued_codes if issued_type(c, lookup) == kind}
        rows.append(
            [
                TYPE_LABELS[kind],
                len(findable),
                len(findable & of_kind),
                len(of_kind - findable),
                headline_sentence(
                    kind, len(findable), len(findable & of_kind), len(of_kind - findable), year
                ),
            ]
        )
    return Table(
        key="behaald_versus_vindbaar",
        title=f"Behaalde certificaten (tot en met {year}) versus het vindbare aanbod",
        columns=[
            "Type",
            "Certificaten met vindbaar aanbod",
            f"w.v. ook behaald t/m {year}",
            f"Behaald t/m {year} zonder vindbaar aanbod",
            "Omschrijving",
        ],
        rows=rows,
        note=SOURCE,
    )


def _code(code: str, lookup: Lookup) -> str:
    cert = lookup.get(code.upper())
    return cert.code if cert else code.upper()


def headline_sentence(kind: CertificateType, findable: int, both: int, only: int, year: int) -> str:
    """'Van de 82 keuzedelen met vindbaar aanbod zijn er 31 tot en met 2021 ook behaald; ...'"""
    word, words = TYPE_WORDS[kind], TYPE_LABELS[kind].lower()
    noun: Callable[[int], str] = lambda n: word if n == 1 else words  # noqa: E731
    return (
        f"Van de {findable} {noun(findable)} met vindbaar aanbod "
        f"{'is er' if both == 1 else 'zijn er'} {both} tot en met {year} ook behaald; "
        f"{only} {noun(only)} {'is' if only == 1 else 'zijn'} behaald zonder vindbaar aanbod"
    )
