"""Inline SVG bar charts (no JavaScript, no network): stacked horizontal bars."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.model import Count, sector_short

PALETTE = ("#1f6f8b", "#99c24d", "#d1495b", "#edae49", "#8d8d8d")


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str


def stacked_bars(
    key: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    width: int = 720,
) -> Chart:
    """One horizontal bar per label, one coloured segment per series, with a legend."""
    bar, gap, left, top = 22, 8, 220, 34
    total = max([sum(values[i] for _, values in series) for i in range(len(labels))] or [0])
    scale = (width - left - 60) / total if total else 0
    height = top + len(labels) * (bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{escape(key)}" '
        f'role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    x = left
    for s, (name, _) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    for i, label in enumerate(labels):
        y = top + i * (bar + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        x0 = float(left)
        for s, (name, values) in enumerate(series):
            if values[i] <= 0:
                continue
            w = values[i] * scale
            parts.append(
                f'<rect class="bar" x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}: '
                f"{escape(name)} {values[i]}</title></rect>"
            )
            x0 += w
        row_total = sum(values[i] for _, values in series)
        parts.append(f'<text x="{x0 + 4:.1f}" y="{y + 15}" font-size="12">{row_total}</text>')
    parts.append("</svg>")
    return Chart(key, title, "".join(parts))


def _int(cell: object) -> int:
    """A count's value; 'onbekend' and '>= n' (crawl not in order) draw as what was found."""
    if isinstance(cell, Count):
        return cell.value
    if isinstance(cell, int):
        return cell
    digits = "".join(ch for ch in str(cell or "") if ch.isdigit())
    return int(digits) if digits else 0


def providers_per_sector(report: Report) -> Chart:
    """Findable trajectories per sector (keuzedelen and beroepsonderdelen), by funding."""
    per: dict[str, list[int]] = {}
    for key in ("aanbod_keuzedelen", "aanbod_beroepsonderdelen"):
        for row in report.table(key).rows:
            if row[0] == "Totaal":
                continue
            totals = per.setdefault(sector_short(str(row[0])), [0, 0])
            totals[0] += _int(row[3])
            totals[1] += _int(row[4])
    labels = sorted(per, key=lambda s: -sum(per[s]))
    return stacked_bars(
        "sectoren",
        f"Vindbare certificaattrajecten per sector ({report.round_label})",
        labels,
        [
            ("bekostigd", [per[s][0] for s in labels]),
            ("niet-bekostigd", [per[s][1] for s in labels]),
        ],
    )


def online_offline(report: Report) -> Chart:
    """Per institution: unchanged, new online, offline, unknown (or trajectories per round)."""
    try:
        table = report.table("instellingen_online_offline")
    except KeyError:
        rows = [
            r
            for k in ("per_instelling_bekostigd", "per_instelling_niet-bekostigd")
            for r in report.table(k).rows
            if r[0] not in ("Totaal", "Instellingen met onbekend aantal")
        ]
        return stacked_bars(
            "instellingen",
            f"Vindbare trajecten per instelling ({report.round_label})",
            [str(r[0]) for r in rows],
            [("online", [_int(r[1]) for r in rows])],
        )
    columns = table.columns
    rows = table.rows
    now, new = columns.index(columns[3]), columns.index("Nieuw online")

    def col(name: str) -> list[int]:
        return [_int(r[columns.index(name)]) for r in rows]

    return stacked_bars(
        "instellingen",
        f"Online en offline per instelling, {report.compare_label} naar {report.round_label}",
        [str(r[0]) for r in rows],
        [
            ("ongewijzigd online", [_int(r[now]) - _int(r[new]) for r in rows]),
            ("nieuw online", col("Nieuw online")),
            ("offline", col("Offline")),
            ("onbekend", col("Onbekend")),
        ],
    )


def charts(report: Report) -> list[Chart]:
    return [providers_per_sector(report), online_offline(report)]
