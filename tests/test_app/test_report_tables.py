"""Report tables on fixture data (tests/data/reports/), checked against hand-computed figures.

Fixture, round 2025-11 -> 2026-11 (counted = confirmed, not b2b-only, not LNV):
  ROC A (bek.):  2025: K0905 K0118          2026: K0905 K0118 C0039 (+ K0022 b2b, L0001 LNV)
  ROC B (bek.):  2025: -                    2026: K0905 (+ K0869 awaiting review)
  ROC C (bek.):  2025: K0905 K0022          2026: - (crawl ok: wholly offline)
  ROC D (bek.):  2025: K0118                2026: - (crawl failed: unknown)
  Opleider X:    2025: K0905                2026: K0905 C0039 C0021
  Opleider Y:    no offers
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from mbo_websearch.reports.build import ReportInputs, build_report
from mbo_websearch.reports.model import Count, HealthRow, IssuedRow, PotentialRow
from tests.conftest import DATA

FIXTURES = DATA / "reports"
R0, R = "2025-11", "2026-11"


@dataclass(frozen=True)
class FixtureOffer:
    round: str
    institution_id: int
    institution: str
    funded: str
    code: str
    title: str
    type: str
    sector: str | None
    status: str
    b2b_only: bool
    evidence_url: str
    evidence_page_ids: tuple[int, ...]
    score: float = 100.0
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class FixtureCertificate:
    code: str
    title: str
    type: str
    sector: str | None
    sbu: int | None
    lnv: bool = False
    qualification: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class FixtureDiffRow:
    institution_id: int
    institution: str
    code: str
    change: str
    old_evidence: str | None
    new_evidence: str | None
    review: bool


def _rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fixture_inputs(path: Path = FIXTURES) -> ReportInputs:
    """The fixture data as report inputs (shared with test_report_html)."""
    ids = {r["name"]: i for i, r in enumerate(_rows("institutions.csv"), start=1)}
    offers = [
        FixtureOffer(
            r["round"],
            ids[r["institution"]],
            r["institution"],
            r["funded"],
            r["code"],
            r["title"],
            r["type"],
            r["sector"],
            r["status"],
            r["b2b_only"] == "1",
            r["evidence_url"],
            tuple(int(i) for i in r["evidence_page_ids"].split()),
        )
        for r in _rows("offers.csv")
    ]
    certs = [
        (
            FixtureCertificate(
                r["code"],
                r["title"],
                r["type"],
                r["sector"],
                int(r["sbu"]) if r["sbu"] else None,
                r["lnv"] == "1",
            ),
            r["in_compare"] == "1",
        )
        for r in _rows("register.csv")
    ]
    diff = [
        FixtureDiffRow(
            ids[r["institution"]],
            r["institution"],
            r["code"],
            r["change"],
            r["old_evidence"] or None,
            r["new_evidence"] or None,
            r["review"] == "1",
        )
        for r in _rows("diff.csv")
    ]
    institutions = {r["name"]: r["funded"] for r in _rows("institutions.csv")}
    health = [
        HealthRow(n, f, "failed" if n == "ROC D" else "ok", None, 10)
        for n, f in institutions.items()
    ]
    return ReportInputs(
        round_label=R,
        compare_label=R0,
        offers=[o for o in offers if o.round == R],
        compare_offers=[o for o in offers if o.round == R0],
        certificates=[c for c, _ in certs],
        compare_certificates=[c for c, keep in certs if keep],
        institutions=institutions,
        diff_rows=diff,
        health=health,
        issued=[
            IssuedRow(r["code"], int(r["year"]), r["funded"], int(r["count"]))
            for r in _rows("issued.csv")
        ],
        potential=[PotentialRow(r["institution"], r["code"]) for r in _rows("potential.csv")],
        page_locations={
            12: "warc/2026-11/roc-a.warc.gz@1200",
            13: "warc/2026-11/roc-a.warc.gz@3400",
        },
    )


def values(row: list) -> list:
    return [c.value if isinstance(c, Count) else c for c in row]


@pytest.fixture(scope="module")
def report():
    return build_report(fixture_inputs())


def test_providers_per_keuzedeel_grouped_by_sector(report):
    table = report.table("aanbod_keuzedelen")
    assert table.columns[3:] == ["Aanbieders bekostigd", "Aanbieders niet-bekostigd", "Totaal"]
    assert [values(r) for r in table.rows] == [
        ["Zorg, welzijn en sport", "K0905", "Helpende plus", 2, 1, 3],
        [
            "Zorg, welzijn en sport",
            "K0118",
            "Verzorgende en verpleegtechnische handelingen",
            1,
            0,
            1,
        ],
        ["Totaal", "", "2 certificaten", 3, 1, 4],
    ]


def test_providers_per_beroepsonderdeel_with_sector_spelling_unified(report):
    table = report.table("aanbod_beroepsonderdelen")
    assert [values(r) for r in table.rows] == [
        ["Zorg, welzijn en sport", "C0039", "Individuele basiszorg verlenen", 1, 1, 2],
        ["Voedsel, groen en gastvrijheid", "C0021", "Koken in de horeca", 0, 1, 1],
        ["Totaal", "", "2 certificaten", 1, 2, 3],
    ]


def test_every_count_keeps_its_offers_and_evidence(report):
    cell = report.table("aanbod_keuzedelen").rows[0][3]
    assert isinstance(cell, Count)
    assert sorted((e.institution, e.url, e.page_ids) for e in cell.evidence) == [
        ("ROC A", "https://roca.example/cursus/helpende-plus", (11,)),
        ("ROC B", "https://rocb.example/hp", (17,)),
    ]
    bewijs = report.table("bewijs")
    assert len(bewijs.rows) == 16  # every offer of both rounds, every status
    vth = next(r for r in bewijs.rows if r[1] == R and r[4] == "K0118")
    assert vth[8:] == [
        "https://roca.example/cursus/vth",
        "12 13",
        "warc/2026-11/roc-a.warc.gz@1200 warc/2026-11/roc-a.warc.gz@3400",
    ]
    herkomst = report.table("herkomst")
    hp_funded = next(
        r
        for r in herkomst.rows
        if r[0] == "aanbod_keuzedelen" and r[1] == "K0905" and r[2] == "Aanbieders bekostigd"
    )
    numbers = {int(n) for n in str(hp_funded[4]).split()}
    assert {(bewijs.rows[n - 1][2], bewijs.rows[n - 1][1]) for n in numbers} == {
        ("ROC A", R),
        ("ROC B", R),
    }


def test_per_institution_funded_both_rounds_by_type_and_sector(report):
    table = report.table("per_instelling_bekostigd")
    assert table.columns == [
        "Instelling",
        f"Trajecten {R0}",
        f"Trajecten {R}",
        "w.v. keuzedeel",
        "w.v. beroepsonderdeel",
        "Zorg",
    ]
    assert [values(r) for r in table.rows] == [
        ["ROC A", 2, 3, 2, 1, 3],
        ["ROC B", 0, 1, 1, 0, 1],
        ["ROC C", 2, 0, 0, 0, 0],
        ["ROC D", 1, "onbekend", "onbekend", "onbekend", "onbekend"],
        ["Totaal", 5, 4, 3, 1, 4],
        ["Instellingen met onbekend aantal", 0, 1, None, None, None],
    ]


def test_per_institution_says_which_zero_is_a_failed_crawl_not_a_loss(report):
    funded = report.table("per_instelling_bekostigd")
    assert funded.row_for("ROC D")[2] == "onbekend"  # crawl failed in R: unknown, not 0
    assert funded.note.startswith(
        f"Crawl {R} niet in orde bij ROC D (mislukt): hun trajecten in {R} "
        "zijn onbekend, niet verdwenen (zie Crawlstatus)."
    )
    assert report.table("per_instelling_niet-bekostigd").note == ""
    anonymous = build_report(fixture_inputs(), anonymize=True)
    assert "bij Instelling D (mislukt)" in anonymous.table("per_instelling_bekostigd").note


def test_per_institution_not_funded(report):
    table = report.table("per_instelling_niet-bekostigd")
    assert table.columns[-2:] == ["Zorg", "Voedsel, groen en gastvrijheid"]
    assert [values(r) for r in table.rows] == [
        ["Opleider X", 1, 3, 1, 2, 2, 1],
        ["Totaal", 1, 3, 1, 2, 2, 1],
    ]


def test_anonymize_replaces_names_everywhere_consistently():
    report = build_report(fixture_inputs(), anonymize=True)
    funded = report.table("per_instelling_bekostigd")
    assert [r[0] for r in funded.rows] == [
        "Instelling A",
        "Instelling B",
        "Instelling C",
        "Instelling D",
        "Totaal",
        "Instellingen met onbekend aantal",
    ]
    assert report.table("per_instelling_niet-bekostigd").rows[0][0] == "Instelling E"
    offline = report.table("eerst_online_nu_offline")
    assert {r[0] for r in offline.rows} == {"Instelling C"}
    for table in report.tables:
        for row in table.rows:
            named = [c for c in row if isinstance(c, str) and c in ("ROC A", "Opleider X")]
            assert not named, table.key
            hidden = [
                e
                for c in row
                if isinstance(c, Count)
                for e in c.evidence
                if e.institution in ("ROC A", "Opleider X")
            ]
            assert not hidden, table.key


def test_register_per_sector_with_growth(report):
    keuze = report.table("register_keuzedelen")
    assert keuze.columns == ["Sector", f"Register {R0}", f"Register {R}", "Toename"]
    assert keuze.rows == [
        ["Zorg, welzijn en sport", 2, 2, 0],
        ["ICT en creatieve industrie", 1, 1, 0],
        ["Mobiliteit, transport, logistiek en maritiem", 0, 1, 1],
        ["Totaal", 3, 4, 1],
    ]
    beroeps = report.table("register_beroepsonderdelen")  # LNV excluded
    assert beroeps.rows == [
        ["Voedsel, groen en gastvrijheid", 0, 1, 1],
        ["Zorg, welzijn en sport", 1, 1, 0],
        ["Totaal", 1, 2, 1],
    ]


def test_coverage_of_certificates_and_institutions(report):
    certs = report.table("dekking_certificaten")
    assert [values(r)[:4] for r in certs.rows] == [
        ["Keuzedelen", 4, 2, 0],
        ["Beroepsonderdelen", 2, 2, 0],
    ]
    assert certs.rows[0][4].startswith("2 van de 4 keuzedelen hebben ten minste één")
    inst = report.table("dekking_instellingen")
    assert [values(r) for r in inst.rows] == [
        ["Bekostigd", 4, 2, 0, 0, 1],
        ["Niet-bekostigd", 2, 1, 0, 0, 0],
        ["Totaal", 6, 3, 0, 0, 1],
    ]
    assert inst.note.startswith("Ondergrens")
    assert certs.note == (
        "Ondergrens: bij 1 instelling was de crawl niet in orde; hun aanbod is onbekend."
    )


def test_online_offline_per_institution_and_unknown_apart(report):
    table = report.table("instellingen_online_offline")
    assert [values(r) for r in table.rows] == [
        ["ROC C", "bekostigd", 2, 0, 2, 0, 0, "geheel offline"],
        ["ROC D", "bekostigd", 1, "onbekend", 0, 0, 1, "onbekend"],
        ["Opleider X", "niet-bekostigd", 1, 3, 0, 2, 0, "gegroeid"],
        ["ROC A", "bekostigd", 2, 3, 0, 1, 0, "gegroeid"],
        ["ROC B", "bekostigd", 0, 1, 0, 1, 0, "gegroeid"],
    ]
    offline = report.table("eerst_online_nu_offline")
    assert [(r[0], r[2], r[4], r[5]) for r in offline.rows] == [
        ("ROC C", "K0022", "https://rocc.example/digitaal", "nee"),
        ("ROC C", "K0905", "https://rocc.example/helpende-plus", "nee"),
    ]
    unknown = report.table("status_onbekend")
    assert [(r[0], r[2], r[5]) for r in unknown.rows] == [("ROC D", "K0118", "mislukt")]


def test_b2b_only_and_review_offers_are_apart(report):
    assert [(r[0], r[2]) for r in report.table("alleen_via_werkgever").rows] == [("ROC A", "K0022")]
    assert [(r[0], r[2]) for r in report.table("te_beoordelen").rows] == [("ROC B", "K0869")]


def test_potential_versus_findable(report):
    per_inst = report.table("potentieel_per_instelling")
    assert [values(r) for r in per_inst.rows] == [
        ["Opleider X", "niet-bekostigd", 1, 3, 1, 0, 2],
        ["ROC A", "bekostigd", 3, 3, 2, 1, 1],
        ["ROC B", "bekostigd", 1, 1, 0, 1, 1],
    ]
    per_cert = {r[0]: values(r)[3:] for r in report.table("potentieel_per_certificaat").rows}
    assert per_cert["K0905"] == [2, 3, 2]
    assert per_cert["C0021"] == [1, 1, 0]
    assert per_cert["K0022"] == [1, 0, 0]


def test_register_size_sbu_distribution(report):
    table = report.table("omvang_register")
    rows = {(r[0], r[1]): r[2:] for r in table.rows}
    assert rows[("Keuzedelen", "Zorg, welzijn en sport")] == [2, 1, 1, 0, 0, 0, 0, 360]
    assert rows[("Keuzedelen", "Totaal keuzedelen")] == [4, 3, 1, 0, 0, 0, 0, 300]
    assert rows[("Beroepsonderdelen", "Totaal beroepsonderdelen")] == [2, 0, 0, 1, 0, 1, 0, 780]


def test_issued_cross_check(report):
    assert report.table("behaald_bekostigd").columns[-2:] == ["2024", "2025"]
    hp = report.table("behaald_bekostigd").rows
    assert ["keuzedeel", "Zorg, welzijn en sport", "K0905", "Helpende plus", "", "", 0, 100] in hp
    without_offer = report.table("behaald_zonder_aanbod")
    assert [values(r) for r in without_offer.rows] == [
        ["K0022", "Digitale vaardigheden basis", "ICT en creatieve industrie", "bekostigd", 5, 0]
    ]
    no_issued = report.table("aanbod_zonder_behaald")
    assert [(r[0], r[3], values(r)[4]) for r in no_issued.rows] == [
        ("C0021", "niet-bekostigd", 1),
        ("C0039", "niet-bekostigd", 1),
        ("K0118", "bekostigd", 1),
    ]


def test_summary_of_one_institution_is_singular():
    inputs = fixture_inputs()
    inputs.offers = [o for o in inputs.offers if o.institution == "ROC B"]
    summary = build_report(inputs).summary[0]
    assert summary.startswith(f"Ronde {R}: 1 vindbaar certificaattraject bij 1 instelling (")


def test_overview_and_summary(report):
    overview = {r[0]: values(r)[1] for r in report.table("overzicht").rows}
    assert overview["Vindbare certificaattrajecten"] == 7
    assert overview["Crawls mislukt"] == 1
    assert overview["Eerst online, nu offline"] == 2
    assert report.summary[0] == (
        f"Ronde {R}: 7 vindbare certificaattrajecten bij 3 instellingen (vindbaar: bevestigd, "
        "open voor individuele inschrijving, geen LNV-certificaat)."
    )
    assert any(
        "4 nieuw online, 2 eerst online en nu offline, 1 met onbekende" in line
        for line in report.summary
    )


def test_single_round_report_has_no_compare_columns():
    inputs = fixture_inputs()
    inputs.compare_label = inputs.compare_offers = inputs.diff_rows = None
    inputs.compare_certificates = None
    report = build_report(inputs)
    assert report.table("per_instelling_bekostigd").columns[:2] == ["Instelling", f"Trajecten {R}"]
    assert report.table("register_keuzedelen").rows[-1] == ["Totaal", 4]
    with pytest.raises(KeyError):
        report.table("eerst_online_nu_offline")
