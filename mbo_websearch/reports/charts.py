"""Inline SVG bar charts (no JavaScript, no network): stacked horizontal bars.

Colours are Okabe-Ito (distinguishable with the common colour-vision deficiencies); every
bar ends with a label that says what it counts; long charts show the top N and say so (the
full list is in the table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from mbo_websearch.reports.build import Report
from mbo_websearch.reports.model import Count, sector_short

# Okabe-Ito: blue, sky blue, orange, grey (unknown), bluish green, vermillion
PALETTE = ("#0072B2", "#56B4E9", "#E69F00", "#8C8C8C", "#009E73", "#D55E00")
TOP = 25  # bars at most; the rest stay in the table


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
    width: int = 760,
    end_label: Callable[[int], str] | None = None,
    colours: Sequence[str] = PALETTE,
) -> Chart:
    """One horizontal bar per label, one coloured segment per series, with a legend; each
    bar ends with `end_label(row)` (default: the row's total)."""
    bar, gap, left, top = 18, 6, 230, 34
    total = max([sum(values[i] for _, values in series) for i in range(len(labels))] or [0])
    scale = (width - left - 190) / total if total else 0
    height = top + len(labels) * (bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{escape(key)}" '
        f'role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    x = 10
    for s, (name, _) in enumerate(series):
        colour = colours[s % len(colours)]
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)
    for i, label in enumerate(labels):
        y = top + i * (bar + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        x0 = float(left)
        for s, (name, values) in enumerate(series):
            if values[i] <= 0:
                continue
            w = values[i] * scale
            parts.append(
                f'<rect class="bar" x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                f'fill="{colours[s % len(colours)]}"><title>{escape(label)}: '
                f"{escape(name)} {values[i]}</title></rect>"
            )
            x0 += w
        text = end_label(i) if end_label else str(sum(v[i] for _, v in series))
        parts.append(f'<text x="{x0 + 4:.1f}" y="{y + 13}" font-size="12">{escape(text)}</text>')
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


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _top(n: int, shown: int, what: str) -> str:
    return f" ({shown} {what} met de meeste van {n}; alle in de tabel)" if n > shown else ""


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
        f"Vindbare certificaattrajecten (instelling x certificaat) per sector, naar "
        f"bekostiging ({report.round_label})",
        labels,
        [
            ("bekostigd", [per[s][0] for s in labels]),
            ("niet-bekostigd", [per[s][1] for s in labels]),
        ],
        end_label=lambda i: _plural(sum(per[labels[i]]), "traject", "trajecten"),
    )


def coverage_per_sector(report: Report, kind: str) -> Chart:
    """Per sector: certificates in the register, and how many of them have findable offer."""
    register = report.table(f"register_{kind}")
    size = {str(r[0]): _int(r[-1]) for r in register.rows if r[0] != "Totaal"}
    if register.columns[-1] == "Toename":
        size = {str(r[0]): _int(r[-2]) for r in register.rows if r[0] != "Totaal"}
    offered: dict[str, set[str]] = {}
    for row in report.table(f"aanbod_{kind}").rows:
        if row[0] != "Totaal":
            offered.setdefault(str(row[0]), set()).add(str(row[1]))
    sectors = sorted(set(size) | set(offered), key=lambda s: (-size.get(s, 0), s))
    found = [len(offered.get(s, ())) for s in sectors]
    rest = [max(size.get(s, 0) - f, 0) for s, f in zip(sectors, found, strict=True)]
    return stacked_bars(
        f"dekking-{kind}",
        f"{kind.capitalize()}: certificaten in het register per sector en hoeveel daarvan "
        f"vindbaar aanbod hebben ({report.round_label})",
        [sector_short(s) for s in sectors],
        [("met vindbaar aanbod", found), ("zonder vindbaar aanbod", rest)],
        end_label=lambda i: f"{found[i]} van {size.get(sectors[i], found[i])} met aanbod",
        colours=(PALETTE[0], "#D9D9D9"),
    )


def top_certificates(report: Report) -> Chart:
    """The certificates with the most findable providers, by funding."""
    rows = [
        r
        for key in ("aanbod_keuzedelen", "aanbod_beroepsonderdelen")
        for r in report.table(key).rows
        if r[0] != "Totaal"
    ]
    rows.sort(key=lambda r: (-_int(r[5]), str(r[1])))
    shown = rows[:TOP]
    return stacked_bars(
        "top-certificaten",
        f"Certificaten met de meeste vindbare aanbieders ({report.round_label})"
        + _top(len(rows), len(shown), "certificaten"),
        [f"{r[1]} {r[2]}" for r in shown],
        [
            ("bekostigd", [_int(r[3]) for r in shown]),
            ("niet-bekostigd", [_int(r[4]) for r in shown]),
        ],
        end_label=lambda i: _plural(_int(shown[i][5]), "aanbieder", "aanbieders"),
    )


def online_offline(report: Report) -> Chart:
    """Per institution, largest first: unchanged, new online, offline, unknown (or, for one
    round, trajectories per institution)."""
    try:
        table = report.table("instellingen_online_offline")
    except KeyError:
        rows = [
            r
            for k in ("per_instelling_bekostigd", "per_instelling_niet-bekostigd")
            for r in report.table(k).rows
            if r[0] not in ("Totaal", "Instellingen met onbekend aantal")
        ]
        rows.sort(key=lambda r: (-_int(r[1]), str(r[0])))
        shown = rows[:TOP]
        return stacked_bars(
            "instellingen",
            f"Vindbare trajecten per instelling ({report.round_label})"
            + _top(len(rows), len(shown), "instellingen"),
            [str(r[0]) for r in shown],
            [("online", [_int(r[1]) for r in shown])],
            end_label=lambda i: f"{_int(shown[i][1])} online",
        )
    columns = table.columns
    now, new = 3, columns.index("Nieuw online")
    offline, unknown = columns.index("Offline"), columns.index("Onbekend")
    rows = sorted(
        table.rows, key=lambda r: (-(_int(r[now]) + _int(r[offline]) + _int(r[unknown])), str(r[0]))
    )
    shown = rows[:TOP]

    def label(i: int) -> str:
        r = shown[i]
        text = f"{_int(r[now])} online ({_int(r[new])} nieuw), {_int(r[offline])} offline"
        return text + (f", {_int(r[unknown])} onbekend" if _int(r[unknown]) else "")

    return stacked_bars(
        "instellingen",
        f"Online en offline per instelling, {report.compare_label} naar {report.round_label}"
        + _top(len(rows), len(shown), "instellingen"),
        [str(r[0]) for r in shown],
        [
            ("ongewijzigd online", [_int(r[now]) - _int(r[new]) for r in shown]),
            ("nieuw online", [_int(r[new]) for r in shown]),
            ("offline", [_int(r[offline]) for r in shown]),
            ("onbekend (crawl niet in orde)", [_int(r[unknown]) for r in shown]),
        ],
        end_label=label,
    )


def charts(report: Report) -> list[Chart]:
    return [
        providers_per_sector(report),
        coverage_per_sector(report, "keuzedelen"),
        coverage_per_sector(report, "beroepsonderdelen"),
        top_certificates(report),
        online_offline(report),
    ]
