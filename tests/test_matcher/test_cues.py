"""Cue lexicons: certificate, b2b, diploma, private and LNV phrases in page text."""

from __future__ import annotations

import pytest

from matcher.cues import CUE_NAMES, LEXICONS, find_cue_hits, find_cues, leads_to_certificate


def test_every_cue_has_a_lexicon():
    assert set(LEXICONS) == set(CUE_NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Je sluit af met een landelijk erkend mbo-certificaat.", {"certificate"}),
        ("Certificaattraject Helpende Plus", {"certificate"}),
        ("Dit keuzedeel (K0905) volg je in de avond", {"certificate"}),
        ("Beroepsgericht onderdeel van de kwalificatie Kok", {"certificate"}),
        ("Leereenheid Individuele zorg verlenen", {"certificate"}),
        ("Dit traject bieden wij alleen in-company aan.", {"b2b"}),
        ("Inschrijven kan uitsluitend via je werkgever.", {"b2b"}),
        ("Niet toegankelijk voor particulieren", {"b2b"}),
        ("Uitsluitend beschikbaar voor medewerkers van aangesloten bedrijven", {"b2b"}),
        ("Individuele inschrijving is niet mogelijk.", {"b2b"}),
        ("Opleiding niveau 3, BBL of BOL, crebo 25491", {"diploma"}),
        ("Je behaalt het mbo-diploma Verzorgende IG", {"diploma"}),
        ("Afgesloten met een branchecertificaat", {"private"}),
        ("BHV-cursus met NCOI-certificaat", {"private"}),
        ("VCA basis examen", {"private"}),
        ("Spuitlicentie: wettelijk certificaat van het ministerie van LNV", {"lnv"}),
        ("Welkom op onze website", set()),
    ],
)
def test_find_cues(text, expected):
    assert find_cues(text) == frozenset(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Deze cursus is ook in-company mogelijk voor uw team.",
        "Open inschrijving; ook als bedrijfsklas voor werkgevers.",
        "Vraag je werkgever om de kosten te vergoeden.",
    ],
)
def test_open_offers_are_not_b2b_only(text):
    assert "b2b" not in find_cues(text)


def test_negated_diploma_is_not_a_diploma_cue():
    assert find_cues("Geen diploma nodig: je haalt een mbo-certificaat") == {"certificate"}


def test_words_containing_a_cue_do_not_count():
    # "symbol" contains "bol", "diplomaroute" contains "diploma"; neither is a cue.
    assert find_cues("Het symbool van de diplomaroute") == frozenset()


def test_hits_are_in_text_order_with_the_phrase_as_written():
    hits = find_cue_hits("Mbo-certificaat, alleen via de werkgever; BBL")
    assert [(h.cue, h.phrase) for h in hits] == [
        ("certificate", "Mbo-certificaat"),
        ("b2b", "alleen via de werkgever"),
        ("diploma", "BBL"),
    ]
    assert hits[0].start == 0


@pytest.mark.parametrize(
    "text",
    [
        "Veiligheidscursus met diploma (geen mbo-certificaat).",
        "Deze cursus leidt niet tot een landelijk erkend mbo-certificaat.",
        "Zonder mbo-certificaat, wel een diploma",
    ],
)
def test_negated_certificate_is_not_a_certificate_cue(text):
    assert "certificate" not in find_cues(text)


@pytest.mark.parametrize(
    ("text", "leads"),
    [
        ("Je rondt af met een landelijk erkend mbo-certificaat.", True),
        ("Je sluit het traject af met een mbo-certificaat.", True),
        ("Sluit je de cursus af met een mbo-certificaat?", True),
        ("De cursus wordt afgesloten met een mbo-certificaat.", True),
        ("Wie slaagt, ontvangt het mbo-certificaat dat bij dit keuzedeel hoort.", True),
        ("Na je examen heb je een officieel mbo-certificaat op zak.", True),
        ("Je ontvangt na afloop een erkend mbo-certificaat.", True),
        ("Dit traject leidt op tot een erkend mbo-certificaat.", True),
        ("Je rondt niet af met een mbo-certificaat.", False),
        ("Je krijgt daarna geen mbo-certificaat maar een bewijs van deelname.", False),
        ("Wij helpen studenten die een mbo-certificaat willen halen.", False),
        ("Bekijk al onze mbo-certificaten.", False),
    ],
)
def test_phrasings_that_a_trajectory_leads_to_a_certificate(text, leads):
    assert leads_to_certificate(text) is leads
