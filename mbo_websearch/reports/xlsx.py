"""Write a report as an XLSX workbook: one sheet per table, title above the header row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.model import Table
from snapshots.tabular import put_cell, save_workbook, xlsx_value

HEADER_ROW = 3


def write_xlsx(report: Report, path: Path) -> Path:
    """One sheet per table (sheet name = table key); URLs become hyperlinks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in report.tables:
        _sheet(workbook, table)
    workbook.properties.title = str(xlsx_value(report.title))
    return save_workbook(workbook, path)


def _sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.key[:31])
    put_cell(sheet, 1, 1, table.title).font = Font(bold=True, size=12)
    if table.note:
        put_cell(sheet, 2, 1, table.note).font = Font(italic=True)
    for col, name in enumerate(table.columns, start=1):
        put_cell(sheet, HEADER_ROW, col, name).font = Font(bold=True)
    for r, row in enumerate(table.plain_rows(), start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = put_cell(sheet, r, c, value)
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                cell.hyperlink = str(xlsx_value(value))
                cell.style = "Hyperlink"
            if row and row[0] == "Totaal":
                cell.font = Font(bold=True)
    for c, name in enumerate(table.columns, start=1):
        width = max([len(name), *(len(str(row[c - 1] or "")) for row in table.rows[:200])])
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
