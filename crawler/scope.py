"""Per-institution crawl scope: hosts, page budget, seen URLs, URL-shape caps, render mode."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.links import (
    canonicalise_url,
    is_skipped_file,
    registrable_domain,
    trap_reason,
    url_pattern,
)
from snapshots.index import pages_for_round
from snapshots.institutions import Institution

if TYPE_CHECKING:
    from collections.abc import Iterable

    from snapshots.workspace import Workspace

RENDER_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class ScopeLimits:
    max_pages: int
    max_depth: int
    max_per_pattern: int


@dataclass
class InstitutionScope:
    """What one institution's crawl may still fetch. Budget counts every scheduled
    request except robots.txt, so a site cannot take more than its share."""

    institution: Institution
    render: str
    limits: ScopeLimits
    seen: set[str] = field(default_factory=set)
    patterns: Counter[str] = field(default_factory=Counter)
    scheduled: int = 0
    adopted_hosts: set[str] = field(default_factory=set)  # where start URLs redirected to
    reserved: set[str] = field(default_factory=set)  # archived before a resume: paid for

    @property
    def name(self) -> str:
        return self.institution.name

    @property
    def hosts(self) -> tuple[str, ...]:
        return self.institution.hosts  # lower-cased at import

    def adopt_host(self, url: str) -> bool:
        """A start URL redirected to another host of the same site (roc.nl -> www.roc.nl,
        or cursus.roc.nl): its links belong to this crawl too. True when the host is new;
        a host of another site is never adopted."""
        host = (urlsplit(url).hostname or "").lower()
        if not host or self.in_scope(url) or not self.same_site(url):
            return False
        self.adopted_hosts.add(host)
        return True

    def bases(self) -> dict[str, str]:
        """scheme://netloc of every host, taken from the website and start URLs."""
        found: dict[str, str] = {}
        for url in (*self.institution.start_urls, self.institution.website):
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            found.setdefault(host, f"{parts.scheme}://{parts.netloc}")
        for host in self.hosts:
            found.setdefault(host, f"https://{host}")
        return found

    def start_urls(self, netloc_base: str) -> list[str]:
        urls = [u for u in self.institution.start_urls if u.startswith(netloc_base + "/")]
        if netloc_base + "/" == self.institution.website or self.institution.website.startswith(
            netloc_base + "/"
        ):
            urls.append(self.institution.website)
        return list(dict.fromkeys(urls))

    def in_scope(self, url: str) -> bool:
        """The URL's host is one of the institution's hosts, its www. twin, or a host a start
        URL redirected to."""
        host = (urlsplit(url).hostname or "").lower()
        twin = host[4:] if host.startswith("www.") else "www." + host
        return host in self.hosts or twin in self.hosts or host in self.adopted_hosts

    def same_site(self, url: str) -> bool:
        """The URL's host shares a registrable domain with one of the institution's hosts
        (cursus.roc.nl and www.roc.nl: roc.nl); an IP address only with itself."""
        site = registrable_domain((urlsplit(url).hostname or "").lower())
        return any(registrable_domain(h) == site for h in self.hosts)

    def may_redirect_to(self, url: str, depth: int) -> bool:
        """A redirect stays in this crawl: to the institution's own hosts, or, from a start
        URL, to another host of the same site (which is then adopted)."""
        return self.in_scope(url) or (depth == 0 and self.same_site(url))

    def admit(self, url: str, depth: int) -> tuple[str | None, str | None]:
        """(canonical URL, None) when the URL may be fetched, else (None, reason)."""
        if not url.startswith(("http://", "https://")):
            return None, "not http"
        canonical = canonicalise_url(url)
        if not self.in_scope(canonical):
            return None, "other site"
        if canonical in self.seen:
            return None, "seen"
        if canonical in self.reserved:  # admitted by an earlier run of this round
            self.seen.add(canonical)
            return canonical, None
        if is_skipped_file(canonical):
            return None, "skipped file type"
        if depth > self.limits.max_depth:
            return None, "too deep"
        if reason := trap_reason(canonical):
            return None, f"trap: {reason}"
        pattern = url_pattern(canonical)
        if self.patterns[pattern] >= self.limits.max_per_pattern:
            return None, "trap: too many URLs of one shape"
        if self.scheduled >= self.limits.max_pages:
            return None, "budget"
        self.seen.add(canonical)
        self.patterns[pattern] += 1
        self.scheduled += 1
        return canonical, None

    def reserve(self, urls: list[str]) -> None:
        """On resume: URLs the interrupted runs admitted (and archived) keep their place in
        the budget, so a resumed round holds no more pages than an uninterrupted one."""
        fresh = {canonicalise_url(u) for u in urls} - self.reserved
        self.reserved |= fresh
        self.scheduled += len(fresh)
        self.patterns.update(url_pattern(u) for u in fresh)

    def mark_seen(self, url: str) -> None:
        """Record an identity (a rel=canonical target) without spending budget."""
        self.seen.add(canonicalise_url(url))


def effective_render(run_render: str | None, institution: Institution) -> str:
    """The run's --render wins; otherwise the institution's own setting; otherwise auto."""
    mode = run_render or institution.render or "auto"
    if mode not in RENDER_MODES:
        raise ValueError(f"render must be one of {', '.join(RENDER_MODES)}, not {mode!r}")
    return mode


def reserve_archived(
    workspace: Workspace, round_label: str, scopes: Iterable[InstitutionScope]
) -> None:
    """Reserve, in each scope, the URLs already archived for the round (robots.txt aside:
    it is outside the budget)."""
    db = workspace.open()
    try:
        for scope in scopes:
            pages = pages_for_round(db, round_label, institution_id=scope.institution.id)
            scope.reserve([p.url for p in pages if p.kind != "robots"])
    finally:
        db.close()
