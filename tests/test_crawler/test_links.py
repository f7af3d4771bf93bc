"""URL identity, link scoring and trap detection (crawler/links.py, crawler/scope.py)."""

from __future__ import annotations

import pytest

from crawler.links import canonicalise_url, score_link, trap_reason, url_pattern


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://Example.NL/cursus?utm_source=x&utm_medium=y#inschrijven",
            "http://example.nl/cursus",
        ),
        ("https://example.nl:443/a?b=2&a=1&fbclid=abc&gclid=1", "https://example.nl/a?a=1&b=2"),
        ("http://127.0.0.11:8080/x/../y/?UTM_Campaign=q", "http://127.0.0.11:8080/y/"),
        ("http://example.nl", "http://example.nl/"),
        ("http://example.nl/cursus%20zorg", "http://example.nl/cursus%20zorg"),
    ],
)
def test_canonicalise_url_drops_tracking_and_fragments(url, expected):
    assert canonicalise_url(url) == expected


def test_score_link_prefers_course_sections():
    course = score_link("https://roc.nl/volwassenen/cursussen/helpende-plus", "Mbo-certificaat")
    news = score_link("https://roc.nl/nieuws/2026/open-dag", "Open dag")
    login = score_link("https://roc.nl/inloggen", "Inloggen")
    coded = score_link("https://roc.nl/opleidingen/zorg-c0125-llo")
    assert course > news > login
    assert coded > score_link("https://roc.nl/opleidingen/zorg")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://a.nl/agenda/?maand=2026-12", "calendar query"),
        ("http://a.nl/events?date=20261201", "calendar query"),
        ("http://a.nl/agenda/2026/12/", "calendar path"),
        ("http://a.nl/agenda/dag/17", "calendar path"),
        ("http://a.nl/zoek?a=1&b=2&c=3&d=4&e=5", "too many query parameters"),
        ("http://a.nl/a/b/a/b/a/b", "repeating path segments"),
    ],
)
def test_traps_are_named(url, reason):
    assert trap_reason(url) == reason
    assert trap_reason(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://a.nl/cursussen/?pagina=2",
        "http://a.nl/cursussen/pagina/3/",
        "http://a.nl/content.php?pageID=1234",
        "http://a.nl/opleidingen/zorg-c0125-llo",
        "http://a.nl/cursus?id=200145",
        "http://a.nl/vastaanbod2020/helpende-plus/",
    ],
)
def test_ordinary_pages_are_not_traps(url):
    assert trap_reason(url) is None


def test_url_pattern_masks_numbers_and_query_values():
    assert url_pattern("http://a.nl/p/12.html?x=1") == url_pattern("http://a.nl/p/345.html?x=9")
    assert url_pattern("http://a.nl/p/12.html") != url_pattern("http://a.nl/q/12.html")


def test_scope_accepts_www_twin_and_hosts_a_start_url_redirected_to():
    from crawler.scope import InstitutionScope, ScopeLimits
    from snapshots.institutions import Institution

    inst = Institution(1, "ROC", "bekostigd", "https://roc.nl/", ("https://roc.nl/",), ("roc.nl",))
    scope = InstitutionScope(inst, "auto", ScopeLimits(10, 5, 5))
    assert scope.in_scope("https://www.roc.nl/cursussen")
    assert not scope.in_scope("https://cursus.roc.nl/")
    scope.adopt_host("https://cursus.roc.nl/aanbod")
    assert scope.in_scope("https://cursus.roc.nl/x")
    assert not scope.in_scope("https://andere-roc.nl/")
    assert scope.admit("https://roc.nl/a?utm_source=x", 1) == ("https://roc.nl/a", None)
    assert scope.admit("https://roc.nl/a", 1) == (None, "seen")
    assert scope.admit("https://roc.nl/agenda/2026/11/", 1) == (None, "trap: calendar path")
