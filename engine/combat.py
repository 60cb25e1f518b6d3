"""Combat: attack eligibility, an honest odds preview and the resolution of an attack.

The model (documented with every constant in ``docs/rules_parts/combat.md``):

* each unit's strength is its raw strength (men, tanks, guns) times a list of named
  :class:`Factor` multipliers (quality, readiness, supply, fuel; river for an attacker; terrain,
  fortification and entrenchment for a defender);
* the effective log-odds ``x = ln(A / D) + luck`` with ``luck ~ Normal(0, luck_sigma)`` picks one
  of four outcome bands; loss fractions are smooth functions of ``x``;
* :func:`preview` computes exactly the numbers :func:`resolve` uses: the same factors, the same
  totals, the outcome probabilities as exact normal CDF differences and expected losses by
  quadrature over the luck distribution. :func:`resolve` adds one random draw and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from engine.errors import IllegalOrder
from engine.log import Note
from engine.losses import take_losses
from engine.scenario.model import CombatRules, WorksRules
from engine.state import LOSS_KINDS, GameState, Unit
from engine.works import in_works, on_magazines
from engine.world import RIVER_CLASS_NAMES, World
from engine.zoc import (
    enemy_of,
    occupied,
    side_index,
    stack_points,
    unit_index,
    units_at,
    zone_of_control,
)

Outcome = Literal["attacker_repulsed", "defender_holds", "defender_retreats", "defender_routs"]
OUTCOMES: tuple[Outcome, ...] = (
    "attacker_repulsed",
    "defender_holds",
    "defender_retreats",
    "defender_routs",
)
OUTCOME_TEXT: dict[str, str] = {
    "attacker_repulsed": "attacker repulsed",
    "defender_holds": "defender holds",
    "defender_retreats": "defender retreats",
    "defender_routs": "defender routs",
}
Role = Literal["attacker", "defender"]

#: Hexes a defender must fall back for each outcome.
RETREAT_STEPS: dict[str, int] = {"defender_retreats": 1, "defender_routs": 2}
#: Quantiles of the luck distribution that bound the loss range shown in the preview.
LOSS_RANGE_QUANTILES: tuple[float, float] = (0.1, 0.9)
#: Standard-normal quantile of 0.9 (so 0.1 is its negative).
_Z90 = 1.2815515655446004
#: The quadrature ignores luck beyond this many standard deviations (mass < 1.3e-15).
_TAIL_SD = 8.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(24)
#: Factors intrinsic to a unit, left out of the one-line summary (they are in the preview).
_INTRINSIC = frozenset({"quality", "readiness"})
#: Factors that can apply to either side: the summary says whose they are.
_BOTH_ROLES = frozenset({"supply", "fuel"})


# ---------------------------------------------------------------- result models


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Factor(_Model):
    """One multiplier on one unit's combat strength."""

    name: str
    unit_id: str
    role: Role
    multiplier: float
    note: str = ""


class UnitStrength(_Model):
    """One unit's contribution to an attack or a defence."""

    unit_id: str
    name: str
    side: str
    role: Role
    hex: tuple[int, int]
    men: int
    tanks: int
    guns: int
    raw: float
    factors: list[Factor]
    strength: float


class OutcomeProbability(_Model):
    """Chance of one outcome and the band of effective log-odds that gives it (None: open)."""

    outcome: Outcome
    probability: float
    low: float | None = None
    high: float | None = None

    @property
    def label(self) -> str:
        """The outcome in words, as the log writes it (``defender routs``)."""
        return OUTCOME_TEXT[self.outcome]


class Losses(_Model):
    """Men, tanks and guns (expected values may be fractional)."""

    men: float = 0.0
    tanks: float = 0.0
    guns: float = 0.0


class LossEstimate(_Model):
    """Expected losses of one side and the range between the 10% and 90% luck quantiles."""

    side: str
    expected: Losses
    low: Losses
    high: Losses


class RetreatPlan(_Model):
    """Where a defender would fall back, as planned now."""

    unit_id: str
    steps: int
    path: list[tuple[int, int]]
    blocked_steps: int


class CombatPreview(_Model):
    """Everything that decides an attack before the dice: strengths, odds, outcome chances."""

    target: tuple[int, int]
    attacker_side: str
    defender_side: str
    attackers: list[UnitStrength]
    defenders: list[UnitStrength]
    attack_strength: float
    defence_strength: float
    odds: float
    log_odds: float
    luck_sigma: float
    outcomes: list[OutcomeProbability]
    expected_losses: dict[str, LossEstimate]
    retreat_plans: dict[str, list[RetreatPlan]]
    factors: list[Factor]

    def probability(self, outcome: Outcome) -> float:
        """Probability of one outcome."""
        return next(o.probability for o in self.outcomes if o.outcome == outcome)

    def odds_text(self) -> str:
        """The odds as wargamers write them: ``2.4:1`` or ``1:1.7``."""
        if self.odds >= 1.0:
            return f"{self.odds:.1f}:1"
        return f"1:{1.0 / self.odds:.1f}"


class UnitLoss(_Model):
    """What one unit lost in a combat."""

    unit_id: str
    side: str
    men: int
    tanks: int
    guns: int
    blocked_steps: int = 0
    destroyed: bool = False


class RetreatPath(_Model):
    """The hexes a defender fell back through (the first is the attacked hex)."""

    unit_id: str
    path: list[tuple[int, int]]
    blocked_steps: int


class CombatRecord(_Model):
    """The full account of a resolved attack."""

    preview: CombatPreview
    luck: float
    effective_log_odds: float
    outcome: Outcome
    unit_losses: list[UnitLoss]
    side_losses: dict[str, Losses]
    retreats: list[RetreatPath]
    destroyed: list[str]
    captured: tuple[int, int] | None
    advanced: str | None
    summary: str

    def note(self) -> Note:
        """The summary as a log line (kind ``combat``).

        Its side is the attacker's; its units the attackers, then the defenders; its hex the
        target.
        """
        p = self.preview
        return Note(
            self.summary,
            "combat",
            side=p.attacker_side,
            units=[s.unit_id for s in (*p.attackers, *p.defenders)],
            hexes=(p.target,),
        )


# ---------------------------------------------------------------- eligibility


def attack_targets(world: World, state: GameState, unit: Unit) -> list[int]:
    """Enemy-held hexes adjacent to ``unit`` that it may attack now, by hex index."""
    if not unit.on_map:
        return []
    enemy = occupied(world, state, enemy_of(world, unit.side))
    here = unit_index(world, unit)
    out = []
    for j in world.grid.neighbor_rows[here]:
        if j < 0 or not enemy[j]:
            continue
        try:
            check_attack(world, state, [unit], j)
        except IllegalOrder:
            continue
        out.append(j)
    return sorted(out)


def check_attack(world: World, state: GameState, attackers: list[Unit], target: int) -> None:
    """Check every rule of an attack; the state is never touched.

    Raises:
        IllegalOrder: with rule ``no_attackers``, ``attackers`` (a unit named twice),
            ``mixed_sides``, ``off_map``, ``not_on_map``, ``no_target``, ``not_adjacent``,
            ``already_attacked``, ``cease_fire``, ``paralysis``, ``no_strength`` or
            ``impassable``.
    """
    if not attackers:
        raise IllegalOrder("no_attackers", "an attack needs at least one unit")
    if len({u.id for u in attackers}) != len(attackers):
        raise IllegalOrder("attackers", "a unit is named twice among the attackers")
    side = attackers[0].side
    for u in attackers:
        if u.side != side:
            raise IllegalOrder(
                "mixed_sides", f"{u.name} ({u.side}) cannot attack alongside {side} units"
            )
    if not 0 <= target < world.grid.size:
        raise IllegalOrder("off_map", f"hex index {target} is off the map")
    col, row = world.coord(target)
    enemy = enemy_of(world, side)
    if not any(u.side == enemy for u in units_at(world, state, target)):
        raise IllegalOrder("no_target", f"there is no {enemy} unit at {col},{row}")
    cr = state.rules.combat
    for u in attackers:
        if not u.on_map:
            raise IllegalOrder("not_on_map", f"{u.name} is not on the map ({u.status})")
        here = unit_index(world, u)
        d = world.grid.direction(here, target)
        if d is None:
            raise IllegalOrder("not_adjacent", f"{u.name} is not adjacent to {col},{row}")
        if u.attacked:
            raise IllegalOrder("already_attacked", f"{u.name} has already attacked this turn")
        if u.cease_fire:
            raise IllegalOrder("cease_fire", f"{u.name} is under a cease-fire order")
        if u.paralysed_until >= state.turn and not u.paralysis_can_attack:
            raise IllegalOrder("paralysis", f"{u.name} is paralysed until turn {u.paralysed_until}")
        if u.men <= 0 or raw_strength(u, cr) <= 0.0:
            raise IllegalOrder("no_strength", f"{u.name} has no strength to attack with")
        if not np.isfinite(world.base_step_cost[u.movement_class][here, d]):
            raise IllegalOrder(
                "impassable",
                f"{u.name} ({u.movement_class}) cannot cross into {col},{row}",
            )


# ---------------------------------------------------------------- strength


def raw_strength(unit: Unit, rules: CombatRules) -> float:
    """Strength before any multiplier: weighted men (per 1000), tanks and guns."""
    return (
        unit.men / 1000.0 * rules.men_weight
        + unit.tanks * rules.tank_weight
        + unit.guns * rules.gun_weight
    )


def unit_strength(
    world: World, state: GameState, unit: Unit, role: Role, target: int
) -> UnitStrength:
    """A unit's strength in an attack on (or the defence of) hex ``target``, factor by factor."""
    raw = raw_strength(unit, state.rules.combat)
    factors = [
        Factor(name=name, unit_id=unit.id, role=role, multiplier=float(mult), note=note)
        for name, mult, note in _factors(world, state, unit, role, target)
    ]
    strength = raw
    for f in factors:
        strength *= f.multiplier
    assert unit.hex is not None
    return UnitStrength(
        unit_id=unit.id,
        name=unit.name,
        side=unit.side,
        role=role,
        hex=unit.hex,
        men=unit.men,
        tanks=unit.tanks,
        guns=unit.guns,
        raw=raw,
        factors=factors,
        strength=strength,
    )


def strength_value(world: World, state: GameState, unit: Unit, role: Role, target: int) -> float:
    """The number :func:`unit_strength` gives, without its explanation (for the AI's sums)."""
    strength = raw_strength(unit, state.rules.combat)
    for _name, mult, _note in _factors(world, state, unit, role, target):
        strength *= mult
    return strength


def attack_success(world: World, state: GameState, attackers: list[Unit], target: int) -> float:
    """Chance that the defender of ``target`` retreats or routs: the preview's figure, quickly.

    The same odds, luck and thresholds as :func:`preview`, without the loss and retreat
    estimates; the attack must be legal (:func:`check_attack` is not repeated here).
    """
    cr = state.rules.combat
    def_side = enemy_of(world, attackers[0].side)
    a_total = sum(strength_value(world, state, u, "attacker", target) for u in attackers)
    d_total = sum(
        strength_value(world, state, u, "defender", target)
        for u in units_at(world, state, target)
        if u.side == def_side
    )
    a_total *= engaged_share(world, state, target, a_total, d_total)
    mu = math.log(max(a_total, cr.min_strength) / max(d_total, cr.min_strength))
    return 1.0 - normal_cdf((cr.thresholds[1] - mu) / cr.luck_sigma)


def engaged_share(
    world: World, state: GameState, target: int, a_total: float, d_total: float
) -> float:
    """Share of the attack's strength the frontage of permanent works lets engage (else 1).

    Against works (:mod:`engine.works`) at most ``rules.works.max_odds`` times the defence can
    be brought to bear; the rest of the attackers wait their turn and take no losses.
    """
    if not in_works(world, state, target):
        return 1.0
    most = state.rules.works.max_odds * max(d_total, state.rules.combat.min_strength)
    return min(1.0, most / a_total) if a_total > 0 else 1.0


def _factors(
    world: World, state: GameState, unit: Unit, role: Role, target: int
) -> list[tuple[str, float, str]]:
    """Every multiplier on a unit's raw strength: (name, multiplier, note)."""
    cr = state.rules.combat
    factors: list[tuple[str, float, str]] = []

    def add(name: str, multiplier: float, note: str) -> None:
        factors.append((name, multiplier, note))

    add("quality", unit.quality, f"quality {unit.quality:.2f}")
    ready = cr.readiness_floor + (1.0 - cr.readiness_floor) * unit.readiness
    add("readiness", ready, f"readiness {unit.readiness:.2f}")
    if unit.supply.in_supply:
        add("supply", 1.0, "in supply")
    elif role == "defender" and on_magazines(world, state, target):
        add("supply", 1.0, "cut off, on the works' magazines")
    else:
        add("supply", state.rules.supply.out_of_supply_combat, "out of supply")
    if unit.fuelled and unit.fuel <= 0.0:
        add("fuel", cr.no_fuel_factor, "no fuel")
    else:
        add("fuel", 1.0, "fuelled" if unit.fuelled else "needs no fuel")
    if role == "attacker":
        here = unit_index(world, unit)
        d = world.grid.direction(here, target)
        code = int(world.river[here, d]) if d is not None else 0
        if code:
            cls = RIVER_CLASS_NAMES[code]
            name = world.river_names.get((min(here, target), max(here, target)), "")
            note = f"across {cls} river" + (f" ({name})" if name else "")
            add("river", world.scenario.rivers[cls].attack, note)  # type: ignore[index]
        else:
            add("river", 1.0, "no river")
    else:
        terrain = world.terrain_at(target)
        add("terrain", float(world.terrain_defense[world.terrain[target]]), terrain.name)
        level = int(world.fort_level[target])
        table = cr.fortification
        mult = table[min(level, len(table) - 1)] if table else 1.0
        fort_name = world.fort_names.get(target, "")
        note = f"fortification level {level}" + (f" ({fort_name})" if fort_name else "")
        add("fortification", mult, note)
        level_e = min(unit.entrenchment, cr.max_entrenchment)
        add("entrenchment", 1.0 + cr.entrenchment_step * level_e, f"entrenched {level_e}")
    return factors


# ---------------------------------------------------------------- outcome and loss maths


def normal_cdf(z: float) -> float:
    """Standard normal CDF."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def outcome_of(x: float, thresholds: tuple[float, float, float]) -> Outcome:
    """Outcome band of an effective log-odds (a value on a boundary goes to the upper band)."""
    band = sum(1 for t in thresholds if x >= t)
    return OUTCOMES[band]


def loss_fractions(x: np.ndarray, rules: CombatRules) -> dict[str, dict[str, np.ndarray]]:
    """Loss fractions of each role and kind at effective log-odds ``x`` (array)."""
    return {role: _role_fractions(x, rules, role) for role in ("attacker", "defender")}


def _role_fractions(x: np.ndarray, rules: CombatRules, role: Role) -> dict[str, np.ndarray]:
    """:func:`loss_fractions` of one role (what a side's losses need)."""
    x = np.asarray(x, dtype=np.float64)
    cap = rules.max_loss
    if role == "attacker":
        f = np.minimum(cap, rules.attacker_loss_base * np.exp(-rules.loss_slope * x))
    else:
        f = np.minimum(cap, rules.defender_loss_base * np.exp(rules.loss_slope * x))
    return {
        "men": f,
        "tanks": np.minimum(cap, f * rules.tank_loss_multiplier),
        "guns": np.minimum(cap, f * rules.gun_loss_multiplier),
    }


def allocate(total: np.ndarray, caps: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Share ``total`` (array over cases) among units in proportion to ``weights``, capped.

    Each unit gets ``min(cap_i, lam * w_i)`` with ``lam`` chosen so the shares add up to the
    total (water filling); units of zero weight share only what the others cannot hold, in
    proportion to their caps. Returns an array ``(cases, units)``.

    A single unit of positive weight and cap takes ``min(cap, total)``: the water filling
    reduces to that exactly (``lam = total / 1``), so it is computed directly;
    :func:`allocate_reference` always fills (compared in tests).
    """
    total = np.atleast_1d(np.asarray(total, dtype=np.float64))
    caps = np.asarray(caps, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if caps.size == 1 and w.size == 1:
        c, w0 = float(caps[0]), float(w[0])
        if c > 0 and 0 < w0 < math.inf:
            # ``total < c`` is False for NaN, which the filling sends to the cap as well.
            return np.where(total < c, total, c)[:, None]
    return allocate_reference(total, caps, w)


def allocate_reference(total: np.ndarray, caps: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:func:`allocate` by water filling in every case."""
    total = np.atleast_1d(np.asarray(total, dtype=np.float64))
    caps = np.asarray(caps, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.size and w.max() > 0:
        w = w / w.max()  # scale-free; weights below 1e-12 of the largest count as zero
        w = np.where(w < 1e-12, 0.0, w)
    out = np.zeros((total.size, caps.size))
    pos = (w > 0) & (caps > 0)
    if pos.any():
        c, ww = caps[pos], w[pos]
        ratio = c / ww
        order = np.argsort(ratio, kind="stable")
        r, cs, ws = ratio[order], c[order], ww[order]
        capped_before = np.concatenate(([0.0], np.cumsum(cs)))  # C_j
        weight_from = np.concatenate((np.cumsum(ws[::-1])[::-1], [0.0]))  # W_j
        at_break = capped_before[:-1] + r * weight_from[:-1]  # sum at lam = r_j
        j = np.searchsorted(at_break, total, side="right")
        full = j >= r.size
        jj = np.minimum(j, r.size - 1)
        lam = np.where(
            full, np.inf, (total - capped_before[jj]) / np.where(full, 1.0, weight_from[jj])
        )
        out[:, pos] = np.minimum(c[None, :], lam[:, None] * ww[None, :])
    rest = np.maximum(0.0, total - out.sum(axis=1))
    zero = ~pos & (caps > 0)
    if zero.any() and rest.max(initial=0.0) > 0:
        zc = caps[zero]
        out[:, zero] = np.minimum(zc[None, :], rest[:, None] * zc[None, :] / zc.sum())
    return out


@dataclass
class _SideBook:
    """Numbers of one side's units, in the order of the preview's unit lists."""

    side: str
    role: Role
    units: list[Unit]
    weights: np.ndarray
    counts: dict[str, np.ndarray]
    #: Share of the side that fights (the frontage of permanent works); losses scale with it.
    engaged: float = 1.0


@dataclass
class _Analysis:
    """A preview together with the arrays resolve needs to apply it."""

    preview: CombatPreview
    attack: _SideBook
    defence: _SideBook
    retreat_missing: dict[str, np.ndarray]
    version: int
    """The state's ``version`` the preview was made for."""
    luck: float | None = None
    """The luck drawn for a resolution (None for a preview)."""
    losses_now: dict[str, dict[str, np.ndarray]] | None = None
    """Per side, the unrounded combat losses ``(1, units)`` per kind at ``log_odds + luck``."""
    works: WorksRules | None = None
    """The works rules when the defender stands in permanent works (else None)."""


def _combat_losses(
    book: _SideBook, x: np.ndarray, rules: CombatRules, also: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Unrounded combat losses ``(cases, units)`` per kind at effective log-odds ``x``.

    With ``also``, the cases of ``also`` follow those of ``x`` in the same arrays: one
    :func:`allocate` call serves both (its cases are independent of one another), which is how
    :func:`resolve` gets the losses at its luck with the preview's expectations.
    """
    frac = _role_fractions(x, rules, book.role)
    more = _role_fractions(also, rules, book.role) if also is not None else None
    out = {}
    for kind in LOSS_KINDS:
        caps = book.counts[kind]
        total = frac[kind] * caps.sum() * book.engaged
        if more is not None:
            total = np.concatenate((total, more[kind] * caps.sum() * book.engaged))
        out[kind] = allocate(total, caps, book.weights)
    return out


def _blocked_keep(
    steps: np.ndarray,
    rules: CombatRules,
    can_retreat: np.ndarray,
    works: WorksRules | None = None,
) -> np.ndarray:
    """Fraction of what is left that survives ``steps`` blocked retreat steps.

    A unit that may retreat but cannot make a single step of a rout (ringed by the enemy) is
    overrun: nothing of it survives. A garrison that may not retreat fights on in its works and
    loses ``blocked_retreat_loss`` a step like any other blocked unit. In permanent works
    (``works`` given) a step stood costs ``works.step_loss`` and nobody is overrun.
    """
    steps = np.asarray(steps)
    if works is not None:
        return (1.0 - works.step_loss) ** steps
    keep = (1.0 - rules.blocked_retreat_loss) ** steps
    overrun = np.asarray(can_retreat) & (steps >= RETREAT_STEPS["defender_routs"])
    return np.where(overrun, 0.0, keep)


def _side_losses(
    book: _SideBook,
    x: np.ndarray,
    rules: CombatRules,
    missing: dict[str, np.ndarray] | None,
    combat: dict[str, np.ndarray] | None = None,
    works: WorksRules | None = None,
) -> dict[str, np.ndarray]:
    """Unrounded total losses of a side per kind at each ``x``, blocked retreats included.

    ``combat``: the combat losses at ``x`` when already computed (:func:`_combat_losses`);
    ``works``: the defender stands in permanent works (:func:`_blocked_keep`).
    """
    if combat is None:
        combat = _combat_losses(book, x, rules)
    out = {}
    if missing is None:
        for kind in LOSS_KINDS:
            out[kind] = combat[kind].sum(axis=1)
        return out
    bands = np.searchsorted(np.asarray(rules.thresholds), x, side="right")
    steps = np.zeros((x.size, len(book.units)))
    for outcome, m in missing.items():
        steps[bands == OUTCOMES.index(outcome)] = m  # type: ignore[arg-type]
    keep = _blocked_keep(steps, rules, np.array([u.can_retreat for u in book.units]), works)
    for kind in LOSS_KINDS:
        left = book.counts[kind][None, :] - combat[kind]
        out[kind] = (combat[kind] + left * (1.0 - keep)).sum(axis=1)
    return out


def _quadrature(mu: float, sigma: float, rules: CombatRules) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for expectations over ``x ~ Normal(mu, sigma)``.

    Gauss-Legendre on each piece between the points where the integrand is not smooth (the
    outcome thresholds and where a loss fraction reaches ``max_loss``), truncated at
    ``_TAIL_SD`` standard deviations; the weights include the normal density.
    """
    lo, hi = mu - _TAIL_SD * sigma, mu + _TAIL_SD * sigma
    cuts = {lo, hi, *rules.thresholds}
    if rules.loss_slope > 0 and rules.max_loss > 0:
        for base, sign in ((rules.attacker_loss_base, -1.0), (rules.defender_loss_base, 1.0)):
            for mult in (1.0, rules.tank_loss_multiplier, rules.gun_loss_multiplier):
                if base * mult > 0:
                    cuts.add(sign * math.log(rules.max_loss / (base * mult)) / rules.loss_slope)
    edges = np.array(sorted(c for c in cuts if lo <= c <= hi))
    nodes, weights = [], []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if b <= a:
            continue
        xs = 0.5 * (b - a) * _GL_NODES + 0.5 * (a + b)
        pdf = np.exp(-0.5 * ((xs - mu) / sigma) ** 2) / (sigma * math.sqrt(2.0 * math.pi))
        nodes.append(xs)
        weights.append(0.5 * (b - a) * _GL_WEIGHTS * pdf)
    return np.concatenate(nodes), np.concatenate(weights)


# ---------------------------------------------------------------- retreats


def _supply_hexes(world: World, state: GameState, side: str) -> list[int]:
    """Hexes of the supply sources of ``side`` it still holds (used to break retreat ties)."""
    s = side_index(world, side)
    out = []
    for src in world.scenario.supply_sources:
        if src.side != side:
            continue
        if src.hex is not None:
            i = world.index(*src.hex)
        elif src.place in world.places:
            i = world.places[src.place].index
        else:
            continue
        if src.capturable and state.control[i] not in (s, -1):
            continue
        out.append(i)
    return out


def _nearest(world: World, targets: list[int]) -> Callable[[int], int]:
    """A function giving the hex distance from a hex to the nearest of ``targets`` (0 if none).

    Plain integer maths on axial coordinates, remembered per hex: a retreat compares a handful
    of hexes against a handful of targets, far below what numpy pays per call.
    """
    if not targets:
        return lambda i: 0
    grid = world.grid
    cols = [(int(grid.q[t]), int(grid.r[t])) for t in targets]
    seen: dict[int, int] = {}

    def distance(i: int) -> int:
        d = seen.get(i)
        if d is None:
            q, r = int(grid.q[i]), int(grid.r[i])
            d = min((abs(tq - q) + abs(tr - r) + abs(tq - q + tr - r)) // 2 for tq, tr in cols)
            seen[i] = d
        return d

    return distance


def plan_retreats(
    world: World,
    state: GameState,
    defenders: list[Unit],
    target: int,
    attacker_hexes: list[int],
    steps: int,
) -> list[RetreatPlan]:
    """Where each defender would retreat ``steps`` hexes, in turn (stacking counts earlier ones).

    Each step goes to a neighbour farther from every attacker than the current hex, passable for
    the unit's movement class, free of enemy units and enemy zone of control, with room in the
    stack. Among those it prefers the hex farthest from the attackers, then one its side
    controls, then one nearer its supply, then the lowest hex index. Units that cannot retreat
    (fortress garrisons) and units with no such hex stay and count the steps as blocked.

    :func:`plan_retreats_reference` is the same with numpy distances, kept to test this one.
    """
    if not defenders:
        return []
    side = defenders[0].side
    enemy = enemy_of(world, side)
    own = side_index(world, side)
    enemy_occ = occupied(world, state, enemy)
    enemy_zoc = zone_of_control(world, state, enemy)
    stack = stack_points(world, state, side).copy()
    limit = state.rules.stacking.max_points
    forbidden = world.forbidden[side]
    control = state.control
    neighbours = world.grid.neighbor_rows
    # Only the hexes next to the retreat path are ever compared: measure those alone.
    dist_att = _nearest(world, attacker_hexes)
    dist_src = _nearest(world, _supply_hexes(world, state, side))
    works = in_works(world, state, target)  # a works garrison stands
    plans = []
    for u in sorted(defenders, key=lambda u: u.id):
        here = target
        path = [world.coord(here)]
        blocked = steps
        if u.can_retreat and not works:
            step_cost = world.base_step_cost[u.movement_class]
            points = u.stack_points
            for done in range(steps):
                costs = step_cost[here].tolist()
                near = dist_att(here)
                best: tuple[int, int, int, int] | None = None
                for d, n in enumerate(neighbours[here]):
                    if n < 0 or not math.isfinite(costs[d]):
                        continue
                    if enemy_occ[n] or enemy_zoc[n] or stack[n] + points > limit:
                        continue
                    if forbidden[n]:
                        continue
                    away = dist_att(n)
                    if away <= near:
                        continue
                    key = (-away, int(control[n] != own), dist_src(n), n)
                    if best is None or key < best:
                        best = key
                if best is None:
                    blocked = steps - done
                    break
                n = best[3]
                stack[here] -= points
                stack[n] += points
                here = n
                path.append(world.coord(n))
            else:
                blocked = 0
        plans.append(RetreatPlan(unit_id=u.id, steps=steps, path=path, blocked_steps=blocked))
    return plans


def _nearest_reference(world: World, targets: list[int]) -> Callable[[int], int]:
    """A function giving the hex distance from a hex to the nearest of ``targets`` (0 if none)."""
    if not targets:
        return lambda i: 0
    q = world.grid.q[targets]
    r = world.grid.r[targets]

    def distance(i: int) -> int:
        dq = q - world.grid.q[i]
        dr = r - world.grid.r[i]
        return int(((np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2).min())

    return distance


def plan_retreats_reference(
    world: World,
    state: GameState,
    defenders: list[Unit],
    target: int,
    attacker_hexes: list[int],
    steps: int,
) -> list[RetreatPlan]:
    """:func:`plan_retreats` as the rules read, with numpy hex distances (kept to test it).

    Each step goes to a neighbour farther from every attacker than the current hex, passable for
    the unit's movement class, free of enemy units and enemy zone of control, with room in the
    stack. Among those it prefers the hex farthest from the attackers, then one its side
    controls, then one nearer its supply, then the lowest hex index. Units that cannot retreat
    (fortress garrisons) and units with no such hex stay and count the steps as blocked.
    """
    if not defenders:
        return []
    side = defenders[0].side
    enemy = enemy_of(world, side)
    own = side_index(world, side)
    enemy_occ = occupied(world, state, enemy)
    enemy_zoc = zone_of_control(world, state, enemy)
    stack = stack_points(world, state, side).copy()
    limit = state.rules.stacking.max_points
    # Only the hexes next to the retreat path are ever compared: measure those alone.
    dist_att = _nearest_reference(world, attacker_hexes)
    dist_src = _nearest_reference(world, _supply_hexes(world, state, side))
    works = in_works(world, state, target)  # a works garrison stands
    plans = []
    for u in sorted(defenders, key=lambda u: u.id):
        here = target
        path = [world.coord(here)]
        blocked = steps
        if u.can_retreat and not works:
            for done in range(steps):
                costs = world.base_step_cost[u.movement_class][here]
                best: tuple[int, int, int, int] | None = None
                for d, n in enumerate(world.grid.neighbor_index[here]):
                    n = int(n)
                    if n < 0 or not np.isfinite(costs[d]):
                        continue
                    if enemy_occ[n] or enemy_zoc[n] or stack[n] + u.stack_points > limit:
                        continue
                    if world.forbidden[side][n]:
                        continue
                    away = dist_att(n)
                    if away <= dist_att(here):
                        continue
                    key = (-away, int(state.control[n] != own), dist_src(n), n)
                    if best is None or key < best:
                        best = key
                if best is None:
                    blocked = steps - done
                    break
                n = best[3]
                stack[here] -= u.stack_points
                stack[n] += u.stack_points
                here = n
                path.append(world.coord(n))
            else:
                blocked = 0
        plans.append(RetreatPlan(unit_id=u.id, steps=steps, path=path, blocked_steps=blocked))
    return plans


# ---------------------------------------------------------------- preview


def _analyse(
    world: World,
    state: GameState,
    attackers: list[Unit],
    target: int,
    draw: Callable[[], float] | None = None,
) -> _Analysis:
    """The preview of an attack; with ``draw``, also the luck it draws and the losses at it.

    ``draw`` is called once, after every rule is checked; the preview does not depend on it.
    """
    check_attack(world, state, attackers, target)
    cr = state.rules.combat
    att_side = attackers[0].side
    def_side = enemy_of(world, att_side)
    defenders = sorted(
        (u for u in units_at(world, state, target) if u.side == def_side), key=lambda u: u.id
    )
    attackers = sorted(attackers, key=lambda u: u.id)
    a_str = [unit_strength(world, state, u, "attacker", target) for u in attackers]
    d_str = [unit_strength(world, state, u, "defender", target) for u in defenders]
    a_total = float(sum(s.strength for s in a_str))
    d_total = float(sum(s.strength for s in d_str))
    engaged = engaged_share(world, state, target, a_total, d_total)
    if engaged < 1.0:
        a_str = [_engage(s, engaged, state.rules.works) for s in a_str]
        a_total = float(sum(s.strength for s in a_str))
    works = state.rules.works if in_works(world, state, target) else None
    odds = max(a_total, cr.min_strength) / max(d_total, cr.min_strength)
    mu = math.log(odds)
    sigma = cr.luck_sigma
    luck = draw() if draw is not None else None
    x_now = np.array([mu + luck]) if luck is not None else None
    bounds = (-math.inf, *cr.thresholds, math.inf)
    cdf = [
        0.0 if b == -math.inf else 1.0 if b == math.inf else normal_cdf((b - mu) / sigma)
        for b in bounds
    ]
    outcomes = [
        OutcomeProbability(
            outcome=o,
            probability=max(0.0, cdf[i + 1] - cdf[i]),
            low=bounds[i] if math.isfinite(bounds[i]) else None,
            high=bounds[i + 1] if math.isfinite(bounds[i + 1]) else None,
        )
        for i, o in enumerate(OUTCOMES)
    ]

    def book(
        units: list[Unit], strengths: list[UnitStrength], role: Role, side: str, share: float
    ) -> _SideBook:
        return _SideBook(
            side=side,
            role=role,
            units=units,
            weights=np.array([s.strength for s in strengths], dtype=np.float64),
            counts={
                k: np.array([getattr(u, k) for u in units], dtype=np.float64) for k in LOSS_KINDS
            },
            engaged=share,
        )

    att_book = book(attackers, a_str, "attacker", att_side, engaged)
    def_book = book(defenders, d_str, "defender", def_side, 1.0)
    att_hexes = [unit_index(world, u) for u in attackers]
    plans: dict[str, list[RetreatPlan]] = {}
    missing: dict[str, np.ndarray] = {}
    for outcome, steps in RETREAT_STEPS.items():
        p = plan_retreats(world, state, defenders, target, att_hexes, steps)
        plans[outcome] = p
        by_id = {q.unit_id: q.blocked_steps for q in p}
        missing[outcome] = np.array([by_id[u.id] for u in defenders], dtype=np.float64)

    nodes, weights = _quadrature(mu, sigma, cr)
    xq = np.array([mu - _Z90 * sigma, mu + _Z90 * sigma])
    estimates = {}
    losses_now: dict[str, dict[str, np.ndarray]] = {}
    xs = np.concatenate((nodes, xq))
    for bk, miss in ((att_book, None), (def_book, missing)):
        combat = _combat_losses(bk, xs, cr, also=x_now)
        if x_now is not None:
            losses_now[bk.side] = {k: v[xs.size :] for k, v in combat.items()}
            combat = {k: v[: xs.size] for k, v in combat.items()}
        both = _side_losses(bk, xs, cr, miss, combat, works if miss is not None else None)
        exp_l = {k: v[: nodes.size] for k, v in both.items()}
        q_l = {k: v[nodes.size :] for k, v in both.items()}
        estimates[bk.side] = LossEstimate(
            side=bk.side,
            expected=Losses(**{k: float(exp_l[k] @ weights) for k in LOSS_KINDS}),
            low=Losses(**{k: float(q_l[k].min()) for k in LOSS_KINDS}),
            high=Losses(**{k: float(q_l[k].max()) for k in LOSS_KINDS}),
        )
    flat = [f for s in (*a_str, *d_str) for f in s.factors if f.multiplier != 1.0]
    preview = CombatPreview(
        target=world.coord(target),
        attacker_side=att_side,
        defender_side=def_side,
        attackers=a_str,
        defenders=d_str,
        attack_strength=a_total,
        defence_strength=d_total,
        odds=odds,
        log_odds=mu,
        luck_sigma=sigma,
        outcomes=outcomes,
        expected_losses=estimates,
        retreat_plans=plans,
        factors=flat,
    )
    return _Analysis(
        preview=preview,
        attack=att_book,
        defence=def_book,
        retreat_missing=missing,
        works=works,
        version=state.version,
        luck=luck,
        losses_now=losses_now if luck is not None else None,
    )


def _engage(s: UnitStrength, share: float, works: WorksRules) -> UnitStrength:
    """``s`` with the frontage of permanent works as one more factor."""
    note = f"frontage of permanent works: at most {works.max_odds:g}:1 engaged"
    factor = Factor(name="frontage", unit_id=s.unit_id, role=s.role, multiplier=share, note=note)
    return s.model_copy(update={"factors": [*s.factors, factor], "strength": s.strength * share})


def preview(world: World, state: GameState, attackers: list[Unit], target: int) -> CombatPreview:
    """The odds of an attack, its outcome distribution, expected losses and every factor.

    Raises:
        IllegalOrder: the attack breaks a rule (see :func:`check_attack`).
    """
    return _analyse(world, state, attackers, target).preview


# ---------------------------------------------------------------- resolution


def _round(value: float, cap: float) -> int:
    """Round half to even, then clip into ``[0, cap]``."""
    return int(min(max(np.rint(value), 0.0), cap))


def resolve(
    world: World,
    state: GameState,
    attackers: list[Unit],
    target: int,
    rng: np.random.Generator,
    advance: bool,
) -> CombatRecord:
    """Resolve an attack: one luck draw, outcome, losses, retreats, capture and advance.

    Exactly one standard-normal value is drawn from ``rng`` per combat, after every rule is
    checked, so an illegal attack neither changes the state nor advances the stream.

    Raises:
        IllegalOrder: the attack breaks a rule (see :func:`check_attack`); nothing changed.
    """
    cr = state.rules.combat
    an = _analyse(
        world,
        state,
        attackers,
        target,
        draw=lambda: float(rng.standard_normal()) * cr.luck_sigma,
    )
    p = an.preview
    assert an.luck is not None and an.losses_now is not None
    luck = an.luck
    x = p.log_odds + luck
    outcome = outcome_of(x, cr.thresholds)

    # Combat losses, rounded half to even per unit and kind.
    lost: dict[str, dict[str, int]] = {}
    for bk in (an.attack, an.defence):
        combat = an.losses_now[bk.side]
        for i, u in enumerate(bk.units):
            lost[u.id] = {k: _round(combat[k][0, i], bk.counts[k][i]) for k in LOSS_KINDS}
    destroyed: list[str] = []

    def take(u: Unit, amounts: dict[str, int]) -> dict[str, int]:
        was_active = u.status == "active"
        taken = take_losses(state, u, amounts)
        if was_active and u.status == "destroyed":
            destroyed.append(u.id)
        return taken

    for u in (*an.attack.units, *an.defence.units):
        lost[u.id] = take(u, lost[u.id])
    # (take_losses bumps state.version when a unit breaks up: layers derived before are stale.)

    # Retreats of the surviving defenders.
    retreats: list[RetreatPath] = []
    blocked: dict[str, int] = {}
    steps = RETREAT_STEPS.get(outcome, 0)
    survivors = [u for u in an.defence.units if u.on_map]
    if steps and survivors:
        if (
            state.version == an.version
            and len(survivors) == len(an.defence.units)
            and all(u.on_map for u in an.attack.units)
        ):
            # Nobody left the map since the preview: its plan for this outcome is the plan.
            plans = p.retreat_plans[outcome]
        else:
            att_hexes = [unit_index(world, u) for u in an.attack.units if u.on_map]
            if not att_hexes:  # every attacker destroyed: fall back from where they stood
                att_hexes = [world.index(*s.hex) for s in p.attackers]
            plans = plan_retreats(world, state, survivors, target, att_hexes, steps)
        side_idx = side_index(world, p.defender_side)
        for plan in plans:
            u = state.units[plan.unit_id]
            if len(plan.path) > 1:
                u.hex = plan.path[-1]
                u.entrenchment = 0
                state.moved()
                # it holds where it stops, not the hexes it fled through
                state.control[world.index(*plan.path[-1])] = side_idx
            retreats.append(
                RetreatPath(unit_id=u.id, path=plan.path, blocked_steps=plan.blocked_steps)
            )
            blocked[u.id] = plan.blocked_steps
            if plan.blocked_steps:
                keep = float(
                    _blocked_keep(np.array(plan.blocked_steps), cr, u.can_retreat, an.works)
                )
                extra = {k: _round(getattr(u, k) * (1.0 - keep), getattr(u, k)) for k in LOSS_KINDS}
                extra = take(u, extra)
                for k in LOSS_KINDS:
                    lost[u.id][k] += extra[k]

    # Readiness.
    hit = {
        "defender_retreats": cr.retreat_readiness_loss,
        "defender_routs": cr.rout_readiness_loss,
    }.get(outcome, 0.0)
    for u in an.defence.units:
        u.readiness = max(0.0, u.readiness - hit)
    for u in an.attack.units:
        u.readiness = max(0.0, u.readiness - cr.attacker_readiness_cost)
        u.attacked = True

    # Capture and advance.
    captured: tuple[int, int] | None = None
    advanced: str | None = None
    if not any(u.side == p.defender_side for u in units_at(world, state, target)):
        captured = world.coord(target)
        state.control[target] = side_index(world, p.attacker_side)
        if advance:
            stack = stack_points(world, state, p.attacker_side)
            limit = state.rules.stacking.max_points
            strength = {s.unit_id: s.strength for s in p.attackers}
            movers = []
            for u in an.attack.units:
                if not u.on_map or stack[target] + u.stack_points > limit:
                    continue
                if world.forbidden[u.side][target]:
                    continue
                here = unit_index(world, u)
                d = world.grid.direction(here, target)
                if d is None or not np.isfinite(world.base_step_cost[u.movement_class][here, d]):
                    continue
                movers.append(u)
            if movers:
                mover = min(movers, key=lambda u: (-strength[u.id], u.id))
                mover.hex = captured
                mover.entrenchment = 0
                state.moved()
                advanced = mover.id

    unit_losses = [
        UnitLoss(
            unit_id=u.id,
            side=u.side,
            **lost[u.id],
            blocked_steps=blocked.get(u.id, 0),
            destroyed=u.id in destroyed,
        )
        for u in (*an.attack.units, *an.defence.units)
    ]
    side_losses = {
        side: Losses(
            **{
                k: float(sum(getattr(ul, k) for ul in unit_losses if ul.side == side))
                for k in LOSS_KINDS
            }
        )
        for side in (p.attacker_side, p.defender_side)
    }
    return CombatRecord(
        preview=p,
        luck=luck,
        effective_log_odds=x,
        outcome=outcome,
        unit_losses=unit_losses,
        side_losses=side_losses,
        retreats=retreats,
        destroyed=destroyed,
        captured=captured,
        advanced=advanced,
        summary=_summary(p, luck, outcome, side_losses, destroyed, captured, advanced),
    )


# ---------------------------------------------------------------- the one-line account


def _losses_text(losses: Losses) -> str:
    parts = [f"{int(losses.men):,} men"]
    if losses.tanks:
        parts.append(f"{int(losses.tanks):,} tanks")
    if losses.guns:
        parts.append(f"{int(losses.guns):,} guns")
    return " ".join(parts)


def _summary(
    p: CombatPreview,
    luck: float,
    outcome: Outcome,
    side_losses: dict[str, Losses],
    destroyed: list[str],
    captured: tuple[int, int] | None,
    advanced: str | None,
) -> str:
    n = len(p.attackers)
    who = f"{n} unit attacks" if n == 1 else f"{n} units attack"
    seen: dict[tuple[str, float], None] = {}
    for f in p.factors:
        if f.name not in _INTRINSIC:
            label = f"{f.role} {f.name}" if f.name in _BOTH_ROLES else f.name
            seen[(label, round(f.multiplier, 2))] = None
    mods = ", ".join(f"{name} x{mult:g}" for name, mult in seen)
    text = f"{who} {p.target[0]},{p.target[1]} at {p.odds_text()}"
    if mods:
        text += f" ({mods})"
    text += f"; luck {luck:+.2f} → {OUTCOME_TEXT[outcome]}"
    text += (
        f"; losses A {_losses_text(side_losses[p.attacker_side])}"
        f" / D {_losses_text(side_losses[p.defender_side])}"
    )
    if destroyed:
        text += f"; destroyed {', '.join(destroyed)}"
    if captured is not None:
        text += f"; {captured[0]},{captured[1]} taken"
        if advanced:
            text += f" ({advanced} advances)"
    return text
