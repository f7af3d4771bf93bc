"""Excel round trip: export a round's review items, import the analysts' decisions.

One row per review item (a name at an institution). Grey columns are what the matcher found
and must not change; the yellow columns `besluit`, `b2b` and `notitie` are for the analyst.
Import validates every row first (unknown code, changed row, someone decided meanwhile) and
writes all decisions in one transaction, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mbo_websearch.review.actions import (
    Action,
    Choice,
    Conflict,
    decide_locked,
    repeats_own_decision,
    write_transaction,
)
from mbo_websearch.review.highlight import clean
from mbo_websearch.review.queue import QueueItem, load_queue, rounds
from snapshots.errors import InputError, NotFound, Problem
from snapshots.tabular import (
    append_row,
    cell_text,
    read_rows,
    save_workbook,
    whole_number,
    xlsx_value,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Register

SHEET = "review"
RANKS = 5
READ_ONLY = (
    ["ronde", "instelling_id", "instelling", "naam", "sleutel", "context", "pagina", "pagina_id"]
    + [f"{part}_{n}" for n in range(1, RANKS + 1) for part in ("code", "titel", "score")]
    + ["beslissing_id"]
)
EDITABLE = ["besluit", "b2b", "notitie"]
HEADER = READ_ONLY + EDITABLE
# Columns checked on import: what identifies the row and what the analyst saw.
IDENTITY = ["ronde", "instelling_id", "instelling", "sleutel", "naam"]
NONE_WORDS = {"none", "geen", "geen certificaattraject", "nee"}
YES = {"ja", "j", "yes", "y", "1", "x", "true", "waar"}
NO = {"nee", "n", "no", "0", "false", "onwaar"}


@dataclass(frozen=True)
class ImportResult:
    decided: int
    unchanged: int
    empty: int


def export_round(db: Database, round_label: str, path: Path) -> int:
    """Write every review item of the round to `path` (.xlsx); returns the number of rows."""
    if round_label not in rounds(db):
        raise NotFound(f"round {round_label!r} does not exist")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADER)
    grey = PatternFill("solid", fgColor="EEEEEE")
    yellow = PatternFill("solid", fgColor="FFF2B3")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = yellow if cell.value in EDITABLE else grey
    items = load_queue(db, round_label).items
    for item in items:
        append_row(sheet, _row_values(item))
    sheet.freeze_panes = "A2"
    _validations(sheet, len(items))
    save_workbook(book, path)
    return len(items)


def _validations(sheet: Any, rows: int) -> None:
    """Drop-downs for b2b (ja/nee) and a hint on besluit; import checks them again."""
    if rows == 0:
        return  # nothing to review: a header-only sheet (a range A2:A1 is invalid)
    last = rows + 1
    b2b = get_column_letter(HEADER.index("b2b") + 1)
    besluit = get_column_letter(HEADER.index("besluit") + 1)
    yes_no = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    yes_no.add(f"{b2b}2:{b2b}{last}")
    hint = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle="besluit",
        prompt="Een code uit het register (bv. K0905) of 'geen'.",
    )
    hint.add(f"{besluit}2:{besluit}{last}")
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(hint)


def _row_values(item: QueueItem) -> list[Any]:
    ranked: list[Any] = []
    for n in range(RANKS):
        option = item.options[n] if n < len(item.options) else None
        ranked += [option.code, option.title, round(option.score, 1)] if option else [None] * 3
    latest = item.latest
    b2b = None if not latest or latest.b2b_only is None else ("ja" if latest.b2b_only else "nee")
    decided = (latest.code if latest else None, b2b, latest.note if latest else None)
    return [
        item.round,
        item.institution_id,
        clean(item.institution),
        clean(item.name),
        item.normalised_name,
        clean(item.context),
        item.page_url,
        item.page_id,
        *ranked,
        latest.id if latest else None,
        *decided,
    ]


def _text(value: Any) -> str:
    return cell_text(xlsx_value(value)).strip()


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The data rows as (Excel row number, {column: text}); bad files raise InputError."""
    try:
        rows = read_rows(path, sheet=SHEET)
    except InputError as exc:
        problem = exc.problems[0]
        if problem.problem.startswith("not an .xlsx workbook") and len(exc.problems) == 1:
            raise InputError.single(
                path,
                problem.line,
                problem.column,
                f"{problem.problem}; export one with `mbo-websearch review export`",
            ) from exc
        raise
    header = [cell.strip() for cell in rows[0][1]] if rows else []
    if header[: len(HEADER)] != HEADER:
        raise InputError.single(path, 1, "-", "the header row was changed; export again")
    padded = [(n, cells + [""] * (len(HEADER) - len(cells))) for n, cells in rows[1:]]
    return [
        (number, dict(zip(HEADER, (c.strip() for c in cells), strict=False)))
        for number, cells in padded
        if any(c.strip() for c in cells)
    ]


def _check_row(
    path: Path,
    line: int,
    row: dict[str, str],
    items: dict[tuple[str, tuple[int, str]], QueueItem],
    register: Register,
    problems: list[Problem],
) -> tuple[QueueItem, Choice, int | None] | None:
    """Validate one row; append its problems; return what to decide (None: nothing)."""

    def bad(column: str, problem: str) -> None:
        problems.append(Problem(str(path), line, column, problem))

    institution_id = whole_number(row["instelling_id"])
    key = (-1 if institution_id is None else institution_id, row["sleutel"])
    item = items.get((row["ronde"], key))
    if item is None:
        bad("sleutel", "this row is not a review item of the round (row changed or added)")
        return None
    exported = dict(zip(HEADER, _row_values(item), strict=True))
    for column in IDENTITY:
        expected = exported[column]
        if row[column] != _text(expected):
            bad(
                column,
                f"changed from {_text(expected)!r}; only besluit, b2b and notitie may change",
            )
            return None
    answer = row["besluit"]
    if not answer:
        return None
    b2b = row["b2b"].lower()
    if b2b and b2b not in YES | NO:
        bad("b2b", f"{row['b2b']!r} is not ja or nee")
    b2b_only = None if not b2b else b2b in YES
    if answer.lower() in NONE_WORDS:
        choice = Choice(Action.none, note=row["notitie"] or None)
    elif register.get(answer) is None:
        bad("besluit", f"unknown code {answer!r}; use a register code (e.g. K0905) or 'geen'")
        return None
    else:
        choice = Choice(Action.accept, code=answer, b2b_only=b2b_only, note=row["notitie"] or None)
    seen = whole_number(row["beslissing_id"])
    return item, choice, seen


def import_decisions(
    db: Database, register: Register, path: Path, *, reviewer: str
) -> ImportResult:
    """Validate every row, then append all decisions in one transaction (or raise InputError)."""
    if not reviewer.strip():
        raise InputError.single(path, 1, "-", "give the reviewer's name with --reviewer")
    rows = _read(path)
    items = {
        (r, item.key): item
        for r in {row["ronde"] for _, row in rows}
        if r in rounds(db)
        for item in load_queue(db, r).items
    }
    problems: list[Problem] = []
    todo = []
    for line, row in rows:
        checked = _check_row(path, line, row, items, register, problems)
        if checked is not None:
            todo.append((line, *checked))
    if problems:
        raise InputError(problems)
    decided = unchanged = 0
    with write_transaction(db):
        for line, item, choice, seen in todo:
            current = item.latest
            try:
                outcome = decide_locked(
                    db, register, item, choice, reviewer=reviewer, expected_latest=seen
                )
            except Conflict as conflict:
                if repeats_own_decision(conflict.current, db, register, choice, reviewer):
                    unchanged += 1
                    continue
                who = conflict.current.reviewer if conflict.current else "someone"
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "beslissing_id",
                        f"{who} decided on this name after the export; "
                        "export again and redo this row",
                    )
                )
                continue
            if current is not None and outcome.decision_id == current.id:
                unchanged += 1
            else:
                decided += 1
        if problems:
            raise InputError(problems)  # rolls the whole import back
    return ImportResult(decided, unchanged, len(rows) - len(todo))
