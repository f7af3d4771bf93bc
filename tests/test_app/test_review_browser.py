"""The review app in a real Chromium: clicks, keys, search, sandboxed evidence, two analysts."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.test_app.conftest import ROUND, XSS_NAME


def decisions(db):
    return [
        (r["institution_id"], r["code"], r["reviewer"], r["supersedes"])
        for r in db.query("SELECT * FROM decisions ORDER BY id")
    ]


@pytest.fixture
def open_page(browser, live):
    """open_page(reviewer) -> a page in its own browser context; dialogs are recorded."""
    contexts = []
    dialogs: list[str] = []
    errors: list[str] = []  # console errors, CSP violations included

    def opener(reviewer: str | None = "Anna"):
        context = browser.new_context(base_url=live.url)
        contexts.append(context)
        if reviewer:
            context.add_cookies([{"name": "mbo_reviewer", "value": reviewer, "url": live.url}])
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.dialogs = dialogs
        page.console_errors = errors
        return page

    yield opener
    for context in contexts:
        context.close()


def first_card(page):
    """The first candidate, once the page's keyboard shortcuts are live."""
    expect(page.locator("html[data-keys=on]")).to_have_count(1)
    return page.locator("li.candidate").first


def keys_ready(page) -> None:
    expect(page.locator("html[data-keys=on]")).to_have_count(1)


def test_review_a_round_with_clicks_keys_and_search(open_page, seeded, db):
    ids = seeded.institutions
    page = open_page(reviewer=None)
    page.goto(f"/ronde/{ROUND}")
    page.fill("#reviewer-input", "Anna")
    page.keyboard.press("Enter")
    expect(page.locator("#reviewer-name")).to_have_text("Anna")
    expect(page.locator("#progress-text")).to_have_text("0 van 5 beoordeeld")
    expect(first_card(page).locator(".institution")).to_have_text("ROC Noord")

    # Keys: "a" applies to identical names (ROC Zuid, next in the queue), "2" accepts the
    # second code.
    expect(first_card(page).locator(".name")).to_have_text("Verpleegtechnische handelingen")
    page.keyboard.press("a")
    expect(first_card(page).locator("input.identical")).to_be_checked()
    page.keyboard.press("2")
    expect(page.locator("#notice")).to_contain_text("Ook toegepast op 1 identieke namen")
    assert decisions(db) == [
        (ids["ROC Noord"], "K0119", "Anna", None),
        (ids["ROC Zuid"], "K0119", "Anna", None),
    ]

    # Accept by click: the top-ranked code.
    expect(first_card(page).locator(".institution")).to_have_text("Opleider West")
    expect(first_card(page)).to_have_class("candidate decisive current")
    first_card(page).locator('button[data-rank="1"]').click()
    expect(page.locator("#last-decision .last-code")).to_have_text("C0039")
    assert decisions(db)[2:] == [(ids["Opleider West"], "C0039", "Anna", None)]

    # Another code through the register search ("/" focuses it; results are buttons).
    expect(first_card(page).locator(".name")).to_have_text("Individuele basiszorg")
    page.keyboard.press("/")
    page.keyboard.type("individuele zorg verlenen")
    result = first_card(page).locator("ul.results button", has_text="C0053")
    result.click()
    expect(page.locator("#last-decision .last-code")).to_have_text("C0053")

    # Reject with "n": the XSS-named candidate shows as text, and no dialog ever fired.
    expect(first_card(page).locator(".name")).to_have_text(XSS_NAME)
    page.keyboard.press("n")
    expect(page.locator("#last-decision .last-code")).to_have_text("geen certificaattraject")
    expect(page.locator("#queue-empty")).to_be_visible()
    expect(page.locator("#progress-text")).to_have_text("5 van 5 beoordeeld")
    assert [d[1] for d in decisions(db)] == ["K0119", "K0119", "C0039", "C0053", "none"]

    # "u" after a first decision withdraws it: the name is back in the queue, shown first.
    keys_ready(page)
    page.keyboard.press("u")
    expect(page.locator("#last-decision .last-code")).to_have_text("ingetrokken")
    expect(page.locator("#progress-text")).to_have_text("4 van 5 beoordeeld")
    expect(first_card(page).locator(".name")).to_have_text(XSS_NAME)
    expect(page.locator("#undo-last")).to_have_count(0)
    assert [d[1] for d in decisions(db)][-2:] == ["none", "withdrawn"]
    assert page.dialogs == []
    assert page.console_errors == []


def test_crawled_script_never_runs(open_page, seeded):
    page = open_page()
    page.goto(f"/ronde/{ROUND}")
    xss = page.locator("li.candidate", has=page.locator(".name", has_text="<script>"))
    expect(xss.locator(".name")).to_have_text(XSS_NAME)
    expect(xss.locator(".context")).to_contain_text("<img src=x onerror=alert(2)>")
    # The archived page (which carries script, onerror and a form aimed at the app).
    page.goto(f"/pagina/{seeded.pages['ROC Noord']}")
    frame = page.frame_locator("iframe.archived")
    expect(frame.locator("h1")).to_have_text("Certificaattrajecten")
    expect(page.locator("#archived-url")).to_have_text("http://127.0.0.11/cursussen")
    assert "GEHACKT" not in page.content()
    page.goto(f"/pagina/{seeded.pages['ROC Noord']}/inhoud")  # even opened directly
    expect(page.locator("h1")).to_have_text("Certificaattrajecten")
    assert page.dialogs == []


def test_two_analysts_at_once_lose_nothing(open_page, seeded, db):
    ids = seeded.institutions
    anna, bram = open_page("Anna"), open_page("Bram")
    anna.goto(f"/ronde/{ROUND}")
    bram.goto(f"/ronde/{ROUND}")

    anna.keyboard.press("1")  # ROC Noord, Verpleegtechnische handelingen -> K0118
    expect(anna.locator("#last-decision .last-code")).to_have_text("K0118")
    bram.keyboard.press("n")  # same name, on a page loaded before Anna decided
    expect(bram.locator("#conflict")).to_contain_text("Anna")
    expect(bram.locator("#conflict-current")).to_contain_text("K0118")
    assert decisions(db) == [(ids["ROC Noord"], "K0118", "Anna", None)]

    bram.click("#keep-theirs")  # back to the queue: the next open name
    expect(first_card(bram).locator(".institution")).to_have_text("ROC Zuid")
    bram.keyboard.press("n")
    expect(bram.locator("#last-decision .last-code")).to_have_text("geen certificaattraject")

    anna.keyboard.press("1")  # Anna's page still shows ROC Zuid undecided
    expect(anna.locator("#conflict-current")).to_contain_text("Bram")
    anna.click("#use-mine")  # knowingly supersede Bram's decision
    expect(anna.locator("#last-decision .last-code")).to_have_text("K0118")
    rows = decisions(db)
    assert rows[:2] == [
        (ids["ROC Noord"], "K0118", "Anna", None),
        (ids["ROC Zuid"], "none", "Bram", None),
    ]
    bram_id = next(db.query("SELECT id FROM decisions WHERE reviewer = 'Bram'"))["id"]
    assert rows[2] == (ids["ROC Zuid"], "K0118", "Anna", bram_id)
    assert anna.dialogs == []


def test_malformed_workbook_import_changes_nothing_on_screen(open_page, cli, seeded, db, tmp_path):
    page = open_page()
    page.goto(f"/ronde/{ROUND}")
    expect(page.locator("#progress-text")).to_have_text("0 van 5 beoordeeld")
    out = tmp_path / "review.xlsx"
    cli("review", "export", "--round", ROUND, "--out", out)
    book = load_workbook(out)
    sheet = book["review"]
    sheet.cell(2, sheet.max_column - 2, "C0039")  # a good row ...
    sheet.cell(3, sheet.max_column - 2, "K12345")  # ... and a bad one
    book.save(out)
    result = cli("review", "import", out, "--reviewer", "Anna")
    assert result.exit_code == 2
    assert "review.xlsx:3: besluit: unknown code 'K12345'" in result.output
    page.reload()
    expect(page.locator("#progress-text")).to_have_text("0 van 5 beoordeeld")
    assert decisions(db) == []
