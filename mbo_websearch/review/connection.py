"""One database connection per request: opened on first use, closed when the response is sent.

`RequestConnection` is the ASGI middleware that owns the connection's lifetime; handlers get
it with `connect(workspace)`. Sync handlers run in a worker thread and the middleware closes
the connection on the event loop's thread, hence `check_same_thread=False`: the connection
is still used by one request at a time, never shared.
"""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from typing import TYPE_CHECKING

import sqlite_utils

from snapshots import store as snapshots_store

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from snapshots.workspace import Workspace


class _RequestDatabase:
    def __init__(self) -> None:
        self.db: sqlite_utils.Database | None = None

    def get(self, workspace: Workspace) -> sqlite_utils.Database:
        if self.db is None:
            conn = sqlite3.connect(workspace.db_path, check_same_thread=False)
            self.db = snapshots_store.configure(sqlite_utils.Database(conn))
        return self.db

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


_current: ContextVar[_RequestDatabase | None] = ContextVar("review_db", default=None)


def connect(workspace: Workspace) -> sqlite_utils.Database:
    """The current request's connection (sqlite connections stay in their request)."""
    holder = _current.get()
    if holder is None:
        raise RuntimeError("connect() is for request handlers: add RequestConnection to the app")
    return holder.get(workspace)


class RequestConnection:
    """ASGI middleware: closes the request's connection (if one was opened) after it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        holder = _RequestDatabase()
        token = _current.set(holder)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
            holder.close()
