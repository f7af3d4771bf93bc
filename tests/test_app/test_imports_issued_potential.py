"""`issued import` and `potential import`: validation with file:line: column, all or nothing."""

from __future__ import annotations

from tests.conftest import DATA

REPORTS = DATA / "reports"


def _institutions(cli):
    result = cli("institutions", "import", REPORTS / "institutions.csv")
    assert result.exit_code == 0, result.output


def test_issued_import_stores_every_row(cli, db):
    result = cli("issued", "import", REPORTS / "issued.csv")
    assert result.exit_code == 0, result.output
    assert "Imported 6 issued-certificate rows" in result.output
    row = next(db["issued"].rows_where("code = ? AND funded = ?", ["K0905", "niet-bekostigd"]))
    assert (row["year"], row["count"], row["source"]) == (2025, 20, "issued.csv")


def test_issued_reimport_updates_counts_instead_of_duplicating(cli, db, tmp_path):
    assert cli("issued", "import", REPORTS / "issued.csv").exit_code == 0
    update = tmp_path / "update.csv"
    update.write_text("code,year,funded,count\nK0905,2025,bekostigd,120\n", encoding="utf-8")
    assert cli("issued", "import", update).exit_code == 0
    assert db["issued"].count == 6
    row = next(db["issued"].rows_where("code = 'K0905' AND funded = 'bekostigd'"))
    assert row["count"] == 120


def test_issued_bad_rows_are_all_reported_and_nothing_is_imported(cli, db):
    result = cli("issued", "import", REPORTS / "issued_bad.csv")
    assert result.exit_code == 2
    err = result.stderr
    assert "issued_bad.csv:3: code: malformed code 'X12'; expected K or C and four digits" in err
    assert "issued_bad.csv:4: year: not a year: 'twintig'" in err
    assert "issued_bad.csv:5: funded: unknown value 'gesubsidieerd'" in err
    assert "issued_bad.csv:6: count: not a whole number >= 0: '-3'" in err
    assert "issued_bad.csv:7: code: duplicate row for K0905 2025 bekostigd (also on line 2)" in err
    assert "Nothing was changed." in err
    assert db["issued"].count == 0


def test_issued_missing_column_is_named(cli, tmp_path, db):
    bad = tmp_path / "no_count.csv"
    bad.write_text("code,year,funded\nK0905,2025,bekostigd\n", encoding="utf-8")
    result = cli("issued", "import", bad)
    assert result.exit_code == 2
    expected = "no_count.csv:1: count: missing column(s); expected code,year,funded,count"
    assert expected in result.stderr


def test_potential_import_matches_institution_names(cli, db):
    _institutions(cli)
    result = cli("potential", "import", REPORTS / "potential.csv")
    assert result.exit_code == 0, result.output
    assert "Imported 5 potential offers" in result.output
    rows = {(r["institution"], r["code"]) for r in db["potential"].rows}
    assert ("ROC A", "K0022") in rows
    assert ("Opleider X", "K0905") in rows


def test_potential_reimport_replaces_the_list(cli, db, tmp_path):
    _institutions(cli)
    assert cli("potential", "import", REPORTS / "potential.csv").exit_code == 0
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("institution,code\nroc b,c0021\n", encoding="utf-8")
    assert cli("potential", "import", smaller).exit_code == 0
    assert [(r["institution"], r["code"]) for r in db["potential"].rows] == [("ROC B", "C0021")]


def test_potential_bad_rows_are_all_reported_and_nothing_is_imported(cli, db):
    _institutions(cli)
    assert cli("potential", "import", REPORTS / "potential.csv").exit_code == 0
    result = cli("potential", "import", REPORTS / "potential_bad.csv")
    assert result.exit_code == 2
    err = result.stderr
    assert "potential_bad.csv:3: institution: missing institution" in err
    assert "potential_bad.csv:4: code: malformed code 'K09'" in err
    assert "potential_bad.csv:5: institution: unknown institution 'Onbekende School'" in err
    assert "potential_bad.csv:6: code: duplicate row (also on line 2)" in err
    assert db["potential"].count == 5  # the earlier import is untouched


def test_issued_import_reads_semicolon_separated_excel_csv(cli, db, tmp_path):
    dutch = tmp_path / "duo.csv"
    dutch.write_bytes("\ufeffCode;Year;Funded;Count\nK0905;2025;bekostigd;711\n".encode())
    result = cli("issued", "import", dutch)
    assert result.exit_code == 0, result.output
    assert next(db["issued"].rows)["count"] == 711


def test_potential_file_without_rows_does_not_wipe_the_list(cli, db, tmp_path):
    _institutions(cli)
    assert cli("potential", "import", REPORTS / "potential.csv").exit_code == 0
    empty = tmp_path / "leeg.csv"
    empty.write_text("institution,code\n", encoding="utf-8")
    result = cli("potential", "import", empty)
    assert result.exit_code == 2
    assert "leeg.csv:2: institution: no rows in the file" in result.stderr
    assert db["potential"].count == 5
