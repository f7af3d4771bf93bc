"""Names as people write them: acronyms, shortened words and spelling variants rewritten in
the register's own words before matching, each rewrite explained."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

import snowballstemmer

from matcher.normalise import content_tokens, normalise_title, strip_accents

if TYPE_CHECKING:
    from matcher.register import Register

# A hand-curated list of Dutch sector abbreviations, each with where its use is established.
ABBREVIATIONS = Path(__file__).parent / "data" / "abbreviations.csv"
MIN_DERIVED_ACRONYM: Final = 3  # letters: "VTH", "NAH"; two-letter ones only from the list
MIN_TRUNCATED: Final = 3  # letters kept before the full stop ("Ind.", "Verpl.")
MIN_COMPOUND_PART: Final = 4
# Tokens that look like acronyms but say what kind of course it is: cues, not names.
_KIND_ACRONYMS: Final = frozenset(
    {"BBL", "BOL", "BHV", "VCA", "EHBO", "NCOI", "LNV", "NIBHV", "MBO", "HBO", "LLO", "NT2"}
)
_ACRONYM = re.compile(r"(?<![\w'’-])([A-Z]{2,5})(?![\w'’])")
_TRUNCATED = re.compile(rf"(?<![\w.])([^\W\d_]{{{MIN_TRUNCATED},}})\.(?=[ \t]*[^\W\d_])")


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Dutch Snowball stem of a normalised word ('verdiepende' -> 'verdiep')."""
    return str(_stemmer().stemWord(word))


@dataclass(frozen=True)
class Rewrite:
    """A name rewritten in the register's words, and what was rewritten (Dutch, for analysts)."""

    name: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Lexicon:
    """What the register's titles say about words: the words, their stems, the titles they
    occur in, and the acronyms their words' initials make."""

    words: frozenset[str]
    by_stem: dict[str, str]
    titles_of: dict[str, frozenset[int]]  # word stem -> title indices
    acronyms: dict[str, str]  # "VTH" -> "verpleegtechnische handelingen"
    acronym_source: dict[str, str]  # "VTH" -> "titels" | "lijst"


def rewrite_name(name: str, register: Register) -> Rewrite:
    """`name` with acronyms spelled out, shortened words completed and spelling variants
    written as the register writes them. Unchanged when nothing applies."""
    lexicon = _lexicon(register)
    notes: list[str] = []
    text = _spell_out_acronyms(name, lexicon, notes)
    text = _complete_truncations(text, lexicon, notes)
    text = _register_spelling(text, lexicon, notes)
    return Rewrite(text, tuple(notes)) if notes else Rewrite(name)


def _spell_out_acronyms(name: str, lexicon: _Lexicon, notes: list[str]) -> str:
    def spell(match: re.Match[str]) -> str:
        acronym = match.group(1)
        if acronym in _KIND_ACRONYMS or acronym.lower() in lexicon.words:
            return acronym  # "BSO 8 tot 12 jaar" is the title's own word
        expansion = lexicon.acronyms.get(acronym)
        if expansion is None:
            return acronym
        where = lexicon.acronym_source[acronym]
        notes.append(f"acroniem {acronym} = {expansion} ({where})")
        return f" {expansion} "

    return _ACRONYM.sub(spell, name)


def _complete_truncations(name: str, lexicon: _Lexicon, notes: list[str]) -> str:
    """ "Verpl. techn. handelingen" -> the register words that start with (or, inside a
    compound, contain) the shortened word; among several, the one whose titles share most
    of the name's other words."""
    if not _TRUNCATED.search(name):
        return name
    context = {stem(w) for w in content_tokens(normalise_title(_TRUNCATED.sub(" ", name)))}

    def complete(match: re.Match[str]) -> str:
        short = strip_accents(match.group(1)).lower()
        if short in lexicon.words:
            return match.group(0)
        options = sorted(
            w
            for w in lexicon.words
            if w != short
            and (w.startswith(short) or (len(short) >= MIN_COMPOUND_PART and short in w[1:]))
        )
        if not options:
            return match.group(0)
        best = max(
            options,
            key=lambda w: (_shared_titles(w, context, lexicon), w.startswith(short), -len(w)),
        )
        notes.append(f"afkorting {match.group(0)} = {best}")
        return best

    return _TRUNCATED.sub(complete, name)


def _shared_titles(word: str, context: set[str], lexicon: _Lexicon) -> int:
    titles = lexicon.titles_of.get(stem(word), frozenset())
    return max(
        (sum(1 for s in context if i in lexicon.titles_of.get(s, ())) for i in titles), default=0
    )


def _register_spelling(name: str, lexicon: _Lexicon, notes: list[str]) -> str:
    """A word the register does not use, whose plural or loan-word spelling it does
    ('babies' -> 'babys', the register's "baby's")."""
    words = normalise_title(name).split()
    changed = False
    out = []
    for word in words:
        variant = None if word in lexicon.words else _variant(word, lexicon)
        if variant is not None:
            notes.append(f"spelling {word} = {variant}")
            changed = True
        out.append(variant or word)
    return " ".join(out) if changed else name


def _variant(word: str, lexicon: _Lexicon) -> str | None:
    if len(word) < 5:
        return None
    forms = []
    if word.endswith("ies"):
        forms += [word[:-3] + "ys", word[:-3] + "y"]
    if word.endswith("s"):
        forms.append(word[:-1])
    forms += [word + "s", word + "en"]
    return next((f for f in forms if f in lexicon.words), None)


def _lexicon(register: Register) -> _Lexicon:
    cached = register.cache.get("names-lexicon")
    if isinstance(cached, _Lexicon):
        return cached
    titles = [
        content_tokens(normalise_title(title))
        for cert in register.certificates
        for title in cert.titles
    ]
    words = frozenset(w for t in titles for w in t)
    by_stem = {stem(w): w for w in sorted(words)}
    titles_of: dict[str, set[int]] = defaultdict(set)
    for i, t in enumerate(titles):
        for w in t:
            titles_of[stem(w)].add(i)
    owner = [cert.code for cert in register.certificates for _ in cert.titles]
    derived = _derived_acronyms(titles, owner, by_stem)
    acronyms = dict(derived)
    source = dict.fromkeys(acronyms, "uit de titels van het register")
    for row in _curated():
        acronyms.setdefault(row[0], row[1])
        source.setdefault(row[0], "lijst van sectorafkortingen")
    lexicon = _Lexicon(
        words, by_stem, {k: frozenset(v) for k, v in titles_of.items()}, acronyms, source
    )
    register.cache["names-lexicon"] = lexicon
    return lexicon


def _derived_acronyms(
    titles: list[list[str]], owner: list[str], by_stem: dict[str, str]
) -> dict[str, str]:
    """Acronyms made of the initials of consecutive title words and their compound parts
    ('verpleegtechnische handelingen' -> VTH); only those that stand for one expansion."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for index, words in enumerate(titles):
        parts = [(w, _compound_parts(w, by_stem)) for w in words if not w.isdigit()]
        for start in range(len(parts)):
            initials = ""
            for end in range(start, len(parts)):
                initials += "".join(p[0] for p in parts[end][1])
                if len(initials) > 5:
                    break
                if len(initials) >= MIN_DERIVED_ACRONYM:
                    expansion = " ".join(w for w, _ in parts[start : end + 1])
                    found[initials.upper()].setdefault(owner[index], expansion)
    # one meaning: one certificate (its first title), or one wording in several titles
    return {
        acronym: next(iter(by_cert.values()))
        for acronym, by_cert in found.items()
        if len(by_cert) == 1 or len(set(by_cert.values())) == 1
    }


def _compound_parts(word: str, by_stem: dict[str, str]) -> tuple[str, ...]:
    """'verpleegtechnische' -> ('verpleeg', 'technische') when the tail's stem is a register
    word's stem; otherwise the word itself."""
    for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
        tail = word[cut:]
        if stem(tail) in by_stem and by_stem[stem(tail)] != word:
            return (word[:cut], tail)
    return (word,)


def _curated() -> list[tuple[str, str]]:
    with ABBREVIATIONS.open(encoding="utf-8", newline="") as f:
        return [(r["abbreviation"].strip(), r["expansion"].strip()) for r in csv.DictReader(f)]
