"""Scoring and the match ladder: rules, guards, cues, codes on the page, bulk matching."""

from __future__ import annotations

import json

import pytest
from rapidfuzz import fuzz

from matcher import (
    Certificate,
    Decision,
    MatchConfig,
    RankedCode,
    Register,
    match_many,
    match_name,
    normalise_title,
    rank_codes,
)


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.default()


def cert(code: str, title: str, **kw) -> Certificate:
    kind = "keuzedeel" if code.startswith("K") else "beroepsgericht onderdeel"
    return Certificate(code=code, title=title, type=kind, **kw)


def test_rank_codes_is_sorted_with_ties_broken_by_code():
    twins = Register([cert("K0002", "Lassen"), cert("K0001", "Lassen"), cert("K0003", "Solderen")])
    ranked = rank_codes("Lassen", twins, processor=normalise_title)
    assert ranked[:2] == [
        RankedCode("K0001", 100.0, "Lassen"),
        RankedCode("K0002", 100.0, "Lassen"),
    ]
    assert [c.code for c in twins] == ["K0001", "K0002", "K0003"]


def test_rank_codes_uses_the_processor_passed(register):
    assert rank_codes(
        "MBO-CERTIFICAAT Helpende Plus", register, processor=normalise_title, limit=1
    )[0] == RankedCode("K0905", 100.0, "Helpende plus")
    raw = rank_codes("MBO-CERTIFICAAT Helpende Plus", register, processor=str.lower, limit=1)
    assert raw[0].code == "K0905"
    assert raw[0].score < 100.0  # without our processor the filler words count


def test_rank_codes_limit_and_cutoff(register):
    ranked = rank_codes("Verdieping palliatieve zorg", register, limit=3, score_cutoff=50)
    assert len(ranked) <= 3
    assert ranked[0].code == "K1006"
    assert all(r.score >= 50 for r in ranked)


@pytest.mark.parametrize(
    ("name", "code", "rule"),
    [
        ("Mbo-certificaat Helpende Plus", "K0905", "exact title"),
        ("Orthodontie-assistent (mbo-certificaat)", "K0167", "exact title"),
        ("Zorginnovaties & Technologie", "K0138", "exact title"),  # alias
        (
            "Verdieping palliatieve zorg voor verpleegkundigen en verzorgenden",
            "K1006",
            "title inside name",
        ),
        ("Basiszorg verlenen (niveau 2)", "C0039", "name inside title"),
        ("Productie logistiek", "K0826", "exact title"),  # split compound
        ("Openbare verlichting installaties", "K0693", "fuzzy"),  # split compound, plural s
        ("Verpleegtechnische handelingen voor verzorgenden", "K0118", "fuzzy"),
    ],
)
def test_ladder_levels_accept(register, name, code, rule):
    result = match_name(name, register)
    assert (result.decision, result.code) == (Decision.auto, code), result.explanation
    assert result.explanation.startswith(rule)
    assert result.ranked[0].code == code


def test_level_guard_picks_the_certificate_of_the_named_level(register):
    level3 = match_name("Meng- & scheidingstechnieken (niveau 3)", register)
    assert (level3.decision, level3.code) == (Decision.auto, "K0418")
    level4 = match_name("Meng- en scheidingstechnieken niveau 4", register)
    assert level4.decision is not Decision.auto
    assert "level disagrees: name niveau 4" in level4.explanation


def test_variant_guards_language_levels_and_basis_gevorderd(register):
    assert match_name("Duits A2-B1", register).code == "K0969"
    a1 = match_name("Duits A1", register)
    assert a1.decision is not Decision.auto
    assert "variant disagrees" in a1.explanation
    assert match_name("Digitale vaardigheden voor gevorderden", register).code == "K0023"
    assert match_name("Digitale vaardigheden (basis)", register).code == "K0022"
    both = match_name("Digitale vaardigheden", register)
    assert both.decision is Decision.review
    gevorderd = match_name("Programmeren gevorderd", register)
    assert gevorderd.decision is not Decision.auto


def test_subset_trap_of_token_set_ratio_is_guarded():
    chefs = Register(
        [cert("C0001", "Zelfstandig werkend kok"), cert("C0002", "Koken in de horeca")]
    )
    assert fuzz.token_set_ratio("kok", "zelfstandig werkend kok", processor=None) == 100
    result = match_name("Kok", chefs)
    assert result.decision is not Decision.auto
    assert "subset trap" in result.explanation
    reverse = Register([cert("C0003", "Kok")])
    assert match_name("Zelfstandig werkend kok", reverse).decision is not Decision.auto


def test_diploma_programme_is_not_the_certificate(register):
    for name in (
        "Verzorgende IG niveau 3 BBL",
        "Helpende Zorg en Welzijn niveau 2",
        "Pedagogisch medewerker kinderopvang BBL",
    ):
        result = match_name(name, register)
        assert result.decision is Decision.none, (name, result.explanation)
    explanation = match_name("Helpende Zorg en Welzijn niveau 2", register).explanation
    assert "diploma programme" in explanation
    assert match_name("Individuele zorg verlenen", register).code == "C0053"
    # a certificate that shares its title with a diploma programme goes to an analyst
    assert match_name("Pedicure", register).decision is Decision.review
    assert match_name("Mbo-certificaat Pedicure", register).decision is Decision.auto


def test_page_cues_diploma_or_private_without_certificate_prevent_auto(register):
    name = "Helpende plus"
    assert match_name(name, register).decision is Decision.auto
    for cues in ({"diploma"}, {"private"}, {"lnv"}):
        result = match_name(name, register, cues=frozenset(cues))
        assert result.decision is Decision.review, cues
        assert "not auto" in result.explanation
    assert (
        match_name(name, register, cues=frozenset({"diploma", "certificate"})).decision
        is Decision.auto
    )
    assert match_name(name, register, cues=frozenset({"b2b"})).decision is Decision.auto


def test_private_words_in_the_name_demote(register):
    assert match_name("NCOI Leidinggeven", register).decision is Decision.none
    assert match_name("Fotografie workshop voor beginners", register).decision is Decision.review


def test_code_on_page_decides_when_the_title_is_compatible(register):
    plain = match_name("Palliatieve zorg in de praktijk", register)
    assert plain.decision is not Decision.auto
    coded = match_name("Palliatieve zorg in de praktijk", register, codes_on_page=["K1006"])
    assert (coded.decision, coded.code) == (Decision.auto, "K1006")
    assert "code K1006 found" in coded.explanation
    wrong = match_name("Schoonmetselwerk", register, codes_on_page=["K0905"])
    assert wrong.code == "K0695"  # the code does not fit the title: the title decides
    alt = match_name("Pedicure", register, codes_on_page=["K1257"])
    assert (alt.decision, alt.code) == (Decision.auto, "K0511")
    in_name = match_name("Keuzedeel K0905", register)
    assert (in_name.decision, in_name.code) == (Decision.auto, "K0905")


def test_no_match_and_empty_names(register):
    for name in ("BHV herhaling", "Rijbewijs C", "", "Mbo-certificaat"):
        result = match_name(name, register)
        assert result.decision is Decision.none
        assert result.code is None


def test_thresholds_come_from_the_config(register):
    name = "Verpleegtechnische handelingen voor verzorgenden"
    assert match_name(name, register).decision is Decision.auto
    strict = MatchConfig(auto_accept_at_score=100.0, review_at_score=99.0)
    assert match_name(name, register, config=strict).decision is not Decision.auto


def test_match_many_equals_match_name_in_order(register):
    names = [
        "Mbo-certificaat Helpende Plus",
        "VCA Basis",
        "Duits A1",
        "Basiszorg verlenen",
        "Zelfstandig werkend kok",
    ] * 3
    bulk = match_many(names, register)
    assert [r.name for r in bulk] == names
    assert bulk == [match_name(n, register) for n in names]
    assert match_many([], register) == []


def test_config_json_round_trip_and_validation():
    config = MatchConfig(auto_accept_at_score=88.0, review_at_score=55.0)
    text = config.to_json()
    assert json.loads(text)["auto_accept_at_score"] == 88.0
    assert MatchConfig.from_json(text) == config
    with pytest.raises(ValueError, match="unknown MatchConfig key"):
        MatchConfig.from_json('{"auto_accept": 90}')
    with pytest.raises(ValueError, match="review_at_score <= auto_accept_at_score"):
        MatchConfig(auto_accept_at_score=50.0, review_at_score=60.0)


def test_empty_register_and_unknown_codes_give_none():
    empty = Register([])
    assert match_name("Helpende plus", empty).decision is Decision.none
    assert rank_codes("Helpende plus", empty, processor=normalise_title) == []
    assert [r.decision for r in match_many(["Helpende plus", ""], empty)] == [Decision.none] * 2
    assert match_name("Keuzedeel K9999", Register.default()).decision is Decision.none
