"""Learned-alias benchmark: how long reading a round's learned aliases takes as decisions grow.

    .venv/bin/python benchmarks/learned_aliases.py --decisions 5000 20000

Builds a throw-away workspace with 200 institutions and three rounds, appends N decisions
(names shared by ~10 institutions, codes mostly agreeing) over the first two rounds and times
`matcher.store.learned_aliases` (the view `learned_aliases`) for the second and third round.
A match run reads it twice and `match_is_current` once, so this is what learning adds to
`offers` and to starting a review.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from matcher import store
from mbo_websearch.workspace import open_db
from snapshots import store as snapshots_store
from snapshots.workspace import Workspace

ROUNDS = {"R1": "2026-01-01T00:00:00", "R2": "2026-02-01T00:00:00", "R3": "2026-03-01T00:00:00"}


def measure(decisions: int, seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Workspace(Path(tmp) / "ws"))
        db["institutions"].insert_all(
            {
                "name": f"Instelling {i}",
                "funded": "bekostigd",
                "website": f"http://127.0.0.1/{i}",
                "start_urls": "[]",
                "hosts": "[]",
                "imported_at": "2026-01-01",
            }
            for i in range(200)
        )
        for label, started in ROUNDS.items():
            snapshots_store.start_round(db, label, started_at=started)
        with db.atomic():
            for _ in range(decisions):
                store.insert_decision(
                    db,
                    round=rng.choice(["R1", "R2"]),
                    institution_id=rng.randint(1, 200),
                    normalised_name=f"naam {rng.randint(0, decisions // 10)}",
                    code=rng.choice(["K0905", "K0905", "K0905", "none", "K0618"]),
                    b2b_only=None,
                    note=None,
                    reviewer="analist",
                    decided_at="2026-01-15T00:00:00",
                    supersedes=None,
                    candidate_id=None,
                )
        timings = {}
        for label in ("R2", "R3"):
            start = time.perf_counter()
            store.learned_aliases(db, label)
            timings[label] = time.perf_counter() - start
        db.close()
        return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args()
    for n in args.decisions:
        timings = measure(n)
        shown = ", ".join(f"{label} {t * 1000:.0f} ms" for label, t in timings.items())
        print(f"{n} decisions: learned_aliases {shown}")


if __name__ == "__main__":
    main()
