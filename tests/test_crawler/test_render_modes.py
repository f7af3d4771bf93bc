"""Render modes: the per-institution override, `always`, and where Chromium is found."""

from __future__ import annotations

import pytest

from crawler.browser import find_chromium, launch_options
from crawler.scope import effective_render
from snapshots.institutions import Institution
from tests.test_crawler.conftest import crawl, make_workspace, pages


def _institution(render: str | None) -> Institution:
    return Institution(
        1, "ROC", "bekostigd", "http://a.nl/", ("http://a.nl/",), ("a.nl",), render=render
    )


def test_run_option_wins_then_institution_then_auto():
    assert effective_render(None, _institution(None)) == "auto"
    assert effective_render(None, _institution("always")) == "always"
    assert effective_render("never", _institution("always")) == "never"
    with pytest.raises(ValueError, match="render must be one of"):
        effective_render("sometimes", _institution(None))


def test_chromium_from_setting_debian_package_or_playwright(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    assert find_chromium(str(fake)) == str(fake)
    with pytest.raises(FileNotFoundError, match="MBO_WEBSEARCH_CHROMIUM"):
        find_chromium(str(tmp_path / "missing"))
    options = launch_options("", ["--no-sandbox"])
    assert options["args"] == ["--no-sandbox"]
    assert options.get("executable_path") in (
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        None,
    )


def test_institution_render_always_renders_every_page(farm, tmp_path):
    workspace = make_workspace(tmp_path / "ws", farm, ["js-listing"])
    db = workspace.open()
    db.execute("UPDATE institutions SET render = 'always'")
    db.conn.commit()
    db.close()
    result = crawl(workspace, "r1")
    (record,) = result.records
    assert str(record.health) == "ok"
    rows = pages(workspace, "ROC Script")
    html = [r for r in rows if r["kind"] == "page" and r["content_type"] == "text/html"]
    assert html
    assert {r["rendered"] for r in html} == {1}  # every page through Chromium, none twice
    assert any(r["url"].endswith("/cursussen/gerontopsychiatrie.html") for r in html)
    assert [r["rendered"] for r in rows if r["kind"] == "robots"] == [0]
