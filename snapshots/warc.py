"""WARC evidence files: one per round and institution, append-only, with revisit records."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Scrapy hands us decoded bodies: these headers would describe bytes we do not store.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
RENDERED_HEADER = "X-Websearch-Rendered"


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of `body` (sha1, base32), as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Stored:
    """Where a record landed: file offset and length in bytes (gzip member)."""

    offset: int
    length: int
    digest: str
    record_type: str
    date: str


@dataclass(frozen=True)
class Original:
    """The earlier record an unchanged payload refers to."""

    url: str
    date: str


class WarcArchive:
    """Appends records to one WARC file; safe to reopen after a crash.

    `valid_length` is the end of the last record the index knows about: anything after it is a
    record half-written (or written but never indexed) when the process died, and is cut off.
    """

    def __init__(
        self,
        path: Path,
        *,
        valid_length: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock or (lambda: datetime.now(UTC))
        mode = "r+b" if path.exists() else "w+b"
        self._fh = open(path, mode)  # noqa: SIM115 - kept open for the crawl
        if valid_length is not None and valid_length < self._size():
            self._fh.truncate(valid_length)
        self._fh.seek(0, os.SEEK_END)
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")

    def _size(self) -> int:
        return os.fstat(self._fh.fileno()).st_size

    def write_response(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        rendered: bool = False,
        original: Original | None = None,
    ) -> Stored:
        """Write a response (or, when `original` is given, a revisit pointing at it)."""
        date = warc_date(self._clock())
        digest = payload_digest(body)
        http_headers = StatusAndHeaders(
            f"{status} {_reason(status)}",
            [(k, v) for k, v in headers if k.lower() not in _DROPPED_HEADERS],
            protocol="HTTP/1.1",
        )
        warc_headers = {"WARC-Date": date}
        if rendered:
            warc_headers[RENDERED_HEADER] = "chromium"
        if original is not None:
            record = self._writer.create_revisit_record(
                url,
                digest,
                original.url,
                original.date,
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            record_type = "revisit"
        else:
            record = self._writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            record_type = "response"
        offset = self._fh.tell()
        self._writer.write_record(record)
        self._fh.flush()
        return Stored(offset, self._fh.tell() - offset, digest, record_type, date)

    def close(self) -> None:
        self._fh.close()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


@dataclass(frozen=True)
class ArchivedRecord:
    url: str
    record_type: str
    date: str
    status: int | None
    headers: list[tuple[str, str]]
    payload: bytes
    rendered: bool


def read_record(path: Path, offset: int) -> ArchivedRecord:
    """Read the one record that starts at `offset` in `path`."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        http = record.http_headers
        return ArchivedRecord(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            record_type=record.rec_type,
            date=record.rec_headers.get_header("WARC-Date"),
            status=int(http.get_statuscode()) if http else None,
            headers=list(http.headers) if http else [],
            payload=record.content_stream().read(),
            rendered=record.rec_headers.get_header(RENDERED_HEADER) is not None,
        )


def count_records(path: Path) -> int:
    """Read every record of `path` to the end (raises if the file is damaged)."""
    with open(path, "rb") as fh:
        count = 0
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            count += 1
        return count
