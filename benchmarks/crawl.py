"""Crawl benchmark: N generated sites x M pages on loopback, full pipeline vs a bare spider.

    .venv/bin/python benchmarks/crawl.py --sites 5 --pages 1000
    .venv/bin/python benchmarks/crawl.py --sites 5 --pages 20 --delay 0.2

Without --delay (politeness off) it crawls the same sites twice in one run: (a) the full
pipeline (`crawler.runner.run_round`: OffersSpider + ArchivePipeline + CrawlHealth, WARC +
SQLite index) and (b) a bare Scrapy spider that follows the same links and discards the
responses. It prints pages/s of both, their ratio and each crawl's peak RSS.
Targets: full/bare >= 0.8; peak RSS < 600 MB at 30,000 pages and within 20 % of the peak at
10,000 pages.

With --delay D it runs only the full pipeline, politely, and compares the wall time with
the bound max over sites of (pages x D): sites are crawled in parallel when the ratio stays
within 1.25.

Each site is served by its own process (asyncio, keep-alive) on its own 127.0.0.x address.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scrapy  # noqa: E402

from crawler.runner import CrawlOptions, run_round  # noqa: E402
from snapshots.institutions import import_institutions  # noqa: E402
from snapshots.workspace import Workspace  # noqa: E402

FILLER = "Praktijkgerichte cursus voor werkenden met een landelijk erkend mbo-certificaat. " * 9


# --------------------------------------------------------------------------------- servers


def _page(n: int, pages: int) -> bytes:
    first = 0 if n < 0 else 3 * n + 1
    links = "".join(
        f'<li><a href="/p/{k}.html">Cursus {k}</a></li>'
        for k in range(first, min(first + 3, pages))
    )
    body = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cursus {n}</title>"
        f"</head><body><h1>Cursus {n}</h1><p>{FILLER}</p><ul>{links}</ul></body></html>"
    )
    return body.encode()


def _serve(host: str, pages: int, ready: multiprocessing.Queue) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionResetError):
                break
            path = head.split(b" ", 2)[1].decode()
            match = re.fullmatch(r"/p/(\d+)\.html", path)
            if path == "/":
                status, body = "200 OK", _page(-1, pages)
            elif match and int(match.group(1)) < pages:
                status, body = "200 OK", _page(int(match.group(1)), pages)
            else:
                status, body = "404 Not Found", b"<h1>Niet gevonden</h1>"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, host, 0, backlog=512)
        ready.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    try:
        asyncio.run(main())
    except (asyncio.IncompleteReadError, ConnectionResetError):
        pass


def start_sites(count: int, pages: int) -> tuple[list[str], list[multiprocessing.Process]]:
    bases, processes = [], []
    for i in range(count):
        host = f"127.0.0.{101 + i}"
        ready: multiprocessing.Queue = multiprocessing.Queue()
        process = multiprocessing.Process(target=_serve, args=(host, pages, ready), daemon=True)
        process.start()
        bases.append(f"http://{host}:{ready.get(timeout=10)}")
        processes.append(process)
    return bases, processes


# --------------------------------------------------------------------------------- crawls


class BareSpider(scrapy.Spider):
    """Follows every same-site link and discards the responses."""

    name = "bare"

    def __init__(self, bases: str = "", **kwargs):
        super().__init__(**kwargs)
        self.bases = bases.split(",")
        self.allowed_domains = [re.sub(r"^http://|:\d+$", "", b) for b in self.bases]

    async def start(self):
        for base in self.bases:
            yield scrapy.Request(base + "/")

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href)

    def closed(self, reason):
        stats = self.crawler.stats.get_stats()
        start = stats["start_time"]
        elapsed = (datetime.now(start.tzinfo) - start).total_seconds()
        Path(self.crawler.settings["BENCH_STATS_FILE"]).write_text(
            json.dumps({**stats, "elapsed_time_seconds": elapsed}, default=str)
        )


def _peak_rss_while(process: subprocess.Popen) -> int:
    """Peak resident set (bytes) of a running child, from /proc/<pid>/status VmHWM."""
    peak = 0
    while process.poll() is None:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) * 1024)
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            break
        time.sleep(0.05)
    return peak


def run_bare(bases: list[str], concurrency: dict[str, str]) -> dict:
    stats_file = Path(tempfile.mkdtemp()) / "stats.json"
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        __file__,
        "-a",
        "bases=" + ",".join(bases),
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        "TELNETCONSOLE_ENABLED=False",
        "-s",
        "REMOTE_CONTROL_ENABLED=False",
        "-s",
        "ROBOTSTXT_OBEY=False",
        "-s",
        "COOKIES_ENABLED=False",
        "-s",
        f"BENCH_STATS_FILE={stats_file}",
    ]
    for key, value in concurrency.items():
        command += ["-s", f"{key}={value}"]
    started = time.monotonic()
    # Outside the project folder and without SCRAPY_SETTINGS_MODULE: Scrapy's defaults only.
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    process = subprocess.Popen(
        command,
        cwd=stats_file.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = _peak_rss_while(process)
    wall = time.monotonic() - started
    stats = json.loads(stats_file.read_text())
    return {
        "pages": stats.get("response_received_count", 0),
        "seconds": stats["elapsed_time_seconds"],
        "wall": wall,
        "peak_rss": peak,
    }


def bench_workspace(bases: list[str]) -> Workspace:
    """A fresh workspace in a temporary folder with one institution per site."""
    workspace = Workspace(Path(tempfile.mkdtemp()) / "ws")
    db = workspace.open()
    csv_path = workspace.path / "institutions.csv"
    rows = ["name,funded,website"] + [f"Bench {i},bekostigd,{b}/" for i, b in enumerate(bases)]
    csv_path.write_text("\n".join(rows) + "\n")
    import_institutions(db, csv_path)
    db.close()
    return workspace


def run_full(bases: list[str], pages: int, delay: float, concurrency: dict[str, str]) -> dict:
    workspace = bench_workspace(bases)
    settings = {
        "WEBSEARCH_MAX_PER_PATTERN": str(pages * 2),
        "WEBSEARCH_MAX_DEPTH": "50",
        "LOG_LEVEL": "INFO",
        "WEBSEARCH_DEFAULT_SITEMAP": "False",
        **concurrency,
    }
    options = CrawlOptions(delay=delay, max_pages=pages + 10, render="never", settings=settings)
    peak = {"rss": 0}
    stop = threading.Event()
    started = time.monotonic()
    watcher = threading.Thread(target=_watch_children, args=(peak, stop), daemon=True)
    watcher.start()
    result = run_round(workspace, "bench", None, options=options)
    wall = time.monotonic() - started
    stop.set()
    watcher.join()
    db = workspace.open()
    fetched = next(db.query("SELECT COUNT(*) AS n FROM pages WHERE kind = 'page'"))["n"]
    stats = [json.loads(r["stats"]) for r in db.query("SELECT stats FROM crawls")]
    db.close()
    elapsed = _elapsed_from_log(result.log_path) or wall
    warc_bytes = sum(p.stat().st_size for p in (workspace.path / "warc").rglob("*.warc.gz"))
    return {
        "pages": fetched,
        "seconds": elapsed,
        "wall": wall,
        "peak_rss": peak["rss"],
        "log": str(result.log_path),
        "workspace": str(workspace.path),
        "warc_bytes": warc_bytes,
        "health": [str(r.health) for r in result.records],
        "requests_per_site": [s.get("responses", 0) for s in stats],
    }


def _watch_children(peak: dict, stop: threading.Event) -> None:
    """Peak VmHWM of the crawl process (crawler.child) started by run_round."""
    me = os.getpid()
    while not stop.is_set():
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                status = (proc / "status").read_text()
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            # run_round's child runs `python -P -m crawler.child ... crawl offers`
            if re.search(rf"PPid:\s+{me}\b", status) and "crawler.child" in cmdline:
                hwm = re.search(r"VmHWM:\s+(\d+)", status)
                if hwm:
                    peak["rss"] = max(peak["rss"], int(hwm.group(1)) * 1024)
        time.sleep(0.1)


def _elapsed_from_log(log_path: Path) -> float | None:
    match = re.search(r"'elapsed_time_seconds': ([\d.]+)", log_path.read_text(errors="replace"))
    return float(match.group(1)) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=5)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--concurrency-per-site", type=int, default=8)
    parser.add_argument(
        "--setting",
        "-s",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra Scrapy setting for both crawls (repeatable)",
    )
    parser.add_argument(
        "--full-only",
        action="store_true",
        help="skip the bare spider (memory runs at 10,000 / 30,000 pages)",
    )
    args = parser.parse_args()
    concurrency = {
        "CONCURRENT_REQUESTS": "32",
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(args.concurrency_per_site),
        **dict(item.split("=", 1) for item in args.setting),
    }
    bases, servers = start_sites(args.sites, args.pages)
    try:
        if args.delay:
            polite(bases, args, concurrency)
        else:
            compare(bases, args, concurrency)
    finally:
        for server in servers:
            server.terminate()


def compare(bases: list[str], args: argparse.Namespace, concurrency: dict[str, str]) -> None:
    bare = None if args.full_only else run_bare(bases, concurrency)
    full = run_full(bases, args.pages, 0.0, concurrency)
    mib = 1024 * 1024
    print(f"sites x pages: {args.sites} x {args.pages} (politeness off)")
    runs = (
        [("full pipeline", full)]
        if bare is None
        else [("bare spider", bare), ("full pipeline", full)]
    )
    for name, r in runs:
        print(
            f"{name:14s} {r['pages']:7d} pages in {r['seconds']:7.1f} s = "
            f"{r['pages'] / r['seconds']:7.1f} pages/s; peak RSS {r['peak_rss'] / mib:6.1f} MiB"
        )
    if bare is None:
        return
    ratio = (full["pages"] / full["seconds"]) / (bare["pages"] / bare["seconds"])
    print(
        f"full/bare: {ratio:.2f} (target >= 0.8); WARC bytes {full['warc_bytes']:,}; "
        f"health {sorted(set(full['health']))}"
    )


def polite(bases: list[str], args: argparse.Namespace, concurrency: dict[str, str]) -> None:
    full = run_full(bases, args.pages, args.delay, concurrency)
    # Every fetched response of a site (robots.txt, the home page and its pages) waits the delay.
    requests = max(full["requests_per_site"])
    bound = requests * args.delay
    print(f"sites x pages: {args.sites} x {args.pages}, --delay {args.delay}")
    print(
        f"crawl time {full['seconds']:.1f} s (process wall {full['wall']:.1f} s); bound "
        f"max over sites of (responses x delay) = {requests} x {args.delay} = {bound:.1f} s; "
        f"ratio {full['seconds'] / bound:.2f} (target <= 1.25); {full['pages']} pages"
    )


if __name__ == "__main__":
    main()
