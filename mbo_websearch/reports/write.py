"""Write a built report in every format into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mbo_websearch.reports.anonymize import write_key
from mbo_websearch.reports.build import Report
from mbo_websearch.reports.csv import write_csv
from mbo_websearch.reports.html import write_html
from mbo_websearch.reports.xlsx import write_xlsx


@dataclass(frozen=True)
class Written:
    html: Path
    xlsx: Path
    csv: list[Path]
    key: Path | None = None  # pseudonym key, next to the folder (anonymised reports)


def write_all(report: Report, out: Path, *, csv_delimiter: str = ",") -> Written:
    """`rapport.html`, `rapport.xlsx` and `csv/<table>.csv` in `out` (and, when anonymised,
    the pseudonym key next to `out`)."""
    out.mkdir(parents=True, exist_ok=True)
    return Written(
        html=write_html(report, out / "rapport.html"),
        xlsx=write_xlsx(report, out / "rapport.xlsx"),
        csv=write_csv(report, out / "csv", delimiter=csv_delimiter),
        key=write_key(report.pseudonyms, out) if report.pseudonyms else None,
    )
