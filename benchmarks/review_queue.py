"""Review queue benchmark: a round with N review items, the queue page and a decision timed.

    .venv/bin/python benchmarks/review_queue.py --items 5000 20000 [--repeat 40]

For each size it fills a fresh workspace with N review items (names spread over 60
institutions, a third of them identical at several institutions, 5 ranked codes each, one
archived page index row per institution), then drives the review app in process (Starlette
TestClient, so the figures include routing, the queue and template rendering, not a socket):
the first queue page (cold: the queue is computed), then `--repeat` times a decision (POST,
accept the first code) followed by the queue page it redirects to. It prints p50/p95 of both.
Targets: p95 < 100 ms at 5,000 items, < 300 ms at 20,000.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from matcher import store  # noqa: E402
from matcher.register import Register  # noqa: E402
from mbo_websearch.review import create_app  # noqa: E402
from mbo_websearch.workspace import open_db  # noqa: E402
from snapshots import store as snapshots_store  # noqa: E402
from snapshots.workspace import Workspace  # noqa: E402

ROUND = "2026-11"
INSTITUTIONS = 60
WORDS = "zorg techniek welzijn basis vakman verdieping praktijk digitaal veilig groen".split()


def fill(workspace: Workspace, items: int) -> None:
    db = open_db(workspace)
    snapshots_store.save_institutions(
        db,
        (
            {
                "name": f"Instelling {i:02d}",
                "funded": "bekostigd",
                "website": f"http://127.0.0.{i + 2}/",
                "start_urls": "[]",
                "hosts": "[]",
            }
            for i in range(INSTITUTIONS)
        ),
        imported_at="2026-11-01",
    )
    ids = snapshots_store.institution_ids(db)
    snapshots_store.start_round(db, ROUND, started_at="2026-11-01T00:00:00")
    pages = {
        iid: snapshots_store.insert_page(
            db,
            snapshots_store.NewPage(
                ROUND,
                iid,
                f"http://127.0.0.{iid + 2}/cursussen",
                f"http://127.0.0.{iid + 2}/cursussen",
                None,
                200,
                "text/html",
                "listing",
                False,
                False,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "2026-11-01T00:00:00",
                100,
            ),
        )
        for iid in ids.values()
    }
    certificates = list(Register.default().certificates)[:40]
    with db.atomic():
        run = store.start_match_run(
            db,
            ROUND,
            started_at="2026-11-01T01:00:00",
            config="{}",
            register="{}",
            pages=len(pages),
            last_page_id=max(pages.values()),
            page_count=len(pages),
            certificates=[],
        )
        institution_ids = sorted(ids.values())
        for n in range(items):
            # A third of the names recur at three institutions: identical names to group.
            stem = n // 3 if n % 3 else n
            name = f"{WORDS[stem % 10]} {WORDS[(stem // 10) % 10]} cursus {stem}"
            iid = institution_ids[(n * 7) % INSTITUTIONS]
            ranked = tuple(
                store.RankedCode(c.code, 90.0 - 7 * r - (n % 13), c.title)
                for r, c in enumerate(certificates[n % 30 : n % 30 + 5])
            )
            store.insert_candidate(
                db,
                run,
                store.NewCandidate(
                    round=ROUND,
                    institution_id=iid,
                    page_id=pages[iid],
                    page_kind="listing",
                    name=name,
                    normalised_name=name,
                    source="card",
                    snippet=f"Certificaattraject {name}, alleen via uw werkgever.",
                    cues="certificate",
                    codes_on_page="",
                    link=None,
                    excluded=None,
                    decision="review",
                    code=None,
                    score=ranked[0].score,
                    explanation="fuzzy",
                    b2b=False,
                    ranked=ranked,
                ),
            )
    db.close()


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(items: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp))
        started = time.perf_counter()
        fill(workspace, items)
        fill_s = time.perf_counter() - started
        client = TestClient(create_app(workspace), base_url="http://127.0.0.1")
        client.cookies.set("mbo_reviewer", "Bench")
        started = time.perf_counter()
        page = client.get(f"/ronde/{ROUND}")
        cold = time.perf_counter() - started
        assert page.status_code == 200, page.status_code
        queue_times, decide_times = [], []
        for _ in range(repeat):
            form = _first_card(page.text)
            started = time.perf_counter()
            answer = client.post(
                f"/ronde/{ROUND}/beslis",
                data=form,
                headers={"Origin": "http://127.0.0.1"},
                follow_redirects=False,
            )
            decide_times.append(time.perf_counter() - started)
            assert answer.status_code == 303, answer.text[:500]
            started = time.perf_counter()
            page = client.get(answer.headers["location"])
            queue_times.append(time.perf_counter() - started)
            assert page.status_code == 200
        return {
            "items": items,
            "fill_s": fill_s,
            "cold_ms": cold * 1000,
            "queue_p50_ms": p(queue_times, 0.5) * 1000,
            "queue_p95_ms": p(queue_times, 0.95) * 1000,
            "decide_p50_ms": p(decide_times, 0.5) * 1000,
            "decide_p95_ms": p(decide_times, 0.95) * 1000,
            "page_kb": len(page.content) / 1024,
        }


def _first_card(html: str) -> dict[str, str]:
    """The first card's hidden fields and its first option, read from the page."""
    import re

    card = html[html.index('<li class="candidate') :]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', card[:4000]))
    code = re.search(r'value="accept:([^"]+)"', card).group(1)  # type: ignore[union-attr]
    fields["choice"] = f"accept:{code}"
    return {k: v.replace("&amp;", "&").replace("&#39;", "'") for k, v in fields.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    for items in args.items:
        print(json.dumps({k: round(v, 1) for k, v in run(items, args.repeat).items()}))


if __name__ == "__main__":
    main()
