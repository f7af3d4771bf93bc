"""Entry point of the crawl process that crawler.runner starts; it never outlives its parent.

    python -P -m crawler.child --parent-pid PID crawl offers -a round=R ...

`-P` keeps the current folder off the import path (a `concurrent.py` there must not shadow
the standard library). When the parent dies, even by `kill -9`, the crawl stops: on Linux
the kernel sends SIGTERM at once (PR_SET_PDEATHSIG), elsewhere a watchdog thread notices the
new parent pid and sends it. SIGTERM is Scrapy's graceful stop (crawl health is recorded,
`--resume` completes the round); a crawl that has not ended GRACE_SECONDS later is killed
with its whole process group (the browser included).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2
GRACE_SECONDS = 20.0


def _arm_parent_death_signal() -> bool:
    """Ask Linux to send SIGTERM when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _kill_everything() -> None:
    if os.getpgrp() == os.getpid():  # our own session (crawler.runner): take the browser too
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os._exit(1)


def _watch(parent_pid: int, signalled_by_kernel: bool) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    if not signalled_by_kernel:
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    _kill_everything()


def die_with_parent(parent_pid: int) -> None:
    """Stop this process when `parent_pid` is no longer its parent."""
    armed = _arm_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid, armed), daemon=True).start()


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "--parent-pid":
        die_with_parent(int(argv[1]))
        argv = argv[2:]
    from scrapy.cmdline import execute

    execute(["scrapy", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
