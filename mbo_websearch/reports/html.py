"""Write a report as one self-contained HTML file (inline CSS and SVG; opens without network)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.charts import charts
from mbo_websearch.reports.model import Cell, Count, Evidence

MAX_SHOWN = 25  # offers listed under a count; the rest are in the Herkomst table
LONG_WORD = 24  # characters; longer words (URLs, WARC records) may break anywhere
LONG_TABLE = 60  # rows; longer tables are folded (<details>) in the HTML


def render_cell(cell: Cell) -> Markup:
    """A <td>; a count opens (<details>: keyboard and touch) onto the offers behind it and
    their archived pages; URLs become links."""
    if isinstance(cell, Count):
        if not cell.evidence:
            return Markup('<td class="num">{}</td>').format(cell.value)
        items = [_evidence_item(e) for e in cell.evidence[:MAX_SHOWN]]
        if len(cell.evidence) > MAX_SHOWN:
            items.append(
                Markup("<li>... en nog {} (zie Herkomst)</li>").format(
                    len(cell.evidence) - MAX_SHOWN
                )
            )
        return Markup(
            '<td class="num count"><details class="drill"><summary>{}</summary>'
            "<ul>{}</ul></details></td>"
        ).format(cell.value, Markup("").join(items))
    if isinstance(cell, int | float):
        return Markup('<td class="num">{}</td>').format(cell)
    if cell is None:
        return Markup("<td></td>")
    if cell.startswith(("http://", "https://")):
        return Markup('<td class="long"><a href="{0}" rel="noreferrer">{0}</a></td>').format(cell)
    if cell == "onbekend" or cell.startswith(">= "):
        return Markup('<td class="num unknown">{}</td>').format(cell)
    if any(len(word) > LONG_WORD for word in cell.split()):  # file@offset, page ids
        return Markup('<td class="long">{}</td>').format(escape(cell))
    return Markup("<td>{}</td>").format(escape(cell))


def _evidence_item(evidence: Evidence) -> Markup:
    where = (
        Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(evidence.url)
        if evidence.url
        else Markup("")
    )
    pages = (
        Markup(' <span class="pages">(pagina {})</span>').format(
            ", ".join(str(i) for i in evidence.page_ids)
        )
        if evidence.page_ids
        else Markup("")
    )
    return Markup("<li>{} ({}, {}) {}{}</li>").format(
        evidence.institution, evidence.round, evidence.code, where, pages
    )


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
