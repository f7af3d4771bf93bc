"""The workspace lock (snapshots.lock): refused at once while held, a killed holder's lock
file taken over, the holder named in the refusal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from snapshots.lock import LOCK_NAME, WorkspaceBusy, WorkspaceLock

HOLD = (
    "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
    "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"
)


def test_a_second_holder_is_refused_naming_the_first(tmp_path):
    with WorkspaceLock(tmp_path, "mbo-websearch crawl --round r1") as first:
        with pytest.raises(WorkspaceBusy) as refused:
            WorkspaceLock(tmp_path, "mbo-websearch crawl --round r2").acquire()
        assert first.fd is not None
    holder = refused.value.holder
    assert holder is not None
    assert holder.command == "mbo-websearch crawl --round r1"
    assert "wait for it to finish" in str(refused.value)
    assert (tmp_path / LOCK_NAME).read_text() == ""  # released: nobody holds it
    WorkspaceLock(tmp_path, "again").acquire().release()


def test_a_lock_file_left_by_a_killed_holder_is_taken_over(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    left = {"pid": process.pid, "command": "mbo-websearch crawl --round r1", "started_at": "x"}
    (tmp_path / LOCK_NAME).write_text(json.dumps(left))
    lock = WorkspaceLock(tmp_path, "mbo-websearch crawl --round r1 --resume").acquire()
    try:
        assert lock.stale is not None
        assert lock.stale.pid == process.pid
        written = json.loads((tmp_path / LOCK_NAME).read_text())
        assert written["command"] == "mbo-websearch crawl --round r1 --resume"
    finally:
        lock.release()


def test_a_crawl_closing_after_its_command_was_killed_is_named_as_such(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    left = {"pid": process.pid, "command": "mbo-websearch crawl --round r1", "started_at": "x"}
    (tmp_path / LOCK_NAME).write_text(json.dumps(left))
    crawler = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / LOCK_NAME)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert crawler.stdout is not None
        assert crawler.stdout.readline() == "held\n"
        with pytest.raises(WorkspaceBusy, match="was killed and its crawl is still closing"):
            WorkspaceLock(tmp_path, "mbo-websearch crawl --round r1 --resume").acquire()
    finally:
        crawler.kill()
        crawler.wait()
    WorkspaceLock(tmp_path, "free again").acquire().release()
