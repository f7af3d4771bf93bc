"""Make a built report publishable: pseudonyms for institutions, no hosts, URLs or page ids.

The tables are built with pseudonyms already (`names`); this pass removes what can still
point at an institution: evidence URLs and page ids kept in counts, URL cells, host names and
WARC file names (institution slugs) in free text such as crawl reasons or titles on websites.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from mbo_websearch.reports.model import Cell, Count, Table
from snapshots.workspace import slugify

REMOVED = "[verwijderd]"
URL = re.compile(r"(?:https?|file)://\S+|\S+\.warc(?:\.gz)?(?:@\d+)?", re.IGNORECASE)
# Sheets that exist to point at websites and archived pages: left out of a published report.
EVIDENCE_TABLES = frozenset({"bewijs", "herkomst"})


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def secrets_of(
    pseudonyms: Mapping[str, str], hosts: Mapping[str, Iterable[str]], urls: Iterable[str | None]
) -> dict[str, str]:
    """Every text that names an institution -> what replaces it (longest first)."""
    found: dict[str, str] = {}
    for name, pseudonym in pseudonyms.items():
        found[name] = pseudonym
        found[slugify(name)] = pseudonym
    for name, names in hosts.items():
        for host in names:
            found[host] = pseudonyms.get(name, REMOVED)
    for url in urls:
        url_host = host_of(url)
        if url_host:
            found.setdefault(url_host, REMOVED)
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


class Scrubber:
    """Replaces names, hosts and slugs (case-insensitively) and removes URLs from text."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        words = [re.escape(s) for s in secrets if len(s) >= 3]
        self.secrets = {s.lower(): v for s, v in secrets.items()}
        self.pattern = re.compile("|".join(words), re.IGNORECASE) if words else None

    def text(self, value: str) -> str:
        value = URL.sub(REMOVED, value)
        if self.pattern is None:
            return value
        return self.pattern.sub(lambda m: self.secrets[m.group(0).lower()], value)

    def cell(self, cell: Cell) -> Cell:
        if isinstance(cell, Count):
            return Count(
                cell.value,
                tuple(
                    replace(
                        e,
                        institution=self.text(e.institution),
                        url=None,
                        page_ids=(),
                        note=self.text(e.note),
                    )
                    for e in cell.evidence
                ),
            )
        if isinstance(cell, str):
            return self.text(cell)
        return cell


def anonymize_tables(tables: list[Table], scrubber: Scrubber) -> list[Table]:
    """The tables fit to publish: evidence sheets left out, every text scrubbed."""
    kept = []
    for table in tables:
        if table.key in EVIDENCE_TABLES:
            continue
        table.title = scrubber.text(table.title)
        table.note = scrubber.text(table.note)
        table.columns = [scrubber.text(c) for c in table.columns]
        table.rows = [[scrubber.cell(c) for c in row] for row in table.rows]
        kept.append(table)
    return kept


def key_path(out: Path) -> Path:
    """The pseudonym key lives next to the published folder, never inside it."""
    return out.resolve().parent / f"{out.resolve().name}-sleutel.csv"


def write_key(pseudonyms: Mapping[str, str], out: Path) -> Path:
    """`<out>-sleutel.csv`: pseudonym;institution, for the researchers only."""
    path = key_path(out)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Pseudoniem", "Instelling"])
        for name, pseudonym in sorted(pseudonyms.items(), key=lambda kv: _label_order(kv[1])):
            writer.writerow([pseudonym, name])
    return path


def _label_order(label: str) -> tuple[int, str]:
    return (len(label), label)
