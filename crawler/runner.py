"""Run one round's crawl: `scrapy crawl offers` in a subprocess, with progress and results.

A subprocess (not CrawlerProcess) because Twisted's reactor cannot be restarted: a test
session or a long-lived program can then run any number of rounds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.scope import RENDER_MODES
from snapshots.errors import InputError
from snapshots.health import CrawlRecord, Health, health_for_round
from snapshots.institutions import Institution, list_institutions
from snapshots.lock import WorkspaceLock
from snapshots.store import crawls_finished_since, get_round, institutions_with_pages
from snapshots.workspace import Workspace

if TYPE_CHECKING:
    from sqlite_utils import Database

POLL_SECONDS = 0.25
ROUND_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: After Ctrl-C: how long the crawl may take to close cleanly before it is forced.
CLOSE_SECONDS = 60.0


@dataclass(frozen=True)
class Progress:
    """Live counts of one institution, as written by the CrawlHealth extension."""

    institution: str
    pages: int
    errors: int
    requests: int
    status: str  # crawling | ok | partial | failed
    reason: str | None = None


@dataclass(frozen=True)
class CrawlOptions:
    delay: float | None = None  # None: the settings' polite default
    max_pages: int | None = None
    render: str | None = None  # None: per institution, else auto
    resume: bool = False
    settings: dict[str, str] = field(default_factory=dict)  # extra Scrapy -s overrides


@dataclass(frozen=True)
class RoundResult:
    round: str
    records: list[CrawlRecord]
    returncode: int
    log_path: Path
    stale_lock: str | None = None  # a lock left by a killed crawl, released to run this one

    @property
    def failed(self) -> list[CrawlRecord]:
        return [r for r in self.records if r.health == Health.failed]


class CrawlCrashed(RuntimeError):
    """The crawl process ended without recording crawl health (see its log)."""


def _validate(
    db: Database, round_label: str, institutions: list[Institution], options: CrawlOptions
) -> None:
    if not ROUND_LABEL.fullmatch(round_label):  # it names a folder and a log file
        raise InputError.single(
            "--round",
            0,
            "round",
            "use letters, digits, '.', '_' and '-' "
            "(starting with a letter or digit), e.g. 2026-11; "
            f"got {round_label!r}",
        )
    if options.render is not None and options.render not in RENDER_MODES:
        raise InputError.single("--render", 0, "render", f"use one of {', '.join(RENDER_MODES)}")
    if options.max_pages is not None and options.max_pages < 1:
        raise InputError.single("--max-pages", 0, "max-pages", "must be at least 1")
    if options.delay is not None and options.delay < 0:
        raise InputError.single("--delay", 0, "delay", "must be 0 or more seconds")
    if options.resume:
        if get_round(db, round_label) is None:
            raise InputError.single(
                "--round",
                0,
                "round",
                f"round {round_label} does not exist in this workspace: "
                "--resume completes an interrupted round; check --round and --workspace, "
                "or leave out --resume to start a new round",
            )
        return
    crawled = institutions_with_pages(db, round_label, [i.id for i in institutions])
    if crawled:
        names = ", ".join(crawled)
        raise InputError.single(
            "--round",
            0,
            round_label,
            f"round {round_label} already has pages for {names}; add --resume to complete it, "
            "or choose a new round label",
        )


def crawl_command(
    workspace: Workspace,
    round_label: str,
    institutions: list[Institution],
    options: CrawlOptions,
    *,
    progress_file: Path | None,
    log_file: Path,
) -> list[str]:
    """The `python -P -m crawler.child ... crawl offers ...` command line for this round: a
    `scrapy crawl offers` that stops when this process dies."""
    args = [
        sys.executable,
        "-P",  # the current folder stays off the import path (crawler.child)
        "-m",
        "crawler.child",
        "--parent-pid",
        str(os.getpid()),
        "crawl",
        "offers",
        "-a",
        f"round={round_label}",
        "-a",
        "institution_ids=" + ",".join(str(i.id) for i in institutions),
        "-s",
        f"WEBSEARCH_WORKSPACE={workspace.path.resolve()}",
        "-s",
        f"LOG_FILE={log_file}",
    ]
    if progress_file is not None:
        args += ["-s", f"WEBSEARCH_PROGRESS_FILE={progress_file}"]
    if options.delay is not None:
        args += [
            "-s",
            f"DOWNLOAD_DELAY={options.delay}",
            "-s",
            f"AUTOTHROTTLE_START_DELAY={options.delay}",
        ]
        if options.delay == 0:
            args += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY_JITTER=0"]
    if options.max_pages is not None:
        args += ["-a", f"max_pages={options.max_pages}"]
    if options.render is not None:
        args += ["-a", f"render={options.render}"]
    if options.resume:
        args += ["-a", "resume=1"]
    for key, value in options.settings.items():
        args += ["-s", f"{key}={value}"]
    return args


def crawl_env() -> dict[str, str]:
    """Environment of the crawl process: our settings module, wherever it runs from."""
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}


def _read_progress(path: Path, offset: int, latest: dict[str, Progress]) -> int:
    if not path.exists():
        return offset
    with path.open("r", encoding="utf-8") as fh:
        fh.seek(offset)
        chunk = fh.read()
    complete, _, _ = chunk.rpartition("\n")
    for line in complete.splitlines():
        data = json.loads(line)
        latest[data["institution"]] = Progress(
            data["institution"],
            data["pages"],
            data["errors"],
            data["requests"],
            data["status"],
            data.get("reason"),
        )
    return offset + len(complete.encode("utf-8")) + (1 if complete else 0)


def run_round(
    workspace: Workspace,
    round_label: str,
    institution_names: list[str] | None = None,
    *,
    options: CrawlOptions | None = None,
    progress: Callable[[list[Progress]], None] | None = None,
    stopping: Callable[[], None] | None = None,
    holder: str | None = None,
) -> RoundResult:
    """Crawl the named institutions (all when none are named) for one round, in parallel,
    and return the crawl health recorded for each. `stopping` is called on Ctrl-C, while the
    crawl closes. The workspace lock (snapshots.lock) is held for the whole crawl, described
    by `holder` (the command line): a second crawl of the workspace raises WorkspaceBusy."""
    options = options or CrawlOptions()
    lock = WorkspaceLock(workspace.path, holder or f"crawl --round {round_label}")
    lock.acquire()
    try:
        result = _run_locked(
            workspace, round_label, institution_names, options, progress, stopping, lock
        )
        stale = lock.stale.describe() if lock.stale else None
        return dataclasses.replace(result, stale_lock=stale)
    finally:
        lock.release()


def _run_locked(
    workspace: Workspace,
    round_label: str,
    institution_names: list[str] | None,
    options: CrawlOptions,
    progress: Callable[[list[Progress]], None] | None,
    stopping: Callable[[], None] | None,
    lock: WorkspaceLock,
) -> RoundResult:
    # one connection for the round: validation before the crawl, its results after
    db = workspace.open()
    try:
        return _crawl(
            workspace, db, round_label, institution_names, options, progress, stopping, lock
        )
    finally:
        db.close()


def _crawl(
    workspace: Workspace,
    db: Database,
    round_label: str,
    institution_names: list[str] | None,
    options: CrawlOptions,
    progress: Callable[[list[Progress]], None] | None,
    stopping: Callable[[], None] | None,
    lock: WorkspaceLock,
) -> RoundResult:
    institutions = list_institutions(db, institution_names or None)
    _validate(db, round_label, institutions, options)
    logs = workspace.path / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{round_label}.log"
    progress_file = logs / f"crawl-{round_label}.progress.jsonl"
    progress_file.unlink(missing_ok=True)
    assert lock.fd is not None
    command = crawl_command(
        workspace,
        round_label,
        institutions,
        options,
        progress_file=progress_file,
        log_file=log_file,
    ) + ["-s", f"WEBSEARCH_LOCK_FD={lock.fd}"]
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    # Its own session: Ctrl-C reaches only this process, which passes it on exactly once
    # (a second SIGINT would make Scrapy stop without recording crawl health); the crawl
    # shares the lock's open file, so the lock outlives this process while the crawl runs.
    process = subprocess.Popen(
        command,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        pass_fds=(lock.fd,),
    )
    latest: dict[str, Progress] = {}
    offset = 0
    try:
        while process.poll() is None:
            offset = _read_progress(progress_file, offset, latest)
            if progress is not None and latest:
                progress(list(latest.values()))
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        if stopping is not None:
            stopping()
        stop_crawl(process)
        raise
    finally:
        stop_crawl(process, close_seconds=0.0)
        _kill_group(process)
    _, stderr = process.communicate()
    _read_progress(progress_file, offset, latest)
    if progress is not None and latest:
        progress(list(latest.values()))
    return _result(
        db,
        round_label,
        institutions,
        process.returncode,
        log_file,
        stderr.decode("utf-8", "replace"),
        started,
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Whatever the crawl left in its process group (a browser) goes with it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_crawl(process: subprocess.Popen[bytes], close_seconds: float = CLOSE_SECONDS) -> None:
    """Ask the crawl to close cleanly (it records crawl health; resume completes the round);
    force it after `close_seconds` or a second Ctrl-C (resume copes with that too)."""
    for sig, wait in (
        (signal.SIGINT, close_seconds),
        (signal.SIGINT, 10.0),
        (signal.SIGKILL, None),
    ):
        if process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.communicate(timeout=wait)  # reads stderr, so the crawl never blocks on it
            return
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            continue


def _result(
    db: Database,
    round_label: str,
    institutions: list[Institution],
    returncode: int,
    log_file: Path,
    stderr: str,
    started: str,
) -> RoundResult:
    recorded = health_for_round(db, round_label)
    fresh = crawls_finished_since(db, round_label, started)
    recorded = {k: v for k, v in recorded.items() if k in fresh}
    records = [recorded[i.id] for i in institutions if i.id in recorded]
    if len(records) < len(institutions):
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise CrawlCrashed(
            f"the crawl process exited with code {returncode} before recording crawl health; "
            f"see {log_file}\n{tail}"
        )
    return RoundResult(round_label, records, returncode, log_file)
