"""Which hosts belong to an institution's crawl: redirects and adopted hosts (pure)."""

from __future__ import annotations

import pytest

from crawler.links import is_skipped_file, registrable_domain
from crawler.scope import InstitutionScope, ScopeLimits
from snapshots.institutions import Institution

LIMITS = ScopeLimits(max_pages=10, max_depth=8, max_per_pattern=150)


def scope(*hosts: str) -> InstitutionScope:
    institution = Institution(
        1, "ROC Voorbeeld", "bekostigd", f"https://{hosts[0]}/", (), tuple(hosts)
    )
    return InstitutionScope(institution, "never", LIMITS)


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.roc.nl", "roc.nl"),
        ("cursus.roc.nl", "roc.nl"),
        ("roc.co.uk", "roc.co.uk"),
        ("roc-a.github.io", "roc-a.github.io"),  # a private suffix keeps hosted sites apart
        ("127.0.0.11", "127.0.0.11"),
    ],
)
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_a_start_url_adopts_a_host_of_the_same_site_only():
    roc = scope("roc.nl")
    assert roc.adopt_host("https://cursus.roc.nl/aanbod") is True
    assert roc.in_scope("https://cursus.roc.nl/andere-pagina")
    assert roc.adopt_host("https://cursussen-elders.nl/") is False
    assert not roc.in_scope("https://cursussen-elders.nl/")


def test_redirects_stay_on_the_site():
    roc = scope("roc.nl")
    assert roc.may_redirect_to("https://www.roc.nl/", 3)  # www. twin, anywhere
    assert roc.may_redirect_to("https://cursus.roc.nl/", 0)  # same site, from a start URL
    assert not roc.may_redirect_to("https://cursus.roc.nl/", 2)  # not mid-crawl
    assert not roc.may_redirect_to("https://andere-school.nl/", 0)
    ip = scope("127.0.0.11")
    assert not ip.may_redirect_to("http://127.0.0.12/", 0)


def test_resume_reserves_the_archived_urls_in_the_budget():
    roc = scope("roc.nl")
    roc.reserve(["https://roc.nl/a", "https://roc.nl/b?utm_source=x"])
    assert roc.scheduled == 2
    assert roc.admit("https://roc.nl/b", 9)[0] == "https://roc.nl/b"  # paid: no depth limit
    assert roc.scheduled == 2
    for n in range(8):
        roc.admit(f"https://roc.nl/c{n}", 1)
    assert roc.admit("https://roc.nl/d", 1) == (None, "budget")


def test_gzipped_sitemaps_are_fetched_other_archives_are_not():
    assert not is_skipped_file("https://roc.nl/sitemap.xml.gz")
    assert is_skipped_file("https://roc.nl/downloads/alles.tar.gz")
