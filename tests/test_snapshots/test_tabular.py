"""snapshots/tabular.py: encodings, delimiters, headers, hostile cells, XLSX bombs, the writers."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from snapshots.errors import InputError
from snapshots.tabular import (
    MAX_UNPACKED_BYTES,
    collected_notes,
    csv_text,
    read_table,
    unguard,
    whole_number,
    write_csv_file,
    write_sheet,
)

INSTITUTIONS = "name,funded,website\n"


def problems(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_dutch_excel_csv_in_windows_1252_is_read_with_a_note(cli, db, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "name;funded;website\nOpleider Privé;bekostigd;http://127.0.0.80/\n".encode("cp1252")
    )
    result = cli("institutions", "import", path)
    assert result.exit_code == 0, result.output
    assert "is not UTF-8 (first at line 2); read it as windows-1252" in result.stderr
    assert "separated by ';'" in result.stderr
    assert [r["name"] for r in db["institutions"].rows] == ["Opleider Privé"]


def test_bytes_that_are_no_known_encoding_are_refused_with_their_line(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"name,funded,website\nx\x81y,bekostigd,http://a.nl/\n")
    with pytest.raises(InputError) as exc:
        read_table(path, required=("name",))
    assert problems(exc) == [
        f"{path}:2: -: byte 0x81 is neither UTF-8 nor windows-1252; save the file as 'CSV UTF-8'"
    ]


@pytest.mark.parametrize(("delimiter", "name"), [(",", None), (";", "';'"), ("\t", "tab")])
def test_the_delimiter_is_sniffed_from_the_header_and_named(tmp_path, delimiter, name):
    path = tmp_path / "t.csv"
    path.write_text(delimiter.join(["Code", "Titel"]) + "\nK0905" + delimiter + '"a, b; c"\n')
    with collected_notes() as notes:
        table = read_table(path, aliases={"titel": "title"}, required=("code", "title"))
    assert [r.values for r in table.records] == [{"code": "K0905", "title": "a, b; c"}]
    assert [n for n in notes if "separated" in n] == (
        [f"columns of {path} are separated by {name} (as in its header)"] if name else []
    )


def test_duplicate_headers_are_refused_not_silently_merged(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("name,funded,Name,website\nA,bekostigd,B,http://a.nl/\n")
    with pytest.raises(InputError) as exc:
        read_table(path, required=("name",))
    assert problems(exc) == [f"{path}:1: name: duplicate column (columns 1 and 3); keep one"]


def test_line_separators_inside_quoted_fields_are_kept_and_controls_refused(tmp_path):
    kept = tmp_path / "kept.csv"
    kept.write_text('name,note\n"a\u2028b\nc\x85d",x\n', encoding="utf-8", newline="")
    table = read_table(kept, required=("name",))
    assert table.records[0]["name"] == "a\u2028b\nc\x85d"
    refused = tmp_path / "refused.csv"
    refused.write_text('name,note\nok,x\n"a\x0bb",x\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(refused, required=("name",))
    assert problems(exc) == [
        f"{refused}:3: column 1: control character U+000B in the cell; remove it"
    ]


def test_nul_bytes_are_refused(cli, db, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_text(INSTITUTIONS + "RO\x00C,bekostigd,http://127.0.0.81/\n")
    result = cli("institutions", "import", path)
    assert result.exit_code == 2
    assert "nul.csv:2: -: NUL byte: this is not a text CSV file" in result.stderr
    assert db["institutions"].count == 0


def test_a_field_over_128_kib_is_one_line_exit_2(cli, db, tmp_path):
    import sqlite_utils.cli  # noqa: F401  (raises csv's process-wide field limit on import)

    path = tmp_path / "huge.csv"
    path.write_text(INSTITUTIONS + "x" * (200 * 1024) + ",bekostigd,http://127.0.0.82/\n")
    result = cli("institutions", "import", path)
    assert result.exit_code == 2
    assert "huge.csv:2: -: unreadable CSV: a field is longer than 131,072" in result.stderr
    assert "Traceback" not in result.output


def test_numbers_of_5000_digits_are_bad_values_not_crashes(cli, db, tmp_path):
    issued = tmp_path / "issued.csv"
    issued.write_text(f"code,year,funded,count\nK0905,2025,bekostigd,{'9' * 5000}\n")
    result = cli("issued", "import", issued)
    assert result.exit_code == 2
    assert "issued.csv:2: count: not a whole number >= 0" in result.stderr
    register = tmp_path / "register.csv"
    register.write_text(f"code,title,sbu\nK0905,Helpende plus,{'1' * 5000}\n")
    result = cli("register", "import", register)
    assert result.exit_code == 2
    assert "register.csv:2: sbu: bad sbu" in result.stderr
    assert whole_number("1" * 5000) is None
    assert whole_number(" -42 ") == -42
    assert whole_number("²") is None


def test_short_rows_are_padded_and_extra_cells_refused(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("code,title,type\nK0905\nK0118,a,b,surplus\n")
    with pytest.raises(InputError) as exc:
        read_table(path, required=("code",))
    assert problems(exc) == [
        f"{path}:3: -: 4 cells but 3 columns in the header; check the delimiter and quotes"
    ]
    path.write_text("code,title,type\nK0905\n")
    assert read_table(path, required=("code",)).records[0].values == {
        "code": "K0905",
        "title": "",
        "type": "",
    }


def test_an_xlsx_declaring_the_whole_sheet_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.xlsx"
    book = Workbook()
    book.active.append(["code", "title"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b'<dimension ref="A1:B1"/>', b'<dimension ref="A1:XFD1048576"/>'
    )
    assert b"A1:XFD1048576" in parts[sheet]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert path.stat().st_size < 10_000
    with pytest.raises(InputError) as exc:
        read_table(path, required=("code",))
    assert problems(exc) == [
        f"{path}:1: -: the sheet declares 1,048,576 rows and 16,384 columns; "
        "at most 100,000 rows and 1,000 columns are read"
    ]


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "zipbomb.xlsx"
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(InputError) as exc:
        read_table(path, required=("code",))
    assert problems(exc) == [
        f"{path}:1: -: the workbook unpacks to {MAX_UNPACKED_BYTES + len(chunk):,} bytes, "
        f"more than {MAX_UNPACKED_BYTES:,}"
    ]


def test_csv_writer_guards_formulas_and_round_trips_through_unguard():
    hostile = ['=HYPERLINK("http://127.0.0.99/","x")', "+31", "-", "@SUM(A1)", "\tx", "'q", "ok"]
    text = csv_text(["name", "flag", "n"], [[h, True, 3] for h in hostile] + [[None, False, 2.5]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["name", "flag", "n"]
    assert [r[0] for r in rows[1:-1]] == ["'" + h if h != "ok" else h for h in hostile]
    assert [unguard(r[0]) for r in rows[1:-1]] == hostile
    assert rows[1][1:] == ["true", "3"]
    assert rows[-1] == ["", "false", "2.5"]


def test_csv_files_carry_a_bom_and_unwritable_paths_are_bad_input(tmp_path):
    path = write_csv_file(tmp_path / "out.csv", ["a"], [["é"]])
    assert path.read_bytes() == b"\xef\xbb\xbfa\n\xc3\xa9\n"
    with pytest.raises(InputError, match="cannot write file"):
        write_csv_file(tmp_path / "missing" / "out.csv", ["a"], [["x"]])


def test_xlsx_writer_keeps_text_as_text_and_survives_control_characters(tmp_path):
    path = write_sheet(
        tmp_path / "out.xlsx", "offers", ["name", "b2b"], [["=1+1\x01\x0c\ufffe", True]]
    )
    sheet = load_workbook(path)["offers"]
    assert sheet["A2"].value == "=1+1\ufffd\ufffd\ufffd"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value is True
