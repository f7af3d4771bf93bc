"""`mbo-websearch demo` end to end: bundled sites on 127.0.0.21-25, two rounds, report."""

from __future__ import annotations

import csv
import shutil
import zipfile

import pytest
from pdfminer.high_level import extract_text
from typer.testing import CliRunner

from mbo_websearch.cli import app


def _csv(path):
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", "--out", str(folder / "report"), "--demo-workspace", str(folder / "ws")]
    )
    return result, folder


def test_demo_runs_both_rounds_and_prints_a_summary(demo_run):
    result, folder = demo_run
    assert result.exit_code == 0, result.output
    assert "crawl 2026-11: ROC Demo Noord: ok, ROC Demo Zuid: failed" in result.stdout
    assert "Ronde 2026-11: 7 vindbare certificaattrajecten bij 3 instellingen (" in result.stdout
    assert (
        "Sinds 2025-11: 3 nieuw online, 2 eerst online en nu offline, 2 met onbekende"
        in result.stdout
    )
    assert (folder / "report" / "rapport.html").stat().st_size > 10_000
    # a reworded title and a level disagreement wait for an analyst, and the demo says where
    assert "Review: 2 namen in ronde 2026-11 wachten op een analist." in result.stdout
    assert "serve` en http://127.0.0.1:8000/ronde/2026-11" in result.stdout
    assert (folder / "report" / "rapport.xlsx").exists()


def test_demo_report_shows_the_changes_between_rounds(demo_run):
    _, folder = demo_run
    tables = folder / "report" / "csv"
    offline = {(r["Instelling"], r["Code"]) for r in _csv(tables / "eerst_online_nu_offline.csv")}
    # K0118 removed from a catalogue; the horeca course gone; Helpende plus moved URL: unchanged
    assert offline == {("ROC Demo Noord", "K0118"), ("Vakcollege Demo Horeca", "C0021")}
    unknown = {(r["Instelling"], r["Code"]) for r in _csv(tables / "status_onbekend.csv")}
    assert unknown == {("ROC Demo Zuid", "K0022"), ("ROC Demo Zuid", "K0869")}
    verdicts = {
        r["Instelling"]: r["Beoordeling"] for r in _csv(tables / "instellingen_online_offline.csv")
    }
    # its b2b-only offer stays online (DESIGN 3: flagged, still online): partly offline
    assert verdicts == {
        "Vakcollege Demo Horeca": "deels offline",
        "ROC Demo Noord": "deels offline",
        "ROC Demo Zuid": "onbekend",
        "Zorgacademie Demo": "gegroeid",
        "Techniekschool Demo": "ongewijzigd",
    }
    b2b = [(r["Instelling"], r["Code"]) for r in _csv(tables / "alleen_via_werkgever.csv")]
    assert b2b == [("Vakcollege Demo Horeca", "C0023")]
    private = _csv(tables / "per_instelling_niet-bekostigd.csv")
    assert [(r["Instelling"], r["Trajecten 2025-11"], r["Trajecten 2026-11"]) for r in private] == [
        ("Zorgacademie Demo", "1", "3"),
        ("Techniekschool Demo", "1", "1"),
        ("Totaal", "2", "4"),
    ]
    overview = {r["Onderwerp"]: r["Waarde"] for r in _csv(tables / "overzicht.csv")}
    assert overview["Register"].endswith("importeer een SBB-export (register import)")
    bewijs = [r for r in _csv(tables / "bewijs.csv") if r["Code"] == "K1006"]
    assert bewijs[0]["WARC-record (bestand@offset)"].startswith(
        "warc/2026-11/roc-demo-noord.warc.gz@"
    )
    issued = {(r["Code"], r["Bekostiging"]) for r in _csv(tables / "behaald_zonder_aanbod.csv")}
    assert ("C0019", "bekostigd") in issued  # issued, offered by no website


def test_demo_refuses_a_folder_that_is_not_a_demo_workspace(tmp_path):
    other = tmp_path / "mine"
    other.mkdir()
    (other / "websearch.db").write_text("not a demo", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["demo", "--demo-workspace", str(other), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "folder is not empty and not an earlier demo workspace" in result.stderr
    assert (other / "websearch.db").read_text(encoding="utf-8") == "not a demo"


def test_demo_packages_the_evidence_as_a_valid_wacz(demo_run):
    pytest.importorskip("wacz", reason="the optional wacz package is not installed")
    from wacz.main import main as wacz_main

    _, folder = demo_run
    path = folder / "report" / "bewijs-2026-11.wacz"
    assert wacz_main(["validate", "-f", str(path)]) == 0  # contents, paths, hashes, digest
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pages = archive.read("pages/pages.jsonl").decode("utf-8")
    # the revisit records of 2026-11 need their originals from 2025-11
    assert "archive/2025-11-roc-demo-noord.warc.gz" in names
    assert "archive/2026-11-roc-demo-noord.warc.gz" in names
    assert "/volwassenen/certificaten/palliatieve-zorg-k1006.html" in pages


def test_report_command_anonymizes_and_rejects_an_unknown_round(demo_run, tmp_path):
    _, folder = demo_run
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "--workspace",
            str(folder / "ws"),
            "report",
            "--round",
            "2026-11",
            "--compare",
            "2025-11",
            "--anonymize",
            "--out",
            str(tmp_path / "anon"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Matched round" not in result.stderr  # the demo matched both rounds already
    assert "Ronde 2026-11: 7 vindbare certificaattrajecten" in result.stdout
    html = (tmp_path / "anon" / "rapport.html").read_text(encoding="utf-8")
    assert "Instelling A" in html
    table = (tmp_path / "anon" / "csv" / "per_instelling_bekostigd.csv").read_text("utf-8-sig")
    assert "ROC Demo" not in table
    assert "ROC Demo" not in html
    key = (tmp_path / "anon-sleutel.csv").read_text("utf-8-sig")
    assert "ROC Demo Noord" in key
    assert f"pseudonym key to {tmp_path / 'anon-sleutel.csv'}" in result.stdout
    printed = extract_text(tmp_path / "anon" / "rapport.pdf")
    assert "Instelling A" in printed
    assert "ROC Demo" not in printed
    assert "demo-noord" not in printed
    single = runner.invoke(
        app,
        [
            "--workspace",
            str(folder / "ws"),
            "report",
            "--round",
            "2025-11",
            "--no-pdf",
            "--out",
            str(tmp_path / "one"),
        ],
    )
    assert single.exit_code == 0, single.output
    assert "Ronde 2025-11: 8 vindbare certificaattrajecten bij 5 instellingen (" in single.stdout
    assert not (tmp_path / "one" / "csv" / "eerst_online_nu_offline.csv").exists()
    missing = runner.invoke(
        app,
        [
            "--workspace",
            str(folder / "ws"),
            "report",
            "--round",
            "2030-01",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert missing.exit_code == 2
    assert "unknown round '2030-01'; known rounds: 2025-11, 2026-11" in missing.stderr


def test_report_matches_rounds_again_when_a_newer_register_applies(demo_run, tmp_path):
    _, folder = demo_run
    copy = tmp_path / "ws"
    shutil.copytree(folder / "ws", copy)
    register = tmp_path / "register.csv"
    register.write_text(
        "code,title,type,sector\n"
        'K0905,Helpende plus,keuzedeel,"Zorg, welzijn en sport"\n'
        "C0039,Individuele basiszorg verlenen,beroepsgericht onderdeel,"
        '"Zorg, welzijn en sport"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    imported = runner.invoke(
        app,
        ["--workspace", str(copy), "register", "import", str(register), "--as-of", "2020-01-01"],
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app,
        [
            "--workspace",
            str(copy),
            "report",
            "--round",
            "2026-11",
            "--compare",
            "2025-11",
            "--out",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Matched round 2026-11" in result.stderr
    assert "Matched round 2025-11" in result.stderr
    overview = {r["Onderwerp"]: r["Waarde"] for r in _csv(tmp_path / "r" / "csv" / "overzicht.csv")}
    assert overview["Register"] == "2 certificaten, register.csv (geldig vanaf 2020-01-01)"
    register_table = _csv(tmp_path / "r" / "csv" / "register_keuzedelen.csv")
    assert register_table[-1] == {
        "Sector": "Totaal",
        "Register 2025-11": "1",
        "Register 2026-11": "1",
        "Toename": "0",
    }
