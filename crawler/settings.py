"""Scrapy settings of the websearch crawler: our WEBSEARCH_* settings, then Scrapy's, grouped.

`scrapy crawl offers -a round=R -a institution=NAME` from the repo root reads this module
through scrapy.cfg; `crawler.runner.run_round` starts the same crawl with -s overrides.
"""

from __future__ import annotations

import os

from crawler.browser import CHROMIUM_FLAGS

BOT_NAME = "mbo-websearch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --------------------------------------------------------------------------------------------
# Workspace and round
# --------------------------------------------------------------------------------------------

#: Workspace folder holding websearch.db and warc/ (the CLI passes its --workspace here).
WEBSEARCH_WORKSPACE = os.environ.get("MBO_WEBSEARCH_WORKSPACE", ".")
#: Round label; normally given as the spider argument `-a round=R`.
WEBSEARCH_ROUND = None
#: Skip canonical URLs already archived for the round (their links are replayed from the
#: archive instead of being fetched again). Spider argument `-a resume=1` sets it too.
WEBSEARCH_RESUME = False
#: JSON-lines progress file written by the CrawlHealth extension (None: no progress file).
WEBSEARCH_PROGRESS_FILE = None
#: Seconds between two progress lines.
WEBSEARCH_PROGRESS_INTERVAL = 1.0
#: Descriptor of the workspace lock inherited from crawler.runner (-1: take the lock here).
WEBSEARCH_LOCK_FD = -1

# --------------------------------------------------------------------------------------------
# Scope, budget and traps
# --------------------------------------------------------------------------------------------

#: Page budget per institution (requests scheduled for pages, sitemaps and documents).
WEBSEARCH_MAX_PAGES = 500
#: Links deeper than this many hops from a start URL are not followed.
WEBSEARCH_MAX_DEPTH = 8
#: At most this many URLs per URL shape (path with digits masked + query keys), so that
#: endless calendars and exploding query strings stop early.
WEBSEARCH_MAX_PER_PATTERN = 150
#: Fetch /sitemap.xml when robots.txt names no sitemap.
WEBSEARCH_DEFAULT_SITEMAP = True
#: Keep pending requests in a disk queue (JOBDIR <workspace>/.queue/<round>, removed at the
#: end of the run) so memory does not grow with the crawl frontier: from 10,000 to 30,000
#: pages the peak RSS grows ~3 % instead of ~22 %.
WEBSEARCH_DISK_QUEUE = True

# --------------------------------------------------------------------------------------------
# Rendering (scrapy-playwright with a real Chromium)
# --------------------------------------------------------------------------------------------

#: auto | always | never; None: each institution's own `render`, else auto.
WEBSEARCH_RENDER = None
#: Chromium executable; empty: /usr/bin/chromium or /usr/bin/chromium-browser when present,
#: else Playwright's own browser.
WEBSEARCH_CHROMIUM = os.environ.get("MBO_WEBSEARCH_CHROMIUM", "")
#: Milliseconds to wait for network idle (then the DOM is read anyway), and then for a DOM
#: whose nodes and text have not changed for WEBSEARCH_RENDER_STABLE_MS (a page whose scripts
#: never let it settle fails: counted as an error in crawl health).
WEBSEARCH_RENDER_TIMEOUT_MS = 10000
WEBSEARCH_RENDER_STABLE_MS = 400
#: Seconds for a whole render (navigation, both waits, reading the DOM); beyond it the page
#: is closed and recorded as failed (RenderTimeout). Must exceed 2 x WEBSEARCH_RENDER_TIMEOUT_MS.
WEBSEARCH_RENDER_PAGE_TIMEOUT = 30.0
#: An institution's browser context (its cookies, storage and renderer memory) is closed
#: once none of its pages has been in use for this many seconds.
WEBSEARCH_RENDER_CONTEXT_IDLE = 2.0
#: Rendered pages load nothing from hosts outside the institution's sites (trackers,
#: widgets; subdomains of its sites are allowed). Images, media and fonts are never loaded.
#: Switch off for a site whose catalogue is loaded from another host.
WEBSEARCH_RENDER_SAME_SITE_ONLY = True
#: render=auto: after this many of an institution's plain pages turned out script-built
#: (and at least half of those checked), its later pages are rendered without a plain
#: fetch first (0: always fetch plain first).
WEBSEARCH_RENDER_AUTO_SWITCH_AFTER = 2

# --------------------------------------------------------------------------------------------
# Retries and back-off
# --------------------------------------------------------------------------------------------

#: First back-off in seconds before retrying a 5xx or a time-out; doubles per attempt.
WEBSEARCH_BACKOFF_BASE = 1.0
WEBSEARCH_BACKOFF_MAX = 30.0
#: Longest Retry-After (seconds) that is honoured; longer waits give up on the request.
WEBSEARCH_RETRY_AFTER_MAX = 120.0
#: Longest robots.txt Crawl-delay (seconds) that is honoured.
WEBSEARCH_CRAWL_DELAY_MAX = 30.0

# --------------------------------------------------------------------------------------------
# Crawl health thresholds (crawler.extensions.CrawlHealth)
# --------------------------------------------------------------------------------------------

#: failed when more than this share of requests failed (network errors and final 5xx).
WEBSEARCH_HEALTH_FAILED_ERROR_RATIO = 0.5
#: partial when more than this share failed (0.0: any error makes the crawl partial).
WEBSEARCH_HEALTH_PARTIAL_ERROR_RATIO = 0.0
#: suspect when pages fell by more than this share against the previous round ...
WEBSEARCH_HEALTH_SUSPECT_DROP = 0.5
#: ... and the previous round had at least this many pages.
WEBSEARCH_HEALTH_SUSPECT_MIN_PAGES = 10

# --------------------------------------------------------------------------------------------
# Scrapy: politeness and identity
# --------------------------------------------------------------------------------------------

USER_AGENT = (
    "mbo-websearch/0.1 (research crawler for the mbo-certificaten monitor; "
    "+https://github.com/mbo-websearch/mbo-websearch#crawler)"
)
ROBOTSTXT_OBEY = True
#: The product token that robots.txt groups name us by (`User-agent: mbo-websearch`).
ROBOTSTXT_USER_AGENT = "mbo-websearch"
DOWNLOAD_DELAY = 1.0
#: No random variation: an honest crawler has no reason to hide its rhythm, and Scrapy draws
#: a new random delay each time it re-checks a slot, which biases the real delay upwards.
DOWNLOAD_DELAY_JITTER = 0.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
DEPTH_PRIORITY = 0
#: Outputs of one callback processed concurrently. Scrapy starts this many asyncio tasks per
#: response (default 100); our callbacks yield a handful of items and requests.
CONCURRENT_ITEMS = 8

# Retries: Scrapy's RetryMiddleware is replaced by crawler.downloadermiddlewares.retry.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# --------------------------------------------------------------------------------------------
# Scrapy: components
# --------------------------------------------------------------------------------------------

#: Our middlewares, the archive pipeline (crawler.pipelines.ArchivePipeline, 300) and the
#: crawl-health extension, enabled as one unit: see crawler/addon.py.
ADDONS = {"crawler.addon.WebsearchAddon": 0}

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
STATS_DUMP = True

# --------------------------------------------------------------------------------------------
# scrapy-playwright (crawler.render_handler.RenderHandler is installed as download handler by
# the spider only when rendering is possible, so plain crawls never start a browser)
# --------------------------------------------------------------------------------------------

PLAYWRIGHT_BROWSER_TYPE = "chromium"
#: One context per institution (crawler.render_handler.RenderHandler): at most this many
#: open at once (an idle one is closed when another institution needs a context) ...
PLAYWRIGHT_MAX_CONTEXTS = 8
#: ... each with at most this many pages, reused from one URL to the next (as many as one
#: site's concurrent requests: more pages cost memory, not speed, rendering being CPU-bound).
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20000
CHROMIUM_ARGS = [
    *CHROMIUM_FLAGS,
    # the pages of one site (one institution's context) share a renderer process: ~13 % less
    # memory at 8 institutions x 2 pages (benchmarks/render.py)
    "--process-per-site",
    # no offer is read from an image: Blink does not even request them (cheaper than aborting
    # each request); the first four are Playwright's own, which this switch would replace
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,"
    "availablePointerTypes=4,imagesEnabled=false",
]
