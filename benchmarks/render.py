"""Rendering benchmark: N script-built sites x M pages on loopback, `--render always` vs `never`.

    .venv/bin/python benchmarks/render.py --sites 8 --pages 60
    .venv/bin/python benchmarks/render.py --mix --sites 10 --pages 40 --delay 0.5

Each site is served by its own process on its own 127.0.0.x address. A script-built page is
an empty `<div id="app">` shell whose inline script fetches `/api/N.json` and builds the
course text and links from it; every site also serves a sitemap.xml listing all its pages, so
`never` fetches as many pages (the shells) as `always` renders.

Default: the same sites are crawled with `--render always` and `--render never` (full
pipeline through `crawler.runner.run_round`); it prints pages/s, wall time and the peak memory
of the whole crawl, and the ratios. Memory is the summed PSS of the Scrapy process and every
Chromium process, sampled every 0.2 s (summed RSS would count Chromium's shared memory once
per process). Targets (2-core machine): `always` >= 3x the pages/s measured before
per-institution contexts; peak memory < 1.5 GB.

--mix: a fifth of the sites are script-built, the others static; the mix is crawled with
`--render auto` and with `--render never`, and their wall times compared (target: auto
within 1.5x of never).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.crawl import bench_workspace  # noqa: E402
from crawler.runner import CrawlOptions, run_round  # noqa: E402

FILLER = "Praktijkgerichte cursus voor werkenden met een landelijk erkend mbo-certificaat. " * 6
MIB = 1024 * 1024

# --------------------------------------------------------------------------------- servers


def _children(n: int, pages: int) -> list[int]:
    first = 0 if n < 0 else 3 * n + 1
    return list(range(first, min(first + 3, pages)))


def _static_page(n: int, pages: int) -> bytes:
    links = "".join(f'<li><a href="/p/{k}.html">Cursus {k}</a></li>' for k in _children(n, pages))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cursus {n}</title></head>"
        f"<body><h1>Cursus {n}</h1><p>{FILLER}</p><ul>{links}</ul></body></html>"
    ).encode()


_SHELL_SCRIPT = """
fetch('/api/' + document.body.dataset.page + '.json').then(r => r.json()).then(data => {
  const app = document.getElementById('app');
  const h1 = document.createElement('h1'); h1.textContent = data.title; app.appendChild(h1);
  const p = document.createElement('p'); p.textContent = data.text; app.appendChild(p);
  const ul = document.createElement('ul');
  for (const k of data.links) {
    const li = document.createElement('li'); const a = document.createElement('a');
    a.href = '/p/' + k + '.html'; a.textContent = 'Cursus ' + k; li.appendChild(a);
    ul.appendChild(li);
  }
  app.appendChild(ul);
});
"""


def _shell_page(n: int) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cursussen</title>"
        f"<link rel='icon' href='/favicon.png'></head><body data-page='{n}'>"
        f"<div id='app'></div><img src='/logo.png' alt=''>"
        f"<script>{_SHELL_SCRIPT}</script></body></html>"
    ).encode()


def _api(n: int, pages: int) -> bytes:
    data = {"title": f"Cursus {n}", "text": FILLER, "links": _children(n, pages)}
    return json.dumps(data).encode()


def _sitemap(base: str, pages: int) -> bytes:
    urls = "".join(f"<url><loc>{base}/p/{k}.html</loc></url>" for k in range(pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def _reply(path: str, base: str, pages: int, scripted: bool) -> tuple[str, str, bytes]:
    html = "text/html; charset=utf-8"
    match = re.fullmatch(r"/(p|api)/(\d+)\.(html|json)", path)
    n = int(match.group(2)) if match else -1
    if path == "/sitemap.xml":
        return "200 OK", "application/xml", _sitemap(base, pages)
    if path == "/" or (match and match.group(1) == "p" and n < pages):
        n = -1 if path == "/" else n
        return "200 OK", html, _shell_page(n) if scripted else _static_page(n, pages)
    if match and match.group(1) == "api" and scripted:
        return "200 OK", "application/json", _api(n, pages)
    if path.endswith(".png"):
        return "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 2048
    return "404 Not Found", html, b"<h1>Niet gevonden</h1>"


def _serve(host: str, pages: int, scripted: bool, ready: multiprocessing.Queue) -> None:
    base: dict[str, str] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.LimitOverrunError):
                break
            path = head.split(b" ", 2)[1].decode().split("?", 1)[0]
            status, ctype, body = _reply(path, base["url"], pages, scripted)
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            try:
                await writer.drain()
            except ConnectionResetError:
                break
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, host, 0, backlog=512)
        port = server.sockets[0].getsockname()[1]
        base["url"] = f"http://{host}:{port}"
        ready.put(port)
        await server.serve_forever()

    try:
        asyncio.run(main())
    except (asyncio.IncompleteReadError, ConnectionResetError):
        pass


def start_sites(
    count: int, pages: int, scripted: list[bool]
) -> tuple[list[str], list[multiprocessing.Process]]:
    bases, processes = [], []
    for i in range(count):
        host = f"127.0.0.{151 + i}"
        ready: multiprocessing.Queue = multiprocessing.Queue()
        process = multiprocessing.Process(
            target=_serve, args=(host, pages, scripted[i], ready), daemon=True
        )
        process.start()
        bases.append(f"http://{host}:{ready.get(timeout=10)}")
        processes.append(process)
    return bases, processes


# --------------------------------------------------------------------------------- memory


def _tree(root: int) -> list[int]:
    """root and all its descendants, from /proc/<pid>/stat parent links."""
    parents: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(proc.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss(pid: int) -> int:
    """Proportional set size: shared pages split between the processes sharing them (summed
    RSS counts Chromium's shared libraries and shared memory once per process)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+)", rollup, re.M)
    return int(match.group(1)) * 1024 if match else 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _role(pid: int) -> str:
    """What a process of the crawl's tree is: the Scrapy crawl, Playwright's driver, or a
    Chromium process by its --type (the browser process has none)."""
    try:
        # Chromium rewrites its command line into one space-separated string
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().split()
    except (OSError, UnicodeDecodeError):
        return "gone"
    if not argv:
        return "gone"  # a zombie: already counted while it ran
    program = argv[0].rsplit("/", 1)[-1]
    if program.startswith("python"):
        crawl = {"scrapy", "crawler.child"} & set(argv)
        return "python (scrapy crawl)" if crawl else "python (benchmark's site servers)"
    if program == "node":
        return "node (playwright driver)"
    if "chrom" not in program:
        return program
    options = dict(arg.split("=", 1) for arg in argv[1:] if arg.startswith("--") and "=" in arg)
    kind = options.get("--type", "browser")
    if "--utility-sub-type" in options:
        kind += " " + options["--utility-sub-type"].split(".")[0]
    return f"chromium {kind}"


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _watch_tree(peak: dict, stop: threading.Event) -> None:
    """Peak of the summed PSS of the crawl's process tree (Scrapy child + Chromium), and the
    CPU seconds of each of its processes (last sample: a process's final 0.2 s may be missed)."""
    me = os.getpid()
    roles: dict[int, str] = {}
    cpu: dict[int, float] = {}
    while not stop.is_set():
        pids = [pid for pid in _tree(me) if pid != me]
        peak["rss"] = max(peak["rss"], sum(_pss(pid) for pid in pids))
        for pid in pids:
            seconds = _cpu_seconds(pid)
            if seconds is None:
                continue
            cpu[pid] = seconds
            # read each time: a renderer forked from the zygote shows its own --type later
            role = _role(pid)
            if role != "gone":
                roles[pid] = role
        time.sleep(0.2)
    by_role: dict[str, float] = {}
    for pid, seconds in cpu.items():
        role = roles.get(pid, "unknown")
        by_role[role] = by_role.get(role, 0.0) + seconds
    peak["cpu_by_role"] = by_role


# --------------------------------------------------------------------------------- crawls


def run_crawl(
    bases: list[str], pages: int, render: str, delay: float, extra: dict[str, str]
) -> dict:
    workspace = bench_workspace(bases)
    settings = {
        "WEBSEARCH_MAX_PER_PATTERN": str(pages * 2),
        "WEBSEARCH_MAX_DEPTH": "50",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    options = CrawlOptions(delay=delay, max_pages=pages + 10, render=render, settings=settings)
    peak = {"rss": 0}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_tree, args=(peak, stop), daemon=True)
    watcher.start()
    started = time.monotonic()
    cpu_before = _children_cpu()
    result = run_round(workspace, "bench", None, options=options)
    wall = time.monotonic() - started
    cpu = _children_cpu() - cpu_before
    stop.set()
    watcher.join()
    db = workspace.open()
    fetched = next(db.query("SELECT COUNT(*) AS n FROM pages WHERE kind = 'page'"))["n"]
    rendered = next(db.query("SELECT COUNT(*) AS n FROM pages WHERE rendered = 1"))["n"]
    plain_twins = next(
        db.query(
            "SELECT COUNT(*) AS n FROM pages a JOIN pages b ON a.url = b.url "
            "AND a.rendered = 0 AND b.rendered = 1 AND a.kind = 'page'"
        )
    )["n"]
    db.close()
    elapsed = _elapsed_from_log(result.log_path) or wall
    return {
        "render": render,
        "pages": fetched,
        "rendered": rendered,
        "fetched_twice": plain_twins,
        "seconds": elapsed,
        "wall": wall,
        "cpu": cpu,
        "peak_rss": peak["rss"],
        "cpu_by_role": peak.get("cpu_by_role", {}),
        "health": sorted({str(r.health) for r in result.records}),
        "log": str(result.log_path),
    }


def _children_cpu() -> float:
    """CPU seconds of every waited-for descendant: the crawl process and, through it, the
    Playwright driver and every Chromium process (the site servers are not waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _elapsed_from_log(log_path: Path) -> float | None:
    match = re.search(r"'elapsed_time_seconds': ([\d.]+)", log_path.read_text(errors="replace"))
    return float(match.group(1)) if match else None


def _line(r: dict) -> str:
    return (
        f"{r['render']:7s} {r['pages']:5d} pages ({r['rendered']} rendered, "
        f"{r['fetched_twice']} fetched twice) in {r['seconds']:6.1f} s "
        f"(wall {r['wall']:6.1f} s) = {r['pages'] / r['seconds']:6.1f} pages/s, "
        f"{1000 * r['cpu'] / max(r['pages'], 1):5.0f} ms CPU/page; "
        f"peak memory {r['peak_rss'] / MIB:7.1f} MiB; health {r['health']}"
    )


def _cpu_lines(r: dict) -> str:
    """CPU per page by process role, biggest first."""
    pages = max(r["pages"], 1)
    parts = sorted(r["cpu_by_role"].items(), key=lambda kv: -kv[1])
    parts.append(("all processes, sampled", sum(r["cpu_by_role"].values())))
    return "\n".join(
        f"    {role:34s} {1000 * seconds / pages:6.1f} ms CPU/page" for role, seconds in parts
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--mix", action="store_true", help="a fifth script-built: auto vs never")
    parser.add_argument(
        "--only-rendered", action="store_true", help="skip the `never` crawl (profiling runs)"
    )
    parser.add_argument(
        "--setting",
        "-s",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra Scrapy setting for both crawls (repeatable)",
    )
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.setting)
    if args.mix:
        scripted = [i % 5 == 0 for i in range(args.sites)]
    else:
        scripted = [True] * args.sites
    bases, servers = start_sites(args.sites, args.pages, scripted)
    try:
        label = f"{args.sites} sites x {args.pages} pages, --delay {args.delay}"
        if args.mix:
            auto = run_crawl(bases, args.pages, "auto", args.delay, extra)
            never = run_crawl(bases, args.pages, "never", args.delay, extra)
            print(f"{label}; {sum(scripted)} of {args.sites} sites script-built")
            print(_line(never))
            print(_line(auto))
            print(_cpu_lines(auto))
            print(
                f"auto/never wall time: {auto['wall'] / never['wall']:.2f} (target <= 1.5); "
                f"peak memory {auto['peak_rss'] / MIB:.0f} MiB (target < 1536)"
            )
        else:
            always = run_crawl(bases, args.pages, "always", args.delay, extra)
            print(f"{label}; every site script-built")
            print(_line(always))
            print(_cpu_lines(always))
            if args.only_rendered:
                return
            never = run_crawl(bases, args.pages, "never", args.delay, extra)
            print(_line(never))
            speed = (always["pages"] / always["seconds"]) / (never["pages"] / never["seconds"])
            print(
                f"always/never pages/s: {speed:.3f}; peak memory always/never: "
                f"{always['peak_rss'] / max(never['peak_rss'], 1):.1f}x "
                f"({always['peak_rss'] / MIB:.0f} MiB, target < 1536)"
            )
    finally:
        for server in servers:
            server.terminate()


if __name__ == "__main__":
    main()
