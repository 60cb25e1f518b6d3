"""When the key places fell in 1945: a scenario's ``history_dates.yaml``, read and checked.

The file sits beside a scenario's ``scenario.yaml`` (a mod finds the one of the scenario it
extends). It is not scenario data: no rule reads it. The batch report and the after-action
report set a game's capture days beside these dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from engine.errors import ScenarioError
from engine.paths import scenario_path
from engine.scenario.model import Scenario
from engine.scenario.mods import is_mod, mod_chain
from engine.scenario.yamlsource import read_yaml

HISTORY_FILE = "history_dates.yaml"


class HistoryDate(BaseModel):
    """When a place fell historically: a date or a span, what happened and the source."""

    model_config = ConfigDict(extra="forbid")

    first: dt.date
    last: dt.date
    event: str = ""
    source: str = ""


class HistoryFile(BaseModel):
    """The schema of a scenario's ``history_dates.yaml``."""

    model_config = ConfigDict(extra="forbid")

    places: dict[str, HistoryDate]


def scenario_folder(scenario_ref: str | Path) -> Path | None:
    """The folder of the base scenario under a scenario name, path or mod (None: not found).

    Raises:
        ScenarioError: a mod in the chain is unreadable or extends nothing that exists.
    """
    path = scenario_path(scenario_ref)
    if not path.is_file():
        return None
    data, smap = read_yaml(path)
    return (mod_chain(path, data, smap)[0] if is_mod(data) else path).parent


def read_history(scenario_ref: str | Path) -> dict[str, HistoryDate]:
    """The historical dates beside a scenario (none when it has no ``history_dates.yaml``).

    Raises:
        ScenarioError: the file is malformed (with its file, line and field).
    """
    folder = scenario_folder(scenario_ref)
    if folder is None or not (folder / HISTORY_FILE).exists():
        return {}
    data, smap = read_yaml(folder / HISTORY_FILE)
    try:
        return HistoryFile.model_validate(data).places
    except ValidationError as exc:
        from engine.scenario.loader import pydantic_problems

        raise ScenarioError(pydantic_problems(exc, smap, HistoryFile)) from None


def turn_of_date(scenario: Scenario, date: dt.date) -> int:
    """The turn whose day is ``date`` (turn 1 = the first day)."""
    for turn in range(1, scenario.turns + 2):
        if scenario.date_of_turn(turn).date() >= date:
            return turn
    return scenario.turns + 1
