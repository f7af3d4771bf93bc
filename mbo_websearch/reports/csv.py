"""Write a report as one CSV file per table (the convention of snapshots.tabular)."""

from __future__ import annotations

from pathlib import Path

from mbo_websearch.reports.build import Report
from snapshots.tabular import write_csv_file


def write_csv(report: Report, folder: Path, *, delimiter: str = ",") -> list[Path]:
    """`<folder>/<table key>.csv` for every table; returns the files written.
    `delimiter=";"` is what Dutch Excel opens by double-click."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        path = folder / f"{table.key}.csv"
        written.append(write_csv_file(path, table.columns, table.plain_rows(), delimiter=delimiter))
    return written
