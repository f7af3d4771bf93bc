"""Institutions: validated CSV import and lookup (name, funding, website, start URLs, hosts)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from snapshots import store
from snapshots.errors import InputError, NotFound, Problem
from snapshots.store import Institution as Institution
from snapshots.tabular import read_table
from snapshots.workspace import slugify

if TYPE_CHECKING:
    from sqlite_utils import Database

FUNDED_VALUES = ("bekostigd", "niet-bekostigd")
RENDER_VALUES = ("auto", "always", "never")
REQUIRED_COLUMNS = ("name", "funded", "website")
OPTIONAL_COLUMNS = ("brin", "kind", "region", "start_urls", "render")


def normalise_url(value: str) -> str | None:
    """Return an absolute http(s) URL for `value` (a bare domain gets https://), or None."""
    value = value.strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        return None
    if "." not in parts.hostname and parts.hostname != "localhost":
        return None
    if not parts.path:
        value = value + "/"
    return value


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def parse_institutions(path: Path, imported: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Read and validate an institutions CSV; raise InputError listing every bad field.
    `imported`: names already in the workspace (a new name must not share their WARC file)."""
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    table = read_table(
        path, required=REQUIRED_COLUMNS, expected="name,funded,website", header_within=1
    )
    seen: dict[str, int] = {}
    files: dict[str, tuple[str, int]] = {slugify(name): (name, 0) for name in imported}
    for record in table.records:
        line, row = record.line, dict(record.values)
        for column in ("funded", "render"):  # Bekostigd, Auto: spelled as typed in Excel
            row[column] = row.get(column, "").lower()
        row_problems = _validate_row(str(path), line, row, seen)
        if not row_problems:
            row_problems = _shared_file(str(path), line, row["name"], files)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(_to_record(row))
    if problems:
        raise InputError(problems)
    if not rows:  # an empty list would make `crawl` fall back to the embedded defaults
        raise InputError.single(path, table.header_line + 1, "name", "no institutions in the file")
    return rows


def _shared_file(
    path: str, line: int, name: str, files: dict[str, tuple[str, int]]
) -> list[Problem]:
    """Two names with the same slug would write one WARC file: refuse the second."""
    other = files.setdefault(slugify(name), (name, line))
    if other[0] == name:
        return []
    where = f"line {other[1]}" if other[1] else "already imported"
    return [
        Problem(
            path,
            line,
            "name",
            f"{name!r} would share the evidence file "
            f"{slugify(name)}.warc.gz with {other[0]!r} ({where}); "
            "make the names differ in letters or digits",
        )
    ]


def _validate_row(path: str, line: int, row: dict[str, str], seen: dict[str, int]) -> list[Problem]:
    problems = []
    name = row.get("name", "")
    if not name:
        problems.append(Problem(path, line, "name", "missing name"))
    elif name.lower() in seen:
        problems.append(
            Problem(
                path, line, "name", f"duplicate name {name!r} (also on line {seen[name.lower()]})"
            )
        )
    else:
        seen[name.lower()] = line
    if row.get("funded", "") not in FUNDED_VALUES:
        problems.append(
            Problem(
                path,
                line,
                "funded",
                f"unknown value {row.get('funded', '')!r}; use bekostigd or niet-bekostigd",
            )
        )
    if normalise_url(row.get("website", "")) is None:
        problems.append(Problem(path, line, "website", f"malformed URL {row.get('website', '')!r}"))
    for url in row.get("start_urls", "").split():
        if normalise_url(url) is None or "://" not in url:
            problems.append(
                Problem(path, line, "start_urls", f"malformed URL {url!r}; give full http(s) URLs")
            )
    render = row.get("render", "")
    if render and render not in RENDER_VALUES:
        problems.append(
            Problem(path, line, "render", f"unknown value {render!r}; use auto, always or never")
        )
    return problems


def _to_record(row: dict[str, str]) -> dict[str, Any]:
    website = normalise_url(row["website"])
    assert website is not None
    start_urls = [normalise_url(u) for u in row.get("start_urls", "").split()] or [website]
    hosts = sorted({host_of(website), *(host_of(u) for u in start_urls if u)})
    return {
        "name": row["name"],
        "funded": row["funded"],
        "website": website,
        "brin": row.get("brin") or None,
        "kind": row.get("kind") or None,
        "region": row.get("region") or None,
        "start_urls": json.dumps(start_urls),
        "hosts": json.dumps(hosts),
        "render": row.get("render") or None,
    }


def import_institutions(db: Database, path: Path) -> int:
    """Validate `path` and upsert its institutions in one transaction; return the row count."""
    imported = list(store.institution_names(db).values())
    records = parse_institutions(path, imported=imported)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    store.save_institutions(db, records, imported_at=now)
    return len(records)


def list_institutions(db: Database, names: list[str] | None = None) -> list[Institution]:
    """All institutions (sorted by name), or the named ones; unknown names raise NotFound."""
    rows = store.list_institutions(db)
    if not names:
        return rows
    by_name = {i.name.lower(): i for i in rows}
    unknown = [n for n in names if n.lower() not in by_name]
    if unknown:
        raise NotFound(f"unknown institution(s): {', '.join(unknown)}")
    chosen = {by_name[n.lower()].id: by_name[n.lower()] for n in names}  # named twice: once
    return list(chosen.values())
