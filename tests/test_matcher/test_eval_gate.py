"""Evaluation gate: the matcher may not fall below the pinned floors on the labelled sets."""

from __future__ import annotations

import json
import shutil

import pytest

from benchmarks.matcher_eval import (
    BASELINE,
    FLOOR_KEYS,
    SETS,
    Figures,
    by_class,
    evaluate,
    gold_digest,
    load_gold,
    pin,
)

BASE = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return {label: evaluate(load_gold(path))[0] for label, path in SETS.items()}


@pytest.mark.parametrize("label", SETS)
def test_labelled_set_is_the_pinned_one(label):
    assert gold_digest(SETS[label]) == BASE["sets"][label]["sha256"], (
        f"{SETS[label].name} changed: re-pin with `python benchmarks/matcher_eval.py --pin`"
    )


def test_gold_set_is_big_enough_and_has_negatives_of_every_kind():
    gold = load_gold()
    assert len(gold) >= 300
    assert sum(1 for g in gold if not g.code) >= 80
    assert {g.kind for g in gold if not g.code} == {"diploma", "private", "lnv", "near-miss"}


@pytest.mark.parametrize("label", SETS)
@pytest.mark.parametrize("key", FLOOR_KEYS)
def test_figures_hold_their_floor(figures, label, key):
    floor = BASE["sets"][label]["floors"][key]
    value = getattr(figures[label], key)
    if FLOOR_KEYS[key] == "min":
        assert value >= floor - BASE["epsilon"], f"{label} {key} fell to {value} (floor {floor})"
    else:
        assert value <= floor + BASE["epsilon"], f"{label} {key} rose to {value} (ceiling {floor})"


@pytest.mark.parametrize("label", ["gold", "holdout"])
def test_issue_targets(figures, label):
    result = figures[label]
    assert result.precision >= 0.995
    assert result.recall >= 0.85
    assert result.review_share <= 0.12
    assert result.negatives_auto == 0


@pytest.mark.parametrize("label", SETS)
def test_no_negative_is_ever_auto_accepted(figures, label):
    assert figures[label].negatives_auto == 0


def test_every_class_of_name_is_labelled_in_the_new_sets():
    classes = {"acronym", "truncation", "spelling", "inflection", "occupation", "partial"}
    classes |= {"reworded", "language", "private", "branch"}
    for label in ("gold", "holdout2", "holdout3"):
        gold = load_gold(SETS[label])
        assert classes <= {g.variant for g in gold}, label


def test_names_as_people_write_them_mostly_reach_an_analyst():
    gold = load_gold(SETS["gold"])
    _, results = evaluate(gold)
    per_class = by_class(gold, results)
    for variant in ("acronym", "truncation", "spelling", "partial"):
        assert per_class[variant].recall_with_review >= 0.85, variant


def test_repinning_refuses_to_lower_a_floor(tmp_path, figures):
    baseline = tmp_path / "baseline.json"
    shutil.copy(BASELINE, baseline)
    worse = Figures(**{**figures["gold"].__dict__, "recall": figures["gold"].recall - 0.05})
    with pytest.raises(SystemExit, match="refusing to re-pin gold: recall"):
        pin({"gold": worse}, baseline_path=baseline)
    assert json.loads(baseline.read_text(encoding="utf-8")) == BASE
    pin({"gold": worse}, baseline_path=baseline, allow_lower=True)
    lowered = json.loads(baseline.read_text(encoding="utf-8"))
    assert lowered["sets"]["gold"]["floors"]["recall"] == worse.recall
