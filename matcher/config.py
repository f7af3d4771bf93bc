"""Matcher thresholds and weights, in one place, stored as JSON with every match run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class MatchConfig:
    """Every number the matcher decides with. Scores are 0-100 title similarities."""

    auto_accept_at_score: float = 85.0
    """A fuzzy match at or above this score is accepted without review."""
    review_at_score: float = 60.0
    """A fuzzy match at or above this score (and below auto) goes to an analyst."""
    code_compatible_at_score: float = 50.0
    """A code on the page decides when its certificate's title scores at least this."""
    ambiguity_margin_points: float = 6.0
    """Auto-accept needs the best certificate this many points ahead of the next one."""
    guard_penalty_points: float = 25.0
    """Subtracted from a candidate's score for each failed guard (level, variant, subset)."""
    token_match_at_ratio: float = 85.0
    """Two words count as the same word from this fuzz.ratio (typos, plural forms)."""
    compact_match_at_ratio: float = 95.0
    """Name and title written without spaces this similar score as such (joined or split
    compounds: 'metaal bewerken' / 'metaalbewerken')."""
    title_coverage_weight: float = 1.5
    """Beta of the F-score over words: how much more missing title words cost than extra
    words in the name (websites add words; they rarely drop official ones)."""
    contained_title_min_words: int = 2
    """An official title found whole inside a longer name is accepted from this many words."""
    partial_name_min_coverage: float = 0.55
    """A name whose words all occur in exactly one title is accepted when it covers at least
    this share of that title's words (above 1.0 switches the rule off)."""
    partial_title_min_name_coverage: float = 0.8
    """A name whose words all occur (this weighted share, 0.8 = compounds of title words
    count) in one certificate's titles only goes to review as a part of that title."""
    partial_title_auto_min_coverage: float = 0.35
    """... and is accepted without review when the name itself says it is a certificate
    ('Mbo-certificaat Peercoaching') and covers this rarity-weighted share of the title."""
    context_weight_points: float = 30.0
    """Review codes gain up to this many points for the share of their title's words that the
    page's description uses (a second signal: ranks the codes shown, never decides)."""
    context_min_share: float = 0.5
    """A code the name did not rank is shown for review when the description uses at least
    this share of its title's words."""
    prefilter_limit: int = 12
    """Titles per name kept from the bulk token_set_ratio pass for the exact scorer."""
    prefilter_at_score: float = 40.0
    """... of those, only titles with at least this token_set_ratio are scored exactly."""

    def __post_init__(self) -> None:
        if not 0 <= self.review_at_score <= self.auto_accept_at_score <= 100:
            raise ValueError("need 0 <= review_at_score <= auto_accept_at_score <= 100")
        if self.prefilter_limit < 1:
            raise ValueError("prefilter_limit must be at least 1")

    def to_json(self) -> str:
        """The config as a JSON object (sorted keys), for storing with a match run."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MatchConfig:
        """Read a config written by to_json; unknown keys are an error, missing keys default."""
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown MatchConfig key(s): {', '.join(unknown)}")
        return cls(**data)

    @classmethod
    def from_file(cls, path: Path) -> MatchConfig:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
