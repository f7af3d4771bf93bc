"""URL identity, link scoring and trap detection (pure functions, no Scrapy)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

#: Query parameters that only track the visitor; dropped from every URL.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "yclid", "igshid"}
)
TRACKING_PREFIXES = ("utm_",)

#: Documents worth fetching besides HTML pages.
DOCUMENT_EXTENSIONS = (".pdf",)
#: Files never worth fetching for a websearch.
SKIPPED_EXTENSIONS = frozenset(
    ".jpg .jpeg .png .gif .svg .webp .ico .bmp .tif .tiff .mp3 .mp4 .avi .mov .webm .wav "
    ".zip .rar .7z .gz .tar .exe .dmg .iso .css .js .json .woff .woff2 .ttf .eot .ics "
    ".doc .docx .xls .xlsx .ppt .pptx".split()
)

# Words in a URL or anchor text that point at (adult) course offers, with their weights.
_POSITIVE = {
    "mbo-certificaat": 40,
    "certificaat": 30,
    "keuzedeel": 30,
    "certificaten": 30,
    "cursus": 20,
    "cursussen": 20,
    "opleiding": 10,
    "opleidingen": 12,
    "llo": 20,
    "volwassenen": 20,
    "professionals": 15,
    "werkenden": 15,
    "bijscholing": 15,
    "omscholing": 15,
    "scholing": 10,
    "aanbod": 10,
    "training": 8,
    "leereenheid": 20,
    "bedrijfsklassen": 12,
    "werkgevers": 6,
    "brochure": 10,
    "studiegids": 8,
}
_NEGATIVE = {
    "nieuws": -10,
    "agenda": -15,
    "evenement": -15,
    "vacature": -20,
    "vacatures": -20,
    "login": -30,
    "inloggen": -30,
    "privacy": -20,
    "cookie": -20,
    "cookies": -20,
    "contact": -5,
    "zoeken": -15,
    "search": -15,
    "winkelwagen": -30,
    "cart": -30,
}
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Calendar traps: query keys and path shapes that page through dates without end.
_CALENDAR_KEYS = frozenset(
    {
        "date",
        "datum",
        "day",
        "dag",
        "week",
        "month",
        "maand",
        "year",
        "jaar",
        "cal",
        "calendar",
        "kalender",
        "tribe-bar-date",
        "ical",
        "start_date",
        "end_date",
    }
)
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d[-/](0?[1-9]|1[0-2])(?:[-/]\d\d?)?(?:/|$)")
_CALENDAR_SEGMENTS = frozenset(
    {"agenda", "kalender", "calendar", "events", "evenementen", "activiteiten", "rooster"}
)
_DATE_VALUE = re.compile(r"^(19|20)\d\d[-/]?(0[1-9]|1[0-2])([-/]?(0[1-9]|[12]\d|3[01]))?$")
MAX_QUERY_PARAMS = 4
MAX_PATH_SEGMENTS = 12
MAX_URL_LENGTH = 400


def is_tracking_param(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonicalise_url(url: str) -> str:
    """The identity of a URL: tracking parameters and fragment dropped, query sorted,
    scheme and host lower-cased, default port removed, path percent-encoding normalised."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    netloc = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        netloc = f"{netloc}:{parts.port}"
    cleaned = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned, keep_fragments=False)


def extension_of(url: str) -> str:
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def is_document(url: str) -> bool:
    """True for URLs of documents (PDF brochures) that are fetched but never rendered."""
    return extension_of(url) in DOCUMENT_EXTENSIONS


def is_skipped_file(url: str) -> bool:
    """True for images, media, archives and office files: not worth a request. A gzipped
    XML file (sitemap.xml.gz) is no archive to skip."""
    if urlsplit(url).path.lower().endswith(".xml.gz"):
        return False
    return extension_of(url) in SKIPPED_EXTENSIONS


def score_link(url: str, text: str = "") -> int:
    """Priority of a link: higher for course / certificate sections, lower for news,
    agendas and log-ins. Used as the Scrapy request priority, so budgets go to offers."""
    parts = urlsplit(url)
    haystack = f"{parts.path} {parts.query} {text}".lower()
    words = set(_WORD.findall(haystack))
    words.update(w for word in list(words) for w in word.split("-"))
    score = sum(weight for word, weight in _POSITIVE.items() if word in words)
    score += sum(weight for word, weight in _NEGATIVE.items() if word in words)
    if re.search(r"\b[kc]\d{4}\b", haystack):
        score += 40
    if is_document(url):
        score += 5
    score -= 2 * len([s for s in parts.path.split("/") if s])
    return max(-100, min(100, score))


def trap_reason(url: str) -> str | None:
    """Why a URL looks like a crawler trap (endless calendar, exploding query string,
    repeating path), or None."""
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH:
        return "url too long"
    query = parse_qsl(parts.query, keep_blank_values=True)
    if len(query) > MAX_QUERY_PARAMS:
        return "too many query parameters"
    for key, value in query:
        if key.lower() in _CALENDAR_KEYS or _DATE_VALUE.match(value):
            return "calendar query"
    if _DATE_IN_PATH.search(parts.path):
        return "calendar path"
    segments = [s for s in parts.path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if _CALENDAR_SEGMENTS.intersection(lowered) and any(s.isdigit() for s in segments):
        return "calendar path"
    if len(segments) > MAX_PATH_SEGMENTS:
        return "path too deep"
    if any(segments.count(s) >= 3 for s in set(segments)):
        return "repeating path segments"
    return None


def url_pattern(url: str) -> str:
    """The shape of a URL (host, path with digit runs masked, sorted query keys): pages
    that differ only in numbers share a shape, which is capped per crawl."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "9", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.hostname}{path}?{'&'.join(keys)}"


#: The public suffix list bundled with tldextract (never fetched: no network at crawl time),
#: private suffixes included so that two sites on one hosting domain stay apart.
_SUFFIXES = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


def registrable_domain(host: str) -> str:
    """The registrable domain of a host name (roc.nl for www.cursus.roc.nl); an IP address or
    a name without public suffix is its own."""
    return _SUFFIXES(host).top_domain_under_public_suffix or host
