"""The report's overview carries the spot-check estimate of auto precision (or says that no
spot check was done), and an analyst's verdict in the review app changes it."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from matcher.normalise import normalise_title
from matcher.register import Register
from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.collect import collect_inputs
from mbo_websearch.reports.write import write_all
from mbo_websearch.review.spot_check import record_verdict
from tests.test_app.conftest import ROUND

ROW = "Steekproef automatisch geaccepteerd"


def overview(db) -> dict[str, str]:
    report = build_report(collect_inputs(db, ROUND))
    return {str(r[0]): str(r[1]) for r in report.table("overzicht").rows}


def verdict(db, seeded, *, correct: bool) -> None:
    key = (seeded.institutions["ROC Zuid"], normalise_title("Werken met baby's"))
    record_verdict(
        db,
        ROUND,
        key,
        correct=correct,
        code=None,
        reviewer="Anna",
        register=Register.from_db(db),
    )


def test_without_verdicts_the_report_says_no_spot_check_was_done(db, seeded):
    assert overview(db)[ROW].startswith("geen steekproef beoordeeld")
    report = build_report(collect_inputs(db, ROUND))
    assert any(line.startswith(f"Er is in {ROUND} geen steekproef") for line in report.summary)


def test_a_verdict_changes_the_estimate_in_every_format(db, seeded, tmp_path):
    verdict(db, seeded, correct=True)
    assert overview(db)[ROW] == "100 % juist (95 %-interval 21 %–100 %; 1 van 1 beoordeelde match)"
    report = build_report(collect_inputs(db, ROUND))
    written = write_all(report, tmp_path / "r")
    assert "Steekproef van automatisch geaccepteerde matches in" in written.html.read_text("utf-8")
    assert "95 %-interval 21 %–100 %" in written.html.read_text("utf-8")
    with (tmp_path / "r" / "csv" / "overzicht.csv").open(encoding="utf-8-sig") as handle:
        rows = {r[0]: r[1] for r in csv.reader(handle)}
    assert rows[ROW].startswith("100 % juist")
    sheet = load_workbook(written.xlsx)["overzicht"]
    assert [c.value for c in sheet["B"] if str(c.value or "").startswith("100 % juist")]

    verdict(db, seeded, correct=False)  # a second look: the match was wrong after all
    assert overview(db)[ROW] == "0 % juist (95 %-interval 0 %–79 %; 0 van 1 beoordeelde match)"
