"""`review` (terminal), `review export` / `review import` (Excel) and `serve`'s address check."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from snapshots.evidence import EvidenceStore, Response, start_round
from tests.conftest import DATA
from tests.test_app.conftest import ROUND, XSS_NAME

REVIEW_DATA = DATA / "review"


def decisions(db):
    return list(db.query("SELECT * FROM decisions ORDER BY id"))


def fill(
    path: Path,
    answers: dict[str, tuple[str, str | None, str | None]],
    edits: dict[tuple[str, str], str] | None = None,
) -> None:
    """Fill besluit/b2b/notitie for rows by (institution, name); `edits` change other cells."""
    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        who = f"{sheet.cell(row, col['instelling']).value}/{sheet.cell(row, col['naam']).value}"
        if who in answers:
            for column, value in zip(("besluit", "b2b", "notitie"), answers[who], strict=True):
                sheet.cell(row, col[column], value)
        for (target, column), value in (edits or {}).items():
            if who == target:
                sheet.cell(row, col[column], value)
    book.save(path)


def row_of(path: Path, who: str) -> int:
    sheet = load_workbook(path)["review"]
    for row in range(2, sheet.max_row + 1):
        if f"{sheet.cell(row, 3).value}/{sheet.cell(row, 4).value}" == who:
            return row
    raise AssertionError(who)


def test_export_then_import_round_trip(cli, seeded, db, tmp_path):
    out = tmp_path / "review.xlsx"
    exported = cli("review", "export", "--round", ROUND, "--out", out)
    assert exported.exit_code == 0, exported.output
    assert "Wrote 5 review rows" in exported.output
    sheet = load_workbook(out)["review"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ronde", "instelling_id", "instelling", "naam")
    # the queue's order: identical names together, the most decisive group first
    assert [row[2:4] for row in rows[1:4]] == [
        ("ROC Noord", "Verpleegtechnische handelingen"),
        ("ROC Zuid", "Verpleegtechnische handelingen"),
        ("Opleider West", "Individuele basiszorg"),
    ]
    assert "C0039" in rows[3]
    assert "http://127.0.0.13/cursussen" in rows[3]
    assert sheet.cell(6, 4).value == XSS_NAME
    assert sheet.cell(6, 4).data_type == "s"
    fill(
        out,
        {
            "ROC Noord/Verpleegtechnische handelingen": ("K0118", "ja", "via werkgever"),
            "Opleider West/Individuele basiszorg": ("geen", None, None),
        },
    )
    imported = cli("review", "import", out, "--reviewer", "Anna")
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 decisions" in imported.output
    assert [(r["code"], r["b2b_only"], r["note"], r["reviewer"]) for r in decisions(db)] == [
        ("K0118", 1, "via werkgever", "Anna"),
        ("none", 0, None, "Anna"),
    ]
    # A second export shows the decisions; importing it unchanged adds nothing.
    again = tmp_path / "again.xlsx"
    cli("review", "export", "--round", ROUND, "--out", again)
    reimported = cli("review", "import", again, "--reviewer", "Bram")
    assert reimported.exit_code == 0
    assert "Imported 0 decisions" in reimported.output
    assert "2 unchanged" in reimported.output
    assert len(decisions(db)) == 2


def test_export_of_a_round_with_nothing_to_review_writes_an_empty_sheet(cli, db, tmp_path):
    start_round(db, "2030-01")
    out = tmp_path / "leeg.xlsx"
    result = cli("review", "export", "--round", "2030-01", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Wrote 0 review rows" in result.output
    rows = list(load_workbook(out)["review"].iter_rows(values_only=True))
    assert len(rows) == 1
    assert rows[0][:4] == ("ronde", "instelling_id", "instelling", "naam")
    back = cli("review", "import", out, "--reviewer", "Kees")
    assert back.exit_code == 0, back.output
    assert decisions(db) == []


def crawled_not_matched(workspace, db, label: str = "2030-02") -> str:
    """A round as `crawl` leaves it: archived pages, no match run, no candidates."""
    iid = (
        db["institutions"]
        .insert(
            {
                "name": "ROC Net Gecrawld",
                "funded": "bekostigd",
                "website": "http://127.0.0.40/",
                "start_urls": '["http://127.0.0.40/"]',
                "hosts": '["127.0.0.40"]',
                "imported_at": "2026-11-01",
            }
        )
        .last_pk
    )
    start_round(db, label)
    store = EvidenceStore(workspace, db, label)
    url = "http://127.0.0.40/cursussen/leiding.html"
    store.store(
        Response(
            institution_id=iid,
            institution="ROC Net Gecrawld",
            url=url,
            final_url=url,
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8")],
            body=b"<html><head><title>Leiding geven aan teams</title></head><body>"
            b"<h1>Leiding geven aan teams</h1><p>Mbo-certificaat voor werkenden.</p>"
            b"</body></html>",
        )
    )
    store.close()
    return label


def test_review_right_after_the_crawl_matches_the_round_first(cli, workspace, db, tmp_path):
    label = crawled_not_matched(workspace, db)
    out = tmp_path / "review.xlsx"
    exported = cli("review", "export", "--round", label, "--out", out)
    assert exported.exit_code == 0, exported.output
    assert f"Matched round {label}" in exported.output
    names = [row[3] for row in load_workbook(out)["review"].iter_rows(min_row=2, values_only=True)]
    assert "Leiding geven aan teams" in names
    terminal = cli("review", "--round", label, "--reviewer", "Kees", input="q\n")
    assert terminal.exit_code == 0, terminal.output
    assert "Leiding geven aan teams" in terminal.output
    assert "K0061" in terminal.output
    shown = re.findall(r"^  \d\) (K\d{4}|C\d{4}) +([\d.]+)", terminal.output, re.MULTILINE)
    assert shown
    assert all(float(score) > 0 for _, score in shown), shown  # no unrelated 0.0 fillers
    assert "Matched round" not in terminal.output  # matched once, still current


def test_serve_matches_a_round_that_was_crawled_but_never_matched(cli, workspace, db, monkeypatch):
    import uvicorn

    label = crawled_not_matched(workspace, db)
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: started.append(kwargs))
    result = cli("serve", "--port", "0")
    assert result.exit_code == 0, result.output
    assert f"Matched round {label}" in result.output
    assert started == [{"host": "127.0.0.1", "port": 0, "log_level": "info", "access_log": False}]
    names = {r["name"] for r in db.query("SELECT name FROM candidates WHERE round = ?", [label])}
    assert "Leiding geven aan teams" in names


def test_malformed_workbook_names_every_bad_row_and_imports_nothing(cli, seeded, db, tmp_path):
    out = tmp_path / "review.xlsx"
    cli("review", "export", "--round", ROUND, "--out", out)
    fill(
        out,
        {
            "ROC Noord/Verpleegtechnische handelingen": ("K9999", None, None),
            "Opleider West/Individuele basiszorg": ("C0039", "misschien", None),
            "ROC Zuid/Verpleegtechnische handelingen": ("K0118", None, None),
            "ROC Noord/Individuele basiszorg": ("C0039", None, None),
        },
        edits={("ROC Noord/Individuele basiszorg", "naam"): "Basiszorg (aangepast)"},
    )
    result = cli("review", "import", out, "--reviewer", "Anna")
    assert result.exit_code == 2
    noord = row_of(out, "ROC Noord/Verpleegtechnische handelingen")
    west = row_of(out, "Opleider West/Individuele basiszorg")
    assert f"review.xlsx:{noord}: besluit: unknown code 'K9999'" in result.output
    assert f"review.xlsx:{west}: b2b: 'misschien' is not ja or nee" in result.output
    assert re.search(r"review.xlsx:\d+: naam: changed from 'Individuele basiszorg'", result.output)
    assert "Nothing was changed." in result.output
    assert decisions(db) == []  # the good ROC Zuid row was not imported either


def test_a_file_that_is_no_workbook_is_refused(cli, seeded, db):
    bad = REVIEW_DATA / "not-a-workbook.xlsx"
    result = cli("review", "import", bad, "--reviewer", "Anna")
    assert result.exit_code == 2
    assert "not-a-workbook.xlsx:1: -: not an .xlsx workbook" in result.output
    assert decisions(db) == []


def test_changed_header_is_refused(cli, seeded, db, tmp_path):
    out = tmp_path / "review.xlsx"
    shutil.copy(REVIEW_DATA / "wrong-header.xlsx", out)
    result = cli("review", "import", out, "--reviewer", "Anna")
    assert result.exit_code == 2
    assert "review.xlsx:1: -: the header row was changed" in result.output


def test_importing_the_same_workbook_twice_is_no_conflict_with_oneself(cli, seeded, db, tmp_path):
    out = tmp_path / "review.xlsx"
    cli("review", "export", "--round", ROUND, "--out", out)
    fill(out, {"Opleider West/Individuele basiszorg": ("C0039", None, "gecontroleerd")})
    first = cli("review", "import", out, "--reviewer", "Anna")
    assert "Imported 1 decisions" in first.output or "Imported 1 decision" in first.output
    again = cli("review", "import", out, "--reviewer", "Anna")
    assert again.exit_code == 0, again.output
    assert "1 unchanged" in again.output
    assert [r["code"] for r in decisions(db)] == ["C0039"]
    # Another analyst importing the same stale file is still told about the conflict
    other = cli("review", "import", out, "--reviewer", "Bram")
    assert other.exit_code == 2
    assert "Anna decided on this name after the export" in other.output


def test_import_after_someone_else_decided_is_a_conflict(cli, client, seeded, db, tmp_path):
    out = tmp_path / "review.xlsx"
    cli("review", "export", "--round", ROUND, "--out", out)
    client.post(
        f"/ronde/{ROUND}/beslis",
        headers={"Origin": "http://127.0.0.1:8000"},
        data={
            "institution": str(seeded.institutions["ROC Noord"]),
            "name": "verpleegtechnische handelingen",
            "choice": "accept:K0119",
            "expected_latest": "",
        },
    )
    fill(
        out,
        {
            "ROC Noord/Verpleegtechnische handelingen": ("K0118", None, None),
            "Opleider West/Individuele basiszorg": ("C0039", None, None),
        },
    )
    result = cli("review", "import", out, "--reviewer", "Bram")
    assert result.exit_code == 2
    assert "beslissing_id: Anna decided on this name after the export" in result.output
    assert [r["code"] for r in decisions(db)] == ["K0119"]  # Anna's stays; nothing imported


def test_terminal_review_with_numbered_choices_and_undo(cli, seeded, db):
    # Noord verpleeg: 2b (K0119, b2b flipped off the cue); undo that (a first decision:
    # withdrawn, asked again) -> n; Zuid verpleeg: skip; West: accept 1 (C0039); quit.
    result = cli("review", "--round", ROUND, "--reviewer", "Kees", input="2b\nu\nn\ns\n1\nq\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("[1/5] ROC Noord — Verpleegtechnische handelingen") == 2
    assert "[3/5] Opleider West — Individuele basiszorg" in result.output
    assert re.search(r"1\) C0039 +[\d.]+  Individuele basiszorg verlenen", result.output)
    assert "[alleen via uw werkgever]" in result.output  # cue marked
    assert "ongedaan gemaakt: weer in de lijst, beslis opnieuw" in result.output
    assert "3 beslist, 1 overgeslagen, 1 ongedaan, 0 conflicten." in result.output
    rows = decisions(db)
    assert [(r["code"], r["b2b_only"], r["reviewer"]) for r in rows] == [
        ("K0119", 0, "Kees"),
        ("withdrawn", None, "Kees"),
        ("none", 0, "Kees"),
        ("C0039", 0, "Kees"),
    ]
    assert [r["supersedes"] for r in rows] == [None, rows[0]["id"], rows[1]["id"], None]


def test_terminal_undo_of_a_first_decision_then_quit_leaves_it_in_the_queue(cli, seeded, db):
    result = cli("review", "--round", ROUND, "--reviewer", "Kees", input="1\nu\nq\n")
    assert result.exit_code == 0, result.output
    assert "1 beslist, 0 overgeslagen, 1 ongedaan" in result.output
    assert [r["code"] for r in decisions(db)][1:] == ["withdrawn"]
    again = cli("review", "--round", ROUND, "--reviewer", "Kees", input="q\n")
    assert "[1/5] ROC Noord — Verpleegtechnische handelingen" in again.output


def test_terminal_review_search_for_another_code(cli, seeded, db):
    result = cli("review", "--round", ROUND, "--reviewer", "Kees", input="c\nhelpende\n1\nq\n")
    assert result.exit_code == 0, result.output
    assert "K0905  Helpende plus" in result.output
    assert [r["code"] for r in decisions(db)] == ["K0905"]


def test_terminal_review_strips_control_characters(cli, seeded, db, workspace):
    db.execute(
        "UPDATE candidates SET snippet = ? WHERE name = ?",
        ["Basiszorg \x1b[2J\x1b]0;pwned\x07 keuzedeel", "Individuele basiszorg"],
    )
    db.conn.commit()
    result = cli("review", "--round", ROUND, "--reviewer", "Kees", input="q\n")
    assert "\x1b" not in result.output
    assert "\x07" not in result.output


def test_review_needs_a_known_round(cli, db):
    result = cli("review", "--round", "1999-01", "--reviewer", "Kees")
    assert result.exit_code == 2
    assert "round '1999-01' does not exist" in result.output
    missing = cli("review", "--reviewer", "Kees")
    assert missing.exit_code == 2
    assert "--round LABEL" in missing.output


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.org", "::"])
def test_serve_refuses_other_addresses_without_a_token(cli, host):
    result = cli("serve", "--host", host)
    assert result.exit_code == 2
    assert f"{host} is reachable from other computers: give --token" in result.output


def test_serve_refuses_a_short_token(cli):
    result = cli("serve", "--host", "0.0.0.0", "--token", "abc")
    assert result.exit_code == 2
    assert "at least 12 characters" in result.output


def test_serve_help_explains_host_and_token(cli):
    result = cli("serve", "--help")
    assert result.exit_code == 0
    assert "only this computer can reach it" in " ".join(result.output.split())
    assert "?token=TOKEN" in result.output


def test_terminal_review_echoes_applies_to_all_with_a_note(cli, seeded, db):
    result = cli(
        "review", "--round", ROUND, "--reviewer", "Kees", input="1a zie detailpagina\ns\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        "vastgelegd: Verpleegtechnische handelingen bij ROC Noord → K0118 (alleen b2b); "
        "notitie: zie detailpagina; ook bij 1 identieke namen (0 al beslist, overgeslagen)"
    ) in result.output
    # ROC Zuid's identical name was decided along with it: the next question is another name
    assert "[2/5] ROC Zuid" not in result.output
    assert "Opleider West — Individuele basiszorg" in result.output
    rows = decisions(db)
    assert [(r["institution_id"], r["code"], r["note"]) for r in rows] == [
        (seeded.institutions["ROC Noord"], "K0118", "zie detailpagina"),
        (seeded.institutions["ROC Zuid"], "K0118", "toegepast vanuit ROC Noord: zie detailpagina"),
    ]
    assert "2 beslist, 1 overgeslagen" in result.output
