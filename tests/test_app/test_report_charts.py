"""Charts: coverage per sector (K and C apart), top certificates, institutions sorted and
capped, Okabe-Ito colours, labels that say what they count."""

from __future__ import annotations

import re
from dataclasses import replace

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.charts import PALETTE, charts
from tests.test_app.test_report_tables import fixture_inputs


def chart(report, key):
    return next(c for c in charts(report) if c.key == key)


def bar_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


def end_labels(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="\d+" font-size="12">([^<]*)</text>', svg)


def test_coverage_per_sector_shows_register_size_beside_findable():
    svg = chart(build_report(fixture_inputs()), "dekking-keuzedelen").svg
    # register 2026-11: Zorg 2 (both findable), ICT 1, Mobiliteit 1 (none findable)
    assert bar_labels(svg) == ["Zorg", "ICT", "Mobiliteit"]
    assert [t for t in end_labels(svg) if "met aanbod" in t] == [
        "2 van 2 met aanbod",
        "0 van 1 met aanbod",
        "0 van 1 met aanbod",
    ]
    svg_c = chart(build_report(fixture_inputs()), "dekking-beroepsonderdelen").svg
    assert "1 van 1 met aanbod" in svg_c  # C0039 (Zorg); C0021 (Voedsel) also findable


def test_top_certificates_by_number_of_providers():
    svg = chart(build_report(fixture_inputs()), "top-certificaten").svg
    assert [label.split()[0] for label in bar_labels(svg)] == ["K0905", "C0039", "C0021", "K0118"]
    assert end_labels(svg)[-4:] == ["3 aanbieders", "2 aanbieders", "1 aanbieder", "1 aanbieder"]


def test_institutions_sorted_with_labels_that_say_what_they_count():
    svg = chart(build_report(fixture_inputs()), "instellingen").svg
    assert bar_labels(svg) == ["Opleider X", "ROC A", "ROC C", "ROC B", "ROC D"]
    assert "0 online (0 nieuw), 2 offline" in end_labels(svg)
    assert "0 online (0 nieuw), 0 offline, 1 onbekend" in end_labels(svg)


def test_colours_are_okabe_ito_without_red_next_to_green():
    svg = "".join(c.svg for c in charts(build_report(fixture_inputs())))
    used = set(re.findall(r'fill="(#[0-9A-Fa-f]{6})"', svg))
    assert used <= {*PALETTE, "#D9D9D9"}
    assert "#d1495b" not in svg.lower()


def test_seventy_institutions_stay_readable_top_n_and_a_pointer_to_the_table():
    inputs = fixture_inputs()
    inputs.compare_label = inputs.compare_offers = inputs.diff_rows = None
    inputs.compare_certificates = None
    template = inputs.offers[0]
    inputs.offers = [
        replace(template, institution=f"ROC {i:02d}", code=code)
        for i in range(70)
        for code in ("K0905", "K0118", "K0022")[: 1 + i % 3]
    ]
    inputs.institutions = {f"ROC {i:02d}": "bekostigd" for i in range(70)}
    inputs.health = []
    svg = chart(build_report(inputs), "instellingen").svg
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert height < 700
    assert len(bar_labels(svg)) == 25
    assert "(25 instellingen met de meeste van 70; alle in de tabel)" in svg
    counts = [int(t.split()[0]) for t in end_labels(svg) if re.fullmatch(r"\d+ online", t)]
    assert len(counts) == 25
    assert counts == sorted(counts, reverse=True)
