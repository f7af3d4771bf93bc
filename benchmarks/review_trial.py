"""Timed review trial in Chromium: how many actions a decision takes on realistic evidence.

    .venv/bin/python benchmarks/review_trial.py [--names 50] [--seed 7]

Builds 5 institutions whose archived pages are a listing linking to one course page per name
(names drawn, seeded, from `matcher_gold.csv`: certificates, near misses, private courses,
diploma programmes; course pages say level, duration, price and certificate or not), runs the
real matcher over them, opens the review app in Chromium and lets a scripted analyst decide
every card from what the card shows, following the gold answer:
  - the gold code among the card's options: its number key (1 action);
  - no certificate (gold has no code): `n` (1 action);
  - another code: `/`, type the code, Enter (3 actions).
A name at several institutions is decided once with `a` (apply to all) plus the key. It
prints the number of cards, decisions, actions per decision and the machine time from key
press to the next card ready (p50/p95; the analyst's reading time is not simulated).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from crawler.browser import CHROMIUM_FLAGS, launch_options  # noqa: E402
from matcher.normalise import normalise_title  # noqa: E402
from mbo_websearch.review import create_app  # noqa: E402
from mbo_websearch.rounds import ensure_matched  # noqa: E402
from mbo_websearch.workspace import open_db  # noqa: E402
from snapshots import store as snapshots_store  # noqa: E402
from snapshots.evidence import EvidenceStore, Response, start_round  # noqa: E402
from snapshots.workspace import Workspace  # noqa: E402

ROUND = "2026-11"
INSTITUTIONS = 5


def gold_names(count: int, seed: int) -> list[tuple[str, str]]:
    with (ROOT / "benchmarks" / "matcher_gold.csv").open(encoding="utf-8") as handle:
        rows = [(r["name"], r["code"]) for r in csv.DictReader(handle) if r["name"]]
    return random.Random(seed).sample(rows, count)


def detail_page(name: str, code: str, n: int) -> str:
    result = "landelijk erkend mbo-certificaat" if code else "certificaat van deelname"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{name}</title></head><body>"
        f"<h1>{name}</h1><p>Voor werkenden in de regio. Niveau {2 + n % 3}, {4 + n % 9} weken, "
        f"&euro; {300 + 25 * n}. Resultaat: {result}.</p>"
        f"<p><a href='/cursussen'>Alle cursussen</a> · <a href='/contact'>Contact</a></p>"
        f"</body></html>"
    )


def build(workspace: Workspace, names: list[tuple[str, str]]) -> None:
    db = open_db(workspace)
    snapshots_store.save_institutions(
        db,
        (
            {
                "name": f"Opleider {i + 1}",
                "funded": "bekostigd",
                "website": f"http://127.0.0.{40 + i}/",
                "start_urls": json.dumps([f"http://127.0.0.{40 + i}/"]),
                "hosts": json.dumps([f"127.0.0.{40 + i}"]),
            }
            for i in range(INSTITUTIONS)
        ),
        imported_at="2026-11-01",
    )
    ids = snapshots_store.institution_ids(db)
    start_round(db, ROUND)
    store = EvidenceStore(workspace, db, ROUND)
    for i in range(INSTITUTIONS):
        name_of = f"Opleider {i + 1}"
        base = f"http://127.0.0.{40 + i}"
        mine = [(n, name, code) for n, (name, code) in enumerate(names) if n % INSTITUTIONS == i]
        links = "".join(f"<li><a href='/cursus/{n}'>{name}</a></li>" for n, name, _ in mine)
        pages = [
            (
                "/cursussen",
                f"<!doctype html><html><body><h1>Cursussen</h1><ul>{links}</ul></body></html>",
            )
        ]
        pages += [(f"/cursus/{n}", detail_page(name, code, n)) for n, name, code in mine]
        for path, body in pages:
            store.store(
                Response(
                    institution_id=ids[name_of],
                    institution=name_of,
                    url=base + path,
                    final_url=base + path,
                    status=200,
                    headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body.encode("utf-8"),
                )
            )
    store.close()
    ensure_matched(workspace, db, [ROUND])
    db.close()


class Server:
    def __init__(self, app) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )


def trial(workspace: Workspace, gold: dict[str, str]) -> dict[str, float]:
    server = Server(create_app(workspace))
    server.thread.start()
    actions, decisions, cards, times = 0, 0, 0, []
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options(None, list(CHROMIUM_FLAGS)))
        context = browser.new_context(base_url=server.url)
        context.add_cookies([{"name": "mbo_reviewer", "value": "Proef", "url": server.url}])
        page = context.new_page()
        page.goto(f"/ronde/{ROUND}")
        while True:
            page.wait_for_selector("html[data-keys=on]")
            card = page.locator("li.candidate").first
            if card.count() == 0:
                break
            cards += 1
            name = normalise_title(card.locator(".name").inner_text())
            code = gold.get(name, "")
            identical = int(card.locator("input.identical").get_attribute("data-count") or 0)
            options = card.locator("button.accept .code").all_inner_texts()
            keys: list[str] = ["a"] if identical else []
            if not code:
                keys.append("n")
            elif code in options:
                keys.append(str(options.index(code) + 1))
            else:
                keys += ["/", code, "Enter"]
            started = time.perf_counter()
            with page.expect_navigation():
                for key in keys:
                    if len(key) > 1 and key != "Enter":
                        page.keyboard.type(key)
                    else:
                        page.keyboard.press(key)
            page.wait_for_selector("html[data-keys=on]")
            times.append(time.perf_counter() - started)
            actions += len(keys)
            decisions += 1 + identical
        browser.close()
    server.server.should_exit = True
    server.thread.join(10)
    ordered = sorted(times) or [0.0]
    return {
        "cards": cards,
        "decisions": decisions,
        "actions": actions,
        "actions_per_decision": actions / max(decisions, 1),
        "ms_per_card_p50": statistics.median(ordered) * 1000,
        "ms_per_card_p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    names = gold_names(args.names, args.seed)
    gold = {normalise_title(name): code for name, code in names}
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp))
        build(workspace, names)
        result = trial(workspace, gold)
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
