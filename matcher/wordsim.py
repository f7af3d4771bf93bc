"""Word-level similarity between names and register titles, computed in bulk with cdist."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from matcher.names import stem

WordSims = dict[str, dict[int, float]]  # name word -> {vocabulary index: similarity 0-1}


@dataclass(frozen=True)
class Vocabulary:
    """The distinct words of a register's (processed) titles, with rarity weights."""

    words: tuple[str, ...]
    index: dict[str, int]
    weights: dict[str, float]  # 1 + ln(titles / (1 + titles using the word))
    unseen_weight: float  # weight of a word that no title uses
    by_prefix: dict[str, list[int]] = field(default_factory=dict)
    by_stem: dict[str, list[int]] = field(default_factory=dict)  # Dutch Snowball stems
    # (index, head, word) of words that may be part of a compound: head = stem or word
    compound_parts: tuple[tuple[int, str, str], ...] = ()

    @classmethod
    def build(cls, titles: Sequence[Sequence[str]]) -> Vocabulary:
        counts: dict[str, int] = {}
        for words in titles:
            for word in set(words):
                counts[word] = counts.get(word, 0) + 1
        words = tuple(sorted(counts))
        by_prefix: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            if len(word) >= 6:
                by_prefix.setdefault(word[:6], []).append(i)
        by_stem: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            by_stem.setdefault(stem(word), []).append(i)
        compound_parts = tuple(
            (i, stem(w) if len(stem(w)) >= COMPOUND_PART_MIN_CHARS else w, w)
            for i, w in enumerate(words)
            if len(w) >= COMPOUND_PART_MIN_CHARS
        )
        n = max(len(titles), 1)
        return cls(
            by_stem=by_stem,
            compound_parts=compound_parts,
            words=words,
            index={w: i for i, w in enumerate(words)},
            weights={w: 1.0 + math.log(n / (1 + c)) for w, c in counts.items()},
            unseen_weight=1.0 + math.log(n),
            by_prefix=by_prefix,
        )

    def weight(self, word: str) -> float:
        """A word's rarity weight; a number no title uses (a year, an age, a price) weighs 1."""
        weight = self.weights.get(word)
        if weight is None:
            return 1.0 if word.isdigit() else self.unseen_weight
        return weight


def same_stem(x: str, y: str) -> bool:
    """Dutch word forms of one stem: a shared start of 6+ letters that is most of the longer
    word ('gastvrij'/'gastvrijheid', 'developer'/'development')."""
    if len(x) < 6 or len(y) < 6:
        return False
    shared = len(os.path.commonprefix([x, y]))
    return shared >= 6 and shared >= 0.6 * max(len(x), len(y))


def word_sims(words: Iterable[str], vocab: Vocabulary, at_ratio: float) -> WordSims:
    """Similarity of each distinct word to every vocabulary word, in one cdist call:
    fuzz.ratio / 100 from at_ratio up (typos, plurals), at_ratio / 100 for one stem."""
    unique = list(dict.fromkeys(words))
    if not unique or not vocab.words:
        return {w: {} for w in unique}
    matrix = process.cdist(
        unique,
        vocab.words,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=at_ratio,
        dtype=np.float32,
        workers=-1,
    )
    sims: WordSims = {}
    rows, cols = np.nonzero(matrix)
    for word in unique:
        sims[word] = {}
    for i, v in zip(rows.tolist(), cols.tolist(), strict=True):
        sims[unique[i]][v] = float(matrix[i, v]) / 100
    for word in unique:
        row = sims[word]
        for v in vocab.by_prefix.get(word[:6], ()) if len(word) >= 6 else ():
            if v not in row and same_stem(word, vocab.words[v]):
                row[v] = at_ratio / 100
        for v in vocab.by_stem.get(stem(word), ()):  # 'verdiepende' / 'verdieping'
            row[v] = max(row.get(v, 0.0), at_ratio / 100)
        if len(word) >= COMPOUND_MIN_CHARS and word not in vocab.index:  # (a register word
            # is itself, not a compound of another: 'verpleegtechnische' is no 'verplegende')
            for v, head, part in vocab.compound_parts:
                if (
                    v not in row
                    and len(part) < len(word)
                    and (word.startswith(head) or word.endswith(part))
                ):
                    row[v] = COMPOUND_SIMILARITY
    return sims


COMPOUND_MIN_CHARS = 8
COMPOUND_PART_MIN_CHARS = 5
COMPOUND_SIMILARITY = 0.8
"""A compound counts as this similar to a register word that is one of its parts
('windturbinemonteur' / 'windturbines', 'lijstenmaker' / 'lijsten'): the same thing, said
of a person or a task, rather than the same word."""


def match_words(
    name: Sequence[str],
    title: Sequence[str],
    title_ids: Sequence[int],
    sims: WordSims,
    at_ratio: float,
) -> tuple[list[float], list[float]]:
    """Best similarity (0-1) of each name word in the title and of each title word in the
    name; a long word may also match two adjacent words of the other side joined."""
    name_best, title_best = [0.0] * len(name), [0.0] * len(title)
    for i, word in enumerate(name):
        row = sims[word]
        if not row:
            continue
        for j, v in enumerate(title_ids):
            r = row.get(v, 0.0)
            if r > name_best[i]:
                name_best[i] = r
            if r > title_best[j]:
                title_best[j] = r
    for one, one_best, two, two_best in (
        (name, name_best, title, title_best),
        (title, title_best, name, name_best),
    ):
        for i, x in enumerate(one):
            if one_best[i] >= at_ratio / 100 or len(x) < 8:
                continue
            for j in range(len(two) - 1):
                # a compound joins two words in either order ('koerier bestelauto' ->
                # 'bestelautokoerier')
                r = (
                    max(
                        fuzz.ratio(x, two[j] + two[j + 1], score_cutoff=at_ratio),
                        fuzz.ratio(x, two[j + 1] + two[j], score_cutoff=at_ratio),
                    )
                    / 100
                )
                if r > one_best[i]:
                    one_best[i] = r
                    two_best[j] = max(two_best[j], r)
                    two_best[j + 1] = max(two_best[j + 1], r)
    return name_best, title_best


def coverage(
    name: Sequence[str],
    title: Sequence[str],
    title_ids: Sequence[int],
    sims: WordSims,
    vocab: Vocabulary,
    at_ratio: float,
) -> tuple[float, float]:
    """(rarity-weighted share of the name's words found in the title, and of the title's
    words found in the name)."""
    if not name or not title:
        return 0.0, 0.0
    name_best, title_best = match_words(name, title, title_ids, sims, at_ratio)
    name_w = [vocab.weight(w) for w in name]
    title_w = [vocab.weight(w) for w in title]
    p = sum(b * w for b, w in zip(name_best, name_w, strict=True)) / sum(name_w)
    r = sum(b * w for b, w in zip(title_best, title_w, strict=True)) / sum(title_w)
    return p, r
