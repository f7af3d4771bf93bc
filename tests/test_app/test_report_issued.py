"""Chapter 3 of the monitor: issued certificates (DUO) by year, funding, type (LNV apart),
sector and certificate, and §3.4's comparison with the findable offer; hand-computed.

Fixture issued.csv plus an LNV certificate (L0001, 4 in 2025, bekostigd):
  K0905 2025 bek 100, niet-bek 20 | K0022 2025 bek 5 | C0021 2025 niet-bek 0
  K0118 2024 bek 7 | C0039 2025 bek 3 | L0001 2025 bek 4 (LNV)
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.model import IssuedRow
from tests.test_app.test_report_tables import fixture_inputs


@pytest.fixture(scope="module")
def report():
    inputs = fixture_inputs()
    inputs.issued = [*inputs.issued, IssuedRow("L0001", 2025, "bekostigd", 4)]
    inputs.certificates = [
        replace(c, qualification="Helpende zorg en welzijn", level="2") if c.code == "K0905" else c
        for c in inputs.certificates
    ]
    return build_report(inputs)


def test_totals_per_year_with_and_without_lnv_by_funding(report):
    table = report.table("behaald_totaal")
    assert table.columns == ["Behaalde certificaten", "2024", "2025"]
    assert table.rows == [
        ["Totaal inclusief LNV-certificaten", 7, 132],
        ["Totaal exclusief LNV-certificaten", 7, 128],
        ["Bekostigde instellingen (excl. LNV)", 7, 108],
        ["Niet-bekostigde instellingen (excl. LNV)", 0, 20],
    ]


def test_per_type_with_lnv_as_its_own_type(report):
    rows = {(r[0], r[1]): r[2:] for r in report.table("behaald_per_type").rows}
    assert rows[("Bekostigd", "Keuzedelen")] == [7, 105]
    assert rows[("Bekostigd", "Beroepsonderdelen")] == [0, 3]
    assert rows[("Bekostigd", "LNV-certificaten")] == [0, 4]
    assert rows[("Niet-bekostigd", "Keuzedelen")] == [0, 20]
    assert rows[("Niet-bekostigd", "Beroepsonderdelen")] == [0, 0]
    assert rows[("Totaal", "Keuzedelen")] == [7, 125]


def test_per_sector_by_funding_and_type(report):
    assert report.table("behaald_per_sector").rows == [
        ["Bekostigd", "Keuzedelen", "Zorg, welzijn en sport", 7, 100],
        ["Bekostigd", "Keuzedelen", "ICT en creatieve industrie", 0, 5],
        ["Bekostigd", "Beroepsonderdelen", "Zorg, welzijn en sport", 0, 3],
        ["Niet-bekostigd", "Keuzedelen", "Zorg, welzijn en sport", 0, 20],
        ["Niet-bekostigd", "Beroepsonderdelen", "Voedsel, groen en gastvrijheid", 0, 0],
    ]


def test_per_certificate_with_qualification_level_and_totals_row(report):
    table = report.table("behaald_bekostigd")
    assert table.columns == [
        "Type",
        "Sectorkamer",
        "Code",
        "Mbo-certificaat",
        "Kwalificatie",
        "Niveau",
        "2024",
        "2025",
    ]
    assert [r[2] for r in table.rows] == ["K0118", "K0905", "K0022", "C0039", ""]
    hp = table.rows[1]
    assert hp == [
        "keuzedeel",
        "Zorg, welzijn en sport",
        "K0905",
        "Helpende plus",
        "Helpende zorg en welzijn",
        "2",
        0,
        100,
    ]
    assert table.rows[-1] == ["Totaal", "", "", "4 certificaten", "", "", 7, 108]  # no LNV


def test_issued_versus_findable_and_the_headline_sentences(report):
    table = report.table("behaald_versus_vindbaar")
    # findable K: K0905, K0118 (both issued); K0022 issued without findable offer.
    # findable C: C0039 (issued), C0021 (0 issued).
    assert [r[:4] for r in table.rows] == [["Keuzedelen", 2, 2, 1], ["Beroepsonderdelen", 2, 1, 0]]
    assert table.rows[0][4] == (
        "Van de 2 keuzedelen met vindbaar aanbod zijn er 2 tot en met 2025 ook behaald; "
        "1 keuzedeel is behaald zonder vindbaar aanbod"
    )
    assert table.rows[1][4] == (
        "Van de 2 beroepsonderdelen met vindbaar aanbod is er 1 tot en met 2025 ook behaald; "
        "0 beroepsonderdelen zijn behaald zonder vindbaar aanbod"
    )
    assert table.rows[1][4] + "." in report.summary
