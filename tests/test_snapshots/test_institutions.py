"""institutions import: validation, atomicity, several hosts per institution."""

from __future__ import annotations

import json

from snapshots.institutions import list_institutions
from snapshots.workspace import slugify
from tests.conftest import DATA


def test_import_good_file_records_hosts_of_every_start_url(cli, db):
    result = cli("institutions", "import", DATA / "institutions" / "good.csv")
    assert result.exit_code == 0, result.output
    assert "Imported 2 institutions" in result.output
    roc = next(db["institutions"].rows_where("name = ?", ["ROC Voorbeeld"]))
    assert json.loads(roc["hosts"]) == ["professionals.rocvoorbeeld.nl", "www.rocvoorbeeld.nl"]
    assert roc["render"] == "auto"
    prive = next(db["institutions"].rows_where("name = ?", ["Opleider Privé"]))
    assert json.loads(prive["start_urls"]) == ["https://opleiderprive.nl/"]


def test_bad_rows_are_all_reported_with_line_and_column_and_nothing_is_imported(cli, db):
    result = cli("institutions", "import", DATA / "institutions" / "bad_rows.csv")
    assert result.exit_code == 2
    err = result.stderr
    assert "bad_rows.csv:3: name: missing name" in err
    assert "bad_rows.csv:4: funded: unknown value 'gesubsidieerd'" in err
    assert "bad_rows.csv:5: website: malformed URL 'not a url'" in err
    assert "bad_rows.csv:6: name: duplicate name 'ROC Goed' (also on line 2)" in err
    assert "bad_rows.csv:7: start_urls: malformed URL" in err
    assert db["institutions"].count == 0


def test_reimport_updates_instead_of_duplicating(cli, db):
    path = DATA / "institutions" / "good.csv"
    assert cli("institutions", "import", path).exit_code == 0
    assert cli("institutions", "import", path).exit_code == 0
    assert db["institutions"].count == 2


def test_missing_required_column_names_it(cli, tmp_path):
    path = tmp_path / "noweb.csv"
    path.write_text("name,funded\nX,bekostigd\n", encoding="utf-8")
    result = cli("institutions", "import", path)
    assert result.exit_code == 2
    assert "noweb.csv:1: website: missing column" in result.stderr


def test_a_file_without_rows_is_refused_so_crawl_never_uses_the_defaults(cli, db, tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_text("name,funded,website\n", encoding="utf-8")
    result = cli("institutions", "import", path)
    assert result.exit_code == 2
    assert "leeg.csv:2: name: no institutions in the file" in result.stderr
    assert db["institutions"].count == 0


def test_names_that_would_share_an_evidence_file_are_refused(cli, db, tmp_path):
    path = tmp_path / "twins.csv"
    path.write_text(
        "name,funded,website\nROC A+B,bekostigd,http://127.0.0.70/\n"
        "ROC A-B,bekostigd,http://127.0.0.71/\n",
        encoding="utf-8",
    )
    result = cli("institutions", "import", path)
    assert result.exit_code == 2
    assert (
        "twins.csv:3: name: 'ROC A-B' would share the evidence file roc-a-b.warc.gz "
        "with 'ROC A+B' (line 2)" in result.stderr
    )
    assert db["institutions"].count == 0
    first = tmp_path / "first.csv"
    first.write_text(
        "name,funded,website\nROC A+B,bekostigd,http://127.0.0.70/\n", encoding="utf-8"
    )
    assert cli("institutions", "import", first).exit_code == 0
    second = tmp_path / "second.csv"
    second.write_text(
        "name,funded,website\nROC A-B,bekostigd,http://127.0.0.71/\n", encoding="utf-8"
    )
    later = cli("institutions", "import", second)
    assert later.exit_code == 2
    assert (
        "second.csv:2: name: 'ROC A-B' would share the evidence file roc-a-b.warc.gz "
        "with 'ROC A+B' (already imported)" in later.stderr
    )
    assert db["institutions"].count == 1


def test_evidence_file_names_keep_accented_letters():
    assert slugify("Opleider Privé") == "opleider-prive"
    assert slugify("Kans²") == "kans2"
    assert slugify("ROC Friese Poort") == "roc-friese-poort"


def test_semicolon_separated_file_from_dutch_excel_is_read(cli, db, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffname;funded;website;start_urls\n"
        "ROC Puntkomma;bekostigd;http://127.0.0.72/;http://127.0.0.72/ "
        "http://127.0.0.73/cursussen\n",
        encoding="utf-8",
    )
    result = cli("institutions", "import", path)
    assert result.exit_code == 0, result.output
    roc = next(db["institutions"].rows_where("name = ?", ["ROC Puntkomma"]))
    assert json.loads(roc["hosts"]) == ["127.0.0.72", "127.0.0.73"]


def test_an_institution_named_twice_is_listed_once(cli, db):
    assert cli("institutions", "import", DATA / "institutions" / "good.csv").exit_code == 0
    chosen = list_institutions(db, ["ROC Voorbeeld", "roc voorbeeld", "Opleider Privé"])
    assert [i.name for i in chosen] == ["ROC Voorbeeld", "Opleider Privé"]


def test_funded_and_render_values_ignore_case(cli, db, tmp_path):
    path = tmp_path / "hoofdletters.csv"
    path.write_text(
        "name,funded,website,render\nROC Hoofd,Bekostigd,http://127.0.0.74/,Auto\n"
        "Opleider Klein,NIET-BEKOSTIGD,http://127.0.0.75/,\n",
        encoding="utf-8",
    )
    result = cli("institutions", "import", path)
    assert result.exit_code == 0, result.output
    rows = {r["name"]: (r["funded"], r["render"]) for r in db["institutions"].rows}
    assert rows == {"ROC Hoofd": ("bekostigd", "auto"), "Opleider Klein": ("niet-bekostigd", None)}
