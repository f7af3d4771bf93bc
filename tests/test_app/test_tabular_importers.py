"""Importers and exporters on hostile input: unknown codes, short rows, control characters."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from mbo_websearch.review.workbook import HEADER
from tests.conftest import DATA
from tests.test_app.conftest import ROUND

REPORTS = DATA / "reports"


def test_potential_import_refuses_codes_that_are_not_in_the_register(cli, db, tmp_path):
    assert cli("institutions", "import", REPORTS / "institutions.csv").exit_code == 0
    path = tmp_path / "potential.csv"
    path.write_text("institution,code\nROC A,K0905\nROC A,K9999\n", encoding="utf-8")
    result = cli("potential", "import", path)
    assert result.exit_code == 2
    assert (
        "potential.csv:3: code: code 'K9999' is not in the register; import the register "
        "that has it with `register import`" in result.stderr
    )
    assert db["potential"].count == 0


def test_a_review_workbook_with_short_rows_is_one_line_per_row_exit_2(cli, seeded, db, tmp_path):
    path = tmp_path / "review.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "review"
    sheet.append(HEADER)
    sheet.append([ROUND, 1, "ROC Noord"])  # the analyst deleted the rest of the row
    sheet.append([ROUND])
    book.save(path)
    result = cli("review", "import", path, "--reviewer", "ana")
    assert result.exit_code == 2, result.output
    assert "review.xlsx:2: sleutel: this row is not a review item of the round" in result.stderr
    assert "review.xlsx:3: sleutel: this row is not a review item of the round" in result.stderr
    assert "Traceback" not in result.output
    assert db["decisions"].count == 0


def test_control_characters_in_crawled_names_never_crash_the_exports(cli, seeded, db, tmp_path):
    db.execute("UPDATE institutions SET name = 'ROC\x01 Noord\x0c' WHERE name = 'ROC Noord'")
    db.conn.commit()
    out = tmp_path / "review.xlsx"
    result = cli("review", "export", "--round", ROUND, "--out", out)
    assert result.exit_code == 0, result.output
    names = {row[2] for row in load_workbook(out)["review"].iter_rows(min_row=2, values_only=True)}
    assert "ROC Noord" in names  # the review workbook drops control characters
    assert all("\x01" not in name for name in names)


def test_offers_xlsx_replaces_control_characters_and_keeps_formulas_as_text(tmp_path):
    from dataclasses import replace

    from matcher.offers import Offer
    from mbo_websearch.commands.offers import _write_xlsx

    offer = Offer(
        round=ROUND,
        institution_id=1,
        institution="ROC\x01 Noord",
        funded="bekostigd",
        code="K0905",
        title="Helpende plus",
        type="keuzedeel",
        sector=None,
        status="confirmed",
        b2b_only=False,
        evidence_url="http://127.0.0.1/",
        evidence_page_ids=(1,),
        score=100.0,
        names=("=cmd|' /C calc'!A0\x1b",),
    )
    out = tmp_path / "offers.xlsx"
    _write_xlsx([offer, replace(offer, code="K0118")], out)
    sheet = load_workbook(out)["offers"]
    assert sheet["A2"].value == "ROC\ufffd Noord"
    assert sheet["K2"].value == "=cmd|' /C calc'!A0\ufffd"
    assert sheet["K2"].data_type == "s"
    assert sheet["H2"].value is False
