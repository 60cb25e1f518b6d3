"""The engine's one error hierarchy: scenario errors with positions, illegal orders, bad saves."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario or mod file."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ScenarioError(EngineError):
    """A scenario or mod file is invalid; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Problem]]]:
        # rebuilt from its problems when it crosses a process boundary (batch workers)
        return (type(self), (self.problems,))


class IllegalOrder(EngineError):
    """An order breaks a rule; ``rule`` names the rule, the message says how."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.detail = message
        super().__init__(f"illegal order ({rule}): {message}")

    def __reduce__(self) -> tuple[type[IllegalOrder], tuple[str, str]]:
        return (type(self), (self.rule, self.detail))


class SaveError(EngineError):
    """A saved game or order log cannot be read."""


class TurnFileError(SaveError):
    """A play-by-e-mail turn file cannot be written, read or trusted (see :mod:`engine.pbem`)."""


class ScenarioChanged(SaveError):
    """A save's scenario (or one of its mods) changed since the game was saved.

    ``changes`` says what changed, as far as the save can tell: the files that differ and the
    sections of the scenario whose data differs. The save's order log may still be replayed on
    the current files (:func:`engine.save.replay_on_current`).
    """

    def __init__(self, message: str, changes: list[str]) -> None:
        self.changes = list(changes)
        super().__init__(message)

    def __reduce__(self) -> tuple[type[ScenarioChanged], tuple[str, list[str]]]:
        return (type(self), (str(self), self.changes))
