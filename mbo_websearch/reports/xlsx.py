"""Write a report as an XLSX workbook: one sheet per table, title above the header row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.model import Table

HEADER_ROW = 3


def write_xlsx(report: Report, path: Path) -> Path:
    """One sheet per table (sheet name = table key); URLs become hyperlinks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in report.tables:
        _sheet(workbook, table)
    workbook.properties.title = report.title
    workbook.save(path)
    return path


def _sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.key[:31])
    sheet.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=12)
    if table.note:
        sheet.cell(row=2, column=1, value=table.note).font = Font(italic=True)
    for col, name in enumerate(table.columns, start=1):
        sheet.cell(row=HEADER_ROW, column=col, value=name).font = Font(bold=True)
    for r, row in enumerate(table.plain_rows(), start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # crawled text starting with "=" stays text, not a formula
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                cell.hyperlink = value
                cell.style = "Hyperlink"
            if row and row[0] == "Totaal":
                cell.font = Font(bold=True)
    for c, name in enumerate(table.columns, start=1):
        width = max([len(name), *(len(str(row[c - 1] or "")) for row in table.rows[:200])])
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
