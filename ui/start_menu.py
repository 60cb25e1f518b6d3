"""What the start screen offers and what the player chose: scenarios, mods, sides, plans, seed.

No drawing here (``ui.start_scene`` draws it): the catalogue of every scenario folder under
``scenarios/`` with its title, dates, size and description, and of each scenario's mods with
their descriptions, what they change and, for a broken one, its ``file:line`` error; the
player's choices; and the game those choices make, or the error that stops it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from engine.errors import EngineError, ScenarioError
from engine.paths import SCENARIOS_DIR
from engine.scenario.loader import load_scenario
from engine.scenario.model import Scenario
from engine.scenario.schemes import scheme_mods
from engine.scenario.yamlsource import read_yaml

Who = Literal["first", "second", "hotseat", "watch", "pbem"]
"""Who plays in the window: the first side, the second, both (hot-seat), neither (watch), or
the first side against a friend by e-mail (``pbem``)."""
WHO: tuple[Who, ...] = ("first", "second", "hotseat", "watch", "pbem")
#: How many names a mod's change summary lists before it says "and N more".
NAMES_SHOWN = 4
#: The largest seed the start screen offers (any non-negative int works in the engine).
MAX_SEED = 999_999


@dataclass(frozen=True)
class ModInfo:
    """One mod file of a scenario, as the start screen lists it."""

    path: Path
    name: str
    description: str
    changes: tuple[str, ...]
    error: str | None = None
    """The first problem of a broken mod (``file:line:col: field: message``), else None."""


@dataclass(frozen=True)
class ScenarioInfo:
    """One scenario folder, as the start screen lists it."""

    path: Path
    folder: str
    name: str
    description: str
    start: dt.datetime | None
    turns: int
    units: int
    sides: tuple[str, ...]
    plans: dict[str, tuple[str, ...]]
    """Per side, the AI plans the scenario ships (``ai`` first: the scenario's default)."""
    mods: tuple[ModInfo, ...]
    error: str | None = None
    default_plans: dict[str, str] = field(default_factory=dict)
    """Per side, the plan the ``ai`` player follows in this scenario."""
    seed: int | None = None
    """The scenario's own seed (played when the player gives none)."""
    scheme: str = "plans"
    """The victory scheme that decides its games unless the player picks the other."""

    def plan_label(self, side: str, plan: str) -> str:
        """A plan as the screen shows it: ``ai`` names the scenario's default plan."""
        if plan == "ai" and side in self.default_plans:
            return f"default ({self.default_plans[side]})"
        return plan

    def mod_label(self, mod: ModInfo) -> str:
        """A mod's name without the scenario's own name in front (``a dry August``)."""
        short = self.name.split(":", 1)[0].strip()
        head, sep, rest = mod.name.partition(":")
        return rest.strip() if sep and head.strip() == short and rest.strip() else mod.name

    @property
    def last_day(self) -> dt.date | None:
        """The date of the scenario's last turn."""
        if self.start is None:
            return None
        return (self.start + dt.timedelta(days=self.turns - 1)).date()


def _first_problem(exc: ScenarioError) -> str:
    return str(exc.problems[0]) if exc.problems else str(exc)


def _leading_comment(path: Path) -> str:
    """The comment block at the top of a YAML file, as one paragraph."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(s for s in lines if s)


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:NAMES_SHOWN])
    more = len(items) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def change_summary(mod: dict[str, Any]) -> tuple[str, ...]:
    """What a mod's sections do, in words: ``removes events broadcast, ...``, ``sets turns``."""
    out = []
    for section, ids in (mod.get("remove") or {}).items():
        out.append(f"removes {section} {_names([str(i) for i in ids or ()])}")
    for section, items in (mod.get("add") or {}).items():
        ids = [str(i.get("id", "?")) if isinstance(i, dict) else str(i) for i in items or ()]
        out.append(f"adds {section} {_names(ids)}")
    sets = list((mod.get("set") or {}).items())
    if sets:
        out.append("sets " + _names([f"{k} = {v}" for k, v in sets]))
    uncertain = list(mod.get("uncertain") or {})
    if uncertain:
        out.append("draws in every game " + _names(uncertain))
    return tuple(out)


def mod_info(path: Path) -> ModInfo:
    """Read one mod file for the list: its name, description, changes and validity."""
    try:
        data, _smap = read_yaml(path, path.name)
    except ScenarioError as exc:
        return ModInfo(path, path.stem, "", (), _first_problem(exc))
    data = data if isinstance(data, dict) else {}
    name = str(data.get("name") or path.stem)
    description = str(data.get("description") or "").strip() or _leading_comment(path)
    error = None
    try:
        load_scenario(path)
    except ScenarioError as exc:
        error = _first_problem(exc)
    return ModInfo(path, name, " ".join(description.split()), change_summary(data), error)


def scenario_info(folder: Path) -> ScenarioInfo:
    """Read one scenario folder for the list (and its mods)."""
    mods = tuple(mod_info(p) for p in sorted((folder / "mods").glob("*.yaml")))
    try:
        scenario = load_scenario(folder)
    except ScenarioError as exc:
        return ScenarioInfo(
            folder, folder.name, folder.name, "", None, 0, 0, (), {}, mods, _first_problem(exc)
        )
    plans = {side: ("ai", *sorted(scenario.ai.plans.get(side, {}))) for side in scenario.side_order}
    return ScenarioInfo(
        path=folder,
        folder=folder.name,
        name=scenario.name,
        description=" ".join((scenario.description or "").split()),
        start=scenario.start,
        turns=scenario.turns,
        units=len(scenario.units),
        sides=tuple(scenario.side_order),
        plans=plans,
        mods=mods,
        default_plans=dict(scenario.ai.default),
        seed=scenario.seed,
        scheme=scenario.victory.scheme,
    )


def catalogue(root: Path = SCENARIOS_DIR) -> list[ScenarioInfo]:
    """Every scenario folder under ``root`` (those with a ``scenario.yaml``), by folder name."""
    folders = sorted(p for p in root.iterdir() if (p / "scenario.yaml").is_file())
    return [scenario_info(p) for p in folders]


@dataclass
class GameSetup:
    """A game the start screen's choices make: what ``ui.launch`` needs to open it."""

    scenario: Scenario
    mods: list[str]
    seed: int
    humans: list[str]
    plans: dict[str, str]
    fog: bool = True
    folder: str = ""
    """The scenario's folder (a reference its saves load it by)."""
    pbem: bool = False
    """By e-mail: the first side's turn is played here and its turn file written."""


#: The victory schemes the start screen offers (None: the scenario's own).
VICTORY_CHOICES: tuple[str | None, ...] = (None, "plans", "graded")


@dataclass
class StartChoices:
    """The player's choices on the start screen."""

    scenarios: list[ScenarioInfo]
    scenario: int = 0
    mods: set[int] = field(default_factory=set)
    """Indices into the chosen scenario's mods, applied in list order."""
    who: Who = "first"
    plans: dict[str, int] = field(default_factory=dict)
    """Per side, the index into its plans (0: the scenario's default AI)."""
    seed: int | None = None
    """None: the scenario's own seed."""
    fog: bool = True
    """Fog of war: each side sees only what its units see (off: every side sees everything)."""
    victory: str | None = None
    """The victory scheme that decides the game (None: the scenario's own; docs/rules.md)."""

    @property
    def info(self) -> ScenarioInfo:
        """The chosen scenario."""
        return self.scenarios[self.scenario]

    def choose_scenario(self, index: int) -> None:
        """Pick a scenario; the mods and plans chosen for the last one are cleared."""
        if index != self.scenario:
            self.scenario = index % len(self.scenarios)
            self.mods.clear()
            self.plans.clear()

    def toggle_mod(self, index: int) -> str | None:
        """Add or take away a mod; a broken one cannot be added (returns its error)."""
        mod = self.info.mods[index]
        if index in self.mods:
            self.mods.discard(index)
            return None
        if mod.error is not None:
            return mod.error
        self.mods.add(index)
        return None

    def plan_of(self, side: str) -> str:
        """The AI plan chosen for a side."""
        names = self.info.plans.get(side, ("ai",))
        return names[self.plans.get(side, 0) % len(names)]

    def cycle_plan(self, side: str, step: int = 1) -> None:
        """The next (or previous) AI plan for a side."""
        count = len(self.info.plans.get(side, ("ai",)))
        self.plans[side] = (self.plans.get(side, 0) + step) % count

    def cycle_who(self, step: int = 1) -> None:
        """The next (or previous) way of dividing the sides between the window and the AI."""
        self.who = WHO[(WHO.index(self.who) + step) % len(WHO)]

    def humans(self) -> list[str]:
        """The sides played in the window."""
        sides = list(self.info.sides)
        if not sides:
            return []
        return {
            "first": sides[:1],
            "second": sides[1:2],
            "hotseat": sides,
            "watch": [],
            "pbem": sides[:1],
        }[self.who]

    def cycle_victory(self, step: int = 1) -> None:
        """The next (or previous) victory scheme: the scenario's own, plans, graded."""
        k = VICTORY_CHOICES.index(self.victory)
        self.victory = VICTORY_CHOICES[(k + step) % len(VICTORY_CHOICES)]

    def random_seed(self, rng: random.Random | None = None) -> int:
        """Draw a new seed (shown, so the game can be played again)."""
        self.seed = (rng or random.Random()).randint(0, MAX_SEED)
        return self.seed

    def build(self) -> GameSetup:
        """The game these choices make.

        Raises:
            EngineError: the scenario or the mods together do not load (ScenarioError, its
                message ``file:line`` first), or a plan does not exist.
        """
        info = self.info
        if info.error is not None:
            raise EngineError(f"{info.folder} cannot be played: {info.error}")
        mods = [str(info.mods[k].path) for k in sorted(self.mods)]
        mods = scheme_mods(info.path, mods, self.victory)  # the scheme's shipped mod, if needed
        scenario = load_scenario(info.path, mods)
        seed = scenario.seed if self.seed is None else self.seed
        plans = {side: self.plan_of(side) for side in info.sides}
        return GameSetup(
            scenario, mods, seed, self.humans(), plans, self.fog, str(info.path), self.who == "pbem"
        )
