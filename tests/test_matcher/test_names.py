"""Names as people write them (issue 9): acronyms, shortened words, spelling, stems,
compounds, qualifications and partial titles, each explained, and negatives kept out."""

from __future__ import annotations

import pytest

from matcher.names import rewrite_name, stem
from matcher.register import Register
from matcher.scoring import Decision, match_name, rank_by_context


@pytest.fixture(scope="module")
def register():
    return Register.default()


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("Mbo-certificaat NAH", "acroniem NAH = niet aangeboren hersenletsel (uit de titels"),
        ("VTH voor verzorgenden", "acroniem VTH = verpleegtechnische handelingen"),
        ("MS schakelen", "acroniem MS = middenspanning (lijst van sectorafkortingen)"),
        ("Ind. basiszorg verlenen", "afkorting Ind. = individuele"),
        ("Begel. praktijkleren", "afkorting Begel. = begeleider"),
        ("Werken met babies", "spelling babies = babys"),
    ],
)
def test_rewrites_are_explained(register, name, note):
    assert any(n.startswith(note) for n in rewrite_name(name, register).notes)


@pytest.mark.parametrize(
    "name", ["BSO 8 tot 12 jaar", "VCA basis", "Reanimatie en AED", "Helpende plus"]
)
def test_names_without_a_known_abbreviation_stay_as_written(register, name):
    assert rewrite_name(name, register).name == name


def test_a_shortened_word_takes_the_meaning_its_neighbours_share(register):
    # 'verpl.' may be verplegende or verpleegtechnische; 'verzorgenden' decides for K0118
    rewrite = rewrite_name("Verpl. techn. handelingen voor verzorgenden", register)
    assert rewrite.name.startswith("verpleegtechnische verpleegtechnische handelingen")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Mbo-certificaat NAH", "K0067"),
        ("Keuzedeel EMB", "K0233"),
        ("OV-installaties", "K0693"),
        ("Verpl. techn. handelingen voor verzorgenden", "K0118"),
        ("Ind. basiszorg verlenen", "C0039"),
        ("Werken met babies", "K0290"),
        ("Bestelautokoerier", "K0869"),
        ("Mbo-certificaat Peercoaching", "K0996"),
        ("Basis voor deskundige zorg (niveau 3)", "C0018"),
    ],
)
def test_names_as_people_write_them_are_accepted(register, name, code):
    result = match_name(name, register)
    assert (result.decision, result.code) == (Decision.auto, code), result.explanation


@pytest.mark.parametrize(
    ("name", "code", "rule"),
    [
        ("Windturbinemonteur", "K0350", "deel van de titel"),
        ("Gastouder", "K1167", "deel van de titel"),
        ("Moeilijk verstaanbaar gedrag", "K0066", "deel van de titel"),
        ("Mbo-certificaat Begeleider specifieke doelgroepen", "C0059", "kwalificatie als naam"),
    ],
)
def test_occupations_and_parts_of_titles_reach_an_analyst(register, name, code, rule):
    result = match_name(name, register)
    assert result.decision is Decision.review
    assert code in [r.code for r in result.ranked]
    assert result.explanation.startswith(rule)


def test_a_certificate_cue_sends_an_unplaceable_name_to_review(register):
    plain = match_name("Zorg voor ouderen thuis", register)
    assert plain.decision is Decision.none
    cued = match_name("Zorg voor ouderen thuis", register, cues=frozenset({"trajectory"}))
    assert cued.decision is Decision.review
    assert cued.explanation.startswith("certificaattraject zonder passende code")
    coded = match_name("Robots programmeren", register, codes_on_page=["K0989"])
    assert (coded.decision, coded.code) == (Decision.review, "K0989")
    assert coded.ranked[0].code == "K0989"  # the block's own code is shown first


@pytest.mark.parametrize(
    "name",
    [
        "Cambridge English B2 First",
        "Goethe-Zertifikat A2",
        "Engels voor de zorg (Anglia-certificaat)",
        "Cursus 8",
        "Mbo-certificaat",
        "Docent certificaattrajecten zorg",
    ],
)
def test_language_certificates_numbers_and_mere_mentions_are_no_offer(register, name):
    assert match_name(name, register).decision is Decision.none


def test_dutch_stems():
    assert stem("verdiepende") == stem("verdieping")
    assert stem("windturbines") == "windturbine"


def test_page_words_rank_the_codes_shown_for_review(register):
    result = match_name("Hulp bij het huishouden", register, cues=frozenset({"trajectory"}))
    assert result.decision is Decision.review
    context = (
        "Je leert ondersteuning thuis bieden. Een beroepsgericht onderdeel van de opleiding "
        "Helpende Zorg en Welzijn."
    )
    ranked = rank_by_context(result, context, register)
    assert ranked.ranked[0].code == "C0024"  # Ondersteuning thuis, Helpende Zorg en Welzijn
    assert ranked.decision is Decision.review  # a second signal never decides
    assert "beschrijving op de pagina" in ranked.explanation
    coded = rank_by_context(result, context, register, codes_on_page=[result.ranked[-1].code])
    assert coded.ranked[0].code == result.ranked[-1].code  # a code on the page stays first
    auto = match_name("Helpende plus", register)
    assert rank_by_context(auto, context, register) is auto


def test_a_register_word_is_not_read_as_a_compound_of_another(register):
    # 'verpleegtechnische' starts like 'verplegende' (K0119) but is a word of both titles
    result = match_name("Verpleegtechnische handelingen", register)
    assert result.decision is Decision.review
    assert {r.code for r in result.ranked[:2]} == {"K0118", "K0119"}
