"""Register search for the "andere code" box: by code prefix or by title (fuzzy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.normalise import normalise_title
from matcher.scoring import rank_codes

if TYPE_CHECKING:
    from matcher.register import Register

_CODE_PREFIX = re.compile(r"^[kc]\s*-?\s*\d{0,4}$", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    code: str
    title: str
    type: str
    score: float


def search_register(register: Register, query: str, *, limit: int = 10) -> list[Hit]:
    """Certificates whose code starts with `query`, else the best title matches."""
    query = query.strip()[:200]
    if not query:
        return []
    if _CODE_PREFIX.match(query):
        prefix = re.sub(r"[\s-]", "", query).upper()
        return [
            Hit(c.code, c.title, c.type, 100.0)
            for c in register.certificates
            if c.code.startswith(prefix)
        ][:limit]
    normalised = normalise_title(query)
    words = normalise_title(query).split() or query.lower().split()
    scores = {
        r.code: r.score
        for r in rank_codes(query, register, processor=normalise_title, limit=len(register))
    }
    hits = []
    for cert in register.certificates:
        titles = [normalise_title(t) for t in cert.titles]
        exact = normalised in titles
        every_word = any(all(w in t for w in words) for t in titles)  # "verzorg" finds K0118
        score = scores.get(cert.code, 0.0)
        if exact or every_word or score >= 30.0:
            hits.append(
                (
                    (not exact, not every_word, -score, cert.code),
                    Hit(cert.code, cert.title, cert.type, round(score, 1)),
                )
            )
    return [hit for _key, hit in sorted(hits, key=lambda pair: pair[0])][:limit]
