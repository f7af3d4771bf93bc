"""A second round of an unchanged site costs almost no storage (revisit records)."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

import pytest

from crawler.runner import CrawlOptions, run_round
from snapshots.institutions import import_institutions
from snapshots.workspace import Workspace
from tests.servers import Reply, Resource, SiteServer
from tests.test_crawler.conftest import FAST_SETTINGS

WORDS = (
    "cursus mbo-certificaat keuzedeel zorg welzijn praktijk werkgever leerbedrijf "
    "inschrijven startdatum locatie niveau examen begeleiding docent groep"
).split()


@dataclass
class RealisticSite(Resource):
    """Pages shaped like an institution's: a heavy shared template (navigation, inline
    styles and scripts, footer: ~45 KB) around a few KB of page-specific text."""

    pages: int = 30

    def handle(self, server, path, query):
        if path == "/robots.txt":
            return Reply(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        match = re.fullmatch(r"/cursus-(\d+)\.html", path)
        if path != "/" and not match:
            return Reply(404, {"Content-Type": "text/html"}, b"<h1>Pagina niet gevonden</h1>")
        number = int(match.group(1)) if match else self.pages
        rng = random.Random(number)
        text = " ".join(rng.choice(WORDS) for _ in range(600))
        links = "".join(
            f"<li><a href='/cursus-{k}.html'>Cursus {k}</a></li>" for k in range(self.pages)
        )
        body = (
            f"<html><head><title>Cursus {number}</title><style>{TEMPLATE_CSS}</style>"
            f"<script>{TEMPLATE_JS}</script></head><body><nav>{NAVIGATION}</nav>"
            f"<h1>Cursus {number}</h1><p>{text}</p><ul>{links}</ul>"
            f"<footer>{FOOTER}</footer></body></html>"
        )
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


def _filler(seed: str, lines: int, shape: str) -> str:
    return "\n".join(
        shape.format(i=i, h=hashlib.md5(f"{seed}{i}".encode()).hexdigest()[:10])
        for i in range(lines)
    )


TEMPLATE_CSS = _filler("css", 300, ".c{i}-{h} {{ margin: {i}px; color: #{h}; }}")
TEMPLATE_JS = _filler("js", 250, "window.cfg{i} = {{ id: '{h}', enabled: true, n: {i} }};")
NAVIGATION = _filler("nav", 150, "<a class='menu-{h}' href='#menu-{i}'>Menu-item {i}</a>")
FOOTER = _filler("footer", 60, "<p class='f{i}'>Adres {h}, 1234 AB Plaats {i}</p>")


@pytest.fixture(scope="module")
def site():
    server = SiteServer("127.0.0.41", resources={"/*": RealisticSite()}, name="realistic")
    yield server.start()
    server.stop()


def test_second_round_of_an_unchanged_site_adds_under_5_percent(site, tmp_path):
    workspace = Workspace(tmp_path / "ws")
    db = workspace.open()
    institutions = tmp_path / "institutions.csv"
    institutions.write_text(
        f"name,funded,website\nROC Ongewijzigd,bekostigd,{site.url('/')}\n", encoding="utf-8"
    )
    import_institutions(db, institutions)
    db.close()
    settings = {**FAST_SETTINGS, "WEBSEARCH_MAX_PER_PATTERN": "150"}  # the default
    options = CrawlOptions(delay=0, render="never", settings=settings)
    first = run_round(workspace, "r1", options=options)
    second = run_round(workspace, "r2", options=options)
    assert [str(r.health) for r in (*first.records, *second.records)] == ["ok", "ok"]
    size_1 = workspace.warc_path("r1", "ROC Ongewijzigd").stat().st_size
    size_2 = workspace.warc_path("r2", "ROC Ongewijzigd").stat().st_size
    assert first.records[0].pages >= 30
    print(f"WARC bytes: round 1 {size_1:,}, round 2 {size_2:,} ({size_2 / size_1:.1%})")
    assert size_2 < 0.05 * size_1, (size_1, size_2)
