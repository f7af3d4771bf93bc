"""`issued import` and `potential import`: validated CSV imports (all rows or none)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from matcher.register import Register
from mbo_websearch.labels import FUNDINGS
from mbo_websearch.reports import store
from mbo_websearch.reports.model import IssuedRow, PotentialRow
from snapshots import store as snapshots_store
from snapshots.errors import InputError, Problem
from snapshots.tabular import read_table, whole_number

CODE = re.compile(r"^[KC]\d{4}$")


def _read(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV (see snapshots.tabular) with the given columns, as (line, row)."""
    for record in read_table(path, required=columns).records:
        yield record.line, record.values


def _code_problem(value: str) -> str | None:
    if CODE.match(value.upper()):
        return None
    return f"malformed code {value!r}; expected K or C and four digits, e.g. K0905"


def parse_issued(path: Path) -> list[IssuedRow]:
    """Validate an issued CSV (code,year,funded,count); InputError lists every problem."""
    problems: list[Problem] = []
    rows: list[IssuedRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    for line, row in _read(path, ("code", "year", "funded", "count")):
        found = []
        if (problem := _code_problem(row["code"])) is not None:
            found.append(Problem(str(path), line, "code", problem))
        year = _integer(row["year"], 2000, 2100)
        if year is None:
            found.append(Problem(str(path), line, "year", f"not a year: {row['year']!r}"))
        if row["funded"] not in FUNDINGS:
            found.append(
                Problem(
                    str(path),
                    line,
                    "funded",
                    f"unknown value {row['funded']!r}; use bekostigd or niet-bekostigd",
                )
            )
        number = _integer(row["count"], 0, 10**9)
        if number is None:
            found.append(
                Problem(str(path), line, "count", f"not a whole number >= 0: {row['count']!r}")
            )
        if not found and year is not None and number is not None:
            key = (row["code"].upper(), year, row["funded"])
            if key in seen:
                found.append(
                    Problem(
                        str(path),
                        line,
                        "code",
                        f"duplicate row for {key[0]} {year} {key[2]} (also on line {seen[key]})",
                    )
                )
            else:
                seen[key] = line
                rows.append(IssuedRow(key[0], year, key[2], number))
        problems += found
    if problems:
        raise InputError(problems)
    return rows


def _integer(value: str, low: int, high: int) -> int | None:
    number = whole_number(value)
    return number if number is not None and low <= number <= high else None


def parse_potential(
    path: Path,
    known: Callable[[str], str | None],
    in_register: Callable[[str], bool] = lambda code: True,
) -> list[PotentialRow]:
    """Validate a potential-offer CSV (institution,code). `known` maps a name to its spelling
    in the workspace, or None when the institution is unknown; `in_register` tells whether a
    code is in the register in use."""
    problems: list[Problem] = []
    rows: list[PotentialRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _read(path, ("institution", "code")):
        found = []
        name = known(row["institution"]) if row["institution"] else None
        if not row["institution"]:
            found.append(Problem(str(path), line, "institution", "missing institution"))
        elif name is None:
            found.append(
                Problem(
                    str(path),
                    line,
                    "institution",
                    f"unknown institution "
                    f"{row['institution']!r}; import it with `institutions import` "
                    "or use the name as listed there",
                )
            )
        if (problem := _code_problem(row["code"])) is not None:
            found.append(Problem(str(path), line, "code", problem))
        elif not in_register(row["code"]):
            found.append(
                Problem(
                    str(path),
                    line,
                    "code",
                    f"code {row['code']!r} is not in the register; import the register "
                    "that has it with `register import`",
                )
            )
        if not found and name is not None:
            key = (name, row["code"].upper())
            if key in seen:
                found.append(
                    Problem(str(path), line, "code", f"duplicate row (also on line {seen[key]})")
                )
            else:
                seen[key] = line
                rows.append(PotentialRow(*key))
        problems += found
    if problems:
        raise InputError(problems)
    if not rows:  # an import replaces the list: an empty export must not wipe it
        raise InputError.single(path, 2, "institution", "no rows in the file")
    return rows


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def import_issued(db: Database, path: Path) -> int:
    """Upsert issued counts per (code, year, funded) in one transaction; return the row count."""
    rows = parse_issued(path)
    store.upsert_issued(db, rows, source=path.name, imported_at=_now())
    return len(rows)


def institution_names(db: Database) -> Callable[[str], str | None]:
    """Case-insensitive lookup of institution names in the workspace."""
    names = {name.lower(): name for name in snapshots_store.institution_names(db).values()}
    return lambda name: names.get(name.strip().lower())


def import_potential(db: Database, path: Path) -> int:
    """Replace the potential offer with the file's rows in one transaction; return the count."""
    register = Register.from_db(db)
    rows = parse_potential(path, institution_names(db), lambda code: register.get(code) is not None)
    store.replace_potential(db, rows, source=path.name, imported_at=_now())
    return len(rows)
