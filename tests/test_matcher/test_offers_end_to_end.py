"""End to end: crawl the loopback test sites with the CLI, then `offers` equals their truth.

The sites and their known offers are described in tests/sites/TRUTH.md (truth.json). One
crawl of all sites serves every test in this module; each institution's precision and
recall are computed and asserted in its own test.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from mbo_websearch.cli import app
from tests.servers import SiteFarm

ROUND = "E2E"
TRUTH = SiteFarm().truth()


@pytest.fixture(scope="module")
def offers_csv(tmp_path_factory):
    """Start every site, import the institutions, `crawl`, then `offers` (CSV rows)."""
    farm = SiteFarm().start()
    workspace = tmp_path_factory.mktemp("e2e") / "ws"
    runner = CliRunner()

    def cli(*args):
        return runner.invoke(app, ["--workspace", str(workspace), *map(str, args)])

    try:
        institutions = workspace.parent / "institutions.csv"
        institutions.write_text(farm.institutions_csv(), encoding="utf-8")
        assert cli("institutions", "import", institutions).exit_code == 0
        crawl = cli("crawl", "--round", ROUND, "--delay", "0")
        # the site that is down fails its crawl: exit 1 naming it
        assert crawl.exit_code == 1, crawl.output
        assert "ROC Offline" in crawl.stderr
        result = cli("offers", "--round", ROUND)
        assert result.exit_code == 0, result.output
        assert f"Matched round {ROUND}" in result.stderr
        yield list(csv.DictReader(io.StringIO(result.stdout))), farm.bases
    finally:
        farm.stop()


def scores(found: set[str], truth: set[str]) -> tuple[float, float]:
    """Precision and recall of `found` against `truth` (1.0 when there is nothing to find)."""
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


@pytest.mark.parametrize("institution", sorted(TRUTH))
def test_offers_of_each_site_equal_the_truth(offers_csv, institution, record_property):
    rows, bases = offers_csv
    facts = TRUTH[institution]
    mine = {r["code"]: r for r in rows if r["institution"] == institution}
    truth = {o["code"]: o for o in facts["offers"]}
    precision, recall = scores(set(mine), set(truth))
    record_property("precision", precision)
    record_property("recall", recall)
    print(
        f"{institution}: precision {precision:.2f}, recall {recall:.2f} "
        f"({len(mine)} found, {len(truth)} true)"
    )
    assert (precision, recall) == (1.0, 1.0), (sorted(mine), sorted(truth))
    for code, offer in truth.items():
        row = mine[code]
        assert row["funded"] == facts["funded"], row
        assert row["b2b_only"] == ("true" if offer["b2b_only"] else "false"), row
        site = offer.get("site", facts["sites"][0])
        evidence = urlsplit(row["evidence_url"])
        assert f"{evidence.scheme}://{evidence.netloc}" == bases[site], row
        assert evidence.path == offer["path"], row
        assert row["title"], code


def test_no_offer_rests_on_a_page_that_is_not_an_offer(offers_csv):
    rows, _ = offers_csv
    wrong = {
        (r["institution"], r["evidence_url"])
        for r in rows
        for path in TRUTH.get(r["institution"], {}).get("not_offers", [])
        if urlsplit(r["evidence_url"]).path == path
    }
    assert wrong == set()


def test_overall_precision_and_recall(offers_csv):
    rows, _ = offers_csv
    found = {(r["institution"], r["code"]) for r in rows}
    truth = {(name, o["code"]) for name, facts in TRUTH.items() for o in facts["offers"]}
    precision, recall = scores(found, truth)
    print(
        f"all sites: precision {precision:.2f}, recall {recall:.2f} "
        f"({len(found)} found, {len(truth)} true)"
    )
    assert precision == 1.0
    assert recall == 1.0
