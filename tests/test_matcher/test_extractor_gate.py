"""Evaluation gate: the extractor (page -> offers, through match_round) may not fall below
the pinned floors on the labelled saved pages."""

from __future__ import annotations

import json
import shutil

import pytest

from benchmarks.extractor_eval import (
    BASELINE,
    FLOOR_KEYS,
    GOLD,
    PAGES,
    Figures,
    evaluate,
    load_gold,
    pin,
)
from benchmarks.matcher_eval import gold_digest
from matcher.decoding import charset_of

BASE = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> Figures:
    return evaluate(workspace_dir=tmp_path_factory.mktemp("extractor") / "ws")[0]


def test_labelled_pages_are_the_pinned_ones():
    assert gold_digest(GOLD) == BASE["sha256"], (
        "extractor_gold.csv changed: re-pin with `python benchmarks/extractor_eval.py --pin`")


def test_gold_set_is_big_and_varied():
    gold = load_gold()
    assert len(gold) >= 40
    assert all((PAGES / page.file).is_file() for page in gold)
    assert sum(1 for page in gold if not page.offers) >= 15
    assert sum(1 for page in gold if page.file.endswith(".pdf")) >= 2
    assert sum(1 for page in gold if any(page.offers.values())) >= 4  # b2b-only offers
    legacy = [page for page in gold if not page.file.endswith(".pdf")
              and charset_of((PAGES / page.file).read_bytes(), page.content_type) == "cp1252"]
    assert len(legacy) >= 2
    assert {"news", "diploma", "private", "lnv", "listing", "jsonld", "b2b", "pdf",
            "boilerplate"} <= {page.page_type for page in gold}


@pytest.mark.parametrize("key", FLOOR_KEYS)
def test_figures_hold_their_floor(figures, key):
    floor = BASE["floors"][key]
    value = getattr(figures, key)
    if FLOOR_KEYS[key] == "min":
        assert value >= floor - BASE["epsilon"], f"{key} fell to {value} (floor {floor})"
    else:
        assert value <= floor, f"{key} rose to {value} (ceiling {floor})"


def test_repinning_refuses_to_lower_a_floor(tmp_path, figures):
    baseline = tmp_path / "baseline.json"
    shutil.copy(BASELINE, baseline)
    worse = Figures(**{**figures.__dict__, "recall_all": figures.recall_all - 0.05})
    with pytest.raises(SystemExit, match="refusing to re-pin: recall_all"):
        pin(worse, baseline_path=baseline)
    assert json.loads(baseline.read_text(encoding="utf-8")) == BASE
    pin(worse, baseline_path=baseline, allow_lower=True)
    assert json.loads(baseline.read_text(encoding="utf-8"))["floors"]["recall_all"] == \
        worse.recall_all
