"""Package a round's evidence as a WACZ file (opens in ReplayWeb.page), with the `wacz` package.

The round's WARC files go in, plus the earlier rounds' files that hold the originals of its
`revisit` records, so every page replays. Pages: every archived HTML page of the round.
"""

from __future__ import annotations

import io
import json
import tempfile
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator

from snapshots.store import evidence_warc_files

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


class WaczUnavailable(Exception):
    """The optional `wacz` package is not installed, or it failed."""


def evidence_files(workspace: Workspace, db: Database, round_label: str) -> list[Path]:
    """The round's WARC files and those holding the originals of its revisit records."""
    return sorted(workspace.path / f for f in evidence_warc_files(db, round_label))


def html_pages(paths: list[Path], round_files: set[Path]) -> list[dict[str, Any]]:
    """pages.jsonl entries (url, ts as recorded) for the HTML responses of the round's files."""
    pages = []
    for path in paths:
        if path not in round_files:
            continue
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "revisit") or record.http_headers is None:
                    continue
                kind = record.http_headers.get_header("Content-Type") or ""
                if "html" in kind and record.http_headers.get_statuscode() == "200":
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    pages.append(
                        {"url": url, "ts": record.rec_headers.get_header("WARC-Date"), "title": url}
                    )
    return pages


def write_wacz(workspace: Workspace, db: Database, round_label: str, out: Path) -> Path:
    """Write `out` (a .wacz) for one round; raises WaczUnavailable without the package."""
    try:
        from wacz.main import main as wacz_main
    except ImportError as exc:
        raise WaczUnavailable(
            "WACZ packaging needs the optional `wacz` package: pip install wacz"
        ) from exc
    paths = evidence_files(workspace, db, round_label)
    if not paths:
        raise WaczUnavailable(f"round {round_label!r} has no archived pages to package")
    round_files = {p for p in paths if p.parent.name == round_label}
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = Path(tmp) / "pages.jsonl"
        header = {
            "format": "json-pages-1.0",
            "id": "pages",
            "title": f"mbo-websearch {round_label}",
        }
        lines = [header, *html_pages(paths, round_files)]
        pages_file.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
        # WACZ keeps base names: link each file as <round>-<name> so rounds cannot collide
        inputs = []
        for path in paths:
            link = Path(tmp) / f"{path.parent.name}-{path.name}"
            link.symlink_to(path.resolve())
            inputs.append(str(link))
        log = io.StringIO()
        with redirect_stdout(log):
            code = wacz_main(
                [
                    "create",
                    "-o",
                    str(out),
                    "-p",
                    str(pages_file),
                    "--title",
                    f"mbo-websearch evidence, round {round_label}",
                    *inputs,
                ]
            )
    if code != 0 or not out.exists():
        raise WaczUnavailable(f"wacz create failed ({code}): {log.getvalue()[-500:]}")
    return out
