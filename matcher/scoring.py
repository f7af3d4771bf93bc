"""Score course names against the register with rapidfuzz and route them: auto, review, none."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from matcher.config import MatchConfig
from matcher.levels import Candidate, Decision, NameInfo, apply_guards, decide, name_cues
from matcher.names import rewrite_name, stem
from matcher.normalise import codes_in, content_tokens, level_tokens, normalise_title
from matcher.wordsim import Vocabulary, WordSims, coverage, word_sims

if TYPE_CHECKING:
    from matcher.learned import LearnedName
    from matcher.register import Certificate, Register

__all__ = ["Decision", "MatchResult", "RankedCode", "match_many", "match_name", "rank_codes"]

Processor = Callable[[str], str]
# Common mbo qualifications (diploma programmes): a name equal to one is not a certificate.
QUALIFICATIONS = Path(__file__).parent / "data" / "qualifications.csv"
# Words that may stand next to a programme's name without making it something else.
_PROGRAMME_EXTRAS = frozenset({"bbl", "bol", "verkort", "verkorte", "dagopleiding", "entree"})
_CHUNK = 4096  # names per cdist call in match_many (bounds memory: chunk x titles bytes)


class RankedCode(NamedTuple):
    code: str
    score: float
    title: str


@dataclass(frozen=True)
class MatchResult:
    name: str
    decision: Decision
    code: str | None
    score: float
    ranked: tuple[RankedCode, ...]  # top 5, after guard penalties
    explanation: str  # short, readable by an analyst

    @property
    def title(self) -> str | None:
        return self.ranked[0].title if self.code and self.ranked else None


@dataclass(frozen=True)
class _Choice:
    """One title or alias of a certificate, pre-processed once per register and processor."""

    cert: Certificate
    title: str
    words: tuple[str, ...]
    ids: tuple[int, ...]  # the words' places in the register's vocabulary
    text: str
    levels: frozenset[str]


def _prepared(register: Register, processor: Processor) -> tuple[list[_Choice], Vocabulary]:
    """Every title and alias processed once per register and processor, and their words."""
    cached = register.cache.get(("choices", processor))
    if cached is None:
        rows = []
        for cert in register.certificates:  # sorted by code: deterministic ties
            for title in cert.titles:
                normalised = processor(title)
                words = tuple(dict.fromkeys(content_tokens(normalised)))
                rows.append((cert, title, words, level_tokens(normalised)))
        vocab = Vocabulary.build([words for _, _, words, _ in rows])
        choices = [
            _Choice(
                cert, title, words, tuple(vocab.index[w] for w in words), " ".join(words), levels
            )
            for cert, title, words, levels in rows
        ]
        cached = register.cache[("choices", processor)] = (choices, vocab)
    return cached


def _choices(register: Register, processor: Processor) -> list[_Choice]:
    return _prepared(register, processor)[0]


def _programmes(register: Register) -> dict[frozenset[str], str]:
    """Diploma programme names (embedded list + the register's qualifications) by word set."""
    cached = register.cache.get("programmes")
    if cached is None:
        with QUALIFICATIONS.open(encoding="utf-8", newline="") as f:
            names = [row["qualification"].strip() for row in csv.DictReader(f)]
        names += [c.qualification for c in register.certificates if c.qualification]
        cached = {}
        for name in names:
            words = frozenset(content_tokens(normalise_title(name)))
            if words:
                cached.setdefault(words, name)
        register.cache["programmes"] = cached
    return cached


def _qualifications(register: Register) -> list[tuple[frozenset[str], str]]:
    """(the words of a qualification, a certificate code of it) for every certificate that
    names its qualification."""
    cached = register.cache.get("qualifications")
    if cached is None:
        cached = [
            (frozenset(content_tokens(normalise_title(c.qualification))), c.code)
            for c in register.certificates
            if c.qualification
        ]
        register.cache["qualifications"] = cached
    return cached


def _score(
    words: tuple[str, ...],
    text: str,
    choice: _Choice,
    config: MatchConfig,
    sims: WordSims,
    vocab: Vocabulary,
) -> Candidate:
    """Title similarity: a word F-score (missing title words weigh more than extra words),
    or the similarity of the texts without spaces when that is high (split or joined
    compounds such as 'metaal bewerken' / 'metaalbewerken')."""
    p, r = coverage(words, choice.words, choice.ids, sims, vocab, config.token_match_at_ratio)
    beta2 = config.title_coverage_weight**2
    f_score = (1 + beta2) * p * r / (beta2 * p + r) if p and r else 0.0
    compact = fuzz.ratio(
        text.replace(" ", ""),
        choice.text.replace(" ", ""),
        score_cutoff=config.compact_match_at_ratio,
    )
    exact = bool(words) and (
        "".join(words) == "".join(choice.words)
        or sorted(words) == sorted(choice.words)
        or _same_words_joined(words, choice.words)
    )
    return Candidate(
        cert=choice.cert,
        matched_title=choice.title,
        score=100.0 if exact else round(max(100 * f_score, compact), 1),
        title_coverage=r,
        name_coverage=p,
        title_words=choice.words,
        title_levels=choice.levels,
        exact=exact,
    )


def _same_words_joined(words: Sequence[str], title: Sequence[str]) -> bool:
    """True when the name has the title's words in any order once one pair of its adjacent
    words is written as one compound ("Web-development basis" / "Basis webdevelopment")."""
    if len(words) != len(title) + 1:
        return False
    wanted = sorted(title)
    for i in range(len(words) - 1):
        joined = [*words[:i], words[i] + words[i + 1], *words[i + 2 :]]
        if sorted(joined) == wanted:
            return True
    return False


def _best_per_certificate(cands: Iterable[Candidate]) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    for cand in cands:
        held = best.get(cand.cert.code)
        if held is None or cand.score > held.score:
            best[cand.cert.code] = cand
    return list(best.values())


def _ranked(cands: Sequence[Candidate]) -> list[Candidate]:
    return sorted(cands, key=lambda c: (-c.adjusted, c.cert.code))


def _info(
    name: str,
    normalised: str,
    codes_on_page: Sequence[str],
    cues: frozenset[str],
    register: Register,
) -> NameInfo:
    written = tuple(dict.fromkeys(content_tokens(normalised)))
    codes = tuple(dict.fromkeys([*codes_in(name), *(c.strip().upper() for c in codes_on_page)]))
    # the name as written decides whether it is a programme; its rewrite is what is matched
    programme = _programmes(register).get(frozenset(written) - _PROGRAMME_EXTRAS)
    qualified = frozenset(
        code for words, code in _qualifications(register) if words and words <= set(written)
    )
    rewrite = rewrite_name(name, register)
    if rewrite.notes:
        normalised = normalise_title(rewrite.name)
    return NameInfo(
        name=name,
        words=tuple(dict.fromkeys(content_tokens(normalised))),
        rewrites=rewrite.notes,
        qualified=qualified,
        levels=level_tokens(normalised),
        codes=codes,
        name_cues=name_cues(name),
        page_cues=frozenset(cues),
        programme=programme,
    )


def _prefilter(
    texts: list[str], choices: list[_Choice], limit: int, floor: float = 1.0
) -> np.ndarray:
    """Indices of the `limit` best choices per name by token_set_ratio (one cdist call);
    -1 marks a slot whose choice scored below `floor`."""
    matrix = process.cdist(
        texts,
        [c.text for c in choices],
        scorer=fuzz.token_set_ratio,
        processor=None,
        dtype=np.uint8,
        workers=-1,
    )
    limit = min(limit, len(choices))
    if limit == len(choices):
        top = np.tile(np.arange(len(choices)), (len(texts), 1))
    else:
        top = np.argpartition(-matrix.astype(np.int16), limit - 1, axis=1)[:, :limit]
    keep = np.take_along_axis(matrix, top, axis=1) >= floor
    return np.where(keep, top, -1)


def _match(
    info: NameInfo, indices: Iterable[int], register: Register, config: MatchConfig, sims: WordSims
) -> MatchResult:
    choices, vocab = _prepared(register, normalise_title)
    text = " ".join(info.words)
    scored = [_score(info.words, text, choices[i], config, sims, vocab) for i in indices if i >= 0]
    if info.qualified:  # the certificates of a qualification the name names are candidates
        scored += [
            _score(info.words, text, ch, config, sims, vocab)
            for ch in choices
            if ch.cert.code in info.qualified
        ]
    cands = _ranked([apply_guards(info, c, config) for c in _best_per_certificate(scored)])
    coded: list[Candidate] = []
    if info.codes:
        coded_certs = [cert for code in info.codes if (cert := register.get(code))]
        coded = [
            apply_guards(info, c, config)
            for c in _best_per_certificate(
                _score(info.words, text, ch, config, sims, vocab)
                for ch in choices
                if any(ch.cert is cert for cert in coded_certs)
            )
        ]
    outcome, explanation = decide(info, cands, coded, config)
    ranked = [RankedCode(c.cert.code, round(c.adjusted, 1), c.cert.title) for c in cands[:5]]
    chosen = outcome.candidate
    if chosen is not None and (not ranked or ranked[0].code != chosen.cert.code):
        ranked = [
            RankedCode(chosen.cert.code, round(outcome.score, 1), chosen.cert.title),
            *(r for r in ranked if r.code != chosen.cert.code),
        ][:5]
    return MatchResult(
        name=info.name,
        decision=outcome.decision,
        code=chosen.cert.code if chosen is not None else None,
        score=round(outcome.score, 1),
        ranked=tuple(ranked),
        explanation=explanation,
    )


def rank_codes(
    name: str,
    register: Register,
    *,
    processor: Processor = normalise_title,
    limit: int = 5,
    score_cutoff: float = 0.0,
) -> list[RankedCode]:
    """The best certificates for `name`, by title similarity (0-100), best first.

    Ties are broken by code (the register is sorted by code). No guards or rules apply here:
    see match_name for a decision.
    """
    config = MatchConfig()
    choices, vocab = _prepared(register, processor)
    normalised = processor(name)
    words = tuple(dict.fromkeys(content_tokens(normalised)))
    text = " ".join(words)
    indices = _prefilter([text], choices, max(config.prefilter_limit, limit * 2))[0]
    sims = word_sims(words, vocab, config.token_match_at_ratio)
    cands = _best_per_certificate(
        _score(words, text, choices[i], config, sims, vocab) for i in indices if i >= 0
    )
    ranked = sorted(cands, key=lambda c: (-c.score, c.cert.code))
    return [
        RankedCode(c.cert.code, c.score, c.cert.title) for c in ranked if c.score >= score_cutoff
    ][:limit]


def match_name(
    name: str,
    register: Register,
    *,
    config: MatchConfig | None = None,
    codes_on_page: Sequence[str] = (),
    cues: frozenset[str] = frozenset(),
    learned: LearnedName | None = None,
) -> MatchResult:
    """Match one course name: ranked codes, a decision (auto/review/none) and why.

    Args:
        codes_on_page: certificate codes found on the name's page (strong evidence when the
            title is compatible).
        cues: page cues: "certificate", "diploma", "private", "b2b", "lnv".
        learned: what analysts decided on this name elsewhere (matcher.learned).
    """
    config = config or MatchConfig()
    choices = _choices(register, normalise_title)
    info = _info(name, normalise_title(name), codes_on_page, cues, register)
    if learned is not None:
        info = replace(info, learned=learned)
    indices = _prefilter(
        [" ".join(info.words)], choices, config.prefilter_limit, config.prefilter_at_score
    )[0]
    sims = word_sims(
        info.words, _prepared(register, normalise_title)[1], config.token_match_at_ratio
    )
    return _match(info, indices, register, config, sims)


def match_many(
    names: Iterable[str], register: Register, *, config: MatchConfig | None = None
) -> list[MatchResult]:
    """Match many names in bulk: one rapidfuzz cdist pass per chunk, then the ladder."""
    config = config or MatchConfig()
    choices, vocab = _prepared(register, normalise_title)
    names = list(names)
    results: list[MatchResult] = []
    for start in range(0, len(names), _CHUNK):
        chunk = names[start : start + _CHUNK]
        infos = [_info(n, normalise_title(n), (), frozenset(), register) for n in chunk]
        top = _prefilter(
            [" ".join(i.words) for i in infos],
            choices,
            config.prefilter_limit,
            config.prefilter_at_score,
        )
        sims = word_sims((w for i in infos for w in i.words), vocab, config.token_match_at_ratio)
        results.extend(
            _match(info, row, register, config, sims) for info, row in zip(infos, top, strict=True)
        )
    return results


def _title_stems(register: Register) -> list[tuple[Certificate, frozenset[str]]]:
    """Each certificate with the stems of its titles' words (4+ letters) and its
    qualification's: what a page's description can share with it."""
    cached = register.cache.get("title-stems")
    if cached is None:
        cached = []
        for cert in register.certificates:
            text = " ".join([*cert.titles, cert.qualification or ""])
            stems = frozenset(stem(w) for w in content_tokens(normalise_title(text)) if len(w) >= 4)
            cached.append((cert, stems))
        register.cache["title-stems"] = cached
    return cached


def rank_by_context(
    result: MatchResult,
    context: str,
    register: Register,
    *,
    codes_on_page: Sequence[str] = (),
    config: MatchConfig | None = None,
) -> MatchResult:
    """A review item's codes re-ranked with the page's own words as a second signal.

    Each certificate gains `context_weight_points` x the share of its title and qualification
    words (Dutch stems) that the description around the name uses, so a code the name missed
    but the page describes is shown, and the best described comes first. A code named on the
    page stays first. Never changes the decision: auto needs the name.
    """
    if result.decision is not Decision.review or not context.strip():
        return result
    config = config or MatchConfig()
    said = {stem(w) for w in content_tokens(normalise_title(context)) if len(w) >= 4}
    by_name = {r.code: r for r in result.ranked}
    scored: dict[str, tuple[float, RankedCode]] = {}
    for cert, stems in _title_stems(register):
        share = len(stems & said) / len(stems) if stems else 0.0
        named = by_name.get(cert.code)
        if named is None and share < config.context_min_share:
            continue
        base = named.score if named is not None else 0.0
        shown = named or RankedCode(cert.code, 0.0, cert.title)
        scored[cert.code] = (base + config.context_weight_points * share, shown)
    pinned = [c for c in codes_on_page if c in scored]
    order = sorted(scored, key=lambda c: (c not in pinned, -scored[c][0], c))
    ranked = tuple(scored[c][1] for c in order[:5])
    if not ranked or [r.code for r in ranked] == [r.code for r in result.ranked]:
        return result
    note = "volgorde van de codes mede op de beschrijving op de pagina"
    return replace(
        result,
        ranked=ranked,
        code=ranked[0].code,
        explanation=f"{result.explanation}; {note}",
    )
