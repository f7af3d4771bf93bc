"""Evaluate the extractor (page -> offers) on labelled saved pages; pin floors.

    .venv/bin/python benchmarks/extractor_eval.py             # figures per page type and overall
    .venv/bin/python benchmarks/extractor_eval.py --errors    # ... and every miss / false offer
    .venv/bin/python benchmarks/extractor_eval.py --pin [--allow-lower]   # re-pin the baseline

Sets: extractor_gold.csv (the rules were tuned on it) and extractor_holdout.csv (written and
labelled afterwards, evaluated untuned). Each page is archived as its own institution in a scratch
workspace (bytes, URL and Content-Type header as a crawl would store them) and the round is
matched with the real `match_round`; the offers are read back with `offers_for_round`. So the
figures are those of the pipeline itself: decoding, extraction, cues, matching, the offers view.

Definitions (codes compared per page; a second code of one certificate counts as the same):
confirmed precision/recall: offers with status confirmed against the expected offers;
all precision/recall: confirmed + review offers; b2b accuracy: share of correctly found offers
(confirmed + review) whose b2b_only flag is the expected one; pages with an invented offer:
pages where a confirmed offer is not expected (pages_invented_all: confirmed or review).
What analysts see (issue 9): recall with review = expected offers that are confirmed, or whose
code is among the codes shown (at most 5) for one of the page's review-queue items; review
precision = review-queue items (one per page and name, as `review` shows them) that show one of
the page's expected codes; review load = review-queue items / expected offers.
Sets: gold (tuned on), holdout (written after the first tuning), holdout2 (written for issue 9
before its tuning: brochures, long pages, cue-only pages, language/private/branch courses; a
tuning set since the second round), holdout3 (written before issue 9's second round; its misses
guided the third round), holdout4 (written before the third round, pinned untuned first).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.matcher_eval import gold_digest  # noqa: E402
from matcher.config import MatchConfig  # noqa: E402
from matcher.offers import match_round, offers_for_round  # noqa: E402
from matcher.register import Register  # noqa: E402
from mbo_websearch.review.queue import load_queue  # noqa: E402
from mbo_websearch.workspace import open_db  # noqa: E402
from snapshots.evidence import EvidenceStore, Response, start_round  # noqa: E402
from snapshots.workspace import Workspace  # noqa: E402

GOLD = ROOT / "benchmarks" / "extractor_gold.csv"
# Written and labelled after the rules were tuned on GOLD, then evaluated: an honest check.
HOLDOUT = ROOT / "benchmarks" / "extractor_holdout.csv"
# Written for issue 9 before the rules for brochures, cue-only pages and exclusions were tuned.
HOLDOUT2 = ROOT / "benchmarks" / "extractor_holdout2.csv"
# Written before issue 9's second round of tuning (on gold and holdout2); never tuned on.
HOLDOUT3 = ROOT / "benchmarks" / "extractor_holdout3.csv"
# Written before the third round (tables, numbered PDF headings, cue-only pages); evaluated
# untuned first, its floors pinned before any rule changed.
HOLDOUT4 = ROOT / "benchmarks" / "extractor_holdout4.csv"
SETS = {
    "gold": GOLD,
    "holdout": HOLDOUT,
    "holdout2": HOLDOUT2,
    "holdout3": HOLDOUT3,
    "holdout4": HOLDOUT4,
}
PAGES = ROOT / "benchmarks" / "extractor_pages"
BASELINE = ROOT / "benchmarks" / "extractor_baseline.json"
ROUND = "EVAL"
FLOOR_KEYS = {
    "precision_confirmed": "min",
    "recall_confirmed": "min",
    "precision_all": "min",
    "recall_all": "min",
    "b2b_accuracy": "min",
    "pages_invented": "max",
    "pages_invented_all": "max",
    "recall_with_review": "min",
    "review_precision": "min",
    "review_load": "max",
}


@dataclass(frozen=True)
class GoldPage:
    file: str
    url: str
    content_type: str
    page_type: str
    offers: dict[str, bool]  # expected code -> b2b_only
    note: str


@dataclass(frozen=True)
class Found:
    """One offer the pipeline found on a page."""

    code: str
    confirmed: bool
    b2b: bool
    names: tuple[str, ...]
    shown: tuple[str, ...] | None = None  # set on review-queue items: the codes shown


@dataclass(frozen=True)
class Figures:
    pages: int
    expected: int
    confirmed: int
    confirmed_correct: int
    found: int  # confirmed + review
    found_correct: int
    b2b_right: int
    precision_confirmed: float
    recall_confirmed: float
    precision_all: float
    recall_all: float
    b2b_accuracy: float
    pages_invented: int
    pages_invented_all: int
    reviewed_right: int = 0  # expected offers not confirmed but shown in a review item
    review_items: int = 0
    review_items_real: int = 0
    review_items_top: int = 0  # review items whose first code shown is a right one
    recall_with_review: float = 1.0
    review_precision: float = 1.0
    review_load: float = 0.0  # review items / expected offers


def load_gold(path: Path = GOLD, register: Register | None = None) -> list[GoldPage]:
    """The labelled pages; expected codes are written as the register's main code."""
    register = register or Register.default()
    pages = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            offers: dict[str, bool] = {}
            if row["offers"].strip() != "none":
                for item in row["offers"].split():
                    code, _, flag = item.partition(":")
                    offers[_canonical(code, register)] = flag == "b2b"
            pages.append(
                GoldPage(
                    row["file"],
                    row["url"],
                    row["content_type"],
                    row["page_type"],
                    offers,
                    row["note"],
                )
            )
    return pages


def _canonical(code: str, register: Register) -> str:
    cert = register.get(code)
    return cert.code if cert else code


def run_pipeline(
    gold: list[GoldPage],
    workspace_dir: Path,
    *,
    register: Register | None = None,
    config: MatchConfig | None = None,
) -> dict[str, list[Found]]:
    """Archive every page as its own institution, match the round, and read back the offers
    per page file."""
    register = register or Register.default()
    workspace = Workspace(workspace_dir)
    db = open_db(workspace)
    try:
        start_round(db, ROUND)
        store = EvidenceStore(
            workspace, db, ROUND, clock=lambda: datetime(2026, 11, 30, tzinfo=UTC)
        )
        for page in gold:
            institution_id = db.table("institutions").lookup(
                {"name": page.file},
                {
                    "funded": "bekostigd",
                    "website": page.url,
                    "start_urls": "[]",
                    "hosts": "[]",
                    "imported_at": "2026-11-30",
                },
            )
            store.store(
                Response(
                    institution_id=institution_id,
                    institution=page.file,
                    url=page.url,
                    final_url=page.url,
                    status=200,
                    headers=[("Content-Type", page.content_type)],
                    body=(PAGES / page.file).read_bytes(),
                    kind="pdf" if page.file.endswith(".pdf") else "page",
                )
            )
        store.close()
        match_round(workspace, db, ROUND, register=register, config=config)
        found: dict[str, list[Found]] = {page.file: [] for page in gold}
        for item in load_queue(db, ROUND).items:
            shown = tuple(_canonical(o.code, register) for o in item.options)
            found[item.institution].append(Found("", False, False, (item.name,), shown))
        for offer in offers_for_round(db, ROUND):
            found[offer.institution].append(
                Found(
                    _canonical(offer.code, register),
                    offer.status == "confirmed",
                    offer.b2b_only,
                    offer.names,
                )
            )
        return found
    finally:
        db.close()


def candidates_of(workspace_dir: Path, file: str) -> list[dict]:
    """The stored candidates of one page (for --errors)."""
    db = open_db(Workspace(workspace_dir))
    try:
        return list(
            db.query(
                "SELECT c.name, c.source, c.decision, c.code, c.score, c.excluded, c.cues, "
                "c.explanation FROM candidates c JOIN institutions i ON i.id = c.institution_id "
                "WHERE i.name = ? ORDER BY c.id",
                [file],
            )
        )
    finally:
        db.close()


def figures(gold: Iterable[GoldPage], found: dict[str, list[Found]]) -> Figures:
    counts = dict.fromkeys(
        (
            "pages",
            "expected",
            "confirmed",
            "confirmed_correct",
            "found",
            "found_correct",
            "b2b_right",
            "pages_invented",
            "pages_invented_all",
            "reviewed_right",
            "review_items",
            "review_items_real",
            "review_items_top",
        ),
        0,
    )
    for page in gold:
        items = [o for o in found.get(page.file, []) if o.shown is not None]
        offers = [o for o in found.get(page.file, []) if o.shown is None]
        confirmed_codes = {o.code for o in offers if o.confirmed}
        shown = {code for item in items for code in item.shown or ()}
        counts["reviewed_right"] += sum(
            code not in confirmed_codes and code in shown for code in page.offers
        )
        counts["review_items"] += len(items)
        counts["review_items_real"] += sum(
            any(code in page.offers for code in item.shown or ()) for item in items
        )
        counts["review_items_top"] += sum(
            bool(item.shown) and (item.shown or ("",))[0] in page.offers for item in items
        )
        confirmed = [o for o in offers if o.confirmed]
        counts["pages"] += 1
        counts["expected"] += len(page.offers)
        counts["confirmed"] += len(confirmed)
        counts["confirmed_correct"] += sum(o.code in page.offers for o in confirmed)
        counts["found"] += len(offers)
        counts["found_correct"] += sum(o.code in page.offers for o in offers)
        counts["b2b_right"] += sum(
            o.code in page.offers and page.offers[o.code] == o.b2b for o in offers
        )
        counts["pages_invented"] += any(o.code not in page.offers for o in confirmed)
        counts["pages_invented_all"] += any(o.code not in page.offers for o in offers)
    return Figures(
        **counts,
        precision_confirmed=_ratio(counts["confirmed_correct"], counts["confirmed"]),
        recall_confirmed=_ratio(counts["confirmed_correct"], counts["expected"]),
        precision_all=_ratio(counts["found_correct"], counts["found"]),
        recall_all=_ratio(counts["found_correct"], counts["expected"]),
        b2b_accuracy=_ratio(counts["b2b_right"], counts["found_correct"]),
        recall_with_review=_ratio(
            counts["confirmed_correct"] + counts["reviewed_right"], counts["expected"]
        ),
        review_precision=_ratio(counts["review_items_real"], counts["review_items"]),
        review_load=round(counts["review_items"] / counts["expected"], 4)
        if counts["expected"]
        else 0.0,
    )


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def evaluate(
    gold: list[GoldPage] | None = None,
    *,
    register: Register | None = None,
    config: MatchConfig | None = None,
    workspace_dir: Path | None = None,
) -> tuple[Figures, dict[str, list[Found]]]:
    """Figures of the whole set, and the offers found per page."""
    gold = gold if gold is not None else load_gold(register=register)
    if workspace_dir is not None:
        found = run_pipeline(gold, workspace_dir, register=register, config=config)
    else:
        with tempfile.TemporaryDirectory(prefix="extractor-eval-") as tmp:
            found = run_pipeline(gold, Path(tmp) / "ws", register=register, config=config)
    return figures(gold, found), found


def by_type(gold: list[GoldPage], found: dict[str, list[Found]]) -> dict[str, Figures]:
    types = sorted({page.page_type for page in gold})
    return {t: figures([p for p in gold if p.page_type == t], found) for t in types}


def pin(
    current: dict[str, Figures],
    *,
    baseline_path: Path = BASELINE,
    paths: dict[str, Path] | None = None,
    allow_lower: bool = False,
) -> dict:
    """Write each set's current figures as its floors (ceilings for counts); refuse to make
    any worse than the pinned one without allow_lower."""
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


def _line(label: str, f: Figures) -> str:
    return (
        f"{label:14} {f.pages:3} {f.expected:4} "
        f"{f.precision_confirmed:7.1%} {f.recall_confirmed:7.1%} "
        f"{f.precision_all:7.1%} {f.recall_all:7.1%} {f.b2b_accuracy:7.1%} "
        f"{f.pages_invented:4} {f.pages_invented_all:4} "
        f"{f.recall_with_review:7.1%} {f.review_precision:7.1%} {f.review_items:4}"
    )


def print_report(
    label: str, gold: list[GoldPage], found: dict[str, list[Found]], overall: Figures
) -> None:
    print(
        f"\n{label} set: {overall.pages} pages, {overall.expected} expected offers, "
        f"sha256 {gold_digest(SETS[label])[:12]}"
    )
    print(
        f"{'page type':14} {'pgs':>3} {'exp':>4} {'P conf':>7} {'R conf':>7} "
        f"{'P all':>7} {'R all':>7} {'b2b ok':>7} {'inv':>4} {'inv+':>4} "
        f"{'R+rev':>7} {'P rev':>7} {'rev':>4}"
    )
    for page_type, f in by_type(gold, found).items():
        print(_line(page_type, f))
    print(_line("OVERALL", overall))
    print(
        f"  confirmed: {overall.confirmed_correct}/{overall.confirmed} right, "
        f"{overall.confirmed_correct}/{overall.expected} expected found; with review: "
        f"{overall.found_correct}/{overall.found} right, {overall.found_correct}/"
        f"{overall.expected} found; b2b flag right on {overall.b2b_right}/"
        f"{overall.found_correct}; pages with an invented offer: {overall.pages_invented} "
        f"confirmed, {overall.pages_invented_all} incl. review\n"
        f"  analysts see: recall with review {overall.recall_with_review:.1%} "
        f"({overall.confirmed_correct}+{overall.reviewed_right}/{overall.expected}); "
        f"review items {overall.review_items} ({overall.review_load:.0%} of true offers), "
        f"{overall.review_items_real} showing a right code (precision "
        f"{overall.review_precision:.1%}), {overall.review_items_top} with it first"
    )


def print_errors(gold: list[GoldPage], found: dict[str, list[Found]], workspace_dir: Path) -> None:
    for page in gold:
        offers = {o.code: o for o in found[page.file] if o.shown is None}
        problems = []
        for code, b2b in page.offers.items():
            got = offers.get(code)
            if got is None:
                problems.append(f"MISS  {code}{' (b2b)' if b2b else ''}")
            elif not got.confirmed:
                problems.append(f"REVIEW {code} (expected, only in review)")
            if got is not None and got.b2b != b2b:
                problems.append(f"B2B   {code}: flag {got.b2b}, expected {b2b}")
        for code, got in offers.items():
            if code not in page.offers:
                status = "confirmed" if got.confirmed else "review"
                problems.append(f"FALSE {code} ({status}) from {', '.join(got.names)}")
        for item in found[page.file]:
            if item.shown is not None and not any(c in page.offers for c in item.shown):
                problems.append(f"NOISE review item {item.names[0]!r} shows {item.shown}")
        if problems:
            print(f"\n{page.file} [{page.page_type}] {page.url}")
            for problem in problems:
                print(f"  {problem}")
            for c in candidates_of(workspace_dir, page.file):
                print(
                    f"    cand {c['source']:8} {c['decision']:6} {c['code'] or '-':5} "
                    f"{c['score']:5.1f} excl={c['excluded'] or '-'} cues={c['cues']} "
                    f"{c['name']!r}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses and false offers")
    parser.add_argument("--pin", action="store_true", help="write extractor_baseline.json")
    parser.add_argument("--allow-lower", action="store_true", help="let --pin lower a floor")
    args = parser.parse_args(argv)
    pinned = {}
    for label, path in SETS.items():
        gold = load_gold(path)
        with tempfile.TemporaryDirectory(prefix="extractor-eval-") as tmp:
            workspace_dir = Path(tmp) / "ws"
            pinned[label], found = evaluate(gold, workspace_dir=workspace_dir)
            print_report(label, gold, found, pinned[label])
            if args.errors:
                print_errors(gold, found, workspace_dir)
    if args.pin:
        baseline = pin(pinned, allow_lower=args.allow_lower)
        print(f"pinned: {json.dumps(baseline['sets'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
