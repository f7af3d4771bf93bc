"""The layering holds: SQL lives only in each package's store and migrations."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("crawler", "matcher", "snapshots", "mbo_websearch")
SQL_HOMES = {"store.py", "migrations.py"}

SQL = re.compile(
    r"\b(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|VIEW|INDEX|TRIGGER)"
    r"|PRAGMA\s|BEGIN\s+IMMEDIATE)"
)
TABLE_API = re.compile(
    r"\bdb\[|\.query\(|\.execute\(|\.executescript\(|\.rows_where\(|\bdb\.table\(|\.upsert\(|"
    r"\.insert_all\("
)


def _python_files():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_sql_only_in_stores_and_migrations():
    offenders = []
    for path in _python_files():
        if path.name in SQL_HOMES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line) or TABLE_API.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "SQL outside a store:\n" + "\n".join(offenders)


def test_the_guard_sees_sql():
    assert SQL.search('db.query("SELECT label FROM rounds")')
    assert TABLE_API.search('db["pages"].rows_where("round = ?", [r])')
    assert not SQL.search("Select the round you want")


def test_each_table_owning_package_has_one_store():
    for package in ("snapshots", "matcher", "mbo_websearch/reports"):
        assert (ROOT / package / "store.py").is_file(), package
