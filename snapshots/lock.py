"""The workspace lock: one writer of WARC evidence per workspace at a time.

An advisory `fcntl.flock` on `<workspace>/websearch.lock`. The kernel drops the lock when the
last process holding the file open dies (even by `kill -9`), so a lock can never outlive its
holders; the file's text (pid, command, start time) only describes the holder. A file left
behind by a killed holder is detected (the flock is free) and taken over.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

LOCK_NAME = "websearch.lock"


class WorkspaceBusy(Exception):
    """Another process holds the workspace lock (a crawl is running)."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else "another process (no details in the lock file)"
        if holder and not _running(holder.pid):
            advice = "that command was killed and its crawl is still closing: try again in a minute"
        else:
            advice = (
                "wait for it to finish, or stop it (Ctrl-C or kill PID) and complete the round "
                "with --resume"
            )
        super().__init__(f"{path}: the workspace is in use by {who}; {advice}")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@dataclass(frozen=True)
class LockHolder:
    """What the lock file says about the process that holds (or held) the lock."""

    pid: int
    command: str
    started_at: str
    host: str = ""

    def describe(self) -> str:
        return f"pid {self.pid} ({self.command}, started {self.started_at})"

    @classmethod
    def read(cls, path: Path) -> LockHolder | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "null")
            return cls(
                int(data["pid"]),
                str(data["command"]),
                str(data["started_at"]),
                str(data.get("host", "")),
            )
        except (OSError, ValueError, TypeError, KeyError):
            return None


class WorkspaceLock:
    """Held while a process writes the workspace's evidence.

        with WorkspaceLock(workspace.path, "mbo-websearch crawl --round r1"):
            ...

    `acquire` raises WorkspaceBusy at once (it never waits) when another process holds it.
    `stale` tells whether taking it released a lock file left by a killed holder. The open
    file descriptor `fd` may be passed to a child process (`pass_fds`): the lock then stays
    held until the parent and that child have both exited.
    """

    def __init__(self, folder: Path, command: str) -> None:
        self.path = folder / LOCK_NAME
        self.command = command
        self.fd: int | None = None
        self.stale: LockHolder | None = None

    def acquire(self) -> WorkspaceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise WorkspaceBusy(self.path.parent, LockHolder.read(self.path)) from None
        previous = LockHolder.read(self.path)
        self.stale = previous if previous and previous.pid != os.getpid() else None
        holder = {
            "pid": os.getpid(),
            "command": self.command,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Empty the lock file (nobody holds it) and drop the lock."""
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        finally:
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = None

    def __enter__(self) -> WorkspaceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holds_lock(fd: int, folder: Path) -> bool:
    """True when the inherited descriptor `fd` is the workspace's lock file, locked."""
    try:
        same = os.path.samestat(os.fstat(fd), os.stat(folder / LOCK_NAME))
    except OSError:
        return False
    if not same:
        return False
    try:  # upgrading a lock this open file description already holds succeeds at once
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
