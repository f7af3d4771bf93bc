"""crawler.child: the crawl process ends when its parent dies, by the kernel's signal on
Linux or by the watchdog where that signal is not available."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-P", "-c", sys.argv[1], str(__import__("os").getpid())])
print(child.pid, flush=True)
time.sleep(60)
"""
CHILD = """
import sys, time
import crawler.child as child
if {no_kernel_signal}:
    child._arm_parent_death_signal = lambda: False  # as on macOS: the watchdog alone
child.die_with_parent(int(sys.argv[1]))
print("armed", flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("no_kernel_signal", [False, True], ids=["pdeathsig", "watchdog"])
def test_the_crawl_process_dies_with_its_parent(no_kernel_signal):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD.format(no_kernel_signal=no_kernel_signal)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert parent.stdout.readline() == "armed\n"  # the child shares its parent's stdout
    assert alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while alive(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)
