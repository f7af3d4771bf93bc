"""Tabular files in and out: every importer reads, and every exporter writes, through here.

Reading (CSV or XLSX, all or nothing, every problem as `file:line: column: problem`):
- Encoding: UTF-8 with or without BOM, UTF-16 with BOM, else windows-1252 (Dutch Excel's
  "CSV (gescheiden door lijstscheidingsteken)"), which is read with a note naming it. Bytes
  that fit none of these are refused with the line of the first bad byte.
- Delimiter: `,`, `;` or tab, whichever occurs most in the header row (outside quotes); the
  note says which one was found.
- Header: names are matched case-insensitively, `(...)` remarks dropped, through the caller's
  aliases; a duplicate column (`name,name`) is refused rather than one of them silently lost.
- Cells are stripped; a short row is padded with empty cells; non-empty cells beyond the
  header are refused (usually a wrong delimiter); blank rows are skipped.
- Characters XML (and so XLSX) cannot hold (NUL, other C0 controls except tab/CR/LF, U+FFFE,
  U+FFFF) are refused, naming the cell; everything else (`\\x85`, U+2028, newlines inside
  quotes) is kept as typed. So whatever was imported can be exported to XLSX unchanged.
- Limits, checked before parsing: files up to 50 MiB, an XLSX's zip up to 200 MiB unpacked,
  100,000 rows and 1,000 columns (declared or real), CSV fields up to 128 KiB.
- In a CSV, a leading `'` (the formula guard below) is removed, so exported CSVs import
  unchanged; XLSX text is taken as it is (it is never guarded).

Writing (one convention for every CSV and XLSX the tool produces):
- Columns: the caller names them once; the header row comes first, in that order.
- CSV: UTF-8; a file gets a BOM (Excel then reads the accents), stdout gets none (scripts);
  `\\n` line ends; booleans `true`/`false`; None is an empty cell.
- Formula guard (OWASP "CSV injection"): in CSV every text cell that starts with `=` `+` `-`
  `@` tab, CR or `'` gets one leading `'`. Crawled names and titles reach every CSV, so the
  guard is applied everywhere, not only where Excel may open the file; numbers stay numbers.
  Scripts strip one leading `'` (`unguard`) to get the text back.
- XLSX: text cells are stored as strings, never formulas, without the `'`; characters XML
  cannot hold are replaced by U+FFFD; booleans are Excel booleans; integers of more than 15
  digits are written as text (Excel keeps 15 significant digits).

This module knows bytes, text and cells only: no HTML, no database.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from snapshots.errors import InputError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_FIELD_CHARS = 128 * 1024
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
GUARDED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_DIGITS = 15

_notes: ContextVar[list[str] | None] = ContextVar("tabular_notes", default=None)


@contextmanager
def collected_notes() -> Iterator[list[str]]:
    """Collect what the readers noticed (encoding, delimiter) for the caller to show."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def _note(text: str) -> None:
    notes = _notes.get()
    if notes is not None:
        notes.append(text)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One data row: its line (CSV: where the record starts; XLSX: the row number)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    path: Path
    header_line: int
    columns: tuple[str, ...]
    records: list[Record] = field(default_factory=list)


def unguard(text: str) -> str:
    """The text without the formula guard's leading `'` (see the module docstring)."""
    return text[1:] if text.startswith("'") else text


def whole_number(text: str, *, max_digits: int = MAX_DIGITS) -> int | None:
    """`text` as an int when it is an optional '-' and up to `max_digits` ASCII digits."""
    text = text.strip()
    if re.fullmatch(rf"-?[0-9]{{1,{max_digits}}}", text):
        return int(text)
    return None


def read_rows(path: Path, *, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """(line, cells) of an .xlsx sheet (default the first) or else a CSV file, within limits."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError.single(path, 0, "-", f"cannot read file: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise InputError.single(
            path, 0, "-", f"file of {size:,} bytes is larger than {MAX_FILE_BYTES:,}; split it"
        )
    rows = _xlsx_rows(path, sheet) if suffix == ".xlsx" else _csv_rows(path)
    _check_characters(path, rows)
    return rows


def read_table(
    path: Path,
    *,
    aliases: Mapping[str, str] | None = None,
    required: Sequence[str] = (),
    expected: str = "",
    header_within: int = 1,
    sheet: str | None = None,
) -> Table:
    """Read `path` and map its header: the first of the first `header_within` non-blank rows
    that names every `required` column. `expected` tells the user what a header looks like."""
    path = Path(path)
    rows = [(line, cells) for line, cells in read_rows(path, sheet=sheet) if _filled(cells)]
    hint = expected or ",".join(required)
    if not rows:
        raise InputError.single(
            path, 1, ",".join(required) or "-", f"empty file; expected a header row {hint}"
        )
    for index, (line, cells) in enumerate(rows[:header_within]):
        columns = [header_key(cell, aliases) for cell in cells]
        if all(c in columns for c in required):
            _refuse_duplicates(path, line, columns)
            from_csv = path.suffix.lower() != ".xlsx"  # XLSX text is never guarded
            records = _records(path, columns, rows[index + 1 :], from_csv=from_csv)
            return Table(path, line, tuple(columns), records)
    line, cells = rows[0]
    columns = [header_key(cell, aliases) for cell in cells]
    missing = [c for c in required if c not in columns]
    raise InputError.single(path, line, ",".join(missing), f"missing column(s); expected {hint}")


def header_key(raw: str, aliases: Mapping[str, str] | None = None) -> str:
    """A header cell as a column key: lower case, remarks in brackets dropped, aliases applied."""
    key = re.sub(r"\s+", " ", re.sub(r"\(.*?\)", "", unguard(raw or ""))).strip().lower()
    return (aliases or {}).get(key, key)


def _filled(cells: Sequence[str]) -> bool:
    return any(c.strip() for c in cells)


def _refuse_duplicates(path: Path, line: int, columns: Sequence[str]) -> None:
    first: dict[str, int] = {}
    problems = []
    for number, column in enumerate(columns, start=1):
        if not column:
            continue
        if column in first:
            problems.append(
                Problem(
                    str(path),
                    line,
                    column,
                    f"duplicate column (columns {first[column]} and {number}); keep one",
                )
            )
        first.setdefault(column, number)
    if problems:
        raise InputError(problems)


def _records(
    path: Path, columns: Sequence[str], rows: Iterable[tuple[int, list[str]]], *, from_csv: bool
) -> list[Record]:
    problems: list[Problem] = []
    records: list[Record] = []
    for line, cells in rows:
        extra = [c for c in cells[len(columns) :] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    str(path),
                    line,
                    "-",
                    f"{len(columns) + len(cells[len(columns) :])} cells but "
                    f"{len(columns)} columns in the header; check the delimiter and quotes",
                )
            )
            continue
        padded = list(cells[: len(columns)]) + [""] * (len(columns) - len(cells))
        cells = [unguard(v.strip()).strip() if from_csv else v.strip() for v in padded]
        values = {c: v for c, v in zip(columns, cells, strict=True) if c}
        records.append(Record(line, values))
    if problems:
        raise InputError(problems)
    return records


def _check_characters(path: Path, rows: Sequence[tuple[int, list[str]]]) -> None:
    problems = []
    for line, cells in rows:
        for number, cell in enumerate(cells, start=1):
            bad = XML_ILLEGAL.search(cell)
            if bad:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        f"column {number}",
                        f"control character U+{ord(bad.group()):04X} in the cell; remove it",
                    )
                )
                if len(problems) >= 50:
                    raise InputError(problems)
    if problems:
        raise InputError(problems)


def _decode(path: Path, data: bytes) -> str:
    """The file's text: UTF-8 (BOM optional), UTF-16 with BOM, or windows-1252 with a note."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError.single(path, 1, "-", f"broken UTF-16 ({exc.reason})") from exc
        _note(f"{path} read as UTF-16 (it starts with a UTF-16 byte order mark)")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, utf8.start) + 1
            raise InputError.single(
                path,
                line,
                "-",
                f"byte 0x{data[utf8.start]:02x} is neither UTF-8 nor windows-1252; "
                "save the file as 'CSV UTF-8'",
            ) from exc
        line = data.count(b"\n", 0, utf8.start) + 1
        _note(
            f"{path} is not UTF-8 (first at line {line}); read it as windows-1252 "
            "(Excel's CSV): check the accents, or save as 'CSV UTF-8'"
        )
        return text


def sniff_delimiter(line: str) -> str:
    """`,`, `;` or tab: whichever occurs most outside quotes in `line` (`,` on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(path, 0, "-", f"cannot read file: {exc.strerror}") from exc
    text = _decode(path, data)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError.single(path, line, "-", "NUL byte: this is not a text CSV file")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    if delimiter != ",":
        _note(f"columns of {path} are separated by {DELIMITER_NAMES[delimiter]} (as in its header)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    too_long = f"a field is longer than {MAX_FIELD_CHARS:,} characters (128 KiB)"
    try:
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                raise InputError.single(path, start, "-", f"more than {MAX_ROWS:,} rows")
            if len(cells) > MAX_COLUMNS:
                raise InputError.single(path, start, "-", f"more than {MAX_COLUMNS:,} cells")
            # csv's own limit is process-wide, and another library may have raised it
            if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
                raise InputError.single(path, start, "-", f"unreadable CSV: {too_long}")
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = str(exc)
        if "field larger than field limit" in problem:
            problem = too_long
        raise InputError.single(path, start, "-", f"unreadable CSV: {problem}") from exc
    return rows


def _xlsx_rows(path: Path, sheet_name: str | None) -> list[tuple[int, list[str]]]:
    _check_zip(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError.single(path, 1, "-", f"not an .xlsx workbook ({exc})") from exc
    try:
        if sheet_name is not None and sheet_name not in book.sheetnames:
            raise InputError.single(path, 1, "-", f"no sheet named {sheet_name!r}")
        sheet = book[sheet_name] if sheet_name else book.worksheets[0]
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > MAX_ROWS or declared_columns > MAX_COLUMNS:
            raise InputError.single(
                path,
                1,
                "-",
                f"the sheet declares {declared_rows:,} rows and {declared_columns:,} columns; "
                f"at most {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns are read",
            )
        rows: list[tuple[int, list[str]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if line > MAX_ROWS:
                raise InputError.single(path, line, "-", f"more than {MAX_ROWS:,} rows")
            if len(values) > MAX_COLUMNS:
                raise InputError.single(path, line, "-", f"more than {MAX_COLUMNS:,} columns")
            rows.append((line, [cell_text(v) for v in values]))
        return rows
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:  # broken sheet XML
        raise InputError.single(path, 1, "-", f"not an .xlsx workbook ({exc})") from exc
    finally:
        book.close()


def _check_zip(path: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks anything (sizes from the zip directory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError.single(path, 1, "-", f"not an .xlsx workbook ({exc})") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError.single(
            path,
            1,
            "-",
            f"the workbook unpacks to {unpacked:,} bytes, more than {MAX_UNPACKED_BYTES:,}",
        )


def cell_text(value: object) -> str:
    """An XLSX cell value as the text a CSV would hold (12.0 -> '12', None -> '')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- writing -------------------------------------------------------------------------------


def guard(value: object) -> object:
    """A CSV cell: text starting like a formula gets a leading `'`; other values unchanged."""
    if isinstance(value, str) and value.startswith(GUARDED_STARTS):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return guard(value)


def write_csv_rows(
    handle: IO[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
) -> None:
    """Header and rows in the convention above, to an open text handle (no BOM)."""
    handle.write(_csv_line(columns, delimiter))
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"row of {len(row)} cells for {len(columns)} columns")
        handle.write(_csv_line(row, delimiter))


def _csv_line(values: Sequence[object], delimiter: str = ",") -> str:
    """One CSV record, quoted as the csv module does, except that a field holding a lone CR
    is quoted too (csv.writer with `\n` line ends leaves it bare, which splits the record)."""
    fields = [str(csv_cell(v)) for v in values]
    special = delimiter + '"\r\n'
    quoted = [
        '"' + f.replace('"', '""') + '"' if any(c in f for c in special) else f for f in fields
    ]
    if quoted == [""]:
        quoted = ['""']  # a lone empty field, not an empty line
    return delimiter.join(quoted) + "\n"


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV as a string for stdout (no BOM)."""
    buffer = io.StringIO()
    write_csv_rows(buffer, columns, rows)
    return buffer.getvalue()


def write_csv_file(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
) -> Path:
    """CSV file with a UTF-8 BOM (`delimiter=";"` for Dutch Excel); an unwritable path is
    bad input (exit 2)."""
    try:
        with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
            write_csv_rows(handle, columns, rows, delimiter=delimiter)
    except OSError as exc:
        raise InputError.single(path, 0, "-", f"cannot write file: {exc.strerror}") from exc
    return path


def xlsx_value(value: object) -> object:
    """A value for an XLSX cell: text with XML-illegal characters replaced; an integer that
    Excel would round (over 15 digits) as its text; anything else unchanged."""
    if isinstance(value, str):
        return XML_ILLEGAL.sub("\ufffd", value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return str(value)
    return value


def put_cell(sheet: Worksheet, row: int, column: int, value: object) -> Any:
    """Write one cell by the convention: text is a string cell, never a formula."""
    cell = sheet.cell(row=row, column=column, value=xlsx_value(value))  # type: ignore[arg-type]
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Sequence[object]) -> int:
    """Append `values` as the next row by the convention; returns its row number."""
    sheet.append([xlsx_value(v) for v in values])
    row: int = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=row, column=column).data_type = "s"
    return row


def write_sheet(
    path: Path, title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    """A one-sheet workbook: header (bold, frozen, filter) then rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    append_row(sheet, list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        append_row(sheet, values)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return save_workbook(book, path)


def save_workbook(book: Workbook, path: Path) -> Path:
    """Save; an unwritable path is bad input (exit 2), not a traceback."""
    try:
        book.save(path)
    except OSError as exc:
        raise InputError.single(path, 0, "-", f"cannot write file: {exc.strerror}") from exc
    return path
