"""The matcher's explanation in plain Dutch, split into lines, warnings apart.

The matcher writes its explanations in English for developers (`matcher/levels.py`): rule,
detail, failed guards and cue blockers joined by "; ". Analysts read them here in Dutch;
a phrase not in the table is shown as it is rather than hidden.
"""

from __future__ import annotations

import re

# Ordered: longer phrases first, so that their words are not translated piecemeal.
PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"an LNV legal certificate \(not counted as an mbo-certificaat offer\)",
        "een wettelijk LNV-certificaat (telt niet als mbo-certificaataanbod)",
    ),
    (r"level disagrees: name niveau", "niveau verschilt: de naam zegt niveau"),
    (r"variant disagrees:", "variant verschilt:"),
    (r"subset trap: one word of (\d+) in common", r"valkuil: maar één woord van \1 gemeen"),
    (r"listing heading, not a course:", "kop van een overzicht, geen cursus:"),
    (r"not an offer:", "geen aanbod:"),
    (r"\(page cues\)", "(signalen op de pagina)"),
    (r"not auto:", "niet automatisch:"),
    (r"not a certificate:", "geen certificaat:"),
    (r"words and no certificate words", "woorden en geen certificaatwoorden"),
    (r"cues and no certificate cue", "signalen en geen certificaatsignaal"),
    (r"an LNV legal-certificate cue", "een signaal van een wettelijk LNV-certificaat"),
    (r"LNV legal-certificate words", "woorden van een wettelijk LNV-certificaat"),
    (r"\bname has\b", "de naam heeft"),
    (r"\bpage has\b", "de pagina heeft"),
    (r"the page names it", "de pagina noemt"),
    (r"\bfuzzy review\b", "lijkt op (ter beoordeling)"),
    (r"\bfuzzy\b", "lijkt op"),
    (r"\bcode on page\b", "code op de pagina"),
    (r"\bdiploma programme\b", "diplomaopleiding"),
    (r"\bexact title\b", "exacte titel"),
    (r"\btitle inside name\b", "titel staat in de naam"),
    (r"\bname inside title\b", "naam staat in de titel"),
    (r"\bno title comes close\b", "geen titel komt in de buurt"),
    (r"\bno match\b", "geen match"),
    (r"\bmatched:", "gemeen:"),
    (r"\bmissing:", "ontbreekt:"),
    (r"\bbest\b", "beste"),
    (r"\bprivate\b", "particulier"),
    (r"\band\b", "en"),
    (r"\bvs\b", "tegenover"),
)
_COMPILED = tuple((re.compile(pattern), dutch) for pattern, dutch in PHRASES)
WARNING = re.compile(
    r"disagrees|subset trap|not auto|not a certificate|LNV|not an offer|diploma programme"
)


def in_dutch(text: str) -> str:
    for pattern, dutch in _COMPILED:
        text = pattern.sub(dutch, text)
    return text


def explain(explanation: str | None) -> tuple[list[str], list[str]]:
    """(lines, warnings) in Dutch: warnings are the failed guards and cue blockers."""
    lines: list[str] = []
    warnings: list[str] = []
    for part in (explanation or "").split("; "):
        part = part.strip()
        if not part:
            continue
        (warnings if WARNING.search(part) else lines).append(in_dutch(part))
    return lines, warnings
