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
            for c in register.certificates if c.code.startswith(prefix)
        ][:limit]
    ranked = rank_codes(query, register, processor=normalise_title, limit=limit,
                        score_cutoff=30.0)
    return [
        Hit(r.code, r.title, cert.type if (cert := register.get(r.code)) else "", round(r.score, 1))
        for r in ranked
    ]
