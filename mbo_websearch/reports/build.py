"""Assemble the whole report from its inputs (pure: no database, no files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mbo_websearch.labels import FUNDED, FUNDINGS, NOT_FUNDED, STATUS_LABELS
from mbo_websearch.reports import changes, crosscheck, issued, summary, tables
from mbo_websearch.reports.anonymize import Scrubber, anonymize_tables, secrets_of
from mbo_websearch.reports.model import (
    Cell,
    CertificateLike,
    Count,
    DiffRowLike,
    Evidence,
    HealthRow,
    IssuedRow,
    OfferLike,
    PotentialRow,
    Table,
    anonymous_label,
)
from mbo_websearch.review.spot_check import Estimate


@dataclass
class ReportInputs:
    round_label: str
    offers: Sequence[OfferLike]
    certificates: Sequence[CertificateLike]
    institutions: Mapping[str, str]  # every institution in the websearch -> funding
    compare_label: str | None = None
    compare_offers: Sequence[OfferLike] | None = None
    compare_certificates: Sequence[CertificateLike] | None = None
    diff_rows: Sequence[DiffRowLike] | None = None
    health: Sequence[HealthRow] = ()
    compare_health: Sequence[HealthRow] = ()  # crawl health in the compare round
    issued: Sequence[IssuedRow] = ()
    potential: Sequence[PotentialRow] = ()
    issued_year: int | None = None
    page_locations: Mapping[int, str] = field(default_factory=dict)  # pages.id -> file@offset
    register_source: str = ""  # where the register comes from (import file, embedded default)
    register_is_default: bool = False  # the embedded (partial) register was used
    hosts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # institution -> hosts
    review_open: int = 0  # names in the round's review queue without a decision
    spot_check: Estimate | None = None  # verdicts on a sample of auto-accepted matches


@dataclass
class Report:
    title: str
    round_label: str
    compare_label: str | None
    tables: list[Table]
    summary: list[str] = field(default_factory=list)
    pseudonyms: dict[str, str] = field(default_factory=dict)  # institution -> pseudonym
    warnings: list[str] = field(default_factory=list)  # banner: not final, partial register

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def anonymizer(
    inputs: ReportInputs, counted: list[OfferLike], before: list[OfferLike]
) -> dict[str, str]:
    """Stable 'Instelling A, B, ...': funded by size, then non-funded, then the rest by name."""
    order = [
        *tables.institution_order(counted, before, FUNDED),
        *tables.institution_order(counted, before, NOT_FUNDED),
    ]
    others = {
        *inputs.institutions,
        *(o.institution for o in inputs.offers),
        *(o.institution for o in inputs.compare_offers or []),
        *(h.institution for h in inputs.health),
        *(p.institution for p in inputs.potential),
        *(r.institution for r in inputs.diff_rows or []),
    }
    order += sorted(others - set(order))
    return {name: anonymous_label(i) for i, name in enumerate(order)}


def build_report(inputs: ReportInputs, *, anonymize: bool = False) -> Report:
    """Every table of the monitor for one round (optionally compared with an earlier one)."""
    certs = list(inputs.certificates)
    lookup = tables.certificate_lookup([*(inputs.compare_certificates or []), *certs])
    counted = tables.counted_offers(inputs.offers, lookup)
    before = (
        tables.counted_offers(inputs.compare_offers, lookup)
        if inputs.compare_offers is not None
        else None
    )
    mapping = anonymizer(inputs, counted, before or []) if anonymize else {}

    def names(name: str) -> str:
        return mapping.get(name, name)

    r, r0 = inputs.round_label, inputs.compare_label
    funded_of = {
        **{o.institution: o.funded for o in inputs.offers},
        **{o.institution: o.funded for o in inputs.compare_offers or []},
        **inputs.institutions,
    }
    result: list[Table] = []
    for kind in tables.CERT_KINDS:
        result.append(tables.offers_per_certificate(counted, lookup, kind=kind, round_label=r))
    for funded in FUNDINGS:
        result.append(
            tables.offers_per_institution(
                counted,
                before,
                lookup,
                funded=funded,
                round_label=r,
                compare_label=r0,
                names=names,
                health={h.institution: h.health for h in inputs.health} or None,
                compare_health={h.institution: h.health for h in inputs.compare_health} or None,
                funded_of=funded_of,
            )
        )
    compare_certs = list(inputs.compare_certificates) if inputs.compare_certificates else None
    for kind in tables.CERT_KINDS:
        result.append(
            tables.register_per_sector(
                certs, compare_certs, kind=kind, round_label=r, compare_label=r0
            )
        )
    health = {h.institution: h.health for h in inputs.health} or None
    unknown = sum(1 for n in inputs.institutions if tables.is_unknown(health, n))
    result.append(
        tables.coverage_certificates(counted, certs, lookup, unknown_institutions=unknown)
    )
    result.append(tables.coverage_institutions(counted, inputs.institutions, health))
    result += _change_tables(inputs, lookup, funded_of, names)
    result += _crosscheck_tables(inputs, counted, lookup, funded_of, names)
    result.append(changes.crawl_health_table(inputs.health, r, names=names))
    overview = overview_table(inputs, counted, result)
    evidence_table, numbers = evidence_sheet(inputs, names)
    title = f"Monitor mbo-certificaten: websearch {r}" + (f" vergeleken met {r0}" if r0 else "")
    all_tables = [overview, *result, evidence_table, provenance(result, numbers)]
    lines = summary_lines(result, counted, inputs, lookup)
    banner = summary.warnings(
        summary.kinds(inputs.offers, lookup),
        inputs.register_is_default,
        inputs.register_source,
        review_open=inputs.review_open,
    )
    if anonymize:
        scrubber = Scrubber(secrets_of(mapping, inputs.hosts, _urls(inputs)))
        all_tables = anonymize_tables(all_tables, scrubber)
        lines = [scrubber.text(line) for line in lines]
    return Report(
        title=title,
        round_label=r,
        compare_label=r0,
        tables=all_tables,
        summary=lines,
        warnings=banner,
        pseudonyms=mapping,
    )


def _urls(inputs: ReportInputs) -> list[str | None]:
    offers = [*inputs.offers, *(inputs.compare_offers or [])]
    rows = inputs.diff_rows or []
    return [
        *(o.evidence_url for o in offers),
        *(r.old_evidence for r in rows),
        *(r.new_evidence for r in rows),
    ]


def _change_tables(
    inputs: ReportInputs, lookup: tables.Lookup, funded_of: dict[str, str], names: tables.Names
) -> list[Table]:
    """Online/offline per institution and offer, unknown apart; b2b-only; awaiting review."""
    result: list[Table] = []
    if inputs.diff_rows is not None and inputs.compare_label:
        labels = (inputs.compare_label, inputs.round_label)
        health = {h.institution: h for h in inputs.health}
        result.append(
            changes.institution_changes(
                inputs.diff_rows,
                funded_of,
                labels=labels,
                names=names,
                health={h.institution: h.health for h in inputs.health} or None,
            )
        )
        for change in ("offline", "unknown"):
            result.append(
                changes.offline_offers(
                    inputs.diff_rows,
                    inputs.compare_offers or [],
                    lookup,
                    funded_of,
                    change=change,
                    labels=labels,
                    names=names,
                    health=health,
                )
            )
    result.append(changes.b2b_offers(inputs.offers, lookup, names=names))
    result.append(changes.lnv_offers(inputs.offers, lookup, names=names))
    result.append(changes.review_offers(inputs.offers, lookup, names=names))
    return result


def _crosscheck_tables(
    inputs: ReportInputs,
    counted: list[OfferLike],
    lookup: tables.Lookup,
    funded_of: dict[str, str],
    names: tables.Names,
) -> list[Table]:
    """Potential versus findable; register size; issued versus findable."""
    result: list[Table] = []
    if inputs.potential:
        result.append(
            crosscheck.potential_per_institution(
                inputs.potential,
                counted,
                lookup,
                funded_of,
                names=names,
                health={h.institution: h.health for h in inputs.health} or None,
            )
        )
        result.append(crosscheck.potential_per_certificate(inputs.potential, counted, lookup))
    result.append(tables.register_size(list(inputs.certificates)))
    year = inputs.issued_year or crosscheck.latest_year(inputs.issued)
    if inputs.issued and year:
        result.append(issued.issued_totals(inputs.issued, lookup))
        result.append(issued.issued_per_type(inputs.issued, lookup))
        result.append(issued.issued_per_sector(inputs.issued, lookup))
        for funded in FUNDINGS:
            result.append(issued.issued_per_certificate(inputs.issued, lookup, funded=funded))
        result.append(issued.issued_versus_findable(inputs.issued, counted, lookup, year=year))
        result.append(crosscheck.issued_without_offer(inputs.issued, counted, lookup, year=year))
        result.append(crosscheck.offers_without_issued(inputs.issued, counted, lookup, year=year))
    return result


def overview_table(inputs: ReportInputs, counted: list[OfferLike], built: list[Table]) -> Table:
    def find(key: str) -> Table | None:
        return next((t for t in built if t.key == key), None)

    rows: list[list[Cell]] = [
        ["Ronde", inputs.round_label],
        ["Vergeleken met", inputs.compare_label or "-"],
    ]
    if inputs.register_source:
        rows.append(["Register", inputs.register_source])
    for funded in FUNDINGS:
        n = sum(1 for f in inputs.institutions.values() if f == funded)
        rows.append([f"Instellingen in websearch ({funded})", n])
    for health in ("ok", "partial", "failed"):
        n = sum(1 for h in inputs.health if h.health == health)
        rows.append([f"Crawls {changes.HEALTH_LABELS[health]}", n])
    rows.append(
        [
            "Vindbare certificaattrajecten",
            Count(
                len(counted),
                tuple(
                    Evidence(
                        o.round, o.institution, o.code, o.evidence_url, tuple(o.evidence_page_ids)
                    )
                    for o in counted
                ),
            ),
        ]
    )
    for key, label in (
        ("alleen_via_werkgever", "Alleen via werkgever (apart)"),
        ("te_beoordelen", "Nog te beoordelen (niet meegeteld)"),
        ("lnv_aanbod", "LNV-certificaten (niet meegeteld)"),
        ("eerst_online_nu_offline", "Eerst online, nu offline"),
        ("status_onbekend", "Status onbekend (crawl niet in orde)"),
    ):
        table = find(key)
        if table is not None:
            rows.append([label, len(table.rows)])
    rows.append(
        ["Steekproef automatisch geaccepteerd", summary.spot_check_value(inputs.spot_check)]
    )
    if not inputs.potential:
        rows.append(["Potentieel aanbod", "niet geïmporteerd (mbo-websearch potential import)"])
    if not inputs.issued:
        rows.append(["Behaalde certificaten", "niet geïmporteerd (mbo-websearch issued import)"])
    return Table(key="overzicht", title="Overzicht", columns=["Onderwerp", "Waarde"], rows=rows)


def summary_lines(
    built: list[Table], counted: list[OfferLike], inputs: ReportInputs, lookup: tables.Lookup
) -> list[str]:
    """A few Dutch sentences for the top of the HTML report and the demo's output; every
    figure says what it counts, and the diff's figures are reconciled with the tables'."""
    found = summary.kinds(inputs.offers, lookup)
    lines = [
        summary.headline(inputs.round_label, counted),
        summary.side_by_side(inputs.round_label, found, review_open=inputs.review_open),
        *summary.unknown_line(summary.unknown_count(list(inputs.institutions), inputs.health)),
    ]
    coverage = next(t for t in built if t.key == "dekking_certificaten")
    lines += [str(row[-1]) + "." for row in coverage.rows]
    versus = next((t for t in built if t.key == "behaald_versus_vindbaar"), None)
    lines += [str(row[-1]) + "." for row in versus.rows] if versus else []
    changed = next((t for t in built if t.key == "instellingen_online_offline"), None)
    lines += summary.change_line(changed, inputs.compare_label)
    if changed is not None and inputs.diff_rows is not None:
        lines.append(summary.new_online_breakdown(inputs.diff_rows, inputs.offers, lookup))
    lines.append(summary.spot_check_line(inputs.round_label, inputs.spot_check))
    if inputs.register_source:
        lines.append(f"Register: {inputs.register_source}.")
    return lines


def evidence_key(item: Evidence | OfferLike) -> tuple[str, str, str]:
    return (item.round, item.institution, item.code)


def evidence_sheet(
    inputs: ReportInputs, names: tables.Names
) -> tuple[Table, dict[tuple[str, str, str], int]]:
    """'Bewijs': every offer of both rounds with its evidence URL and archived page ids."""
    rows: list[list[Cell]] = []
    numbers: dict[tuple[str, str, str], int] = {}
    for offer in [*(inputs.compare_offers or []), *inputs.offers]:
        key = evidence_key(offer)
        if key in numbers:
            continue
        numbers[key] = len(numbers) + 1
        rows.append(
            [
                numbers[key],
                offer.round,
                names(offer.institution),
                offer.funded,
                offer.code,
                offer.title,
                STATUS_LABELS.get(offer.status, str(offer.status)),
                "ja" if offer.b2b_only else "nee",
                offer.evidence_url,
                " ".join(str(i) for i in offer.evidence_page_ids),
                " ".join(
                    inputs.page_locations.get(i, "")
                    for i in offer.evidence_page_ids
                    if i in inputs.page_locations
                ),
            ]
        )
    table = Table(
        key="bewijs",
        title="Bewijs: elk aanbod met de URL en de gearchiveerde pagina's (WARC) waarop het stond",
        columns=[
            "Nr",
            "Ronde",
            "Instelling",
            "Bekostiging",
            "Code",
            "Titel op website",
            "Status",
            "Alleen via werkgever",
            "Bewijs-URL",
            "Pagina-id's",
            "WARC-record (bestand@offset)",
        ],
        rows=rows,
        note="Pagina-id's verwijzen naar de tabel pages in websearch.db; het WARC-record is het "
        "gearchiveerde antwoord (bestand in de workspace, byte-offset).",
    )
    return table, numbers


def provenance(built: list[Table], numbers: Mapping[tuple[str, str, str], int]) -> Table:
    """'Herkomst': for every count, the Bewijs numbers (or URLs) of the offers behind it."""
    rows: list[list[Cell]] = []
    for table in built:
        for row in table.rows:
            for column, cell in zip(table.columns, row, strict=False):
                if not isinstance(cell, Count) or not cell.value:
                    continue
                refs = [
                    str(numbers[evidence_key(e)]) if evidence_key(e) in numbers else (e.url or "")
                    for e in cell.evidence
                ]
                label = row[table.columns.index("Code")] if "Code" in table.columns else row[0]
                rows.append([table.key, str(label), column, cell.value, " ".join(refs)])
    return Table(
        key="herkomst",
        title="Herkomst van elke telling (nummers uit het blad Bewijs)",
        columns=["Tabel", "Rij", "Kolom", "Aantal", "Bewijs-nrs"],
        rows=rows,
    )
