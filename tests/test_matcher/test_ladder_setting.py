"""Ladder levels and guards of issue 9's second round: a rival title that explains more of
the name, one-word titles in a setting, a qualification with a title, compounds written as
two words, languages as variants, names sharing only setting words, a code in its block."""

from __future__ import annotations

import pytest

from matcher.register import Register
from matcher.scoring import Decision, match_name

REGISTER = Register.default()


def test_a_short_title_inside_a_name_that_another_title_explains_better_is_reviewed():
    result = match_name("Voeding en gastvrijheid in zorg en welzijn", REGISTER)
    assert result.decision is Decision.review
    assert "K1137" in {r.code for r in result.ranked}
    assert "explains more of the name" in result.explanation


def test_a_short_title_inside_a_name_without_a_rival_is_still_accepted():
    result = match_name("Gastvrijheid in de zorg voor facilitair medewerkers", REGISTER)
    assert (result.decision, result.code) == (Decision.auto, "K0153")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Gerontopsychiatrie in de ouderenzorg", "K0988"),
        ("Praktijkopleider voor werkenden in de zorg", "K0087"),
        ("Peercoach in de zorg", "K0996"),
        ("Werken met waterstof: waterstoftechnologie", "K1047"),
    ],
)
def test_a_one_word_title_in_a_setting_is_accepted(name, code):
    result = match_name(name, REGISTER)
    assert (result.decision, result.code) == (Decision.auto, code)
    assert "titel met werkveld" in result.explanation


@pytest.mark.parametrize(
    "name",
    [
        "Engels voor de zorg",  # a school subject, shared with private courses
        "Gastvrijheid in de horeca",  # the title's sector (zorg) is missing
        "Medisch pedicure",  # the extra word says what it is
        "Leidinggeven aan vrijwilligers",
    ],
)
def test_a_one_word_title_with_words_that_say_what_it_is_is_not_accepted(name):
    assert match_name(name, REGISTER).decision is not Decision.auto


def test_a_qualification_followed_by_its_certificates_title():
    result = match_name("Mbo-certificaat Verzorgende IG: individuele zorg", REGISTER)
    assert (result.decision, result.code) == (Decision.auto, "C0053")
    assert "kwalificatie met titel" in result.explanation


def test_a_compound_written_as_two_words_in_another_order_is_the_exact_title():
    result = match_name("Web-development basis", REGISTER)
    assert (result.decision, result.code) == (Decision.auto, "K0721")


def test_another_language_with_the_same_levels_is_not_that_certificate():
    assert match_name("Frans A2/B1", REGISTER).decision is Decision.none
    assert match_name("Duits A2/B1", REGISTER).code == "K0969"


def test_a_course_for_hbo_is_no_mbo_certificate():
    assert match_name("Ondernemerschap in de zorg (hbo)", REGISTER).decision is Decision.none


def test_a_name_that_shares_only_setting_words_with_a_title_is_no_match():
    assert match_name("Zorg en welzijn algemeen", REGISTER).decision is Decision.none
    # ... while a spelling of the title's own word still reaches review
    assert match_name("Gastvrij in de zorg", REGISTER).decision is not Decision.none
    assert match_name("Werken met baby en peuter", REGISTER).code == "K0290"  # baby / baby's


def test_a_code_in_the_names_own_certificate_block_decides_when_a_word_root_is_shared():
    block = {"certificate", "trajectory"}
    result = match_name(
        "Openbare verlichting", REGISTER, codes_on_page=("K0693",), cues=frozenset(block)
    )
    assert (result.decision, result.code) == (Decision.auto, "K0693")
    assert "code in eigen blok" in result.explanation


@pytest.mark.parametrize(
    ("name", "codes", "cues"),
    [
        ("Openbare verlichting", ("K0693",), frozenset()),  # no certificate statement
        ("Openbare verlichting", ("K0693", "K0689"), frozenset({"certificate"})),  # two codes
        ("Tillen en transfers", ("K0693",), frozenset({"certificate"})),  # nothing shared
    ],
)
def test_a_code_in_a_block_does_not_decide_without_its_conditions(name, codes, cues):
    result = match_name(name, REGISTER, codes_on_page=codes, cues=cues)
    assert result.decision is not Decision.auto
