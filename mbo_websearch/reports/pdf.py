"""Print the HTML report to `rapport.pdf` (A4, page numbers) with the Chromium the crawler
drives (found the same way: MBO_WEBSEARCH_CHROMIUM, the Debian package, else Playwright's).

The page is printed offline: every request that is not the report file itself is refused.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crawler.browser import CHROMIUM_FLAGS, launch_options

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444;">'
    'Pagina <span class="pageNumber"></span> van <span class="totalPages"></span></div>'
)


class PdfUnavailable(Exception):
    """No Chromium could be launched (or it failed to print)."""


def write_pdf(html: Path, pdf: Path) -> Path:
    """`pdf` printed from `html`; raises PdfUnavailable when Chromium cannot do it."""
    # Playwright's sync API refuses to run inside a thread that already drives an event loop
    # (e.g. a caller that uses Playwright itself): print from a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, pdf).result()


def _print(html: Path, pdf: Path) -> Path:
    from playwright.sync_api import Error, sync_playwright

    options = launch_options(os.environ.get("MBO_WEBSEARCH_CHROMIUM") or None, list(CHROMIUM_FLAGS))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**options)
            try:
                page = browser.new_page()
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith("file://")
                        else route.abort()
                    ),
                )
                page.goto(html.resolve().as_uri())
                page.emulate_media(media="print")
                page.pdf(
                    path=str(pdf),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                    margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except (Error, FileNotFoundError) as exc:
        raise PdfUnavailable(str(exc).splitlines()[0]) from exc
    return pdf
