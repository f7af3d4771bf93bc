"""Domain exceptions shared by every package (the CLI maps them to exit codes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One bad field in an input file: where it is and what is wrong with it."""

    path: str
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        if self.line == 0 and self.path.startswith("--"):  # a command-line option, no file
            return f"{self.path}: {self.problem}"
        return f"{self.path}:{self.line}: {self.column}: {self.problem}"


@dataclass
class InputError(Exception):
    """Bad input: every problem found in one file, so one run reports all bad rows."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(cls, path: str | Path, line: int, column: str, problem: str) -> InputError:
        return cls([Problem(str(path), line, column, problem)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class NotFound(Exception):
    """A named thing (round, institution, record) does not exist in the workspace."""
