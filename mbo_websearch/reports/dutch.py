"""Dutch wording of the crawler's (English) crawl-health reasons, for the report.

The crawler records reasons in English (`crawler/health_rules.py`); the report speaks Dutch.
A reason this table does not know is shown as it is, so nothing is lost.
"""

from __future__ import annotations

import re

REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch)
    for pattern, dutch in (
        (r"^(\d+) pages?, no errors$", r"\1 pagina's, geen fouten"),
        (
            r"^site unreachable: connection refused \((\d+) requests?\)$",
            r"site onbereikbaar: verbinding geweigerd (\1 verzoeken)",
        ),
        (
            r"^site unreachable: timed out \((\d+) requests?\)$",
            r"site onbereikbaar: geen antwoord binnen de tijd (\1 verzoeken)",
        ),
        (
            r"^site unreachable: all (\d+) requests failed$",
            r"site onbereikbaar: alle \1 verzoeken mislukt",
        ),
        (
            r"^robots\.txt denies the site \((\d+) URLs disallowed\)$",
            r"robots.txt verbiedt de site (\1 URL's niet toegestaan)",
        ),
        (
            r"^no pages fetched \((\d+) responses, (\d+) errors\)$",
            r"geen pagina's opgehaald (\1 antwoorden, \2 fouten)",
        ),
        (r"^most requests failed \((\d+) of (\d+)\)$", r"de meeste verzoeken mislukt (\1 van \2)"),
        (r"^page budget of (\d+) reached$", r"paginabudget van \1 bereikt"),
        (r"^(\d+) of (\d+) requests failed$", r"\1 van \2 verzoeken mislukt"),
        (
            r"^pages fell from (\d+) to (\d+) against the previous round$",
            r"pagina's gedaald van \1 naar \2 ten opzichte van de vorige ronde",
        ),
    )
)
STOPPED_EARLY = re.compile(r"^crawl stopped early \(([^)]*)\); (.*)$")


def crawl_reason(reason: str | None) -> str:
    """'8 pages, no errors' -> "8 pagina's, geen fouten" (and the other known reasons)."""
    if not reason:
        return ""
    early = STOPPED_EARLY.match(reason)
    if early:
        return f"crawl vroegtijdig gestopt ({early.group(1)}); {crawl_reason(early.group(2))}"
    for pattern, dutch in REASONS:
        if pattern.match(reason):
            text = pattern.sub(dutch, reason)
            return re.sub(r"^1 pagina's", "1 pagina", text)
    return reason
