"""The match ladder: ordered named levels that decide auto / review / none, and its guards.

Levels (first that applies wins, like splink's comparison levels):
  code_on_page -> code_in_block -> learned_name -> diploma_programme -> exact_title
  -> contained_title -> title_in_setting -> qualification_with_title -> partial_name
  -> fuzzy_auto -> partial_title -> fuzzy_review -> qualification_named -> certificate_cue
  -> no_match
Guards are separate named checks on one (name, certificate) pair; a failed guard forbids
auto-accept for that certificate, and a contradiction (level, variant) also costs
`guard_penalty_points`. Cue blockers act on the whole name: a diploma or private-course cue
without a certificate cue forbids auto-accept, and when the cue is written in the name itself
a review becomes none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from matcher.config import MatchConfig
from matcher.normalise import content_tokens, normalise_title, strip_accents

if TYPE_CHECKING:
    from matcher.learned import LearnedName
    from matcher.register import Certificate


class Decision(StrEnum):
    auto = "auto"
    review = "review"
    none = "none"


CEFR = frozenset({"a1", "a2", "b1", "b2", "c1", "c2"})
# Alternatives that name different variants of one subject: a name and a title holding
# different alternatives are different certificates ("Digitale vaardigheden basis" vs
# "gevorderd", "Verbreding" vs "Verdieping"). Synonyms are unified by normalise_title.
VARIANT_DIMENSIONS = (
    (frozenset({"basis"}), frozenset({"gevorderd", "advanced", "vervolg"})),
    (frozenset({"verbreding"}), frozenset({"verdieping"}), frozenset({"orientatie", "inleiding"})),
    # languages: "Frans A2/B1" is not "Duits A2/B1" whatever the shared CEFR levels
    tuple(
        frozenset({language})
        for language in ("duits", "engels", "frans", "spaans", "nederlands", "italiaans")
    ),
)
VARIANT_WORDS = frozenset().union(*(alt for dim in VARIANT_DIMENSIONS for alt in dim))
# Words that say where, how ("werken met/in") or for whom a course is, not what it teaches
# ("Gerontopsychiatrie in de ouderenzorg", "Praktijkopleider in de zorg", "... voor
# verzorgenden IG"). Sectors narrow
# a title down ("Gastvrijheid in de zorg" is not hospitality in a hotel), so a title's sector
# must be in the name; the general ones (audience, "in de praktijk") may come and go.
# Normalised forms (content_tokens drops function words).
SECTOR_WORDS = frozenset(
    """
    zorg welzijn ouderenzorg gehandicaptenzorg thuiszorg wijkzorg ziekenhuis vvt ggz
    kinderopvang jeugdzorg onderwijs sport techniek industrie bouw horeca
    """.split()
)
SETTING_WORDS = SECTOR_WORDS | frozenset(
    """
    werken praktijk werkvloer wijk werkenden volwassenen medewerkers professionals zorgprofessionals
    zorgmedewerkers verzorgenden verpleegkundigen verplegenden begeleiders helpenden ig
    """.split()
)
# A one-word core of a title this long is a specialist term ("Gerontopsychiatrie"), not a
# school subject that private courses share ("Engels", "Pedicure").
MIN_SETTING_CORE_LETTERS = 10
# Name words that say what kind of offer it is (the name's own cues).
_NAME_CUES = {
    "certificate": re.compile(
        r"\b(mbo[- ]?certificaat|certificaattraject|keuzedeel|"
        r"beroepsgericht onderdeel)"
    ),
    "diploma": re.compile(
        r"\b(bbl|bol|diploma|crebo|verkorte opleiding|volledige opleiding|"
        r"mbo[- ]opleiding|opleiding\b.*\bniveau ?[1-4]|"
        r"niveau ?[1-4]\b.*\bopleiding)\b"
    ),
    "private": re.compile(
        r"\b(bhv|vca|ncoi|ehbo|nibhv|branchecertificaat|branche-certificaat|"
        r"ncoi-certificaat|iso ?\d{4}|workshop|e-learning|webinar|"
        r"masterclass|eigen certificaat|cambridge|anglia|goethe|zertifikat|ielts|toefl|"
        r"delf|dalf|staatsexamen|hbo|post-?hbo)\b"
    ),
    "b2b": re.compile(
        r"\b(in-?company|via (je|uw) werkgever|alleen voor werkgevers|"
        r"bedrijfsopleiding)\b"
    ),
    "lnv": re.compile(r"\b(lnv|spuitlicentie|gewasbescherming|vakbekwaamheid gewas)"),
}


# "Mbo-certificaat X", "X (keuzedeel)", "Certificaattraject X": a name that says it is a
# certificate trajectory (not "Docent certificaattrajecten zorg", a vacancy)
_CERTIFICATE_WORD = (
    r"(mbo[- ]?certificaat|certificaattraject|keuzedeel|beroepsgericht onderdeel|leereenheid)"
)
_NAMED_AS_CERTIFICATE = re.compile(
    rf"^\W*{_CERTIFICATE_WORD}\b|\b{_CERTIFICATE_WORD}\W*([kc] ?\d{{4}}\W*)?$"
)


def named_as_certificate(name: str) -> bool:
    """True when the name opens or closes with a certificate word ("Mbo-certificaat X")."""
    return _NAMED_AS_CERTIFICATE.search(strip_accents(name).lower()) is not None


def name_cues(name: str) -> frozenset[str]:
    """Cues written in the name itself: "certificate", "diploma", "private", "b2b", "lnv"."""
    text = strip_accents(name).lower()
    return frozenset(cue for cue, pattern in _NAME_CUES.items() if pattern.search(text))


@dataclass(frozen=True)
class Candidate:
    """One certificate scored against a name (best of its title and aliases)."""

    cert: Certificate
    matched_title: str  # the title or alias that scored best
    score: float  # title similarity 0-100
    title_coverage: float  # share of the title's words found in the name
    name_coverage: float  # share of the name's words found in the title
    title_words: tuple[str, ...]
    title_levels: frozenset[str]
    exact: bool
    guards_failed: tuple[str, ...] = ()
    penalty: float = 0.0

    @property
    def adjusted(self) -> float:
        """The score after guard penalties: what candidates are ranked by."""
        return max(0.0, self.score - self.penalty)


@dataclass(frozen=True)
class NameInfo:
    """What the ladder knows about the name being matched."""

    name: str
    words: tuple[str, ...]  # normalised content words
    levels: frozenset[str]
    codes: tuple[str, ...]  # codes in the name itself, then codes on the page
    name_cues: frozenset[str]
    page_cues: frozenset[str] = field(default_factory=frozenset)
    programme: str | None = None  # the diploma programme the name equals, if any
    learned: LearnedName | None = None  # what analysts decided on this name (matcher.learned)
    rewrites: tuple[str, ...] = ()  # how the name was read (acronyms, shortened words, ...)
    qualified: frozenset[str] = frozenset()  # codes whose qualification the name names


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    candidate: Candidate | None
    score: float
    rule: str
    detail: str


# --- guards --------------------------------------------------------------------------------


def level_disagrees(info: NameInfo, cand: Candidate) -> str | None:
    """Guard: the name says niveau N and the certificate is of another level."""
    cert_levels = cand.title_levels | frozenset((cand.cert.level or "").split("/")) - {""}
    if info.levels and cert_levels and not info.levels & cert_levels:
        return (
            f"level disagrees: name niveau {'/'.join(sorted(info.levels))}, "
            f"{cand.cert.code} niveau {'/'.join(sorted(cert_levels))}"
        )
    return None


def variant_disagrees(info: NameInfo, cand: Candidate) -> str | None:
    """Guard: language levels (A1/A2 vs A2/B1) or variant words (basis vs gevorderd) differ."""
    name_words, title_words = set(info.words), set(cand.title_words)
    name_cefr, title_cefr = name_words & CEFR, title_words & CEFR
    if name_cefr and title_cefr and name_cefr != title_cefr:
        return f"variant disagrees: {'/'.join(sorted(name_cefr))} vs {'/'.join(sorted(title_cefr))}"
    for alternatives in VARIANT_DIMENSIONS:
        in_name = {i for i, alt in enumerate(alternatives) if name_words & alt}
        in_title = {i for i, alt in enumerate(alternatives) if title_words & alt}
        if in_name and in_title and not in_name & in_title:
            said = sorted(name_words & frozenset().union(*alternatives))
            meant = sorted(title_words & frozenset().union(*alternatives))
            return f"variant disagrees: {', '.join(said)} vs {', '.join(meant)}"
    return None


def subset_trap(info: NameInfo, cand: Candidate) -> str | None:
    """Guard: one side is a single word that merely occurs in the other ("Kok" vs
    "Zelfstandig werkend kok"), the case where token_set_ratio says 100."""
    small, large = sorted((len(set(info.words)), len(set(cand.title_words))))
    if cand.exact or small != 1 or large < 2:
        return None
    if cand.title_coverage >= 0.99 and cand.name_coverage >= 0.99:
        return None  # one compound for the title's words ('Bestelautokoerier'): the same
    if cand.title_coverage >= 0.99 or cand.name_coverage >= 0.99:
        return f"subset trap: one word of {large} in common"
    return None


GUARDS: tuple[Callable[[NameInfo, Candidate], str | None], ...] = (
    level_disagrees,
    variant_disagrees,
    subset_trap,
)
# Guards that contradict the match cost points; the others only forbid auto-accept.
PENALISED = frozenset({level_disagrees, variant_disagrees})


def apply_guards(info: NameInfo, cand: Candidate, config: MatchConfig) -> Candidate:
    """Run every guard on the pair; failures are recorded, forbid auto-accept and (level and
    variant disagreements) cost penalty points."""
    failed = [(guard, msg) for guard in GUARDS if (msg := guard(info, cand))]
    if not failed:
        return cand
    penalty = config.guard_penalty_points * sum(1 for g, _ in failed if g in PENALISED)
    return replace(cand, guards_failed=tuple(m for _, m in failed), penalty=penalty)


def auto_blocker(info: NameInfo) -> tuple[str, bool] | None:
    """Cue blocker: a diploma or private-course cue without a certificate cue forbids auto.

    Returns (why, in_name): cues written in the name itself also demote review to none.
    """
    if info.name_cues & {"diploma", "private"} and "certificate" not in info.name_cues:
        kinds = " and ".join(sorted(info.name_cues & {"diploma", "private"}))
        return f"name has {kinds} words and no certificate words", True
    if "lnv" in info.name_cues and "certificate" not in info.name_cues:
        return "name has LNV legal-certificate words", True
    cues = info.name_cues | info.page_cues
    if cues & {"diploma", "private"} and "certificate" not in cues:
        kinds = " and ".join(sorted(cues & {"diploma", "private"}))
        return f"page has {kinds} cues and no certificate cue", False
    if "lnv" in cues and "certificate" not in cues:
        return "page has an LNV legal-certificate cue", False
    return None


# --- the ladder ----------------------------------------------------------------------------


def _words(cand: Candidate, info: NameInfo) -> str:
    name, title = set(info.words), set(cand.title_words)
    parts = [f"matched: {', '.join(sorted(name & title)) or '-'}"]
    if title - name:
        parts.append(f"missing: {', '.join(sorted(title - name))}")
    if name - title:
        parts.append(f"extra: {', '.join(sorted(name - title))}")
    return "; ".join(parts)


def _distinct(cands: Sequence[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for cand in cands:
        if cand.cert.code not in seen:
            seen.add(cand.cert.code)
            out.append(cand)
    return out


def code_on_page(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: a code in the name or on the page whose certificate's title fits the name."""
    fitting = [
        c
        for c in coded
        if not c.guards_failed and (not info.words or c.score >= config.code_compatible_at_score)
    ]
    if not fitting:
        return None
    best = max(fitting, key=lambda c: c.score)
    return Outcome(
        Decision.auto,
        best,
        best.adjusted,
        "code on page",
        f"code {best.cert.code} found, title compatible ({best.score:.0f} >= "
        f"{config.code_compatible_at_score:.0f})",
    )


def shares_word_root(name_words: Sequence[str], title_words: Sequence[str]) -> bool:
    """True when a name word and a title word are the same word or open with the same five
    letters ("robots"/"robotica", "verlichting"/"verlichtingsinstallaties")."""
    for w in name_words:
        for t in title_words:
            if w == t or (min(len(w), len(t)) >= CODE_ROOT_LETTERS and w[:5] == t[:5]):
                return True
    return False


CODE_ROOT_LETTERS = 5


def code_in_block(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: the name heads its own trajectory block (or detail page) that says it leads to an
    mbo-certificaat and names exactly one code, and the name shares a word root with that
    code's title ("Openbare verlichting" / "Mbo-certificaat, keuzedeel K0693"). The code is
    the institution's own statement of which certificate it is; the shared root guards
    against a heading that belongs to something else. Cue blockers still apply."""
    if len(set(info.codes)) != 1 or len(coded) != 1 or "certificate" not in info.page_cues:
        return None
    cand = coded[0]
    if any(not g.startswith("subset trap") for g in cand.guards_failed):
        return None
    if not _has_words(info) or not shares_word_root(info.words, cand.title_words):
        return None
    return Outcome(
        Decision.auto,
        cand,
        cand.adjusted,
        "code in eigen blok",
        f"het blok van de naam noemt alleen {cand.cert.code} en zegt mbo-certificaat; "
        "de naam deelt een woord met de titel; " + _words(cand, info),
    )


def learned_name(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: analysts decided this normalised name (see matcher.learned): their code is auto,
    their "geen certificaattraject" is none."""
    if info.learned is None:
        return None
    cert = info.learned.cert
    if cert is None:
        top = cands[0].adjusted if cands else 0.0
        detail = f"geen certificaattraject, {info.learned.explanation}"
        return Outcome(Decision.none, None, top, "learned negative", detail)
    known = next((c for c in cands if c.cert.code == cert.code), None)
    cand = known or Candidate(cert, info.name, 100.0, 1.0, 1.0, info.words, frozenset(), True)
    detail = f"{cert.code} {cert.title}, {info.learned.explanation}"
    return Outcome(Decision.auto, cand, 100.0, "learned alias", detail)


def diploma_programme(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: the name is a known diploma programme (qualification), not a certificate; when a
    certificate carries the same title, an analyst decides."""
    if info.programme is None or "certificate" in info.name_cues | info.page_cues:
        return None
    exact = [c for c in cands if c.exact]
    if exact:
        return Outcome(
            Decision.review,
            exact[0],
            exact[0].adjusted,
            "diploma programme",
            f"{exact[0].cert.code} and the diploma programme {info.programme!r} share this name",
        )
    top = cands[0].adjusted if cands else 0.0
    return Outcome(
        Decision.none,
        None,
        top,
        "diploma programme",
        f"the name is the diploma programme {info.programme!r}",
    )


def exact_title(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: the normalised name equals an official title or alias (spaces ignored)."""
    exact = _distinct([c for c in cands if c.exact and not c.guards_failed])
    if not exact:
        return None
    if len(exact) > 1 and info.levels:  # "Basis voor deskundige zorg (niveau 3)": C0018
        same_level = [c for c in exact if c.title_levels == info.levels]
        exact = same_level if len(same_level) == 1 else exact
    if len(exact) > 1:
        codes = ", ".join(c.cert.code for c in exact)
        return Outcome(
            Decision.review,
            exact[0],
            exact[0].adjusted,
            "exact title",
            f"several certificates carry this title ({codes})",
        )
    return Outcome(
        Decision.auto, exact[0], 100.0, "exact title", f"exact title {exact[0].matched_title!r}"
    )


def contained_title(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: a whole official title (of enough words) occurs inside a longer name."""
    inside = _distinct(
        [
            c
            for c in cands
            if c.title_coverage >= 0.99
            and not c.guards_failed
            and len(set(c.title_words)) >= config.contained_title_min_words
        ]
    )
    if not inside:
        return None
    longest = max(len(set(c.title_words)) for c in inside)
    best = [c for c in inside if len(set(c.title_words)) == longest]
    if len(best) > 1:
        return None
    rival = rival_explains_more(best[0], cands, config)
    if rival is not None:
        return Outcome(
            Decision.review,
            best[0],
            best[0].adjusted,
            "title inside name, rival",
            f"official title {best[0].matched_title!r} inside the name, but "
            f"{rival.cert.code} {rival.matched_title!r} explains more of the name "
            f"({rival.name_coverage:.0%} vs {best[0].name_coverage:.0%}) at "
            f"{rival.adjusted:.0f} vs {best[0].adjusted:.0f}",
        )
    return Outcome(
        Decision.auto,
        best[0],
        best[0].adjusted,
        "title inside name",
        f"official title {best[0].matched_title!r} inside the name; " + _words(best[0], info),
    )


def rival_explains_more(
    chosen: Candidate, cands: Sequence[Candidate], config: MatchConfig
) -> Candidate | None:
    """Guard of contained_title: another certificate whose title covers a larger share of the
    name, scoring within the ambiguity margin. The short title inside a longer name is then
    one part of another title ("Voeding en gastvrijheid in zorg en welzijn" holds "Gastvrijheid
    in de zorg", but is K1137 Voeding en hospitality in zorg en welzijn reworded)."""
    for rival in cands:
        if (
            rival.cert.code != chosen.cert.code
            and rival.name_coverage > chosen.name_coverage
            and rival.adjusted >= chosen.adjusted - config.ambiguity_margin_points
        ):
            return rival
    return None


def title_in_setting(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: name and title say the same specialist term once the words about where or for
    whom are set aside (SETTING_WORDS): "Praktijkopleider in de zorg", "Gerontopsychiatrie
    voor verzorgenden IG", "Peercoach in de zorg" (Peercoaching in de praktijk). The title's
    core is one word of MIN_SETTING_CORE_LETTERS or more, the name's core that word or a
    spelling of it (token_match_at_ratio), a sector in the title is in the name, and only one
    certificate fits. Lifts the subset trap, which guards against a word that merely occurs
    in a longer name ("Medisch pedicure", "Engels conversatie"): there the extra word says
    what it is."""
    name_core = set(info.words) - SETTING_WORDS
    # a word repeated as the first part of a compound adds nothing ("Waterstof:
    # waterstoftechnologie")
    name_core = {
        w
        for w in name_core
        if not any(o != w and o.startswith(w) and len(w) >= 4 for o in name_core)
    }
    if len(name_core) != 1:
        return None
    (said,) = name_core
    fitting = []
    for cand in _distinct(cands):
        title = set(cand.title_words)
        core = title - SETTING_WORDS
        if len(core) != 1 or not (title & SECTOR_WORDS) <= set(info.words):
            continue
        (term,) = core
        if len(term) < MIN_SETTING_CORE_LETTERS:
            continue
        if said == term or fuzz.ratio(said, term) >= config.token_match_at_ratio:
            fitting.append(cand)
    if len(fitting) != 1:
        return None
    cand = fitting[0]
    if cand.exact or any(not g.startswith("subset trap") for g in cand.guards_failed):
        return None
    setting = sorted(set(info.words) - name_core)
    return Outcome(
        Decision.auto,
        cand,
        cand.adjusted,
        "titel met werkveld",
        f"de naam zegt {said!r} uit {cand.matched_title!r}; verder alleen werkveld of "
        f"doelgroep ({', '.join(setting) or '-'})",
    )


def qualification_with_title(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: the name is a qualification followed by words of the title of exactly one of
    that qualification's certificates ("Mbo-certificaat Verzorgende IG: individuele zorg" is
    C0053 Individuele zorg verlenen of Verzorgende IG). Two or more title words are needed,
    and they must cover most of that title (partial_name_min_coverage of its words)."""
    if not info.qualified:
        return None
    fitting = []
    for cand in _distinct([c for c in cands if c.cert.code in info.qualified]):
        qualification = set(content_tokens(normalise_title(cand.cert.qualification or "")))
        rest = set(info.words) - qualification
        title = set(cand.title_words)
        if len(rest) >= 2 and rest <= title and not cand.guards_failed:
            fitting.append((cand, rest, len(rest) / len(title)))
    if len(fitting) != 1 or fitting[0][2] < config.partial_name_min_coverage:
        return None
    cand, rest, share = fitting[0]
    return Outcome(
        Decision.auto,
        cand,
        cand.adjusted,
        "kwalificatie met titel",
        f"de naam noemt de kwalificatie {cand.cert.qualification!r} en "
        f"{', '.join(sorted(rest))} uit {cand.matched_title!r} ({share:.0%} van de titel)",
    )


def partial_name(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: every word of the name occurs in exactly one title, covering most of it, and the
    words left out name no variant or level."""
    if len(set(info.words)) < 2:
        return None
    within = _distinct([c for c in cands if c.name_coverage >= 0.99])
    if len(within) != 1 or within[0].guards_failed:
        return None
    cand = within[0]
    if cand.title_coverage < config.partial_name_min_coverage:
        return None
    missing = set(cand.title_words) - set(info.words)
    if missing & VARIANT_WORDS or (cand.title_levels and not info.levels):
        return None  # "Palliatieve zorg" may be any course, not the Verdieping
    return Outcome(
        Decision.auto,
        cand,
        cand.adjusted,
        "name inside title",
        f"the name's words all occur in {cand.matched_title!r} only; " + _words(cand, info),
    )


def fuzzy_auto(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: best score >= auto_accept_at_score, no failed guard, clear of the runner-up."""
    if not cands or cands[0].adjusted < config.auto_accept_at_score or cands[0].guards_failed:
        return None
    top = cands[0]
    runner = next((c for c in cands[1:] if c.cert.code != top.cert.code), None)
    if runner is not None and top.adjusted - runner.adjusted < config.ambiguity_margin_points:
        return Outcome(
            Decision.review,
            top,
            top.adjusted,
            "fuzzy, ambiguous",
            f"{top.cert.code} {top.adjusted:.0f} and {runner.cert.code} "
            f"{runner.adjusted:.0f} are too close",
        )
    return Outcome(
        Decision.auto,
        top,
        top.adjusted,
        "fuzzy",
        f"score {top.adjusted:.0f} >= {config.auto_accept_at_score:.0f}; " + _words(top, info),
    )


def only_setting_in_common(info: NameInfo, cand: Candidate, config: MatchConfig) -> bool:
    """Guard of fuzzy_review: the name shares with the title only words about the setting or
    the variant ("zorg", "welzijn", "basis"), and none of its other words is a spelling of
    (token_match_at_ratio) or shares a root with the title's other words: "Zorg en welzijn
    algemeen" names no certificate, "Werken met baby en peuter" does (baby / baby's)."""
    generic = SETTING_WORDS | VARIANT_WORDS
    shared = set(info.words) & set(cand.title_words)
    if not shared or not shared <= generic:
        return False
    own = [w for w in info.words if w not in generic]
    title = [w for w in cand.title_words if w not in generic]
    if shares_word_root(own, title):
        return False
    return not any(fuzz.ratio(w, t) >= config.token_match_at_ratio for w in own for t in title)


def fuzzy_review(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: best score >= review_at_score: an analyst decides."""
    if not cands or cands[0].adjusted < config.review_at_score:
        return None
    top = cands[0]
    if only_setting_in_common(info, top, config):
        return None  # "Zorg en welzijn algemeen": no certificate named; cues may still say one
    detail = f"score {top.adjusted:.0f} >= {config.review_at_score:.0f}; " + _words(top, info)
    return Outcome(Decision.review, top, top.adjusted, "fuzzy review", detail)


def certificate_cue(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: a name whose own block or page says it leads to an mbo-certificaat, or names a
    code, is what the websearch looks for: an analyst decides, with the codes named there
    first, even when no title comes close. (Exclusions - diploma, private, language, LNV -
    are decided before matching and by the cue blocker after the ladder.)"""
    said = named_as_certificate(info.name) or "trajectory" in info.page_cues
    if not said and not info.codes:
        return None
    if not _has_words(info) and not coded:
        return None  # "Mbo-certificaat", "Keuzedeel K9999": nothing to decide about
    named = sorted(coded, key=lambda c: -c.score)
    best = named[0] if named else (cands[0] if cands else None)
    why = "certificaatcue" if said else "code " + ", ".join(info.codes)
    if said and info.codes:
        why += " en code " + ", ".join(info.codes)
    shown = f"; beste {best.cert.code} ({best.adjusted:.0f})" if best else ""
    return Outcome(
        Decision.review,
        best,
        best.adjusted if best else 0.0,
        "certificaattraject zonder passende code",
        f"{why} op de pagina, geen titel past{shown}",
    )


def _has_words(info: NameInfo) -> bool:
    return any(sum(ch.isalpha() for ch in word) >= 3 for word in info.words)


def partial_title(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: every word of the name occurs in the titles of one certificate only (the
    distinctive half of its title, or a compound of one of its words: 'Windturbinemonteur');
    too little of the title for auto, so an analyst decides. Numbers ('Cursus 8') name nothing."""
    if not _has_words(info):
        return None
    within = _distinct(
        [c for c in cands if c.name_coverage >= config.partial_title_min_name_coverage]
    )
    if len(within) != 1:
        return None
    cand = within[0]
    if (
        named_as_certificate(info.name)
        and cand.title_coverage >= config.partial_title_auto_min_coverage
        and all(g.startswith("subset trap") for g in cand.guards_failed)
    ):  # "Mbo-certificaat Peercoaching": the name says it is a certificate, and which one
        return Outcome(
            Decision.auto,
            cand,
            cand.adjusted,
            "deel van de titel",
            f"certificaatnaam met alleen woorden van {cand.matched_title!r} "
            f"({cand.title_coverage:.0%} van de titel); " + _words(cand, info),
        )
    return Outcome(
        Decision.review,
        cand,
        cand.adjusted,
        "deel van de titel",
        f"alle woorden van de naam staan alleen in {cand.matched_title!r}; " + _words(cand, info),
    )


def qualification_named(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: a certificate trajectory named after the qualification (occupation) its
    certificates belong to ('Mbo-certificaat Begeleider specifieke doelgroepen'): an analyst
    picks the certificate; the qualification's certificates are ranked first."""
    qualified = [c for c in cands if c.cert.qualification and c.cert.code in info.qualified]
    if not qualified or not (named_as_certificate(info.name) or "trajectory" in info.page_cues):
        return None
    best = qualified[0]
    return Outcome(
        Decision.review,
        best,
        best.adjusted,
        "kwalificatie als naam",
        f"de naam noemt de kwalificatie {best.cert.qualification!r} van "
        + ", ".join(sorted(info.qualified)),
    )


def no_match(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> Outcome | None:
    """Rule: nothing came close enough."""
    if not cands:
        return Outcome(Decision.none, None, 0.0, "no match", "no title comes close")
    top = cands[0]
    return Outcome(
        Decision.none,
        None,
        top.adjusted,
        "no match",
        f"best {top.cert.code} at {top.adjusted:.0f} < {config.review_at_score:.0f}",
    )


Level = Callable[[NameInfo, Sequence[Candidate], Sequence[Candidate], MatchConfig], Outcome | None]
LEVELS: tuple[Level, ...] = (
    code_on_page,
    code_in_block,
    learned_name,
    diploma_programme,
    exact_title,
    contained_title,
    title_in_setting,
    qualification_with_title,
    partial_name,
    fuzzy_auto,
    partial_title,
    fuzzy_review,
    qualification_named,
    certificate_cue,
    no_match,
)


def decide(
    info: NameInfo, cands: Sequence[Candidate], coded: Sequence[Candidate], config: MatchConfig
) -> tuple[Outcome, str]:
    """Run the ladder; return the outcome and an analyst-readable explanation."""
    outcome = next(o for level in LEVELS if (o := level(info, cands, coded, config)))
    notes = [f"{outcome.rule}: {outcome.detail}", *info.rewrites]
    top = cands[0] if cands else None
    if top is not None and top.guards_failed:
        notes.extend(top.guards_failed)
    if outcome.candidate is not None and outcome.candidate.cert.lnv:
        notes.append("an LNV legal certificate (not counted as an mbo-certificaat offer)")
    blocker = auto_blocker(info)
    if blocker is not None and outcome.decision is not Decision.none:
        why, in_name = blocker
        if outcome.decision is Decision.auto:
            outcome = replace(outcome, decision=Decision.review)
            notes.append(f"not auto: {why}")
        elif in_name:
            outcome = replace(outcome, decision=Decision.none, candidate=None)
            notes.append(f"not a certificate: {why}")
    return outcome, "; ".join(notes)
