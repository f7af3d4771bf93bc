"""Find a Chromium to render with: setting/env, the Debian package, else Playwright's own."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

DEBIAN_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Every Chromium the project launches (crawl, PDF, tests): no sandbox (root in containers),
#: no GPU, no traffic of its own (updates, sync, QUIC) beside the pages it is asked for.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def find_chromium(configured: str | None = None) -> str | None:
    """Executable path to launch, or None to let Playwright use its own browser."""
    if configured:
        path = Path(configured)
        if path.exists():
            return str(path)
        found = shutil.which(configured)
        if found:
            return found
        raise FileNotFoundError(f"Chromium not found at {configured!r} (MBO_WEBSEARCH_CHROMIUM)")
    for candidate in DEBIAN_CHROMIUMS:
        if Path(candidate).exists():
            return candidate
    return None


def launch_options(configured: str | None, args: list[str]) -> dict[str, Any]:
    """PLAYWRIGHT_LAUNCH_OPTIONS for headless Chromium with the given command-line flags."""
    options: dict[str, Any] = {"headless": True, "args": list(args)}
    executable = find_chromium(configured)
    if executable:
        options["executable_path"] = executable
    return options
