"""`serve`: the analysts' review web app (and OpenRefine reconciliation service)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Annotated

import typer

from mbo_websearch.errors import InputError, exit_codes
from mbo_websearch.options import workspace_from
from mbo_websearch.rounds import ensure_reviewable
from mbo_websearch.workspace import open_db
from snapshots.store import list_rounds
from snapshots.workspace import Workspace

MIN_TOKEN_LENGTH = 12


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Refuse to expose the app beyond this computer without a token."""
    if is_loopback(host):
        return
    if not token:
        raise InputError.single(
            "--host",
            0,
            "host",
            f"{host} is reachable from other computers: give --token (or "
            "MBO_WEBSEARCH_TOKEN) so only analysts with the token can review, e.g. "
            "--token $(python3 -c 'import secrets; print(secrets.token_urlsafe())')",
        )
    if len(token) < MIN_TOKEN_LENGTH:
        raise InputError.single(
            "--token", 0, "token", f"use a token of at least {MIN_TOKEN_LENGTH} characters"
        )


def check_port_free(host: str, port: int) -> None:
    """Refuse, in one line and before anything starts, an address that is in use or not ours
    (uvicorn would log a traceback-like error and exit 3)."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise InputError.single(
                "--port",
                0,
                "port",
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; is another serve "
                "running? Choose another --port (0: any free port)",
            ) from exc


def _match_new_rounds(workspace: Workspace) -> None:
    """Rounds crawled but never matched would show an empty queue: match them first."""
    db = open_db(workspace)
    try:
        for label in [r.label for r in list_rounds(db)]:
            run = ensure_reviewable(workspace, db, label)
            if run is not None:
                typer.echo(
                    f"Matched round {label}: {run.pages} pages, {run.candidates} candidates.",
                    err=True,
                )
    finally:
        db.close()


@exit_codes
def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. 127.0.0.1 (default): this computer only. Any other "
            "address (e.g. 0.0.0.0) needs --token."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="MBO_WEBSEARCH_TOKEN",
            help="Access token. Analysts open http://HOST:PORT/?token=TOKEN once; the browser "
            "keeps it in a cookie. Scripts send 'Authorization: Bearer TOKEN'.",
        ),
    ] = None,
) -> None:
    """Start the review web app for analysts (Dutch pages, keyboard shortcuts).

    Per round it lists the matches the matcher is unsure about, most decisive first, with
    the archived page as evidence; decisions go to the decision log. The same server answers
    the OpenRefine Reconciliation Service API at /reconcile.

    By default it listens on 127.0.0.1, so only this computer can reach it. To let
    colleagues review over the network, listen on another address AND give a token: serve
    refuses to start on a non-loopback address without one.

    Exits 2 at once when the address is in use (another serve?) or cannot be used.

    Example: mbo-websearch serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import uvicorn

    from mbo_websearch.review import create_app

    check_binding(host, token)
    check_port_free(host, port)
    _match_new_rounds(workspace_from(ctx))
    app = create_app(workspace_from(ctx), token=token)
    typer.echo(f"Review app for {workspace_from(ctx).path}: Ctrl+C stops it.", err=True)
    if token:
        typer.echo(
            f"Analysts open http://{host}:{port}/?token={token} once (host: this "
            "computer's name or address).",
            err=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
