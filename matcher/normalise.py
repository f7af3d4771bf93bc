"""Dutch title normalisation: the processor every matcher comparison goes through."""

from __future__ import annotations

import re
import unicodedata

# Words that say *what kind of thing* is offered, not *which* certificate: dropped.
FILLER_WORDS = frozenset(
    """
    mbo mbocertificaat mbocertificaten certificaat certificaten certificering certificaattraject
    certificaattrajecten cursus cursussen training trainingen traject trajecten keuzedeel
    keuzedelen opleiding opleidingen module modules leereenheid leereenheden beroepsgericht
    onderdeel llo bedrijfsklas bedrijfsklassen landelijk erkend erkende volwassenenonderwijs
    nieuw online deeltijd incompany in-company
    """.split()
)
# Dutch function words: they carry no meaning for matching and vary freely between sites.
STOP_WORDS = frozenset(
    """
    de het een en in van voor met als op bij aan te tot of om door over uit je jouw jij naar
    je uw the and for of
    """.split()
)
# Spelling variants of words that decide between certificates, written one way.
SYNONYMS = {
    "beginners": "basis",
    "beginner": "basis",
    "starters": "basis",
    "gevorderden": "gevorderd",
    "introductie": "inleiding",
}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LEVEL_RE = re.compile(
    r"\b(?:mbo[\s-]*)?(?:niveau|nivo|niv\.?|level)\s*[-:]?\s*([1-4])"
    r"(?:\s*(?:en|/|-|,|of|tot|t\s*/\s*m)\s*([1-4]))?\b"
    r"|\bmbo[\s-]?([1-4])\b"
)
_CODE_RE = re.compile(r"\b([kc])\s?-?(\d{4})\b")


def strip_accents(text: str) -> str:
    """'Oriëntatie' -> 'Orientatie', 'cliënt' -> 'client'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _level_tokens(match: re.Match[str]) -> str:
    first, second, mbo_level = match.groups()
    levels = [lv for lv in (first, second, mbo_level) if lv]
    if first and second and int(second) > int(first) + 1:
        levels = [str(n) for n in range(int(first), int(second) + 1)]
    return " " + " ".join(f"niveau{lv}" for lv in levels) + " "


def normalise_title(text: str) -> str:
    """Normalise a course or certificate title for comparison.

    Lower case, no accents, no apostrophes, punctuation to spaces, '&' -> 'en', '+' -> 'plus',
    filler words (mbo-certificaat, cursus, keuzedeel, ...) and Dutch stop words dropped, and
    levels written as one token each ("niveau 3 en 4" -> "niveau3 niveau4"). Certificate codes
    in the text (K0905, "C 0039") are dropped: codes are evidence, not title words.
    """
    text = strip_accents(text.translate(_APOSTROPHES)).lower()
    text = _CODE_RE.sub(" ", text)
    text = text.replace("'", "").replace("&", " en ").replace("+", " plus ")
    text = _LEVEL_RE.sub(_level_tokens, text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [
        SYNONYMS.get(w, w) for w in text.split() if w not in FILLER_WORDS and w not in STOP_WORDS
    ]
    return " ".join(words)


def codes_in(text: str) -> tuple[str, ...]:
    """Certificate codes written in `text` ("K0905", "K 0905", "c0125"), upper-cased, in order."""
    seen: dict[str, None] = {}
    for letter, digits in _CODE_RE.findall(strip_accents(text).lower()):
        seen[f"{letter.upper()}{digits}"] = None
    return tuple(seen)


def level_tokens(normalised: str) -> frozenset[str]:
    """The level digits in a normalised title: 'kok niveau2' -> {'2'}."""
    return frozenset(
        w[6:] for w in normalised.split() if w.startswith("niveau") and w[6:].isdigit()
    )


def content_tokens(normalised: str) -> list[str]:
    """The words of a normalised title without its level tokens."""
    return [w for w in normalised.split() if not (w.startswith("niveau") and w[6:].isdigit())]
