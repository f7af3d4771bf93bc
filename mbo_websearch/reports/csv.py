"""Write a report as one CSV file per table (UTF-8 with BOM, so Excel reads the accents)."""

from __future__ import annotations

import csv
from pathlib import Path

from mbo_websearch.reports.build import Report


def write_csv(report: Report, folder: Path, *, delimiter: str = ",") -> list[Path]:
    """`<folder>/<table key>.csv` for every table; returns the files written.
    `delimiter=";"` is what Dutch Excel opens by double-click."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        path = folder / f"{table.key}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(table.columns)
            writer.writerows(["" if c is None else c for c in row] for row in table.plain_rows())
        written.append(path)
    return written
