"""Evaluate the matcher on the labelled gold set; optionally measure throughput; pin floors.

    .venv/bin/python benchmarks/matcher_eval.py                 # figures on the gold set
    .venv/bin/python benchmarks/matcher_eval.py --errors        # ... and every wrong or missed row
    .venv/bin/python benchmarks/matcher_eval.py --throughput    # ... and 100,000 names/s
    .venv/bin/python benchmarks/matcher_eval.py --pin [--allow-lower]   # re-pin the baseline

Definitions: auto-accept precision = correct auto decisions / all auto decisions (an auto on a
negative or onto the wrong code is wrong); recall = correct auto decisions / positive rows;
review share = review decisions / all rows; negatives auto-accepted = auto decisions on rows
whose expected code is empty.
What analysts see (issue 9): recall with review = positives auto-accepted with the right code
or in review with the right code among the (at most 5) codes shown; review precision = review
decisions on positive rows / all review decisions. Figures per class (acronym, truncation,
spelling, inflection, occupation, partial, reworded; language, private, branch negatives; rows
without a class are "title" positives or their kind).
Sets: gold (tuned on), holdout (written after the first tuning), holdout2 (written for issue 9
before its tuning; a tuning set since its second round), holdout3 (written before that second
round, never tuned on).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matcher.config import MatchConfig  # noqa: E402
from matcher.register import Register  # noqa: E402
from matcher.scoring import Decision, MatchResult, match_many  # noqa: E402

GOLD = ROOT / "benchmarks" / "matcher_gold.csv"
# Written after the matcher was tuned on GOLD and evaluated once, untuned: an honest check.
HOLDOUT = ROOT / "benchmarks" / "matcher_holdout.csv"
# Written for issue 9 (names as people write them) before its rules were tuned.
HOLDOUT2 = ROOT / "benchmarks" / "matcher_holdout2.csv"
# Written before issue 9's second round of tuning (on gold and holdout2); never tuned on.
HOLDOUT3 = ROOT / "benchmarks" / "matcher_holdout3.csv"
SETS = {"gold": GOLD, "holdout": HOLDOUT, "holdout2": HOLDOUT2, "holdout3": HOLDOUT3}
BASELINE = ROOT / "benchmarks" / "matcher_baseline.json"
FLOOR_KEYS = {
    "precision": "min",
    "recall": "min",
    "review_share": "max",
    "negatives_auto": "max",
    "recall_with_review": "min",
    "review_precision": "min",
}


@dataclass(frozen=True)
class GoldRow:
    name: str
    code: str  # "" = not a certificate in the register
    kind: str  # certificate | diploma | private | lnv | near-miss
    variant: str = ""  # how the name is written (acronym, truncation, ...); see the docstring

    @property
    def group(self) -> str:
        return self.variant or ("title" if self.code else self.kind)


@dataclass(frozen=True)
class Figures:
    rows: int
    positives: int
    negatives: int
    auto: int
    auto_correct: int
    review: int
    negatives_auto: int
    precision: float
    recall: float
    review_share: float
    recall_with_review: float  # right code auto-accepted, or among a review's codes shown
    review_precision: float  # review decisions on positive rows / review decisions


def load_gold(path: Path = GOLD) -> list[GoldRow]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            GoldRow(r["name"], r["code"].strip(), r["kind"], (r.get("class") or "").strip())
            for r in csv.DictReader(f)
        ]


def gold_digest(path: Path = GOLD) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def figures(gold: list[GoldRow], results: list[MatchResult]) -> Figures:
    positives = sum(1 for g in gold if g.code)
    auto = [(g, r) for g, r in zip(gold, results, strict=True) if r.decision is Decision.auto]
    correct = sum(1 for g, r in auto if g.code and r.code == g.code)
    review = sum(1 for r in results if r.decision is Decision.review)
    reviewed_right = sum(
        1
        for g, r in zip(gold, results, strict=True)
        if g.code
        and r.decision is Decision.review
        and g.code in {c.code for c in r.ranked[:5] if c.score > 0}
    )
    review_real = sum(
        1 for g, r in zip(gold, results, strict=True) if g.code and r.decision is Decision.review
    )
    return Figures(
        rows=len(gold),
        positives=positives,
        negatives=len(gold) - positives,
        auto=len(auto),
        auto_correct=correct,
        review=review,
        negatives_auto=sum(1 for g, _ in auto if not g.code),
        precision=round(correct / len(auto), 4) if auto else 1.0,
        recall=round(correct / positives, 4) if positives else 1.0,
        review_share=round(review / len(gold), 4),
        recall_with_review=round((correct + reviewed_right) / positives, 4) if positives else 1.0,
        review_precision=round(review_real / review, 4) if review else 1.0,
    )


def by_class(gold: list[GoldRow], results: list[MatchResult]) -> dict[str, Figures]:
    """Figures per class of name (see the module docstring)."""
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        groups.setdefault(g.group, []).append(i)
    return {
        label: figures([gold[i] for i in rows], [results[i] for i in rows])
        for label, rows in sorted(groups.items())
    }


def evaluate(
    gold: list[GoldRow] | None = None,
    register: Register | None = None,
    config: MatchConfig | None = None,
) -> tuple[Figures, list[MatchResult]]:
    gold = gold if gold is not None else load_gold()
    results = match_many([g.name for g in gold], register or Register.default(), config=config)
    return figures(gold, results), results


def pin(
    current: dict[str, Figures],
    *,
    baseline_path: Path = BASELINE,
    paths: dict[str, Path] | None = None,
    allow_lower: bool = False,
) -> dict:
    """Write the current figures of each set as its floors; refuse to lower a floor (or raise
    a ceiling) without allow_lower, like trafilatura's eval gate."""
    paths = paths or SETS
    old = json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.exists() else {}
    sets = {}
    for label, figures_ in current.items():
        floors = {key: getattr(figures_, key) for key in FLOOR_KEYS}
        before = old.get("sets", {}).get(label, {}).get("floors", {})
        worse = [
            key
            for key, kind in FLOOR_KEYS.items()
            if key in before
            and (floors[key] < before[key] if kind == "min" else floors[key] > before[key])
        ]
        if worse and not allow_lower:
            raise SystemExit(
                f"refusing to re-pin {label}: {', '.join(worse)} would get worse "
                "than the pinned floor; fix the regression or pass --allow-lower"
            )
        sets[label] = {"sha256": gold_digest(paths[label]), "floors": floors}
    baseline = {"epsilon": old.get("epsilon", 0.002), "kinds": FLOOR_KEYS, "sets": sets}
    baseline_path.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return baseline


SUFFIXES = (
    "",
    " (niveau 2)",
    " – deeltijd",
    " | ROC Voorbeeld",
    " voor werkenden",
    " start september",
    " (mbo-certificaat)",
)


def benchmark_names(count: int) -> list[str]:
    """`count` names from the gold set, varied deterministically so that they are not the same
    strings over and over: a suffix seen on websites, and a typo in every third name."""
    gold = [g.name for g in load_gold()]
    names = []
    for i in range(count):
        name = gold[i % len(gold)] + SUFFIXES[(i // len(gold)) % len(SUFFIXES)]
        if i % 3 == 1 and len(name) > 4:
            at = 1 + (i * 7) % (len(name) - 2)
            name = name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # swap two letters
        names.append(name)
    return names


def throughput(register: Register, *, names: int = 100_000, naive_sample: int = 2_000) -> dict:
    """names/s of match_many and of its cdist stage, against naive per-name Python loops over
    all titles with the same scorers."""
    from rapidfuzz import fuzz, process

    from matcher.normalise import normalise_title
    from matcher.scoring import _info, _match, _prepared
    from matcher.wordsim import word_sims

    batch = benchmark_names(names)
    choices, vocab = _prepared(register, normalise_title)
    config = MatchConfig()
    out: dict[str, float] = {"names": names, "titles": len(choices)}

    infos = [_info(n, normalise_title(n), (), frozenset(), register) for n in batch]
    texts = [" ".join(info.words) for info in infos]
    start = time.perf_counter()
    process.cdist(
        texts, [c.text for c in choices], scorer=fuzz.token_set_ratio, processor=None, workers=-1
    )
    out["cdist_names_per_s"] = names / (time.perf_counter() - start)
    start = time.perf_counter()
    for text in texts:
        for choice in choices:
            fuzz.token_set_ratio(text, choice.text, processor=None)
    out["loop_names_per_s"] = names / (time.perf_counter() - start)
    out["cdist_vs_loop"] = out["cdist_names_per_s"] / out["loop_names_per_s"]

    start = time.perf_counter()
    match_many(batch, register)
    out["match_many_names_per_s"] = names / (time.perf_counter() - start)
    everything = range(len(choices))
    start = time.perf_counter()
    for info in infos[:naive_sample]:
        sims = word_sims(info.words, vocab, config.token_match_at_ratio)
        _match(info, everything, register, config, sims)
    out["naive_match_names_per_s"] = naive_sample / (time.perf_counter() - start)
    out["naive_sample"] = naive_sample
    out["match_many_vs_naive"] = out["match_many_names_per_s"] / out["naive_match_names_per_s"]
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}


def _print_errors(gold: list[GoldRow], results: list[MatchResult]) -> None:
    for g, r in zip(gold, results, strict=True):
        wrong_auto = r.decision is Decision.auto and r.code != (g.code or None)
        missed = g.code and r.decision is not Decision.auto
        if wrong_auto or missed:
            label = "WRONG" if wrong_auto else "miss "
            print(
                f"{label} {g.kind:11} want={g.code or '-':5} got={r.decision.value}:"
                f"{r.code or '-':5} {r.score:5.1f} {g.name!r} | {r.explanation}"
            )


def _print_figures(label: str, result: Figures, digest: str) -> None:
    print(
        f"{label} set: {result.rows} names ({result.positives} positives, "
        f"{result.negatives} negatives), sha256 {digest[:12]}"
    )
    print(f"  auto-accept precision: {result.precision:.2%} ({result.auto_correct}/{result.auto})")
    print(
        f"  auto-accept recall:    {result.recall:.2%} ({result.auto_correct}/{result.positives})"
    )
    print(f"  review share:          {result.review_share:.2%} ({result.review}/{result.rows})")
    print(f"  negatives auto-accepted: {result.negatives_auto}")
    print(f"  recall with review (right code among those shown): {result.recall_with_review:.2%}")
    print(f"  review precision (review items that are real offers): {result.review_precision:.2%}")


def _print_classes(gold: list[GoldRow], results: list[MatchResult]) -> None:
    print(
        f"  {'class':12} {'rows':>4} {'P auto':>7} {'R auto':>7} {'R+rev':>7} "
        f"{'review':>6} {'neg auto':>8}"
    )
    for label, f in by_class(gold, results).items():
        print(
            f"  {label:12} {f.rows:4} {f.precision:7.1%} {f.recall:7.1%} "
            f"{f.recall_with_review:7.1%} {f.review:6} {f.negatives_auto:8}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list wrong and missed rows")
    parser.add_argument("--throughput", action="store_true", help="measure 100,000 names")
    parser.add_argument("--pin", action="store_true", help="write matcher_baseline.json")
    parser.add_argument("--allow-lower", action="store_true", help="let --pin lower a floor")
    args = parser.parse_args(argv)
    pinned = {}
    for label, path in SETS.items():
        gold = load_gold(path)
        pinned[label], results = evaluate(gold)
        if args.errors:
            _print_errors(gold, results)
        _print_figures(label, pinned[label], gold_digest(path))
        _print_classes(gold, results)
    if args.throughput:
        figures_ = throughput(Register.default())
        print(json.dumps(figures_, indent=2))
    if args.pin:
        baseline = pin(pinned, allow_lower=args.allow_lower)
        print(f"pinned: {json.dumps(baseline['sets'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
