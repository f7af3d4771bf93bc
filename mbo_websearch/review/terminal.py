"""Terminal review: a quick pass over a round's queue with numbered choices.

Same queue, same decisions and log as the web app. Per item: 1-5 accept that code (add
"b" to flip b2b-only, e.g. "2b"; add "a" to apply it to the identical names at other
institutions, e.g. "1a"; text after a space is the note, e.g. "n privaat"), c another code
(search by code or title), n geen certificaattraject, s skip, u undo the previous decision
(says what it restored; a first decision is withdrawn and that name asked again), q stop.
Every decision is echoed as recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mbo_websearch.review.actions import Action, ActionError, Choice, Conflict, decide
from mbo_websearch.review.highlight import clean, terminal_text
from mbo_websearch.review.queue import QueueItem, latest_decision, load_queue
from mbo_websearch.review.search import search_register

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Register

Ask = Callable[[str], str]
Say = Callable[[str], None]
PROMPT = (
    "Keuze [1-5 accepteren (+b: b2b wisselen, +a: ook identieke namen), c andere code, "
    "n geen, s overslaan, u ongedaan, q stoppen; tekst na een spatie = notitie]"
)


@dataclass
class Summary:
    decided: int = 0
    skipped: int = 0
    undone: int = 0
    conflicts: int = 0


def show(item: QueueItem, position: int, total: int, say: Say) -> None:
    say("")
    say(f"[{position}/{total}] {clean(item.institution)} — {clean(item.name)}")
    say(f"  context: {terminal_text(item.context, item.name)}")
    if item.page_url:
        say(f"  pagina:  {clean(item.page_url)}")
    say(f"  b2b-only: {'ja (signaal op de pagina)' if item.b2b_cue else 'nee'}")
    for n, option in enumerate(item.options, start=1):
        say(f"  {n}) {option.code}  {option.score:5.1f}  {clean(option.title)}")


def _other_code(register: Register, ask: Ask, say: Say) -> str | None:
    query = ask("Code of titel").strip()
    hits = search_register(register, query)
    if hits and hits[0].code == query.upper():
        return hits[0].code
    if not hits:
        say("  niets gevonden")
        return None
    for n, hit in enumerate(hits, start=1):
        say(f"  {n}) {hit.code}  {clean(hit.title)}")
    picked = ask("Nummer (leeg = terug)").strip()
    return hits[int(picked) - 1].code if picked.isdigit() and 0 < int(picked) <= len(hits) else None


def _choice(
    answer: str, item: QueueItem, register: Register, ask: Ask, say: Say, note: str | None
) -> Choice | None:
    flip = answer.endswith("b") and answer[:-1].isdigit()
    number = answer[:-1] if flip else answer
    b2b = item.b2b_cue != flip
    if number.isdigit() and 0 < int(number) <= len(item.options):
        code = item.options[int(number) - 1].code
        return Choice(Action.accept, code=code, b2b_only=b2b, note=note)
    if answer == "n":
        return Choice(Action.none, note=note)
    if answer == "c":
        other = _other_code(register, ask, say)
        return (
            Choice(Action.accept, code=other, b2b_only=item.b2b_cue, note=note) if other else None
        )
    return None


def _split(raw: str) -> tuple[str, bool, str | None]:
    """ "1a zie detailpagina" -> ("1", apply to identical, "zie detailpagina")."""
    command, _, note = raw.strip().partition(" ")
    command = command.lower()
    to_all = len(command) > 1 and command.endswith("a") and command[:-1] not in ("", "q")
    return (command[:-1] if to_all else command), to_all, (note.strip() or None)


def _recorded(item: QueueItem, choice: Choice, applied: int, skipped: int) -> str:
    what = "geen certificaattraject" if choice.action == Action.none else str(choice.code)
    if choice.action == Action.accept and choice.b2b_only:
        what += " (alleen b2b)"
    line = f"  vastgelegd: {clean(item.name)} bij {clean(item.institution)} → {what}"
    if choice.note:
        line += f"; notitie: {clean(choice.note)}"
    if applied or skipped:
        line += f"; ook bij {applied} identieke namen ({skipped} al beslist, overgeslagen)"
    return line


def run(
    db: Database, register: Register, round_label: str, reviewer: str, *, ask: Ask, say: Say
) -> Summary:
    """Walk the open items of the round in impact order until done or stopped."""
    todo = list(load_queue(db, round_label).pending)
    history: list[tuple[QueueItem, int]] = []
    summary = Summary()
    total = len(todo)
    while todo:
        item = todo[0]
        seen = item.latest.id if item.latest else None
        current = latest_decision(db, round_label, item.key)
        if (current.id if current else None) != seen:
            todo.pop(0)  # another analyst decided it meanwhile
            continue
        show(item, total - len(todo) + 1, total, say)
        answer, to_all, note = _split(ask(PROMPT))
        if answer == "q":
            break
        if answer == "s":
            todo.pop(0)
            summary.skipped += 1
            continue
        if answer == "u":
            _undo(db, register, reviewer, history, todo, summary, say)
            continue
        choice = _choice(answer, item, register, ask, say, note)
        if choice is None:
            say("  ? onbekende keuze")
            continue
        try:
            outcome = decide(
                db,
                register,
                item,
                choice,
                reviewer=reviewer,
                expected_latest=seen,
                apply_to_identical=to_all,
            )
        except Conflict as conflict:
            who = conflict.current.reviewer if conflict.current else "iemand"
            say(f"  conflict: {clean(who)} heeft intussen beslist; overgeslagen")
            summary.conflicts += 1
            todo.pop(0)
            continue
        except ActionError as error:
            say(f"  {error}")
            continue
        say(_recorded(item, choice, outcome.applied_to_identical, outcome.skipped_identical))
        history.append((item, outcome.decision_id))
        summary.decided += 1 + outcome.applied_to_identical
        todo.pop(0)
        if outcome.applied_to_identical:  # decided along with it: not asked again
            todo = [
                other
                for other in todo
                if other.normalised_name != item.normalised_name
                or latest_decision(db, round_label, other.key) is None
            ]
    return summary


def _undo(
    db: Database,
    register: Register,
    reviewer: str,
    history: list[tuple[QueueItem, int]],
    todo: list[QueueItem],
    summary: Summary,
    say: Say,
) -> None:
    """Undo this session's previous decision: back to the one it replaced, or (a first
    decision) withdrawn, and then that name is asked again."""
    if not history:
        say("  niets om ongedaan te maken")
        return
    item, decision_id = history.pop()
    try:
        decide(
            db, register, item, Choice(Action.undo), reviewer=reviewer, expected_latest=decision_id
        )
    except (Conflict, ActionError) as error:
        say(f"  niet ongedaan gemaakt: {error}")
        return
    summary.undone += 1
    if latest_decision(db, item.round, item.key) is None:
        say("  ongedaan gemaakt: weer in de lijst, beslis opnieuw")
        todo.insert(0, replace(item, latest=None))
        return
    restored = latest_decision(db, item.round, item.key)
    assert restored is not None
    code = "geen certificaattraject" if restored.code == "none" else restored.code
    say(f"  ongedaan gemaakt: {clean(item.name)} bij {clean(item.institution)} is weer {code}")
