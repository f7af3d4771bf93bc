"""Write a report as one self-contained HTML file (inline CSS and SVG; opens without network)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.charts import charts
from mbo_websearch.reports.model import Cell, Count

MAX_TOOLTIP = 25
LONG_TABLE = 60  # rows; longer tables are folded (<details>) in the HTML


def render_cell(cell: Cell) -> Markup:
    """A <td>; counts carry their evidence as a tooltip, URLs become links."""
    if isinstance(cell, Count):
        shown = cell.evidence[:MAX_TOOLTIP]
        lines = [f"{e.institution} ({e.round}): {e.url or '-'}" for e in shown]
        if len(cell.evidence) > MAX_TOOLTIP:
            lines.append(f"... en nog {len(cell.evidence) - MAX_TOOLTIP}")
        if not lines:
            return Markup('<td class="num">{}</td>').format(cell.value)
        return Markup('<td class="num count" title="{}">{}</td>').format(
            "\n".join(lines), cell.value
        )
    if isinstance(cell, int | float):
        return Markup('<td class="num">{}</td>').format(cell)
    if cell is None:
        return Markup("<td></td>")
    if cell.startswith(("http://", "https://")):
        return Markup('<td><a href="{0}" rel="noreferrer">{0}</a></td>').format(cell)
    return Markup("<td>{}</td>").format(escape(cell))


def render_html(report: Report) -> str:
    env = Environment(
        loader=PackageLoader("mbo_websearch.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=False,
    )
    template = env.get_template("report.html.j2")
    drawn = [(c.key, c.title, Markup(c.svg)) for c in charts(report)]
    return template.render(
        report=report,
        charts=[{"key": k, "title": t, "svg": s} for k, t, s in drawn],
        render_cell=render_cell,
        long_table=LONG_TABLE,
    )


def write_html(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
