"""Crawl health from a crawl's own counts: named rules with thresholds (first match wins)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from snapshots.health import Health


@dataclass(frozen=True)
class CrawlCounts:
    """One institution's counts, read from the `websearch/<institution>/...` stats."""

    requests: int  # responses + replayed responses + failed requests
    responses: int
    pages: int  # HTML pages and documents that answered 2xx/3xx and are not gone
    errors: int  # failed requests (after retries) + final 5xx responses
    connection_refused: int = 0
    timeouts: int = 0
    robots_denied: int = 0
    budget_hit: bool = False
    max_pages: int = 0
    offsite_redirects: int = 0  # redirects to another site, not followed
    error_kinds: tuple[tuple[str, int], ...] = ()  # (kind, count) of errors/<kind>, by kind

    def errors_named(self) -> str:
        """' (redirect_loop 1, too_large 1)' from the error kinds, or ''."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.error_kinds)
        return f" ({kinds})" if kinds else ""

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any], institution: str, max_pages: int) -> CrawlCounts:
        def get(key: str) -> int:
            return int(stats.get(f"websearch/{institution}/{key}", 0) or 0)

        responses = get("responses") + get("resumed")
        prefix = f"websearch/{institution}/errors/"
        kinds = sorted((k[len(prefix) :], int(v)) for k, v in stats.items() if k.startswith(prefix))
        return cls(
            requests=responses + get("failures"),
            responses=responses,
            pages=get("pages"),
            errors=get("errors"),
            connection_refused=get("errors/connection_refused"),
            timeouts=get("errors/timeout"),
            robots_denied=get("robots_denied"),
            budget_hit=bool(get("budget_hit")),
            max_pages=max_pages,
            offsite_redirects=get("offsite_redirects"),
            error_kinds=tuple(kinds),
        )


@dataclass(frozen=True)
class HealthThresholds:
    failed_error_ratio: float = 0.5
    partial_error_ratio: float = 0.0
    suspect_drop: float = 0.5
    suspect_min_pages: int = 10


Verdict = tuple[Health, str]
Rule = Callable[[CrawlCounts, HealthThresholds], Verdict | None]


def unreachable(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """No response at all: the site refused connections, timed out or does not resolve."""
    if c.responses or not c.requests:
        return None
    if c.connection_refused:
        return Health.failed, f"site unreachable: connection refused ({c.requests} requests)"
    if c.timeouts:
        return Health.failed, f"site unreachable: timed out ({c.requests} requests)"
    return Health.failed, f"site unreachable: all {c.requests} requests failed"


def robots_denies_all(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """robots.txt disallowed the start URLs, so no page could be fetched."""
    if c.pages == 0 and c.robots_denied:
        return Health.failed, f"robots.txt denies the site ({c.robots_denied} URLs disallowed)"
    return None


def redirected_away(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """The start URLs redirect to another site: nothing of the institution was fetched."""
    if c.pages == 0 and c.offsite_redirects:
        return Health.failed, (
            f"redirects to another site ({c.offsite_redirects} not followed): check the "
            "institution's website and start_urls"
        )
    return None


def no_pages(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """Responses came back, but not one usable page (all errors, gone or empty)."""
    if c.pages == 0:
        return Health.failed, (
            f"no pages fetched ({c.responses} responses, {c.errors} errors{c.errors_named()})"
        )
    return None


def most_failed(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """More than failed_error_ratio of the requests failed."""
    if c.requests and c.errors / c.requests > t.failed_error_ratio:
        return Health.failed, f"most requests failed ({c.errors} of {c.requests}){c.errors_named()}"
    return None


def budget_hit(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """The page budget stopped the crawl before the site was exhausted."""
    if c.budget_hit:
        return Health.partial, f"page budget of {c.max_pages} reached"
    return None


def some_errors(c: CrawlCounts, t: HealthThresholds) -> Verdict | None:
    """More than partial_error_ratio of the requests failed."""
    if c.requests and c.errors / c.requests > t.partial_error_ratio:
        return Health.partial, f"{c.errors} of {c.requests} requests failed{c.errors_named()}"
    return None


RULES: list[Rule] = [
    unreachable,
    robots_denies_all,
    redirected_away,
    no_pages,
    most_failed,
    budget_hit,
    some_errors,
]


def decide(counts: CrawlCounts, thresholds: HealthThresholds) -> Verdict:
    """The first rule that fires, else ok."""
    for rule in RULES:
        verdict = rule(counts, thresholds)
        if verdict is not None:
            return verdict
    away = counts.offsite_redirects
    return Health.ok, f"{counts.pages} pages, no errors" + (
        f"; {away} redirect(s) to another site not followed" if away else ""
    )


def suspect_reason(pages: int, previous: int | None, thresholds: HealthThresholds) -> str | None:
    """A sharp drop of pages against the institution's previous round."""
    if previous is None or previous < thresholds.suspect_min_pages:
        return None
    if pages < previous * (1 - thresholds.suspect_drop):
        return f"pages fell from {previous} to {pages} against the previous round"
    return None
