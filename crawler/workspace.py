"""The workspace a crawl archives into, as the WEBSEARCH_WORKSPACE setting names it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from snapshots.workspace import Workspace

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def workspace_from_settings(settings: BaseSettings) -> Workspace:
    return Workspace(Path(settings.get("WEBSEARCH_WORKSPACE") or "."))
