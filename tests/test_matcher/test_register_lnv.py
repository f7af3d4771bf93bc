"""LNV as a register type: imported, stored and read back; a database from before the
migration keeps its certificates and aliases."""

from __future__ import annotations

from matcher.migrations import migrations as matcher_migrations
from matcher.register import Register, import_register
from matcher.vocabulary import CertificateType
from snapshots.migrations import migrations as snapshot_migrations
from snapshots.store import connect

LNV_REGISTER = """code,title,type,sector,lnv,aliases
K0905,Helpende plus,keuzedeel,"Zorg, welzijn en sport",,Helpende+
C0400,Gewasbescherming,LNV,"Voedsel, groen en gastvrijheid",,
C0039,Individuele basiszorg verlenen,beroepsgericht onderdeel,"Zorg, welzijn en sport",,
"""


def test_an_lnv_type_is_imported_stored_and_read_back(db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(LNV_REGISTER, encoding="utf-8")
    assert import_register(db, path, as_of="2026-01-01") == 3
    register = Register.from_db(db)
    lnv = register.get("C0400")
    assert lnv is not None
    assert lnv.type == CertificateType.lnv
    assert lnv.lnv  # the flag the monitor's tables read follows the type
    assert register.get("K0905").type == CertificateType.keuzedeel


def test_the_migration_keeps_certificates_and_aliases_of_an_older_database(tmp_path):
    db = connect(tmp_path / "old.db")
    snapshot_migrations.apply(db)
    matcher_migrations.apply(db, stop_before="allow_lnv_certificate_type")
    db["register_versions"].insert(
        {"id": 1, "as_of": "2022-02-01", "imported_at": "x", "source": "old", "certificates": 1}
    )
    db["certificates"].insert(
        {"version_id": 1, "code": "K0905", "title": "Helpende plus", "type": "keuzedeel"}
    )
    db["certificate_aliases"].insert(
        {"version_id": 1, "code": "K0905", "kind": "title", "alias": "Helpende+"}
    )
    matcher_migrations.apply(db)
    assert [r["code"] for r in db["certificates"].rows] == ["K0905"]
    assert [r["alias"] for r in db["certificate_aliases"].rows] == ["Helpende+"]
    db["certificates"].insert(
        {"version_id": 1, "code": "L0001", "title": "Gewasbescherming", "type": "LNV", "lnv": 1}
    )
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert "'LNV'" in db["certificates"].schema
