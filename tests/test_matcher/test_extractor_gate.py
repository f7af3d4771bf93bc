"""Evaluation gate: the extractor (page -> offers, through match_round) may not fall below
the pinned floors on the labelled saved pages."""

from __future__ import annotations

import json
import shutil

import pytest

from benchmarks.extractor_eval import (
    BASELINE,
    FLOOR_KEYS,
    PAGES,
    SETS,
    Figures,
    evaluate,
    load_gold,
    pin,
)
from benchmarks.matcher_eval import gold_digest
from matcher.candidates import extract_html
from matcher.cues import find_cues, named_certificate
from snapshots.payload import charset_of

BASE = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, Figures]:
    return {
        label: evaluate(load_gold(path), workspace_dir=tmp_path_factory.mktemp(label) / "ws")[0]
        for label, path in SETS.items()
    }


@pytest.mark.parametrize("label", SETS)
def test_labelled_pages_are_the_pinned_ones(label):
    assert gold_digest(SETS[label]) == BASE["sets"][label]["sha256"], (
        f"{SETS[label].name} changed: re-pin with `python benchmarks/extractor_eval.py --pin`"
    )


def test_gold_set_is_big_and_varied():
    gold = load_gold(SETS["gold"])
    assert len(gold) >= 40
    assert all((PAGES / page.file).is_file() for page in gold)
    assert sum(1 for page in gold if not page.offers) >= 15
    assert sum(1 for page in gold if page.file.endswith(".pdf")) >= 2
    assert sum(1 for page in gold if any(page.offers.values())) >= 4  # b2b-only offers
    legacy = [
        page
        for page in gold
        if not page.file.endswith(".pdf")
        and charset_of((PAGES / page.file).read_bytes(), page.content_type) == "cp1252"
    ]
    assert len(legacy) >= 2
    assert {
        "news",
        "diploma",
        "private",
        "lnv",
        "listing",
        "jsonld",
        "b2b",
        "pdf",
        "boilerplate",
    } <= {page.page_type for page in gold}


@pytest.mark.parametrize("label", SETS)
@pytest.mark.parametrize("key", FLOOR_KEYS)
def test_figures_hold_their_floor(figures, label, key):
    floor = BASE["sets"][label]["floors"][key]
    value = getattr(figures[label], key)
    if FLOOR_KEYS[key] == "min":
        assert value >= floor - BASE["epsilon"], f"{label} {key} fell to {value} (floor {floor})"
    else:
        assert value <= floor, f"{label} {key} rose to {value} (ceiling {floor})"


def test_no_invented_offers_on_either_set(figures):
    assert all(f.pages_invented == 0 for f in figures.values())


def test_issue_9_targets_on_the_gold_pages(figures):
    gold = figures["gold"]
    assert gold.precision_confirmed >= 0.99
    assert gold.recall_confirmed >= 0.90
    assert gold.recall_with_review >= 0.98
    assert gold.review_load <= 0.25
    assert gold.review_precision >= 0.60


@pytest.mark.parametrize("label", ["holdout", "holdout2"])
def test_analysts_see_every_true_offer_on_the_holdouts(figures, label):
    assert figures[label].precision_confirmed >= 0.99
    assert figures[label].recall_with_review >= 0.98
    assert figures[label].review_precision >= 0.60


def test_new_page_classes_are_labelled_in_gold_and_fresh_holdout():
    classes = {"brochure", "long-page", "cue-only", "language", "private", "branch"}
    for label in ("gold", "holdout2", "holdout3"):
        assert classes <= {page.page_type for page in load_gold(SETS[label])}, label


def test_repinning_refuses_to_lower_a_floor(tmp_path, figures):
    baseline = tmp_path / "baseline.json"
    shutil.copy(BASELINE, baseline)
    floor = BASE["sets"]["gold"]["floors"]["recall_all"]
    worse = Figures(**{**figures["gold"].__dict__, "recall_all": floor - 0.05})
    with pytest.raises(SystemExit, match="refusing to re-pin gold: recall_all"):
        pin({"gold": worse}, baseline_path=baseline)
    assert json.loads(baseline.read_text(encoding="utf-8")) == BASE
    pin({"gold": worse}, baseline_path=baseline, allow_lower=True)
    lowered = json.loads(baseline.read_text(encoding="utf-8"))
    assert lowered["sets"]["gold"]["floors"]["recall_all"] == worse.recall_all


# --- rules the evaluation led to, pinned on their own ---


@pytest.mark.parametrize(
    "text",
    [
        "Individuele aanmeldingen zijn niet mogelijk.",
        "Aanmelden loopt via je werkgever.",
        "Particulieren kunnen zich helaas niet inschrijven.",
        "Dit keuzedeel bieden wij alleen aan als maatwerktraject voor bedrijven.",
    ],
)
def test_more_ways_to_say_b2b_only(text):
    assert "b2b" in find_cues(text)


def test_a_keuzedeel_on_a_programme_page_is_part_of_the_programme():
    assert find_cues(
        "Niveau 2, BOL en BBL, crebo 25498. Je kunt het keuzedeel Helpende plus volgen."
    ) == {"diploma"}
    # an entry requirement naming a diploma does not make a certificate page a programme
    assert find_cues("Keuzedeel Gerontopsychiatrie. Toelating: diploma niveau 3") == {
        "certificate",
        "diploma",
    }
    assert "certificate" in find_cues("Certificaattraject voor helpenden met een BBL-diploma")


@pytest.mark.parametrize(
    ("block", "name"),
    [
        (
            "Keuzedeel Verplegende en verpleegtechnische handelingen. Onder andere infuustherapie.",
            "Verplegende en verpleegtechnische handelingen",
        ),
        ("Mbo-certificaat BSO 8 tot 12 jaar (keuzedeel).", "BSO 8 tot 12 jaar"),
        ("keuzedeel K 0118).", None),
        ("Met het mbo-certificaat Helpende Plus leer je meer.", None),  # not at the block's start
    ],
)
def test_a_block_that_opens_by_naming_a_certificate(block, name):
    assert named_certificate(block) == name


def test_a_dated_page_is_news_whatever_its_url():
    html = (
        "<html><body><main><h1>Zestien verzorgenden geslaagd voor Verdieping palliatieve "
        "zorg</h1><p>Gepubliceerd op 3 april 2024</p><p>Een mbo-certificaat.</p></main>"
        "</body></html>"
    )
    assert extract_html(html, url="https://www.example.nl/zestien-geslaagd/").kind == "news"


def test_an_entry_requirement_does_not_turn_a_keuzedeel_page_into_a_programme():
    text = "Keuzedeel Gastvrijheid in de zorg. Toelating: een afgeronde opleiding op niveau 2."
    assert "certificate" in find_cues(text)
