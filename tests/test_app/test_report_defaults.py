"""Embedded default institutions: valid import file, loaded only into an empty workspace."""

from __future__ import annotations

import json

from mbo_websearch.defaults import ensure_institutions
from tests.conftest import DATA


def test_defaults_load_into_an_empty_workspace_with_llo_domains(db):
    loaded = ensure_institutions(db)
    assert loaded > 60
    funded = {r["funded"] for r in db["institutions"].rows}
    assert funded == {"bekostigd", "niet-bekostigd"}
    rocmn = next(db["institutions"].rows_where("name = ?", ["ROC Midden Nederland"]))
    assert json.loads(rocmn["hosts"]) == ["mbovoorprofessionals.rocmn.nl", "rocmn.nl"]
    nti = next(db["institutions"].rows_where("name like 'NTI%'"))
    assert nti["funded"] == "niet-bekostigd"
    assert ensure_institutions(db) == 0  # idempotent


def test_defaults_are_not_loaded_when_institutions_were_imported(cli, db):
    assert cli("institutions", "import", DATA / "institutions" / "good.csv").exit_code == 0
    assert ensure_institutions(db) == 0
    assert db["institutions"].count == 2
