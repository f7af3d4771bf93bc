"""matcher: the certificate register, Dutch title normalisation and fuzzy matching."""

from matcher.config import MatchConfig
from matcher.normalise import normalise_title
from matcher.register import Certificate, Register, import_register
from matcher.scoring import Decision, MatchResult, RankedCode, match_many, match_name, rank_codes

__all__ = [
    "Certificate",
    "Decision",
    "MatchConfig",
    "MatchResult",
    "RankedCode",
    "Register",
    "import_register",
    "match_many",
    "match_name",
    "normalise_title",
    "rank_codes",
]
