"""register import: SBB and plain headers, CSV and XLSX, validation, atomicity, versions."""

from __future__ import annotations

import csv
import io

import pytest

from matcher.register import DEFAULT_REGISTER, Register, import_register, parse_register
from snapshots.errors import InputError
from tests.conftest import DATA

REGISTER = DATA / "register"


def test_default_register_is_partial_sorted_and_resolves_alt_codes():
    register = Register.default()
    codes = [c.code for c in register]
    assert codes == sorted(codes)
    assert len(register) == 113
    assert register.get("K0905").title == "Helpende plus"
    assert register.get("k 1257") is register.get("K0511")  # Pedicure under two codes
    assert "Zorginnovaties & technologie" in register.get("K0138").aliases
    assert register.get("K0042") is None  # doubtful code left out (see matcher/data/README.md)
    assert register.get("K0418").level == "3"


def test_import_plain_csv_via_cli(cli, db):
    result = cli("register", "import", REGISTER / "good.csv", "--as-of", "2024-01-01")
    assert result.exit_code == 0, result.output
    assert "Imported 3 certificates" in result.output
    assert "(as of 2024-01-01)" in result.output
    register = Register.from_db(db)
    assert [c.code for c in register] == ["C0039", "K0511", "K0905"]
    assert register.get("K1257").code == "K0511"
    assert register.get("C0039").qualification == "Helpende Zorg en Welzijn"


def test_import_sbb_headers_semicolons_and_units(db):
    assert import_register(db, REGISTER / "sbb_export.csv", as_of="2024-02-01") == 3
    register = Register.from_db(db)
    helpende = register.get("K0905")
    assert (helpende.type, helpende.sbu, helpende.level) == ("keuzedeel", 240, "2")
    assert register.get("C0053").type == "beroepsgericht onderdeel"
    assert register.get("C0053").qualification == "Verzorgende IG"


def test_import_xlsx_sbb_export_with_a_title_row_above_the_header(db):
    assert import_register(db, REGISTER / "sbb_export.xlsx", as_of="2024-03-01") == 2
    koken = Register.from_db(db).get("C0021")
    assert (koken.title, koken.sbu, koken.level, koken.sector) == (
        "Koken in de horeca",
        480,
        "2",
        "Voedsel, groen en gastvrijheid",
    )


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "bad_duplicate_code.csv",
            ["bad_duplicate_code.csv:4: code: duplicate code 'K0905' (also on line 2)"],
        ),
        (
            "bad_code_format.csv",
            [
                "bad_code_format.csv:2: code: bad code format 'K905'",
                "bad_code_format.csv:3: code: bad code format 'X0118'",
            ],
        ),
        ("bad_missing_title.csv", ["bad_missing_title.csv:3: title: missing title"]),
        (
            "bad_unknown_type.csv",
            [
                "bad_unknown_type.csv:3: type: unknown type 'diploma'",
                "bad_unknown_type.csv:4: type: type 'keuzedeel' does not fit code 'C0039'",
            ],
        ),
        (
            "bad_sbu.csv",
            ["bad_sbu.csv:3: sbu: bad sbu 'veel'", "bad_sbu.csv:4: sbu: bad sbu '-10'"],
        ),
        (
            "bad_many.csv",
            [
                "bad_many.csv:3: code: bad code format 'K090'",
                "bad_many.csv:3: title: missing title",
                "bad_many.csv:4: type: unknown type 'cursus'",
                "bad_many.csv:4: sbu: bad sbu 'abc'",
                "bad_many.csv:4: level: bad level '6'",
                "bad_many.csv:4: lnv: unknown value 'misschien'",
                "bad_many.csv:5: code: duplicate code 'K0905' (also on line 2)",
            ],
        ),
        ("bad_missing_column.csv", ["bad_missing_column.csv:1: title: missing column(s)"]),
        (
            "bad_duplicate_code.xlsx",
            [
                "bad_duplicate_code.xlsx:3: code: duplicate code 'K0905'",
                "bad_duplicate_code.xlsx:3: sbu: bad sbu 'twee'",
            ],
        ),
    ],
)
def test_bad_files_report_every_problem_and_import_nothing(cli, db, fixture, expected):
    assert import_register(db, REGISTER / "good.csv", as_of="2020-01-01") == 3
    result = cli("register", "import", REGISTER / fixture)
    assert result.exit_code == 2
    for message in expected:
        assert message in result.stderr
    assert result.stderr.count(f"{fixture}:") == len(expected)
    assert "Nothing was changed." in result.stderr
    assert db["register_versions"].count == 1
    assert db["certificates"].count == 3


def test_a_register_without_certificates_is_refused(cli, db, tmp_path):
    """An empty version would become the register in use: every offer would vanish."""
    path = tmp_path / "leeg.csv"
    path.write_text("code,title\n", encoding="utf-8")
    result = cli("register", "import", path)
    assert result.exit_code == 2
    assert "leeg.csv:2: code: no certificates in the file" in result.stderr
    assert db["register_versions"].count == 0


def test_an_xlsx_that_is_no_workbook_is_bad_input(cli, db, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("code,title\nK0905,Helpende plus\n", encoding="utf-8")
    result = cli("register", "import", path)
    assert result.exit_code == 2
    assert "register.xlsx:1: -: not an .xlsx workbook" in result.stderr
    assert db["register_versions"].count == 0


def test_bad_as_of_date_is_exit_2(cli):
    result = cli("register", "import", REGISTER / "good.csv", "--as-of", "2024-02-31")
    assert result.exit_code == 2
    assert "bad date '2024-02-31'; expected YYYY-MM-DD" in result.stderr


def test_unsupported_extension_is_input_error(tmp_path):
    path = tmp_path / "register.txt"
    path.write_text("code,title\nK0905,Helpende plus\n", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported file type"):
        parse_register(path)


def test_versions_by_date_and_fallback_to_default(db):
    assert Register.from_db(db).source == "embedded default"
    import_register(db, REGISTER / "good.csv", as_of="2022-01-01")
    import_register(db, REGISTER / "sbb_export.csv", as_of="2024-01-01")
    assert Register.from_db(db).get("C0053") is not None  # latest
    old = Register.from_db(db, as_of="2023-06-30")
    assert old.as_of == "2022-01-01"
    assert old.get("C0053") is None
    assert Register.from_db(db, as_of="2021-12-31").source == "embedded default"


def test_register_list_and_show(cli):
    listed = cli("register", "list")
    assert listed.exit_code == 0
    assert "embedded default (113 certificates, partial)" in listed.output
    assert cli("register", "import", REGISTER / "good.csv", "--as-of", "2024-01-01").exit_code == 0
    listed = cli("register", "list")
    assert "2024-01-01\t3 certificates\tgood.csv" in listed.output
    shown = cli("register", "show")
    assert shown.exit_code == 0
    assert 'K0511,Pedicure,keuzedeel,"Zorg, welzijn en sport",,,K1257' in shown.stdout


def test_default_register_round_trips_through_the_database(db):
    import_register(db, DEFAULT_REGISTER, as_of="2022-02-01")
    loaded = Register.from_db(db)
    assert loaded.certificates == Register.default().certificates
    assert loaded.get("K1257").code == "K0511"


def test_register_show_quotes_titles_as_csv(cli, tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(
        'code,title,type\nK0999,"Werken met ""baby\'s"", peuters",keuzedeel\n', encoding="utf-8"
    )
    assert cli("register", "import", path).exit_code == 0
    shown = cli("register", "show")
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert [(r["code"], r["title"]) for r in rows] == [("K0999", 'Werken met "baby\'s", peuters')]
