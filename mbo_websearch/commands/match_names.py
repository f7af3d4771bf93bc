"""`match-names [FILE|-]`: one course name per line in, CSV out."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from matcher.register import Register
from matcher.scoring import match_many
from mbo_websearch.errors import InputError, exit_codes
from mbo_websearch.options import workspace_from
from mbo_websearch.workspace import open_db


@exit_codes
def match_names(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="File with one name per line, or - for stdin.")] = "-",
) -> None:
    """Match course names onto certificate codes; CSV out: name,code,title,score,decision.

    Uses the latest imported register (or the embedded default). decision is auto, review
    or none.

    Example: printf 'Mbo-certificaat Helpende Plus\\n' | mbo-websearch match-names -
    """
    if file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(file, 1, "-", "not UTF-8; save the file as UTF-8") from exc
        except OSError as exc:
            raise InputError.single(file, 0, "-", f"cannot read file: {exc.strerror}") from exc
    names = [line.strip() for line in text.splitlines() if line.strip()]
    register = Register.from_db(open_db(workspace_from(ctx)))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "code", "title", "score", "decision"])
    for result in match_many(names, register):
        writer.writerow([result.name, result.code or "", result.title or "",
                         f"{result.score:.1f}", result.decision.value])
