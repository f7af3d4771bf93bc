"""Dutch title normalisation: the processor every comparison goes through."""

from __future__ import annotations

import pytest

from matcher.normalise import codes_in, content_tokens, level_tokens, normalise_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mbo-certificaat Helpende Plus", "helpende plus"),
        ("HELPENDE PLUS", "helpende plus"),
        ("Oriëntatie op ondernemerschap", "orientatie ondernemerschap"),
        ("Werken met baby’s", "werken babys"),
        ("Werken met baby's", "werken babys"),
        ("Werken met baby‘s", "werken babys"),
        ("Zorginnovaties & technologie", "zorginnovaties technologie"),
        ("Helpende+", "helpende plus"),
        ("Certificaattraject: Geriatrische revalidatiezorg!", "geriatrische revalidatiezorg"),
        ("Cursus / training Leidinggeven (keuzedeel)", "leidinggeven"),
        ("Opleiding Pedicure – module 1", "pedicure 1"),
        ("Meng- en scheidingstechnieken", "meng scheidingstechnieken"),
        ("Duits A1/A2 in het beroepsonderwijs", "duits a1 a2 beroepsonderwijs"),
        ("Webdevelopment voor beginners", "webdevelopment basis"),
        ("Digitale vaardigheden voor gevorderden", "digitale vaardigheden gevorderd"),
    ],
)
def test_case_accents_apostrophes_punctuation_and_filler_words(text, expected):
    assert normalise_title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Basiszorg verlenen (niveau 2)", "basiszorg verlenen niveau2"),
        ("Basiszorg verlenen niv. 2", "basiszorg verlenen niveau2"),
        ("Koken mbo-2", "koken niveau2"),
        (
            "Verbreding procesoperator, geschikt voor niveau 3 en 4",
            "verbreding procesoperator geschikt niveau3 niveau4",
        ),
        ("Kok niveau 2 t/m 4", "kok niveau2 niveau3 niveau4"),
    ],
)
def test_levels_are_kept_as_one_token_each(text, expected):
    assert normalise_title(text) == expected


def test_level_and_content_tokens_are_separated():
    normalised = normalise_title("Meng- en scheidingstechnieken (niveau 3)")
    assert level_tokens(normalised) == {"3"}
    assert content_tokens(normalised) == ["meng", "scheidingstechnieken"]


def test_codes_are_found_and_dropped_from_the_title():
    assert codes_in("Keuzedeel K 0905 Helpende plus (k0905), zie ook C0039") == ("K0905", "C0039")
    assert normalise_title("K0905 Helpende plus") == "helpende plus"
    assert codes_in("Kwalificatie 25498, crebo 23085") == ()


def test_empty_and_filler_only_names_normalise_to_empty():
    assert normalise_title("") == ""
    assert normalise_title("Mbo-certificaat cursus (training)") == ""
