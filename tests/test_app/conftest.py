"""Review app fixtures: a seeded round (real WARC evidence), the app, a live server, Chromium."""

from __future__ import annotations

import json
import socket
import threading
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import uvicorn

with warnings.catch_warnings():
    # starlette 1.x prefers httpx2 for its TestClient; httpx works the same for these tests.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crawler.browser import CHROMIUM_FLAGS
from matcher.normalise import normalise_title
from matcher.register import Register
from matcher.scoring import rank_codes
from mbo_websearch.review import create_app
from snapshots.evidence import EvidenceStore, Response, start_round

ROUND = "2026-11"
FIXED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
XSS_NAME = "<script>alert(1)</script>"
# An archived page that tries everything: script, inline handlers, a form aimed at the app.
HOSTILE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Cursussen</title>
<script>alert('archief'); parent.document.body.innerHTML = 'GEHACKT';</script></head>
<body><h1>Certificaattrajecten</h1>
<img src="x" onerror="alert('img')">
<h2>Verpleegtechnische handelingen</h2><p>Mbo-certificaat, alleen via uw werkgever.</p>
<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>
<form method="post" action="/ronde/2026-11/beslis"><input name="choice" value="none"></form>
</body></html>"""


@dataclass(frozen=True)
class Seeded:
    round: str
    institutions: dict[str, int]  # name -> id
    pages: dict[str, int]  # institution name -> page id
    candidates: dict[tuple[str, str], int]  # (institution, name) -> candidate id


# (institution, funded, course name, matcher decision, score, b2b cue, snippet); the ranked
# codes come from the real matcher, the scores are fixed so the queue order is too.
CANDIDATES = [
    (
        "ROC Noord",
        "bekostigd",
        "Verpleegtechnische handelingen",
        "review",
        80.0,
        True,
        "Mbo-certificaat Verpleegtechnische handelingen, alleen via uw werkgever.",
    ),
    (
        "ROC Noord",
        "bekostigd",
        XSS_NAME,
        "review",
        40.0,
        False,
        "Nieuw: <script>alert(1)</script> <img src=x onerror=alert(2)> keuzedeel",
    ),
    (
        "ROC Noord",
        "bekostigd",
        "Individuele basiszorg",
        "review",
        70.0,
        False,
        "Beroepsgericht onderdeel Individuele basiszorg (certificaattraject).",
    ),
    (
        "ROC Zuid",
        "bekostigd",
        "Verpleegtechnische handelingen",
        "review",
        80.0,
        False,
        "Certificaattraject Verpleegtechnische handelingen voor werkenden.",
    ),
    (
        "ROC Zuid",
        "bekostigd",
        "Werken met baby's",
        "auto",
        100.0,
        False,
        "Mbo-certificaat Werken met baby's (K0290).",
    ),
    (
        "Opleider West",
        "niet-bekostigd",
        "Individuele basiszorg",
        "review",
        70.0,
        False,
        "Individuele basiszorg: mbo-certificaat, ook voor particulieren.",
    ),
]


def seed_round(workspace, db, label: str = ROUND, *, started_at: str | None = None) -> Seeded:
    """Institutions, a round, one archived page per institution and candidates (as match_round
    stores them), so the review app has real evidence to show without a crawl."""
    institutions: dict[str, int] = {}
    for name, funded, *_ in CANDIDATES:
        if name not in institutions:
            rows = list(db["institutions"].rows_where("name = ?", [name]))
            host = f"127.0.0.{11 + len(institutions)}"
            institutions[name] = (
                rows[0]["id"]
                if rows
                else db["institutions"]
                .insert(
                    {
                        "name": name,
                        "funded": funded,
                        "website": f"http://{host}/",
                        "start_urls": json.dumps([f"http://{host}/"]),
                        "hosts": json.dumps([host]),
                        "imported_at": "2026-11-01",
                    }
                )
                .last_pk
            )
    start_round(db, label)
    if started_at:
        db.execute("UPDATE rounds SET started_at = ? WHERE label = ?", [started_at, label])
    store = EvidenceStore(workspace, db, label, clock=lambda: FIXED)
    pages = {}
    for name, iid in institutions.items():
        url = f"http://127.0.0.{10 + iid}/cursussen"
        pages[name] = store.store(
            Response(
                institution_id=iid,
                institution=name,
                url=url,
                final_url=url,
                status=200,
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=HOSTILE_PAGE.encode("utf-8"),
            )
        )
    store.close()
    return Seeded(label, institutions, pages, _candidates(db, label, institutions, pages))


def _candidates(db, label, institutions, pages) -> dict[tuple[str, str], int]:
    register = Register.default()
    run_id = (
        db["match_runs"]
        .insert(
            {
                "round": label,
                "started_at": "2026-11-30T12:00:00",
                "config": "{}",
                "register": "{}",
                "pages": len(pages),
                "candidates": len(CANDIDATES),
            }
        )
        .last_pk
    )
    ids = {}
    for institution, _funded, name, decision, score, b2b, snippet in CANDIDATES:
        ranked = rank_codes(name, register, processor=normalise_title, limit=5)
        ids[(institution, name)] = (
            db["candidates"]
            .insert(
                {
                    "run_id": run_id,
                    "round": label,
                    "institution_id": institutions[institution],
                    "page_id": pages[institution],
                    "page_kind": "listing",
                    "name": name,
                    "normalised_name": normalise_title(name),
                    "source": "card",
                    "snippet": snippet,
                    "cues": "b2b,certificate" if b2b else "certificate",
                    "codes_on_page": "",
                    "decision": decision,
                    "code": ranked[0].code if decision == "auto" else None,
                    "score": score,
                    "explanation": "test",
                    "b2b": int(b2b),
                }
            )
            .last_pk
        )
        db["candidate_codes"].insert_all(
            {
                "candidate_id": ids[(institution, name)],
                "rank": rank,
                "code": r.code,
                "score": r.score,
                "title": r.title,
            }
            for rank, r in enumerate(ranked, start=1)
        )
    return ids


@pytest.fixture
def seeded(workspace, db) -> Seeded:
    return seed_round(workspace, db)


@pytest.fixture
def app(workspace, seeded):
    return create_app(workspace)


@pytest.fixture
def client(app):
    """A TestClient whose analyst is called Anna."""
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        test_client.cookies.set("mbo_reviewer", quote("Anna"))
        yield test_client


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 (port chosen by the OS) in a thread."""

    def __init__(self, app) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)  # connections wait in the backlog until uvicorn accepts
        host, port = self.socket.getsockname()
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's session browser, launched as Debian's Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": list(CHROMIUM_FLAGS),
        "headless": True,
    }
