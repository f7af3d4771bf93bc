"""Property-based tests of every importer and writer (Hypothesis).

Arbitrary Unicode (control characters included), huge fields, duplicate headers and random
delimiters: an importer either refuses the file with `file:line: column: problem` and changes
nothing, or imports it so that import -> export -> import gives the same rows. Every writer's
output opens in `csv` / openpyxl, and crawled text is never read back as a formula.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from matcher.register import Register, import_register, parse_register
from mbo_websearch.reports.csv import write_csv as write_report_csv
from mbo_websearch.reports.imports import (
    import_issued,
    import_potential,
    parse_issued,
    parse_potential,
)
from mbo_websearch.reports.model import Table
from mbo_websearch.reports.store import load_issued, load_potential
from mbo_websearch.reports.xlsx import write_xlsx as write_report_xlsx
from mbo_websearch.review.workbook import HEADER, export_round, import_decisions
from mbo_websearch.workspace import open_db
from snapshots.errors import InputError
from snapshots.institutions import import_institutions, list_institutions, parse_institutions
from snapshots.tabular import (
    GUARDED_STARTS,
    csv_text,
    unguard,
    write_csv_file,
    write_sheet,
    xlsx_value,
)
from snapshots.workspace import Workspace
from tests.test_app.conftest import ROUND

# Modest, reproducible runs: the same examples on every machine, nothing written to disk.
FEW = settings(max_examples=15, deadline=None, derandomize=True, database=None)
FIXTURE = settings(  # a workbook export per example: few, and no slow shrinking
    FEW,
    max_examples=5,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Any Unicode text (controls, U+2028, BOMs, bidi marks), now and then a field over 128 KiB.
anything = st.text(st.characters(codec="utf-8"), max_size=30)
cells = st.one_of(anything, anything, anything, st.just("x" * (130 * 1024)))
delimiters = st.sampled_from([",", ";", "\t"])
FORMULA = ("=", "+", "-", "@", "\t", "\r")


class Scratch:
    """A fresh workspace per Hypothesis example (function fixtures are shared by examples)."""

    def __enter__(self) -> Scratch:
        self._dir = tempfile.TemporaryDirectory()
        self.root = Path(self._dir.name)
        self.db = open_db(Workspace(self.root / "ws"))
        return self

    def fresh_db(self, name: str):
        return open_db(Workspace(self.root / name))

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


def write_raw_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


def assert_well_formed(error: InputError, path: Path) -> None:
    """Every problem names this file, a line, a column and what is wrong."""
    assert error.problems
    for problem in error.problems:
        assert problem.path == str(path)
        assert problem.line >= 0
        assert problem.column
        assert problem.problem
        assert str(problem) == f"{path}:{problem.line}: {problem.column}: {problem.problem}"


# --- readers never crash -------------------------------------------------------------------


@FEW
@given(
    header=st.lists(
        st.sampled_from(["name", "funded", "website", "code", "title", "year", "count", "Naam"])
        | anything,
        max_size=6,
    ),
    body=st.lists(st.lists(cells, max_size=7), max_size=4),
    delimiter=delimiters,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_every_csv_importer_either_reads_or_reports_file_line_column(
    header, body, delimiter, encoding
):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        write_raw_csv(path, [header, *body], delimiter, encoding)
        for parse in (
            parse_institutions,
            parse_register,
            parse_issued,
            lambda p: parse_potential(p, lambda name: name or None),
        ):
            try:
                parse(path)
            except InputError as error:
                assert_well_formed(error, path)


# --- institutions ----------------------------------------------------------------------------

institution_rows = st.lists(
    st.tuples(
        anything,
        st.sampled_from(["bekostigd", "niet-bekostigd", "Bekostigd", "gesubsidieerd"]),
        anything,
    ),
    min_size=1,
    max_size=4,
)


@FEW
@given(rows=institution_rows, delimiter=delimiters, duplicate=st.booleans())
def test_institutions_import_round_trips_or_changes_nothing(rows, delimiter, duplicate):
    header = ["name", "funded", "website", "region"] + (["Name"] if duplicate else [])
    table = [
        [name, funded, f"http://127.0.0.{i + 1}/", region] + ([name] if duplicate else [])
        for i, (name, funded, region) in enumerate(rows)
    ]
    with Scratch() as scratch:
        path = scratch.root / "institutions.csv"
        write_raw_csv(path, [header, *table], delimiter, "utf-8")
        try:
            import_institutions(scratch.db, path)
        except InputError as error:
            assert_well_formed(error, path)
            assert scratch.db["institutions"].count == 0
            return
        assert not duplicate
        first = [
            (i.name, i.funded, i.website, i.region, i.start_urls, i.hosts)
            for i in list_institutions(scratch.db)
        ]
        assert sorted(name for name, *_ in first) == sorted(
            unguard(name.strip()) for name, *_ in rows
        )
        exported = write_csv_file(
            scratch.root / "export.csv",
            ["name", "funded", "website", "region"],
            [[i[0], i[1], i[2], i[3]] for i in first],
        )
        again = scratch.fresh_db("again")
        import_institutions(again, exported)
        assert [
            (i.name, i.funded, i.website, i.region, i.start_urls, i.hosts)
            for i in list_institutions(again)
        ] == first


# --- register (CSV and XLSX) ------------------------------------------------------------------

certificates = st.lists(
    st.tuples(
        st.from_regex(r"\A[KC][0-9]{4}\Z"),
        anything,
        anything,
        st.none() | st.integers(1, 10**6),
        st.sampled_from(["", "2", "3/4", "niveau 4", "6"]),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda c: c[0],
)
SHOWN = ["code", "title", "type", "sector", "sbu", "level", "alt_codes"]


def shown(register: Register) -> list[list[object]]:
    """What `register show` prints, as rows."""
    return [
        [c.code, c.title, c.type, c.sector, c.sbu, c.level, "|".join(c.alt_codes)] for c in register
    ]


@FEW
@example(rows=[("K0905", "' =x", "", None, "")], as_xlsx=False, delimiter=",")
@example(rows=[("K0905", "'x", "", None, "")], as_xlsx=True, delimiter=",")
@given(rows=certificates, as_xlsx=st.booleans(), delimiter=delimiters)
def test_register_import_round_trips_through_register_show_or_changes_nothing(
    rows, as_xlsx, delimiter
):
    header = ["Code", "Titel", "Sectorkamer", "Omvang", "Niveau"]
    with Scratch() as scratch:
        if as_xlsx:
            path = write_sheet(scratch.root / "register.xlsx", "register", header, rows)
        else:
            path = scratch.root / "register.csv"
            write_raw_csv(
                path, [header, *[[str(v or "") for v in r] for r in rows]], delimiter, "utf-8"
            )
        try:
            import_register(scratch.db, path, as_of="2026-01-01")
        except InputError as error:
            assert_well_formed(error, path)
            assert scratch.db["register_versions"].count == 0
            assert scratch.db["certificates"].count == 0
            return
        first = shown(Register.from_db(scratch.db))
        as_read = {r[0]: (str(xlsx_value(r[1])).strip() if as_xlsx else r[1].strip()) for r in rows}
        if not as_xlsx:
            as_read = {code: unguard(title).strip() for code, title in as_read.items()}
        assert {c[0]: c[1] for c in first} == as_read
        text = csv_text(SHOWN, first)
        exported = scratch.root / "shown.csv"
        exported.write_text(text, encoding="utf-8")
        again = scratch.fresh_db("again")
        import_register(again, exported, as_of="2026-01-01")
        assert shown(Register.from_db(again)) == first


# --- issued and potential -----------------------------------------------------------------------

issued_rows = st.lists(
    st.tuples(
        st.from_regex(r"\A[KC][0-9]{4}\Z") | anything,
        st.integers(1990, 2110).map(str) | anything,
        st.sampled_from(["bekostigd", "niet-bekostigd", "x"]),
        st.integers(-5, 10**10).map(str) | st.just("9" * 5000) | anything,
    ),
    max_size=5,
)


@FEW
@given(rows=issued_rows, delimiter=delimiters)
def test_issued_import_round_trips_or_changes_nothing(rows, delimiter):
    columns = ["code", "year", "funded", "count"]
    with Scratch() as scratch:
        path = scratch.root / "issued.csv"
        write_raw_csv(path, [columns, *map(list, rows)], delimiter, "utf-8")
        try:
            import_issued(scratch.db, path)
        except InputError as error:
            assert_well_formed(error, path)
            assert scratch.db["issued"].count == 0
            return
        first = load_issued(scratch.db)
        exported = write_csv_file(
            scratch.root / "export.csv",
            columns,
            [[r.code, r.year, r.funded, r.count] for r in first],
        )
        again = scratch.fresh_db("again")
        import_issued(again, exported)
        assert load_issued(again) == first


DEFAULT_CODES = [c.code for c in Register.default()][:5]


@FEW
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["ROC A", "roc a", "ROC B", "Onbekend"]) | anything,
            st.sampled_from([*DEFAULT_CODES, "K9999", "C0000"]) | anything,
        ),
        max_size=5,
    ),
    delimiter=delimiters,
)
def test_potential_import_round_trips_or_changes_nothing(rows, delimiter):
    columns = ["institution", "code"]
    with Scratch() as scratch:
        for name in ("ROC A", "ROC B"):
            scratch.db["institutions"].insert(
                {
                    "name": name,
                    "funded": "bekostigd",
                    "website": "http://127.0.0.1/",
                    "start_urls": "[]",
                    "hosts": "[]",
                    "imported_at": "2026-01-01",
                }
            )
        path = scratch.root / "potential.csv"
        write_raw_csv(path, [columns, *map(list, rows)], delimiter, "utf-8")
        try:
            import_potential(scratch.db, path)
        except InputError as error:
            assert_well_formed(error, path)
            assert scratch.db["potential"].count == 0
            return
        assert {r.code for r in load_potential(scratch.db)} <= set(DEFAULT_CODES)
        first = load_potential(scratch.db)
        exported = write_csv_file(
            scratch.root / "export.csv", columns, [[r.institution, r.code] for r in first]
        )
        import_potential(scratch.db, exported)
        assert load_potential(scratch.db) == first


# --- review workbook -----------------------------------------------------------------------------

xml_text = anything.map(lambda text: str(xlsx_value(text)))


@FIXTURE
@given(
    answers=st.lists(
        st.tuples(
            st.sampled_from(["", "geen", "K0905", "K9999", "C0039"]) | xml_text,
            st.sampled_from(["", "ja", "nee"]) | xml_text,
            xml_text,
        ),
        min_size=1,
        max_size=5,
    ),
    cut=st.integers(0, len(HEADER)),
)
def test_review_workbook_import_round_trips_or_changes_nothing(seeded, db, tmp_path, answers, cut):
    path = tmp_path / "review.xlsx"
    export_round(db, ROUND, path)
    book = load_workbook(path)
    sheet = book["review"]
    besluit = HEADER.index("besluit") + 1
    for row, (decision, b2b, note) in zip(range(2, sheet.max_row + 1), answers, strict=False):
        for offset, value in enumerate((decision, b2b, note)):
            sheet.cell(row, besluit + offset, value)
    for column in range(max(cut, 1) + 1, len(HEADER) + 1):  # a short last row
        sheet.cell(sheet.max_row, column, None)
    book.save(path)
    before = db["decisions"].count
    try:
        import_decisions(db, Register.default(), path, reviewer="hypothesis")
    except InputError as error:
        assert_well_formed(error, path)
        assert db["decisions"].count == before
        return
    again = tmp_path / "again.xlsx"
    export_round(db, ROUND, again)

    def key(row: tuple) -> tuple:
        return row[HEADER.index("instelling_id")], row[HEADER.index("sleutel")]

    decided = {
        key(r): r[besluit - 1 : besluit + 2]
        for r in load_workbook(again)["review"].iter_rows(min_row=2, values_only=True)
    }
    for r in load_workbook(path)["review"].iter_rows(min_row=2, values_only=True):
        decision, _, note = (str(v or "").strip() for v in r[besluit - 1 : besluit + 2])
        if decision and decision.lower() != "geen":
            assert decided[key(r)][0] == decision.upper()
            assert (decided[key(r)][2] or "") == note


# --- writers -------------------------------------------------------------------------------------

grids = st.lists(
    st.lists(anything | st.integers() | st.booleans() | st.none(), min_size=3, max_size=3),
    max_size=5,
)


@FEW
@given(rows=grids)
def test_csv_writer_output_parses_and_never_starts_a_formula(rows):
    text = csv_text(["a", "b", "c"], rows)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == len(rows) + 1
    for written, read in zip(rows, parsed[1:], strict=True):
        for value, cell in zip(written, read, strict=True):
            if isinstance(value, str):  # text; numbers stay numbers (-1)
                assert not cell.startswith(FORMULA)
                assert unguard(cell) == value
                assert cell.startswith("'") == value.startswith(GUARDED_STARTS)


@FEW
@example(rows=[["", "\x01=1", 9_007_199_254_740_993]])  # Excel would round 2**53 + 1
@given(rows=grids)
def test_xlsx_writer_output_opens_and_text_stays_text(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = write_sheet(Path(folder) / "t.xlsx", "t", ["a", "b", "c"], rows)
        sheet = load_workbook(path)["t"]
        for r, written in enumerate(rows, start=2):
            for c, value in enumerate(written, start=1):
                cell = sheet.cell(r, c)
                if isinstance(value, str) and value:
                    assert cell.data_type == "s"
                    assert cell.value == xlsx_value(value)
                elif value is not None and not isinstance(value, str):
                    assert cell.value == xlsx_value(value)  # a 16-digit int as text


@FEW
@given(title=anything, note=anything, rows=grids)
def test_report_writers_survive_any_crawled_text(title, note, rows):
    from mbo_websearch.reports.build import Report

    table = Table("t", title, ["instelling", "code", "aantal"], [list(r) for r in rows], note)
    report = Report(title, "R", None, [table])
    with tempfile.TemporaryDirectory() as folder:
        xlsx = write_report_xlsx(report, Path(folder) / "r.xlsx")
        sheet = load_workbook(xlsx)["t"]
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                assert cell.data_type != "f"
        (path,) = write_report_csv(report, Path(folder) / "csv")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            parsed = list(csv.reader(handle))
        assert len(parsed) == len(rows) + 1
        text_cells = [
            cell
            for written, row in zip(rows, parsed[1:], strict=True)
            for value, cell in zip(written, row, strict=True)
            if isinstance(value, str)
        ]
        assert not any(cell.startswith(FORMULA) for cell in text_cells + parsed[0])
