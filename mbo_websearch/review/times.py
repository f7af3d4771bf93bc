"""Times as analysts read them: Dutch local time (Europe/Amsterdam), not the stored UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_time(stamp: str | None) -> str:
    """ "2026-11-30T12:00:00+00:00" -> "30-11-2026 13:00" (a naive stamp is taken as UTC);
    text that is not a time is returned as it is."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
