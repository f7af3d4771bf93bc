"""`--anonymize`: every written file (HTML, XLSX unzipped, CSV) is free of names, hosts, slugs."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from pdfminer.high_level import extract_text

from mbo_websearch.reports.build import build_report
from mbo_websearch.reports.pdf import write_pdf
from mbo_websearch.reports.write import write_all
from snapshots.workspace import slugify
from tests.test_app.test_report_tables import fixture_inputs


def secrets(inputs) -> set[str]:
    names = set(inputs.institutions) | {o.institution for o in inputs.offers}
    urls = [o.evidence_url for o in [*inputs.offers, *inputs.compare_offers]]
    hosts = {u.split("/")[2] for u in urls} | {h for hs in inputs.hosts.values() for h in hs}
    return names | hosts | {slugify(n) for n in names} | {"warc"}


def texts_of(folder: Path):
    """(file, text) for every file, XLSX members unzipped, PDF text extracted."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".pdf":
            yield path.name, unicodedata.normalize("NFKC", extract_text(path))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.name}!{member}", archive.read(member).decode("utf-8", "replace")
        elif path.is_file():
            yield path.name, path.read_bytes().decode("utf-8", "replace")


def test_anonymized_folder_names_no_institution_host_slug_url_or_page(tmp_path):
    inputs = fixture_inputs()
    inputs.hosts = {n: (f"www.{slugify(n)}.nl",) for n in inputs.institutions}
    # crawl reasons and titles on websites can name a site or institution too
    inputs.health = [
        type(h)(h.institution, h.funded, h.health, f"DNS failed for {h.institution}", h.pages)
        for h in inputs.health
    ]
    out = tmp_path / "publicatie"
    report = build_report(inputs, anonymize=True)
    written = write_all(report, out)
    write_pdf(written.html, out / "rapport.pdf")
    found = [
        (name, secret)
        for name, text in texts_of(out)
        for secret in secrets(inputs)
        if secret.lower() in text.lower()
    ]
    assert found == []
    assert "https://" not in (out / "rapport.html").read_text(encoding="utf-8").replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert not (out / "csv" / "bewijs.csv").exists()
    assert "Instelling A" in dict(texts_of(out))["rapport.pdf"]
    assert written.key == tmp_path / "publicatie-sleutel.csv"
    key = written.key.read_text(encoding="utf-8-sig").splitlines()
    assert key[0] == "Pseudoniem;Instelling"
    assert "Instelling A;ROC A" in key
    assert "Instelling D;ROC D" in key
    assert [str(c) for c in report.table("per_instelling_bekostigd").rows[0][:3]] == [
        "Instelling A",
        "2",
        "3",
    ]


def test_not_anonymized_folder_keeps_evidence_and_writes_no_key(tmp_path):
    written = write_all(build_report(fixture_inputs()), tmp_path / "intern")
    assert written.key is None
    assert "roca.example" in (tmp_path / "intern" / "rapport.html").read_text(encoding="utf-8")
